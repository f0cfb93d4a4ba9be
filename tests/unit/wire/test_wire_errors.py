"""Every NOTIFICATION the codec raises: bad bytes in, (code, subcode, data) out.

Each row is one rule of RFC 4271 §6.1-§6.3 (or RFC 7313, RFC 7606, RFC 9072) that ends the
session. The expected values are named enums, so a row reads like the RFC.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from wire_helpers import MARKER, attr, message, open_body, update

from peerwise.wire import (
    BGPError,
    CodecContext,
    ErrorCode,
    Framer,
    HeaderSubcode,
    OpenSubcode,
    RouteRefreshSubcode,
    UpdateSubcode,
    decode,
)

H, OP, U = HeaderSubcode, OpenSubcode, UpdateSubcode
ORIGIN = attr(0x40, 1, b"\x00")
AS_PATH = attr(0x40, 2, b"")
MP_REACH_V6 = attr(0x80, 14, b"\x00\x02\x01\x10" + bytes(16) + b"\x00" + b"\x20\x20\x01\x0d\xb8")
BAD_NH_LEN = attr(0x80, 14, b"\x00\x02\x01\x05" + bytes(5) + b"\x00")
BAD_MP_FLAGS = attr(0x40, 14, b"\x00\x02\x01\x10" + bytes(16) + b"\x00")
BAD_MP_NLRI = attr(0x80, 14, b"\x00\x02\x01\x10" + bytes(16) + b"\x00" + b"\x81")
SHORT_UNREACH = attr(0x80, 15, b"\x00\x02")
UNKNOWN_WELL_KNOWN = attr(0x40, 99, b"\x01\x02")
CAP = b"\x02\x06\x41\x04\x00\x00\xfd\xe9"  # parameter: 4-octet AS 65001


class Case(NamedTuple):
    name: str
    wire: bytes
    code: ErrorCode
    subcode: int
    data: bytes = b""


CASES = [
    # RFC 4271 §6.1 message header
    Case("marker not all ones", b"\xfe" + MARKER[1:] + b"\x00\x13\x04",
         ErrorCode.MESSAGE_HEADER, H.CONNECTION_NOT_SYNCHRONIZED),
    Case("length below 19", MARKER + b"\x00\x12\x04", ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x00\x12"),
    Case("length above 4096", MARKER + b"\x10\x01\x02" + bytes(4078), ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x10\x01"),
    Case("keepalive not 19", MARKER + b"\x00\x14\x04\x00", ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x00\x14"),
    Case("open below 29", message(1, bytes(9)), ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x00\x1c"),
    Case("update below 23", message(2, bytes(3)), ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x00\x16"),
    Case("notification below 21", message(3, b"\x06"), ErrorCode.MESSAGE_HEADER,
         H.BAD_MESSAGE_LENGTH, b"\x00\x14"),
    Case("unknown type 6", message(6, b""), ErrorCode.MESSAGE_HEADER, H.BAD_MESSAGE_TYPE,
         b"\x06"),
    Case("unknown type 0", message(0, b""), ErrorCode.MESSAGE_HEADER, H.BAD_MESSAGE_TYPE,
         b"\x00"),
    # RFC 4271 §6.2 OPEN
    Case("version 3", message(1, b"\x03" + open_body(b"")[1:]), ErrorCode.OPEN_MESSAGE,
         OP.UNSUPPORTED_VERSION_NUMBER, b"\x00\x04"),
    Case("hold time 1", message(1, open_body(b"", hold=1)), ErrorCode.OPEN_MESSAGE,
         OP.UNACCEPTABLE_HOLD_TIME),
    Case("hold time 2", message(1, open_body(b"", hold=2)), ErrorCode.OPEN_MESSAGE,
         OP.UNACCEPTABLE_HOLD_TIME),
    Case("identifier 0.0.0.0", message(1, open_body(b"", ident=bytes(4))),
         ErrorCode.OPEN_MESSAGE, OP.BAD_BGP_IDENTIFIER),
    Case("identifier multicast", message(1, open_body(b"", ident=b"\xe0\x00\x00\x05")),
         ErrorCode.OPEN_MESSAGE, OP.BAD_BGP_IDENTIFIER),
    Case("parameter type 1 (authentication)", message(1, open_body(b"\x01\x01\x00")),
         ErrorCode.OPEN_MESSAGE, OP.UNSUPPORTED_OPTIONAL_PARAMETER),
    Case("parameter overruns", message(1, open_body(b"\x02\x09" + CAP[2:])),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    Case("capability overruns", message(1, open_body(b"\x02\x03\x41\x04\x00")),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    Case("MP capability of 3 octets", message(1, open_body(b"\x02\x05\x01\x03\x00\x01\x01")),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    Case("4-octet AS capability of 2 octets", message(1, open_body(b"\x02\x04\x41\x02\x00\x01")),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    Case("parameters length disagrees", message(1, open_body(CAP)[:-1] + b"\x00\x00"),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    Case("RFC 9072 length disagrees",
         message(1, open_body(b"")[:-1] + b"\xff\xff\x00\x0a\x02\x00\x06" + CAP[2:]),
         ErrorCode.OPEN_MESSAGE, OP.UNSPECIFIC),
    # RFC 4271 §6.3 UPDATE, as amended by RFC 7606
    Case("withdrawn length overruns", message(2, b"\x00\x05\x00\x00"),
         ErrorCode.UPDATE_MESSAGE, U.MALFORMED_ATTRIBUTE_LIST),
    Case("attribute length overruns", message(2, b"\x00\x00\x00\x05\x40\x01\x01"),
         ErrorCode.UPDATE_MESSAGE, U.MALFORMED_ATTRIBUTE_LIST),
    Case("NLRI prefix length 33", update(ORIGIN + AS_PATH, b"\x21" + bytes(5)),
         ErrorCode.UPDATE_MESSAGE, U.INVALID_NETWORK_FIELD),
    Case("NLRI truncated", update(ORIGIN + AS_PATH, b"\x18\x0a\x00"),
         ErrorCode.UPDATE_MESSAGE, U.INVALID_NETWORK_FIELD),
    Case("withdrawn truncated", update(withdrawn=b"\x20\x0a"), ErrorCode.UPDATE_MESSAGE,
         U.INVALID_NETWORK_FIELD),
    Case("unrecognized well-known", update(UNKNOWN_WELL_KNOWN), ErrorCode.UPDATE_MESSAGE,
         U.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, UNKNOWN_WELL_KNOWN),
    Case("MP_REACH twice", update(MP_REACH_V6 + MP_REACH_V6 + ORIGIN + AS_PATH),
         ErrorCode.UPDATE_MESSAGE, U.MALFORMED_ATTRIBUTE_LIST),
    Case("MP_UNREACH twice", update(attr(0x80, 15, b"\x00\x02\x01") * 2),
         ErrorCode.UPDATE_MESSAGE, U.MALFORMED_ATTRIBUTE_LIST),
    Case("MP_REACH next hop length 5", update(BAD_NH_LEN + ORIGIN + AS_PATH),
         ErrorCode.UPDATE_MESSAGE, U.OPTIONAL_ATTRIBUTE_ERROR, BAD_NH_LEN),
    Case("MP_REACH flags", update(BAD_MP_FLAGS + ORIGIN + AS_PATH), ErrorCode.UPDATE_MESSAGE,
         U.ATTRIBUTE_FLAGS_ERROR, BAD_MP_FLAGS),
    Case("MP_REACH prefix length 129", update(BAD_MP_NLRI + ORIGIN + AS_PATH),
         ErrorCode.UPDATE_MESSAGE, U.OPTIONAL_ATTRIBUTE_ERROR, BAD_MP_NLRI),
    Case("MP_UNREACH too short", update(SHORT_UNREACH), ErrorCode.UPDATE_MESSAGE,
         U.OPTIONAL_ATTRIBUTE_ERROR, SHORT_UNREACH),
    # RFC 7313 §5 ROUTE-REFRESH: the data is the whole message
    Case("route refresh of 5 octets", message(5, b"\x00\x01\x00\x01\x00"),
         ErrorCode.ROUTE_REFRESH_MESSAGE, RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
         message(5, b"\x00\x01\x00\x01\x00")),
    Case("route refresh of 3 octets", message(5, b"\x00\x01\x00"),
         ErrorCode.ROUTE_REFRESH_MESSAGE, RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
         message(5, b"\x00\x01\x00")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_decode_raises_the_notification(case: Case) -> None:
    with pytest.raises(BGPError) as raised:
        decode(case.wire)
    assert (raised.value.code, raised.value.subcode, raised.value.data) == (
        case.code,
        case.subcode,
        case.data,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_framer_then_decode_agree(case: Case) -> None:
    """The Framer raises the header errors itself; what it passes on, decode refuses."""
    with pytest.raises(BGPError) as raised:
        for frame in Framer().feed(case.wire):
            decode(frame)
    assert (raised.value.code, raised.value.subcode) == (case.code, case.subcode)


def test_extended_message_raises_the_limit_but_not_for_open() -> None:
    """RFC 8654 §4: after negotiation UPDATEs may reach 65535; OPEN stays within 4096."""
    big_update = update(nlri=b"\x18\x0a\x00\x00" * 1500)
    framer = Framer()
    with pytest.raises(BGPError):
        framer.feed(big_update)
    framer = Framer()
    framer.max_size = 65535
    assert framer.feed(big_update) == [big_update]
    with pytest.raises(BGPError) as raised:
        framer.feed(message(1, bytes(5000)))
    assert raised.value.subcode == HeaderSubcode.BAD_MESSAGE_LENGTH
    with pytest.raises(BGPError):
        decode(big_update)
    assert decode(big_update, CodecContext(extended_message=True)).nlri[-1] == "10.0.0.0/24"


@pytest.mark.parametrize("size", [4095, 65536, 0])
def test_framer_refuses_silly_limits(size: int) -> None:
    with pytest.raises(ValueError):
        Framer(max_size=size)
