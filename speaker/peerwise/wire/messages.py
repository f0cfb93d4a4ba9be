"""BGP message values (RFC 4271 §4). Frozen; the codec in this package turns them to bytes and back.

These classes are the contract between the codec, the FSM and the session layer. The codec
may add helpers but keeps these names and fields.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from peerwise.wire.capabilities import Capability, FourOctetAs

AS_TRANS = 23456  # RFC 6793 §9
BGP_VERSION = 4


class MessageType(enum.IntEnum):
    """RFC 4271 §4.1, RFC 2918 §3."""

    OPEN = 1
    UPDATE = 2
    NOTIFICATION = 3
    KEEPALIVE = 4
    ROUTE_REFRESH = 5


@dataclass(frozen=True)
class Open:
    """RFC 4271 §4.2. ``my_as`` is the 2-octet field; :attr:`asn` is the speaker's real AS."""

    my_as: int
    hold_time: int
    bgp_identifier: str  # dotted quad
    capabilities: tuple[Capability, ...] = ()
    version: int = BGP_VERSION

    @property
    def asn(self) -> int:
        """The sender's AS: from the 4-octet AS capability when present (RFC 6793 §4.1)."""
        for cap in self.capabilities:
            if isinstance(cap, FourOctetAs):
                return cap.asn
        return self.my_as


@dataclass(frozen=True)
class Keepalive:
    """RFC 4271 §4.4."""


@dataclass(frozen=True)
class Notification:
    """RFC 4271 §4.5. ``data`` is raw; for Cease 2/4 it may hold an RFC 9003 shutdown text."""

    code: int
    subcode: int = 0
    data: bytes = b""


@dataclass(frozen=True)
class RouteRefresh:
    """RFC 2918 §3, RFC 7313 §3 (subtype 0 normal, 1 BoRR, 2 EoRR)."""

    afi: int
    safi: int
    subtype: int = 0


@dataclass(frozen=True)
class Update:
    """RFC 4271 §4.3. ``attributes`` are decoded path attributes (see ``attributes.py``).

    ``withdrawn`` and ``nlri`` are the IPv4 prefixes of the classic fields, as strings
    ('10.0.0.0/24'); MP_REACH/MP_UNREACH live among the attributes.
    ``treat_as_withdraw`` is set by the decoder when RFC 7606 says so; ``discarded`` lists
    attribute type codes the decoder dropped under attribute-discard.

    The fast path (``CodecContext.raw_nlri``): ``withdrawn_raw`` and ``nlri_raw`` carry the
    prefixes in their NLRI encoding instead of text. Decoded, each item is one prefix (host
    bits cleared); to encode, each item may be any run of whole encoded prefixes, which the
    encoder copies as is. A message uses one form or the other, not both.
    """

    withdrawn: tuple[str, ...] = ()
    attributes: tuple[object, ...] = ()
    nlri: tuple[str, ...] = ()
    treat_as_withdraw: bool = False
    discarded: tuple[int, ...] = field(default=())
    withdrawn_raw: tuple[bytes, ...] = ()
    nlri_raw: tuple[bytes, ...] = ()


Message = Open | Update | Notification | Keepalive | RouteRefresh
