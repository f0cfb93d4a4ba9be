"""The YANG modules validate cleanly and the checked-in schemas are what they generate."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerwise.model import config_schema, state_schema
from peerwise.wire.errors import ErrorCode

ROOT = Path(__file__).resolve().parents[3]
YANG = sorted((ROOT / "yang").glob("*.yang"))
PYANG = Path(sys.executable).parent / "pyang"
MODEL = ROOT / "speaker" / "peerwise" / "model"
SCHEMAS = ["peerwise-bgp.schema.json", "peerwise-bgp-state.schema.json"]
FORBIDDEN = {"asyncio", "socket", "time", "paramiko", "threading"}


def pyang(*args: str) -> subprocess.CompletedProcess[str]:
    assert PYANG.exists(), f"pyang is missing from {PYANG.parent}"
    command = [str(PYANG), "-p", str(ROOT / "yang"), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_modules_are_found() -> None:
    assert [p.name for p in YANG] == ["peerwise-bgp-types.yang", "peerwise-bgp.yang"]


@pytest.mark.parametrize("flags", [["--strict", "-Werror"], ["--strict", "--lint", "-Werror"]])
def test_pyang_validates_without_warnings(flags: list[str]) -> None:
    result = pyang(*flags, *map(str, YANG))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.parametrize("name", SCHEMAS)
def test_checked_in_schema_is_up_to_date(name: str, tmp_path: Path) -> None:
    script = ROOT / "tools" / "pyang_plugins" / "regenerate.sh"
    env = {**os.environ, "PYANG": str(PYANG)}
    result = subprocess.run(
        [str(script), str(tmp_path)], capture_output=True, text=True, env=env, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    fresh = (tmp_path / name).read_text(encoding="utf-8")
    assert fresh == (MODEL / name).read_text(encoding="utf-8"), "run regenerate.sh"


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_says_generated(name: str) -> None:
    first_line = (MODEL / name).read_text(encoding="utf-8").splitlines()[1]
    assert (
        first_line.startswith('  "$comment": "generated from yang/') and "do not edit" in first_line
    )


def config_leaves(schema: dict[str, object], path: str = "") -> list[tuple[str, dict[str, object]]]:
    if "x-yang-type" in schema:
        return [(path, schema)]
    items = schema.get("items")
    if isinstance(items, dict):
        return config_leaves(items, path + "[]")
    props = schema.get("properties", {})
    assert isinstance(props, dict)
    return [leaf for k, sub in props.items() for leaf in config_leaves(sub, f"{path}.{k}")]


def test_every_config_leaf_declares_its_impact() -> None:
    impacts = {path: leaf.get("x-impact") for path, leaf in config_leaves(config_schema())}
    assert len(impacts) >= 20
    assert {path for path, impact in impacts.items() if impact not in
            ("none", "soft", "session-reset")} == set()  # fmt: skip


def test_notification_codes_match_the_wire() -> None:
    neighbor = state_schema()["properties"]["neighbors"]["items"]["properties"]
    code = neighbor["state"]["properties"]["last-notification-sent"]["properties"]["code"]
    assert code["enum"] == [member.name for member in ErrorCode]


@pytest.mark.parametrize("source", sorted(MODEL.glob("*.py")), ids=lambda p: p.name)
def test_model_is_sans_io(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}  # fmt: skip
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}  # fmt: skip
    assert imported & FORBIDDEN == set()
