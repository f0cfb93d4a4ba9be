"""The running config as one typed value (``RunningConfig.build``), defaults from the model."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.model import config_schema
from peerwise.rib import Policy
from peerwise.rib.limit import PrefixLimit
from peerwise.session.config import RunningConfig, prefix_limits
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST

SEED = {
    "global": {"config": {"as": 65001, "router-id": "192.0.2.1"}},
    "neighbors": [{"config": {"neighbor-address": "192.0.2.2", "peer-as": 65002}}],
}


def _default(*path: str) -> Any:
    node: Any = config_schema()
    for name in path:
        node = node["items"] if name == "[]" else node["properties"][name]
    return node["default"]


def test_a_bare_neighbor_runs_with_the_models_defaults() -> None:
    n = RunningConfig.build(SEED).neighbors["192.0.2.2"]
    timers = ("neighbors", "[]", "timers", "config")
    assert n.hold_time == _default(*timers, "hold-time")
    assert n.keepalive == _default(*timers, "keepalive-interval")
    assert n.connect_retry == _default(*timers, "connect-retry")
    assert n.remote_port == _default("neighbors", "[]", "transport", "config", "remote-port")
    assert n.families == ("ipv4-unicast",)  # the family of its address, as GoBGP
    assert (n.import_policy, n.export_policy) == (Policy.ACCEPT, Policy.ACCEPT)


def test_the_global_port_is_the_models_default() -> None:
    assert RunningConfig.build(SEED).glob.port == _default("global", "config", "port")


def test_the_config_as_given_is_kept_apart_from_the_completed_one() -> None:
    running = RunningConfig.build(SEED)
    assert running.given == SEED
    assert "timers" in running.tree["neighbors"][0]
    assert running.given is not SEED  # a copy: the caller's dict may change


def test_an_ipv6_neighbor_gets_the_ipv6_family() -> None:
    config = {**SEED, "neighbors": [{"config": {"neighbor-address": "2001:DB8::2", "peer-as": 2}}]}
    assert RunningConfig.build(config).neighbors["2001:db8::2"].families == ("ipv6-unicast",)


@pytest.mark.parametrize(
    ("glob", "transport", "expected"),
    [
        ({}, {}, ("192.0.2.1",)),  # the router-id, as the seed's files need
        ({}, {"local-address": "192.0.2.9"}, ("192.0.2.9",)),
        ({"local-address-list": ["127.0.0.1", "::1"]}, {"local-address": "192.0.2.9"},
         ("127.0.0.1", "::1")),
    ],
)  # fmt: skip
def test_where_to_listen(glob: Any, transport: Any, expected: tuple[str, ...]) -> None:
    config = {
        "global": {"config": {"as": 65001, "router-id": "192.0.2.1", **glob}},
        "neighbors": [{**SEED["neighbors"][0], "transport": {"config": transport}}],  # type: ignore[dict-item]
    }
    assert RunningConfig.build(config).listen == expected


def test_originated_routes_are_read_once_by_canonical_prefix() -> None:
    config = {**SEED, "rib": {"routes": [{"config": {"prefix": "10.0.0.0/24", "med": 5}}]}}
    (route,) = RunningConfig.build(config).routes.values()
    assert (route.prefix, route.med) == ("10.0.0.0/24", 5)


def test_a_route_the_rib_cannot_take_is_refused_naming_its_path() -> None:
    bad = {"prefix": "10.0.0.0/24", "next-hop": "2001:db8::1"}
    with pytest.raises(ValueError, match=r"bgp/rib/routes/route\[10.0.0.0/24\]/config/next-hop"):
        RunningConfig.build({**SEED, "rib": {"routes": [{"config": bad}]}})


def test_the_tcp_md5_key_is_not_in_the_values_repr() -> None:
    entry = {"config": {"neighbor-address": "192.0.2.2", "peer-as": 2, "auth-password": "s3cr3t"}}
    neighbor = RunningConfig.build({**SEED, "neighbors": [entry]}).neighbors["192.0.2.2"]
    assert neighbor.auth_password == "s3cr3t"
    assert "s3cr3t" not in repr(neighbor)


def _family(name: str, **limit: Any) -> dict[str, Any]:
    return {"config": {"afi-safi-name": name}, "prefix-limit": {"config": limit}}


@pytest.mark.parametrize(
    ("afi_safis", "expected"),
    [
        (None, {}),
        ([{"config": {"afi-safi-name": "ipv4-unicast"}}], {}),
        ([_family("ipv4-unicast", **{"prevent-teardown": True})], {}),  # no max: no limit
        (
            [_family("ipv6-unicast", **{"max-prefixes": 5, "restart-timer": 2})],
            {IPV6_UNICAST: PrefixLimit(5, restart_timer=2.0)},
        ),
        (
            [
                _family("ipv4-unicast", **{"max-prefixes": 9, "shutdown-threshold-pct": 50}),
                _family("ipv6-unicast", **{"max-prefixes": 1, "prevent-teardown": True}),
            ],
            {
                IPV4_UNICAST: PrefixLimit(9, threshold_pct=50),
                IPV6_UNICAST: PrefixLimit(1, prevent_teardown=True),
            },
        ),
    ],
)
def test_limits_from_config(afi_safis: Any, expected: dict[Any, PrefixLimit]) -> None:
    assert dict(prefix_limits({"afi-safis": afi_safis})) == expected
