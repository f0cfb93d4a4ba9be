"""Enhanced route refresh, receiving side (RFC 7313 §4), and route age (``Path.since``).

Each refresh row is a script of what a neighbor sends — announcements, withdrawals, BoRR,
EoRR — and what the Loc-RIB must hold after it, and which prefixes the last step changed.
"""

from __future__ import annotations

import pytest
from rib_helpers import attrs, rib_with

from peerwise.rib import AdjRib, Key, Rib, prefix_key
from peerwise.session.ribstate import RibQuery, rib_state
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

V4, V6 = IPV4_UNICAST, IPV6_UNICAST
A, B, C = "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"
X = "2001:db8:1::/48"
ANN, ANN2, WD, BORR, EORR, BORR6 = "announce", "announce-other", "withdraw", "borr", "eorr", "b6"


def step(rib: Rib, peer: AdjRib, what: str, prefixes: tuple[str, ...]) -> list[Key]:
    """One thing the neighbor sends; the Loc-RIB prefixes it changed."""
    keys = [prefix_key(p) for p in prefixes]
    family = V6 if any(":" in p for p in prefixes) else V4
    actions = {
        ANN: lambda: rib.ingest(peer, family, [(attrs(65010), keys)]),
        ANN2: lambda: rib.ingest(peer, family, [(attrs(65010, 7), keys)]),
        WD: lambda: rib.ingest(peer, family, withdrawn=keys),
        BORR: lambda: rib.begin_refresh(peer, V4),
        EORR: lambda: rib.end_refresh(peer, V4),
        BORR6: lambda: rib.begin_refresh(peer, V6),
    }
    return actions[what]().keys


# (id, script, Loc-RIB prefixes after it, prefixes the last step changed)
REFRESH_ROWS = [
    ("re-announced stays, the rest goes",
     [(ANN, (A, B)), (BORR, ()), (ANN, (A,)), (EORR, ())], {A}, {B}),
    ("all re-announced: nothing goes",
     [(ANN, (A, B)), (BORR, ()), (ANN, (B, A)), (EORR, ())], {A, B}, set()),
    ("nothing re-announced: all go",
     [(ANN, (A, B)), (BORR, ()), (EORR, ())], set(), {A, B}),
    ("EoRR without BoRR is ignored",
     [(ANN, (A, B)), (EORR, ())], {A, B}, set()),
    ("a new prefix during the refresh stays",
     [(ANN, (A,)), (BORR, ()), (ANN, (C,)), (EORR, ())], {C}, {A}),
    ("withdrawn during the refresh: gone already",
     [(ANN, (A, B)), (BORR, ()), (WD, (A,)), (EORR, ())], set(), {B}),
    ("re-announced with other attributes stays",
     [(ANN, (A, B)), (BORR, ()), (ANN2, (A,)), (EORR, ())], {A}, {B}),
    ("a second BoRR purges the first refresh's stale",
     [(ANN, (A, B)), (BORR, ()), (ANN, (A,)), (BORR, ())], {A}, {B}),
    ("after a second BoRR, its own EoRR",
     [(ANN, (A, B)), (BORR, ()), (ANN, (A,)), (BORR, ()), (ANN, (B,)), (EORR, ())], {B}, {A}),
    ("a BoRR for IPv6 leaves IPv4 alone",
     [(ANN, (A,)), (ANN, (X,)), (BORR6, ()), (EORR, ())], {A, X}, set()),
    ("the next refresh starts clean",
     [(ANN, (A, B)), (BORR, ()), (EORR, ()), (ANN, (A,)), (BORR, ()), (ANN, (A,)), (EORR, ())],
     {A}, set()),
]  # fmt: skip


def _held(rib: Rib) -> set[str]:
    return {t for t in (A, B, C, X) if rib.best(V6 if ":" in t else V4, prefix_key(t))}


@pytest.mark.parametrize(("script", "held", "last"), [r[1:] for r in REFRESH_ROWS],
                         ids=[r[0] for r in REFRESH_ROWS])  # fmt: skip
def test_enhanced_refresh_purges_what_was_not_announced_again(
    script: list[tuple[str, tuple[str, ...]]], held: set[str], last: set[str]
) -> None:
    rib, (peer,) = rib_with(("192.0.2.10", 65010))
    changed: list[Key] = []
    for what, prefixes in script:
        changed = step(rib, peer, what, prefixes)
    assert _held(rib) == held
    assert set(changed) == {prefix_key(p) for p in last}
    assert rib.counters(peer, V4).received == len(held - {X})


def test_a_purged_prefix_falls_back_to_another_neighbors_path() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65010), [prefix_key(B)])])
    rib.ingest(b, V4, [(attrs(65020, 1), [prefix_key(B)])])  # longer AS_PATH: not best
    rib.begin_refresh(a, V4)
    assert rib.end_refresh(a, V4).keys == [prefix_key(B)]
    best = rib.best(V4, prefix_key(B))
    assert best is not None and best.peer is b


def test_no_refresh_state_outside_a_refresh_and_none_after_session_down() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010), [prefix_key(A)])])
    assert a.stale == {}
    rib.begin_refresh(a, V4)
    assert a.stale == {V4: {prefix_key(A)}}
    rib.remove_peer(a)
    assert a.stale == {} and rib.best(V4, prefix_key(A)) is None


# -- route age ----------------------------------------------------------------------------

# (id, (now, AS of the attribute set) per announcement of A, age at the end, at t=1000)
AGE_ROWS = [
    ("one announcement", [(100.0, 1)], 900),
    ("the same attributes again keep their time", [(100.0, 1), (400.0, 1)], 900),
    ("new attributes restart it", [(100.0, 1), (400.0, 2)], 600),
    ("a clock behind the stamp shows 0", [(2000.0, 1)], 0),
]


@pytest.mark.parametrize(("announcements", "age"), [r[1:] for r in AGE_ROWS],
                         ids=[r[0] for r in AGE_ROWS])  # fmt: skip
def test_route_age_is_the_time_since_its_path_was_received(
    announcements: list[tuple[float, int]], age: int
) -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    for now, asn in announcements:
        rib.ingest(a, V4, [(attrs(65010, asn), [prefix_key(A)])], now=now)
    (family,) = rib_state(rib, RibQuery(family=V4), now=1000.0)
    (route,) = family["loc-rib"]["routes"]
    assert (route["prefix"], route["age"]) == (A, age)


def test_ingest_stamps_with_the_clock_the_session_set() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.now = 42.5
    rib.ingest(a, V4, [(attrs(65010), [prefix_key(A)])])
    best = rib.best(V4, prefix_key(A))
    assert best is not None and best.since == 42.5
