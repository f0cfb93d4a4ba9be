"""TCP MD5 signatures (RFC 2385) from ``auth-password``: two speakers on loopback.

With the same password on both sides the session comes up; with a different one, or none on
one side, the kernel drops the segments and it never does. Changing the password through
``apply`` moves the key on the listener too, so the session comes back with the new one.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest
from speaker_helpers import DEADLINE

from peerwise.session import Server

A_ADDR, B_ADDR = "127.0.10.81", "127.0.10.82"
NOT_UP = 3.0  # seconds a session with a bad key is given to (wrongly) come up


def config(asn: int, me: str, peer: str, peer_as: int, password: str | None) -> dict[str, Any]:
    neighbor: dict[str, Any] = {"neighbor-address": peer, "peer-as": peer_as}
    if password is not None:
        neighbor["auth-password"] = password
    return {
        "global": {"config": {"as": asn, "router-id": me, "local-address-list": [me]}},
        "neighbors": [{"config": neighbor, "timers": {"config": {"connect-retry": 1}}}],
    }


def session_state(server: Server, peer: str) -> str:
    (entry,) = [
        n for n in server.state_tree()["neighbors"] if n["config"]["neighbor-address"] == peer
    ]
    return str(entry["state"]["session-state"])


async def reaches(a: Server, b: Server, seconds: float) -> bool:
    end = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < end:
        if session_state(a, B_ADDR) == session_state(b, A_ADDR) == "ESTABLISHED":
            return True
        await asyncio.sleep(0.05)
    return False


def pair(pw_a: str | None, pw_b: str | None, then: Any = None) -> bool:
    async def main() -> bool:
        a = Server(config(65001, A_ADDR, B_ADDR, 65002, pw_a))
        b = Server(config(65002, B_ADDR, A_ADDR, 65001, pw_b))
        await a.start()
        await b.start()
        try:
            up = await reaches(a, b, DEADLINE if pw_a == pw_b else NOT_UP)
            return up if then is None else await then(a, b, up)
        finally:
            await a.shutdown()
            await b.shutdown()

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("pw_a", "pw_b", "up"),
    [
        ("s3cret", "s3cret", True),
        ("s3cret", "other", False),
        ("s3cret", None, False),
        (None, None, True),
    ],
)
def test_session_needs_the_same_password_on_both_sides(
    pw_a: str | None, pw_b: str | None, up: bool
) -> None:
    assert pair(pw_a, pw_b) is up


def test_a_new_password_on_both_sides_brings_the_session_back() -> None:
    async def rekey(a: Server, b: Server, up: bool) -> bool:
        assert up
        for server, peer_pw in ((a, "n3w"), (b, "n3w")):
            new = copy.deepcopy(server.running_config())
            new["neighbors"][0]["config"]["auth-password"] = peer_pw
            await server.apply(new)
        return await reaches(a, b, DEADLINE)

    assert pair("0ld", "0ld", rekey)
