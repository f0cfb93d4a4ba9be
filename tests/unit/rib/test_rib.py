"""Adj-RIB-In and Loc-RIB: announce, implicit and explicit withdraw, loops, policy, interning."""

from __future__ import annotations

import gc

from rib_helpers import LOCAL_AS, attrs, rib_with

from peerwise.rib import LocalRoute, Policy, PrefixCounters, from_wire, prefix_key, to_wire
from peerwise.wire.attributes import (
    AsPath,
    Communities,
    MpReachNlri,
    MultiExitDisc,
    Origin,
    OriginCode,
    UnknownAttribute,
)
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

V4 = IPV4_UNICAST
P1, P2, P3 = (prefix_key(t) for t in ("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"))


def test_an_announced_prefix_becomes_the_best_path() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    change = rib.ingest(a, V4, [(attrs(65010), [P1, P2])])
    assert change.keys == [P1, P2]
    best = rib.best(V4, P1)
    assert best is not None and best.peer is a


def test_a_second_announcement_replaces_the_first_implicit_withdraw() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010, 1), [P1])])
    change = rib.ingest(a, V4, [(attrs(65010, 2), [P1])])
    best = rib.best(V4, P1)
    assert change.keys == [P1]
    assert best is not None and best.attrs.as_path.first_as == 65010
    assert str(best.attrs.as_path) == "65010 2"
    assert rib.counters(a, V4) == PrefixCounters(received=1, accepted=1)


def test_the_same_announcement_twice_changes_nothing() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010), [P1])])
    assert rib.ingest(a, V4, [(attrs(65010), [P1])]).keys == []


def test_an_explicit_withdraw_removes_the_route() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010), [P1, P2])])
    change = rib.ingest(a, V4, withdrawn=[P1, P3])  # P3 was never announced: ignored
    assert change.keys == [P1]
    assert rib.best(V4, P1) is None
    assert rib.counters(a, V4) == PrefixCounters(received=1, accepted=1)


def test_treat_as_withdraw_withdraws_the_announced_prefixes() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010), [P1])])
    change = rib.ingest(a, V4, [(attrs(65010, 9), [P1])], treat_as_withdraw=True)
    assert change.keys == [P1]
    assert rib.best(V4, P1) is None


def test_a_route_with_our_own_as_is_ignored_and_counted() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    change = rib.ingest(a, V4, [(attrs(65010, LOCAL_AS, 7), [P1, P2])])
    assert change.keys == []
    assert rib.best(V4, P1) is None
    assert rib.counters(a, V4) == PrefixCounters(received=2, accepted=0, as_loop=2)
    rib.ingest(a, V4, [(attrs(65010), [P1])])  # the loop is replaced by a good route
    assert rib.counters(a, V4) == PrefixCounters(received=2, accepted=1, as_loop=1)


def test_default_import_policy_reject_keeps_routes_out_of_the_loc_rib() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010), import_policy=Policy.REJECT)
    assert rib.ingest(a, V4, [(attrs(65010), [P1])]).keys == []
    assert rib.counters(a, V4) == PrefixCounters(received=1, accepted=0)


def test_the_better_of_two_peers_wins_and_the_other_takes_over_on_withdraw() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65010, 1, 2), [P1])])
    assert rib.ingest(b, V4, [(attrs(65020), [P1])]).keys == [P1]  # shorter path: b
    assert rib.ingest(a, V4, withdrawn=[P1]).keys == []  # not the best: no change
    assert rib.ingest(a, V4, [(attrs(65010, 1, 2), [P1])]).keys == []
    assert rib.ingest(b, V4, withdrawn=[P1]).keys == [P1]
    best = rib.best(V4, P1)
    assert best is not None and best.peer is a
    assert P1 not in rib.loc[V4].multi  # one candidate left: no list kept


def test_removing_a_peer_withdraws_everything_it_sent() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65010), [P1, P2])])
    rib.ingest(b, V4, [(attrs(65020, 1), [P1])])
    changes = rib.remove_peer(a)
    assert [(c.family, sorted(c.keys)) for c in changes] == [(V4, [P1, P2])]
    best = rib.best(V4, P1)
    assert best is not None and best.peer is b
    assert rib.best(V4, P2) is None
    assert "192.0.2.10" not in rib.peers


def test_originated_routes_enter_and_leave_the_loc_rib() -> None:
    rib, _ = rib_with()
    route = LocalRoute("2001:db8:1::/48", communities=(65001 << 16 | 7,), med=5)
    change = rib.originate(route)
    assert (change.family, change.keys) == (IPV6_UNICAST, [prefix_key("2001:db8:1::/48")])
    best = rib.best(IPV6_UNICAST, change.keys[0])
    assert best is not None and best.attrs.med == 5 and best.peer is rib.local
    assert rib.withdraw_local("2001:db8:1::/48").keys == change.keys
    assert rib.best(IPV6_UNICAST, change.keys[0]) is None


def test_equal_attribute_sets_are_one_shared_object() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65099), [P1])])
    rib.ingest(a, V4, [(attrs(65099), [P2])])  # equal, but built separately
    rib.ingest(b, V4, [(attrs(65099), [P3])])
    p1, p2, p3 = (rib.best(V4, k) for k in (P1, P2, P3))
    assert p1 is not None and p2 is not None and p3 is not None
    assert p1 is p2  # one Path per (peer, attribute set)
    assert p1.attrs is p3.attrs  # one attribute set across peers
    assert len(rib.attrs) == 1


def test_an_attribute_set_no_route_uses_is_forgotten() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    rib.ingest(a, V4, [(attrs(65010, 1), [P1]), (attrs(65010, 2), [P2])])
    rib.ingest(a, V4, withdrawn=[P1])
    gc.collect()
    assert len(rib.attrs) == 1
    assert len(a.paths()) == 1


def test_explain_names_the_candidates_and_the_reason() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65010, med=1), [P1])])
    rib.ingest(b, V4, [(attrs(65020, 3), [P1])])
    explained = rib.explain(V4, P1)
    assert explained is not None
    winner, reason, candidates = explained
    assert (winner.peer, reason.value, len(candidates)) == (a, "as-path", 2)


def test_attributes_from_the_codec_and_back() -> None:
    decoded = (
        Origin(OriginCode.EGP),
        AsPath.sequence(65010, 7),
        MpReachNlri(2, 1, next_hop="2001:db8::9", nlri=("2001:db8:1::/48",), link_local="fe80::9"),
        MultiExitDisc(4),
        Communities((1, 2)),
        UnknownAttribute(99, 0xC0, b"x"),
    )
    a = from_wire(decoded)
    assert (a.next_hop, a.link_local, a.med, a.origin) == ("2001:db8::9", "fe80::9", 4, 1)
    assert to_wire(a, mp=True) == (
        Origin(OriginCode.EGP),
        AsPath.sequence(65010, 7),
        MultiExitDisc(4),
        Communities((1, 2)),
        UnknownAttribute(99, 0xC0, b"x"),
    )
