"""Export: which Loc-RIB routes a neighbor is sent, with which attributes (RFC 4271 §9.1.3,
§9.2, §5.1).

:func:`export_attrs` decides for one (path, neighbor) pair; the RIB caches the answer on the
path, so the rules below run once per attribute set and neighbor, never once per prefix.

=============  ==========  ===================================================================
learned from   sent to     rule
=============  ==========  ===================================================================
any            its sender  nothing (split horizon)
any            any         nothing if the neighbor's default-export-policy is REJECT_ROUTE
any            any         nothing with NO_ADVERTISE; nothing to eBGP with NO_EXPORT (RFC 1997)
iBGP           iBGP        nothing (§9.2: no route reflection, RFC 4456)
eBGP/local     iBGP        as learned, LOCAL_PREF set (§5.1.5), next hop kept (§5.1.3)
any            eBGP        own AS prepended (§5.1.2), next hop self (§5.1.3), no LOCAL_PREF
                           (§5.1.5), MED only if originated here (§5.1.4)
=============  ==========  ===================================================================
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from peerwise.rib.attrs import PathAttrs, prepend
from peerwise.rib.peer import AdjRib, Path, PeerConfig, PeerKind, Policy
from peerwise.rib.prefix import Key
from peerwise.wire.families import Family


class WellKnownCommunity(enum.IntEnum):
    """RFC 1997 §3."""

    NO_EXPORT = 0xFFFFFF01
    NO_ADVERTISE = 0xFFFFFF02
    NO_EXPORT_SUBCONFED = 0xFFFFFF03  # without confederations, the same as NO_EXPORT


@dataclass(frozen=True)
class Outgoing:
    """Adj-RIB-Out changes for one neighbor and family, grouped by attribute set for packing.

    The lists are handed over, not copied: treat them as read-only. ``end_of_rib`` asks the
    sender to follow them with an End-of-RIB marker (RFC 4724 §2).
    """

    family: Family
    withdrawn: list[Key]
    announced: dict[PathAttrs, list[Key]]
    end_of_rib: bool = False

    def __len__(self) -> int:
        return len(self.withdrawn) + sum(map(len, self.announced.values()))


def next_hop_self(target: AdjRib, family: Family) -> str:
    """Our address as the next hop towards ``target`` for ``family``; "" if we have none.

    The configured next-hop-self-address of the family, else the session address: IPv4
    routes take our IPv4 session address, or with RFC 8950 an IPv6 one; IPv6 routes take an
    IPv6 address (RFC 2545 §2). Worked out when the peer is configured (``PeerConfig
    .next_hop_self``); here it is one lookup.
    """
    hop = target.next_hops.get(family)
    return target.config.next_hop_self(family) if hop is None else hop


def reconfigure(target: AdjRib, config: PeerConfig, sources: Iterable[AdjRib]) -> bool:
    """Give ``target`` a new config (a next hop, a policy); True if it changed.

    What the paths of ``sources`` cached as exported to ``target`` is dropped, so that the
    next export to it works the attributes out again; re-exporting the Loc-RIB then sends
    exactly the prefixes whose attributes changed (RFC 4271 §9.2: an implicit replace), and
    withdraws those the new export policy rejects (``Rib.export`` pops them from the
    Adj-RIB-Out). A new import policy is ``Rib.reimport``'s (the verdicts on its paths).
    """
    if not target.configure(config):
        return False
    for source in sources:
        for path in source.paths():
            if path.export_peer is target:
                path.export_peer = path.export_family = path.export_attrs = None
            if path.exports:
                path.exports = {k: v for k, v in path.exports.items() if k[0] is not target}
    return True


def _to_ebgp(path: Path, target: AdjRib, family: Family) -> PathAttrs | None:
    next_hop = next_hop_self(target, family)
    if not next_hop:
        return None
    a = path.attrs
    # Spelled out rather than dataclasses.replace: this runs once per attribute set of a
    # full table, and replace() costs three times as much.
    return PathAttrs(
        a.origin,
        prepend(a.as_path, target.local_as),
        next_hop,
        "",
        a.med if path.peer.kind is PeerKind.LOCAL else None,
        None,
        a.atomic_aggregate,
        a.aggregator,
        a.communities,
        a.extended_communities,
        a.large_communities,
        a.other,
    )


def _to_ibgp(path: Path, target: AdjRib, family: Family) -> PathAttrs | None:
    next_hop = path.attrs.next_hop or next_hop_self(target, family)
    if not next_hop:
        return None
    return replace(path.attrs, local_pref=path.local_pref, next_hop=next_hop)


_Rule = Callable[[Path, AdjRib, Family], "PathAttrs | None"]
RULES: dict[tuple[PeerKind, PeerKind], _Rule | None] = {
    (PeerKind.EBGP, PeerKind.EBGP): _to_ebgp,
    (PeerKind.IBGP, PeerKind.EBGP): _to_ebgp,
    (PeerKind.LOCAL, PeerKind.EBGP): _to_ebgp,
    (PeerKind.EBGP, PeerKind.IBGP): _to_ibgp,
    (PeerKind.LOCAL, PeerKind.IBGP): _to_ibgp,
    (PeerKind.IBGP, PeerKind.IBGP): None,  # RFC 4271 §9.2
}
"""(learned from, sent to) -> how to build the attributes sent, or None: not sent."""

_NO_EXPORT = frozenset({WellKnownCommunity.NO_EXPORT, WellKnownCommunity.NO_EXPORT_SUBCONFED})


def export_attrs(path: Path, target: AdjRib, family: Family) -> PathAttrs | None:
    """The attributes to advertise ``path`` with to ``target``; None: do not advertise it."""
    if path.peer is target or target.config.export_policy is Policy.REJECT:
        return None
    communities = path.attrs.communities
    if communities:
        if WellKnownCommunity.NO_ADVERTISE in communities:
            return None
        if target.kind is PeerKind.EBGP and not _NO_EXPORT.isdisjoint(communities):
            return None
    rule = RULES.get((path.peer.kind, target.kind))
    return None if rule is None else rule(path, target, family)
