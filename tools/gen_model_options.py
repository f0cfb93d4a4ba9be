#!/usr/bin/env python3
"""Generate the modules' options from the YANG model: a leaf is named once.

The model's JSON Schema (speaker/peerwise/model/peerwise-bgp.schema.json, itself generated from
yang/) is walked once, and every config leaf becomes one module option with the same name in
snake case, the same type and the same choices. ``config`` containers are flattened into their
parent, as Ansible users write them (``timers.hold_time`` is ``timers/config/hold-time``).

Two files come out, both "generated — do not edit":

- ``plugins/module_utils/peerwise_spec.py``: the argument specs ``GLOBAL``, ``NEIGHBOR``,
  ``ROUTE`` and ``CONFIG`` the modules build theirs from;
- ``plugins/doc_fragments/model.py``: the same options documented (description, model path,
  range and default from the model), for ``extends_documentation_fragment``.

Ranges, patterns and the model's semantic rules are not argument-spec material: the action
plugins check them on the controller (plugins/plugin_utils/model_check.py).

Usage: tools/gen_model_options.py [--check]   (--check: exit 1 when a generated file is stale)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "speaker" / "peerwise" / "model" / "peerwise-bgp.schema.json"
SPEC_FILE = REPO / "plugins" / "module_utils" / "peerwise_spec.py"
DOC_FILE = REPO / "plugins" / "doc_fragments" / "model.py"

JSON_TO_ANSIBLE = {"integer": "int", "string": "str", "boolean": "bool"}
SECRET_WORDS = ("password",)

Node = dict[str, Any]


@dataclass(frozen=True)
class Generated:
    target: Path
    text: str


def snake(name: str) -> str:
    return name.replace("-", "_")


def file_path(yang_path: str) -> str:
    """The file shape's name of a node, as docs/IMPACT.md and the speaker's errors write it:
    ``/bgp/neighbors/neighbor/timers/config/hold-time`` -> ``neighbors[].timers.config.hold-time``.
    """
    parts = yang_path.strip("/").split("/")[1:]
    out: list[str] = []
    for part in parts:
        if out and out[-1] == part + "s":
            out[-1] += "[]"
        else:
            out.append(part)
    return ".".join(out)


def leaf_type(schema: Node) -> str:
    """The Ansible type of a leaf; unions (ip-address) are strings."""
    if "anyOf" in schema:
        return "str"
    return JSON_TO_ANSIBLE[schema["type"]]


def is_leaf(schema: Node) -> bool:
    return "x-yang-type" in schema


def constraint_text(schema: Node) -> str:
    """The model's rule for a leaf, in words (range, default)."""
    words = [f"type C({schema['x-yang-type']})"]
    target = schema.get("items", schema)
    if "minimum" in target:
        words.append(f"range {target['minimum']}..{target['maximum']}")
    if "default" in schema:
        default = json.dumps(schema["default"])
        words.append(f"model default C({default}) when never set")
    return ", ".join(words) + "."


def leaf_option(name: str, schema: Node, key: str | None) -> tuple[Node, Node]:
    """(argument spec, documentation) of one leaf or leaf-list."""
    spec: Node = {}
    doc: Node = {}
    if schema.get("type") == "array":
        spec.update(type="list", elements=leaf_type(schema["items"]))
        items = schema["items"]
    else:
        spec["type"] = leaf_type(schema)
        items = schema
    if "enum" in items:
        spec["choices"] = list(items["enum"])
    if name == key:
        spec["required"] = True
    if any(word in name for word in SECRET_WORDS):
        spec["no_log"] = True
    doc["description"] = [
        schema.get("description", name).strip(),
        f"Model leaf C({file_path(schema['x-yang-path'])}), {constraint_text(schema)}",
    ]
    doc.update((k, v) for k, v in spec.items() if k != "no_log")  # no_log is spec-only
    return spec, doc


def container_options(schema: Node, key: str | None = None) -> tuple[Node, Node]:
    """Options of a container or list entry: its ``config`` leaves, then its children."""
    specs: Node = {}
    docs: Node = {}
    props = schema.get("properties", {})
    for name, child in props.get("config", {}).get("properties", {}).items():
        specs[snake(name)], docs[snake(name)] = leaf_option(name, child, key)
    for name, child in props.items():
        if name == "config":
            continue
        specs[snake(name)], docs[snake(name)] = child_option(child)
    return specs, docs


