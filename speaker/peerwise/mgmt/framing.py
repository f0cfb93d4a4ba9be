"""NETCONF message framing over a byte stream (RFC 6242 §4), sans-I/O.

Bytes go in through :meth:`Framer.feed`, whole messages (``str``) come out; :meth:`Framer.encode`
frames one outgoing message. No socket, no clock: the same framer serves both roles — the
server's sessions (Unix socket, SSH) and the standard-library client (:mod:`client`) — and the
tests.

Every session starts in base:1.0 *end-of-message* framing (RFC 6242 §4.3): a message ends with
``]]>]]>``. The first message each side sends is its ``<hello>``; when both hellos advertise
``urn:ietf:params:netconf:base:1.1`` every later message uses *chunked* framing (§4.2)::

    \\n#<chunk-size>\\n<chunk-data> ... \\n##\\n

The framer reads the peer's hello itself, so a hello and the first chunked message arriving in
one read are still split correctly. Our own hello must be encoded before the peer's is fed.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from dataclasses import dataclass

BASE_1_0 = "urn:ietf:params:netconf:base:1.0"
BASE_1_1 = "urn:ietf:params:netconf:base:1.1"
NC_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"

EOM = b"]]>]]>"  # RFC 6242 §4.3
MAX_CHUNK_SIZE = 4294967295  # RFC 6242 §4.2: chunk-size is 1..4294967295
_MAX_SIZE_DIGITS = len(str(MAX_CHUNK_SIZE))
DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024  # ours: a bound on buffered input


class Framing(enum.Enum):
    """The two framings of RFC 6242 §4."""

    END_OF_MESSAGE = "base:1.0"
    CHUNKED = "base:1.1"


class FramingError(Exception):
    """The byte stream cannot be framed; the session must be closed (RFC 6242 §4.2)."""


class _Chunk(enum.Enum):
    """Where the chunked decoder stands."""

    HEADER = "header"  # expecting LF HASH
    SIZE = "size"  # reading digits or the second HASH
    DATA = "data"  # reading chunk-data


@dataclass(frozen=True)
class _Header:
    """A parsed chunk header: ``size`` 0 means end-of-chunks; ``length`` bytes were consumed."""

    size: int
    length: int


def hello_capabilities(message: str) -> frozenset[str]:
    """The ``<capability>`` URIs of a ``<hello>`` message; empty when it is not one."""
    try:
        root = ET.fromstring(message)
    except ET.ParseError:
        return frozenset()
    if root.tag != f"{{{NC_NS}}}hello":
        return frozenset()
    found = root.iterfind(f"{{{NC_NS}}}capabilities/{{{NC_NS}}}capability")
    return frozenset((cap.text or "").strip() for cap in found)


class Framer:
    """Split one direction of a NETCONF stream into messages and frame the other direction.

    ``local_base11`` says whether our own hello advertises base:1.1; the switch to chunked
    framing happens after the peer's hello when it advertises base:1.1 too.
    """

    def __init__(self, local_base11: bool = True, max_message: int = DEFAULT_MAX_MESSAGE) -> None:
        self.framing = Framing.END_OF_MESSAGE
        self._local_base11 = local_base11
        self._max_message = max_message
        self._hello_seen = False
        self._buffer = bytearray()
        self._message = bytearray()  # chunked: data of the chunks read so far
        self._chunk = _Chunk.HEADER
        self._remaining = 0
        self._chunks = 0

    def encode(self, message: str) -> bytes:
        """Frame one outgoing message in the current framing."""
        data = message.encode("utf-8")
        if self.framing is Framing.END_OF_MESSAGE:
            return data + EOM
        return b"\n#%d\n" % len(data) + data + b"\n##\n"

    def feed(self, data: bytes) -> list[str]:
        """Take bytes from the stream; return the messages they complete, in order."""
        self._buffer += data
        messages: list[str] = []
        while True:
            if self.framing is Framing.END_OF_MESSAGE:
                message = self._next_eom()
            else:
                message = self._next_chunked()
            if message is None:
                return messages
            messages.append(message)
            if not self._hello_seen:
                self._hello_seen = True
                self._maybe_switch(message)

    def _maybe_switch(self, hello: str) -> None:
        """RFC 6242 §4.1: chunked framing when both hellos advertise base:1.1."""
        if self._local_base11 and BASE_1_1 in hello_capabilities(hello):
            self.framing = Framing.CHUNKED

    def _next_eom(self) -> str | None:
        end = self._buffer.find(EOM)
        if end < 0:
            self._check_size(len(self._buffer) - len(EOM))
            return None
        data = bytes(self._buffer[:end])
        del self._buffer[: end + len(EOM)]
        return _decode(data)

    def _next_chunked(self) -> str | None:
        while self._buffer:
            if self._chunk is _Chunk.DATA:
                self._take_data()
                continue
            header = self._parse_header()
            if header is None:
                return None
            del self._buffer[: header.length]
            if header.size:
                self._remaining = header.size
                self._chunks += 1
                self._chunk = _Chunk.DATA
                self._check_size(len(self._message) + header.size)
                continue
            # RFC 6242 §4.2: a message is one or more chunks, then end-of-chunks.
            if not self._chunks:
                raise FramingError("end-of-chunks marker '\\n##\\n' before any chunk")
            data = bytes(self._message)
            self._message.clear()
            self._chunks = 0
            return _decode(data)
        return None

    def _take_data(self) -> None:
        taken = self._buffer[: self._remaining]
        self._message += taken
        del self._buffer[: len(taken)]
        self._remaining -= len(taken)
        if not self._remaining:
            self._chunk = _Chunk.HEADER

    def _parse_header(self) -> _Header | None:
        """Parse ``LF HASH chunk-size LF`` or ``LF HASH HASH LF`` at the buffer's start."""
        buf = self._buffer
        for index, expected in enumerate(b"\n#"):
            if len(buf) <= index:
                return None
            if buf[index] != expected:
                what = "LF" if index == 0 else "'#'"
                got = bytes(buf[index : index + 1])
                raise FramingError(f"chunk header: expected {what} at byte {index}, got {got!r}")
        if len(buf) < 3:
            return None
        if buf[2] == ord("#"):
            if len(buf) < 4:
                return None
            if buf[3] != ord("\n"):
                raise FramingError(
                    f"end-of-chunks: expected LF after '##', got {bytes(buf[3:4])!r}"
                )
            return _Header(0, 4)
        return _parse_size(buf)

    def _check_size(self, size: int) -> None:
        if size > self._max_message:
            raise FramingError(f"message exceeds {self._max_message} bytes")


def _parse_size(buf: bytearray) -> _Header | None:
    """RFC 6242 §4.2: chunk-size = 1*DIGIT1 0*DIGIT, at most 4294967295, then LF."""
    if buf[2] not in b"123456789":
        raise FramingError(f"chunk size must start with a digit 1-9, got {bytes(buf[2:3])!r}")
    end = 3
    while end < len(buf) and buf[end] in b"0123456789":
        end += 1
        if end - 2 > _MAX_SIZE_DIGITS:
            raise FramingError(f"chunk size longer than {_MAX_SIZE_DIGITS} digits")
    if end == len(buf):
        return None
    if buf[end] != ord("\n"):
        raise FramingError(
            f"chunk size: expected LF after digits, got {bytes(buf[end : end + 1])!r}"
        )
    size = int(buf[2:end])
    if size > MAX_CHUNK_SIZE:
        raise FramingError(f"chunk size {size} exceeds {MAX_CHUNK_SIZE}")
    return _Header(size, end + 1)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FramingError(f"message is not UTF-8: {exc.reason} at byte {exc.start}") from exc
