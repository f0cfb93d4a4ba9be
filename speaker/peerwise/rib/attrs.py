"""Attribute sets: the decoded path attributes of a route, interned (RFC 4271 §5).

A full table has about ten prefixes per distinct attribute set, so the RIB stores each set
once: :class:`AttrTable` hash-conses :class:`PathAttrs` values, and every prefix that carries
the same attributes points at the same object. The table holds weak references, so an
attribute set disappears with the last route that uses it.

:class:`PathAttrs` holds the wire codec's values (``peerwise.wire.attributes``) where they
are objects (``AsPath``, ``Aggregator``) and plain ints and strings where they are scalars;
:func:`from_wire` builds one from a decoded UPDATE's attributes, :func:`to_wire` gives them
back for encoding. MP_REACH_NLRI / MP_UNREACH_NLRI are not attributes of a route here: the
RIB keeps the next hop and gets the NLRI separately (RFC 4760 §3, §4).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from peerwise.wire.attributes import (
    Aggregator,
    As4Aggregator,
    As4Path,
    AsPath,
    AsSegment,
    AtomicAggregate,
    Communities,
    ExtendedCommunities,
    LargeCommunities,
    LocalPref,
    MpReachNlri,
    MpUnreachNlri,
    MultiExitDisc,
    NextHop,
    Origin,
    OriginCode,
    SegmentType,
)

EMPTY_AS_PATH = AsPath()
MAX_SEGMENT = 255  # RFC 4271 §4.3: an AS_PATH segment holds at most 255 AS numbers


@dataclass(frozen=True)
class PathAttrs:
    """The path attributes of a route, as one hashable value (hash computed once).

    ``next_hop`` is an IPv4 or IPv6 address ("" when unset); an IPv6 next hop may come with a
    ``link_local`` one (RFC 2545 §3); an IPv4 route may have an IPv6 next hop (RFC 8950).
    ``med`` and ``local_pref`` are None when absent. ``other`` keeps the attributes the RIB
    does not look at (ORIGINATOR_ID, CLUSTER_LIST, unknown optional transitive ones) as the
    codec's values, to be passed on (RFC 4271 §5).
    """

    origin: OriginCode = OriginCode.IGP
    as_path: AsPath = EMPTY_AS_PATH
    next_hop: str = ""
    link_local: str = ""
    med: int | None = None
    local_pref: int | None = None
    atomic_aggregate: bool = False
    aggregator: Aggregator | None = None
    communities: tuple[int, ...] = ()
    extended_communities: tuple[int, ...] = ()
    large_communities: tuple[tuple[int, int, int], ...] = ()
    other: tuple[object, ...] = ()
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(self.key()))

    def __hash__(self) -> int:
        return self._hash

    def key(self) -> tuple[object, ...]:
        """The fields as a tuple: the interning key (it does not reference ``self``)."""
        return (
            self.origin,
            self.as_path,
            self.next_hop,
            self.link_local,
            self.med,
            self.local_pref,
            self.atomic_aggregate,
            self.aggregator,
            self.communities,
            self.extended_communities,
            self.large_communities,
            self.other,
        )


class AttrTable:
    """Hash-consing of :class:`PathAttrs`: equal sets become one shared object.

    Weak values, keyed by the set's (cached) hash: the table never keeps a set alive and
    costs no key object per set. Two different sets with one hash are rare; the second goes
    to a table keyed by its fields. Callers intern once per attribute set, never per prefix.
    """

    def __init__(self) -> None:
        self._by_hash: weakref.WeakValueDictionary[int, PathAttrs] = weakref.WeakValueDictionary()
        self._collided: weakref.WeakValueDictionary[tuple[object, ...], PathAttrs] = (
            weakref.WeakValueDictionary()
        )

    def intern(self, attrs: PathAttrs) -> PathAttrs:
        """The one shared object equal to ``attrs`` (``attrs`` itself if it is new)."""
        found = self._by_hash.get(attrs._hash)
        if found is None:
            self._by_hash[attrs._hash] = attrs
            return attrs
        if found is attrs or found == attrs:
            return found
        key = attrs.key()
        found = self._collided.get(key)
        if found is None:
            self._collided[key] = found = attrs
        return found

    def __len__(self) -> int:
        return len(self._by_hash) + len(self._collided)


# -- AS_PATH helpers (RFC 4271 §5.1.2, §9.1.2) ---------------------------------------------


def contains_as(as_path: AsPath, asn: int) -> bool:
    """True if ``asn`` is anywhere in the path: an AS loop (RFC 4271 §9.1.2)."""
    return any(asn in seg.asns for seg in as_path.segments)


def prepend(as_path: AsPath, asn: int) -> AsPath:
    """``asn`` prepended as RFC 4271 §5.1.2 b says: into a leading AS_SEQUENCE if it has room,
    else as a new AS_SEQUENCE segment in front."""
    segments = as_path.segments
    if segments and segments[0].type == SegmentType.AS_SEQUENCE:
        first = segments[0]
        if len(first.asns) < MAX_SEGMENT:
            head = AsSegment(SegmentType.AS_SEQUENCE, (asn, *first.asns))
            return AsPath((head, *segments[1:]))
    return AsPath((AsSegment(SegmentType.AS_SEQUENCE, (asn,)), *segments))


# -- from and to the codec's values ------------------------------------------------------------

_Getter = Callable[[Any], object]
# codec class -> (PathAttrs field, how to get the field's value from the codec's value)
_FROM_WIRE: dict[type, tuple[str, _Getter]] = {
    Origin: ("origin", lambda a: a.value),
    AsPath: ("as_path", lambda a: a),
    NextHop: ("next_hop", lambda a: a.address),
    MultiExitDisc: ("med", lambda a: a.value),
    LocalPref: ("local_pref", lambda a: a.value),
    AtomicAggregate: ("atomic_aggregate", lambda a: True),
    Aggregator: ("aggregator", lambda a: a),
    Communities: ("communities", lambda a: a.values),
    ExtendedCommunities: ("extended_communities", lambda a: a.values),
    LargeCommunities: ("large_communities", lambda a: a.values),
}
# Carried elsewhere: MP_* hold NLRI (the next hop is taken below). AS4_* never reach here
# from a decoded UPDATE: the codec merges an OLD speaker's into AS_PATH / AGGREGATOR
# (RFC 6793 §4.2.3, ``wire/as4.py``) and discards a NEW one's (§4.1); on the way out it
# makes them again for an OLD speaker (§4.2.2), so they are never part of a route.
_NOT_KEPT = (MpUnreachNlri, As4Path, As4Aggregator)


def from_wire(attributes: Iterable[object]) -> PathAttrs:
    """A :class:`PathAttrs` from a decoded UPDATE's ``attributes`` (not interned)."""
    values: dict[str, object] = {}
    other: list[object] = []
    for attr in attributes:
        row = _FROM_WIRE.get(type(attr))
        if row is not None:
            values[row[0]] = row[1](attr)
        elif isinstance(attr, MpReachNlri):
            # RFC 4760 §3 / RFC 8950: the MP next hop replaces NEXT_HOP for its NLRI.
            values["next_hop"] = attr.next_hop
            values["link_local"] = attr.link_local or ""
        elif not isinstance(attr, _NOT_KEPT):
            other.append(attr)
    return PathAttrs(other=tuple(other), **values)  # type: ignore[arg-type]


def to_wire(attrs: PathAttrs, *, mp: bool) -> tuple[object, ...]:
    """The codec's attribute values for ``attrs``, in type-code order (RFC 4271 §5).

    With ``mp`` (IPv6, or IPv4 with an IPv6 next hop), NEXT_HOP is left out: the caller puts
    ``attrs.next_hop`` into the MP_REACH_NLRI it builds around the NLRI (RFC 4760 §3).
    """
    out: list[object] = [Origin(attrs.origin), attrs.as_path]
    if not mp and attrs.next_hop:
        out.append(NextHop(attrs.next_hop))
    if attrs.med is not None:
        out.append(MultiExitDisc(attrs.med))
    if attrs.local_pref is not None:
        out.append(LocalPref(attrs.local_pref))
    if attrs.atomic_aggregate:
        out.append(AtomicAggregate())
    if attrs.aggregator is not None:
        out.append(attrs.aggregator)
    if attrs.communities:
        out.append(Communities(attrs.communities))
    out.extend(attrs.other)
    if attrs.extended_communities:
        out.append(ExtendedCommunities(attrs.extended_communities))
    if attrs.large_communities:
        out.append(LargeCommunities(attrs.large_communities))
    return tuple(out)
