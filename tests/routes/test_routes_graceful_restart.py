"""Graceful restart, receiving speaker (RFC 4724 §4.2), with FRR as the restarting neighbor.

FRR (127.0.160.2, iBGP in AS 65001, ``bgp graceful-restart`` with restart time 5 and
``preserve-fw-state``, so its OPEN lists ipv4-unicast with the F bit) announces two prefixes
to ``peerwised`` (127.0.160.1). Its bgpd is killed with SIGKILL: the TCP session ends without
a NOTIFICATION, so both routes stay in the Loc-RIB, stale. FRR is started again announcing
only the first prefix: after its End-of-RIB the second one, still stale, is purged, the first
stays (and outlives the 5 s restart timer, which the new session stopped). FRR is killed
again and not restarted: after the restart time the route is purged.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop.peers import FRR, Neighbor
from interop.speaker import Peerwised
from probes import eventually, loc_rib

PW, FR = "127.0.160.1", "127.0.160.2"
ASN = 65001
RESTART_TIME = 5
KEPT, DROPPED = "10.160.1.0/24", "10.160.2.0/24"

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(not Path("/usr/lib/frr/bgpd").exists(), reason="FRR is needed"),
]


class RestartingFRR(FRR):
    """FRR with graceful restart on, announcing ``networks``."""

    networks: tuple[str, ...] = (KEPT, DROPPED)

    def write_config(self) -> None:
        super().write_config()
        lines = self.config_path.read_text().splitlines()
        at = lines.index(f"router bgp {self.asn}") + 1
        lines[at:at] = [
            " bgp graceful-restart",
            f" bgp graceful-restart restart-time {RESTART_TIME}",
            " bgp graceful-restart preserve-fw-state",
        ]
        lines += [" address-family ipv4 unicast"]
        lines += [f"  network {prefix}" for prefix in self.networks]
        lines += [" exit-address-family"]
        self.config_path.write_text("\n".join(lines) + "\n")

    def kill(self) -> None:
        """SIGKILL by PID: no NOTIFICATION goes out."""
        for proc in self.processes:
            proc.stop(signal.SIGKILL)
        self.processes.clear()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Peerwised, RestartingFRR]]:
    tmp = tmp_path_factory.mktemp("gr")
    pw = Peerwised(tmp / "pw", Path(tempfile.mkdtemp(prefix="pw")), PW, ASN,
                   [Neighbor(FR, ASN)])  # fmt: skip
    frr = RestartingFRR(FR, ASN, [Neighbor(PW, ASN)])
    try:
        pw.start()
        frr.start(tmp / "frr")
        frr.wait_established(PW, timeout=30)
        yield pw, frr
    finally:
        frr.stop()
        pw.stop()
        shutil.rmtree(pw.socket.parent, ignore_errors=True)


def held(pw: Peerwised, prefix: str) -> bool:
    return bool(loc_rib(pw, prefix))


def test_frr_restart_keeps_then_refreshes_then_purges(
    pair: tuple[Peerwised, RestartingFRR], tmp_path: Path
) -> None:
    pw, frr = pair
    eventually(lambda: held(pw, KEPT) and held(pw, DROPPED), "FRR's routes in the Loc-RIB")

    frr.kill()
    eventually(lambda: pw.session_state(FR) != "ESTABLISHED", "the session down")
    assert held(pw, KEPT) and held(pw, DROPPED), "routes kept stale over the restart"

    frr.networks = (KEPT,)
    frr.start(tmp_path)
    frr.wait_established(PW, timeout=30)
    eventually(lambda: not held(pw, DROPPED), "the stale route purged at End-of-RIB")
    time.sleep(RESTART_TIME + 1)  # the restart timer was stopped: nothing more goes
    assert held(pw, KEPT)

    frr.kill()
    eventually(lambda: pw.session_state(FR) != "ESTABLISHED", "the session down again")
    assert held(pw, KEPT), "kept stale while FRR restarts"
    eventually(lambda: not held(pw, KEPT), "purged after the restart time", RESTART_TIME + 10)


def test_a_removed_neighbor_takes_its_kept_routes_along(
    pair: tuple[Peerwised, RestartingFRR], tmp_path: Path
) -> None:
    """Routes kept for a restarting neighbor go at once when the neighbor is deconfigured:
    nobody is left to refresh them, and the restart timer must not hold them any longer."""
    pw, frr = pair
    frr.networks = (KEPT,)
    frr.start(tmp_path)
    frr.wait_established(PW, timeout=30)
    eventually(lambda: held(pw, KEPT), "FRR's route in the Loc-RIB")
    frr.kill()
    eventually(lambda: pw.session_state(FR) != "ESTABLISHED", "the session down")
    assert held(pw, KEPT), "kept stale over the restart"
    pw.run_cli("neighbor", "del", FR, as_json=False)
    eventually(lambda: not held(pw, KEPT), "purged with the neighbor", RESTART_TIME - 2)
