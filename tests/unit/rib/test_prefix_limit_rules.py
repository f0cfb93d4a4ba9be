"""The pure prefix-limit rules (``peerwise.rib.limit``): levels, actions, RFC 4486 §4 data."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.rib.limit import Action, Level, PrefixLimit, action, level, limits, notification
from peerwise.wire.errors import CeaseSubcode, ErrorCode
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST
from peerwise.wire.messages import Notification

TEN = PrefixLimit(10, threshold_pct=75)  # the warning is due at 8 (7.5 rounded up)
TEN_WARN_ONLY = PrefixLimit(10, prevent_teardown=True, threshold_pct=75)


@pytest.mark.parametrize(
    ("limit", "accepted", "expected"),
    [
        (TEN, 0, Level.UNDER),
        (TEN, 7, Level.UNDER),
        (TEN, 8, Level.THRESHOLD),
        (TEN, 10, Level.THRESHOLD),  # the limit itself is allowed
        (TEN, 11, Level.OVER),
        (PrefixLimit(10), 10, Level.UNDER),  # no threshold: no early warning
        (PrefixLimit(10), 11, Level.OVER),
        (PrefixLimit(0), 1, Level.OVER),
        (PrefixLimit(3, threshold_pct=1), 1, Level.THRESHOLD),  # at least one prefix
        (PrefixLimit(3, threshold_pct=100), 3, Level.THRESHOLD),
    ],
)
def test_level(limit: PrefixLimit, accepted: int, expected: Level) -> None:
    assert level(limit, accepted) is expected


@pytest.mark.parametrize(
    ("limit", "old", "accepted", "expected"),
    [
        (TEN, Level.UNDER, 5, Action.NONE),  # under
        (TEN, Level.UNDER, 8, Action.WARN),  # at the threshold: warning
        (TEN, Level.THRESHOLD, 9, Action.NONE),  # warned once, not per UPDATE
        (TEN, Level.THRESHOLD, 11, Action.TEARDOWN),  # over: Cease
        (TEN, Level.UNDER, 11, Action.TEARDOWN),  # straight over in one batch
        (TEN, Level.OVER, 5, Action.NONE),  # falling back does nothing
        (TEN_WARN_ONLY, Level.UNDER, 8, Action.WARN),
        (TEN_WARN_ONLY, Level.THRESHOLD, 11, Action.WARN),  # prevent-teardown: only a warning
        (TEN_WARN_ONLY, Level.OVER, 12, Action.NONE),
    ],
)
def test_action(limit: PrefixLimit, old: Level, accepted: int, expected: Action) -> None:
    assert action(limit, old, level(limit, accepted)) is expected


@pytest.mark.parametrize(
    ("family", "maximum", "data"),
    [
        (IPV4_UNICAST, 1000, bytes.fromhex("000101000003e8")),
        (IPV6_UNICAST, 3, bytes.fromhex("00020100000003")),
        (IPV4_UNICAST, 2**32 - 1, bytes.fromhex("000101ffffffff")),
    ],
)
def test_notification_carries_afi_safi_and_limit(family: Any, maximum: int, data: bytes) -> None:
    expected = Notification(ErrorCode.CEASE, CeaseSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, data)
    assert notification(family, PrefixLimit(maximum)) == expected


def _family(name: str, **limit: Any) -> dict[str, Any]:
    return {"config": {"afi-safi-name": name}, "prefix-limit": {"config": limit}}


@pytest.mark.parametrize(
    ("afi_safis", "expected"),
    [
        (None, {}),
        ([{"config": {"afi-safi-name": "ipv4-unicast"}}], {}),
        ([_family("ipv4-unicast", **{"prevent-teardown": True})], {}),  # no max: no limit
        (
            [_family("ipv6-unicast", **{"max-prefixes": 5, "restart-timer": 2})],
            {IPV6_UNICAST: PrefixLimit(5, restart_timer=2.0)},
        ),
        (
            [
                _family("ipv4-unicast", **{"max-prefixes": 9, "shutdown-threshold-pct": 50}),
                _family("ipv6-unicast", **{"max-prefixes": 1, "prevent-teardown": True}),
            ],
            {
                IPV4_UNICAST: PrefixLimit(9, threshold_pct=50),
                IPV6_UNICAST: PrefixLimit(1, prevent_teardown=True),
            },
        ),
    ],
)
def test_limits_from_config(afi_safis: Any, expected: dict[Any, PrefixLimit]) -> None:
    assert limits(afi_safis) == expected
