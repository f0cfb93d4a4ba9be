"""What a peer's ``state`` leaves report: counters, notifications, times (ARCHITECTURE.md)."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Any

from peerwise.fsm import Down, Negotiated
from peerwise.wire.errors import SUBCODES, ErrorCode
from peerwise.wire.messages import Keepalive, Notification, Open, RouteRefresh, Update
from peerwise.wire.notification import notification_text

COUNTER_NAMES: dict[type, str] = {
    Open: "OPEN",
    Update: "UPDATE",
    Notification: "NOTIFICATION",
    Keepalive: "KEEPALIVE",
    RouteRefresh: "ROUTE-REFRESH",
}
ERROR_CODES = frozenset(int(c) for c in ErrorCode)


def _counters() -> dict[str, int]:
    return {**{name: 0 for name in COUNTER_NAMES.values()}, "DISCARDED": 0, "TOTAL": 0}


def _name(kind: type[enum.IntEnum], value: int) -> str:
    try:
        return kind(value).name
    except ValueError:
        return str(value)


def notification_state(note: Notification, when: float) -> dict[str, Any]:
    """``last-notification-sent/received``: names, words (with any RFC 9003 text), time."""
    table = SUBCODES.get(ErrorCode(note.code)) if note.code in ERROR_CODES else None
    code = _name(ErrorCode, note.code)
    subcode = _name(table, note.subcode) if table is not None else str(note.subcode)
    return {"code": code, "subcode": subcode, "text": notification_text(note), "time": int(when)}


@dataclass
class PeerStats:
    """Everything a peer remembers across its connections."""

    sent: dict[str, int] = field(default_factory=_counters)
    received: dict[str, int] = field(default_factory=_counters)
    established_transitions: int = 0
    flaps: int = 0
    last_established: float = 0.0
    up_since: float | None = None  # monotonic
    down_since: float | None = None  # monotonic: when it last left ESTABLISHED
    last_sent: dict[str, Any] | None = None
    last_received: dict[str, Any] | None = None
    last_error: str = ""
    negotiated: Negotiated | None = None
    peer_open: Open | None = None

    def count(self, table: dict[str, int], message: object, discarded: bool = False) -> None:
        table[COUNTER_NAMES[type(message)]] += 1
        table["TOTAL"] += 1
        if discarded:
            table["DISCARDED"] += 1

    def established(self, negotiated: Negotiated, peer_open: Open) -> None:
        self.established_transitions += 1
        self.last_established = time.time()
        self.up_since = time.monotonic()
        self.negotiated, self.peer_open = negotiated, peer_open
        self.last_error = ""

    def down(self, down: Down) -> None:
        now = time.time()
        if down.sent is not None:
            self.last_sent = notification_state(down.sent, now)
        if down.received is not None:
            self.last_received = notification_state(down.received, now)
        if down.was_established:
            self.flaps += 1
        if down.was_established:
            self.down_since = time.monotonic()
        self.up_since = None
        self.negotiated = None
        self.last_error = down.reason

    @property
    def uptime(self) -> int:
        return int(time.monotonic() - self.up_since) if self.up_since is not None else 0

    @property
    def downtime(self) -> int:
        """Seconds since the session last went down from ESTABLISHED (0 while up, or never up)."""
        if self.up_since is not None or self.down_since is None:
            return 0
        return int(time.monotonic() - self.down_since)
