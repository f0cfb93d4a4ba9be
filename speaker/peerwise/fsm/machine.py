"""The RFC 4271 §8.2.2 state machine: ``Fsm.handle(event) -> [action]``.

Transitions live in one table, ``(state, key) -> handler``, where the key is the event's
type or, for ``MessageReceived``, the received message's type. A pair missing from the
table falls to the state's default: a message in a state that has a connection is an FSM
error (RFC 6608); anything else is ignored.

Peerwise runs with RFC 4271 §8.1.1 optional behaviour fixed as: AllowAutomaticStart with an
IdleHoldTime of 0 (a session that drops goes straight back to Active, listening, and
reconnects after ConnectRetryTime unless passive), no DelayOpen, no peer oscillation
damping. Collision detection (§6.8) is the driver's, with :mod:`peerwise.fsm.collision`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peerwise.fsm import actions as act
from peerwise.fsm.events import (
    TIMER_EVENTS,
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
from peerwise.fsm.negotiate import LARGE_HOLD_TIME, Negotiated, Settings, check_open, negotiate
from peerwise.wire.errors import CeaseSubcode, ErrorCode, FsmSubcode
from peerwise.wire.messages import Keepalive, Notification, Open, RouteRefresh, Update
from peerwise.wire.notification import notification_text as wire_notification_text

WITH_CONNECTION = frozenset({State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED})

# RFC 6608 §3: the FSM error subcode for an unexpected message, per state.
UNEXPECTED_MESSAGE = {
    State.OPENSENT: FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT,
    State.OPENCONFIRM: FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM,
    State.ESTABLISHED: FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED,
}

ADMIN_SHUTDOWN = Notification(ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN)
COLLISION = Notification(ErrorCode.CEASE, CeaseSubcode.CONNECTION_COLLISION_RESOLUTION)


def notification_text(notification: Notification) -> str:
    """'Cease / Administrative Shutdown: "text"' for a NOTIFICATION (RFC 9003 text included)."""
    return wire_notification_text(notification)


class Fsm:
    """One BGP session's state machine. Feed it events; carry out the actions it returns."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = State.IDLE
        self.admin_up = False
        self.connected = False
        self.timers: set[Timer] = set()
        self.negotiated: Negotiated | None = None
        self.peer_open: Open | None = None
        self._out: list[act.Action] = []

    def handle(self, event: Event) -> list[act.Action]:
        """Apply one event; return what the driver must do, in order."""
        self._out = []
        timer = TIMER_EVENTS.get(type(event))
        if timer is not None:
            if timer not in self.timers:
                return []  # a late firing of a timer we already stopped
            self.timers.discard(timer)
        key: type = type(event.message) if isinstance(event, MessageReceived) else type(event)
        handler = _TABLE.get((self.state, key))
        if handler is None:
            handler = _default_handler(self.state, event)
        handler(self, event)
        return self._out

    # -- small steps the handlers are made of -------------------------------------------

    def _emit(self, action: act.Action) -> None:
        self._out.append(action)

    def _goto(self, state: State, reason: str) -> None:
        if state is not self.state:
            self._emit(act.StateChange(self.state, state, reason))
            self.state = state

    def _arm(self, timer: Timer, seconds: int) -> None:
        self.timers.add(timer)
        self._emit(act.StartTimer(timer, seconds))

    def _disarm(self, timer: Timer) -> None:
        if timer in self.timers:
            self.timers.discard(timer)
            self._emit(act.StopTimer(timer))

    def _connect(self, reason: str) -> None:
        self._emit(act.Connect())
        self._arm(Timer.CONNECT_RETRY, self.settings.connect_retry)
        self._goto(State.CONNECT, reason)

    def _drop(
        self,
        reason: str,
        sent: Notification | None = None,
        received: Notification | None = None,
    ) -> None:
        """End the connection; back to Active (admin up) or Idle (RFC 4271 §8.2.2)."""
        if sent is not None and self.connected:
            self._emit(act.Send(sent))
        self._emit(act.Close(reason))
        for timer in Timer:  # in a fixed order, so the actions are reproducible
            self._disarm(timer)
        if self.state in WITH_CONNECTION:
            was_up = self.state is State.ESTABLISHED
            self._emit(act.Down(reason, sent if self.connected else None, received, was_up))
        self.connected = False
        self.negotiated = None
        self.peer_open = None
        if not self.admin_up:
            self._goto(State.IDLE, reason)
            return
        if not self.settings.passive:
            self._arm(Timer.CONNECT_RETRY, self.settings.connect_retry)
        self._goto(State.ACTIVE, reason)


