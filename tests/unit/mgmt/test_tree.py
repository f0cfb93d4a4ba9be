"""File shape <-> nested tree, typed leaves, error paths; subtree filters and edits as data."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.mgmt.edit import apply_edit
from peerwise.mgmt.errors import RpcError
from peerwise.mgmt.subtree import apply_filter
from peerwise.mgmt.tree import coerce, instance_path, to_file_shape, to_nested

from .fakes import RUNNING, FakeServer

NESTED_NEIGHBOR = {
    "neighbor-address": "192.0.2.3",
    "config": {"neighbor-address": "192.0.2.3", "peer-as": "65003", "enabled": "false"},
}


def test_to_nested_moves_the_key_and_wraps_lists() -> None:
    nested = to_nested(RUNNING)
    assert nested["neighbors"]["neighbor"][1] == NESTED_NEIGHBOR
    assert nested["global"]["config"]["local-address-list"] == ["127.0.0.1"]


@pytest.mark.parametrize("data", [RUNNING, FakeServer().state_tree(), {}, {"neighbors": []}])
def test_round_trip(data: dict[str, Any]) -> None:
    assert coerce(to_file_shape(to_nested(data))) == data


def neighbor_leaf(container: str, name: str, value: object) -> dict[str, Any]:
    return {"neighbors": [{container: {name: value}}]}


@pytest.mark.parametrize(
    ("container", "name", "text", "value"),
    [
        ("config", "enabled", "true", True),
        ("config", "peer-as", "65001", 65001),
        ("state", "uptime", "0", 0),
        ("config", "neighbor-address", "192.0.2.1", "192.0.2.1"),
        ("config", "description", "123", "123"),  # a string leaf stays a string
        ("config", "description", None, ""),
        ("config", "peer-as", "sixty", "sixty"),  # left for validation to name
    ],
)
def test_coerce_leaves(container: str, name: str, text: str | None, value: object) -> None:
    assert coerce(neighbor_leaf(container, name, text)) == neighbor_leaf(container, name, value)


CONFIG = {
    "global": {"config": {"local-address-list": ["192.0.2.1", "192.0.2.7"]}},
    "neighbors": [
        {"config": {"neighbor-address": "192.0.2.2"}},
        {
            "config": {"neighbor-address": "192.0.2.3"},
            "afi-safis": [{"config": {"afi-safi-name": "ipv6-unicast"}}],
        },
    ],
}
PREFIX = "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.3']"


@pytest.mark.parametrize(
    ("model_path", "expected"),
    [
        ("neighbors[1].config.peer-as", PREFIX + "/pw-bgp:config/pw-bgp:peer-as"),
        (
            "bgp/neighbors/neighbor[192.0.2.3]/config/peer-as",
            PREFIX + "/pw-bgp:config/pw-bgp:peer-as",
        ),
        (
            "neighbors[1].afi-safis[0].config.enabled",
            PREFIX + "/pw-bgp:afi-safis/pw-bgp:afi-safi[pw-bgp:afi-safi-name='ipv6-unicast']"
            "/pw-bgp:config/pw-bgp:enabled",
        ),
        ("global.config.as", "/pw-bgp:bgp/pw-bgp:global/pw-bgp:config/pw-bgp:as"),
        (
            "global.config.local-address-list[1]",
            "/pw-bgp:bgp/pw-bgp:global/pw-bgp:config/pw-bgp:local-address-list[.='192.0.2.7']",
        ),
        ("", "/pw-bgp:bgp"),
    ],
)
def test_instance_path(model_path: str, expected: str) -> None:
    assert instance_path(model_path, CONFIG) == expected


DATA = {"bgp": to_nested(FakeServer().state_tree())}
ONE = {"neighbor-address": "192.0.2.2"}

# (filter, the neighbor entries' child names in the result, or None for nothing)
FILTERS: list[tuple[Any, Any]] = [
    (None, None),
    ({}, None),
    (
        {"bgp": None},
        [
            ["neighbor-address", "config", "timers", "state"],
            ["neighbor-address", "config", "state"],
        ],
    ),
    (
        {"bgp": {"neighbors": {"neighbor": [ONE]}}},
        [["neighbor-address", "config", "timers", "state"]],
    ),
    (
        {"bgp": {"neighbors": {"neighbor": [{**ONE, "timers": None}]}}},
        [["neighbor-address", "timers"]],
    ),
    (
        {"bgp": {"neighbors": {"neighbor": [{"state": {"uptime": None}}]}}},
        [["neighbor-address", "state"]] * 2,
    ),
    (
        {"bgp": {"neighbors": {"neighbor": [{"config": {"enabled": "false"}}]}}},
        [["neighbor-address", "config"]],
    ),
    ({"bgp": {"neighbors": {"neighbor": [{"neighbor-address": "10.0.0.1"}]}}}, None),
    ({"bgp": {"global": None}}, []),
    ({"other": None}, None),
]


@pytest.mark.parametrize(("flt", "entries"), FILTERS)
def test_subtree_filter(flt: Any, entries: Any) -> None:
    result = apply_filter(DATA, flt)
    if entries is None:
        assert result is None
        return
    found = (result or {}).get("bgp", {}).get("neighbors", {}).get("neighbor", [])
    assert [list(entry) for entry in found] == entries


TARGET = to_nested({"neighbors": [{"config": {"neighbor-address": "a", "peer-as": 1}}]})
TARGET["global"] = {"config": {"local-address-list": ["x", "y"]}}

# (edit, default operation, expected result or the error tag)
EDITS: list[tuple[Any, str, Any]] = [
    (None, "merge", TARGET),
    ({"global": {"config": {"local-address-list": ["z"]}}}, "merge", ["x", "y", "z"]),
    ({"global": {"config": {"local-address-list": ["x"]}}}, "merge", ["x", "y"]),
    (
        {"global": {"config": {"local-address-list": [{"@operation": "delete", "#text": "x"}]}}},
        "merge",
        ["y"],
    ),
    (
        {"global": {"config": {"local-address-list": [{"@operation": "create", "#text": "x"}]}}},
        "merge",
        "data-exists",
    ),
    (
        {"global": {"config": {"local-address-list": [{"@operation": "delete", "#text": "q"}]}}},
        "merge",
        "data-missing",
    ),
    (
        {"global": {"@operation": "replace", "config": {"local-address-list": ["q"]}}},
        "merge",
        ["q"],
    ),
    ({"global": {"@operation": "delete"}}, "merge", None),
    ({"global": {"@operation": "create"}}, "merge", "data-exists"),
    ({"global": None}, "merge", ["x", "y"]),
    ({"@operation": "delete"}, "merge", {}),
    ({"global": {"config": {"as": "1"}}}, "none", "data-missing"),
]


@pytest.mark.parametrize(("edit", "default", "expected"), EDITS)
def test_apply_edit(edit: Any, default: str, expected: Any) -> None:
    before = to_nested(coerce(to_file_shape(TARGET)))
    if isinstance(expected, str):
        with pytest.raises(RpcError) as caught:
            apply_edit(TARGET, edit, default)
        assert caught.value.errors[0].tag.value == expected
    else:
        result = apply_edit(TARGET, edit, default)
        if isinstance(expected, list):
            assert result["global"]["config"]["local-address-list"] == expected
        elif expected is None:
            assert "global" not in result
        else:
            assert result == expected
    assert to_nested(coerce(to_file_shape(TARGET))) == before, "the target is never changed"
