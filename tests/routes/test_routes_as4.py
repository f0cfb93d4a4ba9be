"""RFC 6793 with OLD speakers, end to end: scripted peers (``rawpeer``) that do not advertise
the 4-octet AS capability (code 65) talk to a real ``peerwised``.

- An OLD neighbor sends AS_PATH [65042 AS_TRANS] + AS4_PATH [4200000001]: the Loc-RIB holds
  the real path 65042 4200000001 (§4.2.3), and the UPDATE is not counted as discarded.
- A malformed AS4_PATH is discarded and the route kept with its AS_PATH (§6, RFC 7606).
- ``peerwised`` passes the route to another OLD neighbor as AS_PATH [65001 65042 AS_TRANS]
  + AS4_PATH [65001 65042 4200000001] (§4.2.2), read here octet by octet as received, and to
  a NEW neighbor as a 4-octet AS_PATH without AS4_PATH (§4.1).

``peerwised`` is 127.0.100.1, AS 65001; the neighbors are 127.0.100.10-12.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from interop.peers import Neighbor
from interop.speaker import Peerwised, assert_installed
from probes import eventually, loc_rib, messages
from rawpeer import RawPeer, attr, ipv4_prefix, update_body

from peerwise.wire.attributes import AsPath
from peerwise.wire.capabilities import FourOctetAs
from peerwise.wire.codec import Framer, decode
from peerwise.wire.context import TWO_OCTET_CONTEXT
from peerwise.wire.messages import Message, MessageType, Open, Update
from peerwise.wire.update import routes

PW, ASN = "127.0.100.1", 65001
SENDER = ("127.0.100.10", 65042)  # OLD, sends the routes
OLD_RECEIVER = ("127.0.100.11", 65043)  # OLD, gets them re-advertised
NEW_RECEIVER = ("127.0.100.12", 65044)  # NEW, the same
BIG = 4200000001
WELL_KNOWN, OPTIONAL_TRANSITIVE = 0x40, 0xC0

ORIGIN = attr(WELL_KNOWN, 1, b"\x00")  # ORIGIN IGP
AS_PATH = attr(WELL_KNOWN, 2, b"\x02\x02\xfe\x12\x5b\xa0")  # AS_SEQUENCE 65042 AS_TRANS
NEXT_HOP = attr(WELL_KNOWN, 3, socket.inet_aton("198.18.0.100"))  # NEXT_HOP 198.18.0.100
AS4_PATH = attr(OPTIONAL_TRANSITIVE, 17, b"\x02\x01\xfa\x56\xea\x01")  # AS_SEQUENCE 4200000001
BAD_AS4_PATH = attr(OPTIONAL_TRANSITIVE, 17, b"\x02\x02\xfa\x56\xea\x01")  # count 2, one AS
GOOD_PREFIX, BAD_PREFIX = "10.100.1.0/24", "10.100.2.0/24"

pytestmark = pytest.mark.interop


class _RecordingFramer(Framer):
    """A Framer that keeps every frame as received, for reading the octets afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[bytes] = []

    def feed(self, data: bytes) -> list[bytes]:
        frames = super().feed(data)
        self.frames += frames
        return frames


class OldPeer(RawPeer):
    """A RawPeer that is an OLD speaker: no 4-octet AS capability, 2-octet AS numbers."""

    def __init__(self, address: str, asn: int, remote: str) -> None:
        super().__init__(address, asn, remote)
        self.ctx = TWO_OCTET_CONTEXT
        self.framer = _RecordingFramer()

    def send(self, message: Message) -> None:
        if isinstance(message, Open):
            caps = tuple(c for c in message.capabilities if not isinstance(c, FourOctetAs))
            message = replace(message, capabilities=caps)
        super().send(message)


def _path_attributes(frame: bytes) -> dict[int, bytes]:
    """An UPDATE message's path attributes as sent: type code -> value octets."""
    body = frame[19:]
    wlen = int.from_bytes(body[0:2], "big")
    alen = int.from_bytes(body[2 + wlen : 4 + wlen], "big")
    data, found, i = body[4 + wlen : 4 + wlen + alen], {}, 0
    while i < len(data):
        flags, code = data[i], data[i + 1]
        head = 4 if flags & 0x10 else 3
        length = int.from_bytes(data[i + 2 : i + head], "big")
        found[code] = data[i + head : i + head + length]
        i += head + length
    return found


