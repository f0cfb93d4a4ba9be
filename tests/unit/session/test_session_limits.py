"""Prefix limits on a session (``afi-safis/afi-safi/prefix-limit``, RFC 4486 §4).

The count is checked once per event-loop turn, before the turn's changes go out: past the
limit the session is torn down with Cease / Maximum Number of Prefixes Reached, and what the
neighbor sent never reaches the others; the warning threshold is logged once per rise.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from session_helpers import World, announced, announcement, neighbor, session

from peerwise.rib.limit import notification
from peerwise.wire.families import IPV4_UNICAST

B = neighbor("192.0.2.3", 65003)
PREFIXES = tuple(f"10.0.{i}.0/24" for i in range(4))


def limited(**limit: Any) -> Any:
    family = {"config": {"afi-safi-name": "ipv4-unicast"}, "prefix-limit": {"config": limit}}
    return neighbor("192.0.2.2", 65002, **{"afi-safis": [family]})


def test_more_prefixes_than_the_limit_tear_the_session_down_before_they_go_out() -> None:
    a = limited(**{"max-prefixes": 3, "restart-timer": 30})
    world = World()
    to_a = world.up(session(a))
    to_b = world.up(session(B))
    world.clock.settle()
    world.routes.received(a.address, announcement(PREFIXES, 65002))
    world.clock.settle()
    limit = a.limits[IPV4_UNICAST]
    assert [(t[0], t[2]) for t in to_a.teardowns] == [(notification(IPV4_UNICAST, limit), 30.0)]
    assert announced(to_b.messages) == set()


def test_the_limit_itself_is_allowed() -> None:
    a = limited(**{"max-prefixes": 4})
    world = World()
    to_a = world.up(session(a))
    world.routes.received(a.address, announcement(PREFIXES, 65002))
    world.clock.settle()
    assert to_a.teardowns == []


def test_prevent_teardown_only_warns(caplog: pytest.LogCaptureFixture) -> None:
    a = limited(**{"max-prefixes": 2, "prevent-teardown": True})
    world = World()
    to_a = world.up(session(a))
    with caplog.at_level(logging.WARNING, logger="peerwise.session"):
        world.routes.received(a.address, announcement(PREFIXES, 65002))
        world.clock.settle()
    assert to_a.teardowns == []
    assert "(warning only)" in caplog.text


def test_the_warning_threshold_is_logged_once_per_rise(caplog: pytest.LogCaptureFixture) -> None:
    a = limited(**{"max-prefixes": 10, "shutdown-threshold-pct": 20})
    world = World()
    world.up(session(a))
    with caplog.at_level(logging.WARNING, logger="peerwise.session"):
        for prefix in PREFIXES:
            world.routes.received(a.address, announcement((prefix,), 65002))
            world.clock.settle()
    assert caplog.text.count("prefix limit 10 reached") == 1


def test_a_limit_lowered_below_the_count_acts_at_the_config_change() -> None:
    a = limited(**{"max-prefixes": 10})
    world = World()
    to_a = world.up(session(a))
    world.routes.received(a.address, announcement(PREFIXES, 65002))
    world.clock.settle()
    world.routes.reconfigure(a.address, limited(**{"max-prefixes": 2}))
    world.routes.sync({}, {})
    assert len(to_a.teardowns) == 1