Handler = Callable[[Fsm, Any], None]


def _ignore(fsm: Fsm, event: Event) -> None:
    """Events that do not apply in this state change nothing (RFC 4271 §8.2.2)."""


def _refuse_connection(fsm: Fsm, event: Event) -> None:
    """Idle refuses connections (RFC 4271 §8.2.2, Idle state)."""
    fsm._emit(act.Close("session is administratively down"))


def _unexpected_message(fsm: Fsm, event: MessageReceived) -> None:
    """RFC 4271 §8.2.2 and RFC 6608 §4: FSM Error with the state's subcode."""
    sent = Notification(ErrorCode.FSM, UNEXPECTED_MESSAGE[fsm.state])
    name = type(event.message).__name__.upper()
    fsm._drop(f"unexpected {name} in {fsm.state.value}: {notification_text(sent)}", sent)


def _default_handler(state: State, event: Event) -> Handler:
    if isinstance(event, MessageReceived) and state in WITH_CONNECTION:
        return _unexpected_message
    if isinstance(event, (TcpAccepted, TcpConnected)) and state is State.IDLE:
        return _refuse_connection
    return _ignore


def _start(fsm: Fsm, event: ManualStart) -> None:
    fsm.admin_up = True
    if event.passive or fsm.settings.passive:
        fsm._goto(State.ACTIVE, "started, waiting for the peer to connect")
    else:
        fsm._connect("started")


def _stop(fsm: Fsm, event: ManualStop) -> None:
    """RFC 4271 §8.2.2 event 2: Cease (when BGP has begun), close, Idle."""
    fsm.admin_up = False
    sent = (event.notification or ADMIN_SHUTDOWN) if fsm.state in WITH_CONNECTION else None
    fsm._drop(event.reason, sent)


def _collision_lost(fsm: Fsm, event: CollisionLost) -> None:
    """RFC 4271 §6.8: Cease / Connection Collision Resolution, and this FSM is done."""
    fsm.admin_up = False
    fsm._drop("connection collision resolution: closing this connection", COLLISION)


def _retry_connect(fsm: Fsm, event: ConnectRetryExpired) -> None:
    if fsm.state is State.CONNECT:
        fsm._emit(act.Close("connect retry timer expired"))
    fsm._connect("connect retry timer expired")


def _connect_failed(fsm: Fsm, event: TcpFailed | TcpClosed) -> None:
    fsm._arm(Timer.CONNECT_RETRY, fsm.settings.connect_retry)
    fsm._goto(State.ACTIVE, event.reason)


def _connection_up(fsm: Fsm, event: TcpConnected | TcpAccepted) -> None:
    """RFC 4271 §8.2.2: send OPEN, hold timer to the large value, OpenSent."""
    fsm.connected = True
    fsm._disarm(Timer.CONNECT_RETRY)
    fsm._emit(act.Send(fsm.settings.open_message()))
    fsm._arm(Timer.HOLD, LARGE_HOLD_TIME)
    way = "outbound" if isinstance(event, TcpConnected) else "inbound"
    fsm._goto(State.OPENSENT, f"{way} connection up, OPEN sent")


def _connection_lost(fsm: Fsm, event: TcpClosed | TcpFailed) -> None:
    fsm._drop(event.reason)


def _decode_error(fsm: Fsm, event: DecodeError) -> None:
    """RFC 4271 §6: the codec's error names the NOTIFICATION to send."""
    err = event.error
    sent = Notification(err.code, err.subcode, err.data)
    fsm._drop(f"sent NOTIFICATION: {err.reason}", sent)


