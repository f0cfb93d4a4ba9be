"""The architecture as a test: the package order docs/ARCHITECTURE.md writes down, and no
import cycle between modules.

Imports are read from the sources (ast), every one of them: at module level, inside a
function, under ``if TYPE_CHECKING``. ``from peerwise.x import y`` is an edge to the module
``peerwise.x.y`` when there is one, else to ``peerwise.x``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import peerwise

ROOT = Path(peerwise.__file__).parent
DOC = Path(__file__).resolve().parents[2] / "docs" / "ARCHITECTURE.md"
ORDER_LINE = re.compile(r"^Package order: `([^`]+)`", re.M)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: str) -> set[str]:
    """The peerwise modules ``module`` imports, anywhere in its source."""
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                child = f"{source}.{alias.name}"
                found.add(child if child in MODULES else source)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports(module) for module in MODULES}


def package_ranks() -> dict[str, int]:
    """``wire < fsm, rib < …`` from the doc: package -> rank (lower is more basic)."""
    match = ORDER_LINE.search(DOC.read_text())
    assert match, f"{DOC.name} has no 'Package order: `…`' line"
    ranks: dict[str, int] = {}
    for rank, group in enumerate(match.group(1).split("<")):
        for name in group.split(","):
            ranks[name.strip()] = rank
    return ranks


def package_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_every_package_is_placed_in_the_documented_order() -> None:
    ranks = package_ranks()
    packages = {package_of(m) for m in MODULES} - {""}
    assert packages - ranks.keys() == set(), "add them to the 'Package order' line"
    assert ranks.keys() - packages == set(), "the 'Package order' line names what is gone"


def _back_edges() -> list[str]:
    ranks = package_ranks()
    bad = []
    for module, targets in GRAPH.items():
        here = package_of(module)
        for target in targets:
            there = package_of(target)
            if here and there and here != there and ranks[there] >= ranks[here]:
                bad.append(f"{module} -> {target}")
    return sorted(bad)


def test_packages_import_only_the_ones_below_them() -> None:
    assert _back_edges() == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_import_cycle() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert _cycles(graph) == expected
