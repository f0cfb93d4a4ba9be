"""File shape <-> nested tree, and typing what xmltodict reads from NETCONF XML."""

from __future__ import annotations

from typing import Any

import pytest
import xmltodict

from peerwise.model import coerce, load_text, state_errors, to_file_shape, to_nested

from .helpers import BASE

NS = "urn:peerwise:yang:peerwise-bgp"
STATE: dict[str, Any] = {
    "global": {
        "config": {"as": 65001, "router-id": "192.0.2.1"},
        "state": {"as": 65001, "router-id": "192.0.2.1", "port": 179, "total-paths": 0},
    },
    "neighbors": [{
        "config": {"neighbor-address": "192.0.2.2", "peer-as": 65002},
        "state": {
            "neighbor-address": "192.0.2.2", "session-state": "ESTABLISHED", "enabled": True,
            "supported-capabilities": ["MPBGP", "ASN32"],
            "capabilities": {
                "advertised": [{"name": "MPBGP", "code": 1, "afi-safi": "ipv4-unicast"},
                               {"name": "ASN32", "code": 65, "as": 65001}],
                "received": [{"name": "EXTENDED_NEXTHOP", "code": 5, "tuples": [
                    {"afi-safi": "ipv4-unicast", "nexthop-afi": "ipv6"}]}],
            },
            "messages": {"sent": {"OPEN": 1, "KEEPALIVE": 25, "TOTAL": 26},
                         "received": {"UPDATE": 2, "TOTAL": 3}},
            "last-notification-received": {"code": "CEASE", "subcode": "ADMINISTRATIVE_SHUTDOWN",
                                           "text": "Cease", "time": 1764115200},
        },
        "timers": {"state": {"negotiated-hold-time": 90}},
        "transport": {"state": {"local-port": 40123, "remote-address": "192.0.2.2"}},
        "afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast"}, "state": {"active": True}}],
    }],
}  # fmt: skip


@pytest.mark.parametrize("tree", [BASE, STATE, {}], ids=["config", "state", "empty"])
def test_round_trip(tree: dict[str, Any]) -> None:
    assert to_file_shape(to_nested(tree)) == tree


def test_nested_shape_puts_keys_first() -> None:
    nested = to_nested(STATE)["bgp"]
    [neighbor] = nested["neighbors"]["neighbor"]
    assert list(neighbor)[:2] == ["neighbor-address", "config"]
    assert neighbor["afi-safis"] == {"afi-safi": [{
        "afi-safi-name": "ipv4-unicast", "config": {"afi-safi-name": "ipv4-unicast"},
        "state": {"active": True}}]}  # fmt: skip
    assert isinstance(neighbor["state"]["capabilities"]["advertised"], list)


def test_state_tree_is_valid() -> None:
    assert state_errors(STATE) == []
    bad = {"neighbors": [{"config": {"neighbor-address": "192.0.2.2"},
                          "state": {"session-state": "UP"}}]}  # fmt: skip
    assert [str(e) for e in state_errors(bad)] == [
        "neighbors[0].state.session-state: 'UP' is not one of 'IDLE', 'CONNECT', 'ACTIVE', "
        "'OPENSENT', 'OPENCONFIRM', 'ESTABLISHED'"
    ]


def xml(body: str) -> dict[str, Any]:
    parsed: dict[str, Any] = xmltodict.parse(f'<bgp xmlns="{NS}">{body}</bgp>')
    return parsed


COERCE: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("numbers and one-entry list",
     xml("<global><config><as>65001</as><router-id>192.0.2.1</router-id>"
         "<port>179</port></config></global>"
         "<neighbors><neighbor><neighbor-address>192.0.2.2</neighbor-address>"
         "<config><neighbor-address>192.0.2.2</neighbor-address><peer-as>65002</peer-as>"
         "<enabled>false</enabled><description/></config></neighbor></neighbors>"),
     {"global": {"config": {"as": 65001, "router-id": "192.0.2.1", "port": 179}},
      "neighbors": [{"config": {"neighbor-address": "192.0.2.2", "peer-as": 65002,
                                "enabled": False, "description": ""}}]}),
    ("leaf-list of one, prefixed names",
     xmltodict.parse(f'<pw:bgp xmlns:pw="{NS}"><pw:global><pw:config>'
                     "<pw:local-address-list>::1</pw:local-address-list>"
                     "</pw:config></pw:global></pw:bgp>"),
     {"global": {"config": {"local-address-list": ["::1"]}}}),
    ("two neighbors, key only (as in a delete)",
     xml("<neighbors><neighbor><neighbor-address>192.0.2.2</neighbor-address></neighbor>"
         "<neighbor><neighbor-address>192.0.2.3</neighbor-address></neighbor></neighbors>"),
     {"neighbors": [{"config": {"neighbor-address": "192.0.2.2"}},
                    {"config": {"neighbor-address": "192.0.2.3"}}]}),
    ("state counters and capability lists",
     xml("<neighbors><neighbor><neighbor-address>192.0.2.2</neighbor-address><state>"
         "<messages><sent><TOTAL>26</TOTAL></sent></messages>"
         "<supported-capabilities>MPBGP</supported-capabilities>"
         "<capabilities><advertised><name>ASN32</name><code>65</code><as>65001</as>"
         "</advertised></capabilities></state></neighbor></neighbors>"),
     {"neighbors": [{"config": {"neighbor-address": "192.0.2.2"}, "state": {
         "messages": {"sent": {"TOTAL": 26}}, "supported-capabilities": ["MPBGP"],
         "capabilities": {"advertised": [{"name": "ASN32", "code": 65, "as": 65001}]}}}]}),
    ("a bad number is left for validation to name",
     xml("<global><config><as>lots</as></config></global>"),
     {"global": {"config": {"as": "lots"}}}),
    ("empty container", xml("<neighbors/>"), {"neighbors": []}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("parsed", "expected"), [c[1:] for c in COERCE], ids=[c[0] for c in COERCE]
)
def test_coerce_xml(parsed: dict[str, Any], expected: dict[str, Any]) -> None:
    assert to_file_shape(coerce(parsed)) == expected


def test_coerce_keeps_shape_and_is_idempotent() -> None:
    flat = {"global": {"config": {"as": "65001", "router-id": "192.0.2.1"}}}
    typed = coerce(flat)
    assert typed == {"global": {"config": {"as": 65001, "router-id": "192.0.2.1"}}}
    assert coerce(typed) == typed
    assert coerce(to_nested(typed)) == to_nested(typed)


def test_operation_attributes_stay_on_entries() -> None:
    parsed = xml('<neighbors><neighbor xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" '
                 'nc:operation="delete"><neighbor-address>192.0.2.2</neighbor-address>'
                 "</neighbor></neighbors>")  # fmt: skip
    [entry] = coerce(parsed)["bgp"]["neighbors"]["neighbor"]
    assert entry == {"@nc:operation": "delete", "neighbor-address": "192.0.2.2"}


def test_xml_round_trip_of_a_loaded_file() -> None:
    text = (
        'global = {config = {as = 1, router-id = "192.0.2.1"}}\n'
        '[[neighbors]]\nconfig = {neighbor-address = "::2", peer-as = 2}\n'
    )
    cfg = load_text(text, "toml")
    text = xmltodict.unparse({"bgp": {"@xmlns": NS, **to_nested(cfg)["bgp"]}})
    assert to_file_shape(coerce(xmltodict.parse(text))) == cfg
