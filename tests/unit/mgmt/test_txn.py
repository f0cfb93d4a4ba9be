"""Transactions as data: scripts of (session, request, expected outcome) on one shared agent.

Each script runs in one event loop against a FakeServer and the real model's validation; after
it, the running config (what the fake speaker applied) is checked. Confirmed-commit timers are
not waited for: a script step ``EXPIRE`` fires the pending commit's timer at once.
"""

from __future__ import annotations

import asyncio
import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest

from peerwise.mgmt.agent import NetconfAgent
from peerwise.mgmt.framing import NC_NS
from peerwise.mgmt.session import NetconfSession
from peerwise.model import defaults

from .fakes import NS, PW_NS, FakeServer, errors, hello, rpc

RUNNING: dict[str, Any] = {
    "global": {"config": {"as": 65001, "router-id": "192.0.2.1"}},
    "neighbors": [
        {"config": {"neighbor-address": "192.0.2.2", "peer-as": 65002, "description": "two"}},
        {"config": {"neighbor-address": "192.0.2.3", "peer-as": 65003}},
    ],
}
EXPIRE = "expire"  # a step that fires the confirm timer
KILL_1 = "drop session 1"  # a step that ends session 1 as a broken transport would


def neighbor(address: str, inner: str = "", attrs: str = "") -> str:
    return (
        f'<bgp xmlns="{PW_NS}"><neighbors><neighbor{attrs}><neighbor-address>{address}'
        f"</neighbor-address>{inner}</neighbor></neighbors></bgp>"
    )


def edit(target: str, config: str, extra: str = "") -> str:
    return rpc(
        f"<edit-config><target><{target}/></target>{extra}"
        f'<config xmlns:nc="{NC_NS}">{config}</config></edit-config>'
    )


ADD_4 = edit("candidate", neighbor("192.0.2.4", "<config><peer-as>65004</peer-as></config>"))
HOLD_2 = edit(
    "candidate",
    neighbor("192.0.2.2", "<timers><config><hold-time>60</hold-time></config></timers>"),
)
DESCR_2 = edit(
    "candidate", neighbor("192.0.2.2", "<config><description>new</description></config>")
)
BAD_AS = edit("candidate", neighbor("192.0.2.2", "<config><peer-as>70000000000</peer-as></config>"))
RENAME = edit(
    "candidate",
    neighbor("192.0.2.2", "<config><neighbor-address>192.0.2.9</neighbor-address></config>"),
)
COMMIT = rpc("<commit/>")
CONFIRMED = rpc("<commit><confirmed/><confirm-timeout>30</confirm-timeout></commit>")
PERSISTED = rpc("<commit><confirmed/><persist>tok</persist></commit>")
CONFIRM_TOK = rpc("<commit><persist-id>tok</persist-id></commit>")
CONFIRM_BAD = rpc("<commit><persist-id>nope</persist-id></commit>")
CANCEL = rpc("<cancel-commit/>")
CANCEL_TOK = rpc("<cancel-commit><persist-id>tok</persist-id></cancel-commit>")
DISCARD = rpc("<discard-changes/>")
VALIDATE = rpc("<validate><source><candidate/></source></validate>")


def lock(target: str) -> str:
    return rpc(f"<lock><target><{target}/></target></lock>")


def unlock(target: str) -> str:
    return rpc(f"<unlock><target><{target}/></target></unlock>")


def kill(session_id: int) -> str:
    return rpc(f"<kill-session><session-id>{session_id}</session-id></kill-session>")


def addresses(config: dict[str, Any]) -> list[str]:
    return [n["config"]["neighbor-address"] for n in config.get("neighbors", [])]


def hold(config: dict[str, Any]) -> Any:
    return config["neighbors"][0].get("timers", {}).get("config", {}).get("hold-time")


