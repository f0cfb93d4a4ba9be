"""One configured neighbor: drives its FSM(s) with real connections and timers.

Routes: the Peer reports to the :class:`~peerwise.session.hooks.SessionHooks` it was built
with (the server's RIB wiring, which it never names): at Established it hands over one frozen
:class:`~peerwise.session.hooks.EstablishedSession` and a :class:`SessionSender` bound to that
session; then UPDATEs and ROUTE-REFRESHes; then Down.

A peer has a *primary* FSM and, while a connection collision is being resolved
(RFC 4271 §6.8), at most one *candidate* FSM for the second connection. Every action an
FSM returns is carried out at once, in the event loop's thread, so there is no race
between a timer firing and the FSM that stopped it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import random
import socket
from collections.abc import Callable
from typing import Any

from peerwise import fsm as f
from peerwise.session import tcpmd5
from peerwise.session.caps import advertised
from peerwise.session.config import GlobalConfig, NeighborConfig
from peerwise.session.connection import Connection, set_ttl
from peerwise.session.hooks import EstablishedSession, SessionHooks
from peerwise.session.stats import PeerStats
from peerwise.wire.messages import Message, Notification, RouteRefresh, Update

log = logging.getLogger("peerwise.session")

TIMER_EVENT: dict[f.Timer, Callable[[], f.Event]] = {
    f.Timer.CONNECT_RETRY: f.ConnectRetryExpired,
    f.Timer.HOLD: f.HoldExpired,
    f.Timer.KEEPALIVE: f.KeepaliveExpired,
}
JITTERED = {f.Timer.CONNECT_RETRY, f.Timer.KEEPALIVE}  # RFC 4271 §10: 0.75..1.0 jitter
HANDSHAKING = {f.State.OPENSENT, f.State.OPENCONFIRM}


def fsm_settings(glob: GlobalConfig, config: NeighborConfig) -> f.Settings:
    """What the FSM runs one neighbor's sessions with."""
    return f.Settings(
        local_as=glob.asn,
        peer_as=config.peer_as,
        router_id=glob.router_id,
        hold_time=config.hold_time,
        keepalive=config.keepalive,
        connect_retry=config.connect_retry,
        passive=config.passive,
        capabilities=advertised(glob, config),
    )


class SessionSender:
    """The :class:`~peerwise.session.hooks.Sender` of one Established session: it writes on
    that session's connection, and nothing once the session has ended."""

    def __init__(self, peer: Peer, fsm: f.Fsm) -> None:
        self._peer, self._fsm = peer, fsm

    def send(self, message: Message) -> None:
        if self._peer.up is self._fsm:
            self._peer._do_send(self._fsm, f.Send(message))

    def send_frames(self, frames: list[bytes]) -> None:
        conn = self._peer.conns.get(self._fsm) if self._peer.up is self._fsm else None
        if conn is not None and frames:
            conn.write(b"".join(frames))
            self._peer.stats.sent["UPDATE"] += len(frames)
            self._peer.stats.sent["TOTAL"] += len(frames)

    def teardown(self, notification: Notification, reason: str, restart: float) -> None:
        if self._peer.up is self._fsm:
            self._peer.limit_reached(notification, reason, restart)


