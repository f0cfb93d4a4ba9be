"""``make bench``: measure every target on every route set and print one Markdown table.

    python bench/run.py --sizes 100k,1m --ipv6 200k \\
        --targets peerwised,gobgpd,bird,frr,exabgp

Each IPv4 size and each IPv6 size is one case (one route set, built and encoded once, before
any clock starts); each case is measured on each target in turn, on a fresh target address in
127.0.40.0/24 (``--base``). Results also go to ``bench/results/bench-TIME.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.configs import Layout
from bench.measure import Result, Timeouts, label, measure
from bench.report import table
from bench.routes import SEED, build, digest
from bench.targets import TARGETS

RESULTS = Path(__file__).resolve().parent / "results"
SUFFIXES = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1m' -> 1000000, '2500' -> 2500."""
    text = text.strip().lower()
    scale = SUFFIXES.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    value = int(float(number) * scale)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a size is a positive count")
    return value


def parse_sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def parse_targets(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown target(s) {unknown}; known: {list(TARGETS)}")
    return names


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[100_000], help="IPv4 sizes")
    parser.add_argument("--ipv6", type=parse_sizes, default=[], help="IPv6 sizes")
    parser.add_argument("--targets", type=parse_targets, default=list(TARGETS))
    parser.add_argument("--base", default="127.0.40", help="loopback /24 to use (a.b.c)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-route-timeout", type=float, default=Timeouts.per_route)
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the targets' work dirs")
    parser.add_argument(
        "--late",
        action="store_true",
        help="then time the initial export: a second monitor connects to the loaded target",
    )
    return parser.parse_args(argv)


def cases(args: argparse.Namespace) -> list[tuple[int, int]]:
    return [(n, 0) for n in args.sizes] + [(0, n) for n in args.ipv6]


def run(args: argparse.Namespace, workdir: Path) -> list[Result]:
    results: list[Result] = []
    timeouts = Timeouts(per_route=args.per_route_timeout)
    index = 0
    for ipv4, ipv6 in cases(args):
        started = time.monotonic()
        routes = build(ipv4, ipv6, args.seed)
        stream = routes.encode()
        print(
            f"# {label(routes)}: {len(stream):,} octets (sha256 {digest(stream)}), "
            f"built in {time.monotonic() - started:.1f}s",
            file=sys.stderr,
        )
        for name in args.targets:
            layout = Layout.at(args.base, index)
            index += 1
            result = measure(
                TARGETS[name], layout, routes, stream, workdir / str(index), timeouts, args.late
            )
            print(f"#   {name}: {result.status} {_brief(result)}", file=sys.stderr)
            results.append(result)
    return results


def _brief(result: Result) -> str:
    if not result.ok:
        return ""
    late = (
        ""
        if result.initial_export_s is None
        else f", initial export {result.initial_export_s:.2f}s"
    )
    return f"{result.propagation_s:.2f}s, {result.bytes_per_route:,.0f} B/route{late}"


def save(args: argparse.Namespace, results: list[Result]) -> Path:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    path = out / time.strftime("bench-%Y%m%d-%H%M%S.json")
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
        "seed": args.seed,
        "results": [r.to_json() for r in results],
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep:
        workdir = Path(tempfile.mkdtemp(prefix="peerwise-bench-"))
        results = run(args, workdir)
        print(f"# work directories kept in {workdir}", file=sys.stderr)
    else:
        with tempfile.TemporaryDirectory(prefix="peerwise-bench-") as tmp:
            results = run(args, Path(tmp))
    print(table(results))
    print(f"\n(results: {save(args, results)})")
    return 0 if all(r.ok or r.status == "not installed" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
