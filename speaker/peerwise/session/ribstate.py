"""The RIB as model state: ``rib/afi-safis`` in the file shape (yang/peerwise-bgp.yang).

A full table is a million paths, so a ``get`` never renders all of them: a request names
what it wants with a subtree filter (RFC 6241 §6) — a family, a prefix, a neighbor — and
:func:`query_from_filter` reads that filter before anything is built. Without a prefix, each
list stops at :data:`LIMIT` routes and the family's ``state/truncated`` says so; the sizes are
always complete. Paths are rendered as text only here, at the edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peerwise.rib import AdjRib, BestPathReason, Path, PathAttrs, Rib, decide, family_of, key_text
from peerwise.rib.prefix import Key, prefix_key
from peerwise.wire.families import Family, family_name, parse_family

LIMIT = 1000  # routes per list in a get without a prefix
ORIGIN_NAMES = ("igp", "egp", "incomplete")
Route = dict[str, Any]


@dataclass(frozen=True)
class RibQuery:
    """What a get asks of the RIB: None means all (families, prefixes, neighbors)."""

    family: Family | None = None
    prefix: str | None = None
    neighbor: str | None = None
    limit: int = LIMIT


def _text(node: Any) -> str | None:
    if isinstance(node, dict):
        node = node.get("#text")
    return node.strip() if isinstance(node, str) and node.strip() else None


def _dig(node: Any, *names: str) -> Any:
    for name in names:
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if k.rsplit(":", 1)[-1] == name), None)
    return node


def _find_leaf(node: Any, leaf: str) -> str | None:
    """The first content match node named ``leaf`` anywhere below ``node``."""
    if isinstance(node, list):
        return next((x for x in (_find_leaf(n, leaf) for n in node) if x), None)
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        if key.rsplit(":", 1)[-1] == leaf and _text(value):
            return _text(value)
        found = _find_leaf(value, leaf)
        if found:
            return found
    return None


def query_from_filter(flt: Any) -> RibQuery | None:
    """The RIB part of a subtree filter; None when the filter does not select ``rib``."""
    bgp = _dig(flt, "bgp")
    if not isinstance(bgp, dict) or not any(k.rsplit(":", 1)[-1] == "rib" for k in bgp):
        return None
    rib = _dig(bgp, "rib")
    entry = _dig(rib, "afi-safis", "afi-safi")
    name = _find_leaf(entry, "afi-safi-name")
    prefix = _find_leaf(_dig(entry, "loc-rib"), "prefix") or _find_leaf(
        _dig(entry, "neighbors"), "prefix"
    )
    neighbor = _find_leaf(_dig(entry, "neighbors"), "neighbor-address")
    return RibQuery(parse_family(name) if name else None, prefix, neighbor)


# -- paths as text ------------------------------------------------------------------------


def attrs_state(attrs: PathAttrs) -> Route:
    """The route leaves of one attribute set (bgp-rib-route-state)."""
    out: Route = {
        "next-hop": attrs.next_hop,
        "as-path": str(attrs.as_path),
        "origin": ORIGIN_NAMES[int(attrs.origin)],
    }
    if attrs.med is not None:
        out["med"] = attrs.med
    if attrs.local_pref is not None:
        out["local-pref"] = attrs.local_pref
    if attrs.communities:
        out["communities"] = [f"{c >> 16}:{c & 0xFFFF}" for c in attrs.communities]
    if attrs.extended_communities:
        out["extended-communities"] = [f"{c:016x}" for c in attrs.extended_communities]
    if attrs.large_communities:
        out["large-communities"] = [f"{a}:{b}:{c}" for a, b, c in attrs.large_communities]
    return out


def _peer_name(path: Path) -> str:
    return "local" if path.peer.kind.value == "local" else path.peer.address


def loc_routes(rib: Rib, family: Family, key: Key, now: float = 0.0) -> list[Route]:
    """Every candidate of one prefix, the best one first with its reason; ``age`` is the
    seconds since its path was received (``now`` and ``Path.since``: the session's clock)."""
    loc = rib.loc[family]
    candidates = loc.candidates(key)
    if not candidates:
        return []
    best, reason = decide(candidates) if len(candidates) > 1 else (candidates[0], None)
    text = key_text(key, family)
    out = []
    for path in sorted(candidates, key=lambda p: p is not best):
        route = {"prefix": text, "peer": _peer_name(path), **attrs_state(path.attrs)}
        route["best"] = path is best
        route["age"] = max(0, int(now - path.since))
        if path is best:
            route["reason"] = (reason or BestPathReason.ONLY_PATH).value
        out.append(route)
    return out


def _keys(table: dict[Key, Any], query: RibQuery, family: Family) -> Iterator[Key]:
    if query.prefix is None:
        return iter(table)
    try:
        key = prefix_key(query.prefix)
    except ValueError:
        return iter(())
    same = family_of(query.prefix) == family
    return iter([key] if same and key in table else [])


def _adj(table: dict[Key, Any], family: Family, query: RibQuery, out: bool) -> list[Route]:
    routes: list[Route] = []
    for key in _keys(table, query, family):
        if len(routes) >= query.limit:
            break
        value = table[key]
        attrs = value if out else value.attrs
        routes.append({"prefix": key_text(key, family), **attrs_state(attrs)})
    return routes


def _neighbor(peer: AdjRib, family: Family, query: RibQuery) -> Route:
    c = peer.counters(family)
    return {
        "neighbor-address": peer.address,
        "state": {
            "received": c.received,
            "accepted": c.accepted,
            "advertised": c.advertised,
            "as-loop": c.as_loop,
        },
        "adj-rib-in-pre": {"routes": _adj(peer.adj_in.get(family, {}), family, query, False)},
        "adj-rib-out-post": {"routes": _adj(peer.adj_out.get(family, {}), family, query, True)},
    }


def family_state(rib: Rib, family: Family, query: RibQuery, now: float = 0.0) -> Route:
    """One ``rib/afi-safis`` entry."""
    best = rib.loc[family].best
    routes: list[Route] = []
    for shown, key in enumerate(_keys(best, query, family)):
        if shown >= query.limit:
            break
        routes += loc_routes(rib, family, key, now)
    peers = [rib.local, *rib.peers.values()]
    paths = sum(len(p.adj_in.get(family, ())) for p in peers)
    neighbors = [
        _neighbor(p, family, query)
        for p in rib.peers.values()
        if query.neighbor is None or p.address == query.neighbor
    ]
    return {
        "afi-safi-name": family_name(*family),
        "state": {
            "total-paths": paths,
            "total-prefixes": len(best),
            "truncated": query.prefix is None and len(best) > query.limit,
        },
        "loc-rib": {"routes": routes},
        "neighbors": neighbors,
    }


def rib_state(rib: Rib, query: RibQuery, now: float = 0.0) -> list[Route]:
    """``rib/afi-safis`` for the families the query names; ``now`` for the routes' age."""
    families = [f for f in rib.loc if query.family in (None, f)]
    return [family_state(rib, f, query, now) for f in families]
