"""The eBGP world: ``peerwised`` with all four real peers in a namespace of its own.

Inside the namespace ``pwrt-<pid>`` (see ``netns``), every speaker has a 198.19.0.x address:

=========  ==========  ======  ========================================================
speaker    address     AS      role
=========  ==========  ======  ========================================================
peerwised  198.19.0.1  65001   the speaker under test
GoBGP      198.19.0.2  65020   eBGP: originates and receives
FRR        198.19.0.3  65030   eBGP: originates and receives
BIRD       198.19.0.4  65001   iBGP (next hop kept, RFC 8950 towards it): both ways
ExaBGP     198.19.0.5  65050   eBGP: injects routes no CLI makes (unknown attribute, IPv6
                               next hop for IPv4, our own AS in the path); receives
=========  ==========  ======  ========================================================

Every session negotiates IPv4 and IPv6 unicast and extended next hop. A dumpcap on the
namespace's ``lo`` records the whole run, for what only the wire shows (attribute flags, the
RFC 8950 next hop); tshark must decode every packet peerwised sends without a malformed one.
The world is started once per test session (``conftest.ebgp``) and shared by the
``test_ebgp_*`` modules.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from pathlib import Path
from typing import Any

from interop.peer_base import Peer
from interop.peers import Neighbor
from interop.sniffer import Capture
from interop.speaker import Peerwised
from netns import Namespace, NsBIRD, NsExaBGP, NsFRR, NsGoBGP, ns_capture, ns_peerwised
from views import Seen, route_at

PW, GO, FR, BI, EX = (f"198.19.0.{i}" for i in range(1, 6))
ASN = {PW: 65001, GO: 65020, FR: 65030, BI: 65001, EX: 65050}
FRR_HOP6 = "2001:db8::3"
SELF6 = "::ffff:198.19.0.1"  # our IPv6 next hop on an IPv4 session (as GoBGP and FRR)
UNKNOWN = 0x99  # an unassigned attribute type code, optional transitive
EXABGP_ROUTES = {
    "unknown": ("10.95.1.0/24", f"next-hop 198.18.0.5 attribute [ {UNKNOWN:#x} 0xc0 0x0a0b0c0d ]"),
    "rfc8950": ("10.95.2.0/24", "next-hop 2001:db8::5"),
    "as-loop": ("10.95.3.0/24", "next-hop 198.18.0.5 as-path [ 65050 65001 ]"),
    "communities": ("10.95.4.0/24", "next-hop 198.18.0.5 community [ 65050:4 ] "
                    "large-community [ 65050:4:4 ] extended-community [ target:65050:4 ]"),
}  # fmt: skip
NEEDED = ("gobgpd", "bird", "exabgp", "dumpcap", "ip")
MISSING = [b for b in NEEDED if not shutil.which(b)] + [
    b for b in ("/usr/lib/frr/bgpd",) if not Path(b).exists()
]


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ns = Namespace([PW, GO, FR, BI, EX])
        pw_neighbors = [Neighbor(a, ASN[a], ipv6=True) for a in (GO, FR, BI, EX)]
        self.pw = ns_peerwised(self.ns, Peerwised(tmp / "pw", Path(tempfile.mkdtemp(
            prefix="pw")), PW, ASN[PW], pw_neighbors))  # fmt: skip
        towards_pw = [Neighbor(PW, ASN[PW], ipv6=True)]
        self.go, self.frr = NsGoBGP(GO, ASN[GO], towards_pw), NsFRR(FR, ASN[FR], towards_pw)
        self.bird, self.exa = NsBIRD(BI, ASN[BI], towards_pw), NsExaBGP(EX, ASN[EX], towards_pw)
        self.bird.static = set()
        self.exa.static = [f"{prefix} {words}" for prefix, words in EXABGP_ROUTES.values()]
        self.peers: dict[str, Any] = {"gobgp": self.go, "frr": self.frr, "bird": self.bird,
                                      "exabgp": self.exa}  # fmt: skip
        for peer in self.peers.values():
            peer.ns = self.ns
        self.capture: Capture = ns_capture(self.ns, "tcp port 179", tmp)

    def start(self) -> None:
        self.ns.create()
        self.capture.__enter__()
        self.pw.start()
        for peer in self.peers.values():
            peer.start(self.tmp)
        for peer in self.peers.values():
            peer.wait_established(PW, timeout=30)
        # An IPv6 next hop of its own for FRR's IPv6 routes: on an IPv4 session it would send
        # ::ffff:198.19.0.3, which BIRD refuses ("mismatched address family").
        self.frr.vtysh(
            "configure terminal", "route-map NH6 permit 10",
            f"set ipv6 next-hop global {FRR_HOP6}", "exit", f"router bgp {ASN[FR]}",
            "address-family ipv6 unicast", f"neighbor {PW} route-map NH6 out",
        )  # fmt: skip

    def stop(self) -> None:
        for peer in self.peers.values():
            peer.stop()
        self.pw.stop()
        self.capture.__exit__()
        self.ns.delete()
        shutil.rmtree(self.pw.socket.parent, ignore_errors=True)

    # -- originating, one way per peer ----------------------------------------------------

    def announce(self, origin: str, prefix: str, *words: str) -> None:
        afi = "ipv6" if ":" in prefix else "ipv4"
        if origin == "gobgp":
            hop = "2001:db8::2" if afi == "ipv6" else "198.18.0.2"
            self.go.cli("global", "rib", "add", "-a", afi, prefix, "nexthop", hop, *words)
        elif origin == "frr":
            self._frr(afi, f"network {prefix}")
        else:
            self.bird.announce(prefix)

    def withdraw(self, origin: str, prefix: str) -> None:
        afi = "ipv6" if ":" in prefix else "ipv4"
        if origin == "gobgp":
            self.go.cli("global", "rib", "del", "-a", afi, prefix)
        elif origin == "frr":
            self._frr(afi, f"no network {prefix}")
        else:
            self.bird.withdraw(prefix)

    def _frr(self, afi: str, command: str) -> None:
        self.frr.vtysh("configure terminal", f"router bgp {ASN[FR]}",
                       f"address-family {afi} unicast", command)  # fmt: skip

    def seen(self, peer: Peer, prefix: str) -> Seen | None:
        return route_at(peer, prefix, PW)


def same_address(a: str, b: str) -> bool:
    return ipaddress.ip_address(a) == ipaddress.ip_address(b)


def expected(origin: Peer, receiver: Peer, prefix: str, origin_hop: str) -> tuple[str, str]:
    """(AS_PATH, next hop) ``receiver`` must see for a route ``origin`` sent to peerwised:
    towards eBGP our AS prepended and next hop self (RFC 4271 §5.1.2, §5.1.3), towards iBGP
    both as received."""
    origin_as = "" if origin.asn == ASN[PW] else str(origin.asn)
    if receiver.asn == ASN[PW]:
        return origin_as, origin_hop
    return f"{ASN[PW]} {origin_as}".strip(), SELF6 if ":" in prefix else PW


def attribute_flags(capture: Capture, src: str, dst: str, code: int) -> list[int]:
    """The flags of every path attribute ``code`` sent from ``src`` to ``dst`` (tshark)."""
    where = f"ip.src == {src} && ip.dst == {dst} && bgp.update.path_attribute.type_code == {code}"
    lines = capture.packets(where, "bgp.update.path_attribute.type_code",
                            "bgp.update.path_attribute.flags")  # fmt: skip
    flags = []
    for line in lines:
        codes, values = line.split("\t")
        for c, f in zip(codes.split(","), values.split(","), strict=True):
            if int(c) == code:
                flags.append(int(f, 16))
    return flags
