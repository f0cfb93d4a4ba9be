"""RFC 6793 through the RIB: an OLD (2-octet AS) neighbor's route is stored with its real
path (§4.2.3), loops are found in it, and it goes out to an OLD neighbor as AS_TRANS plus
AS4_PATH (§4.2.2) and to a NEW one as plain 4-octet AS_PATH (§4.1) — on the RIB's own
encoder (:class:`UpdateWriter`), the bytes the session sends.
"""

from __future__ import annotations

import pytest
from rib_helpers import ROUTER_ID

from peerwise.rib import PeerConfig, Rib, UpdateWriter, apply_update, prefix_key
from peerwise.wire.attributes import AsPath
from peerwise.wire.codec import decode
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST
from peerwise.wire.messages import Update
from peerwise.wire.update import routes

LOCAL_AS, OLD_AS, NEW_AS, BIG = 65001, 65042, 4200000042, 4200000001
OLD = CodecContext(four_octet_as=False, raw_nlri=True)
NEW = CodecContext(raw_nlri=True)
PREFIX = "10.42.0.0/16"
OLD_UPDATE = bytes([
    *[0xFF] * 16, 0x00, 0x37, 0x02,  # marker, length 55, UPDATE
    0x00, 0x00,  # no withdrawn routes
    0x00, 0x1D,  # path attributes, 29 octets
    0x40, 0x01, 0x01, 0x00,  # ORIGIN IGP
    0x40, 0x02, 0x06, 0x02, 0x02, 0xFE, 0x12, 0x5B, 0xA0,  # AS_PATH 65042 AS_TRANS (2 octets)
    0x40, 0x03, 0x04, 0xC0, 0x00, 0x02, 0x2A,  # NEXT_HOP 192.0.2.42
    0xC0, 0x11, 0x06, 0x02, 0x01, 0xFA, 0x56, 0xEA, 0x01,  # AS4_PATH 4200000001
    0x10, 0x0A, 0x2A,  # NLRI 10.42.0.0/16
])  # fmt: skip


def _rib(local_as: int = LOCAL_AS) -> Rib:
    return Rib(local_as, ROUTER_ID)


def test_an_old_neighbors_route_has_its_real_path_in_the_loc_rib() -> None:
    rib = _rib()
    old = rib.add_peer(PeerConfig("192.0.2.42", OLD_AS, "192.0.2.42", "192.0.2.1"))
    update = decode(OLD_UPDATE, OLD)
    assert isinstance(update, Update)
    apply_update(rib, old, update)
    best = rib.best(IPV4_UNICAST, prefix_key(PREFIX))
    assert best is not None
    assert best.attrs.as_path == AsPath.sequence(OLD_AS, BIG)
    assert best.attrs.other == ()  # AS4_PATH is not carried as a passed-on attribute


def test_our_own_4_octet_as_hidden_in_as4_path_is_a_loop() -> None:
    """RFC 6793 §4.2.3: the reconstructed path is the one checked for loops."""
    rib = _rib(local_as=BIG)
    old = rib.add_peer(PeerConfig("192.0.2.42", OLD_AS, "192.0.2.42", "192.0.2.1"))
    update = decode(OLD_UPDATE, OLD)
    assert isinstance(update, Update)
    apply_update(rib, old, update)
    assert rib.best(IPV4_UNICAST, prefix_key(PREFIX)) is None
    assert rib.counters(old, IPV4_UNICAST).as_loop == 1


def _attributes(frame: bytes) -> dict[int, bytes]:
    """The path attributes of one UPDATE message as sent: type code -> value octets."""
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


# (neighbor, its codec context, AS_PATH value as sent, AS4_PATH value as sent)
EXPORTS = [
    ("old", OLD,
     bytes([0x02, 0x03, 0xFD, 0xE9, 0xFE, 0x12, 0x5B, 0xA0]),  # 65001 65042 AS_TRANS
     bytes([0x02, 0x03, 0x00, 0x00, 0xFD, 0xE9, 0x00, 0x00, 0xFE, 0x12,
            0xFA, 0x56, 0xEA, 0x01])),  # AS4_PATH 65001 65042 4200000001
    ("new", NEW,
     bytes([0x02, 0x03, 0x00, 0x00, 0xFD, 0xE9, 0x00, 0x00, 0xFE, 0x12,
            0xFA, 0x56, 0xEA, 0x01]),  # 65001 65042 4200000001 in 4 octets
     None),  # RFC 6793 §4.1: no AS4_PATH between NEW speakers
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "ctx", "as_path", "as4_path"), EXPORTS, ids=[e[0] for e in EXPORTS]
)
def test_re_advertised_to_old_and_new_neighbors(
    name: str, ctx: CodecContext, as_path: bytes, as4_path: bytes | None
) -> None:
    rib = _rib()
    old = rib.add_peer(PeerConfig("192.0.2.42", OLD_AS, "192.0.2.42", "192.0.2.1"))
    out_peer = rib.add_peer(PeerConfig("192.0.2.7", 65007, "192.0.2.7", "192.0.2.1"))
    update = decode(OLD_UPDATE, OLD)
    assert isinstance(update, Update)
    (change,) = apply_update(rib, old, update)
    (frame,) = UpdateWriter(ctx).frames(rib.export(out_peer, change))
    sent = _attributes(frame)
    assert (sent[2], sent.get(17)) == (as_path, as4_path)
    back = decode(frame, ctx)  # and the neighbor, if it were Peerwise, reads the real path
    assert isinstance(back, Update)
    assert routes(back)[0] == {IPV4_UNICAST: (PREFIX,)}
    assert back.attributes[1] == AsPath.sequence(LOCAL_AS, OLD_AS, BIG)
