"""bench — Peerwise's side-by-side route propagation benchmark (``make bench``).

Theory of operation
-------------------
Three speakers on loopback, one run per (target, route set)::

    tester (AS 65001) --eBGP--> target (AS 65002) --eBGP--> monitor (AS 65003)
    base.1                      base.(10 + i)               base.2

1. ``routes.py`` builds a deterministic, full-table-like route set (seeded; realistic prefix
   length mix, a few thousand AS paths, ~10 prefixes per attribute set) and encodes it with
   peerwise.wire into UPDATE messages followed by End-of-RIB — before any clock starts.
2. ``targets.py`` starts the target (peerwised, gobgpd, bird, FRR bgpd, or ExaBGP as a
   receiver only) with a config from ``configs.py`` that makes it accept everything from the
   tester and re-advertise it to the monitor; every process is stopped by its PID.
3. ``tester.py``: the monitor, then the tester, connect (the targets are passive) and reach
   Established. The tester writes the whole stream at once; the monitor counts distinct
   prefixes with ``nlri.py`` (no decoding of values) and stamps the time it reaches the goal.
4. ``measure.py`` times from the tester's first UPDATE octet to the monitor's last prefix,
   and reads the target's CPU time and memory from /proc (``procstat.py``): CPU used during
   the run, peak RSS (VmHWM), and bytes per route = (peak RSS - RSS before) / routes. Every
   wait is bounded (scaled by size), and a target that goes idle short of the goal fails
   early; a failure is a result ("failed: why"), never an exception.
5. ``run.py`` loops over route sets and targets, prints one Markdown table (``report.py``)
   with each figure's ratio to peerwised's, and writes JSON to ``bench/results/``.

ExaBGP does not pass routes between peers, so it is measured receiving: its API helper
(``exabgp_counter.py``) stamps the time the last prefix reached it.
"""
