"""Two ``Server`` instances in one event loop, checked through ``state_tree()``."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from speaker_helpers import DEADLINE

from peerwise.model import state_errors
from peerwise.session import Server

A_ADDR, B_ADDR, C_ADDR = "127.0.10.61", "127.0.10.62", "127.0.10.63"


def config(asn: int, address: str, peers: list[tuple[str, int]], **timers: int) -> dict[str, Any]:
    return {
        "global": {"config": {"as": asn, "router-id": address, "local-address-list": [address]}},
        "neighbors": [
            {"config": {"neighbor-address": peer, "peer-as": peer_as, "description": "lab"},
             "timers": {"config": {"connect-retry": 1, **timers}}}
            for peer, peer_as in peers
        ],
    }  # fmt: skip


def neighbor(server: Server, address: str) -> dict[str, Any]:
    for entry in server.state_tree()["neighbors"]:
        if entry["config"]["neighbor-address"] == address:
            return entry
    raise KeyError(address)


def state(server: Server, address: str) -> dict[str, Any]:
    return neighbor(server, address)["state"]


async def until(check: Callable[[], bool], what: str) -> None:
    end = asyncio.get_running_loop().time() + DEADLINE
    while not check():
        if asyncio.get_running_loop().time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def up(server: Server, address: str) -> Callable[[], bool]:
    return lambda: state(server, address)["session-state"] == "ESTABLISHED"


Scenario = Callable[[Server, Server], Awaitable[None]]


def run_pair(scenario: Scenario, a_cfg: dict[str, Any], b_cfg: dict[str, Any]) -> None:
    async def main() -> None:
        a, b = Server(a_cfg), Server(b_cfg)
        await a.start()
        await b.start()
        try:
            await until(up(a, B_ADDR), "a established")
            await until(up(b, A_ADDR), "b established")
            await scenario(a, b)
        finally:
            await a.shutdown()
            await b.shutdown()

    asyncio.run(main())


A_CFG = config(65001, A_ADDR, [(B_ADDR, 65002)])
B_CFG = config(65002, B_ADDR, [(A_ADDR, 65001)])


def test_state_tree_of_an_established_session() -> None:
    async def check(a: Server, b: Server) -> None:
        s = state(a, B_ADDR)
        assert (s["peer-as"], s["local-as"], s["remote-router-id"]) == (65002, 65001, B_ADDR)
        assert s["admin-state"] == "START" and s["established-transitions"] == 1
        assert s["last-established"] > 0 and s["flaps"] == 0 and s["last-error"] == ""
        assert s["messages"]["sent"]["OPEN"] >= 1 and s["messages"]["received"]["KEEPALIVE"] >= 1
        sent = s["messages"]["sent"]
        assert sent["TOTAL"] == sum(v for k, v in sent.items() if k not in {"TOTAL", "DISCARDED"})
        names = {"MPBGP", "ROUTE_REFRESH", "ASN32", "ENHANCED_ROUTE_REFRESH", "EXTENDED_MESSAGE"}
        assert names <= set(s["supported-capabilities"])
        assert {"name": "ASN32", "code": 65, "as": 65002} in s["capabilities"]["received"]
        assert {"name": "ASN32", "code": 65, "as": 65001} in s["capabilities"]["advertised"]
        assert s["prefixes"] == {"received": 0, "accepted": 0, "advertised": 0}
        t = neighbor(a, B_ADDR)["timers"]["state"]
        assert (t["negotiated-hold-time"], t["keepalive-interval"]) == (90, 30)
        tr = neighbor(a, B_ADDR)["transport"]["state"]
        assert (tr["local-address"], tr["remote-address"]) == (A_ADDR, B_ADDR)
        assert a.state_tree()["global"]["state"]["as"] == 65001
        # The state the server reports is the model's: it validates against the state schema.
        assert state_errors(a.state_tree()) == []

    run_pair(check, A_CFG, B_CFG)


def test_negotiated_hold_time_is_the_smaller() -> None:
    async def check(a: Server, b: Server) -> None:
        for server, peer in ((a, B_ADDR), (b, A_ADDR)):
            t = neighbor(server, peer)["timers"]["state"]
            assert (t["negotiated-hold-time"], t["keepalive-interval"]) == (9, 3)

    a_cfg = config(65001, A_ADDR, [(B_ADDR, 65002)], **{"hold-time": 9})
    run_pair(check, a_cfg, B_CFG)


def test_description_change_touches_nothing() -> None:
    async def check(a: Server, b: Server) -> None:
        new = copy.deepcopy(A_CFG)
        new["neighbors"][0]["config"]["description"] = "renamed"
        summary = await a.apply(new)
        assert summary["updated"] == [B_ADDR] and not summary["reset"]
        assert state(a, B_ADDR)["description"] == "renamed"
        assert state(a, B_ADDR)["established-transitions"] == 1
        assert a.running_config() == new

    run_pair(check, A_CFG, B_CFG)


def test_hold_time_change_resets_only_that_session() -> None:
    async def check(a: Server, b: Server) -> None:
        new = copy.deepcopy(A_CFG)
        new["neighbors"][0]["timers"]["config"]["hold-time"] = 30
        assert (await a.apply(new))["reset"] == [B_ADDR]
        await until(lambda: state(b, A_ADDR)["established-transitions"] == 2, "b back up")
        await until(up(a, B_ADDR), "a back up")
        note = state(b, A_ADDR)["last-notification-received"]
        assert (note["code"], note["subcode"]) == ("CEASE", "OTHER_CONFIGURATION_CHANGE")
        assert neighbor(a, B_ADDR)["timers"]["state"]["negotiated-hold-time"] == 30

    run_pair(check, A_CFG, B_CFG)


def test_removed_neighbor_gets_peer_deconfigured() -> None:
    async def check(a: Server, b: Server) -> None:
        summary = await a.apply({**A_CFG, "neighbors": []})
        assert summary["removed"] == [B_ADDR]
        await until(lambda: "last-notification-received" in state(b, A_ADDR), "b told")
        note = state(b, A_ADDR)["last-notification-received"]
        assert note["subcode"] == "PEER_DECONFIGURED"
        assert state(b, A_ADDR)["flaps"] == 1
        assert a.state_tree()["neighbors"] == []

    run_pair(check, A_CFG, B_CFG)


def test_added_neighbor_comes_up() -> None:
    async def check(a: Server, b: Server) -> None:
        c = Server(config(65003, C_ADDR, [(A_ADDR, 65001)]))
        await c.start()
        try:
            new = config(65001, A_ADDR, [(B_ADDR, 65002), (C_ADDR, 65003)])
            assert (await a.apply(new))["added"] == [C_ADDR]
            await until(up(a, C_ADDR), "a-c established")
            assert state(a, B_ADDR)["established-transitions"] == 1  # b untouched
        finally:
            await c.shutdown()

    run_pair(check, A_CFG, B_CFG)


@pytest.mark.parametrize(("reason", "text"), [
    ("", "Cease / Administrative Shutdown"),
    ("maintenance", 'Cease / Administrative Shutdown: "maintenance"'),
])  # fmt: skip
def test_shutdown_text_reaches_the_peer(reason: str, text: str) -> None:
    async def check(a: Server, b: Server) -> None:
        await a.shutdown(reason)
        await until(lambda: "last-notification-received" in state(b, A_ADDR), "b told")
        assert state(b, A_ADDR)["last-notification-received"]["text"] == text
        assert state(a, B_ADDR)["last-notification-sent"]["text"] == text
        assert state(a, B_ADDR)["admin-state"] == "STOP"

    run_pair(check, A_CFG, B_CFG)


def loc_rib_paths(server: Server) -> dict[str, str]:
    """prefix -> AS_PATH of the IPv4 Loc-RIB, as the state tree reports it."""
    (v4,) = [
        f for f in server.state_tree()["rib"]["afi-safis"] if f["afi-safi-name"] == "ipv4-unicast"
    ]
    return {r["prefix"]: r["as-path"] for r in v4["loc-rib"]["routes"]}


def test_a_new_local_as_is_what_the_peer_sees_after_the_reset() -> None:
    """Changing global/config/as resets every session and rebuilds the RIB: the routes we
    originate then carry the new AS (not the old one, still cached in the old RIB)."""
    route = {"routes": [{"config": {"prefix": "10.9.0.0/24", "next-hop": "198.18.0.1"}}]}

    async def check(a: Server, b: Server) -> None:
        await until(lambda: loc_rib_paths(b).get("10.9.0.0/24") == "65001", "route via AS 65001")
        new_a = copy.deepcopy(a.running_config())
        new_a["global"]["config"]["as"] = 65011
        new_b = copy.deepcopy(b.running_config())
        new_b["neighbors"][0]["config"]["peer-as"] = 65011
        await b.apply(new_b)
        summary = await a.apply(new_a)
        assert summary["reset"] == [B_ADDR]
        await until(up(a, B_ADDR), "a re-established")
        await until(lambda: loc_rib_paths(b).get("10.9.0.0/24") == "65011", "route via AS 65011")
        assert state(b, A_ADDR)["peer-as"] == 65011

    run_pair(check, {**config(65001, A_ADDR, [(B_ADDR, 65002)]), "rib": route}, B_CFG)