Step = tuple[int, str, str]  # (session index, request or EXPIRE/KILL_1, "ok" or error-tag)
Check = Callable[[dict[str, Any]], bool]
# name: (steps, check on the running config the speaker applied last)
SCRIPTS: dict[str, tuple[list[Step], Check]] = {
    "candidate edit is not running": (
        [(0, ADD_4, "ok")],
        lambda c: "192.0.2.4" not in addresses(c),
    ),
    "commit applies the candidate": (
        [(0, ADD_4, "ok"), (0, COMMIT, "ok")],
        lambda c: "192.0.2.4" in addresses(c),
    ),
    "discard-changes": (
        [(0, ADD_4, "ok"), (0, DISCARD, "ok"), (0, COMMIT, "ok")],
        lambda c: "192.0.2.4" not in addresses(c),
    ),
    "candidate is shared between sessions": (
        [(0, ADD_4, "ok"), (1, COMMIT, "ok")],
        lambda c: "192.0.2.4" in addresses(c),
    ),
    "invalid value refused, nothing changes": (
        [(0, BAD_AS, "invalid-value"), (0, COMMIT, "ok")],
        lambda c: c == defaults(RUNNING),
    ),
    "a list key cannot change": ([(0, RENAME, "invalid-value")], lambda c: c == defaults(RUNNING)),
    "confirmed commit expires and reverts": (
        [(0, HOLD_2, "ok"), (0, CONFIRMED, "ok"), (0, EXPIRE, "")],
        lambda c: hold(c) == 90,
    ),
    "confirmed commit confirmed": (
        [(0, HOLD_2, "ok"), (0, CONFIRMED, "ok"), (0, COMMIT, "ok"), (0, EXPIRE, "")],
        lambda c: hold(c) == 60,
    ),
    "follow-up confirmed commit keeps the first rollback": (
        [
            (0, HOLD_2, "ok"),
            (0, CONFIRMED, "ok"),
            (0, ADD_4, "ok"),
            (0, CONFIRMED, "ok"),
            (0, EXPIRE, ""),
        ],
        lambda c: hold(c) == 90 and "192.0.2.4" not in addresses(c),
    ),
    "session end reverts a confirmed commit": (
        [(1, HOLD_2, "ok"), (1, CONFIRMED, "ok"), (0, KILL_1, "")],
        lambda c: hold(c) == 90,
    ),
    "kill-session reverts the victim's confirmed commit": (
        [(1, HOLD_2, "ok"), (1, CONFIRMED, "ok"), (0, kill(2), "ok")],
        lambda c: hold(c) == 90,
    ),
    "persist survives the session; persist-id confirms": (
        [
            (1, HOLD_2, "ok"),
            (1, PERSISTED, "ok"),
            (0, KILL_1, ""),
            (0, CONFIRM_TOK, "ok"),
            (0, EXPIRE, ""),
        ],
        lambda c: hold(c) == 60,
    ),
    "a wrong persist-id changes nothing": (
        [
            (0, HOLD_2, "ok"),
            (0, PERSISTED, "ok"),
            (0, CONFIRM_BAD, "invalid-value"),
            (0, COMMIT, "invalid-value"),
            (0, EXPIRE, ""),
        ],
        lambda c: hold(c) == 90,
    ),
    "persist-id with nothing pending": ([(0, CONFIRM_TOK, "invalid-value")], lambda c: True),
    "cancel-commit reverts now": (
        [(0, HOLD_2, "ok"), (0, CONFIRMED, "ok"), (0, CANCEL, "ok")],
        lambda c: hold(c) == 90,
    ),
    "cancel-commit with persist-id from another session": (
        [(0, HOLD_2, "ok"), (0, PERSISTED, "ok"), (1, CANCEL_TOK, "ok")],
        lambda c: hold(c) == 90,
    ),
    "only the confirming session may confirm": (
        [(0, HOLD_2, "ok"), (0, CONFIRMED, "ok"), (1, COMMIT, "in-use"), (1, CANCEL, "in-use")],
        lambda c: hold(c) == 60,
    ),
    "cancel-commit with nothing pending": ([(0, CANCEL, "operation-failed")], lambda c: True),
    "lock contention": (
        [
            (0, lock("candidate"), "ok"),
            (1, lock("candidate"), "lock-denied"),
            (1, ADD_4, "in-use"),
            (1, DISCARD, "in-use"),
            (0, unlock("candidate"), "ok"),
            (1, lock("candidate"), "ok"),
        ],
        lambda c: True,
    ),
    "running lock refuses other sessions' commits": (
        [(0, lock("running"), "ok"), (1, ADD_4, "ok"), (1, COMMIT, "in-use")],
        lambda c: "192.0.2.4" not in addresses(c),
    ),
    "a modified candidate cannot be locked": (
        [(0, ADD_4, "ok"), (1, lock("candidate"), "lock-denied")],
        lambda c: True,
    ),
    "the candidate lock holder's changes go with it": (
        [(1, lock("candidate"), "ok"), (1, ADD_4, "ok"), (0, KILL_1, ""), (0, COMMIT, "ok")],
        lambda c: "192.0.2.4" not in addresses(c),
    ),
    "kill-session of itself or nobody": (
        [(0, kill(1), "invalid-value"), (0, kill(99), "invalid-value")],
        lambda c: True,
    ),
    "description change validates": ([(0, DESCR_2, "ok"), (0, VALIDATE, "ok")], lambda c: True),
}


