"""The path attribute descriptor table (RFC 4271 §4.3, §5; RFC 7606 §7): one row per type code.

A row says the attribute's expected Optional/Transitive flags, how to decode and encode its
value, and what RFC 7606 says to do when it is malformed (its ``action``) together with the
RFC 4271 §6.3 subcode to send should that action be a session reset. Decoders raise
:class:`Malformed`; ``update.py`` applies the row's action. Encoders assume a valid value.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peerwise.wire.attributes import (
    Aggregator,
    As4Aggregator,
    As4Path,
    AsPath,
    AsSegment,
    AtomicAggregate,
    AttrType,
    ClusterList,
    Communities,
    ExtendedCommunities,
    LargeCommunities,
    LocalPref,
    MpReachNlri,
    MpUnreachNlri,
    MultiExitDisc,
    NextHop,
    Origin,
    OriginatorId,
    OriginCode,
    SegmentType,
)
from peerwise.wire.context import CodecContext
from peerwise.wire.errors import Malformed, UpdateSubcode
from peerwise.wire.families import PREFIX_FAMILIES
from peerwise.wire.prefixes import (
    decode_ipv4_prefixes,
    decode_ipv6_prefixes,
    encode_prefixes,
    format_ipv4,
    format_ipv6,
    pack_address,
    split_prefixes,
    unpack_address,
)

AS_TRANS = 23456  # RFC 6793 §9
OPTIONAL, TRANSITIVE = 0x80, 0x40
WELL_KNOWN, OPTIONAL_TRANSITIVE = TRANSITIVE, OPTIONAL | TRANSITIVE


class Action(enum.Enum):
    """RFC 7606 §2 approaches to a malformed attribute, mildest last."""

    SESSION_RESET = "session-reset"
    TREAT_AS_WITHDRAW = "treat-as-withdraw"
    ATTRIBUTE_DISCARD = "attribute-discard"


Decoder = Callable[[bytes, CodecContext], Any]
Encoder = Callable[[Any, CodecContext], bytes]


@dataclass(frozen=True)
class AttrSpec:
    code: AttrType
    cls: type
    flags: int  # expected Optional and Transitive bits (RFC 4271 §5)
    decode: Decoder
    encode: Encoder
    action: Action
    subcode: UpdateSubcode

    @property
    def name(self) -> str:
        return self.code.name


def _length(value: bytes, *allowed: int) -> None:
    if len(value) not in allowed:
        raise Malformed(f"length {len(value)}", UpdateSubcode.ATTRIBUTE_LENGTH_ERROR)


def _multiple(value: bytes, size: int) -> int:
    """How many ``size``-octet items; RFC 7606 §7.8/§7.10/§7.14: empty is malformed too."""
    if not value or len(value) % size:
        raise Malformed(f"length {len(value)}", UpdateSubcode.ATTRIBUTE_LENGTH_ERROR)
    return len(value) // size


def _u32(value: bytes) -> int:
    _length(value, 4)
    return int.from_bytes(value, "big")


def _ipv4(value: bytes) -> str:
    _length(value, 4)
    return format_ipv4(value)


# ORIGIN (RFC 4271 §5.1.1, RFC 7606 §7.1)
def _dec_origin(value: bytes, ctx: CodecContext) -> Origin:
    _length(value, 1)
    if value[0] > OriginCode.INCOMPLETE:
        raise Malformed(f"undefined ORIGIN {value[0]}")
    return Origin(OriginCode(value[0]))


# AS_PATH, AS4_PATH (RFC 4271 §4.3, RFC 6793 §3, RFC 7606 §7.2)
def _segments(value: bytes, size: int) -> tuple[AsSegment, ...]:
    kind = "H" if size == 2 else "I"
    segments: list[AsSegment] = []
    i, end = 0, len(value)
    while i < end:
        if i + 2 > end:
            raise Malformed("truncated segment header")
        stype, count = value[i], value[i + 1]
        stop = i + 2 + count * size
        if count == 0 or stop > end or not 1 <= stype <= 4:
            raise Malformed(f"bad segment type {stype} count {count}")
        asns = struct.unpack_from(f">{count}{kind}", value, i + 2)
        segments.append(AsSegment(SegmentType(stype), asns))
        i = stop
    return tuple(segments)


def _enc_segments(segments: tuple[AsSegment, ...], size: int) -> bytes:
    kind = "H" if size == 2 else "I"
    out = bytearray()
    for seg in segments:
        asns = seg.asns if size == 4 else tuple(a if a <= 0xFFFF else AS_TRANS for a in seg.asns)
        for at in range(0, len(asns), 255):  # a segment holds at most 255 AS numbers
            chunk = asns[at : at + 255]
            out += struct.pack(f">BB{len(chunk)}{kind}", seg.type, len(chunk), *chunk)
    return bytes(out)


def _as_size(ctx: CodecContext) -> int:
    return 4 if ctx.four_octet_as else 2


def _dec_as_path(value: bytes, ctx: CodecContext) -> AsPath:
    return AsPath(_segments(value, _as_size(ctx)))


def _enc_as_path(attr: AsPath, ctx: CodecContext) -> bytes:
    return _enc_segments(attr.segments, _as_size(ctx))


def _dec_as4_path(value: bytes, ctx: CodecContext) -> As4Path:
    """RFC 6793 §6: confederation segments are dropped and the rest is used; an AS4_PATH
    with nothing else is as good as none (discarded)."""
    segments = _segments(value, 4)
    kept = tuple(seg for seg in segments if seg.type < SegmentType.AS_CONFED_SEQUENCE)
    if not kept:
        raise Malformed("only confederation segments in AS4_PATH")
    return As4Path(kept)


def _enc_as4_path(attr: As4Path, ctx: CodecContext) -> bytes:
    return _enc_segments(attr.segments, 4)


# AGGREGATOR, AS4_AGGREGATOR (RFC 4271 §5.1.7, RFC 6793 §3, RFC 7606 §7.7)
def _dec_aggregator(value: bytes, ctx: CodecContext) -> Aggregator:
    size = _as_size(ctx)
    _length(value, size + 4)
    return Aggregator(int.from_bytes(value[:size], "big"), format_ipv4(value[size:]))


def _enc_aggregator(attr: Aggregator, ctx: CodecContext) -> bytes:
    size = _as_size(ctx)
    asn = attr.asn if size == 4 or attr.asn <= 0xFFFF else AS_TRANS
    return asn.to_bytes(size, "big") + pack_address(attr.address)


def _dec_as4_aggregator(value: bytes, ctx: CodecContext) -> As4Aggregator:
    _length(value, 8)
    return As4Aggregator(int.from_bytes(value[:4], "big"), format_ipv4(value[4:]))


def _enc_as4_aggregator(attr: As4Aggregator, ctx: CodecContext) -> bytes:
    return attr.asn.to_bytes(4, "big") + pack_address(attr.address)


# MP_REACH_NLRI, MP_UNREACH_NLRI (RFC 4760 §3-§4, §7; RFC 2545 §3; RFC 8950 §3)
_NEXT_HOP_LENGTHS = {1: (4, 16, 32), 2: (16, 32)}
_PREFIX_DECODERS = {1: decode_ipv4_prefixes, 2: decode_ipv6_prefixes}


_PREFIX_LIMITS = {1: 32, 2: 128}


def _mp_prefixes(afi: int, value: bytes, start: int) -> tuple[str, ...]:
    try:
        return _PREFIX_DECODERS[afi](value, start)
    except Malformed as exc:  # RFC 4760 §7: Optional Attribute Error, not Invalid Network Field
        raise Malformed(exc.reason) from None


def _mp_raw(afi: int, value: bytes, start: int) -> tuple[bytes, ...]:
    """The fast path's :func:`_mp_prefixes`: NLRI encodings, no text."""
    try:
        return split_prefixes(value, start, None, _PREFIX_LIMITS[afi])
    except Malformed as exc:
        raise Malformed(exc.reason) from None


