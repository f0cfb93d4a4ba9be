"""Two (or three) ``peerwised`` processes peering over loopback, from TOML files."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from speaker_helpers import DEADLINE, Daemon, toml_config

ESTABLISHED = r"-> ESTABLISHED"
Start = Callable[[str, str], Daemon]


def test_two_daemons_reach_established(daemon: Start) -> None:
    a = daemon("a", toml_config(65001, "127.0.10.1", [("127.0.10.2", 65002)]))
    b = daemon("b", toml_config(65002, "127.0.10.2", [("127.0.10.1", 65001)]))
    assert "127.0.10.2" in a.wait_log(ESTABLISHED)
    assert "127.0.10.1" in b.wait_log(ESTABLISHED)


def test_sigterm_sends_cease_and_exits_zero(daemon: Start) -> None:
    a = daemon("a", toml_config(65001, "127.0.10.11", [("127.0.10.12", 65002)]))
    b = daemon("b", toml_config(65002, "127.0.10.12", [("127.0.10.11", 65001)]))
    a.wait_log(ESTABLISHED)
    b.wait_log(ESTABLISHED)
    mark = b.mark()
    a.signal(signal.SIGTERM)
    assert a.wait_exit() == 0
    b.wait_log(r"received NOTIFICATION: Cease / Administrative Shutdown", after=mark)


def test_sighup_adds_a_neighbor_and_keeps_config_on_a_bad_file(daemon: Start) -> None:
    a = daemon("a", toml_config(65001, "127.0.10.21", [("127.0.10.22", 65002)]))
    daemon("b", toml_config(65002, "127.0.10.22", [("127.0.10.21", 65001)]))
    c = daemon("c", toml_config(65003, "127.0.10.23", [("127.0.10.21", 65001)]))
    a.wait_log(ESTABLISHED)
    c.wait_log(r"not a configured neighbor|connection closed|connect failed")  # a refuses c
    mark = a.mark()
    both = [("127.0.10.22", 65002), ("127.0.10.23", 65003)]
    a.config.write_text(toml_config(65001, "127.0.10.21", both))
    a.signal(signal.SIGHUP)
    assert "127.0.10.23" in a.wait_log(r"127\.0\.10\.23.*-> ESTABLISHED", after=mark)
    c.wait_log(ESTABLISHED)
    # A file that does not validate: every error logged, the running config kept.
    mark = a.mark()
    a.config.write_text(toml_config(65001, "127.0.10.21", both).replace("65003", '"abc"'))
    a.signal(signal.SIGHUP)
    a.wait_log(r"config refused.*peer-as", after=mark)
    time.sleep(0.5)  # give a wrongly applied config the time to tear a session down
    assert "->" not in a.text()[mark:], a.text()[mark:]
    assert a.proc.poll() is None


def test_wrong_peer_as_is_refused_with_bad_peer_as(daemon: Start) -> None:
    a = daemon("a", toml_config(65001, "127.0.10.31", [("127.0.10.32", 65099)]))
    b = daemon("b", toml_config(65002, "127.0.10.32", [("127.0.10.31", 65001)]))
    b.wait_log(r"received NOTIFICATION: Open Message / Bad Peer AS \(data fdea\)")
    a.wait_log(r"refused OPEN: Open Message / Bad Peer AS")
    assert ESTABLISHED not in a.text() + b.text()


def test_unconfigured_address_is_closed_without_open(daemon: Start) -> None:
    a = daemon("a", toml_config(65001, "127.0.10.41", [("127.0.10.42", 65002)]))
    a.wait_log(r"listening on 127\.0\.10\.41")
    with socket.create_connection(
        ("127.0.10.41", 179), timeout=DEADLINE, source_address=("127.0.10.49", 0)
    ) as sock:
        assert sock.recv(4096) == b""  # closed, and not one octet (no OPEN) sent
    a.wait_log(r"connection from 127\.0\.10\.49: not a configured neighbor")


def test_invalid_file_prints_every_error_and_exits_2(tmp_path: Path) -> None:
    bad = toml_config(65001, "127.0.10.51", [("127.0.10.52", 65002), ("127.0.10.53", 65003)])
    path = tmp_path / "bad.toml"
    path.write_text(bad.replace("65002", '"x"').replace("65003", "70000000000"))
    done = subprocess.run(
        [sys.executable, "-m", "peerwise.daemon", "-f", str(path)],
        capture_output=True, text=True, timeout=DEADLINE,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert any(line.startswith("neighbors[0].config.peer-as: ") for line in lines), lines
    assert any(line.startswith("neighbors[1].config.peer-as: ") for line in lines), lines
