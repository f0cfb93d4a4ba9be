"""Semantic rules: what a JSON Schema cannot say. Each rule is one function in ``RULES``.

Rules run on a config that passed the schema, with defaults filled in, so they may trust
types. Each yields :class:`ConfigError` values naming the path in file shape.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .errors import ConfigError, render

Config = Mapping[str, Any]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AS_TRANS = 23456  # RFC 6793 §9
RESERVED_AS = {
    0: "reserved (RFC 7607)",
    AS_TRANS: "AS_TRANS, which cannot be configured (RFC 6793)",
}
MIN_HOLD_TIME = 3  # RFC 4271 §4.2


def semantic_errors(cfg: Config) -> list[ConfigError]:
    """Every rule's findings, rule by rule."""
    return [error for rule in RULES for error in rule(cfg)]


def _neighbors(cfg: Config) -> list[tuple[str, Config]]:
    return [(f"neighbors[{i}]", n) for i, n in enumerate(cfg.get("neighbors", []))]


def _address(neighbor: Config) -> Address:
    return ipaddress.ip_address(neighbor["config"]["neighbor-address"])


def as_numbers(cfg: Config) -> Iterator[ConfigError]:
    """AS 0 (RFC 7607 §2) and AS_TRANS (RFC 6793 §9) are never a speaker's or a peer's AS."""
    places = [("global.config.as", cfg["global"]["config"].get("as"))]
    for path, neighbor in _neighbors(cfg):
        for leaf in ("peer-as", "local-as"):
            places.append((f"{path}.config.{leaf}", neighbor["config"].get(leaf)))
    for path, value in places:
        if value in RESERVED_AS:
            yield ConfigError(path, f"{value} is {RESERVED_AS[value]}")


def router_id(cfg: Config) -> Iterator[ConfigError]:
    """RFC 6286 §2.1: the BGP Identifier is a non-zero 32-bit value."""
    if ipaddress.ip_address(cfg["global"]["config"]["router-id"]) == ipaddress.IPv4Address(0):
        yield ConfigError("global.config.router-id", "'0.0.0.0' is not a usable BGP Identifier")


def hold_time(cfg: Config) -> Iterator[ConfigError]:
    """RFC 4271 §4.2: the Hold Time is zero or at least three seconds."""
    for path, neighbor in _neighbors(cfg):
        hold = neighbor["timers"]["config"]["hold-time"]
        if 0 < hold < MIN_HOLD_TIME:
            message = f"{hold} is not allowed: hold-time is 0 or at least 3 (RFC 4271 §4.2)"
            yield ConfigError(f"{path}.timers.config.hold-time", message)


def keepalive(cfg: Config) -> Iterator[ConfigError]:
    """With a hold time, 0 < keepalive < hold (RFC 4271 §4.4, §10); with none it is unused."""
    for path, neighbor in _neighbors(cfg):
        timers = neighbor["timers"]["config"]
        hold, interval = timers["hold-time"], timers["keepalive-interval"]
        where = f"{path}.timers.config.keepalive-interval"
        if hold < MIN_HOLD_TIME:
            continue  # no keepalives (0), or already refused by hold_time
        if not interval:
            message = f"0 would send no KEEPALIVE while hold-time is {hold} (RFC 4271 §4.4)"
            yield ConfigError(where, message)
        elif interval >= hold:
            message = f"{interval} must be less than hold-time {hold} (RFC 4271 §10)"
            yield ConfigError(where, message)


def own_addresses(cfg: Config) -> Iterator[ConfigError]:
    """A neighbor is never one of our own addresses: we would peer with ourselves."""
    config = cfg["global"]["config"]
    own = {ipaddress.ip_address(config["router-id"]): "our router-id"}
    for address in config.get("local-address-list", []):
        own.setdefault(ipaddress.ip_address(address), "in local-address-list")
    for neighbor in cfg.get("neighbors", []):
        local = neighbor["transport"]["config"].get("local-address")
        if local is not None:
            own.setdefault(ipaddress.ip_address(local), "a transport local-address")
    for path, neighbor in _neighbors(cfg):
        why = own.get(_address(neighbor))
        if why is not None:
            address = render(neighbor["config"]["neighbor-address"])
            yield ConfigError(f"{path}.config.neighbor-address", f"{address} is {why}")


def unique_neighbors(cfg: Config) -> Iterator[ConfigError]:
    """The list key (RFC 7950 §7.8.2): one entry per neighbor address, however it is written."""
    seen: dict[Address, str] = {}
    for path, neighbor in _neighbors(cfg):
        first = seen.setdefault(_address(neighbor), path)
        if first != path:
            address = render(neighbor["config"]["neighbor-address"])
            yield ConfigError(f"{path}.config.neighbor-address", f"{address} is also {first}")


