"""OPEN messages (RFC 4271 §4.2, RFC 5492 §4, RFC 9072 extended optional parameters).

Decoding checks what the codec alone can judge, in RFC 4271 §6.2 order: the version, the hold
time, the BGP identifier, then the optional parameters. Whether the peer's AS is the one
configured, and which capabilities both sides share, are the FSM's business.
"""

from __future__ import annotations

import struct
from typing import TypeVar

from peerwise.wire.capabilities import (
    Capability,
    FourOctetAs,
    Multiprotocol,
    decode_capabilities,
    encode_capability,
)
from peerwise.wire.errors import BGPError, ErrorCode, HeaderSubcode, OpenSubcode
from peerwise.wire.families import IPV4_UNICAST, Family
from peerwise.wire.messages import AS_TRANS, BGP_VERSION, Open
from peerwise.wire.prefixes import format_ipv4, pack_address

CAPABILITIES_PARAMETER = 2  # RFC 5492 §4
EXTENDED_PARAMETERS = 255  # RFC 9072 §2: Non-Ext OP Type marking the extended format
C = TypeVar("C", bound=Capability)
_FIXED = struct.Struct(">BHH4sB")  # version, my AS, hold time, BGP identifier, opt. param. len


def _open_error(subcode: OpenSubcode, data: bytes = b"", reason: str = "") -> BGPError:
    return BGPError(ErrorCode.OPEN_MESSAGE, subcode, data, reason)


def make_open(
    asn: int, hold_time: int, router_id: str, capabilities: tuple[Capability, ...] = ()
) -> Open:
    """An OPEN for ``asn``: AS_TRANS in My AS when it needs 4 octets (RFC 6793 §4.1), and the
    4-octet AS capability added when missing."""
    if not any(isinstance(cap, FourOctetAs) for cap in capabilities):
        capabilities = (*capabilities, FourOctetAs(asn))
    return Open(asn if asn <= 0xFFFF else AS_TRANS, hold_time, router_id, capabilities)


def decode_open(body: bytes) -> Open:
    """The OPEN body (after the 19-octet header); BGPError per RFC 4271 §6.2."""
    if len(body) < _FIXED.size:
        raise BGPError(
            ErrorCode.MESSAGE_HEADER,  # the Framer normally catches this first
            HeaderSubcode.BAD_MESSAGE_LENGTH,
            (19 + len(body)).to_bytes(2, "big"),
        )
    version, my_as, hold, ident, opt_len = _FIXED.unpack_from(body)
    if version != BGP_VERSION:
        raise _open_error(OpenSubcode.UNSUPPORTED_VERSION_NUMBER, BGP_VERSION.to_bytes(2, "big"))
    if hold in (1, 2):  # RFC 4271 §4.2: zero or at least three seconds
        raise _open_error(OpenSubcode.UNACCEPTABLE_HOLD_TIME)
    if ident == b"\0\0\0\0" or 224 <= ident[0] <= 239:  # RFC 6286 §2.2; not multicast (4271)
        raise _open_error(OpenSubcode.BAD_BGP_IDENTIFIER)
    caps: list[Capability] = []
    for ptype, value in _parameters(body[_FIXED.size :], opt_len):
        if ptype != CAPABILITIES_PARAMETER:  # RFC 4271 §6.2, RFC 5492 §4
            raise _open_error(
                OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, reason=f"parameter type {ptype}"
            )
        caps.extend(decode_capabilities(value))
    return Open(my_as, hold, format_ipv4(ident), tuple(caps), version)


def _parameters(data: bytes, opt_len: int) -> list[tuple[int, bytes]]:
    """(type, value) of each optional parameter; RFC 9072 §2 when the first type is 255."""
    length_size = 1
    if opt_len and data[:1] == bytes((EXTENDED_PARAMETERS,)):
        if len(data) < 3:
            raise _open_error(OpenSubcode.UNSPECIFIC, reason="truncated extended parameters")
        opt_len, data, length_size = int.from_bytes(data[1:3], "big"), data[3:], 2
    if opt_len != len(data):
        raise _open_error(OpenSubcode.UNSPECIFIC, reason="optional parameters length")
    params: list[tuple[int, bytes]] = []
    i = 0
    while i < opt_len:
        head_end = i + 1 + length_size
        stop = head_end + int.from_bytes(data[i + 1 : head_end], "big")
        if head_end > opt_len or stop > opt_len:
            raise _open_error(OpenSubcode.UNSPECIFIC, reason="truncated optional parameter")
        params.append((data[i], data[head_end:stop]))
        i = stop
    return params


def encode_open(msg: Open) -> bytes:
    """The OPEN body; capabilities in one parameter, RFC 9072 format if over 255 octets."""
    caps = b"".join(map(encode_capability, msg.capabilities))
    if not caps:
        params = b"\x00"
    elif len(caps) + 2 <= 255:
        params = bytes((2 + len(caps), CAPABILITIES_PARAMETER, len(caps))) + caps
    else:  # RFC 9072 §2
        ext = bytes((CAPABILITIES_PARAMETER,)) + len(caps).to_bytes(2, "big") + caps
        params = bytes((255, EXTENDED_PARAMETERS)) + len(ext).to_bytes(2, "big") + ext
    fixed = struct.pack(">BHH", msg.version, msg.my_as, msg.hold_time)
    return fixed + pack_address(msg.bgp_identifier) + params


def families(msg: Open) -> set[Family]:
    """The families an OPEN offers: its Multiprotocol capabilities, else IPv4 unicast
    (RFC 4760 §8: without the capability, only IPv4 unicast is assumed)."""
    offered = {cap.family for cap in msg.capabilities if isinstance(cap, Multiprotocol)}
    return offered or {IPV4_UNICAST}


def find_capability(msg: Open, kind: type[C]) -> C | None:
    """The first capability of class ``kind`` in an OPEN, or None."""
    for cap in msg.capabilities:
        if isinstance(cap, kind):
            return cap
    return None
