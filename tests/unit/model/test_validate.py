"""Invalid configs and the errors they earn: exact path, a message a person can act on."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.model import ConfigError, validate

from .helpers import BASE, DROP, edited

N0 = "neighbors[0]"
N1 = "neighbors[1]"


def _nhs(name: str, hop: str | None = None, **config: Any) -> dict[str, Any]:
    """An afi-safi entry, with ``next-hop-self-address`` when ``hop`` is given."""
    extra = {} if hop is None else {"next-hop-self-address": hop}
    return {"config": {"afi-safi-name": name, **extra, **config}}


INVALID: list[tuple[str, dict[str, Any], list[str]]] = [
    # --- schema: types, ranges, patterns, enums
    ("peer-as not a number", {f"{N0}.config.peer-as": "abc"},
     [f"{N0}.config.peer-as: 'abc' is not a uint32"]),
    ("peer-as too big", {f"{N0}.config.peer-as": 70000000000},
     [f"{N0}.config.peer-as: 70000000000 is not a uint32 (0..4294967295)"]),
    ("negative as", {"global.config.as": -1},
     ["global.config.as: -1 is not a uint32 (0..4294967295)"]),
    ("as is a bool", {"global.config.as": True}, ["global.config.as: true is not a uint32"]),
    ("router-id not dotted", {"global.config.router-id": "1.2.3"},
     ["global.config.router-id: '1.2.3' is not a dotted-quad (like 192.0.2.1)"]),
    ("router-id octet", {"global.config.router-id": "1.2.3.256"},
     ["global.config.router-id: '1.2.3.256' is not a dotted-quad (like 192.0.2.1)"]),
    ("neighbor not an address", {f"{N0}.config.neighbor-address": "peer1"},
     [f"{N0}.config.neighbor-address: 'peer1' is not an IP address"]),
    ("bad ipv6", {f"{N1}.config.neighbor-address": "2001:db8:::2"},
     [f"{N1}.config.neighbor-address: '2001:db8:::2' is not an IP address"]),
    ("local-address-list entry", {"global.config.local-address-list": ["127.0.0.1", "x"]},
     ["global.config.local-address-list[1]: 'x' is not an IP address"]),
    ("local-address-list repeats", {"global.config.local-address-list": ["::1", "::1"]},
     ["global.config.local-address-list: has duplicate entries"]),
    ("enabled not boolean", {f"{N0}.config.enabled": "yes"},
     [f"{N0}.config.enabled: 'yes' is not a boolean (true or false)"]),
    ("remote-port 0", {f"{N0}.transport.config.remote-port": 0},
     [f"{N0}.transport.config.remote-port: 0 is out of range 1..65535"]),
    ("multihop-ttl 256", {f"{N0}.ebgp-multihop.config.multihop-ttl": 256},
     [f"{N0}.ebgp-multihop.config.multihop-ttl: 256 is out of range 1..255"]),
    ("family unknown", {f"{N0}.afi-safis": [{"config": {"afi-safi-name": "l2vpn-evpn"}}]},
     [f"{N0}.afi-safis[0].config.afi-safi-name: 'l2vpn-evpn' is not one of "
      "'ipv4-unicast', 'ipv6-unicast'"]),
    ("password too long for TCP MD5", {f"{N0}.config.auth-password": "k" * 81},
     [f"{N0}.config.auth-password: a string of 81 characters is not allowed here (1..80)"]),
    ("empty password", {f"{N0}.config.auth-password": ""},
     [f"{N0}.config.auth-password: a string of 0 characters is not allowed here (1..80)"]),
    # --- schema: shape
    ("unknown key", {"global.config.foo": 1}, ["global.config.foo: unknown setting 'foo'"]),
    ("unknown top key", {"policy": {}}, ["policy: unknown setting 'policy'"]),
    ("no global", {"global": DROP}, ["global: missing mandatory setting 'global'"]),
    ("no router-id", {"global.config.router-id": DROP},
     ["global.config.router-id: missing mandatory setting 'router-id'"]),
    ("no peer-as", {f"{N1}.config.peer-as": DROP},
     [f"{N1}.config.peer-as: missing mandatory setting 'peer-as'"]),
    ("no neighbor-address", {f"{N0}.config.neighbor-address": DROP},
     [f"{N0}.config.neighbor-address: missing mandatory setting 'neighbor-address'"]),
    ("family without name", {f"{N0}.afi-safis": [{"config": {"enabled": True}}]},
     [f"{N0}.afi-safis[0].config.afi-safi-name: missing mandatory setting 'afi-safi-name'"]),
    ("neighbors not a list", {"neighbors": {"config": {}}},
     ["neighbors: expected a list, got {\"config\": {}}"]),
    ("timers not a table", {f"{N0}.timers": 5},
     [f"{N0}.timers: expected a table of settings, got 5"]),
    ("state is not config", {f"{N0}.state": {}}, [f"{N0}.state: unknown setting 'state'"]),
    # --- semantic rules
    ("hold-time 1", {f"{N0}.timers.config": {"hold-time": 1, "keepalive-interval": 0}},
     [f"{N0}.timers.config.hold-time: 1 is not allowed: hold-time is 0 or at least 3 "
      "(RFC 4271 §4.2)"]),
    ("keepalive >= hold", {f"{N0}.timers.config.hold-time": 30},
     [f"{N0}.timers.config.keepalive-interval: 30 must be less than hold-time 30 (RFC 4271 §10)"]),
    ("keepalive 0", {f"{N0}.timers.config.keepalive-interval": 0},
     [f"{N0}.timers.config.keepalive-interval: 0 would send no KEEPALIVE while hold-time is 90 "
      "(RFC 4271 §4.4)"]),
    ("as 0", {"global.config.as": 0}, ["global.config.as: 0 is reserved (RFC 7607)"]),
    ("peer-as AS_TRANS", {f"{N0}.config.peer-as": 23456},
     [f"{N0}.config.peer-as: 23456 is AS_TRANS, which cannot be configured (RFC 6793)"]),
    ("local-as 0", {f"{N1}.config.local-as": 0},
     [f"{N1}.config.local-as: 0 is reserved (RFC 7607)"]),
    ("router-id zero", {"global.config.router-id": "0.0.0.0"},
     ["global.config.router-id: '0.0.0.0' is not a usable BGP Identifier"]),
    ("neighbor is router-id", {f"{N0}.config.neighbor-address": "192.0.2.1"},
     [f"{N0}.config.neighbor-address: '192.0.2.1' is our router-id"]),
    ("neighbor is listen address", {"global.config.local-address-list": ["2001:db8::2"]},
     [f"{N1}.config.neighbor-address: '2001:db8::2' is in local-address-list"]),
    ("neighbor is a local-address", {f"{N1}.transport.config.local-address": "2001:db8::2"},
     [f"{N1}.config.neighbor-address: '2001:db8::2' is a transport local-address"]),
    ("duplicate neighbor", {f"{N1}.config.neighbor-address": "2001:DB8::0:2",
                            "neighbors[0].config.neighbor-address": "2001:db8::2"},
     [f"{N1}.config.neighbor-address: '2001:DB8::0:2' is also neighbors[0]"]),
    ("local-address family", {f"{N0}.transport.config.local-address": "::1"},
     [f"{N0}.transport.config.local-address: '::1' is not IPv4 like the neighbor 192.0.2.2"]),
    ("family twice", {f"{N0}.afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast"}},
                                         {"config": {"afi-safi-name": "ipv4-unicast"}}]},
     [f"{N0}.afi-safis[1].config.afi-safi-name: 'ipv4-unicast' is listed twice"]),
    ("no family enabled", {f"{N0}.afi-safis": []}, [f"{N0}.afi-safis: no afi-safi is enabled"]),
    ("ipv6 without ipv6-unicast",
     {f"{N1}.afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast"}}]},
     [f"{N1}.afi-safis: an IPv6 neighbor needs 'ipv6-unicast' enabled"]),
    ("next-hop-self-address not an address", {f"{N0}.afi-safis": [_nhs("ipv4-unicast", "x")]},
     [f"{N0}.afi-safis[0].config.next-hop-self-address: 'x' is not an IP address"]),
    ("ipv6-unicast next-hop-self-address IPv4",
     {f"{N0}.afi-safis": [_nhs("ipv4-unicast"), _nhs("ipv6-unicast", "192.0.2.1")]},
     [f"{N0}.afi-safis[1].config.next-hop-self-address: '192.0.2.1' is not allowed: "
      "ipv6-unicast needs an IPv6 next hop (RFC 2545 §2)"]),
    ("ipv4-unicast next-hop-self-address IPv6 without extended next hop",
     {f"{N0}.afi-safis": [_nhs("ipv4-unicast", "2001:db8::1")]},
     [f"{N0}.afi-safis[0].config.next-hop-self-address: '2001:db8::1' is not allowed: "
      "an IPv6 next hop needs extended-next-hop (RFC 8950 §3)"]),
    ("ipv4-unicast IPv6 next hop, extended-next-hop off on an IPv6 session",
     {f"{N1}.afi-safis": [_nhs("ipv4-unicast", "2001:db8::1", **{"extended-next-hop": False}),
                          _nhs("ipv6-unicast")]},
     [f"{N1}.afi-safis[0].config.next-hop-self-address: '2001:db8::1' is not allowed: "
      "an IPv6 next hop needs extended-next-hop (RFC 8950 §3)"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edits", "expected"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_config(edits: dict[str, Any], expected: list[str]) -> None:
    assert [str(error) for error in validate(edited(edits))] == expected


VALID: list[tuple[str, dict[str, Any]]] = [
    ("base", {}),
    ("hold-time 0 ignores keepalive", {f"{N0}.timers.config.hold-time": 0}),
    ("hold-time 3", {f"{N0}.timers.config": {"hold-time": 3, "keepalive-interval": 1}}),
    ("port 0 means any", {"global.config.port": 0}),
    ("local-as 4-octet", {f"{N0}.config.local-as": 4200000000}),
    ("matching local-address", {f"{N1}.transport.config.local-address": "2001:db8::1"}),
    ("ipv6 neighbor with both families", {f"{N1}.afi-safis": [
        {"config": {"afi-safi-name": "ipv4-unicast"}},
        {"config": {"afi-safi-name": "ipv6-unicast"}}]}),
    ("ipv6-unicast next-hop-self-address IPv6 over IPv4",
     {f"{N0}.afi-safis": [_nhs("ipv4-unicast"), _nhs("ipv6-unicast", "2001:db8::1")]}),
    ("ipv4-unicast next-hop-self-address IPv4", {f"{N0}.afi-safis": [_nhs("ipv4-unicast",
                                                                         "192.0.2.1")]}),
    ("ipv4-unicast IPv6 next hop with extended-next-hop",
     {f"{N0}.afi-safis": [_nhs("ipv4-unicast", "2001:db8::1", **{"extended-next-hop": True})]}),
    ("ipv4-unicast IPv6 next hop on an IPv6 session (extended next hop by default)",
     {f"{N1}.afi-safis": [_nhs("ipv4-unicast", "2001:db8::1"), _nhs("ipv6-unicast")]}),
    ("no neighbors", {"neighbors": []}),
    ("empty description", {f"{N0}.config.description": ""}),
]  # fmt: skip


@pytest.mark.parametrize("edits", [c[1] for c in VALID], ids=[c[0] for c in VALID])
def test_valid_config(edits: dict[str, Any]) -> None:
    assert validate(edited(edits)) == []


def test_error_value() -> None:
    error = ConfigError("neighbors[0].config.peer-as", "'abc' is not a uint32")
    assert str(error) == "neighbors[0].config.peer-as: 'abc' is not a uint32"
    assert str(ConfigError("", "empty")) == "empty"
    with pytest.raises(AttributeError):
        error.path = "x"  # type: ignore[misc]


def test_validate_does_not_touch_its_input() -> None:
    cfg = edited({})
    validate(cfg)
    assert cfg == BASE
