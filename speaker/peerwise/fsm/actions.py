"""What comes out of the state machine: the driver (``peerwise.session``) carries these out."""

from __future__ import annotations

from dataclasses import dataclass

from peerwise.fsm.events import State, Timer
from peerwise.fsm.negotiate import Negotiated
from peerwise.wire.messages import Message, Notification, Open


@dataclass(frozen=True)
class Connect:
    """Open an outbound TCP connection to the peer."""


@dataclass(frozen=True)
class Send:
    """Write one message on the connection."""

    message: Message


@dataclass(frozen=True)
class StartTimer:
    """(Re)arm a timer; it comes back as the matching ``*Expired`` event."""

    timer: Timer
    seconds: int


@dataclass(frozen=True)
class StopTimer:
    """Disarm a timer; a late firing would be ignored anyway."""

    timer: Timer


@dataclass(frozen=True)
class Close:
    """Close the connection (and abandon an outbound attempt in progress)."""

    reason: str = ""


@dataclass(frozen=True)
class StateChange:
    """The session moved from ``old`` to ``new``; ``reason`` is for the log line."""

    old: State
    new: State
    reason: str


@dataclass(frozen=True)
class Established:
    """The session is up: the driver sets its codec context from ``negotiated``."""

    negotiated: Negotiated
    peer_open: Open


@dataclass(frozen=True)
class Down:
    """A connection that had started BGP (OPEN sent) ended.

    ``was_established`` tells a flap from a failed attempt.
    """

    reason: str
    sent: Notification | None = None
    received: Notification | None = None
    was_established: bool = False


Action = Connect | Send | StartTimer | StopTimer | Close | StateChange | Established | Down
