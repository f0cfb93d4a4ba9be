"""Routes both ways between ``peerwised`` and GoBGP, FRR (eBGP), BIRD (iBGP) and ExaBGP
(eBGP): IPv4 and IPv6, withdrawals, communities of the three kinds, End-of-RIB, route
refresh. The speakers and their addresses: ``ebgp_world``.
"""

from __future__ import annotations

import json

import pytest
from ebgp_world import (
    ASN,
    BI,
    BIRD_HOP6,
    EXABGP_ROUTES,
    FR,
    FRR_HOP6,
    PW,
    World,
    expected,
    same_address,
)
from probes import eventually, loc_rib, messages
from views import Seen

pytestmark = pytest.mark.interop

# (origin, prefix, the next hop the origin puts on it)
ORIGINATED = [
    ("gobgp", "10.92.1.0/24", "198.18.0.2"),
    ("gobgp", "2001:db8:92:1::/64", "2001:db8::2"),
    ("frr", "10.93.1.0/24", FR),
    ("frr", "2001:db8:93:1::/64", FRR_HOP6),
    ("bird", "10.94.1.0/24", BI),
    ("bird", "2001:db8:94:1::/64", BIRD_HOP6),  # its ``next hop address``
]


def eor_markers(world: World, name: str) -> int:
    """How many End-of-RIB markers (RFC 4724 §2) the peer says it received from peerwised."""
    if name == "gobgp":
        out = json.loads(world.go.cli("neighbor", PW, "-j"))
        families = out.get("afi_safis") or []
        return sum(bool(f["mp_graceful_restart"]["state"].get("end_of_rib_received"))
                   for f in families)  # fmt: skip
    if name == "frr":
        info = json.loads(world.frr.vtysh(f"show bgp neighbors {PW} json"))[PW]
        return sum(info["gracefulRestartInfo"]["endOfRibRecv"].values())
    if name == "bird":
        return world.bird.log.read_text().count("n_198_19_0_1: Got END-OF-RIB")
    events = [json.loads(line) for line in world.exa.events.read_text().splitlines()]
    return sum("eor" in (e.get("neighbor", {}).get("message") or {}) for e in events)


@pytest.mark.parametrize("name", ["gobgp", "frr", "bird", "exabgp"])
def test_each_peer_saw_end_of_rib_for_ipv4_and_ipv6(ebgp: World, name: str) -> None:
    assert eventually(lambda: eor_markers(ebgp, name) == 2, f"two End-of-RIB at {name}")


@pytest.mark.parametrize(("origin", "prefix", "hop"), ORIGINATED)
def test_a_route_reaches_every_other_peer_and_so_does_its_withdrawal(
    ebgp: World, origin: str, prefix: str, hop: str
) -> None:
    sender = ebgp.peers[origin]
    receivers = [p for name, p in ebgp.peers.items() if name != origin]
    if sender.asn == ASN[PW]:  # RFC 4271 §9.2: not from iBGP to iBGP
        receivers = [p for p in receivers if p.asn != ASN[PW]]
    ebgp.announce(origin, prefix)
    (best,) = eventually(lambda: loc_rib(ebgp.pw, prefix), f"{prefix} in peerwised")
    assert best["peer"] == sender.address and same_address(best["next-hop"], hop)
    for peer in receivers:
        seen = eventually(lambda p=peer: ebgp.seen(p, prefix), f"{prefix} at {peer!r}")
        as_path, next_hop = expected(sender, peer, prefix, hop)
        assert seen.as_path == as_path, peer
        assert same_address(seen.next_hop, next_hop), (peer, seen)
    ebgp.withdraw(origin, prefix)
    for peer in receivers:
        eventually(lambda p=peer: ebgp.seen(p, prefix) is None, f"{prefix} gone at {peer!r}")
    assert not loc_rib(ebgp.pw, prefix)


GOBGP_WORDS = ["community", "65020:1", "large-community", "65020:1:2", "rt", "65020:7",
               "med", "5"]  # fmt: skip
GOBGP_COMMUNITIES = {"communities": ("65020:1",), "large_communities": ("65020:1:2",),
                     "extended_communities": ("rt:65020:7",)}  # fmt: skip
