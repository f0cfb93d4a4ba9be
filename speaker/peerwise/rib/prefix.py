"""Prefix keys: a prefix as its NLRI encoding (RFC 4271 §4.3, RFC 4760 §5.1.3).

Inside the RIB a prefix is the bytes object the wire carries: one length octet, then the
significant octets with the host bits cleared (``10.0.0.0/24`` is ``b"\\x18\\x0a\\x00\\x00"``).
A /24 costs 37 bytes, one object is shared by Adj-RIB-In, Loc-RIB and Adj-RIB-Out, and
packing an UPDATE is ``b"".join(keys)``. Keys are only unique within one address family, so
the RIB keeps one table per family. Text is for the edges: :func:`prefix_key` and
:func:`key_text`.
"""

from __future__ import annotations

import ipaddress

from peerwise.wire.errors import BGPError, ErrorCode, Malformed, UpdateSubcode
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family
from peerwise.wire.prefixes import split_prefixes

Key = bytes
"""A prefix in NLRI encoding, host bits cleared."""

_MAX_LENGTH = {1: 32, 2: 128}  # by AFI


def family_of(text: str) -> Family:
    """The unicast family of a prefix or address in text form."""
    return IPV6_UNICAST if ":" in text else IPV4_UNICAST


def prefix_key(text: str) -> Key:
    """'10.0.0.0/24' -> b'\\x18\\x0a\\x00\\x00' (host bits cleared); ValueError if malformed."""
    address, slash, length = text.partition("/")
    if not slash:
        raise ValueError(f"{text!r} is not a prefix (no '/')")
    net = ipaddress.ip_network(f"{address}/{length}", strict=False)
    plen = net.prefixlen
    return bytes((plen,)) + net.network_address.packed[: (plen + 7) >> 3]


def key_text(key: Key, family: Family = IPV4_UNICAST) -> str:
    """The inverse of :func:`prefix_key`."""
    plen = key[0]
    size = 16 if family[0] == 2 else 4
    raw = key[1:] + bytes(size - len(key) + 1)
    return f"{ipaddress.ip_address(raw)}/{plen}"


def split_nlri(data: bytes, family: Family = IPV4_UNICAST) -> list[Key]:
    """An NLRI field (RFC 4271 §4.3) as keys; the fast path from the wire into the RIB.

    Raises BGPError(UPDATE_MESSAGE, INVALID_NETWORK_FIELD) when a prefix does not fit.
    """
    try:
        return list(split_prefixes(data, 0, None, _MAX_LENGTH.get(family[0], 128)))
    except Malformed:
        raise BGPError(ErrorCode.UPDATE_MESSAGE, UpdateSubcode.INVALID_NETWORK_FIELD) from None
