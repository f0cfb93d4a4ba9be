"""The capabilities Peerwise advertises to one neighbor (RFC 5492)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from peerwise.session.config import GlobalConfig, NeighborConfig
from peerwise.wire.capabilities import (
    Capability,
    EnhancedRouteRefresh,
    ExtendedMessage,
    ExtendedNextHop,
    FourOctetAs,
    Fqdn,
    GracefulRestart,
    Multiprotocol,
    RouteRefreshCapability,
)
from peerwise.wire.families import IPV4_UNICAST, Afi, Family, parse_family
from peerwise.wire.messages import Open

RESTART_TIME = 120  # RFC 4724 §3: seconds we ask a helper to keep our routes
FORWARDING = 0x80  # RFC 4724 §3: per-family flag F, forwarding state preserved


def _hostname() -> tuple[str, str]:
    host, _, domain = socket.gethostname().partition(".")
    return host[:64], domain[:64]


def advertised(glob: GlobalConfig, neighbor: NeighborConfig) -> tuple[Capability, ...]:
    """MP per configured family (RFC 4760), route refresh (RFC 2918, 7313), extended next
    hop for IPv4 over an IPv6 session (RFC 8950), graceful restart (RFC 4724), 4-octet AS
    (RFC 6793), extended message (RFC 8654), and the host name (FQDN)."""
    families = [parse_family(name) for name in neighbor.families]
    caps: list[Capability] = [Multiprotocol(afi, safi) for afi, safi in families]
    caps += [RouteRefreshCapability()]
    wanted = neighbor.extended_nexthop
    if wanted is None:  # not configured: on IPv6 sessions only
        wanted = ipaddress.ip_address(neighbor.address).version == 6
    if wanted and IPV4_UNICAST in families:
        caps.append(ExtendedNextHop(((1, 1, int(Afi.IPV6)),)))
    caps += [
        ExtendedMessage(),
        # RFC 4724 §3: R and F bits 0 (we hold no forwarding state); our families listed,
        # so that a restarting neighbor knows we keep its routes (helper, §4.2).
        GracefulRestart(RESTART_TIME, 0, tuple((afi, safi, 0) for afi, safi in families)),
        FourOctetAs(glob.asn),
        EnhancedRouteRefresh(),
        Fqdn(*_hostname()),
    ]
    return tuple(caps)


@dataclass(frozen=True)
class Restart:
    """A neighbor's Graceful Restart capability (RFC 4724 §3): its restart time, and per
    family it listed whether it preserved forwarding state (the F bit)."""

    time: int
    families: dict[Family, bool]


def restart_of(peer_open: Open | None) -> Restart | None:
    """The Graceful Restart capability in an OPEN; None if it has none."""
    for cap in peer_open.capabilities if peer_open is not None else ():
        if isinstance(cap, GracefulRestart):
            entries = {(afi, safi): bool(flags & FORWARDING) for afi, safi, flags in cap.families}
            return Restart(cap.restart_time, entries)
    return None
