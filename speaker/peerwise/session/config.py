"""The running config as one typed value, built once from the validated config.

:meth:`RunningConfig.build` takes the config in the model's file shape (docs/ARCHITECTURE.md),
fills in the model's defaults (``peerwise.model.defaults``, the only place a default lives)
and reads it once into frozen values: the global settings, each neighbor with its timers,
transport, families, next hops, default policies and prefix limits, the originated routes,
and the addresses to listen on. Below the ``Server`` nothing reads the config dict; a leaf
that the model leaves without a default is read with the meaning its YANG description gives
its absence (no description, no prefix limit, …).

The readers still refuse what the RIB cannot take, naming the path (``ValueError``), so
that a config the schema let through but the speaker cannot run fails before anything runs.
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from peerwise.model import defaults
from peerwise.rib import LocalRoute, Policy, parse_community, parse_large_community
from peerwise.rib.limit import PrefixLimit
from peerwise.wire.attributes import OriginCode
from peerwise.wire.families import Family, parse_family

MULTIHOP_TTL = 255  # ebgp-multihop/config/multihop-ttl when absent: the most hops
ORIGINS = {"igp": OriginCode.IGP, "egp": OriginCode.EGP, "incomplete": OriginCode.INCOMPLETE}
# default-import-policy / default-export-policy spellings: the model's (GoBGP's TOML) and
# OpenConfig's identity names.
POLICIES = {
    "accept-route": Policy.ACCEPT,
    "reject-route": Policy.REJECT,
    "ACCEPT_ROUTE": Policy.ACCEPT,
    "REJECT_ROUTE": Policy.REJECT,
}
Tree = dict[str, Any]


def normalize(address: str) -> str:
    """One spelling per address: '::ffff:192.0.2.1' and '192.0.2.1' are the same peer."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _config(node: Mapping[str, Any] | None, *path: str) -> Mapping[str, Any]:
    for key in path:
        node = (node or {}).get(key)
    return node or {}


def _entries(node: Any, name: str) -> list[Tree]:
    """A collapsed list (file shape) or its nested form ``{name: [...]}``."""
    if isinstance(node, dict):
        node = node.get(name)
    return [e for e in node or () if isinstance(e, dict)]


@dataclass(frozen=True)
class GlobalConfig:
    """``global/config``: our AS and identifier, the listen port and addresses."""

    asn: int
    router_id: str
    port: int
    local_addresses: tuple[str, ...]


@dataclass(frozen=True)
class NeighborConfig:
    """One ``neighbors`` entry: everything the session and the RIB run it with."""

    address: str
    peer_as: int
    description: str
    enabled: bool
    hold_time: int
    keepalive: int
    connect_retry: int
    local_address: str | None  # transport/config/local-address; None: not configured
    passive: bool
    remote_port: int
    multihop: bool
    multihop_ttl: int
    families: tuple[str, ...]  # the enabled afi-safi-names
    extended_nexthop: bool | None  # RFC 8950 for ipv4-unicast; None: by address family
    auth_password: str = field(repr=False)  # the TCP MD5 key (RFC 2385); "" for none
    next_hops: tuple[tuple[str, str], ...]  # (afi-safi-name, next-hop-self-address)
    import_policy: Policy
    export_policy: Policy
    prefix_limits: tuple[tuple[Family, PrefixLimit], ...]

    def next_hop_self(self, family: str) -> str:
        """The configured next-hop-self-address of ``family`` (afi-safi-name); "" if none."""
        return dict(self.next_hops).get(family, "")

    @property
    def limits(self) -> dict[Family, PrefixLimit]:
        """The prefix limits by family (``afi-safis/afi-safi/prefix-limit``)."""
        return dict(self.prefix_limits)


def global_config(config: Mapping[str, Any]) -> GlobalConfig:
    g = _config(config, "global", "config")
    addresses = tuple(normalize(a) for a in g.get("local-address-list") or ())
    return GlobalConfig(int(g["as"]), str(g["router-id"]), int(g["port"]), addresses)


