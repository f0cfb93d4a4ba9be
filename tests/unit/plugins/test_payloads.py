"""NETCONF edit-config payloads rendered from plans (module_utils/peerwise_bgp.py)."""

from __future__ import annotations

import pytest
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp

NS = 'xmlns="urn:peerwise:yang:peerwise-bgp"'
NC = 'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"'
ADDR = "198.18.0.12"

CASES = [
    (
        "merge one leaf",
        bgp.neighbor_payload(ADDR, "merge", [(("config", "description"), None, "core")]),
        f"<bgp {NS}><neighbors><neighbor><neighbor-address>{ADDR}</neighbor-address>"
        f"<config><neighbor-address>{ADDR}</neighbor-address><description>core</description>"
        "</config></neighbor></neighbors></bgp>",
    ),
    (
        "booleans and nested containers",
        bgp.neighbor_payload(
            ADDR, "merge", [(("transport", "config", "passive-mode"), None, True)]
        ),
        f"<bgp {NS}><neighbors><neighbor><neighbor-address>{ADDR}</neighbor-address>"
        f"<config><neighbor-address>{ADDR}</neighbor-address></config>"
        "<transport><config><passive-mode>true</passive-mode></config></transport>"
        "</neighbor></neighbors></bgp>",
    ),
    (
        "families replace the list",
        bgp.neighbor_payload(ADDR, "merge", [(("afi-safis",), [], ["ipv6-unicast"])]),
        f"<bgp {NC} {NS}><neighbors><neighbor><neighbor-address>{ADDR}</neighbor-address>"
        f"<config><neighbor-address>{ADDR}</neighbor-address></config>"
        '<afi-safis nc:operation="replace"><afi-safi><afi-safi-name>ipv6-unicast</afi-safi-name>'
        "<config><afi-safi-name>ipv6-unicast</afi-safi-name><enabled>true</enabled></config>"
        "</afi-safi></afi-safis></neighbor></neighbors></bgp>",
    ),
    (
        "delete names the key only",
        bgp.neighbor_payload(ADDR, "delete", []),
        f"<bgp {NC} {NS}><neighbors>"
        f'<neighbor nc:operation="delete"><neighbor-address>{ADDR}</neighbor-address></neighbor>'
        "</neighbors></bgp>",
    ),
    (
        "global leaves and a leaf-list",
        bgp.global_payload(
            [(("config", "as"), 1, 65001), (("config", "local-address-list"), None, ["a", "b"])]
        ),
        f"<bgp {NS}><global><config><as>65001</as>"
        "<local-address-list>a</local-address-list><local-address-list>b</local-address-list>"
        "</config></global></bgp>",
    ),
]


@pytest.mark.parametrize(("element", "xml"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_payload(element, xml):
    assert bgp.to_string(element) == xml
