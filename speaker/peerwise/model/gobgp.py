"""GoBGP compatibility: accept a GoBGP config file's spellings before validation.

GoBGP and Peerwise share OpenConfig's names, so a GoBGP ``bgp.toml`` is mostly valid as is.
Where GoBGP spells something differently, :func:`normalize` rewrites it:

- ``afi-safi-name``: ``IPV4_UNICAST`` and ``openconfig-bgp-types:IPV4_UNICAST`` become
  ``ipv4-unicast`` (any ``module:`` prefix is dropped, case folded, ``_`` -> ``-``);
- ``neighbors[].config.admin-down = X`` becomes ``enabled = not X``;
- a GoBGP setting that Peerwise does not model is dropped *only* when it holds the value that
  switches its feature off (``OFF_VALUES``) — writing it out changes nothing. With any other
  value it stays, and validation names it as a GoBGP setting Peerwise does not support.
- a number written as ``65001.0`` (YAML/JSON) becomes ``65001``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .schema import config_schema

# Dotted patterns ("*" matches a list index) -> the value that means "feature off" in GoBGP.
OFF_VALUES: dict[str, object] = {
    "global.use-multiple-paths.config.enabled": False,
    "global.graceful-restart.config.enabled": False,
    "neighbors.*.config.peer-group": "",
    "neighbors.*.config.vrf": "",
    "neighbors.*.config.remove-private-as": "none",
    "neighbors.*.transport.config.mtu-discovery": False,
    "neighbors.*.route-reflector.config.route-reflector-client": False,
    "neighbors.*.route-server.config.route-server-client": False,
    "neighbors.*.graceful-restart.config.enabled": False,
    "neighbors.*.add-paths.config.receive": False,
    "neighbors.*.add-paths.config.send-max": 0,
    "neighbors.*.afi-safis.*.mp-graceful-restart.config.enabled": False,
    "neighbors.*.apply-policy.config.import-policy-list": [],
    "neighbors.*.apply-policy.config.export-policy-list": [],
}

# Names GoBGP configures and Peerwise does not (yet): an unknown key with one of these names
# gets a message saying so rather than a bare "unknown setting".
GOBGP_ONLY = frozenset(
    {
        "add-paths", "admin-down", "allow-own-as", "as-path-options", "export-policy-list",
        "bind-interface", "bmp-servers", "collector", "confederation", "default-route-distance",
        "defined-sets", "dynamic-neighbors", "graceful-restart", "import-policy-list",
        "idle-hold-time-after-reset",
        "long-lived-graceful-restart", "mp-graceful-restart", "mpls-label-range", "mrt-dump",
        "mtu-discovery", "neighbor-interface", "peer-group", "peer-groups", "peer-type",
        "policy-definitions", "prefix-limit", "remove-private-as", "replace-peer-as",
        "route-flap-damping", "route-reflector", "route-selection-options", "route-server",
        "rpki-servers", "send-community", "tcp-mss", "ttl", "ttl-security",
        "use-multiple-paths", "vrf", "vrfs", "zebra",
    }
)  # fmt: skip


def normalize(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``cfg`` with GoBGP spellings rewritten; never raises on odd input."""
    out: dict[str, Any] = _integral(copy.deepcopy(dict(cfg)))
    for neighbor in _dicts(out.get("neighbors")):
        _admin_down(neighbor)
        for family in _dicts(neighbor.get("afi-safis")):
            config = family.get("config")
            if isinstance(config, dict) and isinstance(config.get("afi-safi-name"), str):
                config["afi-safi-name"] = afi_safi_name(config["afi-safi-name"])
    for pattern, off in OFF_VALUES.items():
        _drop_off(out, pattern.split("."), off)
    return out


def afi_safi_name(name: str) -> str:
    """``openconfig-bgp-types:IPV4_UNICAST`` -> ``ipv4-unicast``; unknown names stay as written
    so that the error shows what the user wrote."""
    spelled = name.rsplit(":", 1)[-1].strip().lower().replace("_", "-")
    return spelled if spelled in _family_names() else name


def _family_names() -> list[str]:
    neighbor = config_schema()["properties"]["neighbors"]["items"]["properties"]
    family = neighbor["afi-safis"]["items"]["properties"]["config"]["properties"]
    names: list[str] = family["afi-safi-name"]["enum"]
    return names


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _admin_down(neighbor: dict[str, Any]) -> None:
    config = neighbor.get("config")
    if isinstance(config, dict) and isinstance(config.get("admin-down"), bool):
        down = config.pop("admin-down")
        config.setdefault("enabled", not down)


def _drop_off(node: object, parts: list[str], off: object) -> None:
    """Remove the leaf at ``parts`` when it equals ``off``; prune containers left empty."""
    head, rest = parts[0], parts[1:]
    children: list[Any]
    if head == "*":
        children = node if isinstance(node, list) else []
    elif isinstance(node, dict) and head in node:
        if not rest:
            value = node[head]
            if value == off and type(value) is type(off):
                del node[head]
            return
        children = [node[head]]
    else:
        return
    for child in children:
        _drop_off(child, rest, off)
    if head != "*" and isinstance(node, dict) and node.get(head) == {}:
        del node[head]


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    return value
