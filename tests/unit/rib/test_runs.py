"""Ingest and export take whole runs of prefixes at once: the same results as one by one."""

from __future__ import annotations

from rib_helpers import attrs, rib_with

from peerwise.rib import LocChange, prefix_key
from peerwise.wire.families import IPV4_UNICAST as V4

P = [prefix_key(f"10.0.{i}.0/24") for i in range(4)]


def test_a_prefix_twice_in_one_update_is_held_and_counted_once() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    change = rib.ingest(a, V4, [(attrs(65010), [P[0], P[1], P[0]])])
    assert rib.counters(a, V4).received == rib.counters(a, V4).accepted == 2
    out = rib.export(b, change)
    assert list(out.announced.values()) == [[P[0], P[1]]]
    assert rib.counters(b, V4).advertised == 2


def test_a_run_partly_held_by_another_peer_still_runs_the_decision() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.ingest(a, V4, [(attrs(65010), [P[0]])])
    change = rib.ingest(b, V4, [(attrs(65020, 1, 2), [P[0], P[1]])])
    assert change.keys == [P[1]]  # P[0]: a's shorter AS_PATH stays best
    best = rib.best(V4, P[0])
    assert best is not None and best.peer is a
    assert rib.counters(b, V4).accepted == 2


def test_export_sends_only_what_the_neighbor_does_not_have_yet() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    first = rib.ingest(a, V4, [(attrs(65010), P[:2])])
    rib.export(b, first)
    more = rib.ingest(a, V4, [(attrs(65010), P)])
    out = rib.export(b, LocChange(V4, P[:1] + more.keys + P[:1]))
    assert [k for keys in out.announced.values() for k in keys] == P[2:]


def test_the_sender_is_sent_nothing_back() -> None:
    rib, (a, _) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    out = rib.export(a, rib.ingest(a, V4, [(attrs(65010), P)]))
    assert (out.announced, out.withdrawn, rib.counters(a, V4).advertised) == ({}, [], 0)


def test_a_withdrawn_run_is_withdrawn_from_the_neighbor_once() -> None:
    rib, (a, b) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    rib.export(b, rib.ingest(a, V4, [(attrs(65010), P)]))
    gone = rib.ingest(a, V4, withdrawn=P[:2])
    out = rib.export(b, LocChange(V4, gone.keys + gone.keys))
    assert (out.withdrawn, out.announced) == (P[:2], {})
    assert rib.counters(b, V4).advertised == 2
