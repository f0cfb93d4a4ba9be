"""peerwise.rib is sans-I/O: it imports no asyncio, socket, clock or thread (ARCHITECTURE.md).

The same check as tests/unit/test_sans_io.py, for this package, until ``rib`` joins CORE there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peerwise.rib

FORBIDDEN = {"asyncio", "socket", "paramiko", "threading", "time", "selectors", "datetime"}
SOURCES = sorted(Path(peerwise.rib.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_the_rib_imports_no_io(path: Path) -> None:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    assert not roots & FORBIDDEN
