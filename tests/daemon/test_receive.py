"""A hand-driven peer (the codec over a raw socket) feeds a Server: counters and Adj-RIB-In."""

from __future__ import annotations

import asyncio
from typing import Any

from speaker_helpers import DEADLINE

from peerwise.session import Server
from peerwise.wire.attributes import AsPath, MpReachNlri, NextHop, Origin
from peerwise.wire.capabilities import FourOctetAs, Multiprotocol, RouteRefreshCapability
from peerwise.wire.codec import Framer, decode, encode
from peerwise.wire.messages import Keepalive, Message, Open, RouteRefresh, Update

SERVER, PEER = "127.0.10.71", "127.0.10.72"
ATTRS = (Origin(), AsPath.sequence(65002), NextHop(PEER))
V6 = MpReachNlri(2, 1, "2001:db8::1", ("2001:db8:1::/48",))

# ORIGIN with the undefined value 5: RFC 7606 §7.1 says treat-as-withdraw.
BAD_ORIGIN_UPDATE = bytes.fromhex(
    "ffffffffffffffffffffffffffffffff"  # marker
    "002f" "02"                          # length 47, UPDATE
    "0000"                               # no withdrawn routes
    "0014"                               # 20 octets of path attributes
    "400101" "05"                        # ORIGIN, value 5: undefined
    "400206" "02010000fdea"              # AS_PATH: AS_SEQUENCE 65002 (4-octet AS)
    "400304" "7f000a48"                  # NEXT_HOP 127.0.10.72
    "180a0000"                           # NLRI 10.0.0.0/24
)  # fmt: skip


class FakePeer:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.framer = reader, writer, Framer()
        self.pending: list[bytes] = []

    def send(self, message: Message | bytes) -> None:
        self.writer.write(message if isinstance(message, bytes) else encode(message))

    async def receive(self) -> Message:
        while not self.pending:
            data = await asyncio.wait_for(self.reader.read(65536), DEADLINE)
            assert data, "the server closed the connection"
            self.pending += self.framer.feed(data)
        return decode(self.pending.pop(0))


def _config() -> dict[str, Any]:
    return {
        "global": {"config": {"as": 65001, "router-id": SERVER, "local-address-list": [SERVER]}},
        "neighbors": [{
            "config": {"neighbor-address": PEER, "peer-as": 65002},
            "transport": {"config": {"passive-mode": True}},
            "afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast"}},
                          {"config": {"afi-safi-name": "ipv6-unicast"}}],
        }],
    }  # fmt: skip


async def _wait(check: Any) -> None:
    end = asyncio.get_running_loop().time() + DEADLINE
    while not check():
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.02)


def test_updates_fill_the_adj_rib_in_and_counters() -> None:
    async def main() -> dict[str, Any]:
        server = Server(_config())
        await server.start()
        try:
            reader, writer = await asyncio.open_connection(SERVER, 179, local_addr=(PEER, 0))
            peer = FakePeer(reader, writer)
            caps = (
                Multiprotocol(1, 1),
                Multiprotocol(2, 1),
                RouteRefreshCapability(),
                FourOctetAs(65002),
            )
            peer.send(Open(65002, 90, PEER, caps))
            assert isinstance(await peer.receive(), Open)
            assert isinstance(await peer.receive(), Keepalive)
            peer.send(Keepalive())
            eors = [await peer.receive(), await peer.receive()]  # one End-of-RIB per family
            assert all(isinstance(m, Update) for m in eors)
            peer.send(Update(nlri=("10.0.0.0/24", "10.0.1.0/24"), attributes=ATTRS))
            peer.send(Update(attributes=(*ATTRS, V6)))
            peer.send(Update(withdrawn=("10.0.1.0/24",)))
            peer.send(BAD_ORIGIN_UPDATE)  # withdraws 10.0.0.0/24
            peer.send(RouteRefresh(1, 1))
            tree = server.state_tree
            await _wait(lambda: tree()["neighbors"][0]["state"]["messages"]["received"]["TOTAL"]
                        == 7)  # fmt: skip
            writer.close()
            return tree()
        finally:
            await server.shutdown()

    state = asyncio.run(main())["neighbors"][0]["state"]
    assert state["prefixes"] == {"received": 1, "accepted": 1, "advertised": 0}
    received = state["messages"]["received"]
    assert (received["UPDATE"], received["ROUTE-REFRESH"], received["DISCARDED"]) == (4, 1, 1)
    assert state["messages"]["sent"]["UPDATE"] == 2
    assert state["session-state"] == "ESTABLISHED"
