"""Next hop self with a configured next-hop-self-address (RFC 4271 §5.1.3, RFC 2545 §2,
RFC 8950 §3), and re-advertisement when it changes."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from rib_helpers import attrs, rib_with

from peerwise.rib import LocalRoute, LocChange, PeerConfig, next_hop_self, prefix_key
from peerwise.rib.export import reconfigure
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family

V4, V6 = IPV4_UNICAST, IPV6_UNICAST
MAPPED = "::ffff:192.0.2.1"  # the default IPv6 next hop on an IPv4 session, as GoBGP and FRR


@dataclass(frozen=True)
class Row:
    family: Family
    local: str  # our session address
    expected: str  # next hop self; "" : none, the route is not sent over eBGP
    enh: bool = False  # RFC 8950 negotiated
    hop4: str = ""  # next-hop-self-address of ipv4-unicast
    hop6: str = ""  # next-hop-self-address of ipv6-unicast


ROWS = {
    "ipv6 over ipv4: the mapped address by default": Row(V6, "192.0.2.1", MAPPED),
    "ipv6 over ipv4: the configured address": Row(V6, "192.0.2.1", "2001:db8::1",
                                                  hop6="2001:db8::1"),
    "ipv6 over ipv6: the configured address wins": Row(V6, "2001:db8::9", "2001:db8::1",
                                                       hop6="2001:db8::1"),
    "ipv6 over ipv6: the session address by default": Row(V6, "2001:db8::9", "2001:db8::9"),
    "ipv4: the configured address": Row(V4, "192.0.2.1", "192.0.2.7", hop4="192.0.2.7"),
    "ipv4: the ipv6 one is not for ipv4": Row(V4, "192.0.2.1", "192.0.2.1", hop6="2001:db8::1"),
    "ipv4 over ipv4, configured ipv6 with RFC 8950": Row(V4, "192.0.2.1", "2001:db8::1", True,
                                                         hop4="2001:db8::1"),
    "ipv4 over ipv4, configured ipv6 without RFC 8950": Row(V4, "192.0.2.1", "192.0.2.1",
                                                            hop4="2001:db8::1"),
    "ipv4 over ipv6, configured ipv4": Row(V4, "2001:db8::9", "192.0.2.7", hop4="192.0.2.7"),
    "ipv4 over ipv6, configured ipv6 with RFC 8950": Row(V4, "2001:db8::9", "2001:db8::1", True,
                                                         hop4="2001:db8::1"),
    "ipv4 over ipv6 without RFC 8950 or a configured one": Row(V4, "2001:db8::9", ""),
    "ipv4 over ipv6, configured ipv6 without RFC 8950": Row(V4, "2001:db8::9", "",
                                                            hop4="2001:db8::1"),
}  # fmt: skip


def _config(row: Row, address: str = "192.0.2.9", asn: int = 65009) -> PeerConfig:
    local6 = "" if ":" in row.local else f"::ffff:{row.local}"
    return PeerConfig(address, asn, address, row.local, local6, row.enh,
                      next_hop_ipv4=row.hop4, next_hop_ipv6=row.hop6)  # fmt: skip


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_next_hop_self(row: Row) -> None:
    peer = rib_with()[0].add_peer(_config(row))
    assert next_hop_self(peer, row.family) == row.expected == peer.config.next_hop_self(row.family)


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_an_ebgp_neighbor_is_sent_the_next_hop_self(row: Row) -> None:
    rib, _ = rib_with()
    target = rib.add_peer(_config(row))
    prefix = "10.0.1.0/24" if row.family == V4 else "2001:db8:1::/48"
    out = rib.export(target, rib.originate(LocalRoute(prefix)))
    assert [a.next_hop for a in out.announced] == ([row.expected] if row.expected else [])


def test_an_ipv6_next_hop_self_address_for_ipv6_routes_must_be_ipv6() -> None:
    with pytest.raises(ValueError, match=r"192\.0\.2\.7"):
        PeerConfig("192.0.2.9", 65009, next_hop_ipv6="192.0.2.7")


# (old next-hop-self-address, new one) -> the next hops re-sent (none when unchanged)
CHANGES = {
    "set": ("", "2001:db8::1", ["2001:db8::1"]),
    "changed": ("2001:db8::1", "2001:db8::2", ["2001:db8::2"]),
    "removed: back to the mapped address": ("2001:db8::1", "", [MAPPED]),
    "unchanged: nothing re-sent": ("2001:db8::1", "2001:db8::1", []),
}


@pytest.mark.parametrize(("old", "new", "sent"), CHANGES.values(), ids=CHANGES.keys())
def test_a_new_next_hop_self_address_re_advertises_what_changed(
    old: str, new: str, sent: list[str]
) -> None:
    """Every export to the neighbor is cached per attribute set; a new config drops those
    caches, and exporting the Loc-RIB again re-sends the routes as an implicit replace."""
    rib, (source, target) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    target.configure(replace(target.config, local_address6=MAPPED, next_hop_ipv6=old))
    keys = [prefix_key("2001:db8:1::/48"), prefix_key("2001:db8:2::/48")]
    first = rib.export(
        target, rib.ingest(source, V6, [(attrs(65010, next_hop="2001:db8::10"), keys)])
    )
    assert [a.next_hop for a in first.announced] == [old or MAPPED]
    changed = reconfigure(target, replace(target.config, next_hop_ipv6=new), [source, rib.local])
    again = rib.export(target, LocChange(V6, [key for key, _ in rib.routes(V6)]))
    assert changed == bool(sent)
    assert [a.next_hop for a in again.announced] == sent
    assert all(sorted(k) == sorted(keys) for k in again.announced.values())
    assert not again.withdrawn and rib.counters(target, V6).advertised == len(keys)


def test_a_new_address_or_as_is_refused_as_a_reconfiguration() -> None:
    _, (peer,) = rib_with(("192.0.2.10", 65010))
    with pytest.raises(ValueError, match="new peer"):
        peer.configure(replace(peer.config, asn=65011))
