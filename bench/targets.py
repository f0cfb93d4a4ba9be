"""The targets: start one on its loopback address, sample its CPU and memory, stop it by PID.

Each :class:`Target` writes its config (``configs.py``) into its own work directory, starts
one daemon process in a new session, and is stopped by that PID only (SIGTERM, then SIGKILL).
``sample()`` reads the process tree from /proc (``procstat.py``). Readiness is not polled
here: the tester and monitor retry their connections until the target accepts them.

``relays`` is False for ExaBGP, which does not pass routes between peers: it is measured as a
receiver, and ``received_at()`` reads the time its API helper stamped on the last prefix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

from bench import configs
from bench.configs import Layout
from bench.procstat import Sample, descendants, sample

STOP_WAIT = 10.0


class Target:
    """One daemon under test. Subclasses say how to configure and run it."""

    name: ClassVar[str]
    binaries: ClassVar[tuple[str, ...]]
    relays: ClassVar[bool] = True

    def __init__(self, layout: Layout, workdir: Path, goal: int) -> None:
        self.layout = layout
        self.dir = workdir / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.goal = goal
        self.log = self.dir / "out.log"
        self.popen: subprocess.Popen[bytes] | None = None

    @classmethod
    def installed(cls) -> bool:
        return all(shutil.which(b) or Path(b).is_file() for b in cls.binaries)

    def argv(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str] | None:
        return None

    def write_config(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self.write_config()
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env(),
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was not started"
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def sample(self) -> Sample:
        return sample(self.pid)

    def stop(self) -> None:
        """SIGTERM our PID (and helpers it started), SIGKILL after STOP_WAIT seconds."""
        if self.popen is None or self.popen.poll() is not None:
            return
        helpers = [p for p in descendants(self.pid) if p != self.pid]
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.popen.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.popen.wait(STOP_WAIT)
        for pid in helpers:  # started by the target for us, by the PIDs we saw
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)

    def log_tail(self, lines: int = 5) -> str:
        text = "\n".join(
            p.read_text(errors="replace") for p in sorted(self.dir.glob("*.log")) if p.is_file()
        )
        return " | ".join(text.strip().splitlines()[-lines:])

    def received_at(self) -> float | None:
        """Receiver-only targets: the monotonic time the last prefix arrived, or None yet."""
        raise NotImplementedError


class Peerwised(Target):
    name = "peerwised"
    binaries = (sys.executable,)

    def write_config(self) -> None:
        (self.dir / "bgp.toml").write_text(configs.gobgp_toml(self.layout))

    def argv(self) -> list[str]:
        return [
            sys.executable, "-m", "peerwise.daemon", "-f", str(self.dir / "bgp.toml"),
            "--api-socket", str(self.dir / "api.sock"), "--log-level", "warning",
        ]  # fmt: skip


class GoBGP(Target):
    name = "gobgpd"
    binaries = ("gobgpd",)
    API_PORT = 50051

    def write_config(self) -> None:
        (self.dir / "gobgpd.toml").write_text(configs.gobgp_toml(self.layout))

    def argv(self) -> list[str]:
        return [
            "gobgpd", "-f", str(self.dir / "gobgpd.toml"), "-t", "toml", "-l", "warn",
            "--api-hosts", f"{self.layout.target}:{self.API_PORT}", "--pprof-disable",
        ]  # fmt: skip


class FRR(Target):
    name = "frr"
    binaries = ("/usr/lib/frr/bgpd",)

    def write_config(self) -> None:
        (self.dir / "bgpd.conf").write_text(configs.frr_conf(self.layout, self.dir))

    def argv(self) -> list[str]:
        return [
            "/usr/lib/frr/bgpd", "-Z", "-S", "-P", "0", "-l", self.layout.target, "-p", "179",
            "--vty_socket", str(self.dir), "-f", str(self.dir / "bgpd.conf"),
            "-i", str(self.dir / "bgpd.pid"), "-z", str(self.dir / "zserv.api"),
        ]  # fmt: skip


class BIRD(Target):
    name = "bird"
    binaries = ("bird",)

    def write_config(self) -> None:
        (self.dir / "bird.conf").write_text(configs.bird_conf(self.layout, self.dir))

    def argv(self) -> list[str]:
        return [
            "bird", "-f", "-c", str(self.dir / "bird.conf"), "-s", str(self.dir / "bird.ctl"),
            "-P", str(self.dir / "bird.pid"),
        ]  # fmt: skip


class ExaBGP(Target):
    name = "exabgp"
    binaries = ("exabgp",)
    relays = False

    @property
    def done_file(self) -> Path:
        return self.dir / "received"

    def write_config(self) -> None:
        self.done_file.unlink(missing_ok=True)
        (self.dir / "exabgp.env").write_text("")
        (self.dir / "exabgp.conf").write_text(configs.exabgp_conf(self.layout, self.dir, self.goal))

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "exabgp.tcp.bind": self.layout.target,
                "exabgp.tcp.port": "179",
                "exabgp.daemon.daemonize": "false",
                "exabgp.daemon.user": "root",
                "exabgp.api.cli": "false",
                "exabgp.log.level": "ERR",
                "exabgp.log.destination": "stdout",
            }
        )
        return env

    def argv(self) -> list[str]:
        return ["exabgp", "--env", str(self.dir / "exabgp.env"), str(self.dir / "exabgp.conf")]

    def received_at(self) -> float | None:
        try:
            count, stamp = self.done_file.read_text().split()
        except (OSError, ValueError):
            return None
        return float(stamp) if int(count) >= self.goal else None


TARGETS: dict[str, type[Target]] = {cls.name: cls for cls in (Peerwised, GoBGP, BIRD, FRR, ExaBGP)}
