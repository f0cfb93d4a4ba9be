"""Every (state, event) pair, and random event sequences, keep the FSM's invariants."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from fsm_helpers import PEER_OPEN, A, fsm_in
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwise.fsm import (
    CollisionLost,
    ConnectRetryExpired,
    DecodeError,
    Established,
    Event,
    Fsm,
    HoldExpired,
    KeepaliveExpired,
    ManualStart,
    ManualStop,
    MessageReceived,
    Send,
    StartTimer,
    State,
    StateChange,
    StopTimer,
    TcpAccepted,
    TcpClosed,
    TcpConnected,
    TcpFailed,
    Timer,
)
from peerwise.wire.errors import BGPError, ErrorCode, HeaderSubcode
from peerwise.wire.messages import Keepalive, Notification, Open, RouteRefresh, Update

EVENTS: list[Event] = [
    ManualStart(),
    ManualStart(passive=True),
    ManualStop(),
    CollisionLost(),
    TcpConnected(),
    TcpAccepted(),
    TcpFailed(),
    TcpClosed(),
    MessageReceived(PEER_OPEN),
    MessageReceived(Open(65009, 90, "10.0.0.2")),
    MessageReceived(replace(PEER_OPEN, hold_time=0)),
    MessageReceived(replace(PEER_OPEN, hold_time=1)),
    MessageReceived(Keepalive()),
    MessageReceived(Update()),
    MessageReceived(RouteRefresh(1, 1)),
    MessageReceived(Notification(ErrorCode.CEASE, 2)),
    DecodeError(BGPError(ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_TYPE, b"\x09")),
    ConnectRetryExpired(),
    HoldExpired(),
    KeepaliveExpired(),
]
TIMER_OF = {ConnectRetryExpired: Timer.CONNECT_RETRY, HoldExpired: Timer.HOLD}
TIMER_OF[KeepaliveExpired] = Timer.KEEPALIVE


class Driver:
    """What a driver sees: the timers it was told to run. Checks invariants at each step."""

    def __init__(self, fsm: Fsm) -> None:
        self.fsm = fsm
        self.timers = set(fsm.timers)

    def step(self, event: Event) -> None:
        before, was_connected = self.fsm.state, self.fsm.connected
        timer = TIMER_OF.get(type(event))
        if timer is not None:
            self.timers.discard(timer)  # a timer that fires is no longer running
        actions = self.fsm.handle(event)
        opens_connection = isinstance(event, (TcpConnected, TcpAccepted))
        changes = [a for a in actions if isinstance(a, StateChange)]
        for action in actions:
            if isinstance(action, Send):
                # Nothing is sent without a connection; a NOTIFICATION never on a fresh one.
                assert was_connected or opens_connection, (before, event, action)
                if isinstance(action.message, Notification):
                    assert was_connected, (before, event, action)
            elif isinstance(action, StartTimer):
                assert action.seconds > 0
                self.timers.add(action.timer)
            elif isinstance(action, StopTimer):
                self.timers.discard(action.timer)
            elif isinstance(action, Established):
                assert self.fsm.state is State.ESTABLISHED
        assert isinstance(self.fsm.state, State)
        assert len(changes) <= 1
        if changes:
            assert (changes[0].old, changes[0].new) == (before, self.fsm.state)
        else:
            assert self.fsm.state is before
        assert self.timers == self.fsm.timers  # the driver and the FSM agree on timers
        if self.fsm.state is State.IDLE:
            assert not self.fsm.timers and not self.fsm.connected
        if self.fsm.state is State.ESTABLISHED:
            assert self.fsm.negotiated is not None and self.fsm.connected
        assert self.fsm.connected == (
            self.fsm.state in {State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED}
        )


@pytest.mark.parametrize(
    ("state", "event"), list(itertools.product(State, EVENTS)), ids=lambda v: repr(v)[:40]
)
def test_every_state_event_pair(state: State, event: Event) -> None:
    fsm = fsm_in(state)
    Driver(fsm).step(event)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(EVENTS), max_size=40))
def test_random_sequences_keep_invariants(events: list[Event]) -> None:
    driver = Driver(Fsm(A))
    for event in events:
        driver.step(event)
