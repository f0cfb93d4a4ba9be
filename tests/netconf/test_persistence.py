"""Persistence: the -f file is the store. kill -9 during a stream of commits, then restart:
running is the last acknowledged commit (or the one in flight, never a mix); an operator's
edit of the file is applied on SIGHUP; a restart keeps API changes."""

from __future__ import annotations

import random
import signal
import threading
import time
from collections.abc import Callable

import pytest

from peerwise.mgmt.client import NetconfClient, NetconfError
from peerwise.store import ConfigFile

from .speakerd import Nbr, Speakerd, neighbor_xml, poll

ROUNDS = 4
NEIGHBOR = "127.0.59.240"


def description(daemon: Speakerd) -> str:
    with daemon.client() as nc:
        reply = nc.get_config("running", filter=neighbor_xml(NEIGHBOR, "<config/>"))
    start = reply.find("<description>")
    return reply[start + len("<description>") : reply.find("</description>")] if start >= 0 else ""


def commit_stream(daemon: Speakerd, acked: list[int], stop: threading.Event) -> None:
    """Commit n = 1, 2, ... (description "n") until the daemon dies; record each ack."""
    n = acked[-1] if acked else 0
    try:
        with NetconfClient(str(daemon.socket), timeout=5) as nc:
            while not stop.is_set():
                n += 1
                edit = neighbor_xml(NEIGHBOR, f"<config><description>{n}</description></config>")
                nc.edit_config("candidate", edit)
                nc.commit()
                acked.append(n)
    except (ConnectionError, OSError, NetconfError):
        return


def test_kill_9_during_commits_keeps_the_last_acknowledged(
    speakerd: Callable[..., Speakerd],
) -> None:
    daemon = speakerd(neighbors=(Nbr(NEIGHBOR, 65240, description="0"),))
    acked: list[int] = []
    rng = random.Random(20261126)
    for _ in range(ROUNDS):
        stop = threading.Event()
        writer = threading.Thread(target=commit_stream, args=(daemon, acked, stop))
        before = len(acked)
        writer.start()
        poll(lambda: True if len(acked) > before + 2 else None, 20, "commits flowing")  # noqa: B023
        time.sleep(rng.uniform(0.0, 0.5))  # integration test: a random moment to kill
        daemon.kill9()
        stop.set()
        writer.join(10)
        last = acked[-1]
        assert ConfigFile.of(daemon.config).read()  # whole and valid, whatever the moment
        daemon.start()
        found = int(description(daemon))
        assert found in (last, last + 1), f"acknowledged {last}, restarted with {found}"
        if found == last + 1:  # the commit in flight had been saved: it counts from now
            acked.append(found)
    assert len(acked) > ROUNDS * 3


def test_operator_edit_and_sighup(speakerd: Callable[..., Speakerd]) -> None:
    daemon = speakerd(neighbors=(Nbr(NEIGHBOR, 65240, description="from-file"),))
    with daemon.client() as nc:
        nc.edit_config("running", neighbor_xml(NEIGHBOR, "<config><description>api"
                                               "</description></config>"))  # fmt: skip
    assert 'description = "api"' in daemon.config.read_text()
    assert daemon.config.with_name("bgp.toml.prev").read_text().startswith("# written by")
    daemon.config.write_text(daemon.config.read_text().replace('"api"', '"operator"'))
    daemon.signal(signal.SIGHUP)
    poll(lambda: True if description(daemon) == "operator" else None, 10, "SIGHUP applied")
    daemon.stop()
    daemon.start()
    assert description(daemon) == "operator"


def test_invalid_file_on_sighup_keeps_running(speakerd: Callable[..., Speakerd]) -> None:
    daemon = speakerd(neighbors=(Nbr(NEIGHBOR, 65240, description="kept"),))
    daemon.config.write_text(daemon.config.read_text().replace("65240", '"not-a-number"'))
    daemon.signal(signal.SIGHUP)
    poll(lambda: True if "config refused" in daemon.log.read_text() else None, 10, "refusal")
    assert description(daemon) == "kept"


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_other_formats_are_written_in_their_own(
    speakerd: Callable[..., Speakerd], tmp_path_factory: pytest.TempPathFactory, suffix: str
) -> None:
    daemon = speakerd(start=False, neighbors=(Nbr(NEIGHBOR, 65240),))
    store = ConfigFile.of(daemon.config)
    target = ConfigFile.of(daemon.config.with_suffix(f".{suffix}"))
    target.write(store.read())
    daemon.config = target.path
    daemon.start()
    with daemon.client() as nc:
        nc.edit_config("running", neighbor_xml(NEIGHBOR, "<config><description>x"
                                               "</description></config>"))  # fmt: skip
    assert target.read()["neighbors"][0]["config"]["description"] == "x"
