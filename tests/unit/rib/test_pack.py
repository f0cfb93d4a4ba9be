"""Packing Adj-RIB-Out changes into UPDATEs no larger than the negotiated size."""

from __future__ import annotations

import pytest
from rib_helpers import attrs

from peerwise.rib import Outgoing, PackedUpdate, attrs_size, pack, prefix_key
from peerwise.rib.pack import MP_REACH_OVERHEAD, MP_UNREACH_OVERHEAD, UPDATE_OVERHEAD
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST


def v4_keys(n: int) -> list[bytes]:
    return [prefix_key(f"10.{i >> 8}.{i & 0xFF}.0/24") for i in range(n)]


def v6_keys(n: int) -> list[bytes]:
    return [prefix_key(f"2001:db8:{i:x}::/48") for i in range(n)]


def size(update: PackedUpdate) -> int:
    """The encoded size of the UPDATE, computed independently of the packer's budget."""
    total = UPDATE_OVERHEAD + len(update.withdrawn) + len(update.nlri)
    if update.attrs is not None:
        total += attrs_size(update.attrs, update.mp)
        nh = 16 if ":" in update.attrs.next_hop else 4
        total += MP_REACH_OVERHEAD + nh if update.mp else 0
    elif update.mp and update.withdrawn:
        total += MP_UNREACH_OVERHEAD
    return total


CASES = {
    # family, keys, next hop, max size
    "ipv4 /24s in 4096": (IPV4_UNICAST, v4_keys(3000), "192.0.2.1", 4096),
    "ipv4 /24s in 65535 (RFC 8654)": (IPV4_UNICAST, v4_keys(30000), "192.0.2.1", 65535),
    "ipv6 /48s in MP_REACH": (IPV6_UNICAST, v6_keys(3000), "2001:db8::1", 4096),
    "ipv4 with an ipv6 next hop (RFC 8950)": (IPV4_UNICAST, v4_keys(3000), "2001:db8::1", 4096),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_packing_respects_the_max_message_size(
    case: tuple[tuple[int, int], list[bytes], str, int],
) -> None:
    family, keys, next_hop, max_size = case
    a = attrs(65001, 65010, next_hop=next_hop, communities=tuple(range(40)))
    updates = pack(Outgoing(family, keys[:500], {a: keys}), max_size)
    sizes = [size(u) for u in updates]
    assert max(sizes) <= max_size
    # every UPDATE but the last is full: one more prefix would not have fit
    announced = [u for u in updates if u.nlri]
    assert all(size(u) + len(keys[0]) > max_size for u in announced[:-1])
    assert b"".join(u.nlri for u in announced) == b"".join(keys)
    assert b"".join(u.withdrawn for u in updates) == b"".join(keys[:500])
    assert all(u.mp == (family == IPV6_UNICAST or ":" in next_hop) for u in announced)


def test_end_of_rib_is_an_empty_update_for_its_family() -> None:
    (v4,) = pack(Outgoing(IPV4_UNICAST, [], {}, end_of_rib=True))
    (v6,) = pack(Outgoing(IPV6_UNICAST, [], {}, end_of_rib=True))
    assert v4.is_end_of_rib and not v4.mp
    assert v6.is_end_of_rib and v6.mp  # an empty MP_UNREACH_NLRI (RFC 4724 §2)


def test_a_budget_too_small_for_one_prefix_is_an_error() -> None:
    with pytest.raises(ValueError):
        pack(Outgoing(IPV4_UNICAST, [], {attrs(1): v4_keys(1)}), max_size=30)
