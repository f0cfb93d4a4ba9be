"""``<edit-config>`` applied to a nested tree, as a pure function (RFC 6241 §7.2).

:func:`apply_edit` takes the target (the children of ``<bgp>``, leaves as text) and the edit
from :func:`peerwise.mgmt.message.data_tree`, and returns the new tree; the input is never
changed, so a failed edit leaves the datastore as it was. Operations:

- ``merge``: the edit's content merged at the corresponding level;
- ``replace``: the element replaced by the edit's content (created if absent);
- ``create``: as replace, but ``data-exists`` if the element is already there;
- ``delete``: the element removed, ``data-missing`` if absent;
- ``remove``: the element removed if present, silently otherwise;
- ``none`` (only as default-operation): no change unless a descendant names an operation;
  content with no counterpart in the target is ``data-missing``.

A node's operation is inherited by its descendants unless they name their own.
:func:`edited` is what the operations use: a file-shape config in, the edited config out.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from peerwise.mgmt.errors import PW_PREFIX, ErrorTag, ErrorType, rpc_error
from peerwise.mgmt.message import OPERATION, TEXT
from peerwise.mgmt.tree import (
    Tree,
    coerce,
    inner_names,
    list_key,
    lists,
    to_file_shape,
    to_nested,
)

OPERATIONS = frozenset({"merge", "replace", "create", "delete", "remove"})
DEFAULT_OPERATIONS = frozenset({"merge", "replace", "none"})


class _Absent:
    """The target holds nothing at this point."""


ABSENT = _Absent()


def edited(current: Tree, edit: Any, default_op: str) -> Tree:
    """The file-shape config ``current`` after ``edit`` (keys checked, leaves typed)."""
    nested = apply_edit(to_nested(current), edit, default_op)
    check_keys(nested)
    return coerce(to_file_shape(nested))


def apply_edit(target: Tree, edit: Any, default_operation: str = "merge") -> Tree:
    """The target after ``edit``; raises :class:`~peerwise.mgmt.errors.RpcError`."""
    root = f"/{PW_PREFIX}:bgp"
    if edit is None:
        return dict(target)
    result = _apply(target, edit, default_operation, root, "")
    return {} if isinstance(result, _Absent) or not isinstance(result, dict) else result


def _own_operation(node: Any, path: str) -> str | None:
    if not isinstance(node, dict) or OPERATION not in node:
        return None
    op = str(node[OPERATION])
    if op not in OPERATIONS:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.BAD_ATTRIBUTE,
            f"operation {op!r} is not one of {', '.join(sorted(OPERATIONS))}",
            path,
            bad_attribute="operation",
            bad_element=path.rsplit(":", 1)[-1],
        )
    return op


def _apply(target: Any, node: Any, inherited: str, path: str, container: str) -> Any:
    """The new value of element ``container`` at ``path`` (or ABSENT) after applying ``node``."""
    root_node = container == ""
    op = _own_operation(node, path) or inherited
    exists = not isinstance(target, _Absent) or root_node
    if op == "create" and exists:
        raise rpc_error(ErrorType.APPLICATION, ErrorTag.DATA_EXISTS, "data already exists", path)
    if op == "delete" and not exists:
        raise rpc_error(ErrorType.APPLICATION, ErrorTag.DATA_MISSING, "data does not exist", path)
    if op in ("delete", "remove"):
        return ABSENT
    if op == "none" and not exists:
        raise rpc_error(ErrorType.APPLICATION, ErrorTag.DATA_MISSING, "data does not exist", path)
    content = {k: v for k, v in node.items() if k != OPERATION} if isinstance(node, dict) else node
    fresh = op in ("replace", "create")
    if isinstance(target, dict) and not content:
        return {} if fresh else dict(target)  # an empty container element
    if content in (None, {}) and container in inner_names():  # <neighbors/>: empty, not ""
        if isinstance(target, dict):
            return {} if fresh else dict(target)
        return {} if fresh else ABSENT
    if not isinstance(content, dict) or set(content) <= {TEXT}:
        return _leaf(target, content, op)
    result = dict(target) if isinstance(target, dict) and not fresh else {}
    for child_name, child in content.items():
        here = f"{path}/{PW_PREFIX}:{child_name}"
        if isinstance(child, list):
            current = result.get(child_name, [])
            current = current if isinstance(current, list) else []
            new = _apply_list(current, child, op, here, list_key(container))
        else:
            new = _apply(result.get(child_name, ABSENT), child, op, here, child_name)
        if isinstance(new, _Absent):
            result.pop(child_name, None)
        else:
            result[child_name] = new
    return result


def _leaf(target: Any, content: Any, op: str) -> Any:
    if op == "none":
        return target
    value = content.get(TEXT) if isinstance(content, dict) else content
    return "" if value is None else value


def _apply_list(
    current: list[Any], entries: list[Any], op: str, path: str, key: str | None
) -> list[Any]:
    """Entries of a list (keyed by its key leaf) or leaf-list (keyed by value)."""
    name = path.rsplit(":", 1)[-1]
    result = list(current)
    for entry in entries:
        identity = _identity(entry, key, path)
        index = next(
            (i for i, have in enumerate(result) if _identity(have, key, path) == identity), -1
        )
        here = f"{path}[{PW_PREFIX}:{key}='{identity}']" if key else f"{path}[.='{identity}']"
        before = result[index] if index >= 0 else ABSENT
        new = _apply(before, entry, op, here, name)
        if index >= 0 and isinstance(new, _Absent):
            del result[index]
        elif index >= 0:
            result[index] = new
        elif not isinstance(new, _Absent):
            result.append(new)
    return result


def _identity(entry: Any, key: str | None, path: str) -> str:
    """The key value that names ``entry`` (RFC 7950 §7.8.2: keys are mandatory in edits)."""
    if key is None:
        value = entry.get(TEXT) if isinstance(entry, dict) else entry
        return "" if value is None else str(value)
    value = entry.get(key) if isinstance(entry, dict) else None
    if isinstance(value, dict):
        value = value.get(TEXT)
    if value is None:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.MISSING_ELEMENT,
            f"list entry without its key {key!r}",
            path,
            bad_element=key,
        )
    return str(value)


def check_keys(nested: Tree) -> None:
    """A list entry's key and its ``config`` copy agree (RFC 7950 §7.8.2: keys do not change).

    An edit that writes ``config/neighbor-address`` of an entry keyed by another address would
    rename the entry; it is refused with the entry's path.
    """
    root = f"/{PW_PREFIX}:bgp"
    for container, value in nested.items():
        _check_container(container, value, f"{root}/{PW_PREFIX}:{container}")


def _check_container(container: str, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        return
    entry_name, key = lists().get(container, ("", ""))
    for entry in value.get(entry_name, []) if key else []:
        if not isinstance(entry, dict):
            continue
        here = f"{path}/{PW_PREFIX}:{entry_name}[{PW_PREFIX}:{key}='{entry.get(key)}']"
        config = entry.get("config")
        inner = config.get(key) if isinstance(config, dict) else None
        if inner is not None and not _same_key(entry.get(key), inner):
            raise rpc_error(
                ErrorType.APPLICATION,
                ErrorTag.INVALID_VALUE,
                f"config/{key} {inner!r} differs from the entry's key {entry.get(key)!r}: "
                "a key cannot change; delete the entry and create a new one",
                f"{here}/{PW_PREFIX}:config/{PW_PREFIX}:{key}",
            )
        for child, sub in entry.items():
            _check_container(child, sub, f"{here}/{PW_PREFIX}:{child}")


def _same_key(outer: Any, inner: Any) -> bool:
    """Equal keys; addresses compare in canonical form."""
    try:
        return ipaddress.ip_address(str(outer)) == ipaddress.ip_address(str(inner))
    except ValueError:
        return str(outer) == str(inner)
