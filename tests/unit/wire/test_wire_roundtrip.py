"""Round trips: every attribute, capability and message survives encode -> decode."""

from __future__ import annotations

from typing import Any

import pytest
from wire_helpers import attr, update

from peerwise.wire import (
    CAPABILITIES,
    DEFAULT_CONTEXT,
    TWO_OCTET_CONTEXT,
    Aggregator,
    AsPath,
    AsSegment,
    AtomicAggregate,
    Capability,
    ClusterList,
    CodecContext,
    Communities,
    EnhancedRouteRefresh,
    ExtendedCommunities,
    ExtendedMessage,
    ExtendedNextHop,
    FourOctetAs,
    Fqdn,
    GracefulRestart,
    Keepalive,
    LargeCommunities,
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
    OriginatorId,
    OriginCode,
    RouteRefresh,
    RouteRefreshCapability,
    SegmentType,
    UnknownAttribute,
    UnknownCapability,
    Update,
    decode,
    encode,
    end_of_rib,
    families,
    find_attribute,
    find_capability,
    is_end_of_rib,
    make_open,
)

BASE = (Origin(OriginCode.IGP), AsPath.sequence(65001))
SEQ, SET = SegmentType.AS_SEQUENCE, SegmentType.AS_SET

ATTRIBUTES: list[tuple[str, object, CodecContext]] = [
    ("origin incomplete", Origin(OriginCode.INCOMPLETE), DEFAULT_CONTEXT),
    ("as_path set+confed", AsPath((AsSegment(SegmentType.AS_CONFED_SEQUENCE, (64512,)),
                                   AsSegment(SEQ, (65001, 4200000000)),
                                   AsSegment(SET, (1, 2, 3)))), DEFAULT_CONTEXT),
    ("as_path 2-octet", AsPath((AsSegment(SegmentType.AS_CONFED_SET, (1, 2)),
                                AsSegment(SEQ, (65001,)))), TWO_OCTET_CONTEXT),
    ("next_hop", NextHop("198.51.100.7"), DEFAULT_CONTEXT),
    ("med 0", MultiExitDisc(0), DEFAULT_CONTEXT),
    ("med max", MultiExitDisc(0xFFFFFFFF), DEFAULT_CONTEXT),
    ("local_pref", LocalPref(150), DEFAULT_CONTEXT),
    ("atomic_aggregate", AtomicAggregate(), DEFAULT_CONTEXT),
    ("aggregator 4", Aggregator(4200000000, "192.0.2.9"), DEFAULT_CONTEXT),
    ("aggregator 2", Aggregator(65001, "192.0.2.9"), TWO_OCTET_CONTEXT),
    ("communities", Communities((0xFFFFFF01, 65001 << 16 | 7)), DEFAULT_CONTEXT),
    ("originator_id", OriginatorId("192.0.2.3"), DEFAULT_CONTEXT),
    ("cluster_list", ClusterList(("192.0.2.3", "10.0.0.1")), DEFAULT_CONTEXT),
    ("mp_reach v6 global", MpReachNlri(2, 1, "2001:db8::1", ("::/0", "2001:db8::/127")),
     DEFAULT_CONTEXT),
    ("mp_reach v4", MpReachNlri(1, 1, "192.0.2.1", ("192.0.2.0/24",)), DEFAULT_CONTEXT),
    ("mp_reach other family", MpReachNlri(25, 70, raw=b"\x04\x01\x02\x03\x04\x00\xab"),
     DEFAULT_CONTEXT),
    ("mp_unreach v6", MpUnreachNlri(2, 1, ("2001:db8:ffff::/48",)), DEFAULT_CONTEXT),
    ("mp_unreach other family", MpUnreachNlri(1, 128, raw=b"\x01\x02"), DEFAULT_CONTEXT),
    ("extended_communities", ExtendedCommunities((0x0002FDE900000064,)), DEFAULT_CONTEXT),
    ("large_communities", LargeCommunities(((4200000000, 1, 2), (65001, 0, 0xFFFFFFFF))),
     DEFAULT_CONTEXT),
    ("unknown transitive, partial set", UnknownAttribute(99, 0xE0, b"\x01\x02"),
     DEFAULT_CONTEXT),
    ("long value, extended length", Communities(tuple(range(100))), DEFAULT_CONTEXT),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "ctx"), [a[1:] for a in ATTRIBUTES], ids=[a[0] for a in ATTRIBUTES]
)
def test_attribute_round_trip(value: object, ctx: CodecContext) -> None:
    msg = Update(attributes=(*(a for a in BASE if type(a) is not type(value)), value))
    back = decode(encode(msg, ctx), ctx)
    assert isinstance(back, Update)
    assert set(back.attributes) == set(msg.attributes)
    assert find_attribute(back.attributes, type(value)) == value
    assert (back.treat_as_withdraw, back.discarded) == (False, ())


