"""Message codec entry points (RFC 4271 §4). To be completed by the wire work.

Contract:
- ``CodecContext`` says what the session negotiated (4-octet AS, extended message, families).
- ``encode(msg, ctx) -> bytes`` returns one whole message, header included.
- ``decode(frame, ctx) -> Message`` takes one whole message as returned by ``Framer``;
  it raises ``BGPError`` with the NOTIFICATION the RFC names.
- ``Framer().feed(data) -> list[bytes]`` splits a TCP byte stream into whole frames,
  checking marker and length (RFC 4271 §6.1) and raising ``BGPError`` on a bad header.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_MESSAGE = 4096  # RFC 4271 §4.1
MAX_EXTENDED_MESSAGE = 65535  # RFC 8654


@dataclass(frozen=True)
class CodecContext:
    four_octet_as: bool = True
    extended_message: bool = False

    @property
    def max_size(self) -> int:
        return MAX_EXTENDED_MESSAGE if self.extended_message else MAX_MESSAGE


DEFAULT_CONTEXT = CodecContext()
