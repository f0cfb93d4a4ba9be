"""RFC 6243 with-defaults: how a reply reports leaves that hold their default value.

Our basic mode is ``explicit`` (RFC 6243 §2.3): ``get-config`` reports what was configured,
as it was configured. ``report-all`` (§2.1) adds every default; ``trim`` (§2.2) reports the
effective config without the leaves whose value is the schema's default. Defaults come from
the model's schema (the YANG ``default`` statements), the one place they are written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peerwise.model.schema import Schema, config_schema, is_leaf, is_list, properties

Config = dict[str, Any]


def report(explicit: Config, mode: str, complete: Callable[[Config], Config]) -> Config:
    """``explicit`` (the datastore as configured) as ``mode`` reports it."""
    if mode == "explicit":
        return explicit
    full = complete(explicit)
    return full if mode == "report-all" else trim(full)


def trim(config: Config) -> Config:
    """The config without leaves equal to their schema default (RFC 6243 §2.2)."""
    out: Config = _trim(config_schema(), config)
    return out


def _trim(schema: Schema, value: Any) -> Any:
    if is_list(schema) and isinstance(value, list):
        return [_trim(schema["items"], item) for item in value]
    if is_leaf(schema) or not isinstance(value, dict):
        return value
    props = properties(schema)
    out = {}
    for key, item in value.items():
        sub = props.get(key)
        if sub is None:
            out[key] = item
        elif is_leaf(sub) and "default" in sub and sub["default"] == item:
            continue
        else:
            kept = _trim(sub, item)
            if kept != {} or not isinstance(item, dict) or item == {}:
                out[key] = kept
    return out
