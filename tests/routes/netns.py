"""A network namespace for the eBGP tests, and the real peers run inside it.

Why a namespace: towards an eBGP neighbor Peerwise sets the next hop to its own session
address (RFC 4271 §5.1.3), and GoBGP and FRR refuse a 127/8 next hop as a martian. Inside a
namespace of our own each speaker gets a 198.19.0.0/16 address (the benchmarking range,
RFC 2544) on the namespace's ``lo``: next-hop-self is then 198.19.x.y, which they accept, and
nothing leaves the namespace (it has no other interface, so no route out of it). IPv6
addresses of the documentation prefix 2001:db8::/32 (RFC 3849) go on the same ``lo``, as
next hops for IPv6 routes over IPv4 sessions.

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
NETWORK6 = ipaddress.IPv6Network("2001:db8::/32")  # RFC 3849 documentation prefix
NETWORKS = {4: NETWORK, 6: NETWORK6}


class Namespace:
    """``pwrt-<pid>``: a namespace with only ``lo``, holding our 198.19.x.y addresses (and
    2001:db8:: ones)."""

    def __init__(self, addresses: Sequence[str], name: str | None = None) -> None:
        for address in addresses:
            ip = ipaddress.ip_address(address)
            assert ip in NETWORKS[ip.version], f"{address} not in {NETWORKS[ip.version]}"
        self.name = name or f"pwrt-{os.getpid()}"
        assert self.name.startswith("pwrt-")
        self.addresses = list(addresses)

    def ip(self, *args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)

    def create(self) -> None:
        self.ip("netns", "add", self.name)
        self.ip("-n", self.name, "link", "set", "lo", "up")
        for address in self.addresses:
            length = ipaddress.ip_address(address).max_prefixlen
            # nodad: usable at once, not "tentative" for a second of duplicate detection
            extra = ["nodad"] if length == 128 else []
            self.ip("-n", self.name, "addr", "add", f"{address}/{length}", "dev", "lo", *extra)

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
    """BIRD originating ``static`` (blackhole routes: BGP sends them with next hop self).

    ``next_hop6``: its IPv6 next hop self (``next hop address``); unset, BIRD takes "some
    global address" of the interface towards the neighbor, which changes with the addresses
    on the namespace's ``lo``.
    """

    static: set[str]
    next_hop6: str = ""

    def write_config(self) -> None:
        super().write_config()
        if self.next_hop6:
            text, plain = self.config_path.read_text(), "ipv6 { import all; export all; };"
            assert plain in text, text
            hop = f"ipv6 {{ import all; export all; next hop address {self.next_hop6}; }};"
            self.config_path.write_text(text.replace(plain, hop))
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
