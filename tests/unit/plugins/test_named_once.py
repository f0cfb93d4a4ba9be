"""A leaf is named once: every model option of every module is a leaf of the YANG model (by
its JSON Schema) with the same type and choices, and every config leaf of the model is an
option of bgp_config. The option files are generated from the schema and must be current."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((REPO / "speaker/peerwise/model/peerwise-bgp.schema.json").read_text())
TYPES = {"integer": "int", "string": "str", "boolean": "bool"}
NOT_MODEL = {"api_socket", "payload", "state", "running_config"}
MODULES = {
    # module -> the schema node its options sit on
    "bgp_neighbor": SCHEMA["properties"]["neighbors"]["items"],
    "bgp_global": SCHEMA["properties"]["global"],
    "bgp_route": SCHEMA["properties"]["rib"]["properties"]["routes"]["items"],
    "bgp_config": {"properties": {"config": SCHEMA}},
}


def spec_of(name):
    module = importlib.import_module(f"ansible_collections.peerwise.bgp.plugins.modules.{name}")
    return {k: v for k, v in module.ARGUMENT_SPEC.items() if k not in NOT_MODEL}


def leaf_facts(leaf):
    """(type, elements, choices) an option of this leaf must have."""
    items = leaf.get("items", leaf) if leaf.get("type") == "array" else leaf
    kind = "str" if "anyOf" in items else TYPES[items["type"]]
    if leaf.get("type") == "array":
        return ("list", kind, items.get("enum"))
    return (kind, None, leaf.get("enum"))


def pairs(node, spec, where=""):
    """(option path, option spec, schema leaf or node) for every option below ``node``."""
    props = node.get("properties", {})
    leaves = props.get("config", {}).get("properties", {}) if "config" in props else {}
    for name, option in spec.items():
        model = name.replace("_", "-")
        path = f"{where}.{name}" if where else name
        if model in leaves:
            yield path, option, leaves[model]
        elif model in props:
            child = props[model]
            yield path, option, child
            below = child["items"] if child.get("type") == "array" else child
            yield from pairs(below, option.get("options", {}), path)
        else:
            yield path, option, None


CASES = [(m, *p) for m in MODULES for p in pairs(MODULES[m], spec_of(m))]


@pytest.mark.parametrize(
    ("module", "path", "option", "node"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_every_option_is_a_model_node_of_the_same_type(module, path, option, node):
    assert node is not None, f"{module}: option {path} is not in the model"
    if "x-yang-type" not in node:  # a container or a list
        want = ("list", "dict") if node.get("type") == "array" else ("dict", None)
        assert (option["type"], option.get("elements")) == want
        return
    assert (option["type"], option.get("elements"), option.get("choices")) == leaf_facts(node)


def model_leaves(node, where=""):
    props = node.get("properties", {})
    for name, child in props.items():
        if "x-yang-type" in child:
            yield f"{where}.{name}".replace(".config.", ".").lstrip(".")
        else:
            below = child["items"] if child.get("type") == "array" else child
            yield from model_leaves(below, f"{where}.{name}")


def test_bgp_config_names_every_config_leaf():
    options = {p for m, p, _o, n in CASES if m == "bgp_config" and n and "x-yang-type" in n}
    leaves = {"config." + leaf.replace("-", "_") for leaf in model_leaves(SCHEMA)}
    assert options == leaves


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "item",
    load("gen_model_options", REPO / "tools/gen_model_options.py").generate(),
    ids=lambda g: g.target.name,
)
def test_generated_option_files_are_current(item):
    assert item.target.read_text(encoding="utf-8") == item.text, (
        f"{item.target.relative_to(REPO)} is stale: run tools/gen_model_options.py"
    )
