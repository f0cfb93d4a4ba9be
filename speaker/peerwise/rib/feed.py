"""Between the codec's UPDATE values and the RIB (RFC 4271 §4.3, RFC 4760, RFC 4724 §2).

:func:`apply_update` feeds one decoded :class:`~peerwise.wire.messages.Update` into the RIB
(classic IPv4 fields, MP_REACH_NLRI, MP_UNREACH_NLRI, RFC 7606 treat-as-withdraw, End-of-RIB);
:func:`to_update` turns a :class:`PackedUpdate` back into an ``Update`` for the encoder.

The fast path: a codec context with ``raw_nlri`` hands the prefixes over as their NLRI
encoding (``Update.nlri_raw``), which is exactly a prefix :data:`Key`, so no text is made on
the way in; :func:`to_update` passes ``PackedUpdate.nlri`` (keys already joined) to the
encoder as one raw run, which it copies. Text prefixes (the codec's default) still work.
"""

from __future__ import annotations

from collections.abc import Iterable

from peerwise.rib.attrs import from_wire, to_wire
from peerwise.rib.pack import PackedUpdate
from peerwise.rib.peer import AdjRib
from peerwise.rib.prefix import Key, prefix_key
from peerwise.rib.rib import LocChange, Rib
from peerwise.wire.attributes import MpReachNlri, MpUnreachNlri
from peerwise.wire.families import IPV4_UNICAST, Family
from peerwise.wire.messages import Update
from peerwise.wire.update import end_of_rib, is_end_of_rib


def _v4_key(text: str) -> Key:
    """prefix_key for the codec's canonical IPv4 text, without ipaddress (hot path)."""
    address, _, length = text.partition("/")
    plen = int(length)
    return bytes((plen, *map(int, address.split("."))))[: 1 + ((plen + 7) >> 3)]


_MP = (MpReachNlri, MpUnreachNlri)


def _keys(prefixes: Iterable[str], family: Family) -> list[Key]:
    return [(_v4_key if family[0] == 1 else prefix_key)(p) for p in prefixes]


def apply_update(rib: Rib, peer: AdjRib, update: Update) -> list[LocChange]:
    """Feed one received UPDATE into the RIB; the Loc-RIB changes, one per family touched."""
    eor = is_end_of_rib(update)
    if eor is not None:
        rib.end_of_rib_received(peer, eor)
        return []
    changes: list[LocChange] = []
    taw = update.treat_as_withdraw
    classic = [a for a in update.attributes if not isinstance(a, _MP)]
    nlri = update.nlri_raw or _keys(update.nlri, IPV4_UNICAST)
    withdrawn = update.withdrawn_raw or _keys(update.withdrawn, IPV4_UNICAST)
    if withdrawn or nlri:
        announced = [(from_wire(classic), nlri)] if nlri else []
        changes.append(rib.ingest(peer, IPV4_UNICAST, announced, withdrawn, taw))
    for attr in update.attributes:
        if isinstance(attr, MpUnreachNlri) and (attr.withdrawn or attr.withdrawn_raw):
            family = (attr.afi, attr.safi)
            keys = attr.withdrawn_raw or _keys(attr.withdrawn, family)
            changes.append(rib.ingest(peer, family, (), keys))
        elif isinstance(attr, MpReachNlri) and (attr.nlri or attr.nlri_raw):
            family = (attr.afi, attr.safi)
            keys = attr.nlri_raw or _keys(attr.nlri, family)
            changes.append(rib.ingest(peer, family, [(from_wire([*classic, attr]), keys)], (), taw))
    return changes


def _run(data: bytes) -> tuple[bytes, ...]:
    return (data,) if data else ()


def to_update(packed: PackedUpdate) -> Update:
    """The ``Update`` value for one packed group (End-of-RIB included); the prefixes go to
    the encoder as raw NLRI octets (``nlri_raw``), copied as they are."""
    family = packed.family
    afi, safi = family
    if packed.is_end_of_rib:
        return end_of_rib(afi, safi)
    if not packed.mp:
        attributes = () if packed.attrs is None else to_wire(packed.attrs, mp=False)
        return Update(
            attributes=attributes,
            withdrawn_raw=_run(packed.withdrawn),
            nlri_raw=_run(packed.nlri),
        )
    if packed.attrs is None:
        unreach = MpUnreachNlri(afi, safi, withdrawn_raw=_run(packed.withdrawn))
        return Update(attributes=(unreach,))
    attrs = packed.attrs
    reach = MpReachNlri(
        afi, safi, attrs.next_hop, (), attrs.link_local or None, nlri_raw=_run(packed.nlri)
    )
    return Update(attributes=(*to_wire(attrs, mp=True), reach))