class Peer:
    def __init__(
        self,
        glob: GlobalConfig,
        config: NeighborConfig,
        bind: str | None,
        hooks: SessionHooks,
    ) -> None:
        self.glob, self.config, self.bind = glob, config, bind
        self.hooks = hooks
        self.up: f.Fsm | None = None  # the FSM whose session is Established
        self.settings = fsm_settings(glob, config)
        self.fsm = f.Fsm(self.settings)
        self.candidate: f.Fsm | None = None
        self.conns: dict[f.Fsm, Connection] = {}
        self.stats = PeerStats()
        self.transport: dict[str, Any] = {}
        self._timers: dict[tuple[f.Fsm, f.Timer], asyncio.TimerHandle] = {}
        self._connecting: asyncio.Task[None] | None = None
        self._closing: list[Connection] = []
        self._hold_read = -1  # the socket read whose first UPDATE restarted the hold timer
        self._restart: asyncio.TimerHandle | None = None  # prefix-limit restart-timer

    @property
    def name(self) -> str:
        return self.config.address

    def reconfigure(self, config: NeighborConfig) -> None:
        """New settings that need no new OPEN (the model priced them ``none`` or ``soft``):
        the running FSMs take them for their next connect-retry."""
        self.config, self.settings = config, fsm_settings(self.glob, config)
        for fsm in (self.fsm, self.candidate):
            if fsm is not None:
                fsm.settings = self.settings

    @property
    def ttl(self) -> int:
        """Multihop TTL when configured; 1 for single-hop eBGP (as GoBGP); 255 for iBGP."""
        if self.config.multihop:
            return self.config.multihop_ttl
        return 1 if self.config.peer_as != self.glob.asn else 255

    # -- operator ------------------------------------------------------------------------

    def start(self) -> None:
        if self.config.enabled:
            self.dispatch(self.fsm, f.ManualStart())

    def stop(self, notification: Notification | None = None, reason: str = "stopped") -> None:
        if self._restart is not None:
            self._restart.cancel()
            self._restart = None
        for fsm in (self.candidate, self.fsm):
            if fsm is not None:
                self.dispatch(fsm, f.ManualStop(notification, reason))
        self._cancel_connect()

    def limit_reached(self, notification: Notification, reason: str, restart: float) -> None:
        """Too many prefixes (RFC 4486 §4): closed and left administratively down; started
        again after ``restart`` seconds if that is not 0, else by an operator."""
        log.warning("neighbor %s: %s, session closed", self.name, reason)
        self.stop(notification, reason)
        if restart > 0:
            self._restart = asyncio.get_running_loop().call_later(restart, self._restart_now)

    def _restart_now(self) -> None:
        self._restart = None
        if self.fsm.state is f.State.IDLE and not self.fsm.admin_up:
            log.info("neighbor %s: prefix-limit restart-timer expired, starting", self.name)
            self.start()

    async def closed(self) -> None:
        """Wait until every connection this peer closed has flushed and gone."""
        closing, self._closing = self._closing, []
        await asyncio.gather(*(c.wait_closed() for c in closing))

    # -- driving the FSM -----------------------------------------------------------------

    def dispatch(self, fsm: f.Fsm, event: f.Event) -> None:
        for action in fsm.handle(event):
            ACTIONS[type(action)](self, fsm, action)
        self._housekeeping()

    def _fire(self, fsm: f.Fsm, timer: f.Timer) -> None:
        self._timers.pop((fsm, timer), None)
        if fsm is self.fsm or fsm is self.candidate:
            self.dispatch(fsm, TIMER_EVENT[timer]())

    def _on_connection_event(self, conn: Connection, event: f.Event) -> None:
        up = self.up
        fsm = up if up is not None and self.conns.get(up) is conn else self._fsm_of(conn)
        if fsm is None:
            return
        if not isinstance(event, f.MessageReceived):
            self.dispatch(fsm, event)
            return
        message = event.message
        if type(message) is Update and fsm is up and fsm.state is f.State.ESTABLISHED:
            self._update(fsm, conn, event, message)
            return
        discarded = isinstance(message, Update) and bool(
            message.treat_as_withdraw or message.discarded
        )
        self.stats.count(self.stats.received, message, discarded)
        established = fsm.state is f.State.ESTABLISHED
        self.dispatch(fsm, event)
        if established and isinstance(message, RouteRefresh):
            self.hooks.refresh(self.name, message)

    def _fsm_of(self, conn: Connection) -> f.Fsm | None:
        return next((x for x, c in self.conns.items() if c is conn), None)

    def _update(
        self, fsm: f.Fsm, conn: Connection, event: f.MessageReceived, message: Update
    ) -> None:
        """An UPDATE on the established session: counted, into the RIB, then the FSM."""
        discarded = bool(message.treat_as_withdraw or message.discarded)
        self.stats.count(self.stats.received, message, discarded)
        self.hooks.received(self.name, message)
        if fsm is not self.up:
            return  # closed meanwhile
        # RFC 4271 §8.2.2: an UPDATE restarts the hold timer. The UPDATEs of one socket read
        # arrived at the same moment, so the first one restarts it for all of them (a full
        # table is a hundred thousand UPDATEs: one timer restart per read, not per UPDATE).
        if conn.reads != self._hold_read:
            self._hold_read = conn.reads
            self.dispatch(fsm, event)

    def _housekeeping(self) -> None:
        """Collision resolution (RFC 4271 §6.8); drop a finished candidate; promote a winner."""
        self._resolve_collision()
        if self.candidate is not None and not self.candidate.connected:
            self._forget(self.candidate)
            self.candidate = None
        # The primary lost a collision (a stop would have ended the candidate first).
        lost = self.fsm.state is f.State.IDLE and not self.fsm.admin_up
        if lost and self.candidate is not None:
            self._forget(self.fsm)
            self.fsm, self.candidate = self.candidate, None

    def _resolve_collision(self) -> None:
        live = [x for x in (self.fsm, self.candidate) if x is not None and x.connected]
        if len(live) < 2:
            return
        up = [x for x in live if x.state is f.State.ESTABLISHED]
        opened = next((x.peer_open for x in live if x.peer_open is not None), None)
        if up:
            loser = live[1] if up[0] is live[0] else live[0]
        elif opened is not None:
            way = f.collision_loser(
                self.glob.router_id, self.glob.asn, opened.bgp_identifier, opened.asn
            )
            losers = [x for x in live if self.conns[x].direction is way]
            loser = losers[0] if len(losers) == 1 else live[1]
        else:
            return
        log.info("neighbor %s: connection collision, closing the %s connection", self.name,
                 self.conns[loser].direction.value)  # fmt: skip
        self.dispatch(loser, f.CollisionLost())

    def _forget(self, fsm: f.Fsm) -> None:
        for timer in f.Timer:
            handle = self._timers.pop((fsm, timer), None)
            if handle is not None:
                handle.cancel()
        conn = self.conns.pop(fsm, None)
        if conn is not None:
            conn.close()
            self._closing.append(conn)

    # -- connections ---------------------------------------------------------------------

    def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """An inbound connection from this neighbor's address."""
        conn = Connection(reader, writer, f.Direction.INBOUND, self._on_connection_event)
        with contextlib.suppress(OSError):
            set_ttl(writer.get_extra_info("socket"), self.ttl)
        self._attach(conn, f.TcpAccepted())

    def _attach(self, conn: Connection, event: f.TcpAccepted | f.TcpConnected) -> None:
        state = self.fsm.state
        if state in (f.State.CONNECT, f.State.ACTIVE) and self.fsm not in self.conns:
            target = self.fsm
        elif state in HANDSHAKING and self.candidate is None:
            target = self.candidate = f.Fsm(self.settings)
            target.handle(f.ManualStart(passive=True))
        else:
            log.info("neighbor %s: %s connection refused in %s", self.name,
                     conn.direction.value, state.value)  # fmt: skip
            conn.close()
            self._closing.append(conn)
            return
        self.conns[target] = conn
        if target is self.fsm:
            self.transport = {"local": conn.local, "remote": conn.remote}
        conn.start()
        self.dispatch(target, event)

    def _cancel_connect(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            self._connecting = None

    async def _connect(self) -> None:
        try:
            reader, writer = await self._open()
        except OSError as exc:
            self._connecting = None
            if self.fsm.state is f.State.CONNECT:
                self.dispatch(self.fsm, f.TcpFailed(f"connect failed: {exc.strerror or exc}"))
            return
        self._connecting = None
        conn = Connection(reader, writer, f.Direction.OUTBOUND, self._on_connection_event)
        self._attach(conn, f.TcpConnected())

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        family = socket.AF_INET6 if ipaddress.ip_address(self.name).version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            set_ttl(sock, self.ttl)
            if self.config.auth_password:  # RFC 2385, before the SYN
                tcpmd5.set_key(sock, self.name, self.config.auth_password)
            if self.bind:
                sock.bind((self.bind, 0))
            loop = asyncio.get_running_loop()
            await loop.sock_connect(sock, (self.name, self.config.remote_port))
        except BaseException:
            sock.close()
            raise
        return await asyncio.open_connection(sock=sock)

    # -- actions -------------------------------------------------------------------------

    def _do_connect(self, fsm: f.Fsm, action: f.Connect) -> None:
        self._cancel_connect()
        self._connecting = asyncio.get_running_loop().create_task(self._connect())

    def _do_send(self, fsm: f.Fsm, action: f.Send) -> None:
        conn = self.conns.get(fsm)
        if conn is not None:
            conn.send(action.message)
            self.stats.count(self.stats.sent, action.message)

    def _do_start_timer(self, fsm: f.Fsm, action: f.StartTimer) -> None:
        self._do_stop_timer(fsm, f.StopTimer(action.timer))
        delay = action.seconds * (random.uniform(0.75, 1.0) if action.timer in JITTERED else 1)
        loop = asyncio.get_running_loop()
        self._timers[(fsm, action.timer)] = loop.call_later(delay, self._fire, fsm, action.timer)

    def _do_stop_timer(self, fsm: f.Fsm, action: f.StopTimer) -> None:
        handle = self._timers.pop((fsm, action.timer), None)
        if handle is not None:
            handle.cancel()

    def _do_close(self, fsm: f.Fsm, action: f.Close) -> None:
        conn = self.conns.pop(fsm, None)
        if conn is not None:
            conn.close()
            self._closing.append(conn)
        if fsm is self.fsm:
            self._cancel_connect()

    def _do_state(self, fsm: f.Fsm, action: f.StateChange) -> None:
        which = "" if fsm is self.fsm else " (second connection)"
        log.info("neighbor %s%s: %s -> %s: %s", self.name, which, action.old.value,
                 action.new.value, action.reason)  # fmt: skip

    def _do_established(self, fsm: f.Fsm, action: f.Established) -> None:
        caps = action.negotiated.capabilities
        conn = self.conns[fsm]
        conn.set_context(caps.four_octet_as, caps.extended_message)
        self.transport = {"local": conn.local, "remote": conn.remote}
        self.stats.established(action.negotiated, action.peer_open)
        self.up, self._hold_read = fsm, -1
        session = EstablishedSession(
            address=self.name,
            neighbor=self.config,
            families=tuple(sorted(caps.families)),
            ctx=conn.ctx,
            peer_open=action.peer_open,
            capabilities=caps,
            local_address=conn.local[0],
        )
        self.hooks.established(session, SessionSender(self, fsm))  # the table, End-of-RIB

    def _do_down(self, fsm: f.Fsm, action: f.Down) -> None:
        if action.sent == f.COLLISION:
            return  # the other connection goes on: the session did not go down
        self.stats.down(action)
        if action.was_established and fsm is self.up:
            self.up = None  # no NOTIFICATION either way: graceful restart (RFC 4724 §4.2)
            self.hooks.down(self.name, graceful=action.sent is None and action.received is None)


ACTIONS: dict[type, Callable[[Peer, f.Fsm, Any], None]] = {
    f.Connect: Peer._do_connect,
    f.Send: Peer._do_send,
    f.StartTimer: Peer._do_start_timer,
    f.StopTimer: Peer._do_stop_timer,
    f.Close: Peer._do_close,
    f.StateChange: Peer._do_state,
    f.Established: Peer._do_established,
    f.Down: Peer._do_down,
}
