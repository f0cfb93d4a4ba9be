"""The capabilities Peerwise advertises to one neighbor (RFC 5492)."""

from __future__ import annotations

import ipaddress
import socket

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
    RouteRefresh,
)
from peerwise.wire.families import IPV4_UNICAST, Afi, parse_family

RESTART_TIME = 120  # RFC 4724 §3; advertised with no families: restart-time signalling only


def _hostname() -> tuple[str, str]:
    host, _, domain = socket.gethostname().partition(".")
    return host[:64], domain[:64]


def advertised(glob: GlobalConfig, neighbor: NeighborConfig) -> tuple[Capability, ...]:
    """MP per configured family (RFC 4760), route refresh (RFC 2918, 7313), extended next
    hop for IPv4 over an IPv6 session (RFC 8950), graceful restart (RFC 4724), 4-octet AS
    (RFC 6793), extended message (RFC 8654), and the host name (FQDN)."""
    families = [parse_family(name) for name in neighbor.families]
    caps: list[Capability] = [Multiprotocol(afi, safi) for afi, safi in families]
    caps += [RouteRefresh()]
    wanted = neighbor.extended_nexthop
    if wanted is None:  # not configured: on IPv6 sessions only
        wanted = ipaddress.ip_address(neighbor.address).version == 6
    if wanted and IPV4_UNICAST in families:
        caps.append(ExtendedNextHop(((1, 1, int(Afi.IPV6)),)))
    caps += [
        ExtendedMessage(),
        GracefulRestart(RESTART_TIME),
        FourOctetAs(glob.asn),
        EnhancedRouteRefresh(),
        Fqdn(*_hostname()),
    ]
    return tuple(caps)
