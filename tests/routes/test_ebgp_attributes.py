"""What ExaBGP injects into ``peerwised`` and no CLI of the others can make: an unknown
optional transitive attribute, an IPv4 route with an IPv6 next hop, a path through our own
AS. Checked at the peers and on the wire (the namespace's capture, decoded by tshark).
The speakers and their addresses: ``ebgp_world``.
"""

from __future__ import annotations

import base64
import json

import pytest
from ebgp_world import (
    BI,
    EX,
    EXABGP_ROUTES,
    FR,
    GO,
    PW,
    UNKNOWN,
    World,
    attribute_flags,
    same_address,
)
from probes import eventually, loc_rib, rib_counters

pytestmark = pytest.mark.interop

OPTIONAL_TRANSITIVE, PARTIAL = 0xC0, 0x20  # RFC 4271 §4.3 attribute flags
RECEIVERS = {"gobgp": GO, "frr": FR, "bird": BI}


def gobgp_unknown(world: World, prefix: str) -> tuple[int, bytes] | None:
    """(flags, value) of attribute UNKNOWN on GoBGP's path for ``prefix``."""
    out = json.loads(world.go.cli("global", "rib", "-a", "ipv4", "-j") or "{}")
    for path in out.get(prefix) or []:
        for a in path["attrs"]:
            if a["type"] == UNKNOWN:
                return a["flags"], base64.b64decode(a["value"])
    return None


def test_exabgp_sent_the_unknown_attribute_without_the_partial_bit(ebgp: World) -> None:
    flags = eventually(lambda: attribute_flags(ebgp.capture, EX, PW, UNKNOWN), "it on the wire")
    assert flags == [OPTIONAL_TRANSITIVE]


@pytest.mark.parametrize("receiver", sorted(RECEIVERS))
def test_an_unknown_optional_transitive_attribute_is_passed_on_with_the_partial_bit(
    ebgp: World, receiver: str
) -> None:
    address = RECEIVERS[receiver]
    flags = eventually(
        lambda: attribute_flags(ebgp.capture, PW, address, UNKNOWN),
        f"attribute {UNKNOWN:#x} sent to {receiver}",
    )
    assert flags == [OPTIONAL_TRANSITIVE | PARTIAL]  # RFC 4271 §5, §9.1.3


def test_gobgp_has_the_unknown_attribute_value_intact(ebgp: World) -> None:
    prefix = EXABGP_ROUTES["unknown"][0]
    found = eventually(lambda: gobgp_unknown(ebgp, prefix), f"{prefix} at GoBGP")
    assert found == (OPTIONAL_TRANSITIVE | PARTIAL, bytes.fromhex("0a0b0c0d"))


# (receiver, the next hop it must see on the IPv4 route ExaBGP sent with 2001:db8::5)
RFC8950_ROWS = [
    ("bird", "2001:db8::5"),  # iBGP: kept (RFC 4271 §5.1.3), in MP_REACH_NLRI (RFC 8950 §3)
    ("gobgp", PW),  # eBGP: next hop self, an IPv4 session address
    ("frr", PW),
]


def test_an_ipv4_route_with_an_ipv6_next_hop_is_accepted(ebgp: World) -> None:
    prefix = EXABGP_ROUTES["rfc8950"][0]
    (best,) = eventually(lambda: loc_rib(ebgp.pw, prefix), f"{prefix} in peerwised")
    assert best["peer"] == EX and best["next-hop"] == "2001:db8::5"


@pytest.mark.parametrize(("receiver", "next_hop"), RFC8950_ROWS)
def test_an_ipv4_route_with_an_ipv6_next_hop_is_passed_on(
    ebgp: World, receiver: str, next_hop: str
) -> None:
    prefix = EXABGP_ROUTES["rfc8950"][0]
    seen = eventually(lambda: ebgp.seen(ebgp.peers[receiver], prefix), f"{prefix} at {receiver}")
    assert same_address(seen.next_hop, next_hop)


def test_the_ipv6_next_hop_of_an_ipv4_route_is_in_mp_reach_nlri_on_the_wire(ebgp: World) -> None:
    where = (
        f"ip.src == {PW} && ip.dst == {BI} && bgp.update.path_attribute.mp_reach_nlri.afi == 1"
        " && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6 == 2001:db8::5"
    )
    assert ebgp.capture.wait_for(where)


def test_a_route_through_our_own_as_is_ignored_and_counted(ebgp: World) -> None:
    prefix = EXABGP_ROUTES["as-loop"][0]
    others = [prefix for key, (prefix, _) in EXABGP_ROUTES.items() if key != "as-loop"]
    # Everything ExaBGP sent has arrived once the other routes are in every peer.
    for name in RECEIVERS:
        for other in others:
            peer = ebgp.peers[name]
            eventually(lambda p=peer, o=other: ebgp.seen(p, o), f"{other} at {name}")
    counters = eventually(lambda: rib_counters(ebgp.pw, EX), "ExaBGP's counters")
    assert counters == {
        "received": len(EXABGP_ROUTES),
        "accepted": len(EXABGP_ROUTES) - 1,
        "advertised": counters["advertised"],
        "as-loop": 1,
    }
    assert not loc_rib(ebgp.pw, prefix)
    assert all(ebgp.seen(ebgp.peers[name], prefix) is None for name in RECEIVERS)


def test_tshark_finds_no_malformed_packet_from_peerwised(ebgp: World) -> None:
    assert ebgp.capture.wait_for(f"ip.src == {PW} && bgp.type == 2")
    assert ebgp.capture.packets(f"ip.src == {PW} && _ws.malformed") == []