def child_option(schema: Node) -> tuple[Node, Node]:
    """A container (dict) or a keyed list (list of dicts) below a container."""
    description = [schema.get("description", "").strip() or schema["x-yang-path"]]
    description.append(f"Model node C({file_path(schema['x-yang-path'])}).")
    if schema.get("type") == "array":
        entry = schema["items"]
        key = schema.get("x-key")
        options, docs = container_options(entry, key)
        where = file_path(schema["x-yang-path"])
        description[-1] = f"Model list C({where}), one entry per C({snake(key or '')})."
        spec = {"type": "list", "elements": "dict", "options": options}
        doc = {"description": description, "type": "list", "elements": "dict"}
    else:
        options, docs = container_options(schema)
        spec = {"type": "dict", "options": options}
        doc = {"description": description, "type": "dict"}
    doc["suboptions"] = docs
    return spec, doc


def option_sets(schema: Node) -> dict[str, tuple[Node, Node]]:
    """The four option sets the modules use, as (argument spec, documented options)."""
    props = schema["properties"]
    glob = container_options(props["global"])
    neighbor = container_options(props["neighbors"]["items"], props["neighbors"]["x-key"])
    routes = props["rib"]["properties"]["routes"]
    route = container_options(routes["items"], routes["x-key"])
    whole = container_options(schema)
    config_doc = {
        "description": [
            "The speaker's configuration in the model's shape (C(config) containers flattened).",
            "Required by the states merged, replaced, overridden and rendered.",
        ],
        "type": "dict",
        "suboptions": whole[1],
    }
    return {
        "GLOBAL": glob,
        "NEIGHBOR": neighbor,
        "ROUTE": route,
        "CONFIG": ({"config": {"type": "dict", "options": whole[0]}}, {"config": config_doc}),
    }


GENERATED = "# Generated by tools/gen_model_options.py from {src}: do not edit.\n"


def spec_text(sets: dict[str, tuple[Node, Node]]) -> str:
    src = SCHEMA.name
    lines = [
        "# Copyright: Peerwise contributors",
        "# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)",
        GENERATED.format(src=src).rstrip("\n"),
        '"""Argument specs of the model\'s leaves, one option per leaf (see DOCUMENTATION)."""',
        "",
        "from __future__ import annotations",
    ]
    for name, (spec, _doc) in sets.items():
        lines += ["", f"{name} = {spec!r}"]
    return format_python("\n".join(lines) + "\n", SPEC_FILE)


def doc_text(sets: dict[str, tuple[Node, Node]]) -> str:
    src = SCHEMA.name
    lines = [
        "# Copyright: Peerwise contributors",
        "# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)",
        GENERATED.format(src=src).rstrip("\n"),
        "# ruff: noqa: E501  (a deep model path in C(...) is one YAML word: it cannot wrap)",
        '"""The model\'s leaves as documented options: one fragment per option set."""',
        "",
        "from __future__ import annotations",
        "",
        "",
        "class ModuleDocFragment:",
    ]
    for name, (_spec, doc) in sets.items():
        body = yaml.safe_dump({"options": doc}, sort_keys=False, width=80, allow_unicode=True)
        lines += [f'    {name} = r"""', body.rstrip("\n"), '"""', ""]
    return format_python("\n".join(lines).rstrip("\n") + "\n", DOC_FILE)


def format_python(text: str, target: Path) -> str:
    """The text as ``ruff format`` leaves it, so the checked-in file passes the lint."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target), "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return done.stdout


def generate() -> list[Generated]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    sets = option_sets(schema)
    return [Generated(SPEC_FILE, spec_text(sets)), Generated(DOC_FILE, doc_text(sets))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for item in generate():
        current = item.target.read_text(encoding="utf-8") if item.target.exists() else None
        if current != item.text:
            stale.append(item.target.relative_to(REPO))
            if not args.check:
                item.target.write_text(item.text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'written'}: {path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
