"""Two FSMs back to back in memory (like h11's ConnectionPair); checked at both ends."""

from __future__ import annotations

from collections import deque

import pytest
from fsm_helpers import A, B

from peerwise.fsm import (
    Action,
    Close,
    Connect,
    Direction,
    Down,
    Established,
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
    collision_loser,
)
from peerwise.wire.capabilities import (
    Capability,
    FourOctetAs,
    Multiprotocol,
    RouteRefreshCapability,
)
from peerwise.wire.errors import CeaseSubcode, ErrorCode
from peerwise.wire.messages import Notification


def _caps(asn: int) -> tuple[Capability, ...]:
    return (Multiprotocol(1, 1), RouteRefreshCapability(), FourOctetAs(asn))


LISTENING = {State.CONNECT, State.ACTIVE}


class Pair:
    """Wires ``a`` and ``b``: a Connect reaches the other side when it listens, a Send arrives
    as MessageReceived, a Close arrives as TcpClosed. Timers are recorded, fired by hand."""

    def __init__(self, a: Settings, b: Settings) -> None:
        self.fsm = {"a": Fsm(a), "b": Fsm(b)}
        self.timers: dict[str, dict[Timer, int]] = {"a": {}, "b": {}}
        self.log: dict[str, list[Action]] = {"a": [], "b": []}
        self.linked = False
        self.queue: deque[tuple[str, Event]] = deque()

    @staticmethod
    def other(side: str) -> str:
        return "b" if side == "a" else "a"

    def send(self, side: str, event: Event) -> None:
        self.queue.append((side, event))
        while self.queue:
            who, ev = self.queue.popleft()
            for action in self.fsm[who].handle(ev):
                self.log[who].append(action)
                self._carry_out(who, action)

    def fire(self, side: str, timer: Timer) -> None:
        assert timer in self.timers[side], f"{timer} not armed on {side}"
        del self.timers[side][timer]
        event = {Timer.HOLD: HoldExpired(), Timer.KEEPALIVE: KeepaliveExpired()}[timer]
        self.send(side, event)

    def _carry_out(self, who: str, action: Action) -> None:
        peer = self.other(who)
        if isinstance(action, Connect):
            if self.fsm[peer].state in LISTENING and not self.linked:
                self.linked = True
                self.queue.append((who, TcpConnected()))
                self.queue.append((peer, TcpAccepted()))
            else:
                self.queue.append((who, TcpFailed()))
        elif isinstance(action, Send):
            assert self.linked, f"{who} sent {action.message} without a connection"
            self.queue.append((peer, MessageReceived(action.message)))
        elif isinstance(action, Close) and self.linked and self.fsm[who].state is not State.CONNECT:
            self.linked = False
            self.queue.append((peer, TcpClosed("peer closed")))
        elif isinstance(action, StartTimer):
            self.timers[who][action.timer] = action.seconds
        elif isinstance(action, StopTimer):
            self.timers[who].pop(action.timer, None)

    def of(self, side: str, kind: type) -> list[Action]:
        return [a for a in self.log[side] if isinstance(a, kind)]


def _established_pair(a: Settings = A, b: Settings = B) -> Pair:
    pair = Pair(a, b)
    pair.send("b", ManualStart(passive=True))
    pair.send("a", ManualStart())
    return pair


def test_both_ends_reach_established() -> None:
    pair = _established_pair()
    assert pair.fsm["a"].state is State.ESTABLISHED
    assert pair.fsm["b"].state is State.ESTABLISHED
    up_a, up_b = pair.of("a", Established)[0], pair.of("b", Established)[0]
    assert isinstance(up_a, Established) and isinstance(up_b, Established)
    assert (up_a.negotiated.peer_as, up_b.negotiated.peer_as) == (65002, 65001)
    assert (up_a.negotiated.peer_id, up_b.negotiated.peer_id) == ("10.0.0.2", "10.0.0.1")
    assert pair.timers["a"] == {Timer.HOLD: 90, Timer.KEEPALIVE: 30}


