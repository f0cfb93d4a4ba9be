"""ExaBGP's API helper for the benchmark: count announced prefixes, stamp the time of the last.

Run by ExaBGP as ``exabgp_counter.py DONE_FILE GOAL``; it reads one JSON message per line on
stdin (``encoder json``). Each announced prefix is one ``"nlri"`` key, so it counts those
without parsing the JSON (ExaBGP's own cost is what is measured, not ours). When the count
reaches GOAL it writes ``COUNT MONOTONIC_TIME`` to DONE_FILE (CLOCK_MONOTONIC is system-wide,
the same clock the tester reads), then keeps draining stdin until ExaBGP closes it.
"""

from __future__ import annotations

import sys
import time


def main(done_file: str, goal: int) -> None:
    count = 0
    for line in sys.stdin:
        if '"announce"' in line:
            count += line.count('"nlri"')
            if goal and count >= goal:
                stamp = time.monotonic()
                with open(done_file, "w") as out:
                    out.write(f"{count} {stamp}\n")
                goal = 0


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
