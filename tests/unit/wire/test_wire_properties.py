"""Properties: decode never raises anything but BGPError; UPDATEs round-trip; IPv6 text is
RFC 5952 as ``ipaddress`` writes it."""

from __future__ import annotations

import contextlib
import ipaddress
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from wire_helpers import message

from peerwise.wire import (
    DEFAULT_CONTEXT,
    TWO_OCTET_CONTEXT,
    AsPath,
    AsSegment,
    BGPError,
    CodecContext,
    Communities,
    Framer,
    LargeCommunities,
    LocalPref,
    MpReachNlri,
    MpUnreachNlri,
    MultiExitDisc,
    NextHop,
    Origin,
    OriginCode,
    SegmentType,
    Update,
    decode,
    encode,
)
from peerwise.wire.prefixes import format_ipv6

CONTEXTS = st.sampled_from([DEFAULT_CONTEXT, TWO_OCTET_CONTEXT])


@settings(max_examples=400)
@given(st.binary(max_size=200), CONTEXTS)
def test_random_stream_raises_only_bgp_error(data: bytes, ctx: CodecContext) -> None:
    try:
        for frame in Framer().feed(data):
            decode(frame, ctx)
    except BGPError:
        pass


@settings(max_examples=1500)
@given(st.integers(0, 7), st.binary(max_size=120), CONTEXTS)
def test_random_body_behind_a_good_header_raises_only_bgp_error(
    mtype: int, body: bytes, ctx: CodecContext
) -> None:
    with contextlib.suppress(BGPError):
        decode(message(mtype, body), ctx)


@settings(max_examples=1500)
@given(st.lists(st.tuples(st.sampled_from([0x40, 0x80, 0xC0, 0x50, 0x90]),
                          st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18,
                                           32, 99]),
                          st.binary(max_size=40)), max_size=5),
       st.binary(max_size=20), CONTEXTS)  # fmt: skip
def test_random_attributes_raise_only_bgp_error(
    attrs: list[tuple[int, int, bytes]], nlri: bytes, ctx: CodecContext
) -> None:
    """Well-formed attribute headers around random values reach every attribute decoder."""
    raw = b"".join(
        bytes((flags, code)) + (len(v).to_bytes(2, "big") if flags & 0x10 else bytes((len(v),))) + v
        for flags, code, v in attrs
    )
    with contextlib.suppress(BGPError):
        decode(message(2, b"\x00\x00" + len(raw).to_bytes(2, "big") + raw + nlri), ctx)


def _v4_prefix(value: int, plen: int) -> str:
    return str(ipaddress.IPv4Network((value, plen), strict=False))


def _v6_prefix(value: int, plen: int) -> str:
    return str(ipaddress.IPv6Network((value, plen), strict=False))


V4 = st.builds(_v4_prefix, st.integers(0, 2**32 - 1), st.integers(0, 32))
V6 = st.builds(_v6_prefix, st.integers(0, 2**128 - 1), st.integers(0, 128))
V4_ADDR = st.builds(lambda n: str(ipaddress.IPv4Address(n)), st.integers(1, 2**32 - 1))
V6_ADDR = st.builds(lambda n: str(ipaddress.IPv6Address(n)), st.integers(0, 2**128 - 1))
U32 = st.integers(0, 2**32 - 1)
SEGMENT = st.builds(
    AsSegment, st.sampled_from(list(SegmentType)), st.lists(U32, min_size=1, max_size=5).map(tuple)
)

OPTIONAL_ATTRS = st.lists(
    st.one_of(
        st.builds(MultiExitDisc, U32),
        st.builds(LocalPref, U32),
        st.builds(Communities, st.lists(U32, min_size=1, max_size=4).map(tuple)),
        st.builds(LargeCommunities,
                  st.lists(st.tuples(U32, U32, U32), min_size=1, max_size=3).map(tuple)),
        st.builds(MpReachNlri, st.just(2), st.just(1), V6_ADDR,
                  st.lists(V6, max_size=5).map(tuple)),
        st.builds(MpUnreachNlri, st.just(2), st.just(1), st.lists(V6, max_size=5).map(tuple)),
    ),
    max_size=6,
    unique_by=type,
)  # fmt: skip


@settings(max_examples=300)
@given(
    st.lists(V4, max_size=20).map(tuple),
    st.lists(V4, max_size=20).map(tuple),
    st.sampled_from(list(OriginCode)),
    st.lists(SEGMENT, max_size=3).map(tuple),
    V4_ADDR,
    OPTIONAL_ATTRS,
)
def test_update_round_trip(
    withdrawn: tuple[str, ...],
    nlri: tuple[str, ...],
    origin: OriginCode,
    segments: tuple[AsSegment, ...],
    next_hop: str,
    extra: list[object],
) -> None:
    msg = Update(withdrawn, (Origin(origin), AsPath(segments), NextHop(next_hop), *extra), nlri)
    back = decode(encode(msg))
    assert isinstance(back, Update)
    assert (back.withdrawn, back.nlri) == (msg.withdrawn, msg.nlri)
    assert set(back.attributes) == set(msg.attributes)
    assert (back.treat_as_withdraw, back.discarded) == (False, ())


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([0, 0, 0, 1, 0xFFFF, 0x0DB8]), min_size=8, max_size=8))
def test_ipv6_text_matches_ipaddress(groups: list[int]) -> None:
    raw = b"".join(g.to_bytes(2, "big") for g in groups)
    assert ipaddress.IPv6Address(format_ipv6(raw)).packed == raw
    if not raw.startswith(bytes(10) + b"\xff\xff"):  # IPv4-mapped text differs by version
        assert format_ipv6(raw) == ipaddress.IPv6Address(raw).compressed


def test_wire_imports_no_io_modules() -> None:
    """Habit 1: importing peerwise.wire loads no asyncio, socket, threading or selectors."""
    code = (
        "import sys, peerwise.wire; "
        "print(sorted({'asyncio', 'socket', 'threading', 'selectors', 'paramiko'} "
        "& set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