def local_address_family(cfg: Config) -> Iterator[ConfigError]:
    """A TCP connection has one address family at both ends."""
    for path, neighbor in _neighbors(cfg):
        local = neighbor["transport"]["config"].get("local-address")
        remote = _address(neighbor)
        if local is not None and ipaddress.ip_address(local).version != remote.version:
            message = f"{render(local)} is not IPv{remote.version} like the neighbor {remote}"
            yield ConfigError(f"{path}.transport.config.local-address", message)


def families(cfg: Config) -> Iterator[ConfigError]:
    """Each family once; at least one enabled; an IPv6 neighbor carries ipv6-unicast.

    IPv4 routes over an IPv6 session need RFC 8950 extended next hop, which Peerwise
    negotiates only alongside ipv6-unicast, so ipv6-unicast is required for IPv6 neighbors.
    """
    for path, neighbor in _neighbors(cfg):
        names = [family["config"]["afi-safi-name"] for family in neighbor["afi-safis"]]
        for index, name in enumerate(names):
            if name in names[:index]:
                where = f"{path}.afi-safis[{index}].config.afi-safi-name"
                yield ConfigError(where, f"{render(name)} is listed twice")
        enabled = {
            f["config"]["afi-safi-name"] for f in neighbor["afi-safis"] if f["config"]["enabled"]
        }
        if not enabled:
            yield ConfigError(f"{path}.afi-safis", "no afi-safi is enabled")
        elif _address(neighbor).version == 6 and "ipv6-unicast" not in enabled:
            message = "an IPv6 neighbor needs 'ipv6-unicast' enabled"
            yield ConfigError(f"{path}.afi-safis", message)


def _enh(neighbor: Config, family: Config) -> bool:
    """RFC 8950 extended next hop for ipv4-unicast: as configured, else on IPv6 sessions."""
    configured = family.get("extended-next-hop")
    return _address(neighbor).version == 6 if configured is None else bool(configured)


# (afi-safi-name, extended next hop) -> the IP versions its next hop may have, and why
NEXT_HOP_VERSIONS: dict[tuple[str, bool], tuple[tuple[int, ...], str]] = {
    ("ipv4-unicast", False): ((4,), "an IPv6 next hop needs extended-next-hop (RFC 8950 §3)"),
    ("ipv4-unicast", True): ((4, 6), ""),
    ("ipv6-unicast", False): ((6,), "ipv6-unicast needs an IPv6 next hop (RFC 2545 §2)"),
}


def next_hop_self_family(cfg: Config) -> Iterator[ConfigError]:
    """A family's next-hop-self-address is of the family's address family: IPv6 for
    ipv6-unicast (RFC 2545 §2); IPv4 for ipv4-unicast, or IPv6 with extended next hop
    (RFC 8950 §3)."""
    for path, neighbor in _neighbors(cfg):
        for index, family in enumerate(neighbor["afi-safis"]):
            config = family["config"]
            hop, name = config.get("next-hop-self-address"), config["afi-safi-name"]
            enh = name == "ipv4-unicast" and _enh(neighbor, config)
            allowed, why = NEXT_HOP_VERSIONS.get((name, enh), ((4, 6), ""))
            if hop is not None and ipaddress.ip_address(hop).version not in allowed:
                where = f"{path}.afi-safis[{index}].config.next-hop-self-address"
                yield ConfigError(where, f"{render(hop)} is not allowed: {why}")


def _routes(cfg: Config) -> list[tuple[str, Config]]:
    rib = cfg.get("rib") or {}
    entries = rib.get("routes") or [] if isinstance(rib, Mapping) else []
    return [(f"rib.routes[{i}].config", e.get("config") or {}) for i, e in enumerate(entries)]


def routes(cfg: Config) -> Iterator[ConfigError]:
    """An originated route: a real prefix (RFC 4632 §3.1), a next hop of its family."""
    for path, route in _routes(cfg):
        try:
            net = ipaddress.ip_network(route.get("prefix", ""), strict=False)
        except ValueError as exc:
            yield ConfigError(f"{path}.prefix", str(exc))
            continue
        hop = route.get("next-hop")
        if hop and ipaddress.ip_address(hop).version != net.version:
            yield ConfigError(f"{path}.next-hop", f"{render(hop)} is not IPv{net.version} "
                              f"like the prefix {net}")  # fmt: skip


RULES: tuple[Callable[[Config], Iterator[ConfigError]], ...] = (
    as_numbers,
    router_id,
    hold_time,
    keepalive,
    own_addresses,
    unique_neighbors,
    local_address_family,
    families,
    next_hop_self_family,
    routes,
)
