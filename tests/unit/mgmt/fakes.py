"""A fake ``Server`` (running config, state tree, apply) and NETCONF helpers for the tests."""

from __future__ import annotations

import asyncio
import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from peerwise.mgmt.agent import NetconfAgent
from peerwise.mgmt.framing import NC_NS
from peerwise.mgmt.session import NetconfSession

PW_NS = "urn:peerwise:yang:peerwise-bgp"
NS = {"nc": NC_NS, "pw": PW_NS}

RUNNING: dict[str, Any] = {
    "global": {
        "config": {"as": 65001, "router-id": "192.0.2.1", "local-address-list": ["127.0.0.1"]}
    },
    "neighbors": [
        {
            "config": {"neighbor-address": "192.0.2.2", "peer-as": 65002, "description": "two"},
            "timers": {"config": {"hold-time": 90, "keepalive-interval": 30}},
        },
        {"config": {"neighbor-address": "192.0.2.3", "peer-as": 65003, "enabled": False}},
    ],
}

NEIGHBOR_STATE: dict[str, Any] = {
    "session-state": "ESTABLISHED",
    "admin-state": "START",
    "uptime": 763,
    "supported-capabilities": ["MPBGP", "ASN32"],
    "capabilities": {
        "advertised": [{"name": "MPBGP", "code": 1, "afi-safi": "ipv4-unicast"}],
        "received": [
            {"name": "MPBGP", "code": 1, "afi-safi": "ipv4-unicast"},
            {"name": "ASN32", "code": 65, "as": 65002},
        ],
    },
    "messages": {"sent": {"OPEN": 1, "TOTAL": 1}, "received": {"OPEN": 1, "TOTAL": 1}},
    "prefixes": {"received": 3, "accepted": 2, "advertised": 1},
}


@dataclass(frozen=True)
class Problem:
    """What the model's validate returns: a ConfigError with a file-shape path."""

    path: str
    message: str


def fake_validate(cfg: dict[str, Any]) -> list[Problem]:
    """A stand-in for the model: peer-as must be a uint32, config keys known."""
    problems = []
    for index, neighbor in enumerate(cfg.get("neighbors", [])):
        config = neighbor.get("config", {})
        peer_as = config.get("peer-as")
        if not isinstance(peer_as, int) or not 0 < peer_as < 2**32:
            problems.append(
                Problem(f"neighbors[{index}].config.peer-as", f"{peer_as!r} is not a uint32")
            )
        for key in config:
            if key not in {"neighbor-address", "peer-as", "description", "enabled"}:
                problems.append(
                    Problem(f"neighbors[{index}].config.{key}", f"unknown setting {key!r}")
                )
    return problems


class FakeServer:
    """Holds a config; ``state_tree`` adds one state container per neighbor."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = copy.deepcopy(RUNNING if config is None else config)
        self.applied: list[dict[str, Any]] = []

    def running_config(self) -> dict[str, Any]:
        return copy.deepcopy(self.config)

    def state_tree(self) -> dict[str, Any]:
        tree = copy.deepcopy(self.config)
        for neighbor in tree.get("neighbors", []):
            address = neighbor["config"]["neighbor-address"]
            neighbor["state"] = {"neighbor-address": address, **copy.deepcopy(NEIGHBOR_STATE)}
        return tree

    def state_view(self, flt: Any = None) -> dict[str, Any]:
        return self.state_tree()  # no RIB here: the filter is applied afterwards, to the tree

    async def apply(self, new_config: dict[str, Any]) -> dict[str, Any]:
        self.applied.append(new_config)
        self.config = copy.deepcopy(new_config)
        return new_config


def rpc(body: str, message_id: str = "101", extra: str = "") -> str:
    return f'<rpc xmlns="{NC_NS}" message-id="{message_id}"{extra}>{body}</rpc>'


def hello(*caps: str) -> str:
    items = "".join(f"<capability>{c}</capability>" for c in caps)
    return f'<hello xmlns="{NC_NS}"><capabilities>{items}</capabilities></hello>'


def agent(server: FakeServer | None = None) -> NetconfAgent:
    return NetconfAgent(server or FakeServer(), validate=fake_validate, complete=dict)


def session(server: FakeServer | None = None, shared: NetconfAgent | None = None) -> NetconfSession:
    """A session past its hello exchange (on ``shared`` when given)."""
    opened = NetconfSession(shared or agent(server))
    asyncio.run(opened.handle(hello("urn:ietf:params:netconf:base:1.0")))
    return opened


def exchange(opened: NetconfSession, *requests: str) -> list[ET.Element]:
    """Each request's reply, parsed."""

    async def run() -> list[str | None]:
        return [await opened.handle(request) for request in requests]

    return [ET.fromstring(reply or "") for reply in asyncio.run(run())]


def errors(reply: ET.Element) -> list[dict[str, str]]:
    found = []
    for error in reply.iterfind("nc:rpc-error", NS):
        found.append({child.tag.split("}")[1]: (child.text or "") for child in error})
    return found