def _afi_safis(entry: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(config, the whole item) of each ``afi-safis`` entry."""
    return [
        (item.get("config") or item, item) for item in _entries(entry.get("afi-safis"), "afi-safi")
    ]


def _families(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(cfg["afi-safi-name"]) for cfg, _ in _afi_safis(entry) if cfg["enabled"])


def _extended_nexthop(entry: Mapping[str, Any]) -> bool | None:
    for cfg, _ in _afi_safis(entry):
        if cfg["afi-safi-name"] == "ipv4-unicast" and "extended-next-hop" in cfg:
            return bool(cfg["extended-next-hop"])
    return None


def _next_hops(entry: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for cfg, _ in _afi_safis(entry):
        if cfg.get("next-hop-self-address"):
            hop = str(ipaddress.ip_address(str(cfg["next-hop-self-address"])))
            found.append((str(cfg["afi-safi-name"]), hop))
    return tuple(found)


def prefix_limit(cfg: Mapping[str, Any]) -> PrefixLimit | None:
    """One ``prefix-limit/config``; absent leaves as the model describes them (no limit, no
    early warning, teardown, no restart)."""
    if cfg.get("max-prefixes") is None:
        return None
    return PrefixLimit(
        max_prefixes=int(cfg["max-prefixes"]),
        prevent_teardown=bool(cfg.get("prevent-teardown", False)),
        threshold_pct=int(cfg.get("shutdown-threshold-pct") or 0),
        restart_timer=float(cfg.get("restart-timer") or 0),
    )


def prefix_limits(entry: Mapping[str, Any]) -> tuple[tuple[Family, PrefixLimit], ...]:
    """The limits configured in a neighbor's ``afi-safis`` list, by family."""
    found = []
    for cfg, item in _afi_safis(entry):
        limit = prefix_limit(_config(item, "prefix-limit", "config"))
        if limit is not None:
            found.append((parse_family(str(cfg["afi-safi-name"])), limit))
    return tuple(found)


def _policies(entry: Mapping[str, Any]) -> tuple[Policy, Policy]:
    cfg = _config(entry, "apply-policy", "config")
    return (
        POLICIES[str(cfg.get("default-import-policy", "accept-route"))],
        POLICIES[str(cfg.get("default-export-policy", "accept-route"))],
    )


def neighbor_config(entry: Mapping[str, Any]) -> NeighborConfig:
    """One neighbor of a config completed by the model's defaults."""
    cfg = _config(entry, "config")
    timers = _config(entry, "timers", "config")
    transport = _config(entry, "transport", "config")
    multihop = _config(entry, "ebgp-multihop", "config")
    local = transport.get("local-address")
    import_policy, export_policy = _policies(entry)
    return NeighborConfig(
        address=normalize(str(cfg["neighbor-address"])),
        peer_as=int(cfg["peer-as"]),
        description=str(cfg.get("description", "")),
        enabled=bool(cfg["enabled"]),
        auth_password=str(cfg.get("auth-password") or ""),
        hold_time=int(timers["hold-time"]),
        keepalive=int(timers["keepalive-interval"]),
        connect_retry=int(timers["connect-retry"]),
        local_address=normalize(str(local)) if local else None,
        passive=bool(transport["passive-mode"]),
        remote_port=int(transport["remote-port"]),
        multihop=bool(multihop["enabled"]),
        multihop_ttl=int(multihop.get("multihop-ttl", MULTIHOP_TTL)),
        families=_families(entry),
        extended_nexthop=_extended_nexthop(entry),
        next_hops=_next_hops(entry),
        import_policy=import_policy,
        export_policy=export_policy,
        prefix_limits=prefix_limits(entry),
    )


def route_path(prefix: str) -> str:
    return f"bgp/rib/routes/route[{prefix}]/config"


def local_route(cfg: Mapping[str, Any]) -> LocalRoute:
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


def configured_routes(config: Mapping[str, Any]) -> dict[str, LocalRoute]:
    """Prefix (canonical text) -> the route to originate."""
    rib = config.get("rib") or {}
    out: dict[str, LocalRoute] = {}
    for entry in _entries(rib.get("routes") if isinstance(rib, dict) else None, "route"):
        route = local_route(entry.get("config") or entry)
        out[route.prefix] = route
    return out


def _listen(glob: GlobalConfig, neighbors: Mapping[str, NeighborConfig]) -> tuple[str, ...]:
    """Where to listen: ``local-address-list``; else every neighbor's transport local-address;
    else the router-id, which by convention is one of the host's own addresses (the seed's
    GoBGP files name nothing else, and work unchanged this way).

    Nothing binds the wildcard address unless the config says 0.0.0.0 or :: itself.
    """
    if glob.local_addresses:
        return glob.local_addresses
    seen = {n.local_address: None for n in neighbors.values() if n.local_address}
    return tuple(seen) or (glob.router_id,)


def _neighbor_entries(config: Mapping[str, Any]) -> list[Tree]:
    return _entries(config.get("neighbors"), "neighbor")


@dataclass(frozen=True)
class RunningConfig:
    """The running config: ``given`` as configured (what ``running_config()`` and the state
    tree show), ``tree`` completed by the model's defaults (what the model's ``diff``
    compares), and the typed values read from it once."""

    given: Mapping[str, Any] = field(repr=False, compare=False)
    tree: Mapping[str, Any] = field(repr=False, compare=False)
    glob: GlobalConfig
    neighbors: Mapping[str, NeighborConfig]  # by normalized address, in file order
    entries: Mapping[str, Tree] = field(repr=False, compare=False)  # the given entries
    routes: Mapping[str, LocalRoute]  # originated routes by canonical prefix
    listen: tuple[str, ...]

    @classmethod
    def build(cls, config: Mapping[str, Any]) -> RunningConfig:
        given = copy.deepcopy(dict(config))
        tree = defaults(given)
        neighbors = {}
        for entry in _neighbor_entries(tree):
            neighbor = neighbor_config(entry)
            neighbors[neighbor.address] = neighbor
        entries = {
            normalize(str(_config(e, "config")["neighbor-address"])): e
            for e in _neighbor_entries(given)
        }
        glob = global_config(tree)
        return cls(
            given=MappingProxyType(given),
            tree=MappingProxyType(tree),
            glob=glob,
            neighbors=MappingProxyType(neighbors),
            entries=MappingProxyType(entries),
            routes=MappingProxyType(configured_routes(tree)),
            listen=_listen(glob, neighbors),
        )
