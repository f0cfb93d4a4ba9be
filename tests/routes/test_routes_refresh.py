"""Enhanced route refresh, receiving side (RFC 7313 §4), end to end: a scripted neighbor
(``rawpeer``) sends routes A and B, then BoRR, A again, EoRR. With enhanced route refresh
negotiated (capability 70) B leaves ``peerwised``'s Loc-RIB and A stays; without it the
BoRR and EoRR are ignored and both stay.

``peerwised`` is 127.0.120.1, AS 65001; the neighbors are 127.0.120.x, AS 65120. Each row
also sends a last prefix C after the EoRR: once C is in the Loc-RIB, the markers before it
on the same TCP stream have been handled.
"""

from __future__ import annotations

import dataclasses
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop.peers import Neighbor
from interop.speaker import Peerwised, assert_installed
from probes import eventually, loc_rib
from rawpeer import RawPeer, attr, ipv4_prefix, update_body

from peerwise.wire.capabilities import EnhancedRouteRefresh
from peerwise.wire.messages import Message, Open, RouteRefresh

PW, ASN, PEER_AS = "127.0.120.1", 65001, 65120
WELL_KNOWN = 0x40
ATTRS = (
    attr(WELL_KNOWN, 1, b"\x00")  # ORIGIN: IGP
    + attr(WELL_KNOWN, 2, b"\x02\x01" + PEER_AS.to_bytes(4, "big"))  # AS_SEQUENCE [65120]
    + attr(WELL_KNOWN, 3, socket.inet_aton("198.18.0.120"))  # NEXT_HOP
)
BORR, EORR = 1, 2  # RFC 7313 §3 subtypes

# (id, neighbor address, enhanced route refresh offered, B still in the Loc-RIB at the end)
ROWS = [
    ("enhanced: B purged on EoRR", "127.0.120.10", True, False),
    ("not negotiated: BoRR/EoRR ignored", "127.0.120.11", False, True),
]
ADDRESSES = [row[1] for row in ROWS]

pytestmark = pytest.mark.interop


class EnhancedPeer(RawPeer):
    """A RawPeer whose OPEN also offers enhanced route refresh (RFC 7313 §3)."""

    def send(self, message: Message) -> None:
        if isinstance(message, Open):
            caps = (*message.capabilities, EnhancedRouteRefresh())
            message = dataclasses.replace(message, capabilities=caps)
        super().send(message)


@pytest.fixture(scope="module")
def pw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peerwised]:
    assert_installed()
    neighbors = [Neighbor(address, PEER_AS, passive=True) for address in ADDRESSES]
    sockets = Path(tempfile.mkdtemp(prefix="pw"))
    daemon = Peerwised(tmp_path_factory.mktemp("refresh"), sockets, PW, ASN, neighbors)
    try:
        daemon.start()
        daemon.wait_ready()
        yield daemon
    finally:
        daemon.stop()


def _announce(raw: RawPeer, *prefixes: str) -> None:
    raw.send_update(update_body(ATTRS, b"".join(map(ipv4_prefix, prefixes))))


@pytest.mark.parametrize(("address", "enhanced", "b_stays"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])  # fmt: skip
def test_borr_eorr_from_the_neighbor(
    pw: Peerwised, address: str, enhanced: bool, b_stays: bool
) -> None:
    n = address.rsplit(".", 1)[1]
    a, b, c = (f"10.120.{n}.{i}/32" for i in (1, 2, 3))
    raw = (EnhancedPeer if enhanced else RawPeer)(address, PEER_AS, PW)
    try:
        raw.connect()
        _announce(raw, a, b)
        eventually(lambda: loc_rib(pw, a) and loc_rib(pw, b), f"{a} and {b} in the Loc-RIB")
        raw.send(RouteRefresh(1, 1, BORR))
        _announce(raw, a)
        raw.send(RouteRefresh(1, 1, EORR))
        _announce(raw, c)
        eventually(lambda: loc_rib(pw, c), f"{c} in the Loc-RIB")
        if b_stays:
            assert loc_rib(pw, b), f"{b} kept: no enhanced route refresh"
        else:
            eventually(lambda: not loc_rib(pw, b), f"{b} gone from the Loc-RIB")
        assert loc_rib(pw, a), f"{a} announced again: kept"
        assert not raw.closed
        ages = [route.get("age") for route in loc_rib(pw, a)]
        assert all(isinstance(age, int) and 0 <= age < 600 for age in ages), ages
    finally:
        raw.close()
