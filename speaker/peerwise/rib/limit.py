"""Per neighbor and family prefix limits (OpenConfig ``afi-safis/afi-safi/prefix-limit``).

RFC 4271 §6 leaves the reaction to too many routes a local matter; RFC 4486 §4 names the
Cease subcode for it, Maximum Number of Prefixes Reached, with the AFI (2 octets), SAFI
(1 octet) and the limit (4 octets) as its data.

The check costs nothing per prefix: the caller compares the family's accepted counter
(``AdjRib.accepted``) with the limit once per batch of UPDATEs. :func:`level` places the
count under the limit, at the warning threshold or over it; :func:`action` says what a move
between two levels calls for: a move up warns or tears down, a move down does nothing (it
arms the warning again).
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from peerwise.wire.errors import CeaseSubcode, ErrorCode
from peerwise.wire.families import Family
from peerwise.wire.messages import Notification


@dataclass(frozen=True)
class PrefixLimit:
    """One family's limit. ``threshold_pct`` 0: no early warning; ``restart_timer`` 0: after a
    teardown the session stays down until an operator re-enables it."""

    max_prefixes: int
    prevent_teardown: bool = False
    threshold_pct: int = 0
    restart_timer: float = 0.0

    @property
    def threshold(self) -> int:
        """The accepted count at which the warning is due (rounded up, at least 1)."""
        if not self.threshold_pct:
            return self.max_prefixes + 1
        return max(1, -(-self.max_prefixes * self.threshold_pct // 100))


class Level(enum.IntEnum):
    """Where an accepted count stands against a limit."""

    UNDER = 0
    THRESHOLD = 1  # at or past shutdown-threshold-pct of max-prefixes
    OVER = 2  # more than max-prefixes


class LimitAction(enum.Enum):
    NONE = "none"
    WARN = "warn"
    TEARDOWN = "teardown"


def level(limit: PrefixLimit, accepted: int) -> Level:
    if accepted > limit.max_prefixes:
        return Level.OVER
    return Level.THRESHOLD if accepted >= limit.threshold else Level.UNDER


# (new level, prevent-teardown) -> the action when the count has moved up to that level
_ON_RISE: dict[tuple[Level, bool], LimitAction] = {
    (Level.THRESHOLD, False): LimitAction.WARN,
    (Level.THRESHOLD, True): LimitAction.WARN,
    (Level.OVER, False): LimitAction.TEARDOWN,
    (Level.OVER, True): LimitAction.WARN,
}


def action(limit: PrefixLimit, old: Level, new: Level) -> LimitAction:
    """What moving from ``old`` to ``new`` calls for: once per rise, never per prefix."""
    if new <= old:
        return LimitAction.NONE
    return _ON_RISE[(new, limit.prevent_teardown)]


def notification(family: Family, limit: PrefixLimit) -> Notification:
    """Cease / Maximum Number of Prefixes Reached with the RFC 4486 §4 data."""
    data = struct.pack("!HBI", family[0], family[1], limit.max_prefixes)
    return Notification(ErrorCode.CEASE, CeaseSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, data)
