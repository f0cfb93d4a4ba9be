"""Test modules in folders without __init__.py share one namespace (pytest's rootdir import):
two of them with the same file name break collection of the whole suite. Keep names unique."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_test_module_names_are_unique_outside_packages() -> None:
    loose = [p for p in TESTS.rglob("test_*.py") if not (p.parent / "__init__.py").exists()]
    twice = [name for name, n in Counter(p.name for p in loose).items() if n > 1]
    assert twice == [], f"rename one of each: {twice}"
