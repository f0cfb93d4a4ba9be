"""What the session negotiated, as far as the byte layout depends on it."""

from __future__ import annotations

from dataclasses import dataclass

MAX_MESSAGE = 4096  # RFC 4271 §4.1
MAX_EXTENDED_MESSAGE = 65535  # RFC 8654 §4


@dataclass(frozen=True)
class CodecContext:
    """``four_octet_as``: AS numbers in AS_PATH and AGGREGATOR take 4 octets (RFC 6793 §4.1).

    ``extended_message``: UPDATE, NOTIFICATION and ROUTE-REFRESH may be up to 65535 octets
    (RFC 8654 §4); OPEN and KEEPALIVE stay within 4096.

    ``raw_nlri``: decode UPDATE prefixes to their NLRI encoding (``Update.nlri_raw``, one
    ``bytes`` per prefix, host bits cleared) instead of text: the full-table fast path.
    """

    four_octet_as: bool = True
    extended_message: bool = False
    raw_nlri: bool = False

    @property
    def max_size(self) -> int:
        return MAX_EXTENDED_MESSAGE if self.extended_message else MAX_MESSAGE


DEFAULT_CONTEXT = CodecContext()
TWO_OCTET_CONTEXT = CodecContext(four_octet_as=False)
