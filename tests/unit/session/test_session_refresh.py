"""ROUTE-REFRESH both ways (RFC 2918, RFC 7313), with a fake clock.

Asked by the neighbor, the Adj-RIB-Out goes out again (framed by BoRR and EoRR when enhanced
route refresh was negotiated). Sent by the neighbor, BoRR marks its routes stale and EoRR, or
``STALE_PURGE`` seconds without one, withdraws those it did not announce again.
"""

from __future__ import annotations

from session_helpers import (
    V6,
    FakeSender,
    World,
    announced,
    announcement,
    neighbor,
    originate,
    refreshes,
    session,
    withdrawn,
)

from peerwise.session.routes import BORR, EORR
from peerwise.session.stale import STALE_PURGE
from peerwise.wire.messages import RouteRefresh

A = neighbor("192.0.2.2", 65002)
B = neighbor("192.0.2.3", 65003)
X, Y = "10.1.0.0/24", "10.2.0.0/24"


def _exporting(enhanced: bool) -> tuple[World, FakeSender]:
    world = World()
    originate(world.routes, "10.7.0.0/24")
    sender = world.up(session(A, enhanced=enhanced))
    world.clock.settle()
    sender.take()
    return world, sender


def test_a_route_refresh_resends_the_adj_rib_out() -> None:
    world, sender = _exporting(enhanced=False)
    world.routes.refresh(A.address, RouteRefresh(1, 1))
    assert announced(sender.messages) == {"10.7.0.0/24"}
    assert refreshes(sender.messages) == []


def test_with_enhanced_route_refresh_the_resend_is_framed_by_borr_and_eorr() -> None:
    world, sender = _exporting(enhanced=True)
    world.routes.refresh(A.address, RouteRefresh(1, 1))
    messages = sender.messages
    assert refreshes(messages) == [BORR, EORR]
    assert announced(messages[1:-1]) == {"10.7.0.0/24"}


def test_a_refresh_for_a_family_not_negotiated_is_ignored() -> None:
    world, sender = _exporting(enhanced=True)
    world.routes.refresh(A.address, RouteRefresh(*V6))
    assert sender.messages == []


def test_a_reserved_subtype_is_ignored() -> None:
    world, sender = _exporting(enhanced=True)
    world.routes.refresh(A.address, RouteRefresh(1, 1, 3))
    assert sender.messages == []


def _neighbor_sent(enhanced: bool) -> tuple[World, FakeSender]:
    """A announced X and Y; B sees them."""
    world = World()
    world.up(session(A, enhanced=enhanced))
    to_b = world.up(session(B))
    world.routes.received(A.address, announcement((X, Y), 65002))
    world.clock.settle()
    to_b.take()
    return world, to_b


def test_borr_marks_the_routes_stale_and_eorr_withdraws_those_not_sent_again() -> None:
    world, to_b = _neighbor_sent(enhanced=True)
    world.routes.refresh(A.address, RouteRefresh(1, 1, BORR))
    world.routes.received(A.address, announcement((X,), 65002))
    world.clock.settle()
    assert withdrawn(to_b.messages) == set()
    world.routes.refresh(A.address, RouteRefresh(1, 1, EORR))
    world.clock.settle()
    assert withdrawn(to_b.messages) == {Y}
    assert world.clock.timers == []  # the purge timer is stopped


def test_without_eorr_the_stale_routes_go_after_the_purge_time() -> None:
    world, to_b = _neighbor_sent(enhanced=True)
    world.routes.refresh(A.address, RouteRefresh(1, 1, BORR))
    world.routes.received(A.address, announcement((X,), 65002))
    world.clock.advance(STALE_PURGE - 1)
    assert withdrawn(to_b.messages) == set()
    world.clock.advance(1)
    assert withdrawn(to_b.messages) == {Y}


def test_borr_and_eorr_are_ignored_without_enhanced_route_refresh() -> None:
    world, to_b = _neighbor_sent(enhanced=False)
    world.routes.refresh(A.address, RouteRefresh(1, 1, BORR))
    world.routes.refresh(A.address, RouteRefresh(1, 1, EORR))
    world.clock.advance(STALE_PURGE)
    assert withdrawn(to_b.messages) == set()
    assert world.clock.timers == []


def test_a_session_going_down_stops_its_purge_timer() -> None:
    world = _neighbor_sent(enhanced=True)[0]
    world.routes.refresh(A.address, RouteRefresh(1, 1, BORR))
    world.routes.down(A.address)
    assert world.clock.timers == []
