"""What goes into the state machine: states, timers and events (RFC 4271 §8.1).

Events are frozen values. A timer firing is one more event, so nothing here knows a clock.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from peerwise.wire.errors import BGPError
from peerwise.wire.messages import Message, Notification


class State(enum.Enum):
    """RFC 4271 §8.2.2; names are the model's ``session-state`` values."""

    IDLE = "IDLE"
    CONNECT = "CONNECT"
    ACTIVE = "ACTIVE"
    OPENSENT = "OPENSENT"
    OPENCONFIRM = "OPENCONFIRM"
    ESTABLISHED = "ESTABLISHED"


class Timer(enum.Enum):
    """RFC 4271 §10 timers the FSM asks its driver to run."""

    CONNECT_RETRY = "connect-retry"
    HOLD = "hold"
    KEEPALIVE = "keepalive"


@dataclass(frozen=True)
class ManualStart:
    """RFC 4271 §8.1.2 events 1 and 4: ``passive`` waits for the peer this once."""

    passive: bool = False


@dataclass(frozen=True)
class ManualStop:
    """RFC 4271 §8.1.2 event 2. ``notification`` defaults to Cease / Administrative Shutdown."""

    notification: Notification | None = None
    reason: str = "stopped by operator"


@dataclass(frozen=True)
class CollisionLost:
    """RFC 4271 §6.8: this connection lost the collision and is closed with a Cease."""


@dataclass(frozen=True)
class TcpConnected:
    """RFC 4271 §8.1.4 event 16/17: our outbound connection succeeded."""


@dataclass(frozen=True)
class TcpAccepted:
    """RFC 4271 §8.1.4 event 17: the peer connected to us."""


@dataclass(frozen=True)
class TcpFailed:
    """RFC 4271 §8.1.4 event 18: the outbound attempt failed."""

    reason: str = "connection failed"


@dataclass(frozen=True)
class TcpClosed:
    """RFC 4271 §8.1.4 event 18: an open connection was closed by the peer or the network."""

    reason: str = "connection closed"


@dataclass(frozen=True)
class MessageReceived:
    """RFC 4271 §8.1.5 events 19-27: one decoded message."""

    message: Message


@dataclass(frozen=True)
class DecodeError:
    """RFC 4271 §8.1.5 events 21/22/28: the codec refused a message."""

    error: BGPError


@dataclass(frozen=True)
class ConnectRetryExpired:
    """RFC 4271 §8.1.3 event 9."""


@dataclass(frozen=True)
class HoldExpired:
    """RFC 4271 §8.1.3 event 10."""


@dataclass(frozen=True)
class KeepaliveExpired:
    """RFC 4271 §8.1.3 event 11."""


Event = (
    ManualStart
    | ManualStop
    | CollisionLost
    | TcpConnected
    | TcpAccepted
    | TcpFailed
    | TcpClosed
    | MessageReceived
    | DecodeError
    | ConnectRetryExpired
    | HoldExpired
    | KeepaliveExpired
)

TIMER_EVENTS: dict[type[Event], Timer] = {
    ConnectRetryExpired: Timer.CONNECT_RETRY,
    HoldExpired: Timer.HOLD,
    KeepaliveExpired: Timer.KEEPALIVE,
}
