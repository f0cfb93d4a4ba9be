"""copy-config and delete-config (RFC 6241 §7.3, §7.4) as data: scripts of (session, request,
expected outcome) on one shared agent, then the neighbors of running and of the candidate."""

from __future__ import annotations

import asyncio
import copy
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from peerwise.mgmt.client import NetconfClient, NetconfError, impact
from peerwise.mgmt.framing import NC_NS
from peerwise.model import defaults

from .fakes import NS, PW_NS, FakeServer, errors, rpc
from .test_txn import ADD_4, Harness, addresses, lock
from .test_unix import serve

GLOBAL = "<global><config><as>65001</as><router-id>192.0.2.1</router-id></config></global>"
ONLY_5 = f'<bgp xmlns="{PW_NS}">{GLOBAL}<neighbors><neighbor><neighbor-address>192.0.2.5'
ONLY_5 += (
    "</neighbor-address><config><peer-as>65005</peer-as></config></neighbor></neighbors></bgp>"
)
BAD_AS = ONLY_5.replace("65005", "70000000000")
UNKNOWN = ONLY_5.replace("</peer-as>", "</peer-as><colour>red</colour>")


def copy_config(source: str, target: str) -> str:
    return rpc(f"<copy-config><target>{target}</target><source>{source}</source></copy-config>")


def inline(content: str) -> str:
    return f'<config xmlns:nc="{NC_NS}">{content}</config>'


def delete(target: str) -> str:
    return rpc(f"<delete-config><target>{target}</target></delete-config>")


RUN, CAND = "<running/>", "<candidate/>"
URL = "<url>file:///tmp/peerwise.xml</url>"
BASE = ["192.0.2.2", "192.0.2.3"]
WITH_4 = [*BASE, "192.0.2.4"]

Step = tuple[int, str, str]  # (session index, request, "ok" or the first error-tag)
# name: (steps, neighbors of running afterwards, neighbors of the candidate afterwards)
SCRIPTS: dict[str, tuple[list[Step], list[str], list[str]]] = {
    "running to candidate discards the candidate's edits, which is lockable again": (
        [(0, ADD_4, "ok"), (0, copy_config(RUN, CAND), "ok"), (1, lock("candidate"), "ok")],
        BASE,
        BASE,
    ),
    "candidate to running is a commit": (
        [(0, ADD_4, "ok"), (1, copy_config(CAND, RUN), "ok"), (1, lock("candidate"), "ok")],
        WITH_4,
        WITH_4,
    ),
    "inline config to running replaces all of it": (
        [(0, copy_config(inline(ONLY_5), RUN), "ok")],
        ["192.0.2.5"],
        ["192.0.2.5"],
    ),
    "inline config to candidate leaves running": (
        [(0, copy_config(inline(ONLY_5), CAND), "ok"), (1, lock("candidate"), "lock-denied")],
        BASE,
        ["192.0.2.5"],
    ),
    "an invalid inline config to running changes nothing": (
        [(0, ADD_4, "ok"), (0, copy_config(inline(BAD_AS), RUN), "invalid-value")],
        BASE,
        WITH_4,
    ),
    "an invalid inline config to candidate changes nothing": (
        [(0, copy_config(inline(BAD_AS), CAND), "invalid-value")],
        BASE,
        BASE,
    ),
    "an unknown element inline changes nothing": (
        [(0, copy_config(inline(UNKNOWN), RUN), "unknown-element")],
        BASE,
        BASE,
    ),
    "another session's running lock blocks copy to running": (
        [(0, lock("running"), "ok"), (1, ADD_4, "ok"), (1, copy_config(CAND, RUN), "in-use")],
        BASE,
        WITH_4,
    ),
    "the running lock holder may copy to running": (
        [(0, lock("running"), "ok"), (0, ADD_4, "ok"), (0, copy_config(CAND, RUN), "ok")],
        WITH_4,
        WITH_4,
    ),
    "another session's candidate lock blocks copy to candidate": (
        [(0, lock("candidate"), "ok"), (0, ADD_4, "ok"), (1, copy_config(RUN, CAND), "in-use")],
        BASE,
        WITH_4,
    ),
    "running to running is invalid-value": (
        [(0, copy_config(RUN, RUN), "invalid-value")],
        BASE,
        BASE,
    ),
    "candidate to candidate is invalid-value": (
        [(0, ADD_4, "ok"), (0, copy_config(CAND, CAND), "invalid-value")],
        BASE,
        WITH_4,
    ),
    "no :url source": ([(0, copy_config(URL, CAND), "operation-not-supported")], BASE, BASE),
    "no :url target": ([(0, copy_config(RUN, URL), "operation-not-supported")], BASE, BASE),
    "no startup datastore": ([(0, copy_config(RUN, "<startup/>"), "invalid-value")], BASE, BASE),
    "copy-config needs a source": (
        [(0, rpc(f"<copy-config><target>{CAND}</target></copy-config>"), "missing-element")],
        BASE,
        BASE,
    ),
    "delete-config of the candidate makes it running again": (
        [(0, ADD_4, "ok"), (0, delete(CAND), "ok"), (1, lock("candidate"), "ok")],
        BASE,
        BASE,
    ),
    "delete-config of running is refused": (
        [(0, ADD_4, "ok"), (0, delete(RUN), "invalid-value")],
        BASE,
        WITH_4,
    ),
    "another session's candidate lock blocks delete-config": (
        [(0, lock("candidate"), "ok"), (0, ADD_4, "ok"), (1, delete(CAND), "in-use")],
        BASE,
        WITH_4,
    ),
    "the candidate lock holder may delete it": (
        [(0, lock("candidate"), "ok"), (0, ADD_4, "ok"), (0, delete(CAND), "ok")],
        BASE,
        BASE,
    ),
    "no :url delete-config": ([(0, delete(URL), "operation-not-supported")], BASE, BASE),
}


