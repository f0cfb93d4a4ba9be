"""Graceful restart, receiving speaker (RFC 4724 §4.2), as the RIB sees it.

Each row is a script of what happens to one neighbor — announcements, the session lost
without a NOTIFICATION (``Rib.retain`` for some families), routes sent again, End-of-RIB
(``end_refresh``), the restart timer (``remove_peer``) — and what the Loc-RIB must hold
after it, which prefixes the last step changed, and what is still stale.
"""

from __future__ import annotations

import pytest
from rib_helpers import attrs, rib_with

from peerwise.rib import AdjRib, Rib, key_text, prefix_key
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

V4, V6 = IPV4_UNICAST, IPV6_UNICAST
A, B = "10.0.1.0/24", "10.0.2.0/24"
X = "2001:db8:1::/48"
ANN, ANN2, LOST_V4, LOST_BOTH, LOST_NONE = "announce", "announce-other", "v4", "both", "none"
EOR4, EOR6, TIMER = "eor4", "eor6", "timer"


def step(rib: Rib, peer: AdjRib, what: str, prefixes: tuple[str, ...]) -> set[str]:
    """One event; the Loc-RIB prefixes it changed."""
    keys = [prefix_key(p) for p in prefixes]
    family = V6 if any(":" in p for p in prefixes) else V4
    actions = {
        ANN: lambda: [rib.ingest(peer, family, [(attrs(65010), keys)])],
        ANN2: lambda: [rib.ingest(peer, family, [(attrs(65010, 7), keys)])],
        LOST_V4: lambda: rib.retain(peer, [V4]),
        LOST_BOTH: lambda: rib.retain(peer, [V4, V6]),
        LOST_NONE: lambda: rib.retain(peer, []),
        EOR4: lambda: [rib.end_refresh(peer, V4)],
        EOR6: lambda: [rib.end_refresh(peer, V6)],
        TIMER: lambda: rib.remove_peer(peer),
    }
    return {key_text(k, change.family) for change in actions[what]() for k in change.keys}


# (id, script, Loc-RIB prefixes after it, prefixes the last step changed, stale after it)
ROWS = [
    ("kept stale over the restart", [(ANN, (A, B)), (LOST_V4, ())], {A, B}, set(), {A, B}),
    ("a family not listed is withdrawn", [(ANN, (A,)), (ANN, (X,)), (LOST_V4, ())], {A}, {X}, {A}),
    (
        "no family listed: all withdrawn",
        [(ANN, (A,)), (ANN, (X,)), (LOST_NONE, ())],
        set(),
        {A, X},
        set(),
    ),
    ("both families kept", [(ANN, (A,)), (ANN, (X,)), (LOST_BOTH, ())], {A, X}, set(), {A, X}),
    (
        "refreshed after the restart: no longer stale",
        [(ANN, (A, B)), (LOST_V4, ()), (ANN, (A,))],
        {A, B},
        set(),
        {B},
    ),
    (
        "End-of-RIB purges what is still stale",
        [(ANN, (A, B)), (LOST_V4, ()), (ANN, (A,)), (EOR4, ())],
        {A},
        {B},
        set(),
    ),
    (
        "End-of-RIB after everything came back: nothing goes",
        [(ANN, (A, B)), (LOST_V4, ()), (ANN, (B, A)), (EOR4, ())],
        {A, B},
        set(),
        set(),
    ),
    (
        "new attributes after the restart replace the stale route",
        [(ANN, (A,)), (LOST_V4, ()), (ANN2, (A,)), (EOR4, ())],
        {A},
        set(),
        set(),
    ),
    (
        "End-of-RIB of one family leaves the other stale",
        [(ANN, (A,)), (ANN, (X,)), (LOST_BOTH, ()), (EOR6, ())],
        {A},
        {X},
        {A},
    ),
    (
        "the restart timer purges the stale routes",
        [(ANN, (A, B)), (LOST_V4, ()), (TIMER, ())],
        set(),
        {A, B},
        set(),
    ),
    (
        "purged at once (no F bit in the new OPEN)",
        [(ANN, (A,)), (ANN, (X,)), (LOST_BOTH, ()), (EOR4, ()), (EOR6, ())],
        set(),
        {X},
        set(),
    ),
    (
        "lost again before End-of-RIB: all kept again",
        [(ANN, (A, B)), (LOST_V4, ()), (ANN, (A,)), (LOST_V4, ())],
        {A, B},
        set(),
        {A, B},
    ),
]


@pytest.mark.parametrize(
    ("script", "loc", "changed", "stale"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_graceful_restart(
    script: list[tuple[str, tuple[str, ...]]], loc: set[str], changed: set[str], stale: set[str]
) -> None:
    rib, (peer,) = rib_with(("192.0.2.10", 65010))
    last: set[str] = set()
    for what, prefixes in script:
        last = step(rib, peer, what, prefixes)
    held = {key_text(k, f) for f in (V4, V6) for k, _ in rib.routes(f)}
    assert held == loc
    assert last == changed
    left = {key_text(k, f) for f, keys in peer.stale.items() for k in keys}
    assert left == stale


def test_stale_route_stays_best_and_loses_to_nobody_it_did_not_lose_to() -> None:
    """A route kept over a restart competes as before: it keeps a prefix another neighbor
    also sent with a longer AS path, and is still exported to that neighbor's peers."""
    rib, (restarting, other) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    key = prefix_key(A)
    rib.ingest(restarting, V4, [(attrs(65010), [key])])
    rib.ingest(other, V4, [(attrs(65020, 65030), [key])])
    assert rib.retain(restarting, [V4]) == []
    best = rib.best(V4, key)
    assert best is not None and best.peer is restarting
    assert restarting.adj_out == {} and key in restarting.stale[V4]
    assert rib.remove_peer(restarting)[0].keys == [key]
    best = rib.best(V4, key)
    assert best is not None and best.peer is other
