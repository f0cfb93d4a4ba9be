"""The pure prefix-limit rules (``peerwise.rib.limit``): levels, actions, RFC 4486 §4 data."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.rib.limit import Level, LimitAction, PrefixLimit, action, level, notification
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
        (TEN, Level.UNDER, 5, LimitAction.NONE),  # under
        (TEN, Level.UNDER, 8, LimitAction.WARN),  # at the threshold: warning
        (TEN, Level.THRESHOLD, 9, LimitAction.NONE),  # warned once, not per UPDATE
        (TEN, Level.THRESHOLD, 11, LimitAction.TEARDOWN),  # over: Cease
        (TEN, Level.UNDER, 11, LimitAction.TEARDOWN),  # straight over in one batch
        (TEN, Level.OVER, 5, LimitAction.NONE),  # falling back does nothing
        (TEN_WARN_ONLY, Level.UNDER, 8, LimitAction.WARN),
        (TEN_WARN_ONLY, Level.THRESHOLD, 11, LimitAction.WARN),  # prevent-teardown: only a warning
        (TEN_WARN_ONLY, Level.OVER, 12, LimitAction.NONE),
    ],
)
def test_action(limit: PrefixLimit, old: Level, accepted: int, expected: LimitAction) -> None:
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
