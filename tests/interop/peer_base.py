"""What the four real peers share: neighbor rows, processes by PID, polling, normalised state."""

from __future__ import annotations

import abc
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")

STOP_WAIT = 5.0
POLL_INTERVAL = 0.1

# The names ``received_capabilities`` is drawn from, keyed by capability code (RFC 5492 §4,
# IANA "Capability Codes"). Multiprotocol (code 1) is named per family instead.
CAPABILITY_NAMES: dict[int, str] = {
    2: "route-refresh",
    5: "extended-nexthop",
    6: "extended-message",
    64: "graceful-restart",
    65: "4-octet-as",
    70: "enhanced-route-refresh",
    73: "fqdn",
}
FAMILY_NAMES: dict[tuple[int, int], str] = {
    (1, 1): "multiprotocol:ipv4-unicast",
    (2, 1): "multiprotocol:ipv6-unicast",
}

# RFC 4271 §4.5 error codes and the subcodes of RFC 4271 §6, RFC 4486 §4 (Cease) and
# RFC 6608 §3 (FSM): how ``last_error`` is spelled whatever the peer's own wording.
ERROR_CODES: dict[int, str] = {
    1: "Message Header Error",
    2: "OPEN Message Error",
    3: "UPDATE Message Error",
    4: "Hold Timer Expired",
    5: "Finite State Machine Error",
    6: "Cease",
    7: "ROUTE-REFRESH Message Error",
}
ERROR_SUBCODES: dict[tuple[int, int], str] = {
    (1, 1): "Connection Not Synchronized",
    (1, 2): "Bad Message Length",
    (1, 3): "Bad Message Type",
    (2, 1): "Unsupported Version Number",
    (2, 2): "Bad Peer AS",
    (2, 3): "Bad BGP Identifier",
    (2, 4): "Unsupported Optional Parameter",
    (2, 6): "Unacceptable Hold Time",
    (2, 7): "Unsupported Capability",
    (3, 1): "Malformed Attribute List",
    (3, 2): "Unrecognized Well-known Attribute",
    (3, 3): "Missing Well-known Attribute",
    (3, 4): "Attribute Flags Error",
    (3, 5): "Attribute Length Error",
    (3, 6): "Invalid ORIGIN Attribute",
    (3, 8): "Invalid NEXT_HOP Attribute",
    (3, 9): "Optional Attribute Error",
    (3, 10): "Invalid Network Field",
    (3, 11): "Malformed AS_PATH",
    (5, 1): "Unexpected Message in OpenSent",
    (5, 2): "Unexpected Message in OpenConfirm",
    (5, 3): "Unexpected Message in Established",
    (6, 1): "Maximum Number of Prefixes Reached",
    (6, 2): "Administrative Shutdown",
    (6, 3): "Peer De-configured",
    (6, 4): "Administrative Reset",
    (6, 5): "Connection Rejected",
    (6, 6): "Other Configuration Change",
    (6, 7): "Connection Collision Resolution",
    (6, 8): "Out of Resources",
    (6, 9): "Hard Reset",
}

STATES = ("idle", "connect", "active", "opensent", "openconfirm", "established")


def notification_text(code: int, subcode: int) -> str:
    """``Cease / Administrative Shutdown``: the RFC names of a NOTIFICATION's code and subcode."""
    major = ERROR_CODES.get(code, f"error code {code}")
    minor = ERROR_SUBCODES.get((code, subcode))
    return f"{major} / {minor}" if minor else f"{major} / subcode {subcode}"


def canonical_error(text: str) -> str:
    """Prefix a peer's wording with the RFC name when it names a known subcode.

    BIRD writes ``Received: Bad peer AS``, FRR ``OPEN Message Error/Bad Peer AS``: both become
    text that contains ``OPEN Message Error / Bad Peer AS``.
    """
    lowered = text.lower().replace("-", " ")
    for (code, subcode), name in ERROR_SUBCODES.items():
        if name.lower().replace("-", " ") in lowered:
            return f"{notification_text(code, subcode)} ({text})"
    return text


def poll(probe: Callable[[], T | None], timeout: float, what: str) -> T:
    """Call ``probe`` every POLL_INTERVAL until it returns non-None; AssertionError at timeout."""
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    while True:
        try:
            result = probe()
        except (OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
            result, last_exc = None, exc
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what} ({last_exc})")
        time.sleep(POLL_INTERVAL)


def empty_state() -> dict[str, Any]:
    """A neighbor the peer does not know (yet)."""
    return {
        "state": "idle",
        "received_capabilities": set(),
        "last_error": "",
        "messages_received": 0,
    }


