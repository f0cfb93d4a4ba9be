"""One TCP connection carrying BGP: frames the byte stream, decodes, reports events.

The connection knows nothing of the FSM: it calls ``on_event(connection, event)`` with
``MessageReceived``, ``DecodeError`` or ``TcpClosed``, and writes what it is told to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable
from dataclasses import replace

from peerwise.fsm import DecodeError, Direction, Event, MessageReceived, TcpClosed
from peerwise.wire.codec import Framer, decode_framed, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.errors import BGPError
from peerwise.wire.messages import Message

log = logging.getLogger("peerwise.session")
READ_SIZE = 65536
LINGER = 2.0  # seconds a closing connection waits for the peer's own close


def set_ttl(sock: socket.socket, ttl: int) -> None:
    """The IP TTL / IPv6 hop limit of our packets (ebgp-multihop; RFC 4271 leaves it local)."""
    if sock.family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    else:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)


class Connection:
    """A connected BGP transport, inbound or outbound."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        direction: Direction,
        on_event: Callable[[Connection, Event], None],
    ) -> None:
        self.reader, self.writer = reader, writer
        self.direction = direction
        self.on_event = on_event
        self.ctx = CodecContext(raw_nlri=True)  # UPDATE prefixes stay NLRI octets (the RIB's keys)
        self.framer = Framer()
        self.closed = False
        self.reads = 0  # socket reads fed so far: messages of one read arrived together
        sockname = writer.get_extra_info("sockname") or ("", 0)
        peername = writer.get_extra_info("peername") or ("", 0)
        self.local = (str(sockname[0]), int(sockname[1]))
        self.remote = (str(peername[0]), int(peername[1]))
        self._task: asyncio.Task[None] | None = None
        self._drain: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    def set_context(self, four_octet_as: bool, extended_message: bool) -> None:
        """After OPENs: the codec context the session negotiated (RFC 6793, RFC 8654)."""
        self.ctx = replace(self.ctx, four_octet_as=four_octet_as, extended_message=extended_message)
        self.framer.max_size = self.ctx.max_size

    def send(self, message: Message) -> None:
        if self.closed:
            return
        self.writer.write(encode(message, self.ctx))

    def write(self, data: bytes) -> None:
        """Already encoded messages (the RIB's packed UPDATEs)."""
        if not self.closed:
            self.writer.write(data)

    def close(self) -> None:
        """Flush what was written, then close; no more events after this.

        A NOTIFICATION is usually the last thing written (RFC 4271 §6). Closing a socket with
        unread data in it makes the kernel send RST, and a RST can make the peer lose that
        NOTIFICATION before it reads it. So: FIN after the data (half-close), read and discard
        what the peer still sends until its own close or LINGER seconds, then close.
        """
        if self.closed:
            return
        self.closed = True
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
        try:
            self.writer.write_eof()
        except Exception:  # already broken: nothing left to deliver
            with contextlib.suppress(Exception):
                self.writer.close()
            return
        self._drain = asyncio.get_running_loop().create_task(self._drain_then_close())

    async def _drain_then_close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._discard(), LINGER)
        with contextlib.suppress(Exception):
            self.writer.close()

    async def _discard(self) -> None:
        while await self.reader.read(READ_SIZE):
            pass

    async def wait_closed(self) -> None:
        if self._drain is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._drain), LINGER + 1)
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()

    async def _read_loop(self) -> None:
        reason = "connection closed by the peer"
        try:
            while not self.closed:
                data = await self.reader.read(READ_SIZE)
                if not data:
                    break
                if not self._feed(data):
                    return
        except (ConnectionError, OSError) as exc:
            reason = f"connection lost: {exc}"
        except asyncio.CancelledError:
            return
        except Exception as exc:  # a bug must not leave the session hanging until hold expiry
            log.exception("connection %s: internal error", self.remote[0])
            reason = f"internal error: {exc!r}"
        if not self.closed:
            self.on_event(self, TcpClosed(reason))

    def _feed(self, data: bytes) -> bool:
        """Decode every whole message; False once the stream is unusable or closed."""
        self.reads += 1
        try:
            for frame in self.framer.feed(data):
                if self.closed:
                    return False
                try:
                    message = decode_framed(frame, self.ctx)
                except BGPError as err:
                    self.on_event(self, DecodeError(err))
                    return False
                self.on_event(self, MessageReceived(message))
        except BGPError as err:  # a bad header: the stream is lost (RFC 4271 §6.1)
            self.on_event(self, DecodeError(err))
            return False
        return not self.closed
