"""File shape <-> option shape, leaf diffs and secret masking (module_utils/peerwise_bgp.py)."""

from __future__ import annotations

import pytest
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp

N12 = {
    "config": {"neighbor-address": "198.18.0.12", "peer-as": 65002, "auth-password": "s3cret"},
    "timers": {"config": {"hold-time": 90}},
    "afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast", "enabled": True}}],
}
ROUTE = {"config": {"prefix": "203.0.113.0/24", "next-hop": "198.18.0.11"}}
TREE = {"global": {"config": {"as": 65001}}, "neighbors": [N12], "rib": {"routes": [ROUTE]}}

OPTION_CASES = [
    # (id, file shape, option shape)
    ("global leaves lifted", {"global": {"config": {"router-id": "1.1.1.1"}}},
     {"global": {"router_id": "1.1.1.1"}}),
    ("list entries and nested containers", {"neighbors": [N12]}, {"neighbors": [{
        "neighbor_address": "198.18.0.12", "peer_as": 65002, "auth_password": "s3cret",
        "timers": {"hold_time": 90},
        "afi_safis": [{"afi_safi_name": "ipv4-unicast", "enabled": True}]}]}),
    ("rib has no config of its own", {"rib": {"routes": [ROUTE]}},
     {"rib": {"routes": [{"prefix": "203.0.113.0/24", "next_hop": "198.18.0.11"}]}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tree", "options"), [c[1:] for c in OPTION_CASES], ids=[c[0] for c in OPTION_CASES]
)
def test_to_options(tree, options):
    assert bgp.to_options(tree) == options


CHANGE_CASES = [
    # (id, before, after, expected changes)
    ("nothing", TREE, TREE, []),
    ("a leaf of a keyed entry",
     {"neighbors": [N12]},
     {"neighbors": [dict(N12, timers={"config": {"hold-time": 9}})]},
     [{"path": "neighbors[198.18.0.12].timers.config.hold-time", "before": 90, "after": 9}]),
    ("an entry removed, secrets masked",
     {"neighbors": [N12]}, {"neighbors": []},
     [{"path": "neighbors[198.18.0.12].afi-safis[ipv4-unicast].config.afi-safi-name",
       "before": "ipv4-unicast", "after": None},
      {"path": "neighbors[198.18.0.12].afi-safis[ipv4-unicast].config.enabled",
       "before": True, "after": None},
      {"path": "neighbors[198.18.0.12].config.auth-password", "before": "********",
       "after": None},
      {"path": "neighbors[198.18.0.12].config.neighbor-address", "before": "198.18.0.12",
       "after": None},
      {"path": "neighbors[198.18.0.12].config.peer-as", "before": 65002, "after": None},
      {"path": "neighbors[198.18.0.12].timers.config.hold-time", "before": 90, "after": None}]),
    ("a route added",
     {}, {"rib": {"routes": [ROUTE]}},
     [{"path": "rib.routes[203.0.113.0/24].config.next-hop", "before": None,
       "after": "198.18.0.11"},
      {"path": "rib.routes[203.0.113.0/24].config.prefix", "before": None,
       "after": "203.0.113.0/24"}]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "changes"), [c[1:] for c in CHANGE_CASES], ids=[c[0] for c in CHANGE_CASES]
)
def test_tree_changes(before, after, changes):
    assert bgp.tree_changes(before, after) == changes


def test_mask_secrets_hides_the_password_only_and_copies():
    masked = bgp.mask_secrets(TREE)
    assert masked["neighbors"][0]["config"]["auth-password"] == "********"
    assert masked["neighbors"][0]["config"]["peer-as"] == 65002
    assert N12["config"]["auth-password"] == "s3cret"


@pytest.mark.parametrize(
    ("find", "key", "expected"),
    [
        (bgp.find_neighbor, "198.18.0.12", N12),
        (bgp.find_neighbor, "198.18.0.99", None),
        (bgp.find_route, "203.0.113.0/24", ROUTE),
        (bgp.find_route, "192.0.2.0/24", None),
    ],
)
def test_find(find, key, expected):
    assert find(TREE, key) == expected
