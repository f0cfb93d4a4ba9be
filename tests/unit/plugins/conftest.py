"""Make this checkout importable as the collection ``ansible_collections.peerwise.bgp``.

Modules import their helpers by collection name (that is how AnsiballZ finds them), so the
tests do too: a temporary ``ansible_collections/peerwise/bgp`` symlink to the repository root
goes on ``sys.path`` for the session.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

_root = Path(tempfile.mkdtemp(prefix="pw-collections-"))
(_root / "ansible_collections" / "peerwise").mkdir(parents=True)
(_root / "ansible_collections" / "peerwise" / "bgp").symlink_to(REPO)
sys.path.insert(0, str(_root))
atexit.register(shutil.rmtree, _root, ignore_errors=True)