def test_long_as_path_is_split_into_segments_of_255() -> None:
    """RFC 4271 §4.3: a segment counts its AS numbers in one octet."""
    msg = Update(attributes=(Origin(), AsPath.sequence(*range(1, 301))))
    back = decode(encode(msg))
    assert isinstance(back, Update)
    path = find_attribute(back.attributes, AsPath)
    assert path is not None
    assert [len(seg.asns) for seg in path.segments] == [255, 45]
    assert (path.length, path.first_as, str(path).split()[-1]) == (300, 1, "300")


def test_unknown_transitive_is_passed_on_with_partial_bit() -> None:
    """RFC 4271 §5: unrecognized optional transitive attributes get the Partial bit."""
    received = decode(update(attr(0xC0, 99, b"\x05")))
    assert isinstance(received, Update)
    assert received.attributes == (UnknownAttribute(99, 0xC0, b"\x05"),)
    assert encode(received)[23:] == bytes([0xE0, 99, 1, 5])


def test_unknown_non_transitive_is_not_passed_on() -> None:
    received = decode(update(attr(0x80, 99, b"\x05")))
    assert isinstance(received, Update)
    assert received.attributes == (UnknownAttribute(99, 0x80, b"\x05"),)
    assert encode(received) == encode(Update())


def test_mp_reach_link_local_round_trip() -> None:
    msg = Update(
        attributes=(*BASE, MpReachNlri(2, 1, "2001:db8::1", ("2001:db8::/32",), "fe80::1"))
    )
    assert decode(encode(msg)) == msg


def test_as_path_over_two_octets_becomes_as_trans_and_comes_back() -> None:
    """RFC 6793 §4.2.2: a 4-octet AS is AS_TRANS in a 2-octet AS_PATH and AGGREGATOR, the
    real ones ride in AS4_PATH / AS4_AGGREGATOR; §4.2.3 puts them back on receipt."""
    msg = Update(attributes=(*BASE[:1], AsPath.sequence(4200000000, 65001),
                             Aggregator(4200000000, "192.0.2.1")))  # fmt: skip
    wire = encode(msg, TWO_OCTET_CONTEXT)
    assert b"\x40\x02\x06\x02\x02\x5b\xa0\xfd\xe9" in wire  # AS_PATH AS_TRANS 65001
    assert b"\xc0\x07\x06\x5b\xa0\xc0\x00\x02\x01" in wire  # AGGREGATOR AS_TRANS
    assert decode(wire, TWO_OCTET_CONTEXT) == msg


CAPS: list[Capability] = [
    Multiprotocol(2, 1),
    RouteRefreshCapability(),
    ExtendedNextHop(((1, 1, 2), (1, 128, 2))),
    ExtendedMessage(),
    GracefulRestart(120, 8, ((1, 1, 0x80), (2, 1, 0))),
    FourOctetAs(4200000000),
    EnhancedRouteRefresh(),
    Fqdn("host1", "example.net"),
    Fqdn("", ""),
    UnknownCapability(128, b""),
    UnknownCapability(200, b"\x01\x02"),
]


@pytest.mark.parametrize("cap", CAPS, ids=repr)
def test_capability_round_trip(cap: Capability) -> None:
    msg = Open(65001, 90, "192.0.2.1", (cap,))
    assert decode(encode(msg)) == msg


def test_every_known_capability_is_in_the_round_trip_table() -> None:
    assert set(CAPABILITIES) <= {cap.type_code for cap in CAPS}


