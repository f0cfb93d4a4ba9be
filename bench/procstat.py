"""CPU time and memory of a process tree, read from /proc (Linux, proc(5)).

A target is its main PID plus every descendant alive at the time of reading (ExaBGP's API
helper); ``cutime``/``cstime`` add the children already reaped. Peak RSS is ``VmHWM``, the
kernel's high-water mark of resident memory since the process started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


@dataclass(frozen=True)
class Sample:
    """One reading: CPU seconds (user + system, children included), RSS and peak RSS in bytes."""

    cpu: float
    rss: int
    hwm: int


def _stat_fields(pid: int) -> list[str]:
    """The fields after ``comm`` (which may hold spaces): index 0 is field 3, ``state``."""
    text = (PROC / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def descendants(pid: int) -> list[int]:
    """``pid`` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(_stat_fields(int(entry.name))[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def _cpu(pid: int) -> float:
    fields = _stat_fields(pid)
    # proc(5): utime(14) stime(15) cutime(16) cstime(17), here at indexes 11-14
    return sum(int(v) for v in fields[11:15]) / CLOCK_TICKS


def _memory(pid: int) -> tuple[int, int]:
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) * 1024  # kB
    return values["VmRSS"], values["VmHWM"]


def sample(pid: int) -> Sample:
    """Sum over the tree of ``pid``; a process that exits meanwhile is skipped."""
    cpu, rss, hwm = 0.0, 0, 0
    for member in descendants(pid):
        try:
            cpu += _cpu(member)
            r, h = _memory(member)
        except (OSError, ValueError):
            continue
        rss, hwm = rss + r, hwm + h
    return Sample(cpu, rss, hwm)