def _dec_mp_reach(value: bytes, ctx: CodecContext) -> MpReachNlri:
    if len(value) < 5:
        raise Malformed("too short")
    afi, safi = int.from_bytes(value[:2], "big"), value[2]
    if (afi, safi) not in PREFIX_FAMILIES:
        return MpReachNlri(afi, safi, raw=value[3:])
    nh_len = value[3]
    nh_end = 4 + nh_len
    # RFC 7606 §7.11: a wrong next hop length hides where the NLRI start: session reset.
    if nh_len not in _NEXT_HOP_LENGTHS[afi] or nh_end >= len(value):
        raise Malformed(f"next hop length {nh_len}")
    next_hop = unpack_address(value[4 : 4 + min(nh_len, 16)])
    link_local = format_ipv6(value[20:36]) if nh_len == 32 else None
    if ctx.raw_nlri:
        raw = _mp_raw(afi, value, nh_end + 1)
        return MpReachNlri(afi, safi, next_hop, (), link_local, nlri_raw=raw)
    nlri = _mp_prefixes(afi, value, nh_end + 1)  # the octet at nh_end is reserved
    return MpReachNlri(afi, safi, next_hop, nlri, link_local)


def _enc_mp_reach(attr: MpReachNlri, ctx: CodecContext) -> bytes:
    head = struct.pack(">HB", attr.afi, attr.safi)
    if (attr.afi, attr.safi) not in PREFIX_FAMILIES:
        return head + attr.raw
    nh = pack_address(attr.next_hop)
    if attr.link_local is not None:
        nh += pack_address(attr.link_local)
    nlri = encode_prefixes(attr.nlri) + b"".join(attr.nlri_raw)
    return head + bytes((len(nh),)) + nh + b"\x00" + nlri


