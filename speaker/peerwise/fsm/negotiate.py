"""Session settings, OPEN checks and the negotiated result (RFC 4271 §4.2, §6.2, §10).

``check_open`` says whether a received OPEN is acceptable (returning the NOTIFICATION
that refuses it); ``negotiate`` folds both OPENs into :class:`Negotiated`, which the
driver uses to set its codec context once the session is up.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from peerwise.fsm.capneg import CapabilityResult, negotiate_capabilities
from peerwise.wire.capabilities import Capability
from peerwise.wire.errors import ErrorCode, OpenSubcode
from peerwise.wire.messages import AS_TRANS, BGP_VERSION, Notification, Open

LARGE_HOLD_TIME = 240  # RFC 4271 §8.2.2: hold timer while waiting for the peer's OPEN


def _valid_hold(seconds: int) -> bool:
    return seconds == 0 or 3 <= seconds <= 65535  # RFC 4271 §4.2


@dataclass(frozen=True)
class Settings:
    """What one session is configured with (the model's neighbor, flattened)."""

    local_as: int
    peer_as: int
    router_id: str
    hold_time: int = 90
    keepalive: int = 30
    connect_retry: int = 30
    passive: bool = False
    capabilities: tuple[Capability, ...] = ()

    def __post_init__(self) -> None:
        if not _valid_hold(self.hold_time):
            raise ValueError(f"hold-time {self.hold_time}: must be 0 or 3..65535 (RFC 4271 §4.2)")
        if self.keepalive < 0 or self.connect_retry < 1:
            raise ValueError("keepalive must be >= 0 and connect-retry >= 1")
        for asn in (self.local_as, self.peer_as):
            if not 1 <= asn <= 0xFFFFFFFF:
                raise ValueError(f"AS {asn} out of range")
        ipaddress.IPv4Address(self.router_id)

    def open_message(self) -> Open:
        """Our OPEN (RFC 4271 §4.2; RFC 6793 §4.1: AS_TRANS when the AS needs 4 octets)."""
        my_as = self.local_as if self.local_as <= 0xFFFF else AS_TRANS
        return Open(my_as, self.hold_time, self.router_id, self.capabilities)


@dataclass(frozen=True)
class Negotiated:
    """The result of both OPENs: timers (RFC 4271 §4.2, §10) and capabilities."""

    hold_time: int
    keepalive: int
    peer_as: int
    peer_id: str
    capabilities: CapabilityResult = field(default_factory=CapabilityResult)


def _refuse(subcode: OpenSubcode, data: bytes = b"") -> Notification:
    return Notification(ErrorCode.OPEN_MESSAGE, subcode, data)


def check_open(settings: Settings, peer: Open) -> Notification | None:
    """The NOTIFICATION that refuses ``peer``'s OPEN, or None when it is acceptable."""
    if peer.version != BGP_VERSION:
        # RFC 4271 §6.2: data is the largest version we support, 2 octets.
        return _refuse(OpenSubcode.UNSUPPORTED_VERSION_NUMBER, BGP_VERSION.to_bytes(2, "big"))
    if peer.asn != settings.peer_as:
        # RFC 4271 §6.2: Bad Peer AS; data is the 2-octet My Autonomous System field.
        return _refuse(OpenSubcode.BAD_PEER_AS, (peer.my_as & 0xFFFF).to_bytes(2, "big"))
    if peer.hold_time in (1, 2):
        return _refuse(OpenSubcode.UNACCEPTABLE_HOLD_TIME)  # RFC 4271 §6.2
    if not _valid_identifier(settings, peer):
        return _refuse(OpenSubcode.BAD_BGP_IDENTIFIER)
    return None


def _valid_identifier(settings: Settings, peer: Open) -> bool:
    """RFC 6286 §2.2: zero is bad; our own is bad from an internal peer."""
    try:
        ident = ipaddress.IPv4Address(peer.bgp_identifier)
    except ValueError:
        return False
    if int(ident) == 0:
        return False
    internal = settings.local_as == settings.peer_as
    return not (internal and ident == ipaddress.IPv4Address(settings.router_id))


def negotiated_timers(settings: Settings, peer_hold: int) -> tuple[int, int]:
    """(hold, keepalive): hold is the smaller offer; keepalive at most a third of it.

    RFC 4271 §4.2 and §10: a hold time of 0 means no keepalives and no hold timer.
    """
    hold = min(settings.hold_time, peer_hold)
    if hold == 0:
        return 0, 0
    third = hold // 3
    keepalive = min(settings.keepalive, third) if settings.keepalive else third
    return hold, max(keepalive, 1)


def negotiate(settings: Settings, peer: Open) -> Negotiated:
    """Fold our settings and an accepted OPEN into the session's parameters."""
    hold, keepalive = negotiated_timers(settings, peer.hold_time)
    caps = negotiate_capabilities(settings.capabilities, peer.capabilities)
    return Negotiated(hold, keepalive, peer.asn, peer.bgp_identifier, caps)
