"""IPv6 routes over an IPv4 session to BIRD as an eBGP peer: ``next-hop-self-address``.

By default peerwised sends IPv6 routes over an IPv4 session with the IPv4-mapped next hop
``::ffff:198.19.0.1``; BIRD refuses it ("mismatched address family"). Towards the eBGP
BIRD (``ebgp_world.BE``) peerwised is configured with next-hop-self-address 2001:db8::1
for ipv6-unicast, so BIRD takes the routes with that next hop. A change of the address is
``soft`` (docs/IMPACT.md): the routes go out again with the new next hop, the session stays
up. The speakers and their addresses: ``ebgp_world``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ebgp_world import BE, FR, HOP6, HOP6_ALT, PW, SELF6, World, same_address
from probes import eventually, loc_rib

from peerwise.mgmt.client import NetconfClient, impact

pytestmark = pytest.mark.interop

PREFIX6 = "2001:db8:96:1::/64"  # GoBGP originates it, peerwised passes it on to BIRD
PREFIX4 = "10.96.1.0/24"


@pytest.fixture(scope="module")
def routes(ebgp: World) -> Iterator[World]:
    """GoBGP originates one IPv6 and one IPv4 route for the module, withdrawn at the end."""
    for prefix in (PREFIX6, PREFIX4):
        ebgp.announce("gobgp", prefix)
        eventually(lambda p=prefix: loc_rib(ebgp.pw, p), f"{prefix} in peerwised")
    yield ebgp
    for prefix in (PREFIX6, PREFIX4):
        ebgp.withdraw("gobgp", prefix)


def bird_next_hop(world: World, prefix: str) -> str:
    seen = world.seen(world.bird_ebgp, prefix)
    return seen.next_hop if seen else ""


def adj_out_hops(world: World, family: str, neighbor: str = BE) -> dict[str, str]:
    """``peerwise neighbor ADDR adj-out -a FAMILY``: prefix -> next hop."""
    found = world.pw.cli("neighbor", neighbor, "adj-out", "-a", family)
    return {r["prefix"]: r["next-hop"] for r in found}


def set_next_hop6(world: World, hop: str) -> dict[str, list[str]]:
    """edit-config (merge) on running: BE's ipv6-unicast next-hop-self-address; its cost, as
    the same edit with test-only reports it."""
    xml = (
        "<bgp xmlns='urn:peerwise:yang:peerwise-bgp'><neighbors><neighbor>"
        f"<neighbor-address>{BE}</neighbor-address><afi-safis><afi-safi>"
        "<afi-safi-name>ipv6-unicast</afi-safi-name><config>"
        "<afi-safi-name>ipv6-unicast</afi-safi-name>"
        f"<next-hop-self-address>{hop}</next-hop-self-address></config>"
        "</afi-safi></afi-safis></neighbor></neighbors></bgp>"
    )
    with NetconfClient(str(world.pw.socket), timeout=10) as client:
        cost = impact(client.edit_config("running", xml, test_option="test-only"))
        client.edit_config("running", xml)
    return cost


def session(world: World) -> dict[str, Any]:
    return dict(world.pw.neighbor(BE)["state"])


def test_bird_accepts_ipv6_routes_with_the_configured_next_hop(routes: World) -> None:
    hop = eventually(lambda: bird_next_hop(routes, PREFIX6), f"{PREFIX6} at the eBGP BIRD")
    assert same_address(hop, HOP6)
    assert "mismatched address family" not in routes.bird_ebgp.log.read_text(errors="replace")


def test_ipv4_routes_keep_the_session_address(routes: World) -> None:
    hop = eventually(lambda: bird_next_hop(routes, PREFIX4), f"{PREFIX4} at the eBGP BIRD")
    assert same_address(hop, PW)


def test_the_cli_shows_the_configured_next_hop_in_the_adj_rib_out(routes: World) -> None:
    hops = eventually(lambda: adj_out_hops(routes, "ipv6"), f"adj-out of {BE}")
    assert same_address(hops[PREFIX6], HOP6)
    # an eBGP neighbor without the setting still gets the IPv4-mapped default
    assert same_address(adj_out_hops(routes, "ipv6", FR)[PREFIX6], SELF6)


# (next-hop-self-address, the next hop BIRD then holds for PREFIX6)
CHANGES = [(HOP6_ALT, HOP6_ALT), (HOP6, HOP6)]


@pytest.mark.parametrize(("hop", "seen"), CHANGES, ids=["changed", "changed back"])
def test_a_new_next_hop_is_re_advertised_without_a_session_reset(
    routes: World, hop: str, seen: str
) -> None:
    eventually(lambda: bird_next_hop(routes, PREFIX6), f"{PREFIX6} at the eBGP BIRD")
    before = session(routes)
    summary = set_next_hop6(routes, hop)
    assert summary.get("soft") == [BE] and not summary.get("session-reset"), summary
    eventually(lambda: same_address(bird_next_hop(routes, PREFIX6) or "::", seen),
               f"{PREFIX6} at the eBGP BIRD with next hop {seen}")  # fmt: skip
    after = session(routes)
    assert after["session-state"] == "ESTABLISHED"
    assert after["established-transitions"] == before["established-transitions"]
    assert same_address(adj_out_hops(routes, "ipv6")[PREFIX6], seen)
