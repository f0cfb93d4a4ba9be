"""Test configs made by editing a small valid one: ``edited({"global.config.as": 1})``."""

from __future__ import annotations

import copy
import re
from typing import Any

DROP = object()  # as a value: remove the key

BASE: dict[str, Any] = {
    "global": {"config": {"as": 65001, "router-id": "192.0.2.1"}},
    "neighbors": [
        {"config": {"neighbor-address": "192.0.2.2", "peer-as": 65002}},
        {"config": {"neighbor-address": "2001:db8::2", "peer-as": 65003}},
    ],
}


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def edited(edits: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    cfg = copy.deepcopy(BASE if base is None else base)
    for path, value in edits.items():
        *parents, last = _steps(path)
        node: Any = cfg
        for step in parents:
            if isinstance(step, str) and step not in node:
                node[step] = {}
            node = node[step]
        if value is DROP:
            del node[last]
        else:
            node[last] = value
    return cfg
