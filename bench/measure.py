"""One measurement: one target, one route set, one :class:`Result`.

Sequence (every wait bounded; the timeouts scale with the route count):

1. start the target; the monitor, then the tester, connect and reach Established;
2. sample the target (CPU, RSS) — the "before routes" baseline;
3. the tester writes the pre-encoded stream: the clock starts before its first octet;
4. wait until the monitor has seen every prefix (ExaBGP: until its helper has);
5. sample again: CPU is the difference, peak RSS is VmHWM, bytes per route is
   (VmHWM - RSS before) / routes;
6. with ``late``: a second monitor connects to the loaded target, and the time from its
   connect to its having every prefix is the initial export; stop everything by PID.

A failure anywhere is a Result whose ``status`` says why, never an exception.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.configs import Layout
from bench.routes import RouteSet
from bench.targets import Target
from bench.tester import Session, SessionFailed, Speaker, connect

SETUP_TIMEOUT = 30.0
POLL = 0.25  # between progress checks; the finish time is stamped when it happens
STALL = 5.0  # seconds without progress nor CPU use: the target is not relaying
IDLE_CPU = 0.05  # CPU seconds that count as activity


@dataclass(frozen=True)
class Timeouts:
    """Propagation may take ``base`` + ``per_route`` x routes seconds (GoBGP: ~60 us/route)."""

    setup: float = SETUP_TIMEOUT
    base: float = 20.0
    per_route: float = 200e-6

    def propagation(self, routes: int) -> float:
        return self.base + self.per_route * routes


@dataclass(frozen=True)
class Result:
    """One row of the table; the numbers are None unless ``status`` is "ok"."""

    target: str
    case: str
    routes: int
    status: str
    propagation_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mb: float | None = None
    bytes_per_route: float | None = None
    seen: int = 0
    initial_export_s: float | None = None  # table to a monitor connecting after the load
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def not_installed(target: type[Target], case: str, routes: int) -> Result:
    return Result(target.name, case, routes, "not installed")


class Stalled(Exception):
    """The target went idle before the goal: it will not get there."""


def _progress(target: Target, monitor: Session | None) -> float | None:
    """The time the goal was reached, or None yet."""
    if monitor is None:
        return target.received_at()
    return monitor.reached.result() if monitor.reached.done() else None


async def _until_done(
    target: Target, monitor: Session | None, tester: Session, limit: float
) -> float:
    """Wait for the goal; Stalled when the count and the target's CPU stood still for STALL
    seconds (a target that will never relay), TimeoutError after ``limit``."""
    start = last_change = time.monotonic()
    last = (-1, -1.0)
    while time.monotonic() - start < limit:
        for session in (s for s in (monitor, tester) if s is not None):
            if session.reached.done() and session.reached.exception():
                raise SessionFailed(f"{session.speaker.address}: {session.reached.exception()}")
        stamp = _progress(target, monitor)
        if stamp is not None:
            return stamp
        if not target.alive():
            raise SessionFailed(f"{target.name} exited")
        now = (monitor.counter.total if monitor else 0, target.sample().cpu)
        if now[0] != last[0] or now[1] - last[1] > IDLE_CPU:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change > STALL:
            raise Stalled(f"target idle for {STALL:.0f}s")
        if monitor is not None:
            await asyncio.wait({monitor.reached}, timeout=POLL)  # wakes at once when reached
        else:
            await asyncio.sleep(POLL)
    raise asyncio.TimeoutError


async def _late(target: Target, n: int, timeouts: Timeouts, sessions: list[Session]) -> float:
    """Seconds from a new monitor's connect to its having every prefix: the target's
    initial export of a loaded table (RFC 4271 §9.1, issue 5's "within 1.5x of ingest")."""
    layout = target.layout
    start = time.monotonic()
    late = await connect(Speaker(layout.late, layout.late_as), layout.target, timeouts.setup, n)
    sessions.append(late)
    return await _until_done(target, late, late, timeouts.propagation(n)) - start


async def _run(
    target: Target, routes: RouteSet, stream: bytes, timeouts: Timeouts, late: bool = False
) -> Result:
    layout = target.layout
    sessions: list[Session] = []
    case, n = label(routes), routes.total
    try:
        if target.relays:
            mon = Speaker(layout.monitor, layout.monitor_as)
            sessions.append(await connect(mon, layout.target, timeouts.setup, goal=n))
        tester = Speaker(layout.tester, layout.tester_as)
        sessions.append(await connect(tester, layout.target, timeouts.setup))
        before = target.sample()
        start = sessions[-1].blast(stream)
        limit = timeouts.propagation(n)
        monitor = sessions[0] if target.relays else None
        try:
            end = await _until_done(target, monitor, sessions[-1], limit)
        except (asyncio.TimeoutError, Stalled) as exc:
            seen = monitor.counter.total if monitor else 0
            why = str(exc) or f"timed out after {limit:.0f}s"
            where = "at the monitor" if monitor else "received"
            return Result(target.name, case, n, f"failed: {why} ({seen}/{n} {where})", seen=seen)
        after = target.sample()
        initial = None
        if late and monitor is not None:
            try:
                initial = await _late(target, n, timeouts, sessions)
            except (asyncio.TimeoutError, Stalled, SessionFailed) as exc:
                return Result(target.name, case, n, f"failed: late monitor: {exc}")
    except SessionFailed as exc:
        tail = target.log_tail(2)
        return Result(target.name, case, n, f"failed: {exc}" + (f" [{tail}]" if tail else ""))
    finally:
        for session in sessions:
            session.close()
    seen = monitor.counter.total if monitor else n
    extra = {"rss_before_mb": before.rss / 2**20}
    if monitor is not None:
        extra["updates_seen"] = monitor.counter.updates
    return Result(
        target.name, case, n, "ok",
        propagation_s=end - start,
        cpu_s=after.cpu - before.cpu,
        peak_rss_mb=after.hwm / 2**20,
        bytes_per_route=(after.hwm - before.rss) / n,
        seen=seen,
        initial_export_s=initial,
        extra=extra,
    )  # fmt: skip


def measure(
    kind: type[Target],
    layout: Layout,
    routes: RouteSet,
    stream: bytes,
    workdir: Path,
    timeouts: Timeouts = Timeouts(),
    late: bool = False,
) -> Result:
    """Start ``kind`` on ``layout.target``, measure, stop it (by PID) whatever happens;
    with ``late``, then time a second monitor's receiving the loaded table."""
    if not kind.installed():
        return not_installed(kind, label(routes), routes.total)
    target = kind(layout, workdir, routes.total)
    target.start()
    try:
        return asyncio.run(_run(target, routes, stream, timeouts, late))
    finally:
        target.stop()


def label(routes: RouteSet) -> str:
    """'100k IPv4', '200k IPv6', '2k IPv4 + 500 IPv6'."""
    parts = [f"{_size(n)} {fam}" for n, fam in ((routes.ipv4, "IPv4"), (routes.ipv6, "IPv6")) if n]
    return " + ".join(parts)


def _size(n: int) -> str:
    for unit, scale in (("m", 1_000_000), ("k", 1_000)):
        if n >= scale and n % (scale // 10 or 1) == 0:
            value = n / scale
            return f"{value:g}{unit}"
    return str(n)
