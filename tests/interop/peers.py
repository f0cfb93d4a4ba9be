"""The real peers: one class per Debian BGP speaker, and their shared vocabulary.

Usage::

    peer = FRR("127.0.20.2", 65002, [Neighbor("127.0.20.1", 65001, hold_time=6)])
    peer.start(tmp_path)
    peer.wait_established("127.0.20.1", timeout=20)
    peer.neighbor_state("127.0.20.1")  # {'state', 'received_capabilities', 'last_error',
    peer.stop()                        #  'messages_received'}
"""

from __future__ import annotations

from .peer_base import (
    CAPABILITY_NAMES,
    FAMILY_NAMES,
    Neighbor,
    Peer,
    canonical_error,
    notification_text,
    poll,
)
from .peer_bird import BIRD
from .peer_exabgp import ExaBGP
from .peer_frr import FRR
from .peer_gobgp import GoBGP

PEER_TYPES: dict[str, type[Peer]] = {cls.name: cls for cls in (GoBGP, FRR, BIRD, ExaBGP)}

__all__ = [
    "BIRD",
    "CAPABILITY_NAMES",
    "FAMILY_NAMES",
    "FRR",
    "PEER_TYPES",
    "ExaBGP",
    "GoBGP",
    "Neighbor",
    "Peer",
    "canonical_error",
    "notification_text",
    "poll",
]
