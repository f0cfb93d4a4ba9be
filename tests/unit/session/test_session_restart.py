"""Graceful restart, receiving speaker (RFC 4724 §4.2), with a fake clock.

A session lost without a NOTIFICATION keeps the routes of the families the neighbor's last
OPEN listed, stale, for its restart time. If it comes back listing them with the F bit, what
is still stale at its End-of-RIB goes; without the F bit, all that is stale goes at once.
"""

from __future__ import annotations

from session_helpers import (
    V4,
    FakeSender,
    World,
    announcement,
    neighbor,
    session,
    withdrawn,
)

from peerwise.session.stale import STALE_PATH
from peerwise.wire.update import end_of_rib

A = neighbor("192.0.2.2", 65002)
B = neighbor("192.0.2.3", 65003)
X, Y = "10.1.0.0/24", "10.2.0.0/24"
RESTART = 120
GR = (RESTART, (V4,))


def _lost(
    graceful: bool = True, restart: tuple[int, tuple[tuple[int, int], ...]] = GR
) -> tuple[World, FakeSender]:
    """A (graceful-restart capable) announced X and Y, B saw them, A's session was lost."""
    world = World()
    world.up(session(A, restart=GR))
    to_b = world.up(session(B))
    world.routes.received(A.address, announcement((X, Y), 65002))
    world.clock.settle()
    to_b.take()
    world.routes.down(A.address, graceful=graceful)
    world.clock.settle()
    return world, to_b


def test_a_session_lost_without_notification_keeps_its_routes_for_the_restart_time() -> None:
    world, to_b = _lost()
    assert withdrawn(to_b.messages) == set()
    world.clock.advance(RESTART - 1)
    assert withdrawn(to_b.messages) == set()
    world.clock.advance(1)
    assert withdrawn(to_b.messages) == {X, Y}


def test_a_session_that_ended_with_a_notification_is_withdrawn_at_once() -> None:
    to_b = _lost(graceful=False)[1]
    assert withdrawn(to_b.messages) == {X, Y}


def test_a_neighbor_without_graceful_restart_is_withdrawn_at_once() -> None:
    world = World()
    world.up(session(A))
    to_b = world.up(session(B))
    world.routes.received(A.address, announcement((X,), 65002))
    world.clock.settle()
    world.routes.down(A.address, graceful=True)
    world.clock.settle()
    assert withdrawn(to_b.messages) == {X}


def test_what_is_still_stale_at_the_returning_neighbors_end_of_rib_goes() -> None:
    world, to_b = _lost()
    world.up(session(A, restart=GR))
    world.routes.received(A.address, announcement((X,), 65002))
    world.clock.settle()
    assert withdrawn(to_b.messages) == set()
    world.routes.received(A.address, end_of_rib())
    world.clock.settle()
    assert withdrawn(to_b.messages) == {Y}
    world.clock.advance(RESTART + STALE_PATH)
    assert withdrawn(to_b.messages) == {Y}  # X stays: it was announced again


def test_without_end_of_rib_the_stale_routes_go_after_the_stale_path_time() -> None:
    world, to_b = _lost()
    world.up(session(A, restart=GR))
    world.routes.received(A.address, announcement((X,), 65002))
    world.clock.advance(STALE_PATH - 1)
    assert withdrawn(to_b.messages) == set()
    world.clock.advance(1)
    assert withdrawn(to_b.messages) == {Y}


def test_a_returning_neighbor_without_the_f_bit_has_its_stale_routes_purged_at_once() -> None:
    world, to_b = _lost()
    world.up(session(A, restart=(RESTART, ())))
    world.clock.settle()
    assert withdrawn(to_b.messages) == {X, Y}


def test_a_removed_neighbor_takes_its_kept_routes_along() -> None:
    world, to_b = _lost()
    world.routes.forget(A.address)
    world.clock.settle()
    assert withdrawn(to_b.messages) == {X, Y}
    assert world.clock.timers == []


def test_the_restart_timer_does_not_remove_a_neighbor_that_came_back() -> None:
    world, to_b = _lost()
    world.up(session(A, restart=GR))
    world.routes.received(A.address, announcement((X, Y), 65002))
    world.routes.received(A.address, end_of_rib())
    world.clock.advance(RESTART + STALE_PATH)
    assert withdrawn(to_b.messages) == set()
