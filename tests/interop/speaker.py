"""Run ``peerwised`` (the speaker under test) and read it through its CLI, ``peerwise -j``.

The daemon gets a GoBGP-style TOML config (docs/ARCHITECTURE.md "Data shapes") and a NETCONF
socket in a short directory (a Unix socket path is limited to 107 bytes). It is stopped by PID:
SIGTERM, then SIGKILL after a bounded wait.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .peer_base import Neighbor, Process, poll

BIN = Path(sys.executable).parent
PEERWISED = BIN / "peerwised"
PEERWISE = BIN / "peerwise"
STOP_WAIT = 10.0


def assert_installed() -> None:
    """Fail loudly when the console scripts are not next to this Python."""
    for script in (PEERWISED, PEERWISE):
        assert script.exists(), f"{script} missing: pip install -e ./speaker into {BIN.parent}"


def render_toml(address: str, asn: int, router_id: str, neighbors: Sequence[Neighbor]) -> str:
    """The daemon's config: our address, AS and router id, one ``[[neighbors]]`` per row."""
    lines = [
        "[global.config]",
        f"  as = {asn}",
        f'  router-id = "{router_id}"',
        "  port = 179",
        f'  local-address-list = ["{address}"]',
    ]
    for n in neighbors:
        lines += [
            "",
            "[[neighbors]]",
            "  [neighbors.config]",
            f'    neighbor-address = "{n.address}"',
            f"    peer-as = {n.peer_as}",
            "  [neighbors.timers.config]",
            "    connect-retry = 1",
        ]
        if n.hold_time is not None:
            lines += [f"    hold-time = {n.hold_time}", f"    keepalive-interval = {n.keepalive}"]
        lines += [
            "  [neighbors.transport.config]",
            f'    local-address = "{address}"',
            f"    passive-mode = {str(n.passive).lower()}",
        ]
        for family in ("ipv4-unicast", "ipv6-unicast") if n.ipv6 else ("ipv4-unicast",):
            lines += [
                "  [[neighbors.afi-safis]]",
                "    [neighbors.afi-safis.config]",
                f'      afi-safi-name = "{family}"',
                "      enabled = true",
            ]
            if n.ipv6 and family == "ipv4-unicast":  # IPv4 routes may carry IPv6 next hops
                lines += ["      extended-next-hop = true"]
    return "\n".join(lines) + "\n"


def find_neighbor(doc: Any, address: str) -> dict[str, Any] | None:
    """The neighbor entry for ``address`` in whatever ``peerwise -j neighbor [ADDR]`` printed.

    Accepts the state tree (``{"neighbors": [...]}``), a bare list, or one neighbor.
    """
    if isinstance(doc, list):
        return next((hit for item in doc if (hit := find_neighbor(item, address))), None)
    if not isinstance(doc, dict):
        return None
    for part in ("state", "config"):
        if isinstance(doc.get(part), dict) and doc[part].get("neighbor-address") == address:
            return doc
    if doc.get("neighbor-address") == address:
        return {"state": doc}
    return find_neighbor(doc.get("neighbors"), address)


class Peerwised:
    """One ``peerwised`` on its own loopback address."""

    def __init__(
        self,
        workdir: Path,
        socket_dir: Path,
        address: str,
        asn: int,
        neighbors: Sequence[Neighbor] = (),
        router_id: str | None = None,
    ) -> None:
        self.workdir = workdir
        self.address = address
        self.asn = asn
        self.router_id = router_id or address
        self.neighbors = list(neighbors)
        self.config_path = workdir / "peerwised.toml"
        self.socket = socket_dir / "api.sock"
        self.process = Process(
            [str(PEERWISED), "-f", str(self.config_path), "--api-socket", str(self.socket)],
            workdir / "peerwised.log",
        )
        self.started_at = 0.0

    def __repr__(self) -> str:
        return f"Peerwised({self.address}, AS{self.asn})"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            render_toml(self.address, self.asn, self.router_id, self.neighbors)
        )
        self.started_at = time.monotonic()
        self.process.start()

    def stop(self) -> int | None:
        """SIGTERM by PID, SIGKILL after STOP_WAIT; the exit status."""
        return self.process.stop(wait=STOP_WAIT)

    def log_tail(self, lines: int = 40) -> str:
        text = self.process.log.read_text(errors="replace") if self.process.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def run_cli(self, *args: str, as_json: bool = True) -> str:
        argv = [str(PEERWISE), "--socket", str(self.socket), *(["-j"] if as_json else []), *args]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, argv, done.stdout, done.stderr)
        return done.stdout

    def cli(self, *args: str) -> Any:
        """``peerwise --socket SOCK -j ARGS...``, parsed."""
        return json.loads(self.run_cli(*args))

    def assert_running(self) -> None:
        assert self.process.alive(), f"{self!r} exited:\n{self.log_tail()}"

    def wait_ready(self, timeout: float = 10.0) -> None:
        def probe() -> bool | None:
            self.assert_running()
            return True if self.socket.exists() and self.cli("global") is not None else None

        poll(probe, timeout, f"{self!r} API on {self.socket}")

    def neighbor(self, address: str) -> dict[str, Any]:
        """The neighbor's entry (``config``/``state``/``timers``/...) from ``-j neighbor ADDR``."""
        found = find_neighbor(self.cli("neighbor", address), address)
        assert found is not None, f"{self!r} does not list neighbor {address}"
        return found

    def session_state(self, address: str) -> str:
        return str(self.neighbor(address).get("state", {}).get("session-state", ""))

    def wait_established(self, address: str, timeout: float = 30.0) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            self.assert_running()
            entry = self.neighbor(address)
            return entry if entry.get("state", {}).get("session-state") == "ESTABLISHED" else None

        return poll(probe, timeout, f"{self!r}: {address} ESTABLISHED")
