"""UPDATE octets straight from the RIB's values (RFC 4271 §4.3, RFC 4760 §3-§4, RFC 4724 §2).

The send path of a full table: :meth:`UpdateWriter.frames` turns an
:class:`~peerwise.rib.export.Outgoing` into whole UPDATE messages, each at most the
negotiated size, without building codec values on the way. Each attribute set is encoded
once (:meth:`UpdateWriter.attributes`, kept for the next time the same interned set goes
out: another chunk, another neighbor with the same next hop, a ROUTE-REFRESH); the prefix
keys are already NLRI octets and are joined as they are. Because the attribute octets are
known before packing, each UPDATE carries as many prefixes as fit exactly.

The octets are those of the codec's generic path (``to_wire`` then ``encode_attributes``;
a test compares the two): MP_REACH_NLRI / MP_UNREACH_NLRI first (RFC 7606 §5.1), the
others by type code. Sessions without 4-octet AS numbers (the generic path adds the
AS4_PATH / AS4_AGGREGATOR an OLD speaker needs, RFC 6793 §4.2.2), and sets carrying
attributes the RIB does not look at (``PathAttrs.other``), take the generic path.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from peerwise.rib.attrs import PathAttrs, to_wire
from peerwise.rib.export import Outgoing
from peerwise.rib.pack import UPDATE_OVERHEAD, _chunks
from peerwise.wire.attributes import AsPath, AttrType
from peerwise.wire.codec import HEADER_SIZE, MARKER
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, Family
from peerwise.wire.messages import MessageType
from peerwise.wire.prefixes import pack_address
from peerwise.wire.update import attribute_octets, encode_attribute, encode_attributes

LIMIT = 1 << 14  # attribute sets (and AS paths) whose octets are kept per writer
_WELL_KNOWN, _OPTIONAL, _OPTIONAL_TRANSITIVE = 0x40, 0x80, 0xC0
_TYPE = bytes((MessageType.UPDATE,))
_NO_WITHDRAWN = b"\x00\x00"
_MP_REACH_HEAD = 4 + 3 + 1 + 1  # extended header, AFI, SAFI, next hop length, reserved
_MP_UNREACH_HEAD = 4 + 3  # extended header, AFI, SAFI
_ORIGIN = tuple(attribute_octets(_WELL_KNOWN, AttrType.ORIGIN, bytes((o,))) for o in range(3))
_ATOMIC = attribute_octets(_WELL_KNOWN, AttrType.ATOMIC_AGGREGATE, b"")


def _u32(flags: int, code: int) -> Callable[[int], bytes]:
    head = bytes((flags, code, 4))
    return lambda value: head + value.to_bytes(4, "big")


_MED = _u32(_OPTIONAL, AttrType.MULTI_EXIT_DISC)
_LOCAL_PREF = _u32(_WELL_KNOWN, AttrType.LOCAL_PREF)
# (PathAttrs field, type code, struct item): RFC 1997, RFC 4360.
_LISTS: tuple[tuple[str, int, str], ...] = (
    ("communities", AttrType.COMMUNITIES, "I"),
    ("extended_communities", AttrType.EXTENDED_COMMUNITIES, "Q"),
)


def message(body: bytes) -> bytes:
    """An UPDATE message around ``body`` (RFC 4271 §4.1 header)."""
    return MARKER + (HEADER_SIZE + len(body)).to_bytes(2, "big") + _TYPE + body


class UpdateWriter:
    """Encodes outgoing changes for sessions that share one codec context."""

    def __init__(self, ctx: CodecContext) -> None:
        self.ctx = ctx
        self._sets: tuple[dict[PathAttrs, bytes], dict[PathAttrs, bytes]] = ({}, {})
        self._paths: dict[AsPath, bytes] = {}
        self._addresses: dict[str, bytes] = {}

    # -- attributes ----------------------------------------------------------------------

    def attributes(self, attrs: PathAttrs, mp: bool) -> bytes:
        """The path attributes of ``attrs`` (without MP_REACH_NLRI when ``mp``)."""
        cache = self._sets[mp]
        octets = cache.get(attrs)
        if octets is None:
            if len(cache) >= LIMIT:
                cache.clear()
            if self.ctx.four_octet_as and not attrs.other:
                octets = cache[attrs] = self._straight(attrs, mp)
            else:
                octets = cache[attrs] = encode_attributes(to_wire(attrs, mp=mp), self.ctx)
        return octets

    def _straight(self, attrs: PathAttrs, mp: bool) -> bytes:
        """Field by field, in type-code order (RFC 4271 §4.3, §5)."""
        parts = [_ORIGIN[attrs.origin], self._as_path(attrs.as_path)]
        if not mp and attrs.next_hop:
            parts.append(b"\x40\x03\x04" + self._address(attrs.next_hop))
        if attrs.med is not None:
            parts.append(_MED(attrs.med))
        if attrs.local_pref is not None:
            parts.append(_LOCAL_PREF(attrs.local_pref))
        if attrs.atomic_aggregate:
            parts.append(_ATOMIC)
        if attrs.aggregator is not None:
            parts.append(encode_attribute(attrs.aggregator, self.ctx))
        for name, code, item in _LISTS:
            values = getattr(attrs, name)
            if values:
                value = struct.pack(f">{len(values)}{item}", *values)
                parts.append(attribute_octets(_OPTIONAL_TRANSITIVE, code, value))
        if attrs.large_communities:
            flat = [n for triple in attrs.large_communities for n in triple]
            value = struct.pack(f">{len(flat)}I", *flat)
            parts.append(attribute_octets(_OPTIONAL_TRANSITIVE, AttrType.LARGE_COMMUNITIES, value))
        return b"".join(parts)

    def _as_path(self, as_path: AsPath) -> bytes:
        octets = self._paths.get(as_path)
        if octets is None:
            if len(self._paths) >= LIMIT:
                self._paths.clear()
            octets = self._paths[as_path] = encode_attribute(as_path, self.ctx)
        return octets

    def _address(self, address: str) -> bytes:
        packed = self._addresses.get(address)
        if packed is None:
            if len(self._addresses) >= LIMIT:
                self._addresses.clear()
            packed = self._addresses[address] = pack_address(address)
        return packed

    # -- messages ------------------------------------------------------------------------

    def frames(self, out: Outgoing) -> list[bytes]:
        """``out`` as UPDATE messages: withdrawals, one run per attribute set, then
        End-of-RIB if asked (RFC 4724 §2)."""
        family = out.family
        mp_family = family != IPV4_UNICAST
        frames: list[bytes] = []
        if out.withdrawn:
            frames += self._withdrawals(family, out.withdrawn, mp_family)
        max_size = self.ctx.max_size
        for attrs, keys in out.announced.items():
            mp = mp_family or ":" in attrs.next_hop
            octets = self.attributes(attrs, mp)
            if mp:
                frames += self._reach(family, attrs, octets, keys)
                continue
            head = _NO_WITHDRAWN + len(octets).to_bytes(2, "big") + octets
            for chunk in _chunks(keys, max_size - UPDATE_OVERHEAD - len(octets)):
                frames.append(message(head + chunk))
        if out.end_of_rib:
            frames.append(end_of_rib(family))
        return frames

    def _withdrawals(self, family: Family, keys: list[bytes], mp: bool) -> list[bytes]:
        budget = self.ctx.max_size - UPDATE_OVERHEAD - (_MP_UNREACH_HEAD if mp else 0)
        if not mp:
            return [
                message(len(chunk).to_bytes(2, "big") + chunk + _NO_WITHDRAWN)
                for chunk in _chunks(keys, budget)
            ]
        head = struct.pack(">HB", *family)
        out = []
        for chunk in _chunks(keys, budget):
            unreach = attribute_octets(_OPTIONAL, AttrType.MP_UNREACH_NLRI, head + chunk)
            out.append(message(_NO_WITHDRAWN + len(unreach).to_bytes(2, "big") + unreach))
        return out

    def _reach(
        self, family: Family, attrs: PathAttrs, octets: bytes, keys: list[bytes]
    ) -> list[bytes]:
        """RFC 4760 §3 (RFC 8950 §3 for IPv4 with an IPv6 next hop): the prefixes go in
        MP_REACH_NLRI with the next hop (and an RFC 2545 link-local one)."""
        next_hop = self._address(attrs.next_hop)
        if attrs.link_local:
            next_hop += self._address(attrs.link_local)
        head = struct.pack(">HBB", *family, len(next_hop)) + next_hop + b"\x00"
        room = self.ctx.max_size - UPDATE_OVERHEAD - len(octets) - _MP_REACH_HEAD - len(next_hop)
        out = []
        for chunk in _chunks(keys, room):
            reach = attribute_octets(_OPTIONAL, AttrType.MP_REACH_NLRI, head + chunk)
            body = reach + octets
            out.append(message(_NO_WITHDRAWN + len(body).to_bytes(2, "big") + body))
        return out


def end_of_rib(family: Family) -> bytes:
    """RFC 4724 §2: an empty UPDATE for IPv4 unicast, an empty MP_UNREACH_NLRI otherwise."""
    if family == IPV4_UNICAST:
        return message(_NO_WITHDRAWN * 2)
    unreach = attribute_octets(_OPTIONAL, AttrType.MP_UNREACH_NLRI, struct.pack(">HB", *family))
    return message(_NO_WITHDRAWN + len(unreach).to_bytes(2, "big") + unreach)
