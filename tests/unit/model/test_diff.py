"""Config difference: which sessions are added, removed, started, stopped, reset — and why."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.model import ConfigDiff, Impact, diff

from .helpers import BASE, edited

V4, V6 = "192.0.2.2", "2001:db8::2"
N0, N1 = "neighbors[0]", "neighbors[1]"
NEW_PEER = {"config": {"neighbor-address": "192.0.2.9", "peer-as": 65009}}


def v6_nhs(hop: str) -> dict[str, Any]:
    """ipv6-unicast with a next-hop-self-address."""
    return {"config": {"afi-safi-name": "ipv6-unicast", "next-hop-self-address": hop}}


CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # id, edits making the new config, expected summary
    ("nothing", {}, {}),
    ("description only", {f"{N0}.config.description": "tor1"},
     {"changed": {V4: [("config.description", "NONE")]}}),
    ("hold time", {f"{N0}.timers.config.hold-time": 180},
     {"changed": {V4: [("timers.config.hold-time", "SESSION_RESET")]}, "resets": (V4,)}),
    ("default written out is no change", {f"{N0}.timers.config.hold-time": 90}, {}),
    ("connect-retry", {f"{N1}.timers.config.connect-retry": 5},
     {"changed": {V6: [("timers.config.connect-retry", "NONE")]}}),
    ("peer-as", {f"{N1}.config.peer-as": 65100},
     {"changed": {V6: [("config.peer-as", "SESSION_RESET")]}, "resets": (V6,)}),
    ("password", {f"{N0}.config.auth-password": "s3cret"},
     {"changed": {V4: [("config.auth-password", "SESSION_RESET")]}, "resets": (V4,)}),
    ("family added", {f"{N1}.afi-safis": [{"config": {"afi-safi-name": "ipv6-unicast"}},
                                          {"config": {"afi-safi-name": "ipv4-unicast"}}]},
     {"changed": {V6: [("afi-safis[ipv4-unicast]", "SESSION_RESET")]}, "resets": (V6,)}),
    ("family disabled", {f"{N1}.afi-safis": [{"config": {"afi-safi-name": "ipv6-unicast"}},
                                             {"config": {"afi-safi-name": "ipv4-unicast",
                                                         "enabled": False}}]},
     {"changed": {V6: [("afi-safis[ipv4-unicast]", "SESSION_RESET")]}, "resets": (V6,)}),
    ("neighbor added", {"neighbors": [*BASE["neighbors"], NEW_PEER]}, {"added": ("192.0.2.9",)}),
    ("neighbor removed", {"neighbors": BASE["neighbors"][:1]}, {"removed": (V6,)}),
    ("neighbor disabled", {f"{N0}.config.enabled": False},
     {"changed": {V4: [("config.enabled", "NONE")]}, "stopped": (V4,)}),
    ("disabled and reset: stop wins", {f"{N0}.config.enabled": False,
                                       f"{N0}.config.peer-as": 65100},
     {"changed": {V4: [("config.peer-as", "SESSION_RESET"), ("config.enabled", "NONE")]},
      "stopped": (V4,)}),
    ("global as resets all", {"global.config.as": 65100},
     {"global": [("global.config.as", "SESSION_RESET")], "resets": (V4, V6)}),
    ("router-id resets all", {"global.config.router-id": "192.0.2.100"},
     {"global": [("global.config.router-id", "SESSION_RESET")], "resets": (V4, V6)}),
    ("listen port resets nothing", {"global.config.port": 1179},
     {"global": [("global.config.port", "NONE")]}),
    ("listen addresses reordered", {"global.config.local-address-list": ["::1", "127.0.0.1"]},
     {"global": [("global.config.local-address-list", "NONE")]}),
    ("address spelled differently", {f"{N1}.config.neighbor-address": "2001:DB8:0::2"}, {}),
    ("next-hop-self-address set: soft", {f"{N1}.afi-safis": [v6_nhs("2001:db8::1")]},
     {"changed": {V6: [("afi-safis[ipv6-unicast].config.next-hop-self-address", "SOFT")]},
      "soft": (V6,)}),
    ("next-hop-self-address and hold time: the reset wins",
     {f"{N1}.afi-safis": [v6_nhs("2001:db8::1")], f"{N1}.timers.config.hold-time": 180},
     {"changed": {V6: [("timers.config.hold-time", "SESSION_RESET"),
                       ("afi-safis[ipv6-unicast].config.next-hop-self-address", "SOFT")]},
      "resets": (V6,)}),
]  # fmt: skip


def summary(result: ConfigDiff) -> dict[str, Any]:
    full = {
        "global": [(c.path, c.impact.name) for c in result.global_changes],
        "changed": {
            n.address: [(c.path, c.impact.name) for c in n.changes] for n in result.changed
        },
        "added": result.added,
        "removed": result.removed,
        "started": result.started,
        "stopped": result.stopped,
        "resets": result.resets,
        "soft": result.soft,
    }
    return {key: value for key, value in full.items() if value}


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff(edits: dict[str, Any], expected: dict[str, Any]) -> None:
    assert summary(diff(BASE, edited(edits))) == expected


def test_reverse_diff_starts_what_was_stopped() -> None:
    stopped = edited({f"{N0}.config.enabled": False})
    assert (diff(stopped, BASE).started, diff(stopped, BASE).resets) == ((V4,), ())


def test_listen_addresses_added() -> None:
    old = edited({"global.config.local-address-list": ["127.0.0.1"]})
    new = edited({"global.config.local-address-list": ["127.0.0.1", "::1"]})
    [change] = diff(old, new).global_changes
    assert (change.old, change.new, change.impact) == (
        ["127.0.0.1"],
        ["127.0.0.1", "::1"],
        Impact.NONE,
    )


def test_empty_and_impact_order() -> None:
    assert diff(BASE, edited({"global.config.port": 179})).empty
    assert not diff(BASE, edited({"global.config.as": 1})).empty
    assert max(Impact) is Impact.SESSION_RESET and Impact.NONE < Impact.SOFT