EXABGP_COMMUNITIES = {"communities": ("65050:4",), "large_communities": ("65050:4:4",),
                      "extended_communities": ("rt:65050:4",)}  # fmt: skip
# (origin, prefix, receiver, what the receiver sees). Towards eBGP: MED not passed on
# (RFC 4271 §5.1.4), no LOCAL_PREF (§5.1.5); towards iBGP: MED kept, LOCAL_PREF set.
COMMUNITY_ROWS = [
    ("gobgp", "10.92.7.0/24", "frr", Seen("65001 65020", PW, **GOBGP_COMMUNITIES)),
    ("gobgp", "10.92.7.0/24", "bird",
     Seen("65020", "198.18.0.2", **GOBGP_COMMUNITIES, med=5, local_pref=100)),
    ("gobgp", "10.92.7.0/24", "exabgp", Seen("65001 65020", PW, **GOBGP_COMMUNITIES)),
    ("exabgp", EXABGP_ROUTES["communities"][0], "gobgp",
     Seen("65001 65050", PW, **EXABGP_COMMUNITIES)),
    ("exabgp", EXABGP_ROUTES["communities"][0], "frr",
     Seen("65001 65050", PW, **EXABGP_COMMUNITIES)),
    ("exabgp", EXABGP_ROUTES["communities"][0], "bird",
     Seen("65050", "198.18.0.5", **EXABGP_COMMUNITIES, local_pref=100)),
]  # fmt: skip


@pytest.mark.parametrize(("origin", "prefix", "receiver", "want"), COMMUNITY_ROWS)
def test_communities_of_all_three_kinds_arrive_intact(
    ebgp: World, origin: str, prefix: str, receiver: str, want: Seen
) -> None:
    if origin == "gobgp":
        ebgp.announce(origin, prefix, *GOBGP_WORDS)
    peer = ebgp.peers[receiver]
    seen = eventually(lambda: ebgp.seen(peer, prefix), f"{prefix} at {receiver}")
    if receiver == "frr":  # FRR shows its own default LOCAL_PREF on eBGP paths
        seen = Seen(**{**seen.__dict__, "local_pref": None})
    assert seen == want


# (peer, how it asks for a refresh, how many families it asks for). GoBGP 3.10 asks for
# none: ``gobgp neighbor ADDR softresetin`` re-reads the Adj-RIB-In GoBGP keeps (measured:
# peerwised counts no ROUTE-REFRESH), so it is not a row here.
REFRESHERS = [
    ("frr", lambda w: w.frr.vtysh(f"clear bgp ipv4 unicast {PW} soft in"), 1),
    ("bird", lambda w: w.bird.birdc("reload", "in", "n_198_19_0_1"), 2),  # every channel
]
ADDRESS = {"frr": FR, "bird": BI}


@pytest.mark.parametrize(("name", "ask", "families"), REFRESHERS, ids=[r[0] for r in REFRESHERS])
def test_a_route_refresh_from_the_peer_is_answered_with_the_adj_rib_out(
    ebgp: World, name: str, ask: object, families: int
) -> None:
    address = ADDRESS[name]
    probe = EXABGP_ROUTES["communities"][0]  # in every Adj-RIB-Out from the start
    eventually(lambda: ebgp.seen(ebgp.peers[name], probe), f"{probe} at {name}")
    before = messages(ebgp.pw, address)
    ask(ebgp)  # type: ignore[operator]
    caps = ebgp.pw.neighbor(address)["state"]["supported-capabilities"]
    borr_eorr = 2 if "ENHANCED_ROUTE_REFRESH" in caps else 0  # RFC 7313 §4: BoRR, EoRR

    def answered() -> dict[str, dict[str, int]] | None:
        now = messages(ebgp.pw, address)
        sent, received = now["sent"], now["received"]
        done = received["ROUTE-REFRESH"] == before["received"]["ROUTE-REFRESH"] + families
        done = (
            done and sent["ROUTE-REFRESH"] == before["sent"]["ROUTE-REFRESH"] + borr_eorr * families
        )
        return now if done and sent["UPDATE"] > before["sent"]["UPDATE"] else None

    eventually(answered, f"the Adj-RIB-Out sent again to {name}")
    assert ebgp.seen(ebgp.peers[name], probe) is not None
