"""A network namespace for the eBGP tests, and the real peers run inside it.

Why a namespace: towards an eBGP neighbor Peerwise sets the next hop to its own session
address (RFC 4271 §5.1.3), and GoBGP and FRR refuse a 127/8 next hop as a martian. Inside a
namespace of our own each speaker gets a 198.19.0.0/16 address (the benchmarking range,
RFC 2544) on the namespace's ``lo``: next-hop-self is then 198.19.x.y, which they accept, and
nothing leaves the namespace (it has no other interface, so no route out of it).

:class:`Namespace` creates ``pwrt-<pid>`` and removes it; every daemon runs in it through
``ip netns exec NS ARGV`` — which execs ARGV, so the PID we hold is the daemon's own and
``Process.stop`` stops it by PID as before. The ``Ns*`` classes are the harness's peers with
that prefix on their daemons and on the CLIs that talk TCP (GoBGP's gRPC); Unix-socket CLIs
(vtysh, birdc, peerwise) reach into the namespace through the file system as they are.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from interop.peer_base import Process, run
from interop.peers import BIRD, FRR, ExaBGP, GoBGP, Neighbor, Peer
from interop.sniffer import Capture, NotificationSniffer
from interop.speaker import Peerwised

NETWORK = ipaddress.IPv4Network("198.19.0.0/16")


class Namespace:
    """``pwrt-<pid>``: a namespace with only ``lo``, holding our 198.19.x.y addresses."""

    def __init__(self, addresses: Sequence[str], name: str | None = None) -> None:
        for address in addresses:
            assert ipaddress.IPv4Address(address) in NETWORK, f"{address} not in {NETWORK}"
        self.name = name or f"pwrt-{os.getpid()}"
        assert self.name.startswith("pwrt-")
        self.addresses = list(addresses)

    def ip(self, *args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)

    def create(self) -> None:
        self.ip("netns", "add", self.name)
        self.ip("-n", self.name, "link", "set", "lo", "up")
        for address in self.addresses:
            self.ip("-n", self.name, "addr", "add", f"{address}/32", "dev", "lo")

    def delete(self) -> None:
        """Remove the namespace (its processes must be stopped first, by PID)."""
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, timeout=10)

    def wrap(self, argv: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]

    def enter(self, processes: list[Process]) -> list[Process]:
        for proc in processes:
            proc.argv = self.wrap(proc.argv)
        return processes


class NsPeer:
    """Mixin: the daemon starts inside ``self.ns``."""

    ns: Namespace

    def launch(self) -> list[Process]:
        return self.ns.enter(super().launch())  # type: ignore[misc]


class NsGoBGP(NsPeer, GoBGP):
    def cli(self, *args: str) -> str:
        return run(self.ns.wrap(["gobgp", "-u", self.address, "-p", "50051", *args]))

    def start(self, tmpdir: Path) -> None:
        # GoBGP's NOTIFICATION sniffer watches the host's lo: not ours. Never started.
        self.workdir = Path(tmpdir) / f"{self.name}-{self.address}"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.sniffer = NotificationSniffer(self.address, self.workdir)
        Peer.start(self, tmpdir)


class NsFRR(NsPeer, FRR):
    pass


class NsBIRD(NsPeer, BIRD):
    """BIRD originating ``static`` (blackhole routes: BGP sends them with next hop self)."""

    static: set[str]

    def write_config(self) -> None:
        super().write_config()
        lines = []
        for channel, v6 in (("ipv4", False), ("ipv6", True)):
            routes = [f"  route {p} blackhole;" for p in sorted(self.static) if (":" in p) == v6]
            lines += [f"protocol static s_{channel} {{", f"  {channel};", *routes, "}"]
        with self.config_path.open("a") as out:
            out.write("\n".join(lines) + "\n")

    def announce(self, prefix: str) -> None:
        self.static.add(prefix)
        self.write_config()
        self.reload()

    def withdraw(self, prefix: str) -> None:
        self.static.discard(prefix)
        self.write_config()
        self.reload()


class NsExaBGP(NsPeer, ExaBGP):
    """ExaBGP announcing ``static`` route lines (its config syntax) to every neighbor."""

    static: list[str]

    def _neighbor(self, n: Neighbor) -> list[str]:
        lines = super()._neighbor(n)
        routes = [f"    route {line};" for line in self.static]
        return [*lines[:-1], "  static {", *routes, "  }", lines[-1]]


def ns_peerwised(ns: Namespace, pw: Peerwised) -> Peerwised:
    """``pw`` with its daemon run inside ``ns`` (its CLI uses the Unix socket)."""
    ns.enter([pw.process])
    return pw


def ns_capture(ns: Namespace, capture_filter: str, workdir: Path) -> Capture:
    """A dumpcap on the namespace's ``lo``."""
    capture = Capture(capture_filter, workdir)
    ns.enter([capture.process])
    return capture
