"""Message codec entry points (RFC 4271 §4).

Contract:
- ``CodecContext`` says what the session negotiated (4-octet AS, extended message).
- ``encode(msg, ctx) -> bytes`` returns one whole message, header included.
- ``decode(frame, ctx) -> Message`` takes one whole message as returned by ``Framer``;
  it raises ``BGPError`` with the NOTIFICATION the RFC names.
- ``Framer().feed(data) -> list[bytes]`` splits a TCP byte stream into whole frames,
  checking marker and length (RFC 4271 §6.1) and raising ``BGPError`` on a bad header.
"""

from __future__ import annotations

from collections.abc import Callable

from peerwise.wire.context import (
    DEFAULT_CONTEXT,
    MAX_EXTENDED_MESSAGE,
    MAX_MESSAGE,
    CodecContext,
)
from peerwise.wire.errors import (
    BGPError,
    ErrorCode,
    HeaderSubcode,
    RouteRefreshSubcode,
)
from peerwise.wire.messages import (
    Keepalive,
    Message,
    MessageType,
    Notification,
    Open,
    RouteRefresh,
    Update,
)
from peerwise.wire.notification import decode_notification, encode_notification
from peerwise.wire.open import decode_open, encode_open
from peerwise.wire.update import decode_update, encode_update

__all__ = [
    "DEFAULT_CONTEXT",
    "MAX_EXTENDED_MESSAGE",
    "MAX_MESSAGE",
    "CodecContext",
    "Framer",
    "MessageTooLarge",
    "decode",
    "decode_framed",
    "encode",
]

MARKER = b"\xff" * 16
HEADER_SIZE = 19

# RFC 4271 §6.1: the least Length of each type (KEEPALIVE: exactly 19); RFC 8654 §4: OPEN and
# KEEPALIVE never exceed 4096 octets, whatever was negotiated.
MIN_LENGTH: dict[int, int] = {
    MessageType.OPEN: 29,
    MessageType.UPDATE: 23,
    MessageType.NOTIFICATION: 21,
    MessageType.KEEPALIVE: 19,
    MessageType.ROUTE_REFRESH: 19,  # RFC 7313 §5: a bad length is a ROUTE-REFRESH error
}
MAX_LENGTH: dict[int, int] = {MessageType.OPEN: MAX_MESSAGE, MessageType.KEEPALIVE: HEADER_SIZE}


class MessageTooLarge(ValueError):
    """``encode`` was asked for a message over the negotiated maximum (the caller splits)."""


def _header_error(subcode: HeaderSubcode, data: bytes = b"") -> BGPError:
    return BGPError(ErrorCode.MESSAGE_HEADER, subcode, data)


def check_header(header: bytes, max_size: int) -> int:
    """The Length of a 19-octet header; BGPError per RFC 4271 §6.1."""
    if header[:16] != MARKER:
        raise _header_error(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED)
    length = int.from_bytes(header[16:18], "big")
    mtype = header[18]
    low = MIN_LENGTH.get(mtype, HEADER_SIZE)
    high = min(max_size, MAX_LENGTH.get(mtype, max_size))
    if not low <= length <= high:
        raise _header_error(HeaderSubcode.BAD_MESSAGE_LENGTH, header[16:18])
    return length


class Framer:
    """Splits a TCP byte stream into whole messages (sans-I/O: bytes in, frames out).

    ``max_size`` is 4096 until extended message is negotiated (RFC 8654), then 65535. After
    a BGPError the stream is lost; the session closes.
    """

    def __init__(self, max_size: int = MAX_MESSAGE) -> None:
        self._buffer = bytearray()
        self.max_size = max_size

    @property
    def max_size(self) -> int:
        return self._max_size

    @max_size.setter
    def max_size(self, value: int) -> None:
        if not MAX_MESSAGE <= value <= MAX_EXTENDED_MESSAGE:
            raise ValueError(f"max_size {value}: must be 4096..65535 (RFC 4271 §4.1, RFC 8654)")
        self._max_size = value

    def feed(self, data: bytes) -> list[bytes]:
        """Add ``data``; return every message now complete, header included."""
        buf = self._buffer
        buf += data
        frames: list[bytes] = []
        pos, size = 0, len(buf)
        while size - pos >= HEADER_SIZE:
            length = check_header(bytes(buf[pos : pos + HEADER_SIZE]), self._max_size)
            if size - pos < length:
                break
            frames.append(bytes(buf[pos : pos + length]))
            pos += length
        del buf[:pos]
        return frames

    @property
    def pending(self) -> int:
        """Octets held back, waiting for the rest of a message."""
        return len(self._buffer)


