"""The seed article, step by step, with two ``peerwised`` and the ``peerwise`` CLI.

node1 (AS 65001) and node2 (AS 65002) peer once from the seed's own TOML (addresses moved to
loopback) and once from a bare global config plus ``peerwise neighbor add``. Every view the
article shows is read back through the CLI, over the local NETCONF API.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from speaker_helpers import DEADLINE, POLL, Daemon

Start = Callable[[str, str], Daemon]
CLI = str(Path(sys.executable).with_name("peerwise"))
SEED_DIR = Path(__file__).parents[1] / "unit" / "model" / "data"


def seed_file(name: str, mapping: dict[str, str]) -> str:
    """The seed's TOML verbatim, with its 192.168.33.x addresses moved onto loopback."""
    text = (SEED_DIR / name).read_text()
    for old, new in mapping.items():
        text = text.replace(old, new)
    return text


def cli(d: Daemon, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [CLI, "--socket", str(d.dir / "api.sock"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=30)


def wait_api(d: Daemon) -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if cli(d, "global", check=False).returncode == 0:
            return
        time.sleep(POLL)
    raise AssertionError(f"API never answered:\n{d.text()}")


def wait_state(d: Daemon, peer: str, state: str = "ESTABLISHED") -> dict[str, object]:
    end = time.monotonic() + DEADLINE
    seen = None
    while time.monotonic() < end:
        out = cli(d, "-j", "neighbor", peer, check=False)
        if out.returncode == 0:
            seen = json.loads(out.stdout)
            if seen["state"]["session-state"] == state:
                return seen
        time.sleep(POLL)
    raise AssertionError(f"{peer} never reached {state}; last seen {seen}\n{d.text()}")


def global_only(asn: int, address: str) -> str:
    return (
        f'[global.config]\n  as = {asn}\n  router-id = "{address}"\n'
        f'  local-address-list = ["{address}"]\n'
    )


def check_views(d: Daemon, peer: str, peer_as: int) -> None:
    summary = cli(d, "neighbor").stdout.splitlines()
    assert summary[0].split() == ["Peer", "AS", "Up/Down", "State", "|#Received", "Accepted"]
    row = summary[1].split()
    assert row[0] == peer and row[1] == str(peer_as) and row[3] == "Establ", summary
    assert re.fullmatch(r"\d\d:\d\d:\d\d", row[2]), row
    detail = cli(d, "neighbor", peer).stdout
    assert f"BGP neighbor is {peer}, remote AS {peer_as}" in detail
    assert f"BGP version 4, remote router ID {peer}" in detail
    assert "Hold time is 90, keepalive interval is 30 seconds" in detail
    for cap in ("ipv4-unicast:\tadvertised and received", "route-refresh:\tadvertised and received",
                "4-octet-as:\tadvertised and received"):  # fmt: skip
        assert cap in detail, detail
    opens = re.search(r"Opens:\s+(\d+)\s+(\d+)", detail)
    assert opens and int(opens[1]) >= 1 and int(opens[2]) >= 1, detail


def test_seed_toml_files_peer_unchanged(daemon: Start) -> None:
    moved = {"192.168.33.10": "127.0.60.10", "192.168.33.11": "127.0.60.11"}
    listen = {**moved, "as = 6500": "as = 6500"}  # the seed's files, only addresses moved
    n1 = daemon("node1", seed_file("node1.toml", listen))
    n2 = daemon("node2", seed_file("node2.toml", listen))
    # The seed's files name no listen address: ours come from the router-id's interface.
    n1.wait_log(r"-> ESTABLISHED")
    n2.wait_log(r"-> ESTABLISHED")
    wait_api(n1)
    state = wait_state(n1, "127.0.60.11")
    assert state["state"]["peer-as"] == 65002
    check_views(n1, "127.0.60.11", 65002)
    check_views(n2, "127.0.60.10", 65001)


def test_seed_neighbor_add_at_run_time(daemon: Start) -> None:
    n1 = daemon("node1", global_only(65001, "127.0.60.20"))
    n2 = daemon("node2", global_only(65002, "127.0.60.21"))
    wait_api(n1)
    wait_api(n2)
    assert cli(n1, "neighbor").stdout.count("\n") <= 1  # only the header: no neighbors yet
    cli(n1, "neighbor", "add", "127.0.60.21", "as", "65002")
    cli(n2, "neighbor", "add", "127.0.60.20", "as", "65001")
    wait_state(n1, "127.0.60.21")
    wait_state(n2, "127.0.60.20")
    check_views(n1, "127.0.60.21", 65002)
    j = json.loads(cli(n1, "-j", "neighbor").stdout)
    assert [n["state"]["session-state"] for n in j] == ["ESTABLISHED"]
    # Deleting the neighbor sends Cease / Peer De-configured to the other side.
    mark = n2.mark()
    cli(n1, "neighbor", "del", "127.0.60.21")
    n2.wait_log(r"received NOTIFICATION: Cease / Peer De-?[Cc]onfigured", after=mark)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["neighbor", "add", "127.0.60.31", "as", "abc"], "peer-as"),
        (["neighbor", "add", "127.0.60.30", "as", "65002"], "neighbor-address"),
        (["neighbor", "add", "127.0.60.31", "as", "70000000000"], "peer-as"),
    ],
)
def test_cli_refuses_bad_neighbors_and_changes_nothing(
    daemon: Start, args: list[str], message: str
) -> None:
    n1 = daemon("node1", global_only(65001, "127.0.60.30"))
    wait_api(n1)
    before = cli(n1, "-j", "global").stdout
    out = cli(n1, *args, check=False)
    assert out.returncode != 0
    assert out.stderr.startswith("error") and message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert cli(n1, "-j", "global").stdout == before
    assert cli(n1, "-j", "neighbor").stdout.strip() == "[]"
