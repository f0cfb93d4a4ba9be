"""UpdateWriter: the send path's octets equal the codec's generic path, and fit the size."""

from __future__ import annotations

import pytest
from rib_helpers import attrs

from peerwise.rib import Outgoing, PathAttrs, pack, prefix_key, to_update
from peerwise.rib.encode import UpdateWriter
from peerwise.wire.attributes import Aggregator, ClusterList, UnknownAttribute
from peerwise.wire.codec import decode, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family
from peerwise.wire.messages import Update
from peerwise.wire.update import routes

FOUR, TWO = CodecContext(raw_nlri=True), CodecContext(four_octet_as=False, raw_nlri=True)
EXTENDED = CodecContext(extended_message=True, raw_nlri=True)
V4 = [prefix_key(f"10.{i >> 8}.{i & 255}.0/24") for i in range(3)]
V6 = [prefix_key(f"2001:db8:{i}::/48") for i in range(3)]
BASE = attrs(65010, 70000, med=5)

# (what, family, attribute set, prefixes): each encodes to one UPDATE on both paths.
SETS: list[tuple[str, Family, PathAttrs, list[bytes]]] = [
    ("ORIGIN, AS_PATH, NEXT_HOP, MED", IPV4_UNICAST, BASE, V4),
    ("LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR", IPV4_UNICAST,
     PathAttrs(as_path=BASE.as_path, next_hop="192.0.2.1", local_pref=200,
               atomic_aggregate=True, aggregator=Aggregator(70000, "192.0.2.9")), V4),
    ("communities of all three kinds", IPV4_UNICAST,
     PathAttrs(as_path=BASE.as_path, next_hop="192.0.2.1", communities=(1, 0xFFFFFF01),
               extended_communities=(0x0002FDE800000001,),
               large_communities=((65010, 1, 2), (70000, 3, 4))), V4),
    ("empty AS_PATH (iBGP, originated)", IPV4_UNICAST, PathAttrs(next_hop="192.0.2.1"), V4),
    ("IPv4 with an IPv6 next hop (RFC 8950)", IPV4_UNICAST, attrs(65010, next_hop="2001:db8::1"),
     V4),
    ("IPv6 with a global next hop", IPV6_UNICAST, attrs(65010, next_hop="2001:db8::1"), V6),
    ("IPv6 with a link-local next hop too (RFC 2545)", IPV6_UNICAST,
     PathAttrs(as_path=BASE.as_path, next_hop="2001:db8::1", link_local="fe80::1"), V6),
    ("passed-on attributes (generic path)", IPV4_UNICAST,
     PathAttrs(as_path=BASE.as_path, next_hop="192.0.2.1",
               other=(ClusterList(("192.0.2.7",)), UnknownAttribute(99, 0xC0, b"\x01"))), V4),
]  # fmt: skip


def generic(out: Outgoing, ctx: CodecContext) -> list[bytes]:
    return [encode(to_update(p), ctx) for p in pack(out, ctx.max_size)]


@pytest.mark.parametrize("ctx", [FOUR, TWO], ids=["4-octet AS", "2-octet AS"])
@pytest.mark.parametrize(("what", "family", "attrs", "keys"), SETS, ids=[s[0] for s in SETS])
def test_an_attribute_set_encodes_as_the_codec_does(
    what: str, family: Family, attrs: PathAttrs, keys: list[bytes], ctx: CodecContext
) -> None:
    out = Outgoing(family, [], {attrs: keys})
    assert UpdateWriter(ctx).frames(out) == generic(out, ctx)


@pytest.mark.parametrize("family", [IPV4_UNICAST, IPV6_UNICAST])
@pytest.mark.parametrize("end_of_rib", [False, True])
def test_withdrawals_and_end_of_rib_encode_as_the_codec_does(
    family: Family, end_of_rib: bool
) -> None:
    keys = V4 if family == IPV4_UNICAST else V6
    out = Outgoing(family, keys, {}, end_of_rib)
    assert UpdateWriter(FOUR).frames(out) == generic(out, FOUR)


def test_an_end_of_rib_alone_is_the_marker_of_its_family() -> None:
    for family, keys in ((IPV4_UNICAST, []), (IPV6_UNICAST, [])):
        (frame,) = UpdateWriter(FOUR).frames(Outgoing(family, keys, {}, True))
        assert frame == encode(to_update(pack(Outgoing(family, [], {}, True))[0]))


def _many(n: int, v6: bool) -> list[bytes]:
    if v6:
        return [prefix_key(f"2001:db8:{i >> 8:x}:{i & 255:x}::/64") for i in range(n)]
    return [prefix_key(f"10.{i >> 8 & 255}.{i & 255}.0/24") for i in range(n)]


@pytest.mark.parametrize("ctx", [FOUR, EXTENDED], ids=["4096", "65535"])
@pytest.mark.parametrize(
    ("family", "attrs"),
    [(IPV4_UNICAST, BASE), (IPV6_UNICAST, attrs(65010, next_hop="2001:db8::1"))],
    ids=["IPv4", "IPv6"],
)
def test_a_big_run_is_cut_into_full_updates_that_fit(
    ctx: CodecContext, family: Family, attrs: PathAttrs
) -> None:
    keys = _many(20_000, family == IPV6_UNICAST)
    frames = UpdateWriter(ctx).frames(Outgoing(family, keys[:3000], {attrs: keys}))
    assert all(len(f) <= ctx.max_size for f in frames)
    sent: list[str] = []
    withdrawn: list[str] = []
    full: list[bool] = []
    for frame in frames:
        update = decode(frame, CodecContext(extended_message=ctx.extended_message))
        assert isinstance(update, Update)
        got, gone = routes(update)
        sent += got.get(family, ())
        withdrawn += gone.get(family, ())
        if got:  # packed exactly: no room left for one more prefix
            full.append(len(frame) + len(keys[0]) > ctx.max_size)
    assert len(sent) == len(set(sent)) == len(keys)
    assert len(withdrawn) == 3000
    assert all(full[:-1])


def test_each_attribute_set_is_encoded_once() -> None:
    writer = UpdateWriter(FOUR)
    first = writer.attributes(BASE, False)
    assert writer.attributes(BASE, False) is first
    assert writer.attributes(BASE, True) != first  # NEXT_HOP goes in MP_REACH_NLRI instead


def test_the_attribute_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peerwise.rib.encode.LIMIT", 4)
    writer = UpdateWriter(FOUR)
    for med in range(10):
        writer.attributes(attrs(65010, med=med), False)
    assert len(writer._sets[False]) <= 4
