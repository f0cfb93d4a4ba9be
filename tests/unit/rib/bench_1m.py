"""Full-table benchmark of the RIB (not collected by pytest: run it by hand).

    .venv/bin/python tests/unit/rib/bench_1m.py [--prefixes N] [--per-set K] [--batch B]

One eBGP peer sends N IPv4 /24s, K prefixes per attribute set, one UPDATE per set; every B
UPDATEs the Loc-RIB changes are exported to a second eBGP peer and packed into 4096-octet
UPDATEs. Reports the time (ingest + export + pack; with the default garbage collector and
without it) and, in a last run under tracemalloc,
the bytes per route held by Adj-RIB-In + Loc-RIB + Adj-RIB-Out (keys and attribute sets
included).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

from peerwise.rib import LocChange, PathAttrs, PeerConfig, Rib, pack
from peerwise.wire.attributes import AsPath
from peerwise.wire.families import IPV4_UNICAST


def updates(n: int, per_set: int) -> list[tuple[PathAttrs, list[bytes]]]:
    """What the codec would hand over: one (attributes, prefix keys) pair per UPDATE."""
    out = []
    for first in range(0, n, per_set):
        j = first // per_set
        attrs = PathAttrs(
            as_path=AsPath.sequence(65002, 64512 + j % 400, 100_000 + j),
            next_hop="192.0.2.2",
            med=j % 7,
        )
        keys = [
            bytes((24, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF))
            for i in range(first, min(first + per_set, n))
        ]
        out.append((attrs, keys))
    return out


def run(todo: list[tuple[PathAttrs, list[bytes]]], batch: int) -> tuple[Rib, int]:
    rib = Rib(65001, "192.0.2.1", families=(IPV4_UNICAST,))
    src = rib.add_peer(PeerConfig("192.0.2.2", 65002, "192.0.2.2", local_address="192.0.2.1"))
    dst = rib.add_peer(PeerConfig("192.0.2.3", 65003, "192.0.2.3", local_address="192.0.2.1"))
    messages = 0
    pending: list[bytes] = []
    for i, (attrs, keys) in enumerate(todo, 1):
        pending += rib.ingest(src, IPV4_UNICAST, [(attrs, keys)]).keys
        if i % batch == 0 or i == len(todo):
            messages += len(pack(rib.export(dst, LocChange(IPV4_UNICAST, pending))))
            pending = []
    return rib, messages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefixes", type=int, default=1_000_000)
    parser.add_argument("--per-set", type=int, default=10)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    for label, collect in (("default gc", True), ("gc disabled", False)):
        todo = updates(args.prefixes, args.per_set)
        gc.collect()
        if not collect:
            gc.disable()
        wall, cpu = time.perf_counter(), time.process_time()
        rib, messages = run(todo, args.batch)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        gc.enable()
        src, dst = rib.peers["192.0.2.2"], rib.peers["192.0.2.3"]
        print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU -> {messages} UPDATEs")
        print(f"  in: {src.counters(IPV4_UNICAST)}\n  out: {dst.counters(IPV4_UNICAST)}")
        del rib, todo, src, dst
        gc.collect()

    tracemalloc.start()
    todo = updates(args.prefixes, args.per_set)
    rib, messages = run(todo, args.batch)
    del todo
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: {held / args.prefixes:.0f} B/route held, peak {peak / args.prefixes:.0f} B/route"
    )
    print(f"  attribute sets interned: {len(rib.attrs)}")


if __name__ == "__main__":
    main()
