"""The BGP session state machine, sans I/O (RFC 4271 §8).

Theory of operation
-------------------
An :class:`Fsm` holds one connection's protocol state and nothing else: no socket, no
clock, no task. Its driver (``peerwise.session``) turns the world into *events* — the
operator started or stopped the peer, a TCP connection came up or went down, a message
was decoded (or refused by the codec), a timer fired — and calls ``fsm.handle(event)``,
which returns *actions* in the order to carry them out: connect, send a message, arm or
disarm a timer, close, and three reports (``StateChange`` for the log, ``Established``
with the negotiated parameters for the codec context, ``Down`` with the NOTIFICATION
sent or received). Because a timer is just an event, tests drive whole sessions,
including hold-timer expiry, without sleeping.

Files:

- ``events.py``: states, timers, events (RFC 4271 §8.1).
- ``actions.py``: actions.
- ``machine.py``: the transition table ``(state, event or message type) -> handler``.
- ``negotiate.py``: settings, checking a received OPEN (§6.2, RFC 6286), timers (§10).
- ``capneg.py``: capability negotiation (RFC 5492) into the families and features in use.
- ``collision.py``: which of two colliding connections to close (§6.8).

A session that drops while administratively up returns to Active at once (listening) and
reconnects after the connect-retry time; a passive session only listens.
"""

from __future__ import annotations

from peerwise.fsm.actions import (
    Action,
    Close,
    Connect,
    Down,
    Established,
    Send,
    StartTimer,
    StateChange,
    StopTimer,
)
from peerwise.fsm.capneg import CapabilityResult, negotiate_capabilities
from peerwise.fsm.collision import Direction, collision_loser
from peerwise.fsm.events import (
    CollisionLost,
    ConnectRetryExpired,
    DecodeError,
    Event,
    HoldExpired,
    KeepaliveExpired,
    ManualStart,
    ManualStop,
    MessageReceived,
    State,
    TcpAccepted,
    TcpClosed,
    TcpConnected,
    TcpFailed,
    Timer,
)
from peerwise.fsm.machine import COLLISION, Fsm, notification_text
from peerwise.fsm.negotiate import (
    LARGE_HOLD_TIME,
    Negotiated,
    Settings,
    check_open,
    negotiate,
    negotiated_timers,
)

__all__ = [
    "COLLISION",
    "LARGE_HOLD_TIME",
    "Action",
    "CapabilityResult",
    "Close",
    "CollisionLost",
    "Connect",
    "ConnectRetryExpired",
    "DecodeError",
    "Direction",
    "Down",
    "Established",
    "Event",
    "Fsm",
    "HoldExpired",
    "KeepaliveExpired",
    "ManualStart",
    "ManualStop",
    "MessageReceived",
    "Negotiated",
    "Send",
    "Settings",
    "StartTimer",
    "State",
    "StateChange",
    "StopTimer",
    "TcpAccepted",
    "TcpClosed",
    "TcpConnected",
    "TcpFailed",
    "Timer",
    "check_open",
    "collision_loser",
    "negotiate",
    "negotiate_capabilities",
    "negotiated_timers",
    "notification_text",
]
