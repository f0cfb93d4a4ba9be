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
BIRD       198.19.0.6  65060   eBGP, receives only: IPv6 routes over an IPv4 session
=========  ==========  ======  ========================================================

Every session negotiates IPv4 and IPv6 unicast and extended next hop. BIRD refuses the
IPv4-mapped next hop (``::ffff:198.19.0.1``) that peerwised sends with IPv6 routes over an
IPv4 session by default ("mismatched address family"), so towards the eBGP BIRD peerwised
is configured with ``next-hop-self-address`` 2001:db8::1 for ipv6-unicast, an address on
the namespace's ``lo``. That BIRD is not in ``World.peers`` (the tables of the other
``test_ebgp_*`` modules): ``test_ebgp_next_hop`` checks it. A dumpcap on the
namespace's ``lo`` records the whole run, for what only the wire shows (attribute flags, the
RFC 8950 next hop); tshark must decode every packet peerwised sends without a malformed one.
The world is started once per test session (``conftest.ebgp``) and shared by the
``test_ebgp_*`` modules.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from interop.peer_base import Peer
from interop.peers import Neighbor
from interop.sniffer import Capture
from interop.speaker import Peerwised, render_toml
from netns import Namespace, NsBIRD, NsExaBGP, NsFRR, NsGoBGP, ns_capture, ns_peerwised
from views import Seen, route_at

PW, GO, FR, BI, EX, BE = (f"198.19.0.{i}" for i in range(1, 7))
ASN = {PW: 65001, GO: 65020, FR: 65030, BI: 65001, EX: 65050, BE: 65060}
FRR_HOP6 = "2001:db8::3"
BIRD_HOP6 = "2001:db8::4"  # the iBGP BIRD's IPv6 next hop self (``next hop address``)
SELF6 = "::ffff:198.19.0.1"  # our IPv6 next hop on an IPv4 session (as GoBGP and FRR)
HOP6 = "2001:db8::1"  # our configured IPv6 next hop towards BE (on the namespace's lo)
HOP6_ALT = "2001:db8::16"  # another address of ours there (test_ebgp_next_hop changes to it)
# neighbor -> afi-safi-name -> next-hop-self-address, in peerwised's config file
NEXT_HOPS = {BE: {"ipv6-unicast": HOP6}}
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


class NextHopPeerwised(Peerwised):
    """``Peerwised`` whose config file also sets ``next-hop-self-address`` (``NEXT_HOPS``)."""

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        text = render_toml(self.address, self.asn, self.router_id, self.neighbors)
        self.config_path.write_text(with_next_hops(text, NEXT_HOPS))
        self.started_at = time.monotonic()
        self.process.start()


def with_next_hops(toml: str, hops: dict[str, dict[str, str]]) -> str:
    """``render_toml``'s text with ``next-hop-self-address`` in the afi-safis named (each
    ``afi-safi-name`` line opens that family's table, under the last ``neighbor-address``)."""
    lines, neighbor, added = [], "", 0
    for line in toml.splitlines():
        lines.append(line)
        key, _, value = (part.strip().strip('"') for part in line.partition("="))
        if key == "neighbor-address":
            neighbor = value
        elif key == "afi-safi-name" and value in hops.get(neighbor, {}):
            lines.append(f'      next-hop-self-address = "{hops[neighbor][value]}"')
            added += 1
    assert added == sum(map(len, hops.values())), f"not all of {hops} in the config"
    return "\n".join(lines) + "\n"


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ns = Namespace([PW, GO, FR, BI, EX, BE, HOP6, HOP6_ALT, BIRD_HOP6])
        pw_neighbors = [Neighbor(a, ASN[a], ipv6=True) for a in (GO, FR, BI, EX, BE)]
        self.pw = ns_peerwised(self.ns, NextHopPeerwised(tmp / "pw", Path(tempfile.mkdtemp(
            prefix="pw")), PW, ASN[PW], pw_neighbors))  # fmt: skip
        towards_pw = [Neighbor(PW, ASN[PW], ipv6=True)]
        self.go, self.frr = NsGoBGP(GO, ASN[GO], towards_pw), NsFRR(FR, ASN[FR], towards_pw)
        self.bird, self.exa = NsBIRD(BI, ASN[BI], towards_pw), NsExaBGP(EX, ASN[EX], towards_pw)
        self.bird_ebgp = NsBIRD(BE, ASN[BE], towards_pw)
        self.bird.static, self.bird_ebgp.static = set(), set()
        self.bird.next_hop6 = BIRD_HOP6
        self.exa.static = [f"{prefix} {words}" for prefix, words in EXABGP_ROUTES.values()]
        self.peers: dict[str, Any] = {"gobgp": self.go, "frr": self.frr, "bird": self.bird,
                                      "exabgp": self.exa}  # fmt: skip
        self.daemons: list[Any] = [*self.peers.values(), self.bird_ebgp]
        for peer in self.daemons:
            peer.ns = self.ns
        self.capture: Capture = ns_capture(self.ns, "tcp port 179", tmp)

    def start(self) -> None:
        self.ns.create()
        self.capture.__enter__()
        self.pw.start()
        for peer in self.daemons:
            peer.start(self.tmp)
        for peer in self.daemons:
            peer.wait_established(PW, timeout=30)
        # An IPv6 next hop of its own for FRR's IPv6 routes: on an IPv4 session it would send
        # ::ffff:198.19.0.3, which BIRD refuses ("mismatched address family").
        self.frr.vtysh(
            "configure terminal", "route-map NH6 permit 10",
            f"set ipv6 next-hop global {FRR_HOP6}", "exit", f"router bgp {ASN[FR]}",
            "address-family ipv6 unicast", f"neighbor {PW} route-map NH6 out",
        )  # fmt: skip

    def stop(self) -> None:
        for peer in self.daemons:
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
