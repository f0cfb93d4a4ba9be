"""A default policy changed on ``peerwised`` (SIGHUP) with FRR as the neighbor: soft.

peerwised (AS 65001) and FRR (iBGP, AS 65001) on 127.0.131.x. Export reject-route toward FRR
withdraws what FRR had from us; import reject-route drops FRR's route from our Loc-RIB while
Adj-RIB-In keeps it; accept-route brings each back. The session stays up: one established
transition on both sides, no NOTIFICATION (docs/IMPACT.md: ``soft``).
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from interop.peers import FRR, Neighbor
from interop.speaker import Peerwised, render_toml

PW, FR = "127.0.131.1", "127.0.131.2"
OURS, THEIRS = "10.131.1.0/24", "10.131.2.0/24"
DEADLINE = 30.0
pytestmark = pytest.mark.skipif(not Path("/usr/lib/frr/bgpd").exists(), reason="FRR is needed")
ROUTE = f"""
[[rib.routes]]
  [rib.routes.config]
    prefix = "{OURS}"
    next-hop = "198.18.0.1"
"""


def eventually(check: Callable[[], Any], what: str) -> Any:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Pair:
    def __init__(self, tmp: Path) -> None:
        self.pw = Peerwised(tmp / "pw", Path(tempfile.mkdtemp(prefix="pw")), PW, 65001,
                            [Neighbor(FR, 65001)])  # fmt: skip
        self.frr = FRR(FR, 65001, [Neighbor(PW, 65001)])

    def configure(self, leaf: str = "", value: str = "") -> None:
        """peerwised's config with our route, and ``leaf`` set toward FRR; then SIGHUP."""
        policy = f'  [neighbors.apply-policy.config]\n    {leaf} = "{value}"\n' if leaf else ""
        text = render_toml(PW, 65001, PW, self.pw.neighbors) + policy + ROUTE
        self.pw.config_path.write_text(text)
        pid = self.pw.process.pid
        assert pid is not None
        os.kill(pid, signal.SIGHUP)

    def frr_has(self, prefix: str) -> bool:
        out = json.loads(self.frr.vtysh(f"show bgp ipv4 unicast {prefix} json") or "{}")
        return bool(out.get("paths"))

    def pw_has(self, prefix: str) -> bool:
        return bool(self.pw.cli("global", "rib", prefix))

    def frr_connections(self) -> int:
        out = json.loads(self.frr.vtysh(f"show bgp neighbors {PW} json"))[PW]
        return int(out.get("connectionsEstablished", 0))

    def assert_session_kept(self) -> None:
        state = self.pw.neighbor(FR)["state"]
        assert state["session-state"] == "ESTABLISHED"
        assert state["established-transitions"] == 1
        assert "last-notification-sent" not in state
        assert "last-notification-received" not in state
        assert self.frr_connections() == 1


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    p = Pair(tmp_path_factory.mktemp("policy"))
    try:
        p.pw.start()
        p.frr.start(tmp_path_factory.mktemp("frr"))
        p.frr.wait_established(PW, timeout=DEADLINE)
        p.pw.wait_ready()
        p.configure()
        p.frr.vtysh("configure terminal", "router bgp 65001", f"network {THEIRS}")
        eventually(lambda: p.frr_has(OURS), f"{OURS} in FRR")
        eventually(lambda: p.pw_has(THEIRS), f"{THEIRS} in peerwised")
        yield p
    finally:
        for stop in (p.frr.stop, p.pw.stop):
            stop()


# leaf -> (the prefix it hides, where we look for it)
CASES = {
    "export: withdrawn from FRR": ("default-export-policy", OURS, "frr"),
    "import: dropped from our Loc-RIB": ("default-import-policy", THEIRS, "pw"),
}


@pytest.mark.parametrize(("leaf", "prefix", "where"), CASES.values(), ids=CASES.keys())
def test_a_policy_flip_keeps_the_session(pair: Pair, leaf: str, prefix: str, where: str) -> None:
    def present() -> bool:
        return pair.frr_has(prefix) if where == "frr" else pair.pw_has(prefix)

    pair.configure(leaf, "reject-route")
    eventually(lambda: not present(), f"{prefix} gone ({leaf} reject-route)")
    if where == "pw":  # kept in Adj-RIB-In, not accepted
        counters = pair.pw.neighbor(FR)["state"]["prefixes"]
        assert (counters["received"], counters["accepted"]) == (1, 0)
    pair.configure(leaf, "accept-route")
    eventually(present, f"{prefix} back ({leaf} accept-route)")
    pair.assert_session_kept()
