"""The seed's next step: a route added on node1 with the CLI reaches node2's RIB.

Two ``peerwised`` (AS 65001 on 127.0.70.1, AS 65002 on 127.0.70.2), the ``peerwise`` CLI
over each one's socket; a route is config, so ``rib add`` / ``rib del`` edit running.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from speaker_helpers import DEADLINE, POLL, Daemon, toml_config
from test_seed import cli, wait_api, wait_state

NODE1, NODE2 = "127.0.70.1", "127.0.70.2"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Daemon, Daemon]]:
    node1 = Daemon(tmp_path, "node1", toml_config(65001, NODE1, [(NODE2, 65002)]))
    node2 = Daemon(tmp_path, "node2", toml_config(65002, NODE2, [(NODE1, 65001)]))
    try:
        for d in (node1, node2):
            wait_api(d)
        wait_state(node1, NODE2)
        wait_state(node2, NODE1)
        yield node1, node2
    finally:
        for d in (node1, node2):
            d.stop()


def eventually(check: Callable[[], object]) -> object:
    end = time.monotonic() + DEADLINE
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        time.sleep(POLL)


def rib(d: Daemon, *words: str) -> list[dict[str, object]]:
    out = cli(d, "-j", "global", "rib", *words)
    return list(json.loads(out.stdout))


def prefixes(d: Daemon, peer: str) -> dict[str, int]:
    return dict(json.loads(cli(d, "-j", "neighbor", peer).stdout)["state"]["prefixes"])


def test_a_route_added_on_node1_reaches_node2_and_is_counted(pair: tuple[Daemon, Daemon]) -> None:
    node1, node2 = pair
    cli(node1, "global", "rib", "add", "-a", "ipv4", "10.0.0.0/24", "community", "65001:7")
    routes = eventually(lambda: rib(node2, "-a", "ipv4", "10.0.0.0/24"))
    assert isinstance(routes, list) and len(routes) == 1
    (route,) = routes
    assert (route["prefix"], route["as-path"], route["next-hop"]) == ("10.0.0.0/24", "65001", NODE1)
    assert route["best"] is True and route["communities"] == ["65001:7"]
    assert prefixes(node2, NODE1) == {"received": 1, "accepted": 1, "advertised": 0}
    assert eventually(lambda: prefixes(node1, NODE2)["advertised"] == 1)
    table = cli(node2, "global", "rib").stdout
    assert "*> 10.0.0.0/24" in table and "Network" in table
    adj_in = json.loads(cli(node2, "-j", "neighbor", NODE1, "adj-in").stdout)
    assert [r["prefix"] for r in adj_in] == ["10.0.0.0/24"]
    summary = json.loads(cli(node2, "-j", "global", "rib", "summary").stdout)
    assert {"afi-safi-name": "ipv4-unicast", "total-prefixes": 1}.items() <= summary[0].items()
    cli(node1, "global", "rib", "del", "-a", "ipv4", "10.0.0.0/24")
    assert eventually(lambda: not rib(node2, "-a", "ipv4"))
    assert prefixes(node2, NODE1) == {"received": 0, "accepted": 0, "advertised": 0}


# (words after `rib add`, the path the refusal names)
BAD_ROUTES = [
    (["-a", "ipv4", "10.0.0.300/24"], "prefix"),
    (["-a", "ipv4", "10.0.1.0/24", "nexthop", "2001:db8::1"], "next-hop"),
    (["-a", "ipv4", "10.0.2.0/24", "med", "4294967296"], "med"),
]


@pytest.mark.parametrize(("words", "leaf"), BAD_ROUTES)
def test_a_bad_route_is_refused_with_its_path_and_nothing_changes(
    pair: tuple[Daemon, Daemon], words: list[str], leaf: str
) -> None:
    node1, _ = pair
    before = cli(node1, "-j", "config", "show").stdout
    out = cli(node1, "global", "rib", "add", *words, check=False)
    assert out.returncode == 1 and leaf in out.stderr and "error" in out.stderr
    assert cli(node1, "-j", "config", "show").stdout == before
