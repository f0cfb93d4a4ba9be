"""Config difference: what changed between two configs, and what each change costs.

The cost of a leaf change is the leaf's ``pw-bgp-types:impact`` in the YANG model (``x-impact``
in the schema): none < soft < session-reset. Adding or removing a keyed list entry inside a
neighbor (an afi-safi) costs what its key leaf costs. A session-reset change under ``global``
resets every session. ``enabled`` is handled apart: turning it off stops the session (it is
in ``stopped``, not ``resets``); turning it on starts it (``started``).
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .defaults import defaults
from .errors import join
from .schema import Schema, config_schema, is_leaf, is_leaf_list, is_list, key_schema, properties


class Impact(enum.IntEnum):
    """What applying a change costs, ordered so that ``max()`` gives the worst."""

    NONE = 0
    SOFT = 1
    SESSION_RESET = 2

    @classmethod
    def of(cls, schema: Schema) -> Impact:
        return IMPACTS[str(schema.get("x-impact", "none"))]


ADDRESS_TYPES = ("ip-address", "ipv4-address", "ipv6-address")
IMPACTS = {"none": Impact.NONE, "soft": Impact.SOFT, "session-reset": Impact.SESSION_RESET}


@dataclass(frozen=True)
class Change:
    """One leaf (or list entry) that differs; ``path`` is relative to its neighbor or root."""

    path: str
    old: Any
    new: Any
    impact: Impact


@dataclass(frozen=True)
class NeighborChange:
    address: str
    changes: tuple[Change, ...]

    @property
    def impact(self) -> Impact:
        return max((change.impact for change in self.changes), default=Impact.NONE)


@dataclass(frozen=True)
class ConfigDiff:
    """``resets`` are the sessions to reset; ``added``/``removed``/``started``/``stopped`` the
    sessions to create, delete, start and stop. Addresses are in canonical text form."""

    global_changes: tuple[Change, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[NeighborChange, ...]
    started: tuple[str, ...]
    stopped: tuple[str, ...]
    running: tuple[str, ...]  # present and enabled in both configs

    @property
    def global_reset(self) -> bool:
        return any(change.impact is Impact.SESSION_RESET for change in self.global_changes)

    @property
    def resets(self) -> tuple[str, ...]:
        if self.global_reset:
            return self.running
        worst = {n.address for n in self.changed if n.impact is Impact.SESSION_RESET}
        return tuple(address for address in self.running if address in worst)

    @property
    def soft(self) -> tuple[str, ...]:
        """Sessions that keep running but need a route refresh / re-advertisement."""
        if self.global_reset:
            return ()
        worst = {n.address for n in self.changed if n.impact is Impact.SOFT}
        return tuple(address for address in self.running if address in worst)

    @property
    def empty(self) -> bool:
        return not (self.global_changes or self.added or self.removed or self.changed)


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> ConfigDiff:
    """The difference between two valid configs (file shape); defaults are filled in first."""
    return diff_complete(defaults(old), defaults(new))


def diff_complete(before: Mapping[str, Any], after: Mapping[str, Any]) -> ConfigDiff:
    """:func:`diff` of two configs whose defaults :func:`defaults` has filled in already."""
    schema = properties(config_schema())
    olds, news = _by_address(before), _by_address(after)
    item = schema["neighbors"]["items"]
    changed = [
        NeighborChange(address, tuple(_walk(item, olds[address], news[address], "")))
        for address in news
        if address in olds
    ]
    both = [address for address in news if address in olds]
    return ConfigDiff(
        global_changes=tuple(
            _walk(schema["global"], before.get("global"), after["global"], "global")
        ),
        added=tuple(address for address in news if address not in olds),
        removed=tuple(address for address in olds if address not in news),
        changed=tuple(change for change in changed if change.changes),
        started=tuple(a for a in both if not _enabled(olds[a]) and _enabled(news[a])),
        stopped=tuple(a for a in both if _enabled(olds[a]) and not _enabled(news[a])),
        running=tuple(a for a in both if _enabled(olds[a]) and _enabled(news[a])),
    )


def canonical(address: str) -> str:
    """``2001:DB8::0001`` -> ``2001:db8::1``: one spelling per neighbor."""
    return str(ipaddress.ip_address(address))


def _by_address(cfg: Mapping[str, Any]) -> dict[str, Any]:
    return {canonical(n["config"]["neighbor-address"]): n for n in cfg.get("neighbors", [])}


def _enabled(neighbor: Mapping[str, Any]) -> bool:
    return bool(neighbor["config"].get("enabled", True))


def _walk(schema: Schema, old: Any, new: Any, path: str) -> list[Change]:
    if is_leaf_list(schema):
        same = set(old or []) == set(new or [])
        return [] if same else [Change(path, old, new, Impact.of(schema))]
    if is_leaf(schema):
        return [] if _same(schema, old, new) else [Change(path, old, new, Impact.of(schema))]
    if is_list(schema):
        return _walk_list(schema, old or [], new or [], path)
    old, new = old or {}, new or {}
    return [
        change
        for key, sub in properties(schema).items()
        for change in _walk(sub, old.get(key), new.get(key), join(path, key))
    ]


def _same(schema: Schema, old: Any, new: Any) -> bool:
    """Equal values; addresses compare in canonical form (``2001:DB8::2`` is ``2001:db8::2``)."""
    if schema.get("x-yang-type") in ADDRESS_TYPES and isinstance(old, str) and isinstance(new, str):
        return canonical(old) == canonical(new)
    return bool(old == new)


def _walk_list(schema: Schema, old: list[Any], new: list[Any], path: str) -> list[Change]:
    key = schema["x-key"]
    olds = {entry["config"][key]: entry for entry in old}
    news = {entry["config"][key]: entry for entry in new}
    impact = Impact.of(key_schema(schema))
    changes = [Change(f"{path}[{k}]", olds[k], None, impact) for k in olds if k not in news]
    for k, entry in news.items():
        if k not in olds:
            changes.append(Change(f"{path}[{k}]", None, entry, impact))
        else:
            changes.extend(_walk(schema["items"], olds[k], entry, f"{path}[{k}]"))
    return changes
