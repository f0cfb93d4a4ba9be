"""Capability negotiation (RFC 5492 §3): a feature is in use when both OPENs carry it.

One row per capability class says how to fold the two sides; :class:`CapabilityResult`
is what the session layer reads to set its codec context and its state leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerwise.wire.capabilities import (
    Capability,
    EnhancedRouteRefresh,
    ExtendedMessage,
    ExtendedNextHop,
    FourOctetAs,
    GracefulRestart,
    Multiprotocol,
    RouteRefreshCapability,
)
from peerwise.wire.families import IPV4_UNICAST, Family


@dataclass(frozen=True)
class CapabilityResult:
    """What both sides support (RFC 5492 §3)."""

    four_octet_as: bool = False
    families: frozenset[Family] = frozenset({IPV4_UNICAST})
    route_refresh: bool = False
    enhanced_route_refresh: bool = False
    extended_message: bool = False
    graceful_restart: bool = False
    extended_nexthop: frozenset[tuple[int, int, int]] = frozenset()
    names: tuple[str, ...] = ()  # the negotiated capabilities' model names, in code order


def _of(kind: type[Capability], caps: tuple[Capability, ...]) -> list[Capability]:
    return [c for c in caps if type(c) is kind]


def _families(caps: tuple[Capability, ...]) -> frozenset[Family]:
    """RFC 4760 §8: no MP capability at all means IPv4 unicast only."""
    found = {c.family for c in caps if isinstance(c, Multiprotocol)}
    return frozenset(found) if found else frozenset({IPV4_UNICAST})


def _nexthop_tuples(caps: tuple[Capability, ...]) -> frozenset[tuple[int, int, int]]:
    return frozenset(t for c in caps if isinstance(c, ExtendedNextHop) for t in c.tuples)


# The capabilities that name a feature in use when both sides carry them, in code order.
NEGOTIATED: tuple[type[Capability], ...] = (
    Multiprotocol,  # RFC 4760 §8
    RouteRefreshCapability,  # RFC 2918 §2
    ExtendedNextHop,  # RFC 8950 §3
    ExtendedMessage,  # RFC 8654 §3
    GracefulRestart,  # RFC 4724 §3
    FourOctetAs,  # RFC 6793 §3
    EnhancedRouteRefresh,  # RFC 7313 §3
)


def negotiate_capabilities(
    ours: tuple[Capability, ...], theirs: tuple[Capability, ...]
) -> CapabilityResult:
    """Fold both OPENs' capabilities into what this session uses."""
    both = {kind for kind in NEGOTIATED if _of(kind, ours) and _of(kind, theirs)}
    return CapabilityResult(
        four_octet_as=FourOctetAs in both,
        families=_families(ours) & _families(theirs),
        route_refresh=RouteRefreshCapability in both,
        enhanced_route_refresh=EnhancedRouteRefresh in both,
        extended_message=ExtendedMessage in both,
        graceful_restart=GracefulRestart in both,
        extended_nexthop=_nexthop_tuples(ours) & _nexthop_tuples(theirs),
        names=tuple(kind.NAME for kind in NEGOTIATED if kind in both),
    )