STATES: list[tuple[Capability, dict[str, Any]]] = [
    (Multiprotocol(1, 1), {"name": "MPBGP", "code": 1, "afi-safi": "ipv4-unicast"}),
    (Multiprotocol(2, 1), {"name": "MPBGP", "code": 1, "afi-safi": "ipv6-unicast"}),
    (Multiprotocol(25, 70), {"name": "MPBGP", "code": 1, "afi-safi": "afi-25-safi-70"}),
    (RouteRefreshCapability(), {"name": "ROUTE_REFRESH", "code": 2}),
    (ExtendedNextHop(((1, 1, 2),)), {"name": "EXTENDED_NEXTHOP", "code": 5, "tuples": [
        {"afi-safi": "ipv4-unicast", "nexthop-afi": "ipv6"}]}),
    (ExtendedMessage(), {"name": "EXTENDED_MESSAGE", "code": 6}),
    (GracefulRestart(120, 0, ((1, 1, 128),)), {
        "name": "GRACEFUL_RESTART", "code": 64, "restart-time": 120, "restart-flags": 0,
        "afi-safis": ["ipv4-unicast"]}),
    (GracefulRestart(120, 0, ()), {
        "name": "GRACEFUL_RESTART", "code": 64, "restart-time": 120, "restart-flags": 0}),
    (FourOctetAs(65001), {"name": "ASN32", "code": 65, "as": 65001}),
    (EnhancedRouteRefresh(), {"name": "ENHANCED_ROUTE_REFRESH", "code": 70}),
    (Fqdn("h", "d"), {"name": "FQDN", "code": 73, "hostname": "h", "domain": "d"}),
    (UnknownCapability(71, b"\xab"), {"name": "UNKNOWN", "code": 71, "value": "ab"}),
]  # fmt: skip


@pytest.mark.parametrize(("cap", "state"), STATES, ids=[repr(s[0]) for s in STATES])
def test_capability_state(cap: Capability, state: dict[str, Any]) -> None:
    assert cap.to_state() == state


def test_big_open_uses_rfc_9072_parameters() -> None:
    msg = Open(65001, 90, "192.0.2.1", tuple(Multiprotocol(1, safi) for safi in range(1, 70)))
    wire = encode(msg)
    assert (wire[28], wire[29]) == (255, 255)
    assert decode(wire) == msg


def test_make_open_and_helpers() -> None:
    msg = make_open(4200000000, 90, "192.0.2.1", (Multiprotocol(2, 1),))
    assert (msg.my_as, msg.asn) == (23456, 4200000000)
    assert families(msg) == {(2, 1)}
    assert families(make_open(65001, 90, "192.0.2.1")) == {(1, 1)}
    assert find_capability(msg, FourOctetAs) == FourOctetAs(4200000000)
    assert find_capability(msg, Fqdn) is None


MESSAGES: list[Message] = [
    Keepalive(),
    Notification(6, 4, b"\x00"),
    Notification(99, 99, b"unknown code kept"),
    RouteRefresh(2, 1, 2),
    Open(65001, 0, "10.0.0.1"),
    Update(withdrawn=("10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32")),
    Update(attributes=(*BASE, NextHop("192.0.2.1")), nlri=("10.0.0.0/25", "10.0.0.128/25")),
]


@pytest.mark.parametrize("msg", MESSAGES, ids=repr)
def test_message_round_trip(msg: Message) -> None:
    assert decode(encode(msg)) == msg


@pytest.mark.parametrize(("family", "update_"), [
    ((1, 1), Update()),
    ((2, 1), Update(attributes=(MpUnreachNlri(2, 1),))),
    ((1, 2), Update(attributes=(MpUnreachNlri(1, 2),))),
])  # fmt: skip
def test_end_of_rib(family: tuple[int, int], update_: Update) -> None:
    """RFC 4724 §2."""
    assert end_of_rib(*family) == update_
    assert is_end_of_rib(decode(encode(update_))) == family  # type: ignore[arg-type]


@pytest.mark.parametrize("not_eor", [
    Update(withdrawn=("10.0.0.0/8",)),
    Update(attributes=(MpUnreachNlri(2, 1, ("2001:db8::/32",)),)),
    Update(attributes=(MpUnreachNlri(2, 1), Origin())),
])  # fmt: skip
def test_not_end_of_rib(not_eor: Update) -> None:
    assert is_end_of_rib(not_eor) is None
