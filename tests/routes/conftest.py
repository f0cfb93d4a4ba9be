"""tests/routes: routes end to end, with ``peerwised`` and real peers on 127.0.70.0/24+.

The helpers of tests/speaker (daemons) and tests/interop (GoBGP, FRR, BIRD, ExaBGP) are
reused as they are: both directories go on ``sys.path``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for extra in (HERE, HERE.parent, HERE.parent / "speaker", HERE.parent.parent):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))
