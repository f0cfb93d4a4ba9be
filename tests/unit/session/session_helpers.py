"""Drive :class:`peerwise.session.routes.Routes` with no sockets and no sleeps.

:class:`FakeClock` is the routes' :class:`~peerwise.session.hooks.Scheduler`: time moves
only when a test says so, and one :meth:`FakeClock.turn` runs what an event-loop turn would.
:class:`FakeSender` records what a session was sent, decoded, so a test reads prefixes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peerwise.fsm import CapabilityResult
from peerwise.rib import LocalRoute, PathAttrs, to_wire
from peerwise.session.config import NeighborConfig, RunningConfig
from peerwise.session.hooks import EstablishedSession
from peerwise.session.routes import Routes
from peerwise.wire.attributes import AsPath, AsSegment, MpReachNlri, MpUnreachNlri, SegmentType
from peerwise.wire.capabilities import GracefulRestart
from peerwise.wire.codec import decode, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family
from peerwise.wire.messages import Message, Notification, Open, RouteRefresh, Update
from peerwise.wire.update import is_end_of_rib

LOCAL_AS, ROUTER_ID = 65001, "192.0.2.1"
V4, V6 = IPV4_UNICAST, IPV6_UNICAST
F_BIT = 0x80  # RFC 4724 §3: forwarding state preserved
SESSION_CTX = CodecContext(four_octet_as=True, raw_nlri=True)
TEXT_CTX = CodecContext(four_octet_as=True)


@dataclass
class FakeHandle:
    when: float
    callback: Callable[..., Any]
    args: tuple[Any, ...]
    cancelled: bool = False
    done: bool = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        self.done = True
        if not self.cancelled:
            self.callback(*self.args)


class FakeClock:
    """A Scheduler whose time moves only by :meth:`advance`."""

    def __init__(self) -> None:
        self.time = 0.0
        self._soon: list[FakeHandle] = []
        self._later: list[FakeHandle] = []

    def now(self) -> float:
        return self.time

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> FakeHandle:
        handle = FakeHandle(self.time, callback, args)
        self._soon.append(handle)
        return handle

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> FakeHandle:
        handle = FakeHandle(self.time + delay, callback, args)
        self._later.append(handle)
        return handle

    def turn(self) -> bool:
        """One event-loop turn: run the calls scheduled soon before it; False if none."""
        ready, self._soon = self._soon, []
        for handle in ready:
            handle.run()
        return bool(ready)

    def settle(self) -> int:
        """Turns until nothing is scheduled soon; how many."""
        turns = 0
        while self.turn():
            turns += 1
        return turns

    def advance(self, seconds: float) -> None:
        """Move time on, firing the timers that fall due, in order, each with its turns."""
        end = self.time + seconds
        while True:
            due = [h for h in self._later if not h.done and not h.cancelled and h.when <= end]
            if not due:
                break
            first = min(due, key=lambda h: h.when)
            self.time = first.when
            first.run()
            self.settle()
        self.time = end

    @property
    def timers(self) -> list[FakeHandle]:
        return [h for h in self._later if not h.done and not h.cancelled]


@dataclass
class FakeSender:
    """What one session was sent: messages decoded with prefixes as text, writes counted."""

    messages: list[Message] = field(default_factory=list)
    writes: int = 0
    teardowns: list[tuple[Notification, str, float]] = field(default_factory=list)
    on_teardown: Callable[[], None] | None = None

    def send(self, message: Message) -> None:
        self.messages.append(decode(encode(message, TEXT_CTX), TEXT_CTX))

    def send_frames(self, frames: list[bytes]) -> None:
        self.writes += 1
        self.messages += [decode(frame, TEXT_CTX) for frame in frames]

    def teardown(self, notification: Notification, reason: str, restart: float) -> None:
        self.teardowns.append((notification, reason, restart))
        if self.on_teardown is not None:
            self.on_teardown()

    def take(self) -> list[Message]:
        taken, self.messages = self.messages, []
        return taken


def updates(messages: list[Message]) -> list[Update]:
    return [m for m in messages if isinstance(m, Update)]


def announced(messages: list[Message]) -> set[str]:
    """Every prefix announced in ``messages`` (classic and MP_REACH)."""
    found: set[str] = set()
    for update in updates(messages):
        found.update(update.nlri)
        for attr in update.attributes:
            if isinstance(attr, MpReachNlri):
                found.update(attr.nlri)
    return found


def withdrawn(messages: list[Message]) -> set[str]:
    found: set[str] = set()
    for update in updates(messages):
        found.update(update.withdrawn)
        for attr in update.attributes:
            if isinstance(attr, MpUnreachNlri):
                found.update(attr.withdrawn)
    return found


def end_of_ribs(messages: list[Message]) -> list[Family]:
    return [f for f in (is_end_of_rib(u) for u in updates(messages)) if f is not None]


def refreshes(messages: list[Message]) -> list[int]:
    """The subtypes of the ROUTE-REFRESH messages (0 plain, 1 BoRR, 2 EoRR)."""
    return [m.subtype for m in messages if isinstance(m, RouteRefresh)]


def neighbor(address: str, asn: int, **entry: Any) -> NeighborConfig:
    """One neighbor as the running config reads it, defaults from the model."""
    config = {
        "global": {"config": {"as": LOCAL_AS, "router-id": ROUTER_ID}},
        "neighbors": [{"config": {"neighbor-address": address, "peer-as": asn}, **entry}],
    }
    return RunningConfig.build(config).neighbors[address]


def session(
    config: NeighborConfig,
    families: tuple[Family, ...] = (V4,),
    enhanced: bool = False,
    restart: tuple[int, tuple[Family, ...]] | None = None,
) -> EstablishedSession:
    """An Established session with ``config``'s neighbor. ``restart``: the neighbor's Graceful
    Restart capability, (restart time, the families it preserved forwarding state for)."""
    caps: tuple[Any, ...] = ()
    if restart is not None:
        seconds, kept = restart
        caps = (GracefulRestart(seconds, 0, tuple((a, s, F_BIT) for a, s in kept)),)
    peer_open = Open(config.peer_as, 90, config.address if ":" not in config.address
                     else "10.9.9.9", caps)  # fmt: skip
    negotiated = CapabilityResult(
        four_octet_as=True,
        families=frozenset(families),
        route_refresh=True,
        enhanced_route_refresh=enhanced,
    )
    local = "2001:db8::1" if ":" in config.address else ROUTER_ID
    return EstablishedSession(
        config.address, config, families, SESSION_CTX, peer_open, negotiated, local
    )


def announcement(prefixes: tuple[str, ...], *asns: int, next_hop: str = "") -> Update:
    """An UPDATE a neighbor in AS ``asns[0]`` sends, decoded as a session decodes it."""
    v6 = any(":" in p for p in prefixes)
    hop = next_hop or ("2001:db8::10" if v6 else "192.0.2.10")
    attrs = PathAttrs(as_path=AsPath((AsSegment(SegmentType.AS_SEQUENCE, asns),)), next_hop=hop)
    if v6:
        reach = MpReachNlri(2, 1, hop, prefixes)
        update = Update(attributes=(*to_wire(attrs, mp=True), reach))
    else:
        update = Update(attributes=to_wire(attrs, mp=False), nlri=prefixes)
    message = decode(encode(update, TEXT_CTX), SESSION_CTX)
    assert isinstance(message, Update)
    return message


def withdrawal(prefixes: tuple[str, ...]) -> Update:
    message = decode(encode(Update(withdrawn=prefixes), TEXT_CTX), SESSION_CTX)
    assert isinstance(message, Update)
    return message


def originate(routes: Routes, *prefixes: str) -> dict[str, LocalRoute]:
    """Configure routes to originate (from none); the configured set."""
    configured = {str(ipaddress.ip_network(p)): LocalRoute(p) for p in prefixes}
    routes.sync({}, configured)
    return configured


@dataclass
class World:
    """A Routes of AS 65001 on a fake clock, and the senders of the sessions it holds."""

    clock: FakeClock = field(default_factory=FakeClock)
    senders: dict[str, FakeSender] = field(default_factory=dict)
    routes: Routes = field(init=False)

    def __post_init__(self) -> None:
        self.routes = Routes(LOCAL_AS, ROUTER_ID, self.clock)

    def up(self, established: EstablishedSession) -> FakeSender:
        """The session comes up; a teardown takes it down, as a Peer would."""
        address = established.address
        sender = self.senders[address] = FakeSender()
        sender.on_teardown = lambda: self.routes.down(address)
        self.routes.established(established, sender)
        return sender
