"""Packing Adj-RIB-Out changes into UPDATE-sized groups (RFC 4271 §4.3, RFC 4760, RFC 8654).

:func:`pack` turns an :class:`~peerwise.rib.export.Outgoing` into :class:`PackedUpdate`
values, each of which encodes to one UPDATE of at most ``max_size`` octets (4096, or 65535
with RFC 8654 extended messages): withdrawals first, then one run of UPDATEs per attribute
set, each carrying as many prefixes as fit. The NLRI are already in wire form (the prefix
keys joined), so the codec encodes each attribute set once and copies the prefix octets.

Sizes come from :func:`attrs_size`, an upper bound of the encoded attributes computed from
the values alone; a caller with an exact encoder may pass its own ``size_of``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from peerwise.rib.attrs import PathAttrs
from peerwise.rib.export import Outgoing
from peerwise.rib.prefix import Key
from peerwise.wire.attributes import ClusterList, OriginatorId, UnknownAttribute
from peerwise.wire.context import MAX_MESSAGE
from peerwise.wire.families import IPV4_UNICAST, Family

# Marker 16 + length 2 + type 1 (§4.1), withdrawn routes length 2, path attributes length 2.
UPDATE_OVERHEAD = 19 + 2 + 2
MP_UNREACH_OVERHEAD = 4 + 3  # header with extended length, AFI, SAFI (RFC 4760 §4)
MP_REACH_OVERHEAD = 4 + 3 + 1 + 1  # + next hop length and reserved octets (RFC 4760 §3)
_AS2_MAX = 0xFFFF


@dataclass(frozen=True)
class PackedUpdate:
    """One UPDATE's worth: ``withdrawn`` and ``nlri`` are NLRI octets ready to copy.

    With ``mp`` the prefixes go in MP_UNREACH_NLRI / MP_REACH_NLRI (with ``attrs.next_hop``)
    instead of the classic fields (RFC 4760; RFC 8950 for IPv4 with an IPv6 next hop). An
    update with nothing in it is the End-of-RIB marker for its family (RFC 4724 §2).
    """

    family: Family
    withdrawn: bytes = b""
    attrs: PathAttrs | None = None
    nlri: bytes = b""
    mp: bool = False

    @property
    def is_end_of_rib(self) -> bool:
        return not self.withdrawn and self.attrs is None and not self.nlri


def _attr(value_len: int) -> int:
    """An attribute's size: flags, type, 1 or 2 length octets (RFC 4271 §4.3), value."""
    return (3 if value_len <= 255 else 4) + value_len


_OTHER_SIZE: dict[type, Callable[[Any], int]] = {
    UnknownAttribute: lambda a: len(a.value),
    OriginatorId: lambda a: 4,
    ClusterList: lambda a: 4 * len(a.ids),
}


def attrs_size(attrs: PathAttrs, mp: bool, four_octet_as: bool = True) -> int:
    """An upper bound of the encoded size of ``attrs`` (without MP_REACH_NLRI).

    Straight-line code on purpose: it runs once per attribute set of a full table.
    """
    asn_size = 4 if four_octet_as else 2
    segments = attrs.as_path.segments
    count = 0
    for segment in segments:
        count += len(segment.asns)
    size = _attr(1) + _attr(2 * len(segments) + asn_size * count)
    if asn_size == 2 and any(a > _AS2_MAX for s in segments for a in s.asns):
        size += _attr(2 * len(segments) + 4 * count)  # AS4_PATH (RFC 6793 §4.2.2)
    if not mp and attrs.next_hop:
        size += _attr(4)
    size += (attrs.med is not None) * _attr(4) + (attrs.local_pref is not None) * _attr(4)
    size += attrs.atomic_aggregate * _attr(0)
    if attrs.aggregator is not None:
        size += _attr(asn_size + 4) + (asn_size == 2) * _attr(8)  # + AS4_AGGREGATOR at worst
    for values, width in (
        (attrs.communities, 4),
        (attrs.extended_communities, 8),
        (attrs.large_communities, 12),
    ):
        size += _attr(width * len(values)) if values else 0
    for other in attrs.other:
        size += _attr(_OTHER_SIZE[type(other)](other))
    return size


def uses_mp(family: Family, attrs: PathAttrs | None) -> bool:
    """Whether prefixes go in MP_REACH / MP_UNREACH (RFC 4760 §3, RFC 8950 §3)."""
    return family != IPV4_UNICAST or (attrs is not None and ":" in attrs.next_hop)


def _mp_reach_size(attrs: PathAttrs) -> int:
    next_hop_len = (16 if ":" in attrs.next_hop else 4) + (16 if attrs.link_local else 0)
    return MP_REACH_OVERHEAD + next_hop_len


def _chunks(keys: Sequence[Key], budget: int) -> list[bytes]:
    """``keys`` joined into runs of at most ``budget`` octets."""
    ends = list(accumulate(map(len, keys)))
    if not ends or ends[-1] <= budget:
        return [b"".join(keys)] if ends else []
    out: list[bytes] = []
    start, base = 0, 0
    while start < len(keys):
        stop = bisect_right(ends, base + budget, lo=start)
        if stop == start:
            raise ValueError(f"a prefix does not fit in {budget} octets")
        out.append(b"".join(keys[start:stop]))
        base, start = ends[stop - 1], stop
    return out


SizeOf = Callable[[PathAttrs, bool], int]


def pack(
    out: Outgoing, max_size: int = MAX_MESSAGE, size_of: SizeOf = attrs_size
) -> list[PackedUpdate]:
    """``out`` as UPDATEs of at most ``max_size`` octets each, End-of-RIB last if asked."""
    family = out.family
    updates: list[PackedUpdate] = []
    mp = uses_mp(family, None)
    budget = max_size - UPDATE_OVERHEAD - (MP_UNREACH_OVERHEAD if mp else 0)
    for chunk in _chunks(out.withdrawn, budget):
        updates.append(PackedUpdate(family, withdrawn=chunk, mp=mp))
    for attrs, keys in out.announced.items():
        mp = uses_mp(family, attrs)
        room = max_size - UPDATE_OVERHEAD - size_of(attrs, mp)
        room -= _mp_reach_size(attrs) if mp else 0
        for chunk in _chunks(keys, room):
            updates.append(PackedUpdate(family, attrs=attrs, nlri=chunk, mp=mp))
    if out.end_of_rib:
        updates.append(PackedUpdate(family, mp=family != IPV4_UNICAST))
    return updates