@dataclass(frozen=True)
class Neighbor:
    """One neighbor in a peer's config: the other speaker seen from this peer."""

    address: str
    peer_as: int
    passive: bool = False
    ipv6: bool = False  # also negotiate ipv6-unicast, and extended next hop where the peer can
    hold_time: int | None = None

    @property
    def keepalive(self) -> int | None:
        return None if self.hold_time is None else max(1, self.hold_time // 3)


@dataclass
class Process:
    """A subprocess we started, stopped by its PID only."""

    argv: Sequence[str]
    log: Path
    env: dict[str, str] | None = None
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                list(self.argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )

    @property
    def pid(self) -> int | None:
        return None if self.popen is None else self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait: float = STOP_WAIT) -> int | None:
        """Send ``sig`` to our PID, SIGKILL it after ``wait`` seconds; return the exit status."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            os.kill(self.popen.pid, sig)
            try:
                self.popen.wait(wait)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait(wait)
        return self.popen.returncode


def kill_pid_file(path: Path) -> None:
    """Stop a helper a daemon started for us, by the PID it wrote (it may be gone already)."""
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return


def run(argv: Sequence[str], timeout: float = 5.0) -> str:
    """Run a peer's CLI; its stdout, or CalledProcessError (which ``poll`` tolerates)."""
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=True)
    return done.stdout


class Peer(abc.ABC):
    """A real BGP speaker on its own loopback address.

    ``start(tmpdir)`` writes the config for ``neighbors`` and starts the daemon; every process
    is tracked by PID and stopped by PID in ``stop()``. ``neighbor_state(addr)`` returns the
    normalised dict documented in :func:`empty_state`.
    """

    name: ClassVar[str]
    # (executable, Debian package that provides it)
    requires: ClassVar[tuple[tuple[str, str], ...]]

    def __init__(
        self,
        address: str,
        asn: int,
        neighbors: Sequence[Neighbor] = (),
        router_id: str | None = None,
    ) -> None:
        self.address = address
        self.asn = asn
        self.router_id = router_id or address
        self.neighbors: list[Neighbor] = list(neighbors)
        self.workdir: Path | None = None
        self.processes: list[Process] = []
        self.started_at = 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.address}, AS{self.asn})"

    @property
    def dir(self) -> Path:
        assert self.workdir is not None, f"{self!r} was not started"
        return self.workdir

    def start(self, tmpdir: Path) -> None:
        self.workdir = Path(tmpdir) / f"{self.name}-{self.address}"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.write_config()
        self.started_at = time.monotonic()
        for proc in self.launch():
            self.processes.append(proc)
            proc.start()
        self.wait_ready()

    def stop(self) -> None:
        if self.workdir is None:  # never started
            return
        for proc in reversed(self.processes):
            proc.stop()
        self.stop_helpers()

    def stop_helpers(self) -> None:  # noqa: B027 - most peers start no helper
        """Stop processes the daemon started for us (ExaBGP's API helper)."""

    def wait_established(self, neighbor: str, timeout: float = 30.0) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            self.assert_running()
            state = self.neighbor_state(neighbor)
            return state if state["state"] == "established" else None

        return poll(probe, timeout, f"{self!r}: {neighbor} established")

    def wait_state(
        self, neighbor: str, check: Callable[[dict[str, Any]], bool], timeout: float, what: str
    ) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            state = self.neighbor_state(neighbor)
            return state if check(state) else None

        return poll(probe, timeout, f"{self!r}: {neighbor} {what}")

    def assert_running(self) -> None:
        for proc in self.processes:
            assert proc.alive(), f"{self!r} exited: see {proc.log}:\n{self.log_tail()}"

    def log_tail(self, lines: int = 30) -> str:
        out = []
        for proc in self.processes:
            text = proc.log.read_text(errors="replace") if proc.log.exists() else ""
            out.extend(text.splitlines()[-lines:])
        return "\n".join(out)

    def add_neighbor(self, neighbor: Neighbor) -> None:
        """Add a neighbor to the running daemon (default: rewrite the config and reload)."""
        self.neighbors.append(neighbor)
        self.write_config()
        self.reload()

    def neighbor(self, address: str) -> Neighbor:
        return next(n for n in self.neighbors if n.address == address)

    @abc.abstractmethod
    def write_config(self) -> None: ...

    @abc.abstractmethod
    def launch(self) -> list[Process]: ...

    @abc.abstractmethod
    def wait_ready(self) -> None:
        """Return once the daemon answers its CLI (bounded)."""

    @abc.abstractmethod
    def reload(self) -> None: ...

    @abc.abstractmethod
    def neighbor_state(self, neighbor: str) -> dict[str, Any]: ...