def _hold_expired(fsm: Fsm, event: HoldExpired) -> None:
    fsm._drop("hold timer expired", Notification(ErrorCode.HOLD_TIMER_EXPIRED))


def _notification(fsm: Fsm, event: MessageReceived) -> None:
    received = event.message
    assert isinstance(received, Notification)  # the table routes only NOTIFICATION here
    fsm._drop(f"received NOTIFICATION: {notification_text(received)}", received=received)


def _open_received(fsm: Fsm, event: MessageReceived) -> None:
    """RFC 4271 §8.2.2 OpenSent, event 19: check, answer KEEPALIVE, OpenConfirm."""
    peer = event.message
    assert isinstance(peer, Open)  # the table routes only OPEN here
    refusal = check_open(fsm.settings, peer)
    if refusal is not None:
        fsm._drop(f"refused OPEN: {notification_text(refusal)}", refusal)
        return
    fsm.peer_open = peer
    fsm.negotiated = negotiated = negotiate(fsm.settings, peer)
    fsm._emit(act.Send(Keepalive()))
    if negotiated.hold_time:
        fsm._arm(Timer.KEEPALIVE, negotiated.keepalive)
        fsm._arm(Timer.HOLD, negotiated.hold_time)
    else:
        fsm._disarm(Timer.HOLD)
    fsm._goto(State.OPENCONFIRM, "OPEN accepted")


def _keepalive_due(fsm: Fsm, event: KeepaliveExpired) -> None:
    fsm._emit(act.Send(Keepalive()))
    if fsm.negotiated is not None and fsm.negotiated.keepalive:
        fsm._arm(Timer.KEEPALIVE, fsm.negotiated.keepalive)


def _restart_hold(fsm: Fsm) -> None:
    if fsm.negotiated is not None and fsm.negotiated.hold_time:
        fsm._arm(Timer.HOLD, fsm.negotiated.hold_time)


def _confirmed(fsm: Fsm, event: MessageReceived) -> None:
    """RFC 4271 §8.2.2 OpenConfirm, event 26: KEEPALIVE received, Established."""
    assert fsm.negotiated is not None and fsm.peer_open is not None
    _restart_hold(fsm)
    fsm._goto(State.ESTABLISHED, "KEEPALIVE received")
    fsm._emit(act.Established(fsm.negotiated, fsm.peer_open))


def _traffic(fsm: Fsm, event: MessageReceived) -> None:
    """RFC 4271 §8.2.2 Established, events 26/27: any KEEPALIVE/UPDATE restarts hold."""
    _restart_hold(fsm)


def _table() -> dict[tuple[State, type], Handler]:
    t: dict[tuple[State, type], Handler] = {(State.IDLE, ManualStart): _start}
    for state in (State.CONNECT, State.ACTIVE, *WITH_CONNECTION):
        t[(state, ManualStop)] = _stop
    for state in (State.CONNECT, State.ACTIVE):
        t[(state, TcpConnected)] = _connection_up
        t[(state, TcpAccepted)] = _connection_up
        t[(state, ConnectRetryExpired)] = _retry_connect
    t[(State.CONNECT, TcpFailed)] = _connect_failed
    t[(State.CONNECT, TcpClosed)] = _connect_failed
    for state in WITH_CONNECTION:
        t[(state, TcpClosed)] = _connection_lost
        t[(state, TcpFailed)] = _connection_lost
        t[(state, DecodeError)] = _decode_error
        t[(state, HoldExpired)] = _hold_expired
        t[(state, Notification)] = _notification
    for state in (State.OPENSENT, State.OPENCONFIRM):
        t[(state, CollisionLost)] = _collision_lost
    t[(State.OPENSENT, Open)] = _open_received
    t[(State.OPENCONFIRM, Keepalive)] = _confirmed
    t[(State.OPENCONFIRM, KeepaliveExpired)] = _keepalive_due
    t[(State.ESTABLISHED, KeepaliveExpired)] = _keepalive_due
    for message in (Keepalive, Update, RouteRefresh):
        t[(State.ESTABLISHED, message)] = _traffic
    return t


_TABLE = _table()
