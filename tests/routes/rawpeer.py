"""A scripted BGP speaker on loopback, built on ``peerwise.wire``: it sends what no real
speaker will send on request (a malformed attribute), byte for byte.

``RawPeer(address, asn, remote).connect()`` opens TCP from ``address`` to ``remote:179``,
exchanges OPEN and KEEPALIVE with hold time 0 (RFC 4271 §4.2: no keepalives, no hold
timer, so nothing runs in the background) and returns the peer's OPEN. ``send_update(body)``
sends an UPDATE whose body is given as bytes (the attributes annotated where they are
written, see :func:`attr`); ``read(timeout)`` returns what came back, decoded.
"""

from __future__ import annotations

import socket
import struct
import time

from peerwise.wire.capabilities import FourOctetAs, Multiprotocol, RouteRefreshCapability
from peerwise.wire.codec import MARKER, Framer, decode, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.messages import Keepalive, Message, MessageType, Open

AS_TRANS = 23456  # RFC 6793 §9
EXTENDED_LENGTH = 0x10  # RFC 4271 §4.3 attribute flag


def attr(flags: int, code: int, value: bytes) -> bytes:
    """One path attribute: flags, type code, length (one or two octets), value."""
    if flags & EXTENDED_LENGTH:
        return bytes((flags, code)) + struct.pack(">H", len(value)) + value
    return bytes((flags, code, len(value))) + value


def ipv4_prefix(text: str) -> bytes:
    """NLRI encoding of an IPv4 prefix (RFC 4271 §4.3): length, then the significant octets."""
    address, length = text.split("/")
    plen = int(length)
    return bytes((plen,)) + socket.inet_aton(address)[: (plen + 7) // 8]


def update_body(attributes: bytes, nlri: bytes = b"", withdrawn: bytes = b"") -> bytes:
    """RFC 4271 §4.3: withdrawn length, withdrawn, attributes length, attributes, NLRI."""
    return (
        struct.pack(">H", len(withdrawn)) + withdrawn
        + struct.pack(">H", len(attributes)) + attributes + nlri
    )  # fmt: skip


class RawPeer:
    def __init__(self, address: str, asn: int, remote: str, port: int = 179) -> None:
        self.address, self.asn, self.remote, self.port = address, asn, remote, port
        self.ctx = CodecContext(four_octet_as=True)
        self.framer = Framer()
        self.sock: socket.socket | None = None
        self.closed = False
        self.inbox: list[Message] = []

    def connect(self, timeout: float = 15.0) -> Open:
        """TCP, OPEN, KEEPALIVE both ways; retried while the speaker is not listening yet."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(
                    (self.remote, self.port), timeout=2.0, source_address=(self.address, 0)
                )
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        caps = (
            Multiprotocol(1, 1),
            Multiprotocol(2, 1),
            RouteRefreshCapability(),
            FourOctetAs(self.asn),
        )
        my_as = self.asn if self.asn <= 0xFFFF else AS_TRANS
        self.send(Open(my_as, 0, self.address, caps))
        peer_open = self.expect(Open, timeout)
        self.send(Keepalive())
        self.expect(Keepalive, timeout)
        return peer_open

    def send(self, message: Message) -> None:
        assert self.sock is not None
        self.sock.sendall(encode(message, self.ctx))

    def send_update(self, body: bytes) -> None:
        """An UPDATE around ``body`` as it is, however malformed."""
        assert self.sock is not None
        header = MARKER + struct.pack(">HB", 19 + len(body), MessageType.UPDATE)
        self.sock.sendall(header + body)

    def _pull(self, timeout: float) -> None:
        """Receive for up to ``timeout`` seconds (less once something arrived) into ``inbox``."""
        assert self.sock is not None
        if self.closed:
            return
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return
        except ConnectionError:
            data = b""
        if not data:
            self.closed = True
            return
        self.inbox += [decode(frame, self.ctx) for frame in self.framer.feed(data)]

    def read(self, timeout: float) -> list[Message]:
        """Every message that arrives within ``timeout`` (or until the speaker closes)."""
        deadline = time.monotonic() + timeout
        while not self.closed and (left := deadline - time.monotonic()) > 0:
            self._pull(left)
        out, self.inbox = self.inbox, []
        return out

    def expect(self, kind: type, timeout: float) -> Message:
        """The next message of type ``kind`` (the ones before it are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            while self.inbox:
                message = self.inbox.pop(0)
                if isinstance(message, kind):
                    return message
            if self.closed or time.monotonic() > deadline:
                raise AssertionError(f"no {kind.__name__} from {self.remote} in {timeout}s")
            self._pull(deadline - time.monotonic())

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
