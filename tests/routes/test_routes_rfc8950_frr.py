"""RFC 8950 with FRR as the receiver: an IPv4 route with an IPv6 next hop, over IPv6.

``peerwised`` (2001:db8::1) and FRR (2001:db8::2), iBGP in AS 65001, talk over IPv6 in a
network namespace of their own, ``pwrt-8950-<pid>`` (``netns.Namespace``; two daemons need two
addresses, which ``::1`` alone cannot give). Both negotiate ipv4-unicast and ipv6-unicast and
the Extended Next Hop capability (RFC 8950 §3, code 5; FRR's ``capability extended-nexthop``).
``peerwised`` originates 10.95.0.0/24 without a next hop and has ``next-hop-self-address``
2001:db8::99 for ipv4-unicast towards FRR (an originated route's own ``next-hop`` must be of the
prefix's family, so the IPv6 next hop is set per session, where RFC 8950 is negotiated). FRR must
install the route with next hop 2001:db8::99, an IPv6 address (§4: MP_REACH_NLRI for AFI 1
with a 16-octet next hop). FRR runs without zebra, so it may call the next hop inaccessible:
only that it was received with it matters here. A dumpcap in the namespace shows the octets.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ebgp_world import with_next_hops
from interop.peers import Neighbor
from interop.sniffer import Capture
from interop.speaker import Peerwised, assert_installed, render_toml
from netns import Namespace, NsFRR, ns_capture, ns_peerwised
from probes import eventually

PW, FR, HOP = "2001:db8::1", "2001:db8::2", "2001:db8::99"
ASN = 65001
PREFIX = "10.95.0.0/24"
ROUTE = f"""
[[rib.routes]]
  [rib.routes.config]
    prefix = "{PREFIX}"
"""

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        not (Path("/usr/lib/frr/bgpd").exists() and shutil.which("ip") and shutil.which("dumpcap")),
        reason="FRR, ip and dumpcap are needed",
    ),
]


class HopPeerwised(Peerwised):
    """``peerwised`` with ``next-hop-self-address`` HOP for ipv4-unicast towards FRR, and
    our route."""

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        text = render_toml(self.address, self.asn, self.router_id, self.neighbors)
        text = with_next_hops(text, {FR: {"ipv4-unicast": HOP}})
        assert "extended-next-hop = true" in text, text
        self.config_path.write_text(text + ROUTE)
        self.process.start()


class Pair:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ns = Namespace([PW, FR], name=f"pwrt-8950-{os.getpid()}")
        pw = HopPeerwised(tmp / "pw", Path(tempfile.mkdtemp(prefix="pw")), PW, ASN,
                          [Neighbor(FR, ASN, ipv6=True)], router_id="198.19.95.1")  # fmt: skip
        self.pw = ns_peerwised(self.ns, pw)
        self.frr = NsFRR(FR, ASN, [Neighbor(PW, ASN, ipv6=True)], router_id="198.19.95.2")
        self.frr.ns = self.ns
        self.capture: Capture = ns_capture(self.ns, "tcp port 179", tmp)

    def start(self) -> None:
        self.ns.create()
        self.capture.__enter__()
        self.pw.start()
        self.frr.start(self.tmp)
        self.frr.wait_established(PW, timeout=20)
        self.pw.wait_established(FR, timeout=20)

    def stop(self) -> None:
        self.frr.stop()
        self.pw.stop()
        self.capture.__exit__()
        self.ns.delete()
        shutil.rmtree(self.pw.socket.parent, ignore_errors=True)

    def frr_path(self) -> dict[str, Any] | None:
        out = json.loads(self.frr.vtysh(f"show bgp ipv4 unicast {PREFIX} json") or "{}")
        paths = out.get("paths") or []
        return paths[0] if paths else None


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    assert_installed()
    p = Pair(tmp_path_factory.mktemp("rfc8950"))
    try:
        p.start()
        yield p
    finally:
        p.stop()


def test_extended_next_hop_is_negotiated_both_ways(pair: Pair) -> None:
    """RFC 8950 §3: each side advertised the capability and received the other's."""
    assert "EXTENDED_NEXTHOP" in pair.pw.neighbor(FR)["state"]["supported-capabilities"]
    assert "extended-nexthop" in pair.frr.neighbor_state(PW)["received_capabilities"]


def test_frr_installs_the_ipv6_next_hop(pair: Pair) -> None:
    """The route at FRR: next hop 2001:db8::99 as an IPv6 address, path as sent (iBGP)."""
    path = eventually(pair.frr_path, f"{PREFIX} at FRR")
    (hop,) = [h for h in path["nexthops"] if h.get("scope", "global") == "global"]
    assert (hop["ip"], hop["afi"]) == (HOP, "ipv6")
    assert path["aspath"]["string"] == "Local" and path["locPrf"] == 100
    assert path["peer"]["peerId"] == PW


def test_the_wire_carries_mp_reach_for_ipv4_with_a_16_octet_next_hop(pair: Pair) -> None:
    """RFC 8950 §4: MP_REACH_NLRI, AFI 1 / SAFI 1, next hop length 16 (no link-local)."""
    eventually(pair.frr_path, f"{PREFIX} at FRR")
    where = f"ipv6.src == {PW} && bgp.update.path_attribute.mp_reach_nlri.afi == 1"
    pair.capture.wait_for(where)
    fields = (
        "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6",
        "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local",
        "bgp.mp_reach_nlri_ipv4_prefix",
    )
    lines = pair.capture.packets(where, *fields)
    assert [line.split("\t") for line in lines] == [[HOP, "", PREFIX.split("/")[0]]]
    malformed = pair.capture.packets(f"ipv6.src == {PW} && _ws.malformed")
    assert malformed == []