@pytest.mark.parametrize(
    ("hold_a", "hold_b", "expected"),
    [(90, 90, (90, 30)), (90, 30, (30, 10)), (0, 90, (0, 0)), (9, 240, (9, 3))],
)
def test_hold_time_is_negotiated_alike(hold_a: int, hold_b: int, expected: object) -> None:
    a = Settings(65001, 65002, "10.0.0.1", hold_time=hold_a, capabilities=_caps(65001))
    b = Settings(65002, 65001, "10.0.0.2", hold_time=hold_b, capabilities=_caps(65002))
    pair = _established_pair(a, b)
    for side in "ab":
        negotiated = pair.fsm[side].negotiated
        assert negotiated is not None
        assert (negotiated.hold_time, negotiated.keepalive) == expected
        assert negotiated.capabilities.families == frozenset({(1, 1)})
        assert negotiated.capabilities.route_refresh


def test_keepalive_timer_keeps_the_peer_alive() -> None:
    pair = _established_pair()
    pair.fire("a", Timer.KEEPALIVE)
    assert pair.timers["a"][Timer.KEEPALIVE] == 30  # re-armed
    assert pair.timers["b"][Timer.HOLD] == 90  # restarted by the KEEPALIVE
    assert pair.fsm["b"].state is State.ESTABLISHED


def test_hold_expiry_tears_down_both_ends() -> None:
    pair = _established_pair()
    pair.fire("b", Timer.HOLD)
    hold_expired = Notification(ErrorCode.HOLD_TIMER_EXPIRED)
    down_b, down_a = pair.of("b", Down)[-1], pair.of("a", Down)[-1]
    assert isinstance(down_a, Down) and isinstance(down_b, Down)
    assert (down_b.sent, down_a.received) == (hold_expired, hold_expired)
    assert down_a.was_established and down_b.was_established
    assert pair.fsm["a"].state is State.ACTIVE  # back to listening, retry timer armed
    assert Timer.CONNECT_RETRY in pair.timers["a"]


def test_stop_sends_cease_and_the_peer_records_it() -> None:
    pair = _established_pair()
    text = b"\x0bmaintenance"  # RFC 9003 shutdown communication
    cease = Notification(ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, text)
    pair.send("a", ManualStop(cease))
    assert pair.fsm["a"].state is State.IDLE and not pair.fsm["a"].timers
    down = pair.of("b", Down)[-1]
    assert isinstance(down, Down) and down.received == cease
    assert pair.fsm["b"].state is State.ACTIVE


def test_bad_peer_as_is_refused_at_both_ends() -> None:
    wrong = Settings(65001, 65099, "10.0.0.1")
    pair = _established_pair(wrong, B)
    down_a, down_b = pair.of("a", Down)[0], pair.of("b", Down)[0]
    assert isinstance(down_a, Down) and isinstance(down_b, Down)
    assert down_a.sent is not None and down_a.sent.data == (65002).to_bytes(2, "big")
    assert down_b.received == down_a.sent
    assert not pair.of("a", Established) and not pair.of("b", Established)


@pytest.mark.parametrize(("id_a", "id_b"), [("10.0.0.1", "10.0.0.2"), ("10.0.0.9", "10.0.0.3")])
def test_collision_closes_the_same_connection_at_both_ends(id_a: str, id_b: str) -> None:
    """Both connect at once: a->b is connection 1, b->a connection 2 (RFC 4271 §6.8)."""
    a = Settings(65001, 65002, id_a)
    b = Settings(65002, 65001, id_b)
    one, two = Pair(a, b), Pair(b, a)  # pair 'one': a is 'a'; pair 'two': b is 'a'
    for pair in (one, two):
        pair.send("b", ManualStart(passive=True))
        pair.send("a", ManualStart())
        assert pair.fsm["a"].state is State.ESTABLISHED  # each connection alone would work
    # a's view: connection 1 is its outbound; b's view: connection 1 is its inbound.
    lose_a = collision_loser(id_a, 65001, id_b, 65002)
    lose_b = collision_loser(id_b, 65002, id_a, 65001)
    closed_by_a = 1 if lose_a is Direction.OUTBOUND else 2
    closed_by_b = 2 if lose_b is Direction.OUTBOUND else 1
    assert closed_by_a == closed_by_b
