"""Prefix keys: text <-> NLRI encoding (RFC 4271 §4.3)."""

from __future__ import annotations

import pytest

from peerwise.rib import key_text, prefix_key, split_nlri
from peerwise.wire.errors import BGPError, UpdateSubcode
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

KEYS = [
    # text, key, family
    ("10.0.0.0/24", b"\x18\x0a\x00\x00", IPV4_UNICAST),
    ("0.0.0.0/0", b"\x00", IPV4_UNICAST),
    ("192.0.2.1/32", b"\x20\xc0\x00\x02\x01", IPV4_UNICAST),
    ("10.128.0.0/9", b"\x09\x0a\x80", IPV4_UNICAST),
    ("2001:db8::/32", b"\x20\x20\x01\x0d\xb8", IPV6_UNICAST),
    ("::/0", b"\x00", IPV6_UNICAST),
]


@pytest.mark.parametrize(("text", "key", "family"), KEYS)
def test_a_prefix_key_is_its_nlri_encoding(text: str, key: bytes, family: tuple[int, int]) -> None:
    assert prefix_key(text) == key
    assert key_text(key, family) == text


def test_host_bits_are_cleared() -> None:
    assert prefix_key("10.1.2.3/8") == b"\x08\x0a"
    # 10.255.0.0/9 on the wire: the bits after the 9th are irrelevant (RFC 4271 §4.3)
    assert split_nlri(b"\x09\x0a\xff\x18\x0a\x00\x01") == [b"\x09\x0a\x80", b"\x18\x0a\x00\x01"]


@pytest.mark.parametrize(
    ("data", "family"),
    [
        (b"\x21\x0a\x00\x00\x00\x00", IPV4_UNICAST),  # /33
        (b"\x18\x0a\x00", IPV4_UNICAST),  # one octet short
        (b"\x81" + bytes(17), IPV6_UNICAST),  # /129
    ],
)
def test_a_malformed_nlri_field_is_an_invalid_network_field(
    data: bytes, family: tuple[int, int]
) -> None:
    with pytest.raises(BGPError) as caught:
        split_nlri(data, family)
    assert caught.value.subcode == UpdateSubcode.INVALID_NETWORK_FIELD