# KEEPALIVE (RFC 4271 §4.4) and ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3)
def _decode_keepalive(body: bytes, ctx: CodecContext) -> Keepalive:
    return Keepalive()


def _decode_route_refresh(body: bytes, ctx: CodecContext) -> RouteRefresh:
    """An unknown subtype is returned as is: RFC 7313 §5 says to ignore it, the caller does."""
    if len(body) != 4:  # RFC 7313 §5: data is the whole message
        raise BGPError(
            ErrorCode.ROUTE_REFRESH_MESSAGE,
            RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
            MARKER + (HEADER_SIZE + len(body)).to_bytes(2, "big") + b"\x05" + body,
        )
    return RouteRefresh(int.from_bytes(body[:2], "big"), body[3], body[2])


def _encode_route_refresh(msg: RouteRefresh) -> bytes:
    return msg.afi.to_bytes(2, "big") + bytes((msg.subtype, msg.safi))


_DECODERS: dict[int, Callable[[bytes, CodecContext], Message]] = {
    MessageType.OPEN: lambda body, ctx: decode_open(body),
    MessageType.UPDATE: decode_update,
    MessageType.NOTIFICATION: lambda body, ctx: decode_notification(body),
    MessageType.KEEPALIVE: _decode_keepalive,
    MessageType.ROUTE_REFRESH: _decode_route_refresh,
}

_ENCODERS: dict[type, tuple[MessageType, Callable[..., bytes]]] = {
    Open: (MessageType.OPEN, lambda msg, ctx: encode_open(msg)),
    Update: (MessageType.UPDATE, encode_update),
    Notification: (MessageType.NOTIFICATION, lambda msg, ctx: encode_notification(msg)),
    Keepalive: (MessageType.KEEPALIVE, lambda msg, ctx: b""),
    RouteRefresh: (MessageType.ROUTE_REFRESH, lambda msg, ctx: _encode_route_refresh(msg)),
}


def decode(frame: bytes, ctx: CodecContext = DEFAULT_CONTEXT) -> Message:
    """One whole message (as the Framer returns it) as a message value."""
    if len(frame) < HEADER_SIZE:
        raise _header_error(HeaderSubcode.BAD_MESSAGE_LENGTH, len(frame).to_bytes(2, "big"))
    length = check_header(frame[:HEADER_SIZE], ctx.max_size)
    if length != len(frame):
        raise _header_error(HeaderSubcode.BAD_MESSAGE_LENGTH, frame[16:18])
    decoder = _DECODERS.get(frame[18])
    if decoder is None:  # RFC 4271 §6.1: data is the type octet
        raise _header_error(HeaderSubcode.BAD_MESSAGE_TYPE, frame[18:19])
    return decoder(frame[HEADER_SIZE:], ctx)


def decode_framed(frame: bytes, ctx: CodecContext = DEFAULT_CONTEXT) -> Message:
    """:func:`decode` for a frame as :meth:`Framer.feed` returned it (its header was checked
    there, against the same maximum size): the receive path's per-message shortcut."""
    decoder = _DECODERS.get(frame[18])
    if decoder is None:  # RFC 4271 §6.1: data is the type octet
        raise _header_error(HeaderSubcode.BAD_MESSAGE_TYPE, frame[18:19])
    return decoder(frame[HEADER_SIZE:], ctx)


def encode(msg: Message, ctx: CodecContext = DEFAULT_CONTEXT) -> bytes:
    """One whole message, header included; MessageTooLarge past the negotiated size."""
    mtype, encoder = _ENCODERS[type(msg)]
    body = encoder(msg, ctx)
    length = HEADER_SIZE + len(body)
    if length > min(ctx.max_size, MAX_LENGTH.get(mtype, ctx.max_size)):
        raise MessageTooLarge(f"{mtype.name} of {length} octets exceeds the maximum")
    return MARKER + length.to_bytes(2, "big") + bytes((mtype,)) + body
