"""Small builders for RIB tests: peers and attribute sets from a few words."""

from __future__ import annotations

from peerwise.rib import AdjRib, PathAttrs, PeerConfig, PeerKind, Rib
from peerwise.wire.attributes import AsPath, AsSegment, OriginCode, SegmentType

LOCAL_AS = 65001
ROUTER_ID = "192.0.2.1"


def attrs(
    *asns: int,
    next_hop: str = "192.0.2.100",
    med: int | None = None,
    local_pref: int | None = None,
    origin: OriginCode = OriginCode.IGP,
    communities: tuple[int, ...] = (),
    as_set: tuple[int, ...] = (),
) -> PathAttrs:
    segments = [AsSegment(SegmentType.AS_SEQUENCE, asns)] if asns else []
    if as_set:
        segments.append(AsSegment(SegmentType.AS_SET, as_set))
    return PathAttrs(
        origin=origin,
        as_path=AsPath(tuple(segments)),
        next_hop=next_hop,
        med=med,
        local_pref=local_pref,
        communities=communities,
    )


def peer(
    address: str,
    asn: int,
    router_id: str | None = None,
    local_address: str = "192.0.2.1",
    **config: object,
) -> AdjRib:
    """A standalone AdjRib (for decision tests that need no RIB)."""
    cfg = PeerConfig(address, asn, router_id or address, local_address, **config)  # type: ignore[arg-type]
    kind = PeerKind.LOCAL if address == "0.0.0.0" else None
    return AdjRib(cfg, LOCAL_AS, kind)


def rib_with(*peers: tuple[str, int], **config: object) -> tuple[Rib, list[AdjRib]]:
    """A RIB (AS 65001) with neighbors given as (address, AS)."""
    rib = Rib(LOCAL_AS, ROUTER_ID)
    added = [
        rib.add_peer(PeerConfig(a, asn, a, "192.0.2.1", "2001:db8::1", **config))  # type: ignore[arg-type]
        for a, asn in peers
    ]
    return rib, added
