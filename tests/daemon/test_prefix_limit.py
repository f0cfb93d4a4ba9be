"""Prefix limit (RFC 4486 §4) between two in-process Servers on 127.0.170.x."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any

from test_server import neighbor, state, until

from peerwise.model import state_errors
from peerwise.session import Server

S_ADDR, R_ADDR = "127.0.170.1", "127.0.170.2"  # sender, receiver
ROUTES = [{"config": {"prefix": f"10.170.{i}.0/24", "next-hop": "198.18.0.1"}} for i in range(5)]


def config(asn: int, address: str, peer: str, peer_as: int, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "config": {"neighbor-address": peer, "peer-as": peer_as},
        "timers": {"config": {"connect-retry": 1}},
    }
    entry.update(extra)
    return {
        "global": {"config": {"as": asn, "router-id": address, "local-address-list": [address]}},
        "neighbors": [entry],
    }


def limited(maximum: int, **leaves: Any) -> dict[str, Any]:
    """The receiver's config: ipv4-unicast limited to ``maximum`` prefixes."""
    family = {
        "config": {"afi-safi-name": "ipv4-unicast"},
        "prefix-limit": {"config": {"max-prefixes": maximum, **leaves}},
    }
    return config(65002, R_ADDR, S_ADDR, 65001, **{"afi-safis": [family]})


SENDER = {**config(65001, S_ADDR, R_ADDR, 65002), "rib": {"routes": ROUTES}}
NOTE = {"code": "CEASE", "subcode": "MAXIMUM_NUMBER_OF_PREFIXES_REACHED"}


def received_note(sender: Server) -> dict[str, Any]:
    note = state(sender, R_ADDR).get("last-notification-received") or {}
    return {k: note.get(k) for k in NOTE}


def run(scenario: Callable[[Server, Server], Awaitable[None]], r_cfg: dict[str, Any]) -> None:
    async def main() -> None:
        s, r = Server(copy.deepcopy(SENDER)), Server(r_cfg)
        await s.start()
        await r.start()
        try:
            await scenario(s, r)
        finally:
            await s.shutdown()
            await r.shutdown()

    asyncio.run(main())


def test_over_the_limit_ceases_and_stays_down() -> None:
    async def check(s: Server, r: Server) -> None:
        await until(lambda: received_note(s) == NOTE, "Cease / Maximum Number of Prefixes")
        st = state(r, S_ADDR)
        assert st["last-error"] == "prefix limit 3 reached for ipv4-unicast"
        assert (st["session-state"], st["admin-state"]) == ("IDLE", "STOP")
        assert state(r, S_ADDR)["last-notification-sent"]["subcode"] == NOTE["subcode"]
        await asyncio.sleep(1.5)  # two connect-retry periods: still down
        assert state(r, S_ADDR)["established-transitions"] == 1
        assert state(r, S_ADDR)["session-state"] == "IDLE"
        assert state_errors(r.state_tree()) == []

    run(check, limited(3))


def test_restart_timer_restarts_and_a_raised_limit_holds() -> None:
    async def check(s: Server, r: Server) -> None:
        await until(lambda: state(r, S_ADDR)["established-transitions"] >= 2, "restart")
        await until(lambda: received_note(s) == NOTE, "Cease again")
        await r.apply(limited(10, **{"restart-timer": 1}))
        await until(lambda: state(r, S_ADDR)["prefixes"]["accepted"] == 5, "5 accepted")
        transitions = state(r, S_ADDR)["established-transitions"]
        await asyncio.sleep(1.5)
        st = state(r, S_ADDR)
        assert (st["session-state"], st["established-transitions"]) == ("ESTABLISHED", transitions)
        limit = neighbor(r, S_ADDR)["afi-safis"][0]["prefix-limit"]["state"]
        assert (limit["max-prefixes"], limit["prefixes-accepted"]) == (10, 5)

    run(check, limited(3, **{"restart-timer": 1}))


def test_lowering_the_limit_acts_at_once() -> None:
    async def check(s: Server, r: Server) -> None:
        await until(lambda: state(r, S_ADDR)["prefixes"]["accepted"] == 5, "5 accepted")
        await r.apply(limited(4))
        await until(lambda: received_note(s) == NOTE, "Cease after lowering")
        assert state(r, S_ADDR)["last-error"] == "prefix limit 4 reached for ipv4-unicast"

    run(check, limited(10))


def test_prevent_teardown_only_warns() -> None:
    async def check(s: Server, r: Server) -> None:
        await until(lambda: state(r, S_ADDR)["prefixes"]["accepted"] == 5, "5 accepted")
        await asyncio.sleep(0.2)
        assert state(r, S_ADDR)["session-state"] == "ESTABLISHED"
        assert received_note(s) != NOTE

    run(check, limited(3, **{"prevent-teardown": True}))
