"""Routes to Established sessions: the initial export and the per-turn batches.

A :class:`World` is a ``Routes`` on a fake clock: one ``turn`` is one event-loop turn.
"""

from __future__ import annotations

import pytest
from session_helpers import (
    V4,
    V6,
    World,
    announced,
    announcement,
    end_of_ribs,
    neighbor,
    originate,
    session,
    updates,
    withdrawal,
    withdrawn,
)

from peerwise.session import routes as routes_module

A = neighbor("192.0.2.2", 65002)
B = neighbor("192.0.2.3", 65003)


def test_a_new_session_gets_the_loc_rib_then_end_of_rib() -> None:
    world = World()
    originate(world.routes, "10.0.1.0/24", "10.0.2.0/24")
    sender = world.up(session(A))
    assert sender.messages == []  # nothing before the loop turns (as a task would)
    world.clock.settle()
    assert announced(sender.messages) == {"10.0.1.0/24", "10.0.2.0/24"}
    assert end_of_ribs(sender.messages) == [V4]
    assert end_of_ribs(sender.messages[-1:]) == [V4]  # End-of-RIB last (RFC 4724 §2)


def test_each_negotiated_family_ends_with_its_own_end_of_rib() -> None:
    world = World()
    originate(world.routes, "10.0.1.0/24", "2001:db8:1::/48")
    sender = world.up(session(A, families=(V4, V6)))
    world.clock.settle()
    assert announced(sender.messages) == {"10.0.1.0/24", "2001:db8:1::/48"}
    assert end_of_ribs(sender.messages) == [V4, V6]


def test_a_family_not_negotiated_is_not_exported() -> None:
    world = World()
    originate(world.routes, "10.0.1.0/24", "2001:db8:1::/48")
    sender = world.up(session(A, families=(V4,)))
    world.clock.settle()
    assert announced(sender.messages) == {"10.0.1.0/24"}


def test_a_big_table_goes_out_one_chunk_per_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes_module, "CHUNK", 2)
    world = World()
    originate(world.routes, *(f"10.0.{i}.0/24" for i in range(5)))
    world.clock.settle()
    sender = world.up(session(A))
    sent_per_turn = []
    while world.clock.turn():
        sent_per_turn.append(len(announced(sender.take())))
    assert sent_per_turn == [2, 2, 1, 0]  # the last turn: End-of-RIB only


def test_a_session_that_goes_down_mid_export_is_sent_nothing_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(routes_module, "CHUNK", 2)
    world = World()
    originate(world.routes, *(f"10.0.{i}.0/24" for i in range(5)))
    world.clock.settle()
    sender = world.up(session(A))
    world.clock.turn()
    world.routes.down(A.address)
    world.clock.settle()
    assert len(announced(sender.messages)) == 2
    assert end_of_ribs(sender.messages) == []


def test_what_one_neighbor_sends_in_a_turn_reaches_the_others_in_one_write() -> None:
    world = World()
    world.up(session(A))
    to_b = world.up(session(B))
    world.clock.settle()
    to_b.take()
    writes = to_b.writes
    world.routes.received(A.address, announcement(("10.1.0.0/24",), 65002))
    world.routes.received(A.address, announcement(("10.2.0.0/24",), 65002, 7))
    assert to_b.messages == []  # batched until the end of the turn
    world.clock.settle()
    assert announced(to_b.messages) == {"10.1.0.0/24", "10.2.0.0/24"}
    assert len(updates(to_b.messages)) == 2  # one per attribute set
    assert to_b.writes == writes + 1


def test_a_withdrawal_reaches_the_others() -> None:
    world = World()
    world.up(session(A))
    to_b = world.up(session(B))
    world.routes.received(A.address, announcement(("10.1.0.0/24",), 65002))
    world.clock.settle()
    to_b.take()
    world.routes.received(A.address, withdrawal(("10.1.0.0/24",)))
    world.clock.settle()
    assert withdrawn(to_b.messages) == {"10.1.0.0/24"}


def test_a_neighbor_going_down_withdraws_its_routes_from_the_others() -> None:
    world = World()
    world.up(session(A))
    to_b = world.up(session(B))
    world.routes.received(A.address, announcement(("10.1.0.0/24",), 65002))
    world.clock.settle()
    to_b.take()
    world.routes.down(A.address)
    world.clock.settle()
    assert withdrawn(to_b.messages) == {"10.1.0.0/24"}


def test_originated_routes_follow_the_config() -> None:
    world = World()
    sender = world.up(session(A))
    world.clock.settle()
    sender.take()
    configured = originate(world.routes, "10.7.0.0/24")
    world.clock.settle()
    assert announced(sender.take()) == {"10.7.0.0/24"}
    world.routes.sync(configured, {})
    world.clock.settle()
    assert withdrawn(sender.take()) == {"10.7.0.0/24"}


def test_a_soft_policy_change_withdraws_what_the_export_policy_now_rejects() -> None:
    world = World()
    sender = world.up(session(A))
    originate(world.routes, "10.7.0.0/24")
    world.clock.settle()
    sender.take()
    rejecting = neighbor(
        A.address,
        A.peer_as,
        **{"apply-policy": {"config": {"default-export-policy": "reject-route"}}},
    )
    world.routes.reconfigure(A.address, rejecting)
    world.clock.settle()
    assert withdrawn(sender.messages) == {"10.7.0.0/24"}


def test_a_change_the_rib_does_not_hold_sends_nothing() -> None:
    world = World()
    sender = world.up(session(A))
    originate(world.routes, "10.7.0.0/24")
    world.clock.settle()
    sender.take()
    world.routes.reconfigure(
        A.address, neighbor(A.address, A.peer_as, timers={"config": {"connect-retry": 5}})
    )
    world.clock.settle()
    assert sender.messages == []
