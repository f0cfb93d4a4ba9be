"""The CLI's pure formatters: state data in, GoBGP-shaped text out."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from peerwise.cli import format as fmt

DATA = Path(__file__).parent / "data"
NOW = 1_764_115_963

MPBGP_V4 = {"name": "MPBGP", "code": 1, "afi-safi": "ipv4-unicast"}
ESTABLISHED: dict[str, Any] = {
    "config": {"neighbor-address": "192.168.33.11", "peer-as": 65002},
    "state": {
        "neighbor-address": "192.168.33.11",
        "peer-as": 65002,
        "session-state": "ESTABLISHED",
        "admin-state": "START",
        "remote-router-id": "192.168.33.11",
        "bgp-version": 4,
        "last-established": NOW - 763,
        "uptime": 763,
        "flaps": 0,
        "capabilities": {
            "advertised": [
                MPBGP_V4,
                {"name": "ROUTE_REFRESH", "code": 2},
                {
                    "name": "EXTENDED_NEXTHOP",
                    "code": 5,
                    "tuples": [{"afi-safi": "ipv4-unicast", "nexthop-afi": "ipv6"}],
                },
                {"name": "ASN32", "code": 65, "as": 65001},
            ],
            "received": [
                MPBGP_V4,
                {"name": "ROUTE_REFRESH", "code": 2},
                {"name": "ASN32", "code": 65, "as": 65002},
            ],
        },
        "messages": {
            side: {
                "OPEN": 1,
                "UPDATE": 0,
                "NOTIFICATION": 0,
                "KEEPALIVE": 26,
                "ROUTE-REFRESH": 0,
                "DISCARDED": 0,
                "TOTAL": 27,
            }
            for side in ("sent", "received")
        },
        "prefixes": {"received": 0, "accepted": 0, "advertised": 0},
    },
    "timers": {
        "config": {"hold-time": 90, "keepalive-interval": 30},
        "state": {"negotiated-hold-time": 90, "keepalive-interval": 30},
    },
}


def variant(**state: Any) -> dict[str, Any]:
    neighbor = copy.deepcopy(ESTABLISHED)
    neighbor["state"].update(state)
    return neighbor


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00:00"),
        (763, "00:12:43"),
        (86399, "23:59:59"),
        (93784, "1d 02:03:04"),
        (10 * 86400, "10d 00:00:00"),
    ],
)
def test_duration(seconds: int, text: str) -> None:
    assert fmt.duration(seconds) == text


@pytest.mark.parametrize(
    ("state", "short", "up_down"),
    [
        ({}, "Establ", "00:12:43"),
        ({"session-state": "IDLE", "uptime": 0, "last-established": 0}, "Idle", "never"),
        # Once it has been up: the time since it went down, as GoBGP's Up/Down column shows.
        ({"session-state": "CONNECT", "uptime": 0, "downtime": 5}, "Connect", "00:00:05"),
        ({"session-state": "ACTIVE", "uptime": 0, "downtime": 3725}, "Active", "01:02:05"),
        ({"session-state": "OPENSENT", "downtime": 90061}, "Opensent", "1d 01:01:01"),
        ({"session-state": "OPENCONFIRM", "downtime": 0}, "Openconfirm", "00:00:00"),
        (
            {"session-state": "IDLE", "admin-state": "STOP", "downtime": 59},
            "Idle(Admin)",
            "00:00:59",
        ),
    ],
)
def test_short_state_and_up_down(state: dict[str, Any], short: str, up_down: str) -> None:
    neighbor = variant(**state)
    assert (fmt.short_state(neighbor), fmt.up_down(neighbor)) == (short, up_down)


def test_neighbor_table_matches_gobgp() -> None:
    assert fmt.neighbor_table([ESTABLISHED]) == (DATA / "neighbor_table.txt").read_text()


def test_neighbor_table_widens_columns() -> None:
    wide = variant(
        **{
            "neighbor-address": "2001:db8::1234:5678",
            "peer-as": 4200000000,
            "prefixes": {"received": 12, "accepted": 10},
        }
    )
    lines = fmt.neighbor_table([ESTABLISHED, wide]).splitlines()
    assert lines[0] == "Peer                        AS  Up/Down State       |#Received  Accepted"
    assert lines[2] == "2001:db8::1234:5678 4200000000 00:12:43 Establ      |       12        10"
    assert len({line.index("|") for line in lines}) == 1


def test_empty_table_is_the_header() -> None:
    assert fmt.neighbor_table([]) == "Peer AS Up/Down State       |#Received  Accepted\n"


def test_neighbor_detail_matches_gobgp() -> None:
    assert fmt.neighbor_detail(ESTABLISHED, NOW) == (DATA / "neighbor_detail.txt").read_text()


NOTIFICATION = {
    "code": "CEASE",
    "subcode": "ADMINISTRATIVE_SHUTDOWN",
    "text": "Cease / Administrative Shutdown",
    "time": NOW - 60,
}


@pytest.mark.parametrize(
    ("state", "expected_lines"),
    [
        (
            {"last-notification-sent": NOTIFICATION},
            ["  Last notification sent: Cease / Administrative Shutdown, 00:01:00 ago"],
        ),
        (
            {"last-notification-received": NOTIFICATION},
            ["  Last notification received: Cease / Administrative Shutdown, 00:01:00 ago"],
        ),
        (
            {"session-state": "ACTIVE", "last-error": "connection refused"},
            ["  BGP state = ACTIVE", "  Last error: connection refused"],
        ),
        ({"flaps": 3}, ["  BGP OutQ = 0, Flops = 3"]),
    ],
)
def test_neighbor_detail_variants(state: dict[str, Any], expected_lines: list[str]) -> None:
    lines = fmt.neighbor_detail(variant(**state), NOW).splitlines()
    for line in expected_lines:
        assert line in lines


@pytest.mark.parametrize(
    ("cap", "text"),
    [
        (
            {"name": "GRACEFUL_RESTART", "restart-time": 120, "afi-safis": ["ipv4-unicast"]},
            "restart time 120 sec, ipv4-unicast",
        ),
        (
            {"name": "FQDN", "hostname": "h1", "domain": "example.net"},
            "name: h1, domain: example.net",
        ),
        ({"name": "UNKNOWN", "code": 99, "value": "0a0b"}, "value: 0a0b"),
        ({"name": "ROUTE_REFRESH", "code": 2}, ""),
    ],
)
def test_capability_values(cap: dict[str, Any], text: str) -> None:
    assert fmt.cap_values(cap) == text


def test_received_only_capability() -> None:
    state = {
        "capabilities": {
            "advertised": [],
            "received": [{"name": "FQDN", "code": 73, "hostname": "r2", "domain": ""}],
        }
    }
    assert fmt.capability_lines(state) == [
        "    fqdn:\treceived",
        "        Remote: name: r2, domain:",
    ]


@pytest.mark.parametrize(
    ("glob", "text"),
    [
        (
            {"config": {"as": 65001, "router-id": "192.0.2.1"}},
            "AS:        65001\nRouter-ID: 192.0.2.1\nListening Port: 179, Addresses: 0.0.0.0, ::\n",
        ),
        (
            {
                "config": {
                    "as": 1,
                    "router-id": "10.0.0.1",
                    "port": 1179,
                    "local-address-list": ["127.0.0.1"],
                },
                "state": {"as": 2},
            },
            "AS:        2\nRouter-ID: 10.0.0.1\nListening Port: 1179, Addresses: 127.0.0.1\n",
        ),
    ],
)
def test_global_text(glob: dict[str, Any], text: str) -> None:
    assert fmt.global_text(glob) == text


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.1']"
            "/pw-bgp:config/pw-bgp:peer-as",
            "bgp/neighbors/neighbor[192.0.2.1]/config/peer-as",
        ),
        ("/pw-bgp:bgp/pw-bgp:global/pw-bgp:config/pw-bgp:as", "bgp/global/config/as"),
        ("/nc:rpc/nc:frob", "rpc/frob"),
        ("", ""),
    ],
)
def test_human_path(path: str, text: str) -> None:
    assert fmt.human_path(path) == text


def _limited(limit: dict[str, Any]) -> dict[str, Any]:
    neighbor = copy.deepcopy(ESTABLISHED)
    family = {"config": {"afi-safi-name": "ipv4-unicast"}, "prefix-limit": {"state": limit}}
    neighbor["afi-safis"] = [family]
    return neighbor


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ({"max-prefixes": 1000}, ["  ipv4-unicast: Maximum prefixes allowed 1000"]),
        (
            {"max-prefixes": 1000, "prevent-teardown": True, "shutdown-threshold-pct": 75},
            [
                "  ipv4-unicast: Maximum prefixes allowed 1000 (warning-only)",
                "    Threshold for warning message 75%",
            ],
        ),
        (
            {"max-prefixes": 5, "restart-timer": 30},
            ["  ipv4-unicast: Maximum prefixes allowed 5", "    Restart after 30 s"],
        ),
        ({"prevent-teardown": True}, []),  # no max-prefixes: no limit, no line
    ],
)
def test_neighbor_detail_prefix_limit(limit: dict[str, Any], expected: list[str]) -> None:
    lines = fmt.neighbor_detail(_limited(limit), NOW).splitlines()
    plain = fmt.neighbor_detail(ESTABLISHED, NOW).splitlines()
    assert lines == plain + expected
