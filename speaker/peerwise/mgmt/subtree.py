"""Subtree filtering (RFC 6241 §6), as a pure function over nested trees.

A filter node is one of (§6.2):

- a *selection node* (empty element, here ``None``): the whole data node is selected;
- a *content match node* (leaf with text): the sibling set is kept only if the data leaf has
  that value; a sibling set of content match nodes alone selects the whole parent (§6.4.6);
- a *containment node* (element with children): filtering continues below it.

List entries that are returned always carry their key leaf, so entries stay told apart.
"""

from __future__ import annotations

from typing import Any

from peerwise.mgmt.message import TEXT
from peerwise.mgmt.tree import Tree, list_key

NOTHING = None


def apply_filter(data: Tree, flt: Any) -> Tree | None:
    """``data`` is ``{'bgp': nested}``; returns the selected part or None (RFC 6241 §6.4.2)."""
    if not isinstance(flt, dict) or not flt:
        return NOTHING
    return _container(data, flt, key=None, name="")


def _content(value: Any) -> str | None:
    """The text of a content match node, or None when ``value`` is no such node."""
    if isinstance(value, dict):
        return str(value[TEXT]) if set(value) == {TEXT} else None
    return value if isinstance(value, str) else None


def _container(data: Tree, flt: Tree, key: str | None, name: str) -> Tree | None:
    """Filter the children of element ``name``; ``key`` is kept when it names a list entry."""
    matches = {child: _content(f) for child, f in flt.items() if _content(f) is not None}
    for child, wanted in matches.items():
        if not _matches(data.get(child), str(wanted)):
            return NOTHING
    others = {child: f for child, f in flt.items() if child not in matches}
    if matches and not others:
        return dict(data)
    out: Tree = {}
    for child, value in data.items():
        if child in matches:
            out[child] = value
        elif child in others:
            selected = _select(value, others[child], list_key(name), child)
            if selected is not NOTHING:
                out[child] = selected
    if not out:
        return NOTHING
    if key is not None and key in data:  # a selected list entry keeps its key, first
        out = {key: data[key], **out}
    return out


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, list):
        return wanted in [str(v) for v in value]
    return value is not None and not isinstance(value, dict) and str(value) == wanted


def _select(value: Any, flt: Any, key: str | None, name: str) -> Any:
    """Filter one child: ``key`` is the list key when ``value`` is a list's entries."""
    if flt is None:
        return value
    if isinstance(value, list):
        return _select_list(value, flt, key, name) or NOTHING
    if isinstance(value, dict) and isinstance(flt, dict):
        return _container(value, flt, key=None, name=name)
    return NOTHING


def _select_list(items: list[Any], flt: Any, key: str | None, name: str) -> list[Any]:
    """Entries selected by any of the filter entries given for this list."""
    filters = flt if isinstance(flt, list) else [flt]
    picked: list[Any] = []
    for item in items:
        for one in filters:
            got = _entry(item, one, key, name)
            if got is not NOTHING:
                picked.append(got)
                break
    return picked


def _entry(item: Any, flt: Any, key: str | None, name: str) -> Any:
    if flt is None:
        return item
    if isinstance(item, dict) and isinstance(flt, dict):
        return _container(item, flt, key, name)
    wanted = _content(flt)
    return item if wanted is not None and str(item) == wanted else NOTHING