def _dec_mp_unreach(value: bytes, ctx: CodecContext) -> MpUnreachNlri:
    if len(value) < 3:
        raise Malformed("too short")
    afi, safi = int.from_bytes(value[:2], "big"), value[2]
    if (afi, safi) not in PREFIX_FAMILIES:
        return MpUnreachNlri(afi, safi, raw=value[3:])
    if ctx.raw_nlri:
        return MpUnreachNlri(afi, safi, withdrawn_raw=_mp_raw(afi, value, 3))
    return MpUnreachNlri(afi, safi, _mp_prefixes(afi, value, 3))


def _enc_mp_unreach(attr: MpUnreachNlri, ctx: CodecContext) -> bytes:
    head = struct.pack(">HB", attr.afi, attr.safi)
    if (attr.afi, attr.safi) not in PREFIX_FAMILIES:
        return head + attr.raw
    return head + encode_prefixes(attr.withdrawn) + b"".join(attr.withdrawn_raw)


# The small ones: fixed-size numbers and lists of them.
def _dec_communities(value: bytes, ctx: CodecContext) -> Communities:
    return Communities(struct.unpack(f">{_multiple(value, 4)}I", value))


def _dec_ext_communities(value: bytes, ctx: CodecContext) -> ExtendedCommunities:
    return ExtendedCommunities(struct.unpack(f">{_multiple(value, 8)}Q", value))


def _dec_large(value: bytes, ctx: CodecContext) -> LargeCommunities:
    flat = struct.unpack(f">{_multiple(value, 12) * 3}I", value)
    return LargeCommunities(tuple(zip(flat[0::3], flat[1::3], flat[2::3], strict=True)))


def _dec_cluster_list(value: bytes, ctx: CodecContext) -> ClusterList:
    count = _multiple(value, 4)
    return ClusterList(tuple(format_ipv4(value[4 * i : 4 * i + 4]) for i in range(count)))


def _dec_atomic(value: bytes, ctx: CodecContext) -> AtomicAggregate:
    _length(value, 0)
    return AtomicAggregate()


def _pack(kind: str, values: tuple[int, ...]) -> bytes:
    return struct.pack(f">{len(values)}{kind}", *values)


_TAW, _DISCARD, _RESET = Action.TREAT_AS_WITHDRAW, Action.ATTRIBUTE_DISCARD, Action.SESSION_RESET
_S = UpdateSubcode

