"""The management plane's imports go one way (the order in ``peerwise/mgmt/__init__.py``).

Every import of a mgmt module — at the top, under ``TYPE_CHECKING`` or inside a function — must
name a module of an earlier layer; a module's own layer and later ones are back edges.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peerwise.mgmt

MGMT = Path(peerwise.mgmt.__file__).parent
PACKAGE = "peerwise.mgmt"

# The server side, first to last: a module may import only modules of the layers before its own.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "framing"),
    ("tree",),
    ("message",),
    ("params", "edit", "subtree", "withdefaults", "impact"),
    ("agent",),
    ("ops_data", "ops_copy", "ops_txn"),
    ("rpc",),
    ("session",),
    ("unix", "ssh"),
    ("__init__",),  # start_unix_server, loaded lazily
)
# The client side knows nothing of the server: the collection copies client.py and what it
# imports, so that set stays the standard library plus the framer.
CLIENT: dict[str, frozenset[str]] = {
    "client": frozenset({"framing"}),
    "sshclient": frozenset({"client"}),
}


def allowed() -> dict[str, frozenset[str]]:
    """Module -> the mgmt modules it may import."""
    found, earlier = dict(CLIENT), frozenset[str]()
    for layer in LAYERS:
        found.update(dict.fromkeys(layer, earlier))
        earlier = earlier | set(layer)
    return found


ALLOWED = allowed()


def mgmt_imports(source: str) -> set[str]:
    """The mgmt modules ``source`` (a module of peerwise.mgmt) imports, wherever it does."""
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {_module(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= _from_import(node)
    return {name for name in found if name is not None}


def _from_import(node: ast.ImportFrom) -> set[str | None]:
    base = PACKAGE.rsplit(".", node.level - 1)[0] if node.level else ""
    where = ".".join(part for part in (base, node.module) if part)
    if where != PACKAGE:
        return {_module(where)}
    # ``from peerwise.mgmt import message``: a submodule, or a name of __init__.
    return {n.name if (MGMT / f"{n.name}.py").exists() else "__init__" for n in node.names}


def _module(dotted: str) -> str | None:
    if dotted == PACKAGE:
        return "__init__"
    if dotted.startswith(PACKAGE + "."):
        return dotted.split(".")[2]
    return None


MODULES = sorted(path.stem for path in MGMT.glob("*.py"))


def test_every_mgmt_module_has_its_place_in_the_order() -> None:
    assert sorted(ALLOWED) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_a_mgmt_module_imports_only_modules_before_it(module: str) -> None:
    source = (MGMT / f"{module}.py").read_text(encoding="utf-8")
    back_edges = sorted(mgmt_imports(source) - ALLOWED.get(module, frozenset()))
    assert back_edges == [], f"{module} imports {back_edges}: against the order"


# How an import is written -> the mgmt module it names (the checker must see each of them).
SPELLINGS = {
    "from peerwise.mgmt.session import NetconfSession": {"session"},
    "import peerwise.mgmt.session": {"session"},
    "from peerwise.mgmt import message, tree": {"message", "tree"},
    "from peerwise.mgmt import start_unix_server": {"__init__"},
    "from .framing import Framer": {"framing"},
    "from . import rpc": {"rpc"},
    "from ..mgmt.agent import Caller": {"agent"},
    "from peerwise.model import diff": set(),
    "import asyncio": set(),
    "if TYPE_CHECKING:\n    from peerwise.mgmt.session import NetconfSession": {"session"},
    "def f():\n    from peerwise.mgmt.unix import start_unix_server": {"unix"},
}


@pytest.mark.parametrize(("source", "expected"), SPELLINGS.items(), ids=list(SPELLINGS))
def test_the_checker_sees_every_spelling_of_an_import(source: str, expected: set[str]) -> None:
    assert mgmt_imports(source) == expected


def test_a_back_edge_is_reported() -> None:
    agent_opening_a_session = "def open_session(self):\n    from .session import NetconfSession\n"
    assert mgmt_imports(agent_opening_a_session) - ALLOWED["agent"] == {"session"}
