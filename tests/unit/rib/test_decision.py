"""Best path: one test per step of the decision process (RFC 4271 §9.1.2)."""

from __future__ import annotations

import itertools

import pytest
from rib_helpers import LOCAL_AS, attrs, peer

from peerwise.rib import AdjRib, BestPathReason, Path, PathAttrs, decide
from peerwise.wire.attributes import OriginCode

EBGP_A = peer("192.0.2.10", 65010)
EBGP_B = peer("192.0.2.20", 65020)
EBGP_C = peer("192.0.2.30", 65030)
IBGP_A = peer("192.0.2.40", LOCAL_AS)
LOCAL = peer("0.0.0.0", LOCAL_AS, router_id="192.0.2.1")


def race(*entries: tuple[AdjRib, PathAttrs]) -> tuple[Path, BestPathReason]:
    """Decide among the paths, in every order: the answer must not depend on it."""
    paths = [p.path(a) for p, a in entries]
    results = {decide(list(order)) for order in itertools.permutations(paths)}
    assert len(results) == 1, results
    return results.pop()


def test_a_single_path_wins_as_the_only_path() -> None:
    winner, reason = race((EBGP_A, attrs(65010)))
    assert (winner.peer, reason) == (EBGP_A, BestPathReason.ONLY_PATH)


def test_higher_local_pref_wins() -> None:
    winner, reason = race((IBGP_A, attrs(65010, 65011, local_pref=200)), (EBGP_B, attrs(65020)))
    assert (winner.peer, reason) == (IBGP_A, BestPathReason.LOCAL_PREF)


def test_local_pref_received_over_ebgp_is_ignored() -> None:
    winner, reason = race((EBGP_A, attrs(65010, 1, local_pref=500)), (EBGP_B, attrs(65020)))
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.AS_PATH)


def test_a_locally_originated_route_wins_over_a_learned_one() -> None:
    winner, reason = race((LOCAL, attrs(65099)), (IBGP_A, attrs()))
    assert (winner.peer, reason) == (LOCAL, BestPathReason.LOCAL_ORIGIN)


def test_shorter_as_path_wins() -> None:
    winner, reason = race((EBGP_A, attrs(65010, 1, 2)), (EBGP_B, attrs(65020, 1)))
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.AS_PATH)


def test_an_as_set_counts_as_one_as() -> None:
    winner, reason = race((EBGP_A, attrs(65010, as_set=(1, 2, 3))), (EBGP_B, attrs(65020, 1, 2)))
    assert (winner.peer, reason) == (EBGP_A, BestPathReason.AS_PATH)


def test_lower_origin_wins() -> None:
    winner, reason = race(
        (EBGP_A, attrs(65010, origin=OriginCode.INCOMPLETE)),
        (EBGP_B, attrs(65020, origin=OriginCode.EGP)),
    )
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.ORIGIN)


def test_lower_med_wins_between_paths_from_the_same_neighbor_as() -> None:
    winner, reason = race((EBGP_A, attrs(65099, med=20)), (EBGP_B, attrs(65099, med=10)))
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.MED)


def test_med_is_compared_only_between_paths_from_the_same_neighbor_as() -> None:
    # B (AS 65099, MED 5) removes A (AS 65099, MED 10); C comes from another AS, so its
    # MED 0 beats nobody. Between B and C, the lower router id decides: B (192.0.2.20).
    # A total order by MED would have picked C.
    winner, reason = race(
        (EBGP_A, attrs(65099, med=10)),
        (EBGP_B, attrs(65099, med=5)),
        (EBGP_C, attrs(65098, med=0)),
    )
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.ROUTER_ID)


def test_a_missing_med_counts_as_zero() -> None:
    winner, reason = race((EBGP_A, attrs(65099, med=1)), (EBGP_B, attrs(65099)))
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.MED)


def test_an_ebgp_path_wins_over_an_ibgp_path() -> None:
    winner, reason = race((IBGP_A, attrs(65020)), (EBGP_B, attrs(65020)))
    assert (winner.peer, reason) == (EBGP_B, BestPathReason.EXTERNAL)


def test_the_lowest_router_id_wins() -> None:
    low = peer("192.0.2.50", 65050, router_id="10.0.0.1")
    high = peer("192.0.2.5", 65005, router_id="10.0.0.2")
    winner, reason = race((high, attrs(65005)), (low, attrs(65050)))
    assert (winner.peer, reason) == (low, BestPathReason.ROUTER_ID)


def test_the_lowest_peer_address_wins() -> None:
    one = peer("192.0.2.7", 65007, router_id="10.0.0.1")
    two = peer("192.0.2.6", 65006, router_id="10.0.0.1")
    winner, reason = race((one, attrs(65007)), (two, attrs(65006)))
    assert (winner.peer, reason) == (two, BestPathReason.PEER_ADDRESS)


def test_no_candidates_is_an_error() -> None:
    with pytest.raises(ValueError):
        decide([])
