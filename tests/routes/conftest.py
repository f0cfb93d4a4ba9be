"""tests/routes: routes end to end, with ``peerwised`` and real peers on 127.0.70.0/24+ and,
for eBGP, in a network namespace of 198.19.0.x addresses (``netns``, ``ebgp_world``).

The helpers of tests/daemon (daemons) and tests/interop (GoBGP, FRR, BIRD, ExaBGP) are
reused as they are: both directories go on ``sys.path``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
for extra in (HERE, HERE.parent, HERE.parent / "daemon", HERE.parent.parent):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))


@pytest.fixture(scope="session")
def ebgp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The eBGP world of ``ebgp_world`` (namespace, peerwised, the four peers), started once."""
    from ebgp_world import MISSING, World
    from interop.speaker import assert_installed

    if MISSING:
        pytest.fail(f"needed (install it, see .ci/run): {', '.join(MISSING)}")
    assert_installed()
    world = World(tmp_path_factory.mktemp("ebgp"))
    try:
        world.start()
        yield world
    finally:
        world.stop()
