"""File shape <-> the model's nested tree, and typing of XML-born values.

The *file shape* drops the ``bgp`` root and writes a container whose only child is a list as
that list (``neighbors: [...]``); a list's key lives only in the entry's ``config``. The *nested*
tree is the model itself, as NETCONF carries it and xmltodict reads it::

    {"bgp": {"global": {...}, "neighbors": {"neighbor": [{"neighbor-address": "192.0.2.2",
                                                          "config": {...}}]}}}

Both directions follow the state schema (config and state nodes), so they serve ``get`` as
well as ``get-config``. Keys the schema does not know are carried over untouched.

:func:`coerce` types a tree that came from XML: xmltodict gives every leaf as a string, an
empty element as None, a list of one entry as a dict, and namespaced names. It accepts either
shape and returns the same shape, typed per the schema; a value that does not parse is left as
it is so that validation can name it. ``@xmlns`` attributes are dropped and module prefixes
stripped from element names; other ``@`` attributes (``nc:operation``) stay on containers and
list entries; a leaf given as ``{"#text": ..., "@...": ...}`` becomes its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import Schema, is_leaf, is_leaf_list, is_list, json_types, properties, state_schema

ROOT = "bgp"


def to_nested(file_shape: Mapping[str, Any]) -> dict[str, Any]:
    """File shape -> ``{"bgp": ...}``; each keyed list entry gets its key leaf first."""
    return {ROOT: _nest(state_schema(), dict(file_shape))}


def to_file_shape(nested: Mapping[str, Any]) -> dict[str, Any]:
    """``{"bgp": ...}`` (or its inside) -> file shape; tolerant of xmltodict's one-entry lists."""
    inner = nested.get(ROOT, nested) if isinstance(nested, Mapping) else nested
    out: dict[str, Any] = _flatten(state_schema(), inner or {})
    return out


def coerce(data: Mapping[str, Any]) -> dict[str, Any]:
    """Type the string leaves of a nested or file-shape tree, keeping its shape."""
    root = next((key for key in data if _local(key) == ROOT), None)
    if root is None:
        out: dict[str, Any] = _coerce(state_schema(), data, nested=False)
        return out
    return {ROOT: _coerce(state_schema(), data[root], nested=True)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _local(key: str) -> str:
    """``pw-bgp:neighbor`` or ``urn:...:neighbor`` -> ``neighbor``; attributes stay as they are."""
    return key if key.startswith("@") or key.startswith("#") else key.rsplit(":", 1)[-1]


def _nest(schema: Schema, value: Any) -> Any:
    if is_list(schema):
        entries = [_nest_entry(schema, entry) for entry in _as_list(value)]
        return {schema["x-list"]: entries} if "x-list" in schema else entries
    if is_leaf(schema) or not isinstance(value, dict):
        return value
    props = properties(schema)
    return {k: _nest(props[k], v) if k in props else v for k, v in value.items()}


def _nest_entry(schema: Schema, entry: Any) -> Any:
    body = _nest(schema["items"], entry)
    key = schema.get("x-key")
    config = entry.get("config") if isinstance(entry, dict) else None
    if key is None or not isinstance(config, dict) or key not in config:
        return body
    return {key: config[key], **body}


def _flatten(schema: Schema, value: Any) -> Any:
    if is_list(schema):
        if "x-list" in schema:
            value = value.get(schema["x-list"]) if isinstance(value, dict) else value
        return [_flatten_entry(schema, entry) for entry in _as_list(value)]
    if is_leaf(schema):
        return value
    if value is None:
        return {}
    if not isinstance(value, dict):
        return value
    props = properties(schema)
    return {k: _flatten(props[k], v) if k in props else v for k, v in value.items()}


def _flatten_entry(schema: Schema, entry: Any) -> Any:
    key = schema.get("x-key")
    if key is None or not isinstance(entry, dict) or key not in entry:
        return _flatten(schema["items"], entry)
    rest = {k: v for k, v in entry.items() if k != key}
    body = _flatten(schema["items"], rest)
    config = body.setdefault("config", {})
    if isinstance(config, dict):
        config.setdefault(key, entry[key])
    return body


def _coerce(schema: Schema | None, value: Any, nested: bool) -> Any:
    if schema is None:
        return value
    if is_leaf_list(schema):
        return [coerce_leaf(schema["items"], item) for item in _as_list(value)]
    if is_leaf(schema):
        return coerce_leaf(schema, value)
    if is_list(schema) and nested and "x-list" in schema:
        return _coerce_collapsed(schema, value)
    if is_list(schema):
        return [_coerce_entry(schema, entry, nested) for entry in _as_list(value)]
    return _coerce_object(schema, value, nested)


def _coerce_collapsed(schema: Schema, value: Any) -> dict[str, Any]:
    """``<neighbors><neighbor>…`` -> ``{"neighbors": {"neighbor": [...]}}`` typed."""
    name = schema["x-list"]
    wrapper = value if isinstance(value, dict) else {}
    out: dict[str, Any] = _coerce_object(
        {}, {k: v for k, v in wrapper.items() if _local(k) != name}
    )
    entries = next((v for k, v in wrapper.items() if _local(k) == name), None)
    out[name] = [_coerce_entry(schema, entry, True) for entry in _as_list(entries)]
    return out


def _coerce_object(schema: Schema, value: Any, nested: bool = False) -> Any:
    if value is None:
        return {}
    if not isinstance(value, dict):
        return value
    props = properties(schema)
    out = {}
    for key, item in value.items():
        if key.startswith("@xmlns"):
            continue
        name = _local(key)
        out[name] = _coerce(props.get(name), item, nested)
    return out


def _coerce_entry(schema: Schema, entry: Any, nested: bool) -> Any:
    out = _coerce_object(schema["items"], entry, nested)
    key = schema.get("x-key")
    if key is not None and isinstance(out, dict) and key in out:
        out[key] = coerce_leaf(properties(properties(schema["items"])["config"])[key], out[key])
    return out


def coerce_leaf(schema: Schema, value: Any) -> Any:
    """``"65001"`` -> 65001, ``"true"`` -> True, None -> ``""`` for a string leaf."""
    if isinstance(value, dict):
        value = value.get("#text")
    types = json_types(schema)
    if value is None:
        return "" if "string" in types else None
    if not isinstance(value, str):
        return value
    text = value.strip()
    if "integer" in types:
        try:
            return int(text)
        except ValueError:
            pass
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    return value
