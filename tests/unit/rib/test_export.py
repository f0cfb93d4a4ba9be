"""Adj-RIB-Out: the eBGP/iBGP export rules (RFC 4271 §5.1, §9.2), as a table."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rib_helpers import LOCAL_AS, attrs, rib_with

from peerwise.rib import (
    LocalRoute,
    PeerConfig,
    Policy,
    WellKnownCommunity,
    next_hop_self,
    pack,
    prefix_key,
)
from peerwise.rib.attrs import PathAttrs
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

V4 = IPV4_UNICAST
P1 = prefix_key("10.0.1.0/24")
EBGP_SRC, EBGP_DST = ("192.0.2.10", 65010), ("192.0.2.20", 65020)
IBGP_SRC, IBGP_DST = ("192.0.2.30", LOCAL_AS), ("192.0.2.40", LOCAL_AS)


@dataclass(frozen=True)
class Case:
    source: tuple[str, int] | None  # None: originated here
    target: tuple[str, int]
    sent: dict[str, object] | None  # fields of the attributes sent; None: nothing sent
    communities: tuple[int, ...] = ()
    export_policy: Policy = Policy.ACCEPT


NO_EXPORT, NO_ADVERTISE = WellKnownCommunity.NO_EXPORT, WellKnownCommunity.NO_ADVERTISE
CASES = {
    "ebgp to ebgp: own AS prepended, next hop self, no MED, no LOCAL_PREF": Case(
        EBGP_SRC,
        EBGP_DST,
        {"as_path": "65001 65010", "next_hop": "192.0.2.1", "med": None, "local_pref": None},
    ),
    "ebgp to ibgp: path and next hop kept, MED kept, LOCAL_PREF added": Case(
        EBGP_SRC,
        IBGP_DST,
        {"as_path": "65010", "next_hop": "192.0.2.100", "med": 50, "local_pref": 100},
    ),
    "ibgp to ebgp: prepended, next hop self": Case(
        IBGP_SRC, EBGP_DST, {"as_path": "65001 65010", "next_hop": "192.0.2.1", "med": None}
    ),
    "ibgp to ibgp: not re-advertised": Case(IBGP_SRC, IBGP_DST, None),
    "local to ebgp: MED kept, next hop self": Case(
        None, EBGP_DST, {"as_path": "65001", "next_hop": "192.0.2.1", "med": 50}
    ),
    "local to ibgp: empty path, LOCAL_PREF 100": Case(
        None, IBGP_DST, {"as_path": "", "local_pref": 100, "next_hop": "192.0.2.1"}
    ),
    "export policy reject: nothing": Case(EBGP_SRC, EBGP_DST, None, export_policy=Policy.REJECT),
    "NO_EXPORT: not to ebgp": Case(EBGP_SRC, ("192.0.2.21", 65021), None, (NO_EXPORT,)),
    "NO_EXPORT: still to ibgp": Case(EBGP_SRC, IBGP_DST, {"as_path": "65010"}, (NO_EXPORT,)),
    "NO_ADVERTISE: to nobody": Case(EBGP_SRC, IBGP_DST, None, (NO_ADVERTISE,)),
}


def _sent(case: Case) -> PathAttrs | None:
    peers = [case.target] if case.source is None else [case.source, case.target]
    rib, added = rib_with(*peers, export_policy=case.export_policy)
    target = added[-1]
    if case.source is None:
        change = rib.originate(LocalRoute("10.0.1.0/24", med=50, communities=case.communities))
    else:
        a = attrs(65010, med=50, communities=case.communities)
        change = rib.ingest(added[0], V4, [(a, [P1])])
    out = rib.export(target, change)
    assert all(keys == [P1] for keys in out.announced.values())
    assert len(out.announced) <= 1 and not out.withdrawn
    return next(iter(out.announced), None)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_export_rule(case: Case) -> None:
    sent = _sent(case)
    if case.sent is None:
        assert sent is None
        return
    assert sent is not None
    got = {k: str(sent.as_path) if k == "as_path" else getattr(sent, k) for k in case.sent}
    assert got == case.sent


def test_a_route_is_not_sent_back_to_the_peer_it_came_from() -> None:
    rib, (a,) = rib_with(EBGP_SRC)
    change = rib.ingest(a, V4, [(attrs(65010), [P1])])
    out = rib.export(a, change)
    assert (out.announced, out.withdrawn) == ({}, [])


def test_a_withdrawn_best_path_is_withdrawn_from_the_adj_rib_out() -> None:
    rib, (a, b) = rib_with(EBGP_SRC, EBGP_DST)
    rib.export(b, rib.ingest(a, V4, [(attrs(65010), [P1])]))
    out = rib.export(b, rib.ingest(a, V4, withdrawn=[P1]))
    assert (out.announced, out.withdrawn) == ({}, [P1])
    assert rib.counters(b, V4).advertised == 0


def test_an_unchanged_outgoing_route_is_not_sent_again() -> None:
    rib, (a, b) = rib_with(EBGP_SRC, EBGP_DST)
    rib.export(b, rib.ingest(a, V4, [(attrs(65010, med=1), [P1])]))
    # A new MED changes the path received, not what is sent over eBGP (MED stripped).
    out = rib.export(b, rib.ingest(a, V4, [(attrs(65010, med=2), [P1])]))
    assert len(out) == 0


def test_route_refresh_re_sends_the_adj_rib_out() -> None:
    rib, (a, b) = rib_with(EBGP_SRC, EBGP_DST)
    first = rib.export(b, rib.ingest(a, V4, [(attrs(65010), [P1])]))
    again = rib.refresh(b, V4)
    assert again.announced == first.announced and rib.counters(b, V4).advertised == 1


def test_the_initial_table_ends_with_end_of_rib() -> None:
    rib, (a, b) = rib_with(EBGP_SRC, EBGP_DST)
    rib.ingest(a, V4, [(attrs(65010), [P1])])
    updates = pack(rib.initial_export(b, V4))
    assert [u.is_end_of_rib for u in updates] == [False, True]


NEXT_HOPS = {
    # (family, local_address, local_address6, extended next hop) -> next hop self
    "ipv4 over ipv4": (V4, "192.0.2.1", "", False, "192.0.2.1"),
    "ipv6 over ipv4 with an ipv6 address": (
        IPV6_UNICAST,
        "192.0.2.1",
        "2001:db8::1",
        False,
        "2001:db8::1",
    ),
    "ipv6 over ipv4 without one": (IPV6_UNICAST, "192.0.2.1", "", False, ""),
    "ipv4 over ipv6, RFC 8950": (V4, "2001:db8::1", "", True, "2001:db8::1"),
    "ipv4 over ipv6 without RFC 8950": (V4, "2001:db8::1", "", False, ""),
}


@pytest.mark.parametrize("row", NEXT_HOPS.values(), ids=NEXT_HOPS.keys())
def test_next_hop_self(row: tuple[tuple[int, int], str, str, bool, str]) -> None:
    family, local, local6, enh, expected = row
    rib = rib_with()[0]
    peer = rib.add_peer(PeerConfig("192.0.2.9", 65009, "192.0.2.9", local, local6, enh))
    assert next_hop_self(peer, family) == expected


def test_each_ebgp_peer_gets_its_own_next_hop_self() -> None:
    rib, (a,) = rib_with(EBGP_SRC)
    b = rib.add_peer(PeerConfig("192.0.2.20", 65020, "192.0.2.20", "192.0.2.1"))
    c = rib.add_peer(PeerConfig("198.51.100.30", 65030, "198.51.100.30", "198.51.100.1"))
    p2 = prefix_key("10.0.2.0/24")
    first = rib.ingest(a, V4, [(attrs(65010), [P1])])
    second = rib.ingest(a, V4, [(attrs(65010), [p2])])  # same path: served from the cache
    hops = [
        next(iter(rib.export(peer, change).announced)).next_hop
        for change in (first, second)
        for peer in (b, c)
    ]
    assert hops == ["192.0.2.1", "198.51.100.1"] * 2
