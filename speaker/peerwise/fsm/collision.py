"""Connection collision detection (RFC 4271 §6.8, RFC 6286 §2.3).

When both speakers connect at once there are two connections for one peer. Once the
peer's BGP Identifier is known (from the OPEN received on either), both speakers apply
the same rule and so close the same connection, sending Cease / Connection Collision
Resolution on it. The driver calls :func:`collision_loser` and feeds ``CollisionLost`` to
the losing connection's FSM. An Established connection always wins (§6.8).
"""

from __future__ import annotations

import enum
import ipaddress


class Direction(enum.Enum):
    """Who opened the TCP connection."""

    OUTBOUND = "outbound"  # we connected to the peer
    INBOUND = "inbound"  # the peer connected to us


def collision_loser(local_id: str, local_as: int, remote_id: str, remote_as: int) -> Direction:
    """The connection to close.

    RFC 4271 §6.8: if our BGP Identifier is lower, close the connection we opened;
    otherwise close the one the peer opened. RFC 6286 §2.3: with equal identifiers
    (possible across ASes) the speaker with the larger AS number keeps its connection.
    """
    local = (int(ipaddress.IPv4Address(local_id)), local_as)
    remote = (int(ipaddress.IPv4Address(remote_id)), remote_as)
    return Direction.OUTBOUND if local < remote else Direction.INBOUND
