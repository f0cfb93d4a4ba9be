"""OPEN checks, timer negotiation, capability negotiation and collision resolution, as tables."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peerwise.fsm
from peerwise.fsm import Direction, Settings, collision_loser, negotiate_capabilities
from peerwise.fsm import negotiated_timers as timers
from peerwise.wire.capabilities import (
    Capability,
    EnhancedRouteRefresh,
    ExtendedMessage,
    ExtendedNextHop,
    FourOctetAs,
    GracefulRestart,
    Multiprotocol,
    RouteRefreshCapability,
)

V4, V6 = (1, 1), (2, 1)

# (our hold, our keepalive, peer's hold) -> (negotiated hold, keepalive); RFC 4271 §4.2, §10
TIMERS = [
    (90, 30, 90, (90, 30)),
    (90, 30, 180, (90, 30)),
    (90, 30, 9, (9, 3)),  # keepalive at most a third of the hold time
    (90, 30, 0, (0, 0)),  # 0: no keepalives at all
    (0, 30, 90, (0, 0)),
    (90, 0, 90, (90, 30)),  # keepalive 0 configured: a third of the hold time
    (3, 30, 3, (3, 1)),
    (180, 60, 240, (180, 60)),
    (240, 10, 240, (240, 10)),
]


@pytest.mark.parametrize(("hold", "keepalive", "peer_hold", "expected"), TIMERS)
def test_negotiated_timers(hold: int, keepalive: int, peer_hold: int, expected: object) -> None:
    settings = Settings(65001, 65002, "10.0.0.1", hold_time=hold, keepalive=keepalive)
    assert timers(settings, peer_hold) == expected


BAD_SETTINGS = [
    {"hold_time": 1},
    {"hold_time": 2},
    {"hold_time": 65536},
    {"local_as": 0},
    {"peer_as": 2**32},
    {"router_id": "not-an-address"},
    {"connect_retry": 0},
]


@pytest.mark.parametrize("change", BAD_SETTINGS, ids=[str(c) for c in BAD_SETTINGS])
def test_settings_refuse_illegal_values(change: dict[str, object]) -> None:
    values: dict[str, object] = {"local_as": 65001, "peer_as": 65002, "router_id": "10.0.0.1"}
    values.update(change)
    with pytest.raises(ValueError):
        Settings(**values)  # type: ignore[arg-type]


def test_open_uses_as_trans_for_a_4_octet_as() -> None:
    """RFC 6793 §4.1: My Autonomous System carries AS_TRANS when the AS needs 4 octets."""
    assert Settings(4200000000, 65002, "10.0.0.1").open_message().my_as == 23456
    assert Settings(65001, 65002, "10.0.0.1").open_message().my_as == 65001


FULL: tuple[Capability, ...] = (
    Multiprotocol(1, 1),
    Multiprotocol(2, 1),
    RouteRefreshCapability(),
    ExtendedNextHop(((1, 1, 2),)),
    ExtendedMessage(),
    GracefulRestart(120),
    FourOctetAs(65001),
    EnhancedRouteRefresh(),
)

# (ours, theirs, field, expected value)
CAPS = [
    (FULL, FULL, "families", frozenset({V4, V6})),
    (FULL, (Multiprotocol(2, 1),), "families", frozenset({V6})),
    ((), (), "families", frozenset({V4})),  # RFC 4760 §8: no MP means IPv4 unicast
    (FULL, (), "families", frozenset({V4})),
    ((Multiprotocol(2, 1),), (), "families", frozenset()),
    (FULL, FULL, "four_octet_as", True),
    (FULL, (FourOctetAs(65002),), "four_octet_as", True),
    ((), (FourOctetAs(65002),), "four_octet_as", False),
    (FULL, (RouteRefreshCapability(),), "route_refresh", True),
    (FULL, (EnhancedRouteRefresh(),), "enhanced_route_refresh", True),
    (FULL, (RouteRefreshCapability(),), "enhanced_route_refresh", False),
    (FULL, (ExtendedMessage(),), "extended_message", True),
    ((ExtendedMessage(),), (), "extended_message", False),
    (FULL, (GracefulRestart(90),), "graceful_restart", True),
    (FULL, (ExtendedNextHop(((1, 1, 2),)),), "extended_nexthop", frozenset({(1, 1, 2)})),
    (FULL, (ExtendedNextHop(((1, 2, 2),)),), "extended_nexthop", frozenset()),
    (FULL, FULL, "names", tuple(c.NAME for c in FULL[1:])),
    (FULL, (FourOctetAs(1), RouteRefreshCapability()), "names", ("ROUTE_REFRESH", "ASN32")),
]


@pytest.mark.parametrize(("ours", "theirs", "field", "expected"), CAPS)
def test_capability_negotiation(
    ours: tuple[Capability, ...], theirs: tuple[Capability, ...], field: str, expected: object
) -> None:
    assert getattr(negotiate_capabilities(ours, theirs), field) == expected


# (our id, our AS, peer id, peer AS) -> the connection we close; RFC 4271 §6.8, RFC 6286 §2.3
COLLISIONS = [
    ("10.0.0.1", 65001, "10.0.0.2", 65002, Direction.OUTBOUND),
    ("10.0.0.2", 65002, "10.0.0.1", 65001, Direction.INBOUND),
    ("9.255.255.255", 1, "10.0.0.0", 1, Direction.OUTBOUND),  # numeric, not text, order
    ("10.0.0.9", 65001, "10.0.0.10", 65002, Direction.OUTBOUND),
    ("10.0.0.1", 65001, "10.0.0.1", 65002, Direction.OUTBOUND),  # equal ids: larger AS keeps
    ("10.0.0.1", 65002, "10.0.0.1", 65001, Direction.INBOUND),
]


@pytest.mark.parametrize(("local_id", "local_as", "remote_id", "remote_as", "loser"), COLLISIONS)
def test_collision_loser(
    local_id: str, local_as: int, remote_id: str, remote_as: int, loser: Direction
) -> None:
    assert collision_loser(local_id, local_as, remote_id, remote_as) is loser
    # Both speakers must pick the same TCP connection: the other side's view is the mirror.
    mirror = collision_loser(remote_id, remote_as, local_id, local_as)
    assert mirror is not loser


def test_fsm_imports_no_io() -> None:
    forbidden = {"asyncio", "socket", "time", "threading", "selectors", "paramiko"}
    for path in Path(peerwise.fsm.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        names |= {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
        }
        assert not names & forbidden, path.name
