"""Annotated byte vectors: each message as a peer sends it, and the value it decodes to.

``exact`` vectors are also what ``encode`` writes; the others (several optional parameters,
as GoBGP sends them) are checked to decode and to survive encode -> decode.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from wire_helpers import MARKER, message

from peerwise.wire import (
    DEFAULT_CONTEXT,
    TWO_OCTET_CONTEXT,
    AsPath,
    AsSegment,
    AtomicAggregate,
    CodecContext,
    Communities,
    ExtendedMessage,
    FourOctetAs,
    Keepalive,
    LocalPref,
    Message,
    MpReachNlri,
    MpUnreachNlri,
    MultiExitDisc,
    Multiprotocol,
    NextHop,
    Notification,
    Open,
    Origin,
    OriginCode,
    RouteRefresh,
    RouteRefreshCapability,
    SegmentType,
    Update,
    decode,
    encode,
)


class Vector(NamedTuple):
    name: str
    wire: bytes
    value: Message
    ctx: CodecContext = DEFAULT_CONTEXT
    exact: bool = True


GOBGP_OPEN = bytes(
    [
        *[0xFF] * 16,  # marker
        0x00, 0x31,  # length 49
        0x01,  # type OPEN
        0x04,  # version 4
        0xFD, 0xE9,  # my AS 65001
        0x00, 0x5A,  # hold time 90
        0xC0, 0x00, 0x02, 0x02,  # BGP identifier 192.0.2.2
        0x14,  # optional parameters length 20
        0x02, 0x06,  # parameter: capabilities, 6 octets
        0x01, 0x04, 0x00, 0x01, 0x00, 0x01,  # MP: AFI 1, reserved, SAFI 1 (ipv4-unicast)
        0x02, 0x02,  # parameter: capabilities, 2 octets
        0x02, 0x00,  # route refresh
        0x02, 0x06,  # parameter: capabilities, 6 octets
        0x41, 0x04, 0x00, 0x00, 0xFD, 0xE9,  # 4-octet AS 65001
    ]
)  # fmt: skip

ONE_PARAM_OPEN = message(1, bytes([
    0x04,  # version 4
    0x5B, 0xA0,  # my AS: AS_TRANS 23456
    0x00, 0x00,  # hold time 0
    0x0A, 0x00, 0x00, 0x01,  # BGP identifier 10.0.0.1
    0x0C,  # optional parameters length 12
    0x02, 0x0A,  # one parameter: capabilities, 10 octets
    0x02, 0x00,  # route refresh
    0x41, 0x04, 0xFA, 0x56, 0xEA, 0x00,  # 4-octet AS 4200000000
    0x06, 0x00,  # extended message
]))  # fmt: skip

RFC9072_OPEN = message(1, bytes([
    0x04, 0xFD, 0xE9, 0x00, 0x5A, 0xC0, 0x00, 0x02, 0x02,  # v4, AS 65001, hold 90, 192.0.2.2
    0xFF,  # Non-Ext OP Len 255
    0xFF,  # Non-Ext OP Type 255: extended format follows (RFC 9072 §2)
    0x00, 0x09,  # Extended Opt. Parm. Length 9
    0x02, 0x00, 0x06,  # parameter: capabilities, 2-octet length 6
    0x41, 0x04, 0x00, 0x00, 0xFD, 0xE9,  # 4-octet AS 65001
]))  # fmt: skip

IPV4_UPDATE = message(2, bytes([
    0x00, 0x00,  # withdrawn routes length 0
    0x00, 0x2D,  # total path attribute length 45
    0x40, 0x01, 0x01, 0x00,  # ORIGIN IGP
    0x40, 0x02, 0x0A, 0x02, 0x02, 0x00, 0x00, 0xFD, 0xE9, 0x00, 0x00, 0xFD, 0xEA,  # AS_PATH
    #                  AS_SEQUENCE of 2: 65001 65002 (4-octet)
    0x40, 0x03, 0x04, 0xC0, 0x00, 0x02, 0x01,  # NEXT_HOP 192.0.2.1
    0x80, 0x04, 0x04, 0x00, 0x00, 0x00, 0x64,  # MULTI_EXIT_DISC 100
    0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0xC8,  # LOCAL_PREF 200
    0xC0, 0x08, 0x04, 0xFD, 0xE9, 0x00, 0x64,  # COMMUNITIES 65001:100
    0x18, 0x0A, 0x00, 0x00,  # NLRI 10.0.0.0/24
    0x10, 0x0A, 0x01,  # NLRI 10.1.0.0/16
    0x00,  # NLRI 0.0.0.0/0
]))  # fmt: skip

WITHDRAW_UPDATE = message(2, bytes([
    0x00, 0x08,  # withdrawn routes length 8
    0x18, 0xC6, 0x33, 0x64,  # 198.51.100.0/24
    0x11, 0xC6, 0x12, 0x7F,  # 198.18.0.0/17 (the host bits 0x7F are ignored)
    0x00, 0x00,  # total path attribute length 0
]))  # fmt: skip

IPV6_UPDATE = message(2, bytes([
    0x00, 0x00,  # withdrawn routes length 0
    0x00, 0x45,  # total path attribute length 69
    0x80, 0x0E, 0x31,  # MP_REACH_NLRI, 49 octets
    0x00, 0x02, 0x01,  # AFI IPv6, SAFI unicast
    0x20,  # next hop length 32: global + link-local (RFC 2545 §3)
    0x20, 0x01, 0x0D, 0xB8, *[0x00] * 11, 0x01,  # 2001:db8::1
    0xFE, 0x80, *[0x00] * 13, 0x01,  # fe80::1
    0x00,  # reserved
    0x20, 0x20, 0x01, 0x0D, 0xB8,  # 2001:db8::/32
    0x30, 0x20, 0x01, 0x0D, 0xB8, 0x00, 0x01,  # 2001:db8:1::/48
    0x40, 0x01, 0x01, 0x02,  # ORIGIN INCOMPLETE
    0x40, 0x02, 0x00,  # AS_PATH empty (iBGP)
    0x40, 0x06, 0x00,  # ATOMIC_AGGREGATE
    0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0x64,  # LOCAL_PREF 100
]))  # fmt: skip

RFC8950_UPDATE = message(2, bytes([
    0x00, 0x00,  # withdrawn routes length 0
    0x00, 0x29,  # total path attribute length 41
    0x80, 0x0E, 0x19,  # MP_REACH_NLRI, 25 octets
    0x00, 0x01, 0x01,  # AFI IPv4, SAFI unicast
    0x10,  # next hop length 16: an IPv6 next hop for IPv4 NLRI (RFC 8950 §3)
    0x20, 0x01, 0x0D, 0xB8, *[0x00] * 11, 0x01,  # 2001:db8::1
    0x00,  # reserved
    0x18, 0xC0, 0x00, 0x02,  # 192.0.2.0/24
    0x40, 0x01, 0x01, 0x00,  # ORIGIN IGP
    0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xFD, 0xE9,  # AS_PATH AS_SEQUENCE 65001
]))  # fmt: skip

TWO_OCTET_UPDATE = message(2, bytes([
    0x00, 0x00,  # withdrawn routes length 0
    0x00, 0x21,  # total path attribute length 33
    0x40, 0x01, 0x01, 0x01,  # ORIGIN EGP
    0x40, 0x02, 0x06, 0x02, 0x02, 0xFD, 0xE9, 0x5B, 0xA0,  # AS_PATH 65001 AS_TRANS (2-octet)
    0x40, 0x03, 0x04, 0xC0, 0x00, 0x02, 0x01,  # NEXT_HOP 192.0.2.1
    0xC0, 0x11, 0x0A, 0x02, 0x02, 0x00, 0x00, 0xFD, 0xE9, 0xFA, 0x56, 0xEA, 0x00,  # AS4_PATH
    #                  AS_SEQUENCE of 2: 65001 4200000000
    0x08, 0x0A,  # NLRI 10.0.0.0/8
]))  # fmt: skip

IPV6_END_OF_RIB = message(2, bytes([
    0x00, 0x00,  # withdrawn routes length 0
    0x00, 0x06,  # total path attribute length 6
    0x80, 0x0F, 0x03, 0x00, 0x02, 0x01,  # MP_UNREACH_NLRI IPv6 unicast, nothing withdrawn
]))  # fmt: skip

SHUTDOWN = message(3, bytes([
    0x06, 0x02,  # Cease / Administrative Shutdown
    0x03, 0x62, 0x79, 0x65,  # shutdown communication (RFC 9003 §2): 3 octets, "bye"
]))  # fmt: skip

V4 = (AsSegment(SegmentType.AS_SEQUENCE, (65001, 65002)),)

VECTORS = [
    Vector(
        "gobgp open",
        GOBGP_OPEN,
        Open(65001, 90, "192.0.2.2", (Multiprotocol(1, 1), RouteRefreshCapability(),
                                      FourOctetAs(65001))),
        exact=False,
    ),
    Vector(
        "open, one parameter",
        ONE_PARAM_OPEN,
        Open(23456, 0, "10.0.0.1", (RouteRefreshCapability(), FourOctetAs(4200000000),
                                    ExtendedMessage())),
    ),
    Vector("open, RFC 9072 parameters", RFC9072_OPEN,
           Open(65001, 90, "192.0.2.2", (FourOctetAs(65001),)), exact=False),
    Vector(
        "ipv4 update",
        IPV4_UPDATE,
        Update(
            attributes=(Origin(OriginCode.IGP), AsPath(V4), NextHop("192.0.2.1"),
                        MultiExitDisc(100), LocalPref(200), Communities((65001 << 16 | 100,))),
            nlri=("10.0.0.0/24", "10.1.0.0/16", "0.0.0.0/0"),
        ),
    ),
    Vector("withdraw", WITHDRAW_UPDATE,
           Update(withdrawn=("198.51.100.0/24", "198.18.0.0/17")), exact=False),
    Vector(
        "ipv6 update",
        IPV6_UPDATE,
        Update(attributes=(
            Origin(OriginCode.INCOMPLETE), AsPath(), LocalPref(100), AtomicAggregate(),
            MpReachNlri(2, 1, "2001:db8::1", ("2001:db8::/32", "2001:db8:1::/48"), "fe80::1"),
        )),
        exact=False,  # attributes come back sorted by type code; MP_REACH is written first
    ),
    Vector(
        "rfc 8950 update",
        RFC8950_UPDATE,
        Update(attributes=(
            Origin(OriginCode.IGP), AsPath.sequence(65001),
            MpReachNlri(1, 1, "2001:db8::1", ("192.0.2.0/24",)),
        )),
        exact=False,
    ),
    Vector(
        "2-octet AS update with AS4_PATH",
        TWO_OCTET_UPDATE,
        Update(
            attributes=(
                Origin(OriginCode.EGP),
                AsPath.sequence(65001, 4200000000),  # AS_PATH and AS4_PATH merged
                NextHop("192.0.2.1"),
            ),
            nlri=("10.0.0.0/8",),
        ),
        TWO_OCTET_CONTEXT,
    ),
    Vector("ipv4 end-of-rib", message(2, b"\x00\x00\x00\x00"), Update()),
    Vector("ipv6 end-of-rib", IPV6_END_OF_RIB, Update(attributes=(MpUnreachNlri(2, 1),))),
    Vector("keepalive", MARKER + b"\x00\x13\x04", Keepalive()),
    Vector("shutdown", SHUTDOWN, Notification(6, 2, b"\x03bye")),
    Vector("hold timer expired", message(3, b"\x04\x00"), Notification(4, 0)),
    Vector("route refresh ipv4", message(5, b"\x00\x01\x00\x01"), RouteRefresh(1, 1)),
    Vector("enhanced route refresh BoRR ipv6", message(5, b"\x00\x02\x01\x01"),
           RouteRefresh(2, 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
def test_decode(vector: Vector) -> None:
    assert decode(vector.wire, vector.ctx) == vector.value


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
def test_encode(vector: Vector) -> None:
    encoded = encode(vector.value, vector.ctx)
    if vector.exact:
        assert encoded == vector.wire
    assert decode(encoded, vector.ctx) == vector.value
