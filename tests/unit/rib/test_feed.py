"""From the codec's UPDATE values into the RIB and back out through the real encoder."""

from __future__ import annotations

import pytest
from rib_helpers import attrs, rib_with

from peerwise.rib import PeerConfig, Rib, apply_update, pack, prefix_key, to_update
from peerwise.wire.attributes import (
    AsPath,
    MpReachNlri,
    MpUnreachNlri,
    NextHop,
    Origin,
)
from peerwise.wire.codec import decode, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST
from peerwise.wire.messages import Update

BASE = (Origin(), AsPath.sequence(65010))


def test_an_update_with_classic_and_mp_routes_feeds_both_families() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    reach = MpReachNlri(2, 1, next_hop="2001:db8::10", nlri=("2001:db8:1::/48",))
    update = Update(attributes=(*BASE, NextHop("192.0.2.10"), reach), nlri=("10.0.1.0/24",))
    changes = apply_update(rib, a, update)
    assert [(c.family, c.keys) for c in changes] == [
        (IPV4_UNICAST, [prefix_key("10.0.1.0/24")]),
        (IPV6_UNICAST, [prefix_key("2001:db8:1::/48")]),
    ]
    v4 = rib.best(IPV4_UNICAST, prefix_key("10.0.1.0/24"))
    v6 = rib.best(IPV6_UNICAST, prefix_key("2001:db8:1::/48"))
    assert v4 is not None and v4.attrs.next_hop == "192.0.2.10"
    assert v6 is not None and v6.attrs.next_hop == "2001:db8::10"
    unreach = MpUnreachNlri(2, 1, withdrawn=("2001:db8:1::/48",))
    apply_update(rib, a, Update(withdrawn=("10.0.1.0/24",), attributes=(unreach,)))
    assert rib.counters(a, IPV4_UNICAST).received == rib.counters(a, IPV6_UNICAST).received == 0


def test_treat_as_withdraw_from_the_codec_withdraws() -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    apply_update(rib, a, Update(attributes=(*BASE, NextHop("192.0.2.10")), nlri=("10.0.1.0/24",)))
    bad = Update(attributes=BASE, nlri=("10.0.1.0/24",), treat_as_withdraw=True)
    assert apply_update(rib, a, bad)[0].keys == [prefix_key("10.0.1.0/24")]
    assert rib.best(IPV4_UNICAST, prefix_key("10.0.1.0/24")) is None


@pytest.mark.parametrize("family", [IPV4_UNICAST, IPV6_UNICAST])
def test_end_of_rib_is_recognised(family: tuple[int, int]) -> None:
    rib, (a,) = rib_with(("192.0.2.10", 65010))
    marker = Update() if family == IPV4_UNICAST else Update(attributes=(MpUnreachNlri(2, 1),))
    assert apply_update(rib, a, marker) == []
    assert a.eor_received == {family}


ROUNDTRIPS = {
    "ipv4": ("10.{}.{}.0/24", "192.0.2.1", 4096),
    "ipv6": ("2001:db8:{:x}:{:x}::/64", "2001:db8::1", 4096),
    "ipv4 with ipv6 next hop (RFC 8950)": ("10.{}.{}.0/24", "2001:db8::1", 4096),
    "ipv4, extended message": ("10.{}.{}.0/24", "192.0.2.1", 65535),
}


@pytest.mark.parametrize("row", ROUNDTRIPS.values(), ids=ROUNDTRIPS.keys())
def test_packed_updates_encode_within_the_max_size_and_decode_back(
    row: tuple[str, str, int],
) -> None:
    pattern, next_hop, max_size = row
    texts = [pattern.format(i >> 8, i & 0xFF) for i in range(20000)]
    family = IPV6_UNICAST if ":" in texts[0] else IPV4_UNICAST
    rib, (src, dst) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    sent = attrs(65010, next_hop=next_hop, communities=tuple(range(30)))
    change = rib.ingest(src, family, [(sent, [prefix_key(t) for t in texts])])
    dst_local = "2001:db8::1" if ":" in next_hop else "192.0.2.1"
    object.__setattr__(dst.config, "local_address", dst_local)  # next hop self on the wire
    object.__setattr__(dst.config, "extended_next_hop", True)
    ctx = CodecContext(extended_message=max_size > 4096)
    frames = [encode(to_update(p), ctx) for p in pack(rib.export(dst, change), max_size)]
    assert max(map(len, frames)) <= max_size
    assert len(frames) > 1
    back = Rib(65020, "192.0.2.20")  # the receiving side: AS 65001 is its neighbor
    peer = back.add_peer(PeerConfig("192.0.2.1", 65001, "192.0.2.1"))
    for frame in frames:
        update = decode(frame, ctx)
        assert isinstance(update, Update)
        apply_update(back, peer, update)
    assert sorted(back.loc[family].best) == sorted(prefix_key(t) for t in texts)
