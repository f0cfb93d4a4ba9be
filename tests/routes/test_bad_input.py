"""Bad input from a neighbor (RFC 7606, RFC 4271 §9.1.2): a scripted speaker on the wire codec
(``rawpeer``) announces a route, then sends the same prefix again with one thing wrong, and
``peerwised`` must apply the action the RFC names for it:

- treat-as-withdraw: the prefix leaves the RIB, the session stays up, DISCARDED counts it;
- attribute-discard: the route stays (the bad attribute dropped), DISCARDED counts it;
- session reset: a NOTIFICATION (UPDATE Message Error and the RFC's subcode), the session
  goes down and its routes with it;
- our own AS in the AS_PATH: the route is ignored and counted (``as-loop``).

Each row has its own neighbor address (127.0.91.x), so that a reset in one row leaves the
others alone. ``peerwised`` is 127.0.91.1, AS 65001; the neighbors are AS 65091.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop.peers import Neighbor
from interop.speaker import Peerwised, assert_installed
from probes import eventually, loc_rib, messages, rib_counters
from rawpeer import RawPeer, attr, ipv4_prefix, update_body

from peerwise.wire.messages import Notification

PW, ASN, PEER_AS = "127.0.91.1", 65001, 65091
WELL_KNOWN, OPTIONAL, OPTIONAL_TRANSITIVE, EXT = 0x40, 0x80, 0xC0, 0x10

ORIGIN_IGP = attr(WELL_KNOWN, 1, b"\x00")  # ORIGIN: IGP
AS_PATH = attr(WELL_KNOWN, 2, b"\x02\x01" + PEER_AS.to_bytes(4, "big"))  # AS_SEQUENCE [65091]
NEXT_HOP = attr(WELL_KNOWN, 3, socket.inet_aton("198.18.0.91"))  # NEXT_HOP 198.18.0.91
GOOD = ORIGIN_IGP + AS_PATH + NEXT_HOP

TAW, DISCARD, RESET, AS_LOOP = "treat-as-withdraw", "attribute-discard", "session-reset", "as-loop"
UPDATE_ERROR, OPTIONAL_ATTRIBUTE_ERROR = 3, 9  # RFC 4271 §4.5, §6.3

# (test id, attributes of the second announcement, expected action)
ROWS = [
    ("undefined ORIGIN value 7",  # RFC 7606 §7.1
     attr(WELL_KNOWN, 1, b"\x07") + AS_PATH + NEXT_HOP, TAW),
    ("ORIGIN flagged optional",  # RFC 7606 §3.c: flags error -> the attribute's action
     attr(OPTIONAL, 1, b"\x00") + AS_PATH + NEXT_HOP, TAW),
    ("AS_PATH segment overruns",  # RFC 7606 §7.2: count 2, one AS present
     ORIGIN_IGP + attr(WELL_KNOWN, 2, b"\x02\x02" + PEER_AS.to_bytes(4, "big")) + NEXT_HOP,
     TAW),
    ("AS_PATH missing",  # RFC 7606 §3.d
     ORIGIN_IGP + NEXT_HOP, TAW),
    ("MULTI_EXIT_DISC of 3 octets",  # RFC 7606 §7.4
     GOOD + attr(OPTIONAL, 4, b"\x00\x00\x07"), TAW),
    ("COMMUNITIES of 6 octets",  # RFC 7606 §7.8
     GOOD + attr(OPTIONAL_TRANSITIVE, 8, b"\xfe\x43\x00\x01\x00\x00"), TAW),
    ("ATOMIC_AGGREGATE of 1 octet",  # RFC 7606 §7.6
     GOOD + attr(WELL_KNOWN, 6, b"\x01"), DISCARD),
    ("AGGREGATOR of 5 octets",  # RFC 7606 §7.7
     GOOD + attr(OPTIONAL_TRANSITIVE, 7, b"\x00\x00\xfe\x43\x01"), DISCARD),
    ("MP_REACH_NLRI next hop of 5 octets",  # RFC 7606 §7.11
     GOOD + attr(OPTIONAL | EXT, 14, b"\x00\x02\x01\x05" + bytes(5) + b"\x00\x20\x20\x01\x0d\xb8"),
     RESET),
    ("our own AS in the AS_PATH",  # RFC 4271 §9.1.2
     ORIGIN_IGP + attr(WELL_KNOWN, 2, b"\x02\x02" + PEER_AS.to_bytes(4, "big")
                       + ASN.to_bytes(4, "big")) + NEXT_HOP, AS_LOOP),
]  # fmt: skip
ADDRESSES = {row[0]: f"127.0.91.{10 + i}" for i, row in enumerate(ROWS)}

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def pw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peerwised]:
    assert_installed()
    neighbors = [Neighbor(address, PEER_AS, passive=True) for address in ADDRESSES.values()]
    sockets = Path(tempfile.mkdtemp(prefix="pw"))
    daemon = Peerwised(tmp_path_factory.mktemp("badinput"), sockets, PW, ASN, neighbors)
    try:
        daemon.start()
        daemon.wait_ready()
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture
def raw(request: pytest.FixtureRequest, pw: Peerwised) -> Iterator[RawPeer]:
    peer = RawPeer(ADDRESSES[request.node.callspec.id], PEER_AS, PW)
    try:
        yield peer
    finally:
        peer.close()


def established(pw: Peerwised, address: str) -> bool:
    return pw.session_state(address) == "ESTABLISHED"


@pytest.mark.parametrize(("bad", "action"), [row[1:] for row in ROWS], ids=[r[0] for r in ROWS])
def test_a_malformed_update_gets_its_rfc_action(
    pw: Peerwised, raw: RawPeer, bad: bytes, action: str
) -> None:
    prefix = f"10.91.{raw.address.rsplit('.', 1)[1]}.0/24"
    raw.connect()
    raw.send_update(update_body(GOOD, ipv4_prefix(prefix)))
    eventually(lambda: loc_rib(pw, prefix), f"{prefix} in the Loc-RIB")
    before = messages(pw, raw.address)["received"]
    raw.send_update(update_body(bad, ipv4_prefix(prefix)))
    if action == RESET:
        note = raw.expect(Notification, 10)
        assert isinstance(note, Notification)
        assert (note.code, note.subcode) == (UPDATE_ERROR, OPTIONAL_ATTRIBUTE_ERROR)
        eventually(lambda: not established(pw, raw.address), "the session down")
        assert not loc_rib(pw, prefix)
        return
    if action == DISCARD:
        eventually(lambda: messages(pw, raw.address)["received"]["UPDATE"] > before["UPDATE"],
                   "the UPDATE counted")  # fmt: skip
        assert loc_rib(pw, prefix), "attribute-discard keeps the route"
    else:
        eventually(lambda: not loc_rib(pw, prefix), f"{prefix} gone from the Loc-RIB")
    after = messages(pw, raw.address)["received"]
    assert established(pw, raw.address) and not raw.closed
    counters = rib_counters(pw, raw.address)
    if action == AS_LOOP:
        assert counters["as-loop"] == 1 and counters["received"] == 1
        assert counters["accepted"] == 0
        assert after["DISCARDED"] == before["DISCARDED"]
    else:
        assert after["DISCARDED"] == before["DISCARDED"] + 1
        assert counters["as-loop"] == 0
        assert counters["received"] == (action == DISCARD)
