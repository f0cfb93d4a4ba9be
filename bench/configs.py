"""Each target's config: eBGP from the tester in, eBGP to the monitor out, accept everything.

Pure text, one function per target, from a :class:`Layout`. The targets are passive towards
both of our speakers (we connect; no collision, no connect delays). What each one needs, found
by running them here:

- peerwised and GoBGP: GoBGP-shaped TOML; GoBGP's default policies accept all.
- FRR bgpd without zebra: ``no bgp ebgp-requires-policy`` (else nothing is exchanged),
  ``no bgp network import-check``, per neighbor ``update-source`` and
  ``disable-connected-check`` (loopback); log at ``errors`` (it warns once per path
  without zebra). IPv6 routes go to an IPv4-transport peer with a next hop from a route-map.
- BIRD: ``multihop`` (it refuses a 127/8 neighbor otherwise), ``strict bind``, explicit
  filters; multihop means ``gateway recursive``, so a static device route makes the tester's
  next hops (198.18.0.0/15, 2001:2::/48) resolvable; ``next hop self`` towards the monitor,
  with an IPv6 ``next hop address`` since the session runs over IPv4.
- ExaBGP: receives only (it does not pass routes on); its API helper counts prefixes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

MONITOR_NEXT_HOP_V6 = "2001:2::2"  # what IPv4-transport targets put in MP_REACH to the monitor


@dataclass(frozen=True)
class Layout:
    """Who is where: three loopback addresses and three private ASes."""

    tester: str
    target: str
    monitor: str
    tester_as: int = 65001
    target_as: int = 65002
    monitor_as: int = 65003
    late: str = ""  # a second monitor, connecting once the table is loaded ("" if none)
    late_as: int = 65004

    @classmethod
    def at(cls, base: str, index: int = 0) -> Layout:
        """Tester at ``base``.1, monitor at .2, late monitor at .3, target at .(10 + index):
        each measurement of a run gets a fresh target address, clear of the last one's
        sockets."""
        if not 0 <= index < 240:
            raise ValueError(f"target index {index}: 0..239")
        return cls(f"{base}.1", f"{base}.{10 + index}", f"{base}.2", late=f"{base}.3")

    def peers(self) -> tuple[tuple[str, int], ...]:
        """The target's neighbors: the tester first, then the monitors."""
        late = ((self.late, self.late_as),) if self.late else ()
        return ((self.tester, self.tester_as), (self.monitor, self.monitor_as), *late)

    def monitors(self) -> tuple[str, ...]:
        return tuple(address for address, _ in self.peers()[1:])


def _toml_neighbors(layout: Layout) -> list[str]:
    lines: list[str] = []
    for address, asn in layout.peers():
        lines += [
            "",
            "[[neighbors]]",
            "  [neighbors.config]",
            f'    neighbor-address = "{address}"',
            f"    peer-as = {asn}",
            "  [neighbors.timers.config]",
            "    hold-time = 240",
            "    keepalive-interval = 80",
            "  [neighbors.transport.config]",
            f'    local-address = "{layout.target}"',
            "    passive-mode = true",
        ]
        for family in ("ipv4-unicast", "ipv6-unicast"):
            lines += [
                "  [[neighbors.afi-safis]]",
                "    [neighbors.afi-safis.config]",
                f'      afi-safi-name = "{family}"',
            ]
    return lines


def gobgp_toml(layout: Layout) -> str:
    """GoBGP and peerwised take the same file."""
    head = [
        "[global.config]",
        f"  as = {layout.target_as}",
        f'  router-id = "{layout.target}"',
        "  port = 179",
        f'  local-address-list = ["{layout.target}"]',
    ]
    return "\n".join(head + _toml_neighbors(layout)) + "\n"


def frr_conf(layout: Layout, workdir: Path) -> str:
    lines = [
        "hostname bench-target",
        f"log file {workdir / 'bgpd.log'} errors",
        "route-map V6NH permit 10",
        f" set ipv6 next-hop global {MONITOR_NEXT_HOP_V6}",
        f"router bgp {layout.target_as}",
        f" bgp router-id {layout.target}",
        " no bgp ebgp-requires-policy",
        " no bgp network import-check",
    ]
    for address, asn in layout.peers():
        at = f" neighbor {address}"
        lines += [
            f"{at} remote-as {asn}",
            f"{at} update-source {layout.target}",
            f"{at} disable-connected-check",
            f"{at} passive",
            f"{at} timers 80 240",
        ]
    lines += [" address-family ipv6 unicast"]
    lines += [f"  neighbor {address} activate" for address, _ in layout.peers()]
    lines += [f"  neighbor {address} route-map V6NH out" for address in layout.monitors()]
    lines += [" exit-address-family"]
    return "\n".join(lines) + "\n"


def bird_conf(layout: Layout, workdir: Path) -> str:
    lines = [
        f'log "{workdir / "bird.log"}" {{ warning, error, fatal, bug }};',
        f"router id {layout.target};",
        "protocol device { }",
        'protocol static s4 { ipv4; route 198.18.0.0/15 via "lo"; }',
        'protocol static s6 { ipv6; route 2001:2::/48 via "lo"; }',
    ]
    names = ("tester", "monitor", "late")[: len(layout.peers())]
    for name, (address, asn) in zip(names, layout.peers(), strict=True):
        inbound = name == "tester"
        imp, exp = ("all", "none") if inbound else ("none", "where source = RTS_BGP")
        nh4 = "" if inbound else " next hop self;"
        nh6 = f" next hop address {MONITOR_NEXT_HOP_V6};"
        lines += [
            f"protocol bgp {name} {{",
            f"  local {layout.target} as {layout.target_as};",
            f"  neighbor {address} as {asn};",
            "  multihop; strict bind on; passive on;",
            "  hold time 240; keepalive time 80;",
            f"  ipv4 {{ import {imp}; export {exp};{nh4} }};",
            f"  ipv6 {{ import {imp}; export {exp};{nh6} }};",
            "}",
        ]
    return "\n".join(lines) + "\n"


EXABGP_COUNTER = Path(__file__).with_name("exabgp_counter.py")


def exabgp_conf(layout: Layout, workdir: Path, goal: int) -> str:
    """Only the tester: ExaBGP is measured receiving, its helper reporting the count."""
    done = workdir / "received"
    return "\n".join(
        [
            "process counter {",
            f"  run {sys.executable} {EXABGP_COUNTER} {done} {goal};",
            "  encoder json;",
            "}",
            f"neighbor {layout.tester} {{",
            f"  router-id {layout.target};",
            f"  local-address {layout.target};",
            f"  local-as {layout.target_as};",
            f"  peer-as {layout.tester_as};",
            "  passive true;",
            "  hold-time 240;",
            "  family { ipv4 unicast; ipv6 unicast; }",
            "  capability { route-refresh; asn4 enable; }",
            "  api { processes [ counter ]; receive { parsed; update; } }",
            "}",
            "",
        ]
    )