@pytest.fixture(scope="module")
def pw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peerwised]:
    assert_installed()
    neighbors = [
        Neighbor(address, asn, passive=True)
        for address, asn in (SENDER, OLD_RECEIVER, NEW_RECEIVER)
    ]
    sockets = Path(tempfile.mkdtemp(prefix="pw"))
    daemon = Peerwised(tmp_path_factory.mktemp("as4"), sockets, PW, ASN, neighbors)
    try:
        daemon.start()
        daemon.wait_ready()
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="module")
def sender(pw: Peerwised) -> Iterator[OldPeer]:
    """The OLD neighbor, its two routes sent: one with a good AS4_PATH, one with a bad one."""
    peer = OldPeer(*SENDER, PW)
    try:
        peer.connect()
        peer.send_update(
            update_body(ORIGIN + AS_PATH + NEXT_HOP + AS4_PATH, ipv4_prefix(GOOD_PREFIX))
        )
        peer.send_update(
            update_body(ORIGIN + AS_PATH + NEXT_HOP + BAD_AS4_PATH, ipv4_prefix(BAD_PREFIX))
        )
        eventually(lambda: loc_rib(pw, GOOD_PREFIX) and loc_rib(pw, BAD_PREFIX), "both routes")
        yield peer
    finally:
        peer.close()


def _received_update(peer: RawPeer, prefix: str) -> Update:
    while True:
        update = peer.expect(Update, 15)
        assert isinstance(update, Update)
        if prefix in routes(update)[0].get((1, 1), ()):
            return update


def test_the_loc_rib_holds_the_real_path(pw: Peerwised, sender: OldPeer) -> None:
    """RFC 6793 §4.2.3: AS_PATH [65042 AS_TRANS] + AS4_PATH [4200000001]."""
    negotiated = pw.neighbor(sender.address)["state"]["supported-capabilities"]
    assert "ROUTE_REFRESH" in negotiated and "ASN32" not in negotiated  # a 2-octet session
    (route,) = loc_rib(pw, GOOD_PREFIX)
    assert route["as-path"] == f"65042 {BIG}"
    assert messages(pw, sender.address)["received"]["DISCARDED"] == 1  # the bad AS4_PATH only


def test_a_malformed_as4_path_is_discarded_and_the_route_kept(
    pw: Peerwised, sender: OldPeer
) -> None:
    """RFC 6793 §6: attribute discard; the AS_PATH (with AS_TRANS) is the path."""
    (route,) = loc_rib(pw, BAD_PREFIX)
    assert route["as-path"] == "65042 23456"


def test_an_old_neighbor_gets_as_trans_and_as4_path(pw: Peerwised, sender: OldPeer) -> None:
    """RFC 6793 §4.2.2, the octets as the OLD neighbor receives them."""
    peer = OldPeer(*OLD_RECEIVER, PW)
    try:
        peer.connect()
        update = _received_update(peer, GOOD_PREFIX)
        frames = [f for f in peer.framer.frames if f[18] == MessageType.UPDATE]
        (frame,) = [f for f in frames if decode(f, TWO_OCTET_CONTEXT) == update]
    finally:
        peer.close()
    sent = _path_attributes(frame)
    assert sent[2] == bytes([0x02, 0x03, 0xFD, 0xE9, 0xFE, 0x12, 0x5B, 0xA0])
    #                        AS_SEQUENCE of 3: 65001 65042 AS_TRANS (2 octets each)
    assert sent[17] == bytes([0x02, 0x03, 0x00, 0x00, 0xFD, 0xE9, 0x00, 0x00, 0xFE, 0x12,
                              0xFA, 0x56, 0xEA, 0x01])  # fmt: skip
    #                         AS4_PATH AS_SEQUENCE of 3: 65001 65042 4200000001
    assert frame[frame.index(sent[17]) - 3] == OPTIONAL_TRANSITIVE  # AS4_PATH flags
    assert update.attributes[1] == AsPath.sequence(ASN, 65042, BIG)  # and read back whole


def test_a_new_neighbor_gets_a_4_octet_path_only(pw: Peerwised, sender: OldPeer) -> None:
    """RFC 6793 §4.1: no AS4_PATH between NEW speakers."""
    peer = RawPeer(*NEW_RECEIVER, PW)
    try:
        peer.connect()
        update = _received_update(peer, GOOD_PREFIX)
    finally:
        peer.close()
    assert update.attributes[1] == AsPath.sequence(ASN, 65042, BIG)
    assert update.discarded == ()  # an AS4_PATH would have been discarded and listed here
