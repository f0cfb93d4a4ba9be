"""RPC handling as data: request XML -> the reply's elements or rpc-error (RFC 6241)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from peerwise.mgmt.agent import NetconfAgent
from peerwise.mgmt.framing import NC_NS
from peerwise.mgmt.session import NetconfSession

from .fakes import NS, PW_NS, FakeServer, agent, errors, exchange, hello, rpc, session

# The newest revision statement of the module (RFC 7950 §7.1.9 lists them newest first).
NEWEST_REVISION = re.findall(
    r"^\s*revision\s+(\d{4}-\d{2}-\d{2})",
    (Path(__file__).resolve().parents[3] / "yang" / "peerwise-bgp.yang").read_text(),
    re.M,
)[0]

NEIGHBOR_2 = "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.2']"
NEIGHBOR_9 = "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.9']"


def bgp(content: str) -> str:
    return f'<bgp xmlns="{PW_NS}">{content}</bgp>'


def neighbor(address: str, inner: str = "", attrs: str = "") -> str:
    return bgp(
        f"<neighbors><neighbor{attrs}><neighbor-address>{address}</neighbor-address>"
        f"{inner}</neighbor></neighbors>"
    )


def edit(config: str, extra: str = "") -> str:
    return rpc(
        f"<edit-config><target><running/></target>{extra}"
        f'<config xmlns:nc="{NC_NS}">{config}</config></edit-config>'
    )


def get(filter_: str | None = None) -> str:
    return rpc(
        "<get/>" if filter_ is None else f'<get><filter type="subtree">{filter_}</filter></get>'
    )


def addresses(reply: object) -> list[str]:
    path = "nc:data/pw:bgp/pw:neighbors/pw:neighbor/pw:neighbor-address"
    return [e.text or "" for e in reply.iterfind(path, NS)]  # type: ignore[attr-defined]


# (request, the neighbor addresses in the reply's <data>)
GET_CASES = {
    "get everything": (get(), ["192.0.2.2", "192.0.2.3"]),
    "get-config": (
        rpc("<get-config><source><running/></source></get-config>"),
        ["192.0.2.2", "192.0.2.3"],
    ),
    "neighbors list": (get(bgp("<neighbors/>")), ["192.0.2.2", "192.0.2.3"]),
    "one neighbor by key": (get(neighbor("192.0.2.3")), ["192.0.2.3"]),
    "two neighbors by key": (
        get(
            bgp(
                "<neighbors><neighbor><neighbor-address>192.0.2.3</neighbor-address></neighbor>"
                "<neighbor><neighbor-address>192.0.2.2</neighbor-address></neighbor></neighbors>"
            )
        ),
        ["192.0.2.2", "192.0.2.3"],
    ),
    "no such neighbor": (get(neighbor("192.0.2.9")), []),
    "global only": (get(bgp("<global/>")), []),
    "empty filter selects nothing": (get(""), []),
    "content match on a leaf": (
        get(
            bgp(
                "<neighbors><neighbor><config><peer-as>65002</peer-as></config></neighbor></neighbors>"
            )
        ),
        ["192.0.2.2"],
    ),
}


@pytest.mark.parametrize(("request_xml", "expected"), GET_CASES.values(), ids=GET_CASES.keys())
def test_get_selects(request_xml: str, expected: list[str]) -> None:
    (reply,) = exchange(session(), request_xml)
    assert errors(reply) == []
    assert reply.get("message-id") == "101"
    assert addresses(reply) == expected


def test_filter_keeps_the_key_and_selected_leaves_only() -> None:
    flt = bgp(
        "<neighbors><neighbor><neighbor-address>192.0.2.2</neighbor-address><state><session-state/></state></neighbor></neighbors>"
    )
    (reply,) = exchange(session(), get(flt))
    (entry,) = reply.iterfind("nc:data/pw:bgp/pw:neighbors/pw:neighbor", NS)
    assert [child.tag.split("}")[1] for child in entry] == ["neighbor-address", "state"]
    assert entry.findtext("pw:state/pw:session-state", namespaces=NS) == "ESTABLISHED"
    assert entry.find("pw:state/pw:uptime", NS) is None


def test_state_leaves_and_lists_render() -> None:
    (reply,) = exchange(session(), get(neighbor("192.0.2.2")))
    state = reply.find("nc:data/pw:bgp/pw:neighbors/pw:neighbor/pw:state", NS)
    assert state is not None
    assert [e.text for e in state.iterfind("pw:supported-capabilities", NS)] == ["MPBGP", "ASN32"]
    assert len(state.findall("pw:capabilities/pw:received", NS)) == 2
    assert state.findtext("pw:messages/pw:sent/pw:OPEN", namespaces=NS) == "1"


def test_rpc_attributes_are_echoed() -> None:
    extra = ' xmlns:ex="urn:example" ex:user="alice" trace="7"'
    (reply,) = exchange(session(), rpc("<get/>", message_id="m-1", extra=extra))
    assert reply.get("message-id") == "m-1"
    assert reply.get("trace") == "7"
    assert reply.get("{urn:example}user") == "alice"


def test_replies_are_deterministic() -> None:
    first = asyncio.run(session().handle(get()))
    second = asyncio.run(session().handle(get()))
    assert first == second


# (request, expected subset of the first rpc-error's fields)
ERROR_CASES = {
    "malformed XML": ("<rpc", {"error-tag": "malformed-message", "error-type": "rpc"}),
    "no message-id": (
        f'<rpc xmlns="{NC_NS}"><get/></rpc>',
        {"error-tag": "missing-attribute", "error-type": "rpc"},
    ),
    "unknown operation": (
        rpc("<frobnicate/>"),
        {"error-tag": "unknown-element", "error-path": "/nc:rpc/nc:frobnicate"},
    ),
    "operation in another namespace": (
        rpc('<get xmlns="urn:other"/>'),
        {"error-tag": "unknown-namespace"},
    ),
    "no :url capability": (
        rpc(
            "<copy-config><target><url>file:///x.xml</url></target>"
            "<source><candidate/></source></copy-config>"
        ),
        {"error-tag": "operation-not-supported"},
    ),
    "unknown parameter": (rpc("<get><with-defaults/></get>"), {"error-tag": "unknown-element"}),
    "missing source": (rpc("<get-config/>"), {"error-tag": "missing-element"}),
    "startup not offered": (
        rpc("<get-config><source><startup/></source></get-config>"),
        {"error-tag": "invalid-value"},
    ),
    "xpath filter": (
        rpc('<get><filter type="xpath" select="/"/></get>'),
        {"error-tag": "operation-not-supported"},
    ),
    "data in wrong namespace": (
        edit('<bgp xmlns="urn:not-ours"><global/></bgp>'),
        {"error-tag": "unknown-namespace", "error-type": "application"},
    ),
    "data with no namespace": (edit("<bgp/>"), {"error-tag": "unknown-namespace"}),
    "unknown root element": (edit(f'<routing xmlns="{PW_NS}"/>'), {"error-tag": "unknown-element"}),
    "create on existing": (
        edit(neighbor("192.0.2.2", attrs=' nc:operation="create"')),
        {"error-tag": "data-exists", "error-path": NEIGHBOR_2},
    ),
    "delete on missing": (
        edit(neighbor("192.0.2.9", attrs=' nc:operation="delete"')),
        {"error-tag": "data-missing", "error-path": NEIGHBOR_9},
    ),
    "bad operation": (
        edit(neighbor("192.0.2.2", attrs=' nc:operation="frob"')),
        {"error-tag": "bad-attribute"},
    ),
    "list entry without key": (
        edit(bgp("<neighbors><neighbor><config/></neighbor></neighbors>")),
        {"error-tag": "missing-element"},
    ),
    "invalid value names its path": (
        edit(neighbor("192.0.2.2", "<config><peer-as>70000000000</peer-as></config>")),
        {
            "error-tag": "invalid-value",
            "error-type": "application",
            "error-severity": "error",
            "error-path": NEIGHBOR_2 + "/pw-bgp:config/pw-bgp:peer-as",
            "error-message": "70000000000 is not a uint32",
        },
    ),
    "unknown leaf": (
        edit(neighbor("192.0.2.2", "<config><colour>red</colour></config>")),
        {"error-tag": "unknown-element", "error-path": NEIGHBOR_2 + "/pw-bgp:config/pw-bgp:colour"},
    ),
    "bad default-operation": (
        edit(bgp(""), "<default-operation>zap</default-operation>"),
        {"error-tag": "invalid-value"},
    ),
    "none needs existing data": (
        edit(
            neighbor("192.0.2.9", "<config><peer-as>1</peer-as></config>"),
            "<default-operation>none</default-operation>",
        ),
        {"error-tag": "data-missing"},
    ),
}


@pytest.mark.parametrize(("request_xml", "expected"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_errors(request_xml: str, expected: dict[str, str]) -> None:
    server = FakeServer()
    before = server.running_config()
    (reply,) = exchange(session(server), request_xml)
    found = errors(reply)
    assert found, "expected an rpc-error"
    assert {k: found[0].get(k) for k in expected} == expected
    assert {"error-type", "error-tag", "error-severity", "error-message"} <= set(found[0])
    assert server.running_config() == before, "a failed edit must not change running"
    assert server.applied == []


def neighbors_of(server: FakeServer) -> dict[str, dict[str, object]]:
    return {n["config"]["neighbor-address"]: n for n in server.config["neighbors"]}


# (edit request, address -> expected neighbor in running, or None when it must be gone)
EDIT_CASES = {
    "merge adds a neighbor": (
        edit(
            neighbor(
                "192.0.2.4",
                "<config><neighbor-address>192.0.2.4</neighbor-address><peer-as>65004</peer-as></config>",
            )
        ),
        {"192.0.2.4": {"config": {"neighbor-address": "192.0.2.4", "peer-as": 65004}}},
    ),
    "key only in the entry": (
        edit(neighbor("192.0.2.4", "<config><peer-as>65004</peer-as></config>")),
        {"192.0.2.4": {"config": {"neighbor-address": "192.0.2.4", "peer-as": 65004}}},
    ),
    "merge changes one leaf": (
        edit(neighbor("192.0.2.2", "<config><peer-as>65100</peer-as></config>")),
        {
            "192.0.2.2": {
                "config": {"neighbor-address": "192.0.2.2", "peer-as": 65100, "description": "two"},
                "timers": {"config": {"hold-time": 90, "keepalive-interval": 30}},
            }
        },
    ),
    "replace drops what it does not say": (
        edit(
            neighbor(
                "192.0.2.2",
                "<config><peer-as>65100</peer-as></config>",
                attrs=' nc:operation="replace"',
            )
        ),
        {"192.0.2.2": {"config": {"neighbor-address": "192.0.2.2", "peer-as": 65100}}},
    ),
    "delete a neighbor": (
        edit(neighbor("192.0.2.3", attrs=' nc:operation="delete"')),
        {"192.0.2.3": None},
    ),
    "remove a missing neighbor is fine": (
        edit(neighbor("192.0.2.9", attrs=' nc:operation="remove"')),
        {"192.0.2.9": None},
    ),
    "delete one leaf": (
        edit(neighbor("192.0.2.2", '<config><description nc:operation="delete"/></config>')),
        {
            "192.0.2.2": {
                "config": {"neighbor-address": "192.0.2.2", "peer-as": 65002},
                "timers": {"config": {"hold-time": 90, "keepalive-interval": 30}},
            }
        },
    ),
    "create a new neighbor": (
        edit(
            neighbor(
                "192.0.2.5", "<config><peer-as>5</peer-as></config>", attrs=' nc:operation="create"'
            )
        ),
        {"192.0.2.5": {"config": {"neighbor-address": "192.0.2.5", "peer-as": 5}}},
    ),
    "default-operation none with a nested delete": (
        edit(
            neighbor("192.0.2.3", attrs=' nc:operation="delete"'),
            "<default-operation>none</default-operation>",
        ),
        {
            "192.0.2.3": None,
            "192.0.2.2": {
                "config": {"neighbor-address": "192.0.2.2", "peer-as": 65002, "description": "two"},
                "timers": {"config": {"hold-time": 90, "keepalive-interval": 30}},
            },
        },
    ),
}


@pytest.mark.parametrize(("request_xml", "expected"), EDIT_CASES.values(), ids=EDIT_CASES.keys())
def test_edit_config(request_xml: str, expected: dict[str, object]) -> None:
    server = FakeServer()
    (reply,) = exchange(session(server), request_xml)
    assert errors(reply) == []
    assert reply.find("nc:ok", NS) is not None
    after = neighbors_of(server)
    for address, want in expected.items():
        assert after.get(address) == want
    assert server.config["global"] == FakeServer().config["global"]


def test_replace_whole_config_and_test_only() -> None:
    server = FakeServer()
    opened = session(server)
    test_only = edit(
        bgp("<global><config><as>1</as></config></global>"), "<test-option>test-only</test-option>"
    )
    (reply,) = exchange(opened, test_only)
    assert reply.find("nc:ok", NS) is not None and server.applied == []
    replace = edit(
        bgp("<global><config><as>1</as></config></global>"),
        "<default-operation>replace</default-operation>",
    )
    exchange(opened, replace)
    assert server.config == {"global": {"config": {"as": 1}}}


def test_locks() -> None:
    first = session()
    second = session(shared=first.agent)
    lock = rpc("<lock><target><running/></target></lock>")
    (ok,) = exchange(first, lock)
    assert ok.find("nc:ok", NS) is not None
    delete = edit(neighbor("192.0.2.3", attrs=' nc:operation="delete"'))
    denied, in_use = exchange(second, lock, delete)
    assert errors(denied)[0]["error-tag"] == "lock-denied"
    assert errors(in_use)[0]["error-tag"] == "in-use"
    (not_holder,) = exchange(second, rpc("<unlock><target><running/></target></unlock>"))
    assert errors(not_holder)[0]["error-tag"] == "operation-failed"
    first.close()  # a session's locks end with it
    (ok,) = exchange(second, lock)
    assert ok.find("nc:ok", NS) is not None


def test_close_session() -> None:
    opened = session()
    reply = asyncio.run(
        opened.feed(b"<rpc xmlns='%s' message-id='9'><close-session/></rpc>]]>]]>" % NC_NS.encode())
    )
    assert b"<ok/>" in reply and opened.closed


@pytest.mark.parametrize(
    "client_hello",
    [
        "<hello/>",  # no namespace, no capability
        hello("urn:x"),  # no base capability
        hello("urn:ietf:params:netconf:base:1.0").replace(
            "</hello>", "<session-id>4</session-id></hello>"
        ),
        "garbage",
    ],
)
def test_bad_client_hello_closes_the_session(client_hello: str) -> None:
    opened = NetconfSession(agent())
    asyncio.run(opened.feed(client_hello.encode() + b"]]>]]>"))
    assert opened.closed


def test_broken_framing_closes_the_session() -> None:
    opened = NetconfSession(agent())
    hello_11 = hello("urn:ietf:params:netconf:base:1.1").encode() + b"]]>]]>"
    assert asyncio.run(opened.feed(hello_11 + b"\n#0\n")) == b""
    assert opened.closed


def test_session_ids_and_hello() -> None:
    shared = agent()
    first, second = NetconfSession(shared), NetconfSession(shared)
    assert (first.session_id, second.session_id) == (1, 2)
    text = first.start().decode()
    assert text.endswith("]]>]]>")
    assert "<session-id>1</session-id>" in text
    assert (
        f"urn:peerwise:yang:peerwise-bgp?module=peerwise-bgp&amp;revision={NEWEST_REVISION}" in text
    )


# Edits checked by the real model (peerwise.model.validate): (edit, tag, path, message start).
MODEL_CASES = {
    "uint32 out of range": (
        neighbor("192.0.2.3", "<config><peer-as>70000000000</peer-as></config>"),
        "invalid-value",
        "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.3']"
        "/pw-bgp:config/pw-bgp:peer-as",
        "70000000000 is not a uint32",
    ),
    "unknown leaf": (
        bgp("<global><config><colour>red</colour></config></global>"),
        "unknown-element",
        "/pw-bgp:bgp/pw-bgp:global/pw-bgp:config/pw-bgp:colour",
        "unknown setting 'colour'",
    ),
}


@pytest.mark.parametrize(
    ("config", "tag", "path", "text"), MODEL_CASES.values(), ids=MODEL_CASES.keys()
)
def test_edits_validated_by_the_model(config: str, tag: str, path: str, text: str) -> None:
    server = FakeServer()
    opened = session(shared=NetconfAgent(server))
    (reply,) = exchange(opened, edit(config))
    (error,) = errors(reply)
    assert (error["error-tag"], error["error-path"]) == (tag, path)
    assert error["error-message"].startswith(text)
    assert server.applied == []


def test_valid_edit_passes_the_model_and_gets_defaults() -> None:
    server = FakeServer()
    opened = session(shared=NetconfAgent(server))
    (reply,) = exchange(
        opened, edit(neighbor("192.0.2.9", "<config><peer-as>65009</peer-as></config>"))
    )
    assert errors(reply) == []
    added = server.config["neighbors"][-1]["config"]
    assert added["neighbor-address"] == "192.0.2.9" and added["peer-as"] == 65009
    assert added["enabled"] is True, "the model's defaults are filled before apply"


@pytest.mark.parametrize(
    "content",
    ["<neighbors/>", "<rib/>", "<rib><routes/></rib>", "<neighbors></neighbors>"],
)
def test_an_empty_container_merges_nothing(content: str) -> None:
    server = FakeServer()
    before = server.config
    (reply,) = exchange(session(server), edit(f'<bgp xmlns="{PW_NS}">{content}</bgp>'))
    assert errors(reply) == []
    assert reply.find("nc:ok", NS) is not None
    assert neighbors_of(server) == {n["config"]["neighbor-address"]: n for n in before["neighbors"]}
    assert server.config["global"] == before["global"]
