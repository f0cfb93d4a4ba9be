"""Routes through ``peerwised`` between real peers: GoBGP (eBGP, AS 65010) -> peerwised (AS
65001) -> FRR (iBGP, AS 65001), and FRR -> peerwised. Next hops are in 198.18.0.0/15 (never
contacted): GoBGP and FRR refuse 127/8 next hops (as martians), which is why FRR is internal —
towards iBGP the next hop is passed on unchanged (RFC 4271 §5.1.3), towards eBGP it would be
our loopback address. Addresses: 127.0.73.x (this suite's share of loopback).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from interop.peers import FRR, GoBGP, Neighbor
from interop.speaker import Peerwised

PW, GO, FR = "127.0.73.1", "127.0.73.2", "127.0.73.3"
DEADLINE = 30.0
pytestmark = pytest.mark.skipif(
    not (shutil.which("gobgpd") and Path("/usr/lib/frr/bgpd").exists()),
    reason="gobgpd and FRR are needed",
)


def eventually(check: Callable[[], Any], what: str) -> Any:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Triangle:
    def __init__(self, tmp: Path) -> None:
        self.pw = Peerwised(tmp / "pw", Path(tempfile.mkdtemp(prefix="pw")), PW, 65001,
                            [Neighbor(GO, 65010), Neighbor(FR, 65001)])  # fmt: skip
        self.go = GoBGP(GO, 65010, [Neighbor(PW, 65001)])
        self.frr = FRR(FR, 65001, [Neighbor(PW, 65001)])

    def frr_route(self, prefix: str) -> dict[str, Any] | None:
        out = json.loads(self.frr.vtysh(f"show bgp ipv4 unicast {prefix} json") or "{}")
        paths = out.get("paths") or []
        return paths[0] if paths else None

    def gobgp_prefixes(self) -> set[str]:
        out = json.loads(self.go.cli("global", "rib", "-a", "ipv4", "-j") or "{}")
        return set(out)


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Triangle]:
    t = Triangle(tmp_path_factory.mktemp("routes"))
    try:
        t.pw.start()
        t.go.start(tmp_path_factory.mktemp("go"))
        t.frr.start(tmp_path_factory.mktemp("frr"))
        t.go.wait_established(PW, timeout=DEADLINE)
        t.frr.wait_established(PW, timeout=DEADLINE)
        yield t
    finally:
        for stop in (t.frr.stop, t.go.stop, t.pw.stop):
            stop()


def test_a_gobgp_route_reaches_frr_with_its_communities(net: Triangle) -> None:
    net.go.cli("global", "rib", "add", "-a", "ipv4", "10.73.1.0/24", "nexthop", "198.18.0.1",
               "community", "65010:1", "large-community", "65010:1:2", "med", "5")  # fmt: skip
    path = eventually(lambda: net.frr_route("10.73.1.0/24"), "10.73.1.0/24 in FRR")
    assert path["aspath"]["string"] == "65010"  # no prepend towards iBGP (RFC 4271 §5.1.2)
    assert path["community"]["string"] == "65010:1"
    assert path["largeCommunity"]["string"] == "65010:1:2"
    assert path["nexthops"][0]["ip"] == "198.18.0.1"  # unchanged towards iBGP (§5.1.3)
    assert path["metric"] == 5 and path["locPrf"] == 100  # MED kept; LOCAL_PREF set (§5.1.5)


def test_an_frr_route_reaches_peerwised(net: Triangle) -> None:
    net.frr.vtysh("configure terminal", "router bgp 65001", "network 10.73.2.0/24")
    routes = eventually(lambda: net.pw.cli("global", "rib", "10.73.2.0/24"), "10.73.2.0/24")
    assert routes[0]["peer"] == FR and routes[0]["local-pref"] == 100
    counters = net.pw.cli("neighbor", FR)["state"]["prefixes"]
    assert counters["received"] >= 1 and counters["accepted"] >= 1


def test_a_withdrawal_is_propagated(net: Triangle) -> None:
    net.go.cli("global", "rib", "add", "-a", "ipv4", "10.73.3.0/24", "nexthop", "198.18.0.1")
    eventually(lambda: net.frr_route("10.73.3.0/24"), "10.73.3.0/24 in FRR")
    net.go.cli("global", "rib", "del", "-a", "ipv4", "10.73.3.0/24")
    eventually(lambda: net.frr_route("10.73.3.0/24") is None, "10.73.3.0/24 gone from FRR")


def test_a_route_refresh_from_frr_is_answered(net: Triangle) -> None:
    net.go.cli("global", "rib", "add", "-a", "ipv4", "10.73.4.0/24", "nexthop", "198.18.0.1")
    eventually(lambda: net.frr_route("10.73.4.0/24"), "10.73.4.0/24 in FRR")
    before = net.pw.cli("neighbor", FR)["state"]["messages"]
    net.frr.vtysh(f"clear bgp {PW} soft in")
    eventually(
        lambda: (
            net.pw.cli("neighbor", FR)["state"]["messages"]["received"]["ROUTE-REFRESH"]
            > before["received"]["ROUTE-REFRESH"]
        ),
        "ROUTE-REFRESH at peerwised",
    )
    assert eventually(
        lambda: (
            net.pw.cli("neighbor", FR)["state"]["messages"]["sent"]["UPDATE"]
            > before["sent"]["UPDATE"]
        ),
        "the Adj-RIB-Out sent again",
    )
    assert net.frr_route("10.73.4.0/24") is not None


def test_end_of_rib_was_seen_by_frr(net: Triangle) -> None:
    def received() -> dict[str, bool]:
        out = json.loads(net.frr.vtysh(f"show bgp neighbors {PW} json"))[PW]
        return dict(out.get("gracefulRestartInfo", {}).get("endOfRibRecv") or {})

    assert eventually(received, "End-of-RIB at FRR") == {"ipv4Unicast": True}  # RFC 4724 §2
