"""Capability values and their codecs (RFC 5492 §4), one small class per capability code.

Each class knows its code, its name in the model (docs/ARCHITECTURE.md, the ``CAP`` table),
how to read its value octets (``decode_value``) and write them (``encode_value``), and how to
show itself (``to_state``). :data:`CAPABILITIES` maps code to class; a code not in it becomes
an :class:`UnknownCapability`, kept and shown by code. A value of the wrong size raises
``BGPError`` OPEN Message Error / Unspecific.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, ClassVar

from peerwise.wire.errors import BGPError, ErrorCode, OpenSubcode
from peerwise.wire.families import Family, afi_name, family_name

State = dict[str, Any]


def _malformed(cap: str, value: bytes) -> BGPError:
    return BGPError(
        ErrorCode.OPEN_MESSAGE,
        OpenSubcode.UNSPECIFIC,
        reason=f"malformed {cap} capability: {len(value)} octets {value.hex()}",
    )


@dataclass(frozen=True)
class Capability:
    """Base of every capability value."""

    CODE: ClassVar[int] = -1
    NAME: ClassVar[str] = "UNKNOWN"

    @property
    def type_code(self) -> int:
        return self.CODE

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        """Capabilities without a value (RFC 2918, 7313, 8654): the value must be empty."""
        if value:
            raise _malformed(cls.NAME, value)
        return cls()

    def encode_value(self) -> bytes:
        return b""

    def to_state(self) -> State:
        """The ``CAP`` dict of docs/ARCHITECTURE.md: name, code, values."""
        return {"name": self.NAME, "code": self.type_code, **self._values()}

    def _values(self) -> State:
        return {}


@dataclass(frozen=True)
class Multiprotocol(Capability):
    """RFC 4760 §8: AFI (2 octets), reserved, SAFI."""

    CODE: ClassVar[int] = 1
    NAME: ClassVar[str] = "MPBGP"
    afi: int
    safi: int

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        if len(value) != 4:
            raise _malformed(cls.NAME, value)
        afi, _, safi = struct.unpack(">HBB", value)
        return cls(afi, safi)

    def encode_value(self) -> bytes:
        return struct.pack(">HBB", self.afi, 0, self.safi)

    @property
    def family(self) -> Family:
        return (self.afi, self.safi)

    def _values(self) -> State:
        return {"afi-safi": family_name(self.afi, self.safi)}


@dataclass(frozen=True)
class RouteRefreshCapability(Capability):
    """RFC 2918 §2."""

    CODE: ClassVar[int] = 2
    NAME: ClassVar[str] = "ROUTE_REFRESH"


@dataclass(frozen=True)
class ExtendedNextHop(Capability):
    """RFC 8950 §3: tuples of (NLRI AFI, NLRI SAFI, next-hop AFI), 2 octets each."""

    CODE: ClassVar[int] = 5
    NAME: ClassVar[str] = "EXTENDED_NEXTHOP"
    tuples: tuple[tuple[int, int, int], ...] = ()

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        if len(value) % 6:
            raise _malformed(cls.NAME, value)
        return cls(tuple(struct.iter_unpack(">HHH", value)))

    def encode_value(self) -> bytes:
        return b"".join(struct.pack(">HHH", *entry) for entry in self.tuples)

    def _values(self) -> State:
        return {
            "tuples": [
                {"afi-safi": family_name(afi, safi), "nexthop-afi": afi_name(nh_afi)}
                for afi, safi, nh_afi in self.tuples
            ]
        }


@dataclass(frozen=True)
class ExtendedMessage(Capability):
    """RFC 8654 §3."""

    CODE: ClassVar[int] = 6
    NAME: ClassVar[str] = "EXTENDED_MESSAGE"


@dataclass(frozen=True)
class GracefulRestart(Capability):
    """RFC 4724 §3: 4 bits of flags, 12 bits of restart time, then (AFI, SAFI, flags) each."""

    CODE: ClassVar[int] = 64
    NAME: ClassVar[str] = "GRACEFUL_RESTART"
    restart_time: int = 0
    flags: int = 0
    families: tuple[tuple[int, int, int], ...] = ()

    def __post_init__(self) -> None:
        if not (0 <= self.restart_time <= 0xFFF and 0 <= self.flags <= 0xF):
            raise ValueError("graceful restart: restart time is 12 bits and flags 4 bits")

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        if len(value) < 2 or (len(value) - 2) % 4:
            raise _malformed(cls.NAME, value)
        head = int.from_bytes(value[:2], "big")
        return cls(head & 0xFFF, head >> 12, tuple(struct.iter_unpack(">HBB", value[2:])))

    def encode_value(self) -> bytes:
        head = (self.flags << 12 | self.restart_time).to_bytes(2, "big")
        return head + b"".join(struct.pack(">HBB", *entry) for entry in self.families)

    def _values(self) -> State:
        # The model's leaf-list holds the families whose forwarding state is preserved;
        # an empty one is left out, as the model has no empty leaf-lists.
        values: State = {"restart-time": self.restart_time, "restart-flags": self.flags}
        if self.families:
            values["afi-safis"] = [family_name(afi, safi) for afi, safi, _ in self.families]
        return values


@dataclass(frozen=True)
class FourOctetAs(Capability):
    """RFC 6793 §3: code 65."""

    CODE: ClassVar[int] = 65
    NAME: ClassVar[str] = "ASN32"
    asn: int

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        if len(value) != 4:
            raise _malformed(cls.NAME, value)
        return cls(int.from_bytes(value, "big"))

    def encode_value(self) -> bytes:
        return self.asn.to_bytes(4, "big")

    def _values(self) -> State:
        return {"as": self.asn}


@dataclass(frozen=True)
class EnhancedRouteRefresh(Capability):
    """RFC 7313 §3."""

    CODE: ClassVar[int] = 70
    NAME: ClassVar[str] = "ENHANCED_ROUTE_REFRESH"


@dataclass(frozen=True)
class Fqdn(Capability):
    """draft-walton-bgp-hostname-capability: length-prefixed host name, then domain name."""

    CODE: ClassVar[int] = 73
    NAME: ClassVar[str] = "FQDN"
    hostname: str = ""
    domain: str = ""

    @classmethod
    def decode_value(cls, value: bytes) -> Capability:
        if not value or len(value) < 1 + value[0] + 1:
            raise _malformed(cls.NAME, value)
        host_end = 1 + value[0]
        domain_end = host_end + 1 + value[host_end]
        if domain_end != len(value):
            raise _malformed(cls.NAME, value)
        host = value[1:host_end].decode("utf-8", "replace")
        return cls(host, value[host_end + 1 : domain_end].decode("utf-8", "replace"))

    def encode_value(self) -> bytes:
        host, domain = self.hostname.encode(), self.domain.encode()
        return bytes((len(host),)) + host + bytes((len(domain),)) + domain

    def _values(self) -> State:
        return {"hostname": self.hostname, "domain": self.domain}


@dataclass(frozen=True)
class UnknownCapability(Capability):
    """Any other code (RFC 5492 §3: ignored, but kept so that the state can show it)."""

    code: int
    value: bytes = b""

    @property
    def type_code(self) -> int:
        return self.code

    def encode_value(self) -> bytes:
        return self.value

    def _values(self) -> State:
        return {"value": self.value.hex()}


CAPABILITIES: dict[int, type[Capability]] = {
    cls.CODE: cls
    for cls in (
        Multiprotocol,
        RouteRefreshCapability,
        ExtendedNextHop,
        ExtendedMessage,
        GracefulRestart,
        FourOctetAs,
        EnhancedRouteRefresh,
        Fqdn,
    )
}


def decode_capabilities(data: bytes) -> tuple[Capability, ...]:
    """The capabilities of one optional parameter of type 2 (RFC 5492 §4)."""
    caps: list[Capability] = []
    i, end = 0, len(data)
    while i < end:
        if i + 2 > end or i + 2 + data[i + 1] > end:
            raise BGPError(
                ErrorCode.OPEN_MESSAGE, OpenSubcode.UNSPECIFIC, reason="truncated capability"
            )
        code, length = data[i], data[i + 1]
        value = data[i + 2 : i + 2 + length]
        cls = CAPABILITIES.get(code)
        caps.append(cls.decode_value(value) if cls else UnknownCapability(code, value))
        i += 2 + length
    return tuple(caps)


def encode_capability(cap: Capability) -> bytes:
    value = cap.encode_value()
    if len(value) > 255:
        raise ValueError(f"{cap.NAME} capability value exceeds 255 octets")
    return bytes((cap.type_code, len(value))) + value
