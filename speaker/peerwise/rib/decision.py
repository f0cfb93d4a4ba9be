"""The BGP decision process, phase 2: choosing one route among several (RFC 4271 §9.1.2).

:func:`decide` applies labelled steps in order; each step keeps the candidates that are
best by its one criterion, and the first step that leaves a single candidate names the
reason. It is not a sort key: MED is compared only between paths from the same neighbor AS
(§9.1.2.2 c), so "better" is not a total order and sorting by a tuple would be wrong.

Steps (RFC 4271 unless said otherwise):

====================  ================================================================
LOCAL_PREF            §9.1.2.1: highest degree of preference (LOCAL_PREF; 100 if unset)
LOCAL_ORIGIN          routes this speaker originates beat learned ones (as FRR, BIRD)
AS_PATH               §9.1.2.2 a: fewest AS numbers (an AS_SET counts 1)
ORIGIN                §9.1.2.2 b: lowest ORIGIN (IGP < EGP < INCOMPLETE)
MED                   §9.1.2.2 c: lowest MED among paths from the same neighbor AS
EXTERNAL              §9.1.2.2 d: eBGP-learned over iBGP-learned
(interior cost)       §9.1.2.2 e: no IGP here, every next hop costs the same: skipped
ROUTER_ID             §9.1.2.2 f: lowest BGP identifier of the advertising peer
PEER_ADDRESS          §9.1.2.2 g: lowest peer address
====================  ================================================================
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from peerwise.rib.peer import Path, PeerKind


class BestPathReason(enum.Enum):
    """Why the winner won: the step that separated it from the rest."""

    ONLY_PATH = "only-path"
    LOCAL_PREF = "local-pref"
    LOCAL_ORIGIN = "local-origin"
    AS_PATH = "as-path"
    ORIGIN = "origin"
    MED = "med"
    EXTERNAL = "external"
    ROUTER_ID = "router-id"
    PEER_ADDRESS = "peer-address"


_Step = Callable[[list[Path]], list[Path]]


def _keep_min(candidates: list[Path], value: Callable[[Path], Any]) -> list[Path]:
    """The candidates whose ``value`` is lowest."""
    values = [value(p) for p in candidates]
    low = min(values)
    return [p for p, v in zip(candidates, values, strict=True) if v == low]


def _highest_local_pref(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: -p.local_pref)


def _locally_originated(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.peer.kind is not PeerKind.LOCAL)


def _shortest_as_path(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.as_len)


def _lowest_origin(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.origin)


def _lowest_med_per_neighbor_as(candidates: list[Path]) -> list[Path]:
    """Drop a path if one from the same neighbor AS has a lower MED; never compare across."""
    lowest: dict[int, int] = {}
    for p in candidates:
        med = lowest.get(p.neighbor_as)
        if med is None or p.med < med:
            lowest[p.neighbor_as] = p.med
    return [p for p in candidates if p.med == lowest[p.neighbor_as]]


def _external(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.peer.kind is not PeerKind.EBGP)


def _lowest_router_id(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.peer.router_id)


def _lowest_peer_address(candidates: list[Path]) -> list[Path]:
    return _keep_min(candidates, lambda p: p.peer.address_order)


STEPS: tuple[tuple[BestPathReason, _Step], ...] = (
    (BestPathReason.LOCAL_PREF, _highest_local_pref),  # §9.1.2.1
    (BestPathReason.LOCAL_ORIGIN, _locally_originated),
    (BestPathReason.AS_PATH, _shortest_as_path),  # §9.1.2.2 a
    (BestPathReason.ORIGIN, _lowest_origin),  # §9.1.2.2 b
    (BestPathReason.MED, _lowest_med_per_neighbor_as),  # §9.1.2.2 c
    (BestPathReason.EXTERNAL, _external),  # §9.1.2.2 d
    (BestPathReason.ROUTER_ID, _lowest_router_id),  # §9.1.2.2 f
    (BestPathReason.PEER_ADDRESS, _lowest_peer_address),  # §9.1.2.2 g
)
"""The labelled steps of :func:`decide`, in order."""


def decide(candidates: Sequence[Path]) -> tuple[Path, BestPathReason]:
    """The best of ``candidates`` (accepted paths for one prefix, at most one per peer) and
    the step that chose it. ValueError if there are none."""
    if not candidates:
        raise ValueError("no candidate paths")
    if len(candidates) == 1:
        return candidates[0], BestPathReason.ONLY_PATH
    remaining = list(candidates)
    for reason, step in STEPS:
        remaining = step(remaining)
        if len(remaining) == 1:
            return remaining[0], reason
    # Only two paths from one peer could tie this far, and a peer has one path per prefix.
    return remaining[0], BestPathReason.PEER_ADDRESS
