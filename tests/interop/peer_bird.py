"""BIRD 2.0.12: one ``protocol bgp`` per neighbor, read with ``birdc show protocols all``.

BIRD refuses a 127/8 neighbor unless the session is ``multihop``; ``strict bind on`` keeps its
listener on our address; connect delay/retry default to 5 s and 120 s, set to 1 s here.
``show protocols all`` has no message counters and its "Last error" is overwritten by socket
errors, so both come from the packet trace in BIRD's own log (``debug { packets, events }``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .peer_base import (
    CAPABILITY_NAMES,
    Neighbor,
    Peer,
    Process,
    canonical_error,
    empty_state,
    poll,
    run,
)

# "Neighbor capabilities" lines -> capability code
CAPABILITY_LINES: dict[str, int] = {
    "Route refresh": 2,
    "Extended next hop": 5,
    "Extended message": 6,
    "Graceful restart": 64,
    "4-octet AS numbers": 65,
    "Enhanced refresh": 70,
}
AF_NAMES = {"ipv4": "multiprotocol:ipv4-unicast", "ipv6": "multiprotocol:ipv6-unicast"}


def protocol_name(address: str) -> str:
    return "n_" + address.replace(".", "_").replace(":", "_")


def neighbor_capabilities(text: str) -> set[str]:
    """Names listed under "Neighbor capabilities" in ``show protocols all``."""
    names: set[str] = set()
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Neighbor capabilities")
    except StopIteration:
        return names
    indent = len(lines[start]) - len(lines[start].lstrip())
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        item = line.strip()
        if item in CAPABILITY_LINES:
            names.add(CAPABILITY_NAMES[CAPABILITY_LINES[item]])
        elif item.startswith("AF announced:"):
            names |= {AF_NAMES[af] for af in item.split(":", 1)[1].split() if af in AF_NAMES}
        elif item.startswith("Hostname:"):
            names.add("fqdn")
    return names


class BIRD(Peer):
    name = "bird"
    requires = (("bird", "bird2"), ("birdc", "bird2"))

    @property
    def config_path(self) -> Path:
        return self.dir / "bird.conf"

    @property
    def ctl(self) -> Path:
        return self.dir / "bird.ctl"

    @property
    def log(self) -> Path:
        return self.dir / "bird.log"

    def write_config(self) -> None:
        lines = [
            f'log "{self.log}" all;',
            f"router id {self.router_id};",
            "protocol device { }",
        ]
        for neighbor in self.neighbors:
            lines += self._protocol(neighbor)
        self.config_path.write_text("\n".join(lines) + "\n")

    def _protocol(self, n: Neighbor) -> list[str]:
        lines = [
            f"protocol bgp {protocol_name(n.address)} {{",
            f"  local {self.address} as {self.asn};",
            f"  neighbor {n.address} as {n.peer_as};",
            "  multihop;",
            "  strict bind on;",
            "  connect delay time 1;",
            "  connect retry time 1;",
            "  error wait time 1, 2;",
            "  debug { states, events, packets };",
        ]
        if n.passive:
            lines.append("  passive on;")
        if n.hold_time is not None:
            lines += [f"  hold time {n.hold_time};", f"  keepalive time {n.keepalive};"]
        nexthop = " extended next hop on;" if n.ipv6 else ""
        lines.append(f"  ipv4 {{ import all; export all;{nexthop} }};")
        if n.ipv6:
            lines.append("  ipv6 { import all; export all; };")
        return [*lines, "}"]

    def launch(self) -> list[Process]:
        argv = ["bird", "-f", "-c", str(self.config_path), "-s", str(self.ctl)]
        argv += ["-P", str(self.dir / "bird.pid")]
        return [Process(argv, self.dir / "bird.out")]

    def birdc(self, *command: str) -> str:
        return run(["birdc", "-s", str(self.ctl), *command])

    def wait_ready(self) -> None:
        poll(lambda: self.birdc("show", "status") or None, 10.0, f"{self!r} control socket")

    def reload(self) -> None:
        out = self.birdc("configure")
        assert "Reconfigured" in out or "Reconfiguration" in out, out

    def neighbor_state(self, neighbor: str) -> dict[str, Any]:
        proto = protocol_name(neighbor)
        text = self.birdc("show", "protocols", "all", proto)
        match = re.search(r"BGP state:\s+(\w+)", text)
        if match is None:
            return empty_state()
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        received = re.findall(rf"{proto}: Received: (.*)", log)
        return {
            "state": match.group(1).lower(),
            "received_capabilities": neighbor_capabilities(text),
            "last_error": canonical_error(received[-1].strip()) if received else "",
            "messages_received": len(re.findall(rf"{proto}: Got ", log)),
        }
