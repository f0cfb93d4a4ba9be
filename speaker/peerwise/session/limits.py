"""Prefix limits on the established sessions (``afi-safis/afi-safi/prefix-limit``).

The rules are ``peerwise.rib.limit``'s; this is the bookkeeping. A neighbor that sent UPDATEs
is marked (:meth:`LimitWatch.grew`) and checked once per event-loop turn, before the turn's
changes are exported: one comparison of each limited family's accepted counter with its
limit, none per prefix. Past the limit the session is to be closed with Cease / Maximum
Number of Prefixes Reached (RFC 4486 §4), or only a warning is logged with prevent-teardown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from peerwise.rib.limit import Level, LimitAction, PrefixLimit, action, level, notification
from peerwise.wire.families import Family, family_name
from peerwise.wire.messages import Notification

log = logging.getLogger("peerwise.session")


@dataclass(frozen=True)
class Teardown:
    """A session to close for too many prefixes, and when to start it again (0: never)."""

    notification: Notification
    reason: str
    restart: float


class LimitWatch:
    """Where each neighbor's accepted counts stand against its limits, by address."""

    def __init__(self) -> None:
        self._grown: set[str] = set()  # sent UPDATEs since the last check
        self._levels: dict[tuple[str, Family], Level] = {}

    def grew(self, address: str) -> bool:
        """Mark ``address`` for the next check; True the first time in a turn."""
        if address in self._grown:
            return False
        self._grown.add(address)
        return True

    def take_grown(self) -> set[str]:
        grown, self._grown = self._grown, set()
        return grown

    def check(
        self,
        address: str,
        accepted: Mapping[Family, int],
        limits: Mapping[Family, PrefixLimit],
    ) -> Teardown | None:
        """Warn once per rise past a threshold; the teardown due, if any."""
        for family, limit in limits.items():
            old = self._levels.get((address, family), Level.UNDER)
            count = accepted.get(family, 0)
            new = self._levels[(address, family)] = level(limit, count)
            todo = action(limit, old, new)
            what = f"prefix limit {limit.max_prefixes} reached for {family_name(*family)}"
            if todo is LimitAction.WARN:
                log.warning("neighbor %s: %s prefixes accepted, %s%s", address, count,
                            what, " (warning only)" if new is Level.OVER else "")  # fmt: skip
            elif todo is LimitAction.TEARDOWN:
                return Teardown(notification(family, limit), what, limit.restart_timer)
        return None

    def forget(self, address: str) -> None:
        self._grown.discard(address)
        for key in [k for k in self._levels if k[0] == address]:
            del self._levels[key]
