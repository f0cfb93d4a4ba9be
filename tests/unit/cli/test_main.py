"""``peerwise`` end to end: argv in, text and exit code out, against a live API socket."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mgmt.fakes import (  # tests/unit is on sys.path (rootdir-relative packages)
    FakeServer,
    fake_validate,
)

from peerwise.cli.main import main, neighbor_config
from peerwise.mgmt import start_unix_server


@pytest.fixture
def speaker(tmp_path: Path) -> Iterator[tuple[str, FakeServer]]:
    """The API of a fake speaker, served from an event loop in a thread."""
    path, server = tmp_path / "api.sock", FakeServer()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    start = start_unix_server(server, path, validate=fake_validate, complete=dict)
    api = asyncio.run_coroutine_threadsafe(start, loop).result(timeout=10)
    yield str(path), server

    async def stop() -> None:
        api.close()
        await api.wait_closed()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


def run(
    speaker: tuple[str, FakeServer], capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = main(["--socket", speaker[0], *argv])
    out, err = capsys.readouterr()
    return code, out, err


SHOW_CASES = {
    "summary": (["neighbor"], ["Peer", "192.0.2.2 65002 00:12:43 Establ", "192.0.2.3 65003"]),
    "detail": (
        ["neighbor", "192.0.2.3"],
        ["BGP neighbor is 192.0.2.3, remote AS 65003", "    Opens:"],
    ),
    "global": (["global"], ["AS:        65001", "Router-ID: 192.0.2.1", "Addresses: 127.0.0.1"]),
}


@pytest.mark.parametrize(("argv", "wanted"), SHOW_CASES.values(), ids=SHOW_CASES.keys())
def test_show(
    speaker: tuple[str, FakeServer],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    wanted: list[str],
) -> None:
    code, out, err = run(speaker, capsys, *argv)
    assert (code, err) == (0, "")
    for text in wanted:
        assert text in out
    assert out.endswith("\n")  # the shell prompt starts on a line of its own


def test_json_is_the_models_state(
    speaker: tuple[str, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(speaker, capsys, "-j", "neighbor", "192.0.2.2")
    assert code == 0
    assert json.loads(out) == speaker[1].state_tree()["neighbors"][0]
    code, out, _ = run(speaker, capsys, "neighbor", "--json")
    assert [n["state"]["session-state"] for n in json.loads(out)] == ["ESTABLISHED"] * 2


def test_add_and_delete(
    speaker: tuple[str, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "neighbor",
        "add",
        "192.0.2.7",
        "as",
        "65007",
        "--local-address",
        "192.0.2.1",
        "--passive",
    ]
    assert run(speaker, capsys, *argv) == (0, "", "")
    added = speaker[1].config["neighbors"][-1]
    assert added == {
        "config": {"neighbor-address": "192.0.2.7", "peer-as": 65007},
        "transport": {"config": {"local-address": "192.0.2.1", "passive-mode": True}},
    }
    assert run(speaker, capsys, "neighbor", "del", "192.0.2.7") == (0, "", "")
    assert [n["config"]["neighbor-address"] for n in speaker[1].config["neighbors"]] == [
        "192.0.2.2",
        "192.0.2.3",
    ]


ERROR_CASES = {
    "delete missing": (
        ["neighbor", "del", "192.0.2.9"],
        "error: bgp/neighbors/neighbor[192.0.2.9]: data does not exist\n",
    ),
    "invalid value": (
        ["neighbor", "add", "192.0.2.8", "as", "70000000000"],
        "error: bgp/neighbors/neighbor[192.0.2.8]/config/peer-as: 70000000000 is not a uint32\n",
    ),
    "unknown neighbor": (["neighbor", "192.0.2.9"], "error: no neighbor 192.0.2.9\n"),
}


@pytest.mark.parametrize(("argv", "message"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_errors(
    speaker: tuple[str, FakeServer],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    before = speaker[1].running_config()
    assert run(speaker, capsys, *argv) == (1, "", message)
    assert speaker[1].running_config() == before


def test_unreachable_socket(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "api.sock"
    assert main(["--socket", str(path), "neighbor"]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"error: cannot reach the speaker at {path}: No such file or directory\n",
    )


@pytest.mark.parametrize(
    "argv", [["neighbor", "add", "1.2.3.4"], ["neighbor", "del"], ["neighbor", "a", "b"], []]
)
def test_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_neighbor_config_table() -> None:
    class Args:
        addr, asn = "192.0.2.5", 65005
        description, local_address, passive, remote_port = "r5", None, False, 1179
        hold_time, keepalive_interval, connect_retry, multihop_ttl = 9, 3, None, 2

    assert neighbor_config(Args()) == {  # type: ignore[arg-type]
        "config": {"neighbor-address": "192.0.2.5", "peer-as": 65005, "description": "r5"},
        "transport": {"config": {"remote-port": 1179}},
        "timers": {"config": {"hold-time": 9, "keepalive-interval": 3}},
        "ebgp-multihop": {"config": {"multihop-ttl": 2, "enabled": True}},
    }
