"""Reading routes back: bounded polling, and ``peerwised``'s per-neighbor RIB counters.

The CLI prints a neighbor's session counters (``prefixes``: received, accepted, advertised);
the RIB's own per-family counters, ``as-loop`` among them, are the model's
``rib/afi-safis/afi-safi/neighbors/neighbor/state``: read here with one NETCONF ``get``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from interop.speaker import Peerwised

from peerwise.mgmt import message, tree
from peerwise.mgmt.client import PW_NS, NetconfClient

T = TypeVar("T")
DEADLINE = 30.0
POLL = 0.1


def eventually(check: Callable[[], T], what: str, timeout: float = DEADLINE) -> T:
    """``check()`` every POLL seconds until it is truthy; AssertionError at the deadline."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {value!r})")
        time.sleep(POLL)


def loc_rib(pw: Peerwised, prefix: str) -> list[dict[str, Any]]:
    """The Loc-RIB candidates of one prefix (best first), [] when it has none."""
    family = "ipv6" if ":" in prefix else "ipv4"
    return list(pw.cli("global", "rib", "-a", family, prefix))


def rib_counters(pw: Peerwised, neighbor: str, family: str = "ipv4-unicast") -> dict[str, int]:
    """``received``, ``accepted``, ``advertised``, ``as-loop`` of one neighbor and family."""
    entry = {"afi-safi-name": family, "neighbors": {"neighbor": {
        "neighbor-address": neighbor, "state": None}}}  # fmt: skip
    flt = {"bgp": {"@xmlns": PW_NS, "rib": {"afi-safis": {"afi-safi": entry}}}}
    xml = message.render(flt).split("?>", 1)[-1].strip()
    with NetconfClient(str(pw.socket), timeout=10) as client:
        nested = message.reply_data(client.get(xml)) or {}
    shaped = tree.coerce(tree.to_file_shape(nested))
    for afi_safi in (shaped.get("rib") or {}).get("afi-safis") or []:
        for found in afi_safi.get("neighbors") or []:
            if found.get("neighbor-address") == neighbor:
                return {k: int(v) for k, v in (found.get("state") or {}).items()}
    return {}


def messages(pw: Peerwised, neighbor: str) -> dict[str, dict[str, int]]:
    """The neighbor's message counters: ``{"sent": {...}, "received": {...}}``."""
    return dict(pw.neighbor(neighbor)["state"]["messages"])
