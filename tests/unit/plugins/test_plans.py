"""bgp_neighbor / bgp_global planning: want vs have as data (module_utils/peerwise_bgp.py)."""

from __future__ import annotations

import pytest
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp

HAVE = {
    "global": {"config": {"as": 65001, "router-id": "198.18.0.11", "port": 179}},
    "neighbors": [
        {
            "config": {
                "neighbor-address": "198.18.0.12",
                "peer-as": 65002,
                "description": "node2",
                "enabled": True,
            },
            "timers": {"config": {"hold-time": 90, "keepalive-interval": 30}},
            "afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast", "enabled": True}}],
        }
    ],
}


def params(**kw):
    base = {"neighbor_address": "198.18.0.12", "state": "present"}
    base.update(kw)
    return base


NEIGHBOR_CASES = [
    # (id, module params, expected action, expected changes)
    ("same values: nothing", params(peer_as=65002, description="node2"), "none", []),
    ("unset options keep the speaker's values", params(), "none", []),
    (
        "description only",
        params(description="core"),
        "merge",
        [(("config", "description"), "node2", "core")],
    ),
    (
        "hold time",
        params(timers={"hold_time": 9, "keepalive_interval": None, "connect_retry": None}),
        "merge",
        [(("timers", "config", "hold-time"), 90, 9)],
    ),
    (
        "new leaf in a missing container",
        params(transport={"passive_mode": True}),
        "merge",
        [(("transport", "config", "passive-mode"), None, True)],
    ),
    (
        "families are compared as a set",
        params(afi_safis=["ipv4-unicast"]),
        "none",
        [],
    ),
    (
        "families replaced",
        params(afi_safis=["ipv6-unicast", "ipv4-unicast"]),
        "merge",
        [(("afi-safis",), ["ipv4-unicast"], ["ipv4-unicast", "ipv6-unicast"])],
    ),
    (
        "create",
        params(neighbor_address="198.18.0.13", peer_as=65003),
        "merge",
        [(("config", "peer-as"), None, 65003)],
    ),
    ("delete", params(state="absent"), "delete", []),
    (
        "delete a missing neighbor: nothing",
        params(neighbor_address="198.18.0.99", state="absent"),
        "none",
        [],
    ),
]


@pytest.mark.parametrize(
    ("given", "action", "changes"),
    [c[1:] for c in NEIGHBOR_CASES],
    ids=[c[0] for c in NEIGHBOR_CASES],
)
def test_neighbor_plan(given, action, changes):
    assert bgp.neighbor_plan(given, HAVE) == (action, changes)


def test_creating_a_neighbor_needs_peer_as():
    with pytest.raises(ValueError, match="peer_as is required"):
        bgp.neighbor_plan(params(neighbor_address="198.18.0.13"), HAVE)


GLOBAL_CASES = [
    ("same", {"as": 65001, "router_id": "198.18.0.11"}, []),
    ("nothing asked", {}, []),
    ("new AS", {"as": 4200000000}, [(("config", "as"), 65001, 4200000000)]),
    (
        "listen addresses",
        {"listen_addresses": ["198.18.0.11"]},
        [(("config", "local-address-list"), None, ["198.18.0.11"])],
    ),
]


@pytest.mark.parametrize(
    ("given", "changes"), [c[1:] for c in GLOBAL_CASES], ids=[c[0] for c in GLOBAL_CASES]
)
def test_global_plan(given, changes):
    full = {"as": None, "router_id": None, "listen_addresses": None, "port": None}
    full.update(given)
    assert bgp.global_plan(full, HAVE) == changes


def test_apply_changes_predicts_after_without_touching_before():
    before = bgp.find_neighbor(HAVE, "198.18.0.12")
    changes = [(("config", "description"), "node2", "core"), (("afi-safis",), [], ["l2vpn-evpn"])]
    after = bgp.apply_changes(before, changes)
    assert after["config"]["description"] == "core"
    assert bgp.afi_safi_names(after) == ["l2vpn-evpn"]
    assert before["config"]["description"] == "node2"


def test_mask_secrets_hides_the_password_only():
    entry = {"config": {"neighbor-address": "198.18.0.12", "auth-password": "s3cret"}}
    masked = bgp.mask_secrets(entry)
    assert masked["config"] == {"neighbor-address": "198.18.0.12", "auth-password": "********"}
    assert entry["config"]["auth-password"] == "s3cret"