@pytest.mark.parametrize(("steps", "running", "candidate"), SCRIPTS.values(), ids=SCRIPTS.keys())
def test_copy_and_delete(steps: list[Step], running: list[str], candidate: list[str]) -> None:
    harness = Harness()

    async def run() -> list[str]:
        await harness.start()
        return [await harness.step(who, request) for who, request, _ in steps]

    outcomes = asyncio.run(run())
    assert outcomes == [expected for _, _, expected in steps]
    agent = harness.agent
    assert harness.server.config == defaults(agent.running), "applied is what running says"
    assert (addresses(agent.running), addresses(agent.datastore("candidate"))) == (
        running,
        candidate,
    )


def reply_of(request: str, harness: Harness, before: tuple[str, ...] = ()) -> ET.Element:
    async def run() -> ET.Element:
        await harness.start()
        for earlier in before:
            await harness.step(0, earlier)
        await harness.step(0, request)
        return harness.replies[-1]

    return asyncio.run(run())


def test_copy_to_running_persists_and_reports_impact() -> None:
    saved: list[dict[str, Any]] = []
    harness = Harness()
    harness.agent.persist = lambda config: saved.append(copy.deepcopy(config))
    reply = reply_of(copy_config(CAND, RUN), harness, before=(ADD_4,))
    assert reply.find("nc:ok", NS) is not None
    assert reply.findtext(f"{{{PW_NS}}}impact/{{{PW_NS}}}added") == "192.0.2.4"
    assert [addresses(config) for config in saved] == [WITH_4]


# request -> the error-path of its rpc-error
ERROR_PATHS = {
    "same datastore": (copy_config(RUN, RUN), "/nc:rpc/nc:copy-config/nc:target"),
    "url source": (copy_config(URL, CAND), "/nc:rpc/nc:copy-config/nc:source/nc:url"),
    "delete running": (delete(RUN), "/nc:rpc/nc:delete-config/nc:target"),
}


@pytest.mark.parametrize(("request_", "path"), ERROR_PATHS.values(), ids=ERROR_PATHS.keys())
def test_error_paths(request_: str, path: str) -> None:
    found = errors(reply_of(request_, Harness()))
    assert [e["error-path"] for e in found] == [path]


def test_stdlib_client(tmp_path: Path) -> None:
    path, server = tmp_path / "api.sock", FakeServer()

    def client() -> tuple[list[str], str]:
        with NetconfClient(str(path)) as nc:
            steps = [
                nc.copy_config("running", "candidate", config_xml=ONLY_5),
                nc.delete_config("candidate"),
                nc.copy_config("running", "candidate", config_xml=ONLY_5),
                nc.copy_config("candidate", "running"),
            ]
            with pytest.raises(NetconfError) as refused:
                nc.delete_config("running")
            return steps, refused.value.error_tag

    replies, tag = serve(path, server, client)
    assert all("<ok/>" in reply for reply in replies) and tag == "invalid-value"
    assert impact(replies[-1])["added"] == ["192.0.2.5"]
    assert addresses(server.config) == ["192.0.2.5"]
