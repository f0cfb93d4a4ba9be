"""Reading the config (the model's file shape, docs/ARCHITECTURE.md) into flat values.

The model validates and fills in defaults; these readers still default every leaf the
way the YANG module does, so the session layer also works on a bare GoBGP-style file.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

DEFAULT_PORT = 179
DEFAULT_FAMILIES = ("ipv4-unicast",)


def normalize(address: str) -> str:
    """One spelling per address: '::ffff:192.0.2.1' and '192.0.2.1' are the same peer."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _config(node: dict[str, Any] | None, *path: str) -> dict[str, Any]:
    for key in path:
        node = (node or {}).get(key)
    return node or {}


@dataclass(frozen=True)
class GlobalConfig:
    """``global/config``: our AS and identifier, the listen port and addresses."""

    asn: int
    router_id: str
    port: int = DEFAULT_PORT
    local_addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeighborConfig:
    """One ``neighbors`` entry, flattened; ``raw`` is the entry as given."""

    address: str
    peer_as: int
    description: str = ""
    enabled: bool = True
    hold_time: int = 90
    keepalive: int = 30
    connect_retry: int = 30
    local_address: str | None = None
    passive: bool = False
    remote_port: int = DEFAULT_PORT
    multihop: bool = False
    multihop_ttl: int = 255
    families: tuple[str, ...] = DEFAULT_FAMILIES
    extended_nexthop: bool | None = None  # RFC 8950 for ipv4-unicast; None: by address family
    auth_password: str = ""  # the TCP MD5 key (RFC 2385); "" for none
    next_hops: tuple[tuple[str, str], ...] = ()  # (afi-safi-name, next-hop-self-address)

    def next_hop_self(self, family: str) -> str:
        """The configured next-hop-self-address of ``family`` (afi-safi-name); "" if none."""
        return dict(self.next_hops).get(family, "")


def global_config(config: dict[str, Any]) -> GlobalConfig:
    g = _config(config, "global", "config")
    addresses = tuple(normalize(a) for a in g.get("local-address-list") or ())
    return GlobalConfig(int(g["as"]), str(g["router-id"]), int(g.get("port", DEFAULT_PORT)),
                        addresses)  # fmt: skip


def _families(entry: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for item in entry.get("afi-safis") or ():
        cfg = item.get("config") or item
        if cfg.get("enabled", True):
            names.append(str(cfg["afi-safi-name"]))
    return tuple(names) or DEFAULT_FAMILIES


def _extended_nexthop(entry: dict[str, Any]) -> bool | None:
    for item in entry.get("afi-safis") or ():
        cfg = item.get("config") or item
        if cfg.get("afi-safi-name") == "ipv4-unicast" and "extended-next-hop" in cfg:
            return bool(cfg["extended-next-hop"])
    return None


def _next_hops(entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for item in entry.get("afi-safis") or ():
        cfg = item.get("config") or item
        if cfg.get("next-hop-self-address"):
            hop = str(ipaddress.ip_address(str(cfg["next-hop-self-address"])))
            found.append((str(cfg["afi-safi-name"]), hop))
    return tuple(found)


def neighbor_config(entry: dict[str, Any]) -> NeighborConfig:
    cfg = _config(entry, "config")
    timers = _config(entry, "timers", "config")
    transport = _config(entry, "transport", "config")
    multihop = _config(entry, "ebgp-multihop", "config")
    local = transport.get("local-address")
    return NeighborConfig(
        address=normalize(str(cfg["neighbor-address"])),
        peer_as=int(cfg["peer-as"]),
        description=str(cfg.get("description", "")),
        enabled=bool(cfg.get("enabled", True)),
        auth_password=str(cfg.get("auth-password") or ""),
        hold_time=int(timers.get("hold-time", 90)),
        keepalive=int(timers.get("keepalive-interval", 30)),
        connect_retry=int(timers.get("connect-retry", 30)),
        local_address=normalize(str(local)) if local else None,
        passive=bool(transport.get("passive-mode", False)),
        remote_port=int(transport.get("remote-port", DEFAULT_PORT)),
        multihop=bool(multihop.get("enabled", False)),
        multihop_ttl=int(multihop.get("multihop-ttl", 255)),
        families=_families(entry),
        extended_nexthop=_extended_nexthop(entry),
        next_hops=_next_hops(entry),
    )


def neighbors(config: dict[str, Any]) -> dict[str, tuple[NeighborConfig, dict[str, Any]]]:
    """Address -> (flat config, the raw entry), in file order."""
    out: dict[str, tuple[NeighborConfig, dict[str, Any]]] = {}
    entries = config.get("neighbors") or []
    if isinstance(entries, dict):  # the nested shape: neighbors/neighbor
        entries = entries.get("neighbor") or []
    for entry in entries:
        flat = neighbor_config(entry)
        out[flat.address] = (flat, entry)
    return out


def listen_addresses(config: dict[str, Any]) -> tuple[str, ...]:
    """Where to listen: ``local-address-list``; else every neighbor's transport local-address;
    else the router-id, which by convention is one of the host's own addresses (the seed's
    GoBGP files name nothing else, and work unchanged this way).

    Nothing binds the wildcard address unless the config says 0.0.0.0 or :: itself.
    """
    g = global_config(config)
    if g.local_addresses:
        return g.local_addresses
    seen = {n.local_address: None for n, _ in neighbors(config).values() if n.local_address}
    return tuple(seen) or (g.router_id,)
