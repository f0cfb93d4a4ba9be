"""The sans-I/O core imports no asyncio, socket, paramiko, threading or clock.

The rule is in docs/ARCHITECTURE.md ("Layers").

Checked on the source: the interpreter itself loads ``time``, and libraries such as jsonschema
load ``threading`` for their own reasons; what matters is that our core never reaches for them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peerwise

ROOT = Path(peerwise.__file__).parent
CORE = ["wire", "fsm", "model", "rib", "mgmt/framing.py"]
FORBIDDEN = {"asyncio", "socket", "paramiko", "threading", "time", "selectors", "datetime"}


def _sources(part: str) -> list[Path]:
    path = ROOT / part
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("part", CORE)
def test_core_imports_no_io(part: str) -> None:
    files = _sources(part)
    assert files, f"no sources under {part}"
    for path in files:
        bad = _imported_roots(path) & FORBIDDEN
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"