# fmt: off
ATTRIBUTE_TABLE: tuple[AttrSpec, ...] = (
    # RFC 7606 §7.1-§7.5: well-known attributes of the route itself -> treat-as-withdraw
    AttrSpec(AttrType.ORIGIN, Origin, WELL_KNOWN, _dec_origin,
             lambda a, c: bytes((a.value,)), _TAW, _S.INVALID_ORIGIN_ATTRIBUTE),
    AttrSpec(AttrType.AS_PATH, AsPath, WELL_KNOWN, _dec_as_path, _enc_as_path,
             _TAW, _S.MALFORMED_AS_PATH),
    AttrSpec(AttrType.NEXT_HOP, NextHop, WELL_KNOWN, lambda v, c: NextHop(_ipv4(v)),
             lambda a, c: pack_address(a.address), _TAW, _S.INVALID_NEXT_HOP_ATTRIBUTE),
    AttrSpec(AttrType.MULTI_EXIT_DISC, MultiExitDisc, OPTIONAL,
             lambda v, c: MultiExitDisc(_u32(v)), lambda a, c: a.value.to_bytes(4, "big"),
             _TAW, _S.OPTIONAL_ATTRIBUTE_ERROR),
    AttrSpec(AttrType.LOCAL_PREF, LocalPref, WELL_KNOWN, lambda v, c: LocalPref(_u32(v)),
             lambda a, c: a.value.to_bytes(4, "big"), _TAW, _S.ATTRIBUTE_LENGTH_ERROR),
    # RFC 7606 §7.6-§7.7: informational -> attribute-discard
    AttrSpec(AttrType.ATOMIC_AGGREGATE, AtomicAggregate, WELL_KNOWN, _dec_atomic,
             lambda a, c: b"", _DISCARD, _S.ATTRIBUTE_LENGTH_ERROR),
    AttrSpec(AttrType.AGGREGATOR, Aggregator, OPTIONAL_TRANSITIVE, _dec_aggregator,
             _enc_aggregator, _DISCARD, _S.ATTRIBUTE_LENGTH_ERROR),
    # RFC 7606 §7.8-§7.10, RFC 4456 §8
    AttrSpec(AttrType.COMMUNITIES, Communities, OPTIONAL_TRANSITIVE, _dec_communities,
             lambda a, c: _pack("I", a.values), _TAW, _S.OPTIONAL_ATTRIBUTE_ERROR),
    AttrSpec(AttrType.ORIGINATOR_ID, OriginatorId, OPTIONAL,
             lambda v, c: OriginatorId(_ipv4(v)), lambda a, c: pack_address(a.address),
             _TAW, _S.OPTIONAL_ATTRIBUTE_ERROR),
    AttrSpec(AttrType.CLUSTER_LIST, ClusterList, OPTIONAL, _dec_cluster_list,
             lambda a, c: b"".join(map(pack_address, a.ids)), _TAW,
             _S.OPTIONAL_ATTRIBUTE_ERROR),
    # RFC 7606 §7.11 (and §3.h): the NLRI cannot be trusted -> session reset
    AttrSpec(AttrType.MP_REACH_NLRI, MpReachNlri, OPTIONAL, _dec_mp_reach, _enc_mp_reach,
             _RESET, _S.OPTIONAL_ATTRIBUTE_ERROR),
    AttrSpec(AttrType.MP_UNREACH_NLRI, MpUnreachNlri, OPTIONAL, _dec_mp_unreach,
             _enc_mp_unreach, _RESET, _S.OPTIONAL_ATTRIBUTE_ERROR),
    # RFC 7606 §7.14
    AttrSpec(AttrType.EXTENDED_COMMUNITIES, ExtendedCommunities, OPTIONAL_TRANSITIVE,
             _dec_ext_communities, lambda a, c: _pack("Q", a.values), _TAW,
             _S.OPTIONAL_ATTRIBUTE_ERROR),
    # RFC 6793 §6: a malformed AS4_PATH or AS4_AGGREGATOR is discarded
    AttrSpec(AttrType.AS4_PATH, As4Path, OPTIONAL_TRANSITIVE, _dec_as4_path, _enc_as4_path,
             _DISCARD, _S.OPTIONAL_ATTRIBUTE_ERROR),
    AttrSpec(AttrType.AS4_AGGREGATOR, As4Aggregator, OPTIONAL_TRANSITIVE, _dec_as4_aggregator,
             _enc_as4_aggregator, _DISCARD, _S.OPTIONAL_ATTRIBUTE_ERROR),
    # RFC 8092 §6
    AttrSpec(AttrType.LARGE_COMMUNITIES, LargeCommunities, OPTIONAL_TRANSITIVE, _dec_large,
             lambda a, c: _pack("I", tuple(n for t in a.values for n in t)), _TAW,
             _S.OPTIONAL_ATTRIBUTE_ERROR),
)
# fmt: on

ATTRIBUTES: dict[int, AttrSpec] = {spec.code: spec for spec in ATTRIBUTE_TABLE}
ATTRIBUTES_BY_CLASS: dict[type, AttrSpec] = {spec.cls: spec for spec in ATTRIBUTE_TABLE}
