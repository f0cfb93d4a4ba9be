"""Default import/export policy changed on a running session: soft, never a reset.

Two ``Server`` instances in one event loop on 127.0.130.x; A originates a route. Flipping a
policy to reject-route makes the route leave B's Loc-RIB (A withdraws it, or B stops
accepting it), flipping it back brings it back, and the session stays up throughout: no
NOTIFICATION either way, one established transition (docs/IMPACT.md: ``soft``).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import pytest
from speaker_helpers import DEADLINE

from peerwise.session import Server

A_ADDR, B_ADDR = "127.0.130.1", "127.0.130.2"
PREFIX = "10.130.0.0/24"


def config(asn: int, address: str, peer: str, peer_as: int) -> dict[str, Any]:
    return {
        "global": {"config": {"as": asn, "router-id": address, "local-address-list": [address]}},
        "neighbors": [
            {"config": {"neighbor-address": peer, "peer-as": peer_as},
             "timers": {"config": {"connect-retry": 1}}}
        ],
    }  # fmt: skip


A_CFG = {
    **config(65001, A_ADDR, B_ADDR, 65002),
    "rib": {"routes": [{"config": {"prefix": PREFIX, "next-hop": "198.18.0.1"}}]},
}
B_CFG = config(65002, B_ADDR, A_ADDR, 65001)


def state(server: Server, address: str) -> dict[str, Any]:
    (entry,) = [
        n for n in server.state_tree()["neighbors"] if n["config"]["neighbor-address"] == address
    ]
    return dict(entry["state"])


def has_route(server: Server) -> bool:
    (v4,) = [
        f for f in server.state_tree()["rib"]["afi-safis"] if f["afi-safi-name"] == "ipv4-unicast"
    ]
    return PREFIX in {r["prefix"] for r in v4["loc-rib"]["routes"]}


async def until(check: Callable[[], bool], what: str) -> None:
    end = asyncio.get_running_loop().time() + DEADLINE
    while not check():
        if asyncio.get_running_loop().time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def with_policy(cfg: dict[str, Any], leaf: str, value: str) -> dict[str, Any]:
    new = copy.deepcopy(cfg)
    new["neighbors"][0]["apply-policy"] = {"config": {leaf: value}}
    return new


# case -> (the server whose neighbor config changes: "a" sends, "b" receives; the leaf;
#          B's prefix counters for A while rejected: (received, accepted))
CASES = {
    "export on the sender: withdrawn, then announced": ("a", "default-export-policy", (0, 0)),
    "import on the receiver: kept, not accepted": ("b", "default-import-policy", (1, 0)),
}


@pytest.mark.parametrize(("side", "leaf", "rejected"), CASES.values(), ids=CASES.keys())
def test_policy_flip_is_soft(side: str, leaf: str, rejected: tuple[int, int]) -> None:
    async def main() -> None:
        a, b = Server(A_CFG), Server(B_CFG)
        await a.start()
        await b.start()
        try:
            await until(lambda: has_route(b), "the route at B")
            server, base = (a, A_CFG) if side == "a" else (b, B_CFG)
            summary = await server.apply(with_policy(base, leaf, "reject-route"))
            assert summary["soft"] and not summary["reset"]
            await until(lambda: not has_route(b), "the route gone from B")
            prefixes = state(b, A_ADDR)["prefixes"]
            assert (prefixes["received"], prefixes["accepted"]) == rejected
            await server.apply(with_policy(base, leaf, "accept-route"))
            await until(lambda: has_route(b), "the route back at B")
            for s in (state(a, B_ADDR), state(b, A_ADDR)):
                assert s["session-state"] == "ESTABLISHED"
                assert s["established-transitions"] == 1
                assert "last-notification-sent" not in s
                assert "last-notification-received" not in s
                assert s["messages"]["sent"].get("NOTIFICATION", 0) == 0
        finally:
            await a.shutdown()
            await b.shutdown()

    asyncio.run(main())
