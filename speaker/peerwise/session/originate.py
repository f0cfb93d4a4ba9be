"""Reading the route config: originated routes (``rib/routes``) and the per-neighbor default
policies (``apply-policy/config``), from the model's file shape (docs/ARCHITECTURE.md).

The model has validated the config before it gets here; these readers still refuse what the
RIB cannot take, naming the path, so that a bare file fails early and clearly.
"""

from __future__ import annotations

from typing import Any

from peerwise.rib import LocalRoute, Policy, parse_community, parse_large_community
from peerwise.wire.attributes import OriginCode

ORIGINS = {"igp": OriginCode.IGP, "egp": OriginCode.EGP, "incomplete": OriginCode.INCOMPLETE}
# default-import-policy / default-export-policy spellings: the model's (GoBGP's TOML) and
# OpenConfig's identity names.
POLICIES = {
    "accept-route": Policy.ACCEPT,
    "reject-route": Policy.REJECT,
    "ACCEPT_ROUTE": Policy.ACCEPT,
    "REJECT_ROUTE": Policy.REJECT,
}


def _entries(node: Any, name: str) -> list[dict[str, Any]]:
    """A collapsed list (file shape) or its nested form ``{name: [...]}``."""
    if isinstance(node, dict):
        node = node.get(name)
    return [e for e in node or () if isinstance(e, dict)]


def route_path(prefix: str) -> str:
    return f"bgp/rib/routes/route[{prefix}]/config"


def local_route(cfg: dict[str, Any]) -> LocalRoute:
    """One ``rib/routes`` entry's config as a :class:`LocalRoute`; ValueError naming the path."""
    prefix = str(cfg.get("prefix", ""))
    try:
        route = LocalRoute(
            prefix=prefix,
            next_hop=str(cfg.get("next-hop") or ""),
            origin=ORIGINS[str(cfg.get("origin", "igp"))],
            med=None if cfg.get("med") is None else int(cfg["med"]),
            local_pref=None if cfg.get("local-pref") is None else int(cfg["local-pref"]),
            communities=tuple(parse_community(str(c)) for c in cfg.get("communities") or ()),
            large_communities=tuple(
                parse_large_community(str(c)) for c in cfg.get("large-communities") or ()
            ),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{route_path(prefix)}: {exc}") from None
    if route.next_hop and (":" in route.next_hop) != (":" in route.prefix):
        # RFC 8950 allows an IPv6 next hop for IPv4 only per session, not in config
        raise ValueError(f"{route_path(prefix)}/next-hop: {route.next_hop} is not of the "
                         f"prefix's address family")  # fmt: skip
    return route


def configured_routes(config: dict[str, Any]) -> dict[str, LocalRoute]:
    """Prefix (canonical text) -> the route to originate."""
    rib = config.get("rib") or {}
    out: dict[str, LocalRoute] = {}
    for entry in _entries(rib.get("routes") if isinstance(rib, dict) else None, "route"):
        route = local_route(entry.get("config") or entry)
        out[route.prefix] = route
    return out


def policies(neighbor: dict[str, Any]) -> tuple[Policy, Policy]:
    """(import, export) default policy of a neighbor entry; accept unless configured."""
    cfg = (neighbor.get("apply-policy") or {}).get("config") or {}
    found = []
    for leaf in ("default-import-policy", "default-export-policy"):
        found.append(POLICIES.get(str(cfg.get(leaf, "accept-route")), Policy.ACCEPT))
    return found[0], found[1]
