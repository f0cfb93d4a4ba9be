"""One row per transition (RFC 4271 §8.2.2): start state, event, actions, end state."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fsm_helpers import PEER_OPEN, A, fsm_in, summary

from peerwise.fsm import (
    CollisionLost,
    Connect,
    ConnectRetryExpired,
    DecodeError,
    Event,
    Fsm,
    HoldExpired,
    KeepaliveExpired,
    ManualStart,
    ManualStop,
    MessageReceived,
    Send,
    Settings,
    StartTimer,
    State,
    StopTimer,
    TcpAccepted,
    TcpClosed,
    TcpConnected,
    TcpFailed,
    Timer,
)
from peerwise.wire.capabilities import FourOctetAs
from peerwise.wire.errors import (
    BGPError,
    CeaseSubcode,
    ErrorCode,
    FsmSubcode,
    HeaderSubcode,
    OpenSubcode,
)
from peerwise.wire.messages import Keepalive, Notification, Open, RouteRefresh, Update

S = State
CR, HOLD, KA = Timer.CONNECT_RETRY, Timer.HOLD, Timer.KEEPALIVE
OUR_OPEN = A.open_message()
IBGP = replace(A, peer_as=65001)


def _n(code: ErrorCode, subcode: int = 0, data: bytes = b"") -> Notification:
    return Notification(code, subcode, data)


def _refused(sent: Notification, state: State = S.OPENSENT, up: bool = False) -> list[Any]:
    """What every refusal does: NOTIFICATION, close, timers off, Down, retry from Active."""
    timers = [StopTimer(HOLD)] if state is S.OPENSENT else [StopTimer(HOLD), StopTimer(KA)]
    return [
        Send(sent),
        "close",
        *timers,
        ("down", sent, None, up),
        StartTimer(CR, 5),
        ("state", state, S.ACTIVE),
    ]


def _received(note: Notification, state: State, up: bool = False) -> list[Any]:
    down = ("down", None, note, up)
    return ["close", StopTimer(HOLD), down, StartTimer(CR, 5), ("state", state, S.ACTIVE)]


CEASE_ADMIN = _n(ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN)
CEASE_TEXT = _n(ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, b"\x03bye")
COLLISION = _n(ErrorCode.CEASE, CeaseSubcode.CONNECTION_COLLISION_RESOLUTION)
HOLD_EXPIRED = _n(ErrorCode.HOLD_TIMER_EXPIRED)
PEER_CEASE = _n(ErrorCode.CEASE, CeaseSubcode.PEER_DECONFIGURED)
BAD_AS_OPEN = Open(65009, 90, "10.0.0.2")
OPENED = [StopTimer(CR), Send(OUR_OPEN), StartTimer(HOLD, 240)]


def _fsm_error(state: State, subcode: FsmSubcode, up: bool = False) -> list[Any]:
    sent = _n(ErrorCode.FSM, subcode)
    stop = [StopTimer(HOLD)] if state is S.OPENSENT else [StopTimer(HOLD), StopTimer(KA)]
    down = ("down", sent, None, up)
    return [Send(sent), "close", *stop, down, StartTimer(CR, 5), ("state", state, S.ACTIVE)]


# (name, settings, start state, event, expected actions, end state)
ROWS: list[tuple[str, Settings, State, Event, list[Any], State]] = [
    # -- Idle -------------------------------------------------------------------------
    ("start connects at once", A, S.IDLE, ManualStart(),
     [Connect(), StartTimer(CR, 5), ("state", S.IDLE, S.CONNECT)], S.CONNECT),
    ("passive start only listens", A, S.IDLE, ManualStart(passive=True),
     [("state", S.IDLE, S.ACTIVE)], S.ACTIVE),
    ("passive mode only listens", replace(A, passive=True), S.IDLE, ManualStart(),
     [("state", S.IDLE, S.ACTIVE)], S.ACTIVE),
    ("idle refuses a connection", A, S.IDLE, TcpAccepted(), ["close"], S.IDLE),
    ("idle ignores a message", A, S.IDLE, MessageReceived(Keepalive()), [], S.IDLE),
    ("idle ignores stop", A, S.IDLE, ManualStop(), [], S.IDLE),
    ("stale timer ignored", A, S.IDLE, HoldExpired(), [], S.IDLE),
    # -- Connect ----------------------------------------------------------------------
    ("outbound up sends OPEN", A, S.CONNECT, TcpConnected(),
     [*OPENED, ("state", S.CONNECT, S.OPENSENT)], S.OPENSENT),
    ("inbound while connecting", A, S.CONNECT, TcpAccepted(),
     [*OPENED, ("state", S.CONNECT, S.OPENSENT)], S.OPENSENT),
    ("connect failed: listen, retry later", A, S.CONNECT, TcpFailed(),
     [StartTimer(CR, 5), ("state", S.CONNECT, S.ACTIVE)], S.ACTIVE),
    ("retry timer: new attempt", A, S.CONNECT, ConnectRetryExpired(),
     ["close", Connect(), StartTimer(CR, 5)], S.CONNECT),
    ("stop while connecting", A, S.CONNECT, ManualStop(),
     ["close", StopTimer(CR), ("state", S.CONNECT, S.IDLE)], S.IDLE),
    ("connect ignores start", A, S.CONNECT, ManualStart(), [], S.CONNECT),
    # -- Active -----------------------------------------------------------------------
    ("active retries on timer", A, S.ACTIVE, ConnectRetryExpired(),
     [Connect(), StartTimer(CR, 5), ("state", S.ACTIVE, S.CONNECT)], S.CONNECT),
    ("active accepts", A, S.ACTIVE, TcpAccepted(),
     [*OPENED, ("state", S.ACTIVE, S.OPENSENT)], S.OPENSENT),
    ("active ignores a message", A, S.ACTIVE, MessageReceived(Keepalive()), [], S.ACTIVE),
    # -- OpenSent ---------------------------------------------------------------------
    ("good OPEN", A, S.OPENSENT, MessageReceived(PEER_OPEN),
     [Send(Keepalive()), StartTimer(KA, 30), StartTimer(HOLD, 90),
      ("state", S.OPENSENT, S.OPENCONFIRM)], S.OPENCONFIRM),
    ("hold time 0: no keepalives, no hold timer", A, S.OPENSENT,
     MessageReceived(replace(PEER_OPEN, hold_time=0)),
     [Send(Keepalive()), StopTimer(HOLD), ("state", S.OPENSENT, S.OPENCONFIRM)], S.OPENCONFIRM),
    ("bad peer AS", A, S.OPENSENT, MessageReceived(BAD_AS_OPEN),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_PEER_AS, b"\xfd\xf1")), S.ACTIVE),
    ("bad peer AS, 4-octet", A, S.OPENSENT,
     MessageReceived(Open(23456, 90, "10.0.0.2", (FourOctetAs(4200000000),))),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_PEER_AS, b"\x5b\xa0")), S.ACTIVE),
    ("hold time 1", A, S.OPENSENT, MessageReceived(replace(PEER_OPEN, hold_time=1)),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.UNACCEPTABLE_HOLD_TIME)), S.ACTIVE),
    ("hold time 2", A, S.OPENSENT, MessageReceived(replace(PEER_OPEN, hold_time=2)),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.UNACCEPTABLE_HOLD_TIME)), S.ACTIVE),
    ("version 3", A, S.OPENSENT, MessageReceived(replace(PEER_OPEN, version=3)),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.UNSUPPORTED_VERSION_NUMBER, b"\x00\x04")),
     S.ACTIVE),
    ("identifier zero", A, S.OPENSENT,
     MessageReceived(replace(PEER_OPEN, bgp_identifier="0.0.0.0")),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_BGP_IDENTIFIER)), S.ACTIVE),
    ("iBGP peer with our identifier", IBGP, S.OPENSENT,
     MessageReceived(Open(65001, 90, "10.0.0.1")),
     _refused(_n(ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_BGP_IDENTIFIER)), S.ACTIVE),
    ("KEEPALIVE before OPEN", A, S.OPENSENT, MessageReceived(Keepalive()),
     _fsm_error(S.OPENSENT, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT), S.ACTIVE),
    ("UPDATE before OPEN", A, S.OPENSENT, MessageReceived(Update()),
     _fsm_error(S.OPENSENT, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT), S.ACTIVE),
    ("NOTIFICATION in OpenSent", A, S.OPENSENT, MessageReceived(PEER_CEASE),
     _received(PEER_CEASE, S.OPENSENT), S.ACTIVE),
    ("hold expires waiting for OPEN", A, S.OPENSENT, HoldExpired(),
     [Send(HOLD_EXPIRED), "close", ("down", HOLD_EXPIRED, None, False), StartTimer(CR, 5),
      ("state", S.OPENSENT, S.ACTIVE)], S.ACTIVE),
    ("codec error", A, S.OPENSENT,
     DecodeError(BGPError(ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_LENGTH, b"\x00\x10")),
     _refused(_n(ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_LENGTH, b"\x00\x10")),
     S.ACTIVE),
    ("peer closed in OpenSent", A, S.OPENSENT, TcpClosed(),
     ["close", StopTimer(HOLD), ("down", None, None, False), StartTimer(CR, 5),
      ("state", S.OPENSENT, S.ACTIVE)], S.ACTIVE),
    ("stop in OpenSent", A, S.OPENSENT, ManualStop(),
     [Send(CEASE_ADMIN), "close", StopTimer(HOLD), ("down", CEASE_ADMIN, None, False),
      ("state", S.OPENSENT, S.IDLE)], S.IDLE),
    ("collision lost in OpenSent", A, S.OPENSENT, CollisionLost(),
     [Send(COLLISION), "close", StopTimer(HOLD), ("down", COLLISION, None, False),
      ("state", S.OPENSENT, S.IDLE)], S.IDLE),
    ("keepalive timer not armed in OpenSent", A, S.OPENSENT, KeepaliveExpired(), [], S.OPENSENT),
    ("second connection ignored", A, S.OPENSENT, TcpAccepted(), [], S.OPENSENT),
    # -- OpenConfirm ------------------------------------------------------------------
    ("KEEPALIVE confirms", A, S.OPENCONFIRM, MessageReceived(Keepalive()),
     [StartTimer(HOLD, 90), ("state", S.OPENCONFIRM, S.ESTABLISHED), "established"],
     S.ESTABLISHED),
    ("keepalive due in OpenConfirm", A, S.OPENCONFIRM, KeepaliveExpired(),
     [Send(Keepalive()), StartTimer(KA, 30)], S.OPENCONFIRM),
    ("OPEN in OpenConfirm", A, S.OPENCONFIRM, MessageReceived(PEER_OPEN),
     _fsm_error(S.OPENCONFIRM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM), S.ACTIVE),
    ("UPDATE in OpenConfirm", A, S.OPENCONFIRM, MessageReceived(Update()),
     _fsm_error(S.OPENCONFIRM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM), S.ACTIVE),
    ("NOTIFICATION in OpenConfirm", A, S.OPENCONFIRM, MessageReceived(PEER_CEASE),
     ["close", StopTimer(HOLD), StopTimer(KA), ("down", None, PEER_CEASE, False),
      StartTimer(CR, 5), ("state", S.OPENCONFIRM, S.ACTIVE)], S.ACTIVE),
    ("collision lost in OpenConfirm", A, S.OPENCONFIRM, CollisionLost(),
     [Send(COLLISION), "close", StopTimer(HOLD), StopTimer(KA),
      ("down", COLLISION, None, False), ("state", S.OPENCONFIRM, S.IDLE)], S.IDLE),
    # -- Established ------------------------------------------------------------------
    ("UPDATE restarts hold", A, S.ESTABLISHED, MessageReceived(Update()),
     [StartTimer(HOLD, 90)], S.ESTABLISHED),
    ("ROUTE-REFRESH restarts hold", A, S.ESTABLISHED, MessageReceived(RouteRefresh(1, 1)),
     [StartTimer(HOLD, 90)], S.ESTABLISHED),
    ("keepalive due", A, S.ESTABLISHED, KeepaliveExpired(),
     [Send(Keepalive()), StartTimer(KA, 30)], S.ESTABLISHED),
    ("OPEN in Established", A, S.ESTABLISHED, MessageReceived(PEER_OPEN),
     _fsm_error(S.ESTABLISHED, FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED, up=True), S.ACTIVE),
    ("hold expires", A, S.ESTABLISHED, HoldExpired(),
     [Send(HOLD_EXPIRED), "close", StopTimer(KA), ("down", HOLD_EXPIRED, None, True),
      StartTimer(CR, 5), ("state", S.ESTABLISHED, S.ACTIVE)], S.ACTIVE),
    ("NOTIFICATION in Established", A, S.ESTABLISHED, MessageReceived(PEER_CEASE),
     ["close", StopTimer(HOLD), StopTimer(KA), ("down", None, PEER_CEASE, True),
      StartTimer(CR, 5), ("state", S.ESTABLISHED, S.ACTIVE)], S.ACTIVE),
    ("stop with shutdown text", A, S.ESTABLISHED, ManualStop(CEASE_TEXT),
     [Send(CEASE_TEXT), "close", StopTimer(HOLD), StopTimer(KA),
      ("down", CEASE_TEXT, None, True), ("state", S.ESTABLISHED, S.IDLE)], S.IDLE),
    ("Established wins a collision", A, S.ESTABLISHED, CollisionLost(), [], S.ESTABLISHED),
    ("passive peer drops: no retry timer", replace(A, passive=True), S.ESTABLISHED, TcpClosed(),
     ["close", StopTimer(HOLD), StopTimer(KA), ("down", None, None, True),
      ("state", S.ESTABLISHED, S.ACTIVE)], S.ACTIVE),
]  # fmt: skip


def _fsm(settings: Settings, state: State) -> Fsm:
    if settings.passive and state is S.ESTABLISHED:
        fsm = fsm_in(S.IDLE, settings)
        for event in (ManualStart(), TcpAccepted(), MessageReceived(PEER_OPEN)):
            fsm.handle(event)
        fsm.handle(MessageReceived(Keepalive()))
        return fsm
    return fsm_in(state, settings)


@pytest.mark.parametrize(
    ("settings", "start", "event", "expected", "end"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_transition(
    settings: Settings, start: State, event: Event, expected: list[Any], end: State
) -> None:
    fsm = _fsm(settings, start)
    assert summary(fsm.handle(event)) == expected
    assert fsm.state is end
