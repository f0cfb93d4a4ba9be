"""Shared fixtures for the FSM tests: settings, peer OPENs, a way to reach any state."""

from __future__ import annotations

from typing import Any

from peerwise.fsm import (
    Action,
    Close,
    Connect,
    Down,
    Established,
    Event,
    Fsm,
    ManualStart,
    MessageReceived,
    Send,
    Settings,
    StartTimer,
    State,
    StateChange,
    StopTimer,
    TcpConnected,
    TcpFailed,
)
from peerwise.wire.capabilities import FourOctetAs
from peerwise.wire.messages import Keepalive, Open

A = Settings(local_as=65001, peer_as=65002, router_id="10.0.0.1", connect_retry=5)
B = Settings(local_as=65002, peer_as=65001, router_id="10.0.0.2", connect_retry=5)
PEER_OPEN = Open(65002, 90, "10.0.0.2", (FourOctetAs(65002),))

# The events that take a fresh FSM (settings A) to each state.
PATH: dict[State, list[Event]] = {
    State.IDLE: [],
    State.CONNECT: [ManualStart()],
    State.ACTIVE: [ManualStart(), TcpFailed()],
    State.OPENSENT: [ManualStart(), TcpConnected()],
    State.OPENCONFIRM: [ManualStart(), TcpConnected(), MessageReceived(PEER_OPEN)],
    State.ESTABLISHED: [
        ManualStart(),
        TcpConnected(),
        MessageReceived(PEER_OPEN),
        MessageReceived(Keepalive()),
    ],
}


def fsm_in(state: State, settings: Settings = A) -> Fsm:
    fsm = Fsm(settings)
    for event in PATH[state]:
        fsm.handle(event)
    assert fsm.state is state
    return fsm


def summary(actions: list[Action]) -> list[Any]:
    """Actions without their free-text reasons, so tables compare what matters."""
    out: list[Any] = []
    for a in actions:
        if isinstance(a, StateChange):
            out.append(("state", a.old, a.new))
        elif isinstance(a, Close):
            out.append("close")
        elif isinstance(a, Down):
            out.append(("down", a.sent, a.received, a.was_established))
        elif isinstance(a, Established):
            out.append("established")
        else:
            assert isinstance(a, (Connect, Send, StartTimer, StopTimer))
            out.append(a)
    return out
