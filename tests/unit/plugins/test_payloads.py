"""NETCONF edit-config payloads rendered from file-shape trees (module_utils/peerwise_payload)."""

from __future__ import annotations

import pytest
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_payload as pp

NS = 'xmlns="urn:peerwise:yang:peerwise-bgp"'
NC = 'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"'
A = "198.18.0.12"
KEY = f"<neighbor-address>{A}</neighbor-address>"
N12 = {"config": {"neighbor-address": A, "description": "core"}}
ROUTE = {"config": {"prefix": "203.0.113.0/24", "communities": ["65001:1", "65001:2"]}}
R_KEY = "<prefix>203.0.113.0/24</prefix>"

CASES = [
    # (id, rendered payload, expected XML)
    (
        "neighbor: merge, key first",
        pp.neighbor_payload(N12),
        f"<bgp {NS}><neighbors><neighbor>{KEY}<config>{KEY}<description>core</description>"
        "</config></neighbor></neighbors></bgp>",
    ),
    (
        "neighbor: families replace the list",
        pp.neighbor_payload(
            {"config": {"neighbor-address": A}, "afi-safis": [{"config": {"afi-safi-name": "x"}}]},
            families_replace=True,
        ),
        f"<bgp {NC} {NS}><neighbors><neighbor>{KEY}<config>{KEY}</config>"
        '<afi-safis nc:operation="replace"><afi-safi><afi-safi-name>x</afi-safi-name>'
        "<config><afi-safi-name>x</afi-safi-name></config></afi-safi></afi-safis>"
        "</neighbor></neighbors></bgp>",
    ),
    (
        "neighbor: absent removes by key only",
        pp.neighbor_payload(N12, "absent"),
        f'<bgp {NC} {NS}><neighbors><neighbor nc:operation="remove">{KEY}</neighbor>'
        "</neighbors></bgp>",
    ),
    (
        "global: booleans, numbers and a leaf-list",
        pp.global_payload({"config": {"as": 65001, "local-address-list": ["a", "b"]}}),
        f"<bgp {NS}><global><config><as>65001</as><local-address-list>a</local-address-list>"
        "<local-address-list>b</local-address-list></config></global></bgp>",
    ),
    (
        "route: present replaces the entry",
        pp.route_payload(ROUTE),
        f'<bgp {NC} {NS}><rib><routes><route nc:operation="replace">{R_KEY}<config>{R_KEY}'
        "<communities>65001:1</communities><communities>65001:2</communities></config>"
        "</route></routes></rib></bgp>",
    ),
    (
        "route: absent removes by key only",
        pp.route_payload(ROUTE, "absent"),
        f'<bgp {NC} {NS}><rib><routes><route nc:operation="remove">{R_KEY}</route></routes>'
        "</rib></bgp>",
    ),
    (
        "config merged: no operation",
        pp.state_payload("merged", {"neighbors": [N12]}),
        f"<bgp {NS}><neighbors><neighbor>{KEY}<config>{KEY}<description>core</description>"
        "</config></neighbor></neighbors></bgp>",
    ),
    (
        "config replaced: each given entry",
        pp.state_payload("replaced", {"neighbors": [N12]}),
        f'<bgp {NC} {NS}><neighbors><neighbor nc:operation="replace">{KEY}<config>{KEY}'
        "<description>core</description></config></neighbor></neighbors></bgp>",
    ),
    (
        "config overridden: the lists themselves, routes emptied when not given",
        pp.state_payload("overridden", {"neighbors": [N12]}),
        f'<bgp {NC} {NS}><neighbors nc:operation="replace"><neighbor>{KEY}<config>{KEY}'
        "<description>core</description></config></neighbor></neighbors><rib nc:operation="
        '"replace" /></bgp>',
    ),
    (
        "config deleted: the given entries by key",
        pp.state_payload("deleted", {"neighbors": [N12], "rib": {"routes": [ROUTE]}}),
        f'<bgp {NC} {NS}><neighbors><neighbor nc:operation="remove">{KEY}</neighbor>'
        f'</neighbors><rib><routes><route nc:operation="remove">{R_KEY}</route></routes>'
        "</rib></bgp>",
    ),
    (
        "config deleted without config: every neighbor and route",
        pp.state_payload("deleted", {}),
        f'<bgp {NC} {NS}><neighbors nc:operation="remove" /><rib nc:operation="remove" /></bgp>',
    ),
]


@pytest.mark.parametrize(("payload", "xml"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_payload(payload, xml):
    assert payload == xml
