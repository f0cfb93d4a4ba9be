"""The action plugins' check on the controller: bad input fails before anything is sent,
naming the option and the model's rule; good input becomes the file shape that is rendered."""

from __future__ import annotations

import importlib

import pytest

ACTIONS = {
    name: importlib.import_module(f"ansible_collections.peerwise.bgp.plugins.action.{name}")
    for name in ("bgp_neighbor", "bgp_global", "bgp_route", "bgp_config")
}


def check(module, args):
    """(tree, problems) as the action plugin computes them; needs no task or connection."""
    action = ACTIONS[module].ActionModule.__new__(ACTIONS[module].ActionModule)
    return action.check(args)


N = {"neighbor_address": "198.18.0.12"}

BAD = [
    # (id, module, args, the problem, as the task shows it)
    ("peer_as not a number", "bgp_neighbor", dict(N, peer_as="x"),
     "peer_as: 'x' is not an integer (model neighbors[].config.peer-as: uint32, 0..4294967295)"),
    ("hold time 2 (RFC 4271 §4.2)", "bgp_neighbor", dict(N, timers={"hold_time": 2}),
     "timers.hold_time: 2 is not allowed: hold-time is 0 or at least 3 (RFC 4271 §4.2) "
     "(model rule, neighbors[0].timers.config.hold-time)"),
    ("keepalive not below hold time", "bgp_neighbor",
     dict(N, timers={"hold_time": 9, "keepalive_interval": 9}),
     "timers.keepalive_interval: 9 must be less than hold-time 9 (RFC 4271 §10) "
     "(model rule, neighbors[0].timers.config.keepalive-interval)"),
    ("unknown key", "bgp_neighbor", dict(N, hold_time=9),
     "hold_time: not in the model here (known: afi_safis, apply_policy, auth_password, "
     "description, ebgp_multihop, enabled, local_as, neighbor_address, peer_as, timers, "
     "transport)"),
    ("unknown key below", "bgp_neighbor", dict(N, timers={"hold": 9}),
     "timers.hold: not in the model here (known: connect_retry, hold_time, keepalive_interval, "
     "minimum_advertisement_interval)"),
    ("address pattern", "bgp_neighbor", {"neighbor_address": "198.18.0.300"},
     "neighbor_address: '198.18.0.300' is not a valid ip-address "
     "(model neighbors[].config.neighbor-address: ip-address)"),
    ("enumeration", "bgp_neighbor", dict(N, afi_safis=[{"afi_safi_name": "l2vpn-evpn"}]),
     "afi_safis[0].afi_safi_name: 'l2vpn-evpn' is not one of ipv4-unicast, ipv6-unicast "
     "(model neighbors[].afi-safis[].config.afi-safi-name: afi-safi-type, one of "
     "ipv4-unicast, ipv6-unicast)"),
    ("range", "bgp_neighbor", dict(N, ebgp_multihop={"multihop_ttl": 256}),
     "ebgp_multihop.multihop_ttl: 256 is out of range "
     "(model neighbors[].ebgp-multihop.config.multihop-ttl: uint8, 1..255)"),
    ("reserved AS (RFC 6793)", "bgp_global", {"as": 23456},
     "as: 23456 is AS_TRANS, which cannot be configured (RFC 6793) "
     "(model rule, global.config.as)"),
    ("router ID 0.0.0.0", "bgp_global", {"router_id": "0.0.0.0"},
     "router_id: '0.0.0.0' is not a usable BGP Identifier (model rule, global.config.router-id)"),
    ("boolean", "bgp_neighbor", dict(N, enabled="maybe"),
     "enabled: 'maybe' is not a boolean (model neighbors[].config.enabled: boolean)"),
    ("community pattern", "bgp_route", {"prefix": "203.0.113.0/24", "communities": ["x"]},
     "communities: 'x' is not a valid community (model rib.routes[].config.communities: "
     "community)"),
    ("next hop of the wrong family", "bgp_route",
     {"prefix": "203.0.113.0/24", "next_hop": "2001:db8::1"},
     "next_hop: '2001:db8::1' is not IPv4 like the prefix 203.0.113.0/24 "
     "(model rule, rib.routes[0].config.next-hop)"),
    ("bgp_config names the path from config", "bgp_config",
     {"config": {"neighbors": [N, dict(N, timers={"hold_time": 1})]}},
     "config.neighbors[1].timers.hold_time: 1 is not allowed: hold-time is 0 or at least 3 "
     "(RFC 4271 §4.2) (model rule, neighbors[1].timers.config.hold-time)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "args", "problem"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_is_refused_with_the_models_rule(module, args, problem):
    assert check(module, args)[1] == [problem]


GOOD = [
    # (id, module, args, file-shape tree)
    ("unset options are left out; strings of digits are numbers", "bgp_neighbor",
     dict(N, peer_as="65002", description=None, state="present", api_socket="/s"),
     {"config": {"neighbor-address": "198.18.0.12", "peer-as": 65002}}),
    ("absent uses the key only", "bgp_neighbor", dict(N, peer_as="x", state="absent"),
     {"config": {"neighbor-address": "198.18.0.12"}}),
    ("hold time 0 is allowed", "bgp_neighbor", dict(N, timers={"hold_time": 0}),
     {"config": {"neighbor-address": "198.18.0.12"}, "timers": {"config": {"hold-time": 0}}}),
    ("IPv6 and ansible booleans", "bgp_neighbor",
     {"neighbor_address": "2001:db8::2", "enabled": "yes"},
     {"config": {"neighbor-address": "2001:db8::2", "enabled": True}}),
    ("global leaf-list", "bgp_global", {"as": 65001, "local_address_list": ["198.18.0.11"]},
     {"config": {"as": 65001, "local-address-list": ["198.18.0.11"]}}),
    ("bgp_config gathered needs no config", "bgp_config", {"state": "gathered"}, {}),
    ("bgp_config whole tree", "bgp_config",
     {"config": {"global": {"as": 65001}, "rib": {"routes": [{"prefix": "10.0.0.0/8"}]}}},
     {"global": {"config": {"as": 65001}},
      "rib": {"routes": [{"config": {"prefix": "10.0.0.0/8"}}]}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "args", "tree"), [c[1:] for c in GOOD], ids=[c[0] for c in GOOD]
)
def test_good_input_becomes_the_file_shape(module, args, tree):
    assert check(module, args) == (tree, [])
