"""The benchmark's pure parts: the route set, the prefix counter, sizes and the table."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from bench.measure import Result, Timeouts, label
from bench.nlri import PrefixCounter
from bench.report import table
from bench.routes import RouteSet, build, digest
from bench.run import parse_size
from peerwise.wire import AsPath, Framer, Keepalive, Update, decode, encode, find_attribute
from peerwise.wire import routes as announced_routes

SMALL = build(4000, 1000)
STREAM = SMALL.encode()


def _updates(stream: bytes) -> list[Update]:
    msgs = [decode(frame) for frame in Framer().feed(stream)]
    assert all(isinstance(m, Update) for m in msgs)
    return [m for m in msgs if isinstance(m, Update)]


def test_route_set_is_deterministic() -> None:
    assert digest(build(4000, 1000).encode()) == digest(STREAM)
    assert digest(build(4000, 1000, seed=7).encode()) != digest(STREAM)


def test_stream_decodes_to_every_prefix_once() -> None:
    prefixes: Counter[str] = Counter()
    for update in _updates(STREAM):
        for family_prefixes in announced_routes(update)[0].values():
            prefixes.update(family_prefixes)
    assert len(prefixes) == SMALL.total
    assert set(prefixes.values()) == {1}
    assert sum(":" in p for p in prefixes) == SMALL.ipv6


@pytest.mark.parametrize(
    ("family", "length", "low", "high"),
    [
        ("v4", 24, 0.50, 0.70),  # mostly /24
        ("v4", 22, 0.07, 0.15),
        ("v4", 16, 0.01, 0.05),
        ("v6", 48, 0.40, 0.65),  # mostly /48
        ("v6", 32, 0.13, 0.27),
    ],
)
def test_prefix_length_mix(family: str, length: int, low: float, high: float) -> None:
    prefixes = [p for s in SMALL.sets for p in s.prefixes if (":" in p) == (family == "v6")]
    share = sum(p.endswith(f"/{length}") for p in prefixes) / len(prefixes)
    assert low <= share <= high


def test_attribute_sets_look_like_a_table() -> None:
    sizes = [len(s.prefixes) for s in SMALL.sets]
    assert 8 <= statistics.mean(sizes) <= 12
    assert {len(s.as_path) for s in SMALL.sets} <= set(range(2, 9))
    assert {s.as_path[0] for s in SMALL.sets} == {SMALL.tester_as}
    assert len({(s.as_path, s.med) for s in SMALL.sets}) == len(SMALL.sets)


def test_updates_fit_and_carry_the_path() -> None:
    frames = Framer().feed(STREAM)
    assert max(map(len, frames)) <= 4096
    first = _updates(STREAM)[0]
    path = find_attribute(first.attributes, AsPath)
    assert path is not None
    assert path.first_as == SMALL.tester_as


@pytest.mark.parametrize("chunk", [1, 7, 19, 4096, 65536, len(STREAM)])
def test_counter_counts_distinct_prefixes_whatever_the_chunking(chunk: int) -> None:
    counter = PrefixCounter()
    keepalive = encode(Keepalive())
    stream = keepalive + STREAM + STREAM  # the second copy adds nothing new
    others: list[bytes] = []
    for i in range(0, len(stream), chunk):
        others += counter.feed(stream[i : i + chunk])
    assert counter.total == SMALL.total
    assert len(counter.families[(2, 1)]) == SMALL.ipv6
    assert others == [keepalive]


@pytest.mark.parametrize(
    ("text", "value"), [("100k", 100_000), ("1m", 1_000_000), ("2500", 2500), ("1.5k", 1500)]
)
def test_parse_size(text: str, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize(
    ("ipv4", "ipv6", "text"),
    [(100_000, 0, "100k IPv4"), (1_000_000, 0, "1m IPv4"), (2000, 500, "2k IPv4 + 500 IPv6")],
)
def test_label(ipv4: int, ipv6: int, text: str) -> None:
    assert label(RouteSet(ipv4, ipv6)) == text


def test_timeouts_scale_with_size() -> None:
    t = Timeouts(base=10, per_route=1e-4)
    assert t.propagation(1_000_000) == pytest.approx(110)


def test_table_ratios_are_to_peerwised() -> None:
    rows = [
        Result("peerwised", "1k IPv4", 1000, "ok", 2.0, 1.0, 10.0, 400.0),
        Result("bird", "1k IPv4", 1000, "ok", 1.0, 0.5, 5.0, 100.0),
        Result("frr", "1k IPv4", 1000, "failed: timed out"),
        Result("exabgp", "2k IPv6", 2000, "ok", 1.0, 0.5, 5.0, 100.0),
    ]
    lines = table(rows).splitlines()
    assert lines[3].split(" | ")[1:] == [
        "1k IPv4", "1.00", "0.50×", "0.50", "0.50×", "5.0", "0.50×", "100", "0.25× |",
    ]  # fmt: skip
    assert "failed: timed out" in lines[4]
    assert "×" not in lines[5]  # no peerwised result for that case
