# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module options checked against the model on the controller, before anything is sent.

The collection ships the model's JSON Schema (``speaker/peerwise/model/peerwise-bgp.schema.json``,
generated from yang/). :func:`to_tree` walks it beside a task's options: each option is found
as a leaf of the model (``config`` containers flattened, names in snake case), checked against
the leaf's type, range, pattern and enumeration, and put into the *file shape* the payload is
rendered from. Unknown options are refused with the names the model has at that place.
:func:`rule_problems` then runs the speaker's own semantic rules (a generated copy of
``peerwise.model.rules``) that a partial config can answer: reserved AS numbers, a usable
router ID, hold time 0 or at least 3, keepalive below hold time, real prefixes.

No jsonschema and no speaker on the controller: the schema subset the generator emits (types,
``anyOf``, ``minimum``/``maximum``, ``pattern``, ``enum``, lengths, ``uniqueItems``) is small.
``required`` is left to the speaker: a merge names only what it changes.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE
from ansible_collections.peerwise.bgp.plugins.plugin_utils import peerwise_model_rules as rules

SCHEMA_FILE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "speaker",
    "peerwise",
    "model",
    "peerwise-bgp.schema.json",
)

# Rules a partial config can answer, given the leaves they read (RFC sections in rules.py).
PARTIAL_RULES = (rules.as_numbers, rules.hold_time, rules.routes)


@functools.lru_cache(maxsize=1)
def schema():
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def kebab(name):
    return name.replace("_", "-")


def snake(name):
    return name.replace("-", "_")


def where(schema_node):
    """The leaf's file-shape path (``neighbors[].timers.config.hold-time``)."""
    parts = schema_node["x-yang-path"].strip("/").split("/")[1:]
    out = []
    for part in parts:
        if out and out[-1] == part + "s":
            out[-1] += "[]"
        else:
            out.append(part)
    return ".".join(out)


def rule_text(leaf):
    """The model's rule for a leaf: its YANG type and range or choices."""
    target = leaf.get("items", leaf)
    words = [leaf["x-yang-type"]]
    if "minimum" in target:
        words.append("{0}..{1}".format(target["minimum"], target["maximum"]))
    if "enum" in target:
        words.append("one of " + ", ".join(target["enum"]))
    return "model {0}: {1}".format(where(leaf), ", ".join(words))


# ---- leaves ---------------------------------------------------------------------------------


def _integer(value):
    if isinstance(value, bool):
        raise ValueError("{0!r} is not an integer".format(value))
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    if not isinstance(value, int):
        raise ValueError("{0!r} is not an integer".format(value))
    return value


