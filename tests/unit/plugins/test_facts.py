"""From the speaker's NETCONF reply to ansible_facts.bgp (peerwise_api + peerwise_bgp)."""

from __future__ import annotations

import pytest
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils.peerwise_bgp import bgp_facts

REPLY = """<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data>
<bgp xmlns="urn:peerwise:yang:peerwise-bgp">
 <global>
  <config><as>65001</as><router-id>198.18.0.11</router-id>
          <local-address-list>198.18.0.11</local-address-list></config>
  <state><as>65001</as><total-prefixes>0</total-prefixes></state>
 </global>
 <neighbors><neighbor>
  <neighbor-address>198.18.0.12</neighbor-address>
  <config><neighbor-address>198.18.0.12</neighbor-address><peer-as>65002</peer-as>
          <description>007</description><enabled>true</enabled></config>
  <timers><config><hold-time>90</hold-time><keepalive-interval>30</keepalive-interval></config>
          <state><negotiated-hold-time>9</negotiated-hold-time>
                 <keepalive-interval>3</keepalive-interval></state></timers>
  <afi-safis><afi-safi><afi-safi-name>ipv4-unicast</afi-safi-name>
    <config><afi-safi-name>ipv4-unicast</afi-safi-name><enabled>true</enabled></config>
  </afi-safi></afi-safis>
  <state>
   <session-state>ESTABLISHED</session-state><peer-as>65002</peer-as><uptime>42</uptime>
   <supported-capabilities>ASN32</supported-capabilities>
   <capabilities>
    <advertised><name>MPBGP</name><code>1</code><afi-safi>ipv4-unicast</afi-safi></advertised>
    <advertised><name>MPBGP</name><code>1</code><afi-safi>ipv6-unicast</afi-safi></advertised>
    <advertised><name>ASN32</name><code>65</code><as>65001</as></advertised>
    <advertised><name>GRACEFUL_RESTART</name><code>64</code><afi-safis/></advertised>
    <received><name>MPBGP</name><code>1</code><afi-safi>ipv4-unicast</afi-safi></received>
   </capabilities>
   <messages><sent><OPEN>1</OPEN><TOTAL>5</TOTAL></sent>
             <received><OPEN>1</OPEN><TOTAL>4</TOTAL></received></messages>
   <prefixes><received>3</received><accepted>2</accepted></prefixes>
   <last-error></last-error>
  </state>
 </neighbor></neighbors>
</bgp></data></rpc-reply>"""

FACTS = bgp_facts(peerwise_api.reply_tree(REPLY))
N = FACTS["neighbors"]["198.18.0.12"]

CASES = [
    # (what, value found, value expected)
    ("global merges config and state", FACTS["global"]["as"], 65001),
    (
        "a single leaf-list entry is still a list",
        FACTS["global"]["local_address_list"],
        ["198.18.0.11"],
    ),
    ("established addresses", FACTS["established"], ["198.18.0.12"]),
    ("session state", N["session_state"], "ESTABLISHED"),
    ("description stays a string", N["description"], "007"),
    ("hold time", N["hold_time"], {"configured": 90, "negotiated": 9}),
    ("keepalive", N["keepalive_interval"], {"configured": 30, "negotiated": 3}),
    ("advertised names", N["capabilities"]["advertised"], ["ASN32", "GRACEFUL_RESTART", "MPBGP"]),
    (
        "an empty element is an empty list",
        N["capabilities"]["detail"]["advertised"][3],
        {"name": "GRACEFUL_RESTART", "code": 64, "afi_safis": []},
    ),
    ("received names", N["capabilities"]["received"], ["MPBGP"]),
    ("negotiated names", N["capabilities"]["negotiated"], ["ASN32"]),
    ("families both sides", N["afi_safis"]["negotiated"], ["ipv4-unicast"]),
    ("families configured", N["afi_safis"]["configured"], ["ipv4-unicast"]),
    ("4-octet AS", N["four_octet_as"], True),
    ("route refresh not negotiated", N["route_refresh"], False),
    ("messages sent", N["messages"]["sent"], {"open": 1, "total": 5}),
    (
        "messages received is a counter set, not a capability list",
        N["messages"]["received"],
        {"open": 1, "total": 4},
    ),
    ("prefix counters", N["prefixes"], {"received": 3, "accepted": 2}),
    ("empty last error", N["last_error"], ""),
]


@pytest.mark.parametrize(("found", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_facts(found, expected):
    assert found == expected


def test_empty_reply_gives_no_neighbors():
    empty = '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data/></rpc-reply>'
    assert bgp_facts(peerwise_api.reply_tree(empty)) == {
        "global": {},
        "neighbors": {},
        "established": [],
    }
