"""The benchmark harness end to end, at a small size, against real targets (< 60 s).

Each case streams 2,000 IPv4 and 500 IPv6 routes from the tester through the target to the
monitor, exactly as ``make bench`` does with a million, so that the harness cannot rot.
Addresses: 127.0.49.0/24 (this suite's share of loopback).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.configs import Layout
from bench.measure import Timeouts, measure
from bench.routes import build
from bench.targets import BIRD, TARGETS

BASE = "127.0.49"
ROUTES = build(2000, 500)
STREAM = ROUTES.encode()
TIMEOUTS = Timeouts(setup=15.0, base=8.0, per_route=1e-3)

CASES = [
    pytest.param("bird", 0, id="bird"),
    pytest.param("frr", 1, id="frr"),
    pytest.param("gobgpd", 2, id="gobgpd"),
    pytest.param("exabgp", 3, id="exabgp-receiver"),
    pytest.param("peerwised", 4, id="peerwised"),
]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_harness_measures_target(name: str, index: int, tmp_path: Path) -> None:
    kind = TARGETS[name]
    if not kind.installed():
        pytest.skip(f"{name} is not installed")
    result = measure(kind, Layout.at(BASE, index), ROUTES, STREAM, tmp_path, TIMEOUTS)
    assert result.status == "ok", result.status
    assert result.seen == ROUTES.total
    assert result.propagation_s is not None and 0 < result.propagation_s < 30
    assert result.cpu_s is not None and result.cpu_s >= 0
    assert result.peak_rss_mb is not None and result.peak_rss_mb > 1
    assert result.bytes_per_route is not None


class _Absent(BIRD):
    name = "absent"
    binaries = ("/nonexistent/bgpd",)


class _Silent(BIRD):
    """Runs, but never listens: the sessions cannot come up."""

    name = "silent"
    binaries = ("sleep",)

    def write_config(self) -> None:
        pass

    def argv(self) -> list[str]:
        return ["sleep", "60"]


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (_Absent, "not installed"),
        (_Silent, "failed: 127.0.49.2 -> 127.0.49.15: not Established in 1s"),
    ],
)
def test_harness_reports_what_went_wrong(kind: type, status: str, tmp_path: Path) -> None:
    timeouts = Timeouts(setup=1.0, base=1.0)
    result = measure(kind, Layout.at(BASE, 5), ROUTES, STREAM, tmp_path, timeouts)
    assert result.status.startswith(status)
    assert result.propagation_s is None
