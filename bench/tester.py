"""The benchmark's two BGP speakers, in asyncio: the tester (sends) and the monitor (counts).

Both are a :class:`Session`: it connects from its own loopback address to the target's port
179 (targets are passive, so no collision and no waiting for GoBGP's random connect delay),
sends OPEN, answers the target's OPEN with KEEPALIVE and is Established on the target's
KEEPALIVE (RFC 4271 §8.2.2, the happy path only: anything else ends the run with the reason).
Control messages go through peerwise.wire; UPDATEs go through :class:`PrefixCounter`, which
counts distinct prefixes without decoding values.

The tester's :meth:`Session.blast` writes the whole pre-encoded stream at once and returns the
clock reading taken just before its first octet; the monitor's :attr:`Session.reached` is set
to the clock reading at the end of the read that brought its count to the goal. Both use
``time.monotonic``, which on Linux is the system-wide CLOCK_MONOTONIC, so a helper process
(ExaBGP's) can stamp times on the same clock.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.nlri import PrefixCounter
from peerwise.wire import (
    IPV4_UNICAST,
    IPV6_UNICAST,
    BGPError,
    CeaseSubcode,
    Family,
    Keepalive,
    Multiprotocol,
    Notification,
    Open,
    RouteRefreshCapability,
    decode,
    encode,
    make_open,
    notification_text,
    shutdown,
)

BGP_PORT = 179
RETRY = 0.2  # seconds between connection attempts while the target starts


class SessionFailed(Exception):
    """The session ended or never came up; the message says why."""


@dataclass(frozen=True)
class Speaker:
    """One of our speakers: its loopback address, AS, and the families it offers."""

    address: str
    asn: int
    families: tuple[Family, ...] = (IPV4_UNICAST, IPV6_UNICAST)
    hold_time: int = 240  # long: a busy target must not time us out

    def open_message(self) -> Open:
        caps = (*(Multiprotocol(*f) for f in self.families), RouteRefreshCapability())
        return make_open(self.asn, self.hold_time, self.address, caps)


class Session(asyncio.Protocol):
    """One BGP session to the target; ``goal`` is how many distinct prefixes to wait for."""

    def __init__(self, speaker: Speaker, goal: int = 0) -> None:
        loop = asyncio.get_running_loop()
        self.speaker = speaker
        self.goal = goal
        self.counter = PrefixCounter()
        self.established: asyncio.Future[None] = loop.create_future()
        self.reached: asyncio.Future[float] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self._opened = False
        self._timer: asyncio.TimerHandle | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(encode(self.speaker.open_message()))

    def data_received(self, data: bytes) -> None:
        counter = self.counter
        others = counter.feed(data)
        if self.goal and not self.reached.done() and counter.total >= self.goal:
            self.reached.set_result(time.monotonic())
        for frame in others:
            self._control(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(f"connection closed by the target ({exc or 'EOF'})")
        if self._timer is not None:
            self._timer.cancel()

    # the session
    def _control(self, frame: bytes) -> None:
        try:
            msg = decode(frame)
        except BGPError as exc:
            self._fail(f"undecodable message from the target: {exc.reason}")
            return
        if isinstance(msg, Open):
            self._opened = True
            self._send(Keepalive())
        elif isinstance(msg, Keepalive) and self._opened and not self.established.done():
            self.established.set_result(None)
            self._keepalive()
        elif isinstance(msg, Notification):
            self._fail(f"NOTIFICATION from the target: {notification_text(msg)}")

    def _keepalive(self) -> None:
        """RFC 4271 §10: KEEPALIVE every third of the hold time."""
        self._send(Keepalive())
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.speaker.hold_time / 3, self._keepalive)

    def _send(self, msg: Keepalive | Notification) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(encode(msg))

    def _fail(self, why: str) -> None:
        for future in (self.established, self.reached):
            if not future.done():
                future.set_exception(SessionFailed(why))
                future.exception()  # retrieved: a failure nobody awaits is not an error

    def blast(self, stream: bytes) -> float:
        """Write the whole stream; the monotonic time just before its first octet."""
        assert self.transport is not None
        start = time.monotonic()
        self.transport.write(stream)
        return start

    def close(self) -> None:
        """Cease / Administrative Shutdown (RFC 4486, RFC 9003), then close."""
        if self._timer is not None:
            self._timer.cancel()
        self._send(shutdown("benchmark done", CeaseSubcode.ADMINISTRATIVE_SHUTDOWN))
        if self.transport is not None:
            self.transport.close()


async def connect(speaker: Speaker, target: str, timeout: float, goal: int = 0) -> Session:
    """A Session Established with ``target``; retried until ``timeout`` (SessionFailed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    why = "no attempt"
    while loop.time() < deadline:
        session: Session | None = None
        try:
            _, session = await loop.create_connection(
                lambda: Session(speaker, goal), target, BGP_PORT, local_addr=(speaker.address, 0)
            )
            await asyncio.wait_for(session.established, max(0.1, deadline - loop.time()))
            return session
        except (OSError, SessionFailed, asyncio.TimeoutError) as exc:
            why = str(exc) or type(exc).__name__
            if session is not None and session.transport is not None:
                session.transport.abort()
        await asyncio.sleep(RETRY)
    raise SessionFailed(f"{speaker.address} -> {target}: not Established in {timeout:.0f}s: {why}")