def _string(value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("{0!r} is not a string".format(value))
    return str(value)


def _boolean(value):
    if isinstance(value, str):
        value = value.lower()
    if value in BOOLEANS_TRUE:
        return True
    if value in BOOLEANS_FALSE:
        return False
    raise ValueError("{0!r} is not a boolean".format(value))


TYPES = {"integer": _integer, "string": _string, "boolean": _boolean}


def _scalar(node, value):
    """``value`` converted to the schema node's type; ValueError says what is wrong."""
    if "anyOf" in node:
        for branch in node["anyOf"]:
            try:
                return _scalar(branch, value)
            except ValueError:
                continue
        raise ValueError("{0!r} is not a valid {1}".format(value, node["x-yang-type"]))
    value = TYPES[node["type"]](value)
    if "minimum" in node and not node["minimum"] <= value <= node["maximum"]:
        raise ValueError("{0} is out of range".format(value))
    if "enum" in node and value not in node["enum"]:
        raise ValueError("{0!r} is not one of {1}".format(value, ", ".join(node["enum"])))
    if "pattern" in node and not re.search(node["pattern"], value):
        raise ValueError("{0!r} is not a valid {1}".format(value, node["x-yang-type"]))
    if not node.get("minLength", 0) <= len(str(value)) <= node.get("maxLength", 1 << 30):
        raise ValueError("{0!r} is not a valid {1}".format(value, node["x-yang-type"]))
    return value


def check_leaf(leaf, value):
    """(converted value, problem text or None) for one leaf or leaf-list."""
    try:
        if leaf.get("type") != "array":
            return _scalar(leaf, value), None
        if not isinstance(value, list):
            raise ValueError("{0!r} is not a list".format(value))
        items = [_scalar(leaf["items"], item) for item in value]
        if leaf.get("uniqueItems") and len(set(map(str, items))) != len(items):
            raise ValueError("{0!r} lists a value twice".format(value))
        return items, None
    except ValueError as exc:
        return None, "{0} ({1})".format(exc, rule_text(leaf))


# ---- containers and lists -------------------------------------------------------------------


def _join(prefix, name):
    return "{0}.{1}".format(prefix, name) if prefix else name


def to_tree(node, options, prefix=""):
    """(file-shape tree, [problem]) for the options of one container or list entry.

    ``node`` is the schema of the container (``global``) or list entry (``neighbors.items``);
    options left unset (None) are left out: they keep the speaker's value.
    """
    if not isinstance(options, dict):
        return {}, ["{0}: {1!r} is not a dictionary".format(prefix or "options", options)]
    props = node.get("properties", {})
    leaves = props.get("config", {}).get("properties", {})
    tree, problems = {}, []
    for name, value in options.items():
        if value is None:
            continue
        option, model_name = _join(prefix, name), kebab(name)
        if model_name in leaves:
            value, problem = check_leaf(leaves[model_name], value)
            if problem:
                problems.append("{0}: {1}".format(option, problem))
            tree.setdefault("config", {})[model_name] = value
        elif model_name in props and model_name != "config":
            tree[model_name], found = _child(props[model_name], value, option)
            problems.extend(found)
        else:
            known = sorted(snake(n) for n in list(leaves) + list(props) if n != "config")
            problems.append(
                "{0}: not in the model here (known: {1})".format(option, ", ".join(known))
            )
    return tree, problems


def _child(node, value, option):
    if node.get("type") != "array":
        return to_tree(node, value, option)
    if not isinstance(value, list):
        return [], ["{0}: {1!r} is not a list".format(option, value)]
    entries, problems = [], []
    for index, entry in enumerate(value):
        tree, found = to_tree(node["items"], entry, "{0}[{1}]".format(option, index))
        entries.append(tree)
        problems.extend(found)
    return entries, problems


# ---- semantic rules -------------------------------------------------------------------------


def _defaults(node, tree):
    """``tree`` with the model's defaults filled in the containers it has (rules trust them)."""
    props = node.get("properties", {})
    out = dict(tree)
    leaves = props.get("config", {}).get("properties", {})
    if leaves:
        config = dict(out.get("config") or {})
        for name, leaf in leaves.items():
            if "default" in leaf:
                config.setdefault(name, leaf["default"])
        out["config"] = config
    for name, child in props.items():
        if name == "config" or child.get("type") == "array" or "properties" not in child:
            continue
        out[name] = _defaults(child, out.get(name) or {})
    return out


def _keepalive_given(neighbor):
    timers = (neighbor.get("timers") or {}).get("config") or {}
    return "hold-time" in timers and "keepalive-interval" in timers


def rule_problems(tree, rename):
    """The speaker's semantic rules on a partial config (file shape); ``rename`` turns a
    file-shape path (``neighbors[0].timers.config.hold-time``) into the option's name."""
    entry_schema = schema()["properties"]["neighbors"]["items"]
    neighbors = [_defaults(entry_schema, n) for n in tree.get("neighbors") or []]
    cfg = {"global": copy.deepcopy(tree.get("global") or {"config": {}}), "rib": tree.get("rib")}
    cfg["global"].setdefault("config", {})
    cfg["neighbors"] = neighbors
    found = [e for rule in PARTIAL_RULES for e in rule(cfg)]
    if "router-id" in cfg["global"]["config"]:
        found.extend(rules.router_id(cfg))
    if any(_keepalive_given(n) for n in tree.get("neighbors") or []):
        given = dict(cfg, neighbors=[n for n in neighbors if _keepalive_given(n)])
        found.extend(rules.keepalive(given))
    return ["{0}: {1} (model rule, {2})".format(rename(e.path), e.message, e.path) for e in found]


def option_path(path, prefix_map):
    """``neighbors[0].timers.config.hold-time`` -> ``timers.hold_time`` with
    ``prefix_map={"neighbors[0]": ""}``: config steps dropped, names in snake case."""
    steps = [s for s in path.split(".") if s != "config"]
    for old, new in prefix_map.items():
        head = old.split(".")
        if steps[: len(head)] == head:
            steps = ([new] if new else []) + steps[len(head) :]
            break
    return ".".join(snake(step) for step in steps)
