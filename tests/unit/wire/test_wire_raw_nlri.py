"""The raw-NLRI fast path: prefixes stay in their NLRI encoding, both ways, and the same
UPDATE decodes to the same routes in either form."""

from __future__ import annotations

import pytest

from peerwise.wire.attributes import AsPath, MpReachNlri, MpUnreachNlri, NextHop, Origin
from peerwise.wire.codec import decode, encode
from peerwise.wire.context import CodecContext
from peerwise.wire.errors import BGPError, ErrorCode, UpdateSubcode
from peerwise.wire.messages import Update
from peerwise.wire.update import is_end_of_rib, routes

RAW = CodecContext(raw_nlri=True)
ATTRS = (Origin(), AsPath.sequence(65002), NextHop("198.18.0.1"))

# (text UPDATE, expected raw fields after decoding with raw_nlri)
CASES = [
    (Update(nlri=("10.0.0.0/24", "0.0.0.0/0"), attributes=ATTRS),
     {"nlri_raw": (b"\x18\x0a\x00\x00", b"\x00")}),
    (Update(withdrawn=("10.1.128.0/17",)), {"withdrawn_raw": (b"\x11\x0a\x01\x80",)}),
    (Update(attributes=(*ATTRS[:2], MpReachNlri(2, 1, "2001:db8::1", ("2001:db8::/32",)))),
     {"mp_reach": (b"\x20\x20\x01\x0d\xb8",)}),
    (Update(attributes=(MpUnreachNlri(2, 1, ("2001:db8:1::/48",)),)),
     {"mp_unreach": (b"\x30\x20\x01\x0d\xb8\x00\x01",)}),
]  # fmt: skip


def _raw_fields(update: Update) -> dict[str, tuple[bytes, ...]]:
    out = {"nlri_raw": update.nlri_raw, "withdrawn_raw": update.withdrawn_raw}
    for attr in update.attributes:
        if isinstance(attr, MpReachNlri):
            out["mp_reach"] = attr.nlri_raw
        if isinstance(attr, MpUnreachNlri):
            out["mp_unreach"] = attr.withdrawn_raw
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize(("update", "raw"), CASES)
def test_raw_decoding_keeps_nlri_octets_and_reencodes_identically(
    update: Update, raw: dict[str, tuple[bytes, ...]]
) -> None:
    frame = encode(update)
    fast = decode(frame, RAW)
    assert isinstance(fast, Update)
    assert _raw_fields(fast) == raw
    assert not fast.nlri and not fast.withdrawn
    assert encode(fast) == frame  # the encoder copies raw runs as they are
    assert routes(fast) == routes(update)  # the same routes in text


def test_host_bits_are_cleared_in_raw_keys() -> None:
    frame = encode(Update(attributes=ATTRS, nlri_raw=(b"\x14\x0a\x00\xff",)))  # 10.0.255.0/20
    fast = decode(frame, RAW)
    assert isinstance(fast, Update) and fast.nlri_raw == (b"\x14\x0a\x00\xf0",)


def test_a_joined_run_of_prefixes_encodes_as_is() -> None:
    run = b"\x18\x0a\x00\x00" + b"\x18\x0a\x00\x01"
    assert encode(Update(attributes=ATTRS, nlri_raw=(run,))) == encode(
        Update(attributes=ATTRS, nlri=("10.0.0.0/24", "10.0.1.0/24"))
    )


def test_a_prefix_too_long_is_an_invalid_network_field_in_raw_mode_too() -> None:
    frame = encode(Update(attributes=ATTRS, nlri_raw=(b"\x21\x0a\x00\x00\x00\x00",)))
    with pytest.raises(BGPError) as caught:
        decode(frame, RAW)
    assert (caught.value.code, caught.value.subcode) == (
        ErrorCode.UPDATE_MESSAGE,
        UpdateSubcode.INVALID_NETWORK_FIELD,
    )


@pytest.mark.parametrize("afi", [1, 2])
def test_end_of_rib_is_recognised_in_raw_mode(afi: int) -> None:
    marker = Update() if afi == 1 else Update(attributes=(MpUnreachNlri(2, 1),))
    fast = decode(encode(marker), RAW)
    assert isinstance(fast, Update) and is_end_of_rib(fast) == (afi, 1)
