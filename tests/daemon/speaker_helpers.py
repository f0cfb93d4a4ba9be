"""Helpers for daemon-level tests: real sockets on 127.0.10.x, real ``peerwised`` processes.

Every process started here is stopped by its PID in a finalizer; every wait has a deadline.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

DEADLINE = 15.0  # seconds; sessions come up in well under one on loopback
POLL = 0.05


def toml_config(
    asn: int, address: str, neighbors: list[tuple[str, int]], connect_retry: int = 1
) -> str:
    """A GoBGP-style file, as in the seed, with our loopback addresses."""
    lines = [
        "[global.config]",
        f"  as = {asn}",
        f'  router-id = "{address}"',
        f'  local-address-list = ["{address}"]',
    ]
    for peer, peer_as in neighbors:
        lines += [
            "",
            "[[neighbors]]",
            "  [neighbors.config]",
            f'    neighbor-address = "{peer}"',
            f"    peer-as = {peer_as}",
            "  [neighbors.timers.config]",
            f"    connect-retry = {connect_retry}",
        ]
    return "\n".join(lines) + "\n"


class Daemon:
    """One ``peerwised`` subprocess with its config file and log."""

    def __init__(self, workdir: Path, name: str, config: str) -> None:
        self.dir = workdir / name
        self.dir.mkdir()
        self.config = self.dir / "bgp.toml"
        self.config.write_text(config)
        self.log = self.dir / "log"
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "peerwise.daemon", "-f", str(self.config),
             "--api-socket", str(self.dir / "api.sock"), "--log-level", "debug"],
            stdout=self._log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_log(self, pattern: str, after: int = 0, deadline: float = DEADLINE) -> str:
        """Wait until a log line (from offset ``after``) matches ``pattern``; return the line."""
        regex = re.compile(pattern)
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            for line in self.text()[after:].splitlines():
                if regex.search(line):
                    return line
            if self.proc.poll() is not None:
                break
            time.sleep(POLL)
        raise AssertionError(f"no log line matching {pattern!r} in:\n{self.text()}")

    def mark(self) -> int:
        return len(self.text())

    def signal(self, signum: int) -> None:
        os.kill(self.proc.pid, signum)

    def wait_exit(self, deadline: float = DEADLINE) -> int:
        return self.proc.wait(timeout=deadline)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log_file.close()
