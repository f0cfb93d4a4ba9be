"""Path attribute values (RFC 4271 §4.3, §5 and the RFCs named on each class).

Frozen dataclasses; the descriptor table in ``pathattrs.py`` turns them to bytes and back.
Addresses and prefixes are strings. ``UnknownAttribute`` keeps an attribute this codec does
not know, so that an optional transitive one can be passed on (RFC 4271 §5).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeVar


class AttrType(enum.IntEnum):
    """IANA BGP Path Attributes."""

    ORIGIN = 1
    AS_PATH = 2
    NEXT_HOP = 3
    MULTI_EXIT_DISC = 4
    LOCAL_PREF = 5
    ATOMIC_AGGREGATE = 6
    AGGREGATOR = 7
    COMMUNITIES = 8
    ORIGINATOR_ID = 9
    CLUSTER_LIST = 10
    MP_REACH_NLRI = 14
    MP_UNREACH_NLRI = 15
    EXTENDED_COMMUNITIES = 16
    AS4_PATH = 17
    AS4_AGGREGATOR = 18
    LARGE_COMMUNITIES = 32


class AttrFlag(enum.IntFlag):
    """RFC 4271 §4.3 attribute flags."""

    OPTIONAL = 0x80
    TRANSITIVE = 0x40
    PARTIAL = 0x20
    EXTENDED_LENGTH = 0x10


class OriginCode(enum.IntEnum):
    """RFC 4271 §5.1.1."""

    IGP = 0
    EGP = 1
    INCOMPLETE = 2


class SegmentType(enum.IntEnum):
    """RFC 4271 §4.3 and RFC 5065 §3 AS_PATH segment types."""

    AS_SET = 1
    AS_SEQUENCE = 2
    AS_CONFED_SEQUENCE = 3
    AS_CONFED_SET = 4


_U32 = 0xFFFFFFFF


def _check_u32(name: str, *values: int) -> None:
    for value in values:
        if not 0 <= value <= _U32:
            raise ValueError(f"{name}: {value} is not a 4-octet unsigned integer")


@dataclass(frozen=True)
class Origin:
    """ORIGIN (RFC 4271 §5.1.1)."""

    value: OriginCode = OriginCode.IGP

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", OriginCode(self.value))


@dataclass(frozen=True)
class AsSegment:
    """One AS_PATH segment: a type and its AS numbers (RFC 4271 §4.3)."""

    type: SegmentType
    asns: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", SegmentType(self.type))
        _check_u32("AS number", *self.asns)

    def __str__(self) -> str:
        text = " ".join(map(str, self.asns))
        brackets = {
            SegmentType.AS_SET: "{%s}",
            SegmentType.AS_CONFED_SEQUENCE: "(%s)",
            SegmentType.AS_CONFED_SET: "[%s]",
        }
        return brackets.get(self.type, "%s") % text


@dataclass(frozen=True)
class AsPath:
    """AS_PATH (RFC 4271 §5.1.2); its AS numbers are 2 or 4 octets on the wire, per session."""

    segments: tuple[AsSegment, ...] = ()
    # Computed on first use and kept: the RIB hashes a path with every attribute set it is in.
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        if not self._hash:
            object.__setattr__(self, "_hash", hash(self.segments) or 1)
        return self._hash

    @classmethod
    def sequence(cls, *asns: int) -> AsPath:
        return cls((AsSegment(SegmentType.AS_SEQUENCE, asns),) if asns else ())

    @property
    def length(self) -> int:
        """RFC 4271 §9.1.2.2 a: an AS_SET counts 1; RFC 5065 §5.3: confed segments count 0."""
        counts = {SegmentType.AS_SEQUENCE: None, SegmentType.AS_SET: 1}
        total = 0
        for seg in self.segments:
            if seg.type in counts:
                total += counts[seg.type] or len(seg.asns)
        return total

    @property
    def first_as(self) -> int | None:
        """The neighbouring AS (RFC 4271 §9.1.2.2 MED comparison, §6.3 eBGP check)."""
        for seg in self.segments:
            if seg.type == SegmentType.AS_SEQUENCE and seg.asns:
                return seg.asns[0]
        return None

    def __str__(self) -> str:
        return " ".join(map(str, self.segments))


@dataclass(frozen=True)
class As4Path:
    """AS4_PATH (RFC 6793 §3): the 4-octet path beside a 2-octet AS_PATH (not an AsPath)."""

    segments: tuple[AsSegment, ...] = ()


@dataclass(frozen=True)
class NextHop:
    """NEXT_HOP (RFC 4271 §5.1.3): an IPv4 address."""

    address: str


@dataclass(frozen=True)
class MultiExitDisc:
    """MULTI_EXIT_DISC (RFC 4271 §5.1.4)."""

    value: int

    def __post_init__(self) -> None:
        _check_u32("MED", self.value)


@dataclass(frozen=True)
class LocalPref:
    """LOCAL_PREF (RFC 4271 §5.1.5)."""

    value: int

    def __post_init__(self) -> None:
        _check_u32("LOCAL_PREF", self.value)


@dataclass(frozen=True)
class AtomicAggregate:
    """ATOMIC_AGGREGATE (RFC 4271 §5.1.6): no value."""


@dataclass(frozen=True)
class Aggregator:
    """AGGREGATOR (RFC 4271 §5.1.7, RFC 6793 §3): AS (2 or 4 octets) and IPv4 address."""

    asn: int
    address: str

    def __post_init__(self) -> None:
        _check_u32("AGGREGATOR AS", self.asn)


@dataclass(frozen=True)
class As4Aggregator:
    """AS4_AGGREGATOR (RFC 6793 §3): always 4 octets (not an Aggregator)."""

    asn: int
    address: str

    def __post_init__(self) -> None:
        _check_u32("AS4_AGGREGATOR AS", self.asn)


@dataclass(frozen=True)
class Communities:
    """COMMUNITIES (RFC 1997): 4-octet values; 'high:low' is (value >> 16, value & 0xFFFF)."""

    values: tuple[int, ...]

    def __post_init__(self) -> None:
        _check_u32("community", *self.values)

    def __str__(self) -> str:
        return " ".join(f"{v >> 16}:{v & 0xFFFF}" for v in self.values)


@dataclass(frozen=True)
class OriginatorId:
    """ORIGINATOR_ID (RFC 4456 §8)."""

    address: str


@dataclass(frozen=True)
class ClusterList:
    """CLUSTER_LIST (RFC 4456 §8): cluster ids as dotted quads."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class MpReachNlri:
    """MP_REACH_NLRI (RFC 4760 §3; RFC 2545 §3 link-local; RFC 8950 IPv6 next hop for IPv4).

    For families other than IPv4/IPv6 unicast/multicast the codec does not read the next hop
    and NLRI: ``raw`` holds the octets after AFI and SAFI, and is written back as is.
    ``nlri_raw`` is the fast path's form of ``nlri`` (see ``Update.nlri_raw``).
    """

    afi: int
    safi: int
    next_hop: str = ""
    nlri: tuple[str, ...] = ()
    link_local: str | None = None
    raw: bytes = b""
    nlri_raw: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class MpUnreachNlri:
    """MP_UNREACH_NLRI (RFC 4760 §4); ``raw`` and ``withdrawn_raw`` as in :class:`MpReachNlri`."""

    afi: int
    safi: int
    withdrawn: tuple[str, ...] = ()
    raw: bytes = b""
    withdrawn_raw: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class ExtendedCommunities:
    """EXTENDED_COMMUNITIES (RFC 4360 §2): 8-octet values as ints."""

    values: tuple[int, ...]


@dataclass(frozen=True)
class LargeCommunities:
    """LARGE_COMMUNITIES (RFC 8092 §3): (global administrator, data 1, data 2)."""

    values: tuple[tuple[int, int, int], ...]

    def __post_init__(self) -> None:
        for triple in self.values:
            _check_u32("large community", *triple)

    def __str__(self) -> str:
        return " ".join(f"{a}:{b}:{c}" for a, b, c in self.values)


@dataclass(frozen=True)
class UnknownAttribute:
    """An attribute this codec does not know (RFC 4271 §5): kept raw, flags as received."""

    type_code: int
    flags: int
    value: bytes

    @property
    def transitive(self) -> bool:
        return bool(self.flags & AttrFlag.TRANSITIVE)


A = TypeVar("A")


def find_attribute(attributes: tuple[object, ...], kind: type[A]) -> A | None:
    """The first attribute of class ``kind``, or None."""
    for attr in attributes:
        if type(attr) is kind:
            return attr
    return None
