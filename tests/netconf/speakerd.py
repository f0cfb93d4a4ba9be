"""``peerwised`` with NETCONF over SSH, for the tests of this directory.

Each daemon gets its own loopback address in 127.0.50.0/24 - 127.0.59.0/24 (this suite's
share), a TOML config in a tmp dir, a short Unix socket path, a fresh client key in its
authorized-keys file, and a host key it generates itself. Processes are stopped by PID only.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from peerwise.mgmt.client import NetconfClient

T = TypeVar("T")
BIN = Path(sys.executable).parent
SSH_PORT = 8830
PW_NS = "urn:peerwise:yang:peerwise-bgp"
STOP_WAIT = 10.0


class Addresses:
    """Loopback addresses from 127.0.50.10 up, never the same one twice in a run."""

    def __init__(self, first: str = "127.0.50.10", last: str = "127.0.59.254") -> None:
        self._next = ipaddress.IPv4Address(first)
        self._last = ipaddress.IPv4Address(last)

    def __call__(self) -> str:
        while self._next.packed[-1] in (0, 255):
            self._next += 1
        assert self._next <= self._last, "netconf test address range exhausted"
        address, self._next = self._next, self._next + 1
        return str(address)


def poll(probe: Callable[[], T | None], timeout: float, what: str, step: float = 0.05) -> T:
    """``probe()`` until it returns non-None; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            result = probe()
        except (OSError, ConnectionError, ValueError, KeyError) as exc:
            result, last = None, exc
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} ({last})")
        time.sleep(step)


def client_key(directory: Path) -> Path:
    """A new ed25519 key pair in ``directory``; returns the private key's path."""
    key = directory / "client_key"
    if not key.exists():
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
            check=True,
            timeout=10,
        )
    return key


@dataclass(frozen=True)
class Nbr:
    """One neighbor of the daemon under test."""

    address: str
    peer_as: int
    hold_time: int | None = None
    description: str = ""


def render_toml(address: str, asn: int, neighbors: Sequence[Nbr]) -> str:
    lines = [
        "# written by tests/netconf",
        "[global.config]",
        f"as = {asn}",
        f'router-id = "{address}"',
        f'local-address-list = ["{address}"]',
    ]
    for n in neighbors:
        lines += ["", "[[neighbors]]", "[neighbors.config]"]
        lines += [f'neighbor-address = "{n.address}"', f"peer-as = {n.peer_as}"]
        if n.description:
            lines.append(f'description = "{n.description}"')
        lines += ["[neighbors.timers.config]", "connect-retry = 1"]
        if n.hold_time is not None:
            lines += [f"hold-time = {n.hold_time}", f"keepalive-interval = {n.hold_time // 3}"]
        lines += ["[neighbors.transport.config]", f'local-address = "{address}"']
    return "\n".join(lines) + "\n"


@dataclass
class Speakerd:
    """A running ``peerwised``: ``start()``, ``client()``, ``stop()``, ``kill9()``."""

    workdir: Path
    address: str
    asn: int = 65001
    neighbors: Sequence[Nbr] = ()
    extra: Sequence[str] = ()
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config = self.workdir / "bgp.toml"
        self.socket = Path(tempfile.mkdtemp(prefix="pwnc-")) / "api.sock"
        self.key = client_key(self.workdir)
        self.host_key = self.workdir / "ssh_host_key"
        self.authorized = self.workdir / "authorized_keys"
        self.authorized.write_text(Path(f"{self.key}.pub").read_text())
        self.log = self.workdir / "peerwised.log"
        if not self.config.exists():
            self.config.write_text(render_toml(self.address, self.asn, self.neighbors))

    @property
    def argv(self) -> list[str]:
        return [
            str(BIN / "peerwised"),
            "-f",
            str(self.config),
            "--api-socket",
            str(self.socket),
            "--netconf-listen",
            f"{self.address}:{SSH_PORT}",
            "--host-key",
            str(self.host_key),
            "--authorized-keys",
            str(self.authorized),
            *self.extra,
        ]

    def start(self, timeout: float = 15.0) -> Speakerd:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        poll(self._ready, timeout, f"peerwised on {self.address}")
        return self

    def _ready(self) -> bool | None:
        assert self.popen is not None and self.popen.poll() is None, self.log_tail()
        with NetconfClient(str(self.socket), timeout=5):
            return True

    def client(self, timeout: float = 10.0) -> NetconfClient:
        return NetconfClient(str(self.socket), timeout=timeout)

    def ssh_params(self) -> dict[str, Any]:
        """ncclient ``manager.connect`` keywords for this daemon."""
        return {
            "host": self.address,
            "port": SSH_PORT,
            "username": "netconf",
            "key_filename": str(self.key),
            "hostkey_verify": False,
            "allow_agent": False,
            "look_for_keys": False,
            "timeout": 15,
        }

    def signal(self, signum: int) -> None:
        assert self.popen is not None
        os.kill(self.popen.pid, signum)

    def kill9(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(STOP_WAIT)

    def stop(self) -> int | None:
        """SIGTERM by PID, SIGKILL after STOP_WAIT."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.kill9()
        return self.popen.returncode

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def neighbor_xml(address: str, inner: str = "", attrs: str = "") -> str:
    return (
        f'<bgp xmlns="{PW_NS}"><neighbors><neighbor{attrs}><neighbor-address>{address}'
        f"</neighbor-address>{inner}</neighbor></neighbors></bgp>"
    )


def config_element(content: str) -> str:
    """ncclient's edit_config wants the <config> element itself."""
    return f'<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">{content}</config>'
