"""The model's data in its two coats: the *file shape* and the *nested* NETCONF tree.

The file shape (docs/ARCHITECTURE.md "Data shapes") collapses a container whose only child is a
list (``neighbors: [...]``) and keeps a list entry's key in its ``config``. The nested tree is
the XML as the management plane handles it below ``<bgp>``: ``neighbors: {neighbor:
[{neighbor-address: ..., config: {...}}]}``, every leaf as its XML text, every list a list.

``peerwise.model`` does the conversions from its schema (``to_nested``, ``to_file_shape``,
``coerce``); this module adds what NETCONF needs on top: leaves as text, and from the same
schema the tables of lists (:data:`lists`, :func:`is_repeated`) that parsing and edits use.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from peerwise import model
from peerwise.mgmt.errors import PW_PREFIX
from peerwise.model.schema import Schema, is_leaf, is_leaf_list, is_list, properties, state_schema

Tree = dict[str, Any]


@functools.cache
def lists() -> dict[str, tuple[str, str]]:
    """Keyed lists collapsed in the file shape: container -> (entry element, key leaf)."""
    found: dict[str, tuple[str, str]] = {}
    for _parent, name, schema in _nodes(state_schema(), "bgp"):
        if is_list(schema) and "x-list" in schema and "x-key" in schema:
            found[name] = (schema["x-list"], schema["x-key"])
    return found


@functools.cache
def _repeated() -> frozenset[tuple[str, str]]:
    """(parent element, element) pairs that are list entries or leaf-list values."""
    pairs: set[tuple[str, str]] = set()
    for parent, name, schema in _nodes(state_schema(), "bgp"):
        if is_list(schema) and "x-list" in schema:
            pairs.add((name, schema["x-list"]))
        elif is_list(schema) or is_leaf_list(schema):
            pairs.add((parent, name))
    return frozenset(pairs)


def _nodes(schema: Schema, name: str, parent: str = "") -> list[tuple[str, str, Schema]]:
    """Every (parent element, element, schema) below ``schema``, depth first."""
    found = [(parent, name, schema)]
    if is_leaf(schema):
        return found
    if is_list(schema):
        inner = schema["items"]
        element = schema.get("x-list", name)
        return found + [n for k, v in properties(inner).items() for n in _nodes(v, k, element)]
    return found + [n for k, v in properties(schema).items() for n in _nodes(v, k, name)]


@functools.cache
def _inner() -> frozenset[tuple[str, str]]:
    """(parent element, element) pairs that are containers or lists, not leaves."""
    return frozenset(
        (parent, name)
        for parent, name, schema in _nodes(state_schema(), "bgp")
        if not (is_leaf(schema) or is_leaf_list(schema))
    )


@functools.cache
def inner_names() -> frozenset[str]:
    """Element names that are always containers or lists, wherever they stand."""
    leaves = {name for _p, name, schema in _nodes(state_schema(), "bgp")
              if is_leaf(schema) or is_leaf_list(schema)}  # fmt: skip
    return frozenset(name for _parent, name in _inner()) - leaves


def is_repeated(parent: str, name: str) -> bool:
    """Whether ``<name>`` under ``<parent>`` is a list entry or a leaf-list value."""
    return (parent, name) in _repeated()


def list_key(container: str) -> str | None:
    """The key leaf of the list collapsed into ``container``, if any."""
    return lists()[container][1] if container in lists() else None


def to_nested(data: Tree) -> Tree:
    """File shape -> nested tree (the children of ``<bgp>``), leaves as XML text."""
    nested = model.to_nested(data)["bgp"]
    return {name: _as_text(value) for name, value in nested.items()}


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return _text(value)


def _text(value: Any) -> str:
    """A leaf as XML text (RFC 7950 §9: booleans are 'true'/'false')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def to_file_shape(nested: Tree) -> Tree:
    """Nested tree -> file shape; leaves stay as they are (see :func:`coerce`)."""
    return model.to_file_shape(nested)


def coerce(data: Tree) -> Tree:
    """Typed leaves (per the model's schema) for a file-shape tree read from XML."""
    return model.coerce(data)


_TOKEN = re.compile(r"\[([^\]]*)\]|([^./\[\]]+)")


def instance_path(model_path: str, config: Tree | None = None) -> str:
    """A model error path as an instance identifier (RFC 6241 §4.3 error-path).

    The model's file-shape path ``neighbors[0].config.peer-as`` (the index resolved in
    ``config``), or ``bgp/neighbors/neighbor[192.0.2.1]/config/peer-as``, becomes
    ``/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.1']/...``.
    """
    parts: list[str] = []
    node: Any = config
    container = ""
    for match in _TOKEN.finditer(model_path):
        bracket, name = match.group(1), match.group(2)
        if name is not None:
            if lists().get(container, ("", ""))[0] == name:
                continue  # 'neighbor' after 'neighbors': the entry element comes with its key
            parts.append(name)
            node = node.get(name) if isinstance(node, dict) else None
            container = name
            continue
        if container not in lists():  # a leaf-list: name the value (RFC 7950 §9.13.2)
            items = node if isinstance(node, list) else []
            index = int(bracket) if bracket.isdigit() else len(items)
            value = _text(items[index]) if index < len(items) else bracket
            parts[-1] = f"{container}[.='{value}']"
            continue
        entry, key = lists()[container]
        value, node = _entry_key(node, bracket, key)
        parts.append(f"{entry}[{PW_PREFIX}:{key}='{value}']")
    if not parts or parts[0] != "bgp":  # the model's paths start below <bgp>
        parts.insert(0, "bgp")
    return "".join(f"/{PW_PREFIX}:{part}" for part in parts)


def _entry_key(node: Any, bracket: str, key: str) -> tuple[str, Any]:
    """(key value, entry) for ``[i]`` (an index into ``node``) or ``[value]``."""
    if bracket.isdigit() and isinstance(node, list) and int(bracket) < len(node):
        entry = node[int(bracket)]
        config = entry.get("config") if isinstance(entry, dict) else None
        if isinstance(config, dict) and key in config:
            return _text(config[key]), entry
        return bracket, entry
    value = bracket.split("=", 1)[-1].strip("'\"")
    if isinstance(node, list):
        for entry in node:
            config = entry.get("config") if isinstance(entry, dict) else None
            if isinstance(config, dict) and _text(config.get(key)) == value:
                return value, entry
    return value, None
