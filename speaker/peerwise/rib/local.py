"""Originated routes: prefixes configured on this speaker (``peerwise global rib add``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from peerwise.rib.attrs import PathAttrs
from peerwise.rib.export import WellKnownCommunity
from peerwise.rib.prefix import Key, family_of, prefix_key
from peerwise.wire.attributes import OriginCode
from peerwise.wire.families import Family

_U16, _U32 = 0xFFFF, 0xFFFFFFFF
_COMMUNITY_NAMES = {c.name.lower().replace("_", "-"): int(c) for c in WellKnownCommunity}


def parse_community(text: str) -> int:
    """'65000:100' or a well-known name ('no-export') as the 4-octet value (RFC 1997)."""
    named = _COMMUNITY_NAMES.get(text.lower())
    if named is not None:
        return named
    high, colon, low = text.partition(":")
    value = (int(high) << 16) | int(low) if colon else -1
    if not colon or not (0 <= int(high) <= _U16 and 0 <= int(low) <= _U16):
        raise ValueError(f"{text!r} is not a community (ASN:VALUE, 16 bits each)")
    return value


def parse_large_community(text: str) -> tuple[int, int, int]:
    """'65000:1:2' as (global administrator, data 1, data 2) (RFC 8092)."""
    parts = text.split(":")
    values = tuple(int(p) for p in parts)
    if len(values) != 3 or not all(0 <= v <= _U32 for v in values):
        raise ValueError(f"{text!r} is not a large community (A:B:C, 32 bits each)")
    return values[0], values[1], values[2]


@dataclass(frozen=True)
class LocalRoute:
    """A configured route. An empty ``next_hop`` means "ourselves" (next hop self on export)."""

    prefix: str
    next_hop: str = ""
    origin: OriginCode = OriginCode.IGP
    med: int | None = None
    local_pref: int | None = None
    communities: tuple[int, ...] = ()
    large_communities: tuple[tuple[int, int, int], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", str(ipaddress.ip_network(self.prefix, strict=False)))
        if self.next_hop:
            ipaddress.ip_address(self.next_hop)
        for name, value in (("med", self.med), ("local-pref", self.local_pref)):
            if value is not None and not 0 <= value <= _U32:
                raise ValueError(f"{name}: {value} is not a uint32")

    @property
    def family(self) -> Family:
        return family_of(self.prefix)

    @property
    def key(self) -> Key:
        return prefix_key(self.prefix)

    def attrs(self) -> PathAttrs:
        return PathAttrs(
            origin=self.origin,
            next_hop=self.next_hop,
            med=self.med,
            local_pref=self.local_pref,
            communities=self.communities,
            large_communities=self.large_communities,
        )
