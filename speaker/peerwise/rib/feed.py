"""Between the codec's UPDATE values and the RIB (RFC 4271 §4.3, RFC 4760, RFC 4724 §2).

:func:`apply_update` feeds one decoded :class:`~peerwise.wire.messages.Update` into the RIB
(classic IPv4 fields, MP_REACH_NLRI, MP_UNREACH_NLRI, RFC 7606 treat-as-withdraw, End-of-RIB);
:func:`to_update` turns a :class:`PackedUpdate` back into an ``Update`` for the encoder.

The codec speaks prefixes as text, so both directions convert each prefix once: correct, and
the slow part of a full table. A codec that hands over NLRI octets (``split_nlri``) and
accepts them back (``PackedUpdate.nlri`` is ready to copy) skips that conversion.
"""

from __future__ import annotations

from collections.abc import Iterable

from peerwise.rib.attrs import from_wire, to_wire
from peerwise.rib.pack import PackedUpdate
from peerwise.rib.peer import Peer
from peerwise.rib.prefix import Key, key_text, prefix_key, split_nlri
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


def _keys(prefixes: Iterable[str], family: Family) -> list[Key]:
    return [(_v4_key if family[0] == 1 else prefix_key)(p) for p in prefixes]


def apply_update(rib: Rib, peer: Peer, update: Update) -> list[LocChange]:
    """Feed one received UPDATE into the RIB; the Loc-RIB changes, one per family touched."""
    eor = is_end_of_rib(update)
    if eor is not None:
        rib.end_of_rib_received(peer, eor)
        return []
    changes: list[LocChange] = []
    taw = update.treat_as_withdraw
    classic = [a for a in update.attributes if not isinstance(a, MpReachNlri | MpUnreachNlri)]
    if update.withdrawn or update.nlri:
        announced = [(from_wire(classic), _keys(update.nlri, IPV4_UNICAST))] if update.nlri else []
        withdrawn = _keys(update.withdrawn, IPV4_UNICAST)
        changes.append(rib.ingest(peer, IPV4_UNICAST, announced, withdrawn, taw))
    for attr in update.attributes:
        if isinstance(attr, MpUnreachNlri) and attr.withdrawn:
            family = (attr.afi, attr.safi)
            changes.append(rib.ingest(peer, family, (), _keys(attr.withdrawn, family)))
        elif isinstance(attr, MpReachNlri) and attr.nlri:
            family = (attr.afi, attr.safi)
            announced = [(from_wire([*classic, attr]), _keys(attr.nlri, family))]
            changes.append(rib.ingest(peer, family, announced, (), taw))
    return changes


def _texts(data: bytes, family: Family) -> tuple[str, ...]:
    return tuple(key_text(k, family) for k in split_nlri(data, family))


def to_update(packed: PackedUpdate) -> Update:
    """The ``Update`` value for one packed group (End-of-RIB included)."""
    family = packed.family
    afi, safi = family
    if packed.is_end_of_rib:
        return end_of_rib(afi, safi)
    if not packed.mp:
        attributes = () if packed.attrs is None else to_wire(packed.attrs, mp=False)
        withdrawn, nlri = _texts(packed.withdrawn, family), _texts(packed.nlri, family)
        return Update(withdrawn=withdrawn, attributes=attributes, nlri=nlri)
    if packed.attrs is None:
        return Update(attributes=(MpUnreachNlri(afi, safi, _texts(packed.withdrawn, family)),))
    attrs = packed.attrs
    reach = MpReachNlri(
        afi, safi, attrs.next_hop, _texts(packed.nlri, family), attrs.link_local or None
    )
    return Update(attributes=(*to_wire(attrs, mp=True), reach))
