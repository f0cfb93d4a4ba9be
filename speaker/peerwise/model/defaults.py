"""Defaults: the effective config the speaker runs, from the schema's ``default`` values.

Containers absent from the file are created when something below them has a default, so the
result always has ``timers.config``, ``transport.config`` and ``ebgp-multihop.config``. One
default the schema cannot say: a neighbor without ``afi-safis`` gets the family of its own
address (``ipv4-unicast`` or ``ipv6-unicast``), as GoBGP does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from .schema import Schema, config_schema, is_leaf, is_list, properties

FAMILY_OF_VERSION = {4: "ipv4-unicast", 6: "ipv6-unicast"}


def defaults(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``cfg`` with every default filled in; odd input is copied, never refused."""
    out: dict[str, Any] = _fill(config_schema(), dict(cfg))
    for neighbor in out.get("neighbors", []) if isinstance(out.get("neighbors"), list) else []:
        if isinstance(neighbor, dict) and "afi-safis" not in neighbor:
            family = neighbor_family(neighbor)
            if family is not None:
                entry = {"config": {"afi-safi-name": family}}
                neighbor["afi-safis"] = [_fill(_family_schema(), entry)]
    return out


def neighbor_family(neighbor: Mapping[str, Any]) -> str | None:
    """The afi-safi of a neighbor's own address, or None when the address is not one."""
    config = neighbor.get("config")
    address = config.get("neighbor-address") if isinstance(config, dict) else None
    try:
        return FAMILY_OF_VERSION[ipaddress.ip_address(str(address)).version]
    except ValueError:
        return None


def _family_schema() -> Schema:
    neighbor = config_schema()["properties"]["neighbors"]["items"]
    family: Schema = neighbor["properties"]["afi-safis"]["items"]
    return family


def _fill(schema: Schema, value: Any) -> Any:
    if is_list(schema):
        return (
            [_fill(schema["items"], item) for item in value] if isinstance(value, list) else value
        )
    if is_leaf(schema) or not isinstance(value, dict):
        return value
    out = dict(value)
    for key, sub in properties(schema).items():
        if key in out:
            out[key] = _fill(sub, out[key])
        elif "default" in sub:
            out[key] = sub["default"]
        elif sub.get("type") == "object":
            filled = _fill(sub, {})
            if filled:
                out[key] = filled
    return out