class Harness:
    """One agent, two sessions past hello, a fake speaker; runs steps in one loop."""

    def __init__(self) -> None:
        self.server = FakeServer(copy.deepcopy(RUNNING))
        self.server.config = defaults(RUNNING)
        self.agent = NetconfAgent(self.server, running=copy.deepcopy(RUNNING))
        self.sessions = [NetconfSession(self.agent), NetconfSession(self.agent)]
        self.replies: list[ET.Element] = []

    async def start(self) -> None:
        for opened in self.sessions:
            await opened.handle(hello("urn:ietf:params:netconf:base:1.0"))

    async def step(self, who: int, request: str) -> str:
        if request == EXPIRE:
            pending = self.agent.pending
            if pending is not None and pending.timer is not None:
                pending.timer._run()  # what the loop does when the timer is due
            await asyncio.gather(*self.agent._tasks)
            return ""
        if request == KILL_1:
            self.sessions[1].close()
            await asyncio.gather(*self.agent._tasks)
            return ""
        reply = ET.fromstring(await self.sessions[who].handle(request) or "")
        await asyncio.gather(*self.agent._tasks)
        self.replies.append(reply)
        found = errors(reply)
        return found[0]["error-tag"] if found else "ok"


@pytest.mark.parametrize(("steps", "check"), SCRIPTS.values(), ids=SCRIPTS.keys())
def test_transactions(steps: list[Step], check: Check) -> None:
    harness = Harness()

    async def run() -> list[str]:
        await harness.start()
        return [await harness.step(who, request) for who, request, _ in steps]

    outcomes = asyncio.run(run())
    assert outcomes == [expected for _, _, expected in steps]
    assert check(harness.server.config), harness.server.config


def test_lock_denied_names_the_holder() -> None:
    harness = Harness()

    async def run() -> ET.Element:
        await harness.start()
        await harness.step(0, lock("running"))
        await harness.step(1, lock("running"))
        return harness.replies[-1]

    reply = asyncio.run(run())
    assert reply.findtext("nc:rpc-error/nc:error-info/nc:session-id", namespaces=NS) == "1"


# change -> the <impact> children validate reports (element, text)
IMPACT_CASES = {
    "description resets nothing": (DESCR_2, [("change", "192.0.2.2 config.description none")]),
    "hold time resets that session": (
        HOLD_2,
        [
            ("session-reset", "192.0.2.2"),
            ("change", "192.0.2.2 timers.config.hold-time session-reset"),
        ],
    ),
    "a new neighbor touches no other": (ADD_4, [("added", "192.0.2.4")]),
}


@pytest.mark.parametrize(("change", "expected"), IMPACT_CASES.values(), ids=IMPACT_CASES.keys())
def test_validate_reports_impact(change: str, expected: list[tuple[str, str]]) -> None:
    harness = Harness()

    async def run() -> ET.Element:
        await harness.start()
        await harness.step(0, change)
        await harness.step(0, VALIDATE)
        return harness.replies[-1]

    impact = asyncio.run(run()).find(f"{{{PW_NS}}}impact")
    assert impact is not None
    found = [
        (child.tag.split("}")[1], " ".join(t.strip() for t in child.itertext() if t.strip()))
        for child in impact
    ]
    assert found == expected


# with-defaults mode -> does get-config report hold-time (default 90) and description?
WITH_DEFAULTS = {
    "explicit": (False, True),
    "report-all": (True, True),
    "trim": (False, True),
}


@pytest.mark.parametrize(("mode", "expected"), WITH_DEFAULTS.items(), ids=WITH_DEFAULTS.keys())
def test_with_defaults(mode: str, expected: tuple[bool, bool]) -> None:
    harness = Harness()
    wd = f'<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">{mode}'
    request = rpc(f"<get-config><source><running/></source>{wd}</with-defaults></get-config>")

    async def run() -> ET.Element:
        await harness.start()
        await harness.step(0, request)
        return harness.replies[-1]

    reply = asyncio.run(run())
    first = "nc:data/pw:bgp/pw:neighbors/pw:neighbor"
    has_hold = reply.find(f"{first}/pw:timers/pw:config/pw:hold-time", NS) is not None
    has_description = reply.find(f"{first}/pw:config/pw:description", NS) is not None
    assert (has_hold, has_description) == expected


def test_commit_persists_before_it_answers_and_confirmed_only_once_confirmed() -> None:
    saved: list[dict[str, Any]] = []
    harness = Harness()
    harness.agent.persist = lambda config: saved.append(copy.deepcopy(config))

    async def run() -> None:
        await harness.start()
        for request in (ADD_4, COMMIT, HOLD_2, CONFIRMED):
            await harness.step(0, request)
        assert len(saved) == 1, "a confirmed commit is not saved until confirmed"
        await harness.step(0, COMMIT)

    asyncio.run(run())
    assert [len(addresses(s)) for s in saved] == [3, 3]
    assert hold(saved[-1]) == 60
