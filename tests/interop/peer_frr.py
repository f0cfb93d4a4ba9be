"""FRR 8.4 (``bgpd`` alone, without zebra): vtysh over our own vty socket directory.

bgpd runs with ``-Z -S -P 0 -l ADDR``: no zebra, no privilege drop, no vty TCP port, BGP bound
to our address. On loopback a neighbor needs ``disable-connected-check`` and ``update-source``
(else the kernel picks 127.0.0.1 as source) and ``timers connect 1`` to retry promptly.
"""

from __future__ import annotations

import json
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
    notification_text,
    poll,
    run,
)

# neighborCapabilities key -> capability code
CAPABILITY_KEYS: dict[str, int] = {
    "routeRefresh": 2,
    "extendedNexthop": 5,
    "extendedMessage": 6,
    "gracefulRestart": 64,  # FRR's key once received
    "gracefulRestartCapability": 64,  # ... and while only advertised
    "4byteAs": 65,
    "enhancedRouteRefresh": 70,
}
FAMILY_KEYS = {
    "ipv4Unicast": "multiprotocol:ipv4-unicast",
    "ipv6Unicast": "multiprotocol:ipv6-unicast",
}
# "%NOTIFICATION: received from neighbor 127.0.20.1 6/2 (Cease/Administrative Shutdown) 0 bytes"
LOG_NOTIFICATION = re.compile(
    r"NOTIFICATION: received from neighbor (?P<addr>\S+) (?P<code>\d+)/(?P<sub>\d+)"
)


def received_capabilities(caps: dict[str, Any]) -> set[str]:
    """Names from ``neighborCapabilities``: a value mentioning "received" was received."""
    names = {
        CAPABILITY_NAMES[code]
        for key, code in CAPABILITY_KEYS.items()
        if "received" in str(caps.get(key, "")).lower()
    }
    for key, name in FAMILY_KEYS.items():
        flags = caps.get("multiprotocolExtensions", {}).get(key, {})
        if any("received" in flag.lower() for flag, on in flags.items() if on):
            names.add(name)
    if caps.get("hostName", {}).get("rcvHostName", "n/a") != "n/a":
        names.add("fqdn")
    return names


class FRR(Peer):
    name = "frr"
    requires = (("/usr/lib/frr/bgpd", "frr"), ("vtysh", "frr"))

    @property
    def config_path(self) -> Path:
        return self.dir / "bgpd.conf"

    def write_config(self) -> None:
        lines = [
            f"hostname frr-{self.address}",
            f"log file {self.dir / 'bgpd.log'} informational",
            f"router bgp {self.asn}",
            f" bgp router-id {self.router_id}",
            " no bgp ebgp-requires-policy",
            " no bgp network import-check",
            " bgp log-neighbor-changes",
        ]
        for neighbor in self.neighbors:
            lines += self.neighbor_commands(neighbor)
        self.config_path.write_text("\n".join(lines) + "\n")

    def neighbor_commands(self, n: Neighbor) -> list[str]:
        """The ``router bgp`` lines for one neighbor (config file and vtysh alike)."""
        at = f" neighbor {n.address}"
        lines = [
            f"{at} remote-as {n.peer_as}",
            f"{at} update-source {self.address}",
            f"{at} disable-connected-check",
            f"{at} timers connect 1",
        ]
        if n.passive:
            lines.append(f"{at} passive")
        if n.hold_time is not None:
            lines.append(f"{at} timers {n.keepalive} {n.hold_time}")
        if n.ipv6:
            lines += [
                f"{at} capability extended-nexthop",
                " address-family ipv6 unicast",
                f" {at} activate",
                " exit-address-family",
            ]
        return lines

    def launch(self) -> list[Process]:
        argv = [
            "/usr/lib/frr/bgpd",
            "-Z",
            "-S",
            "-P",
            "0",
            "-l",
            self.address,
            "-p",
            "179",
            "--vty_socket",
            str(self.dir),
            "-f",
            str(self.config_path),
            "-i",
            str(self.dir / "bgpd.pid"),
            "-z",
            str(self.dir / "zserv.api"),
        ]
        return [Process(argv, self.dir / "bgpd.out")]

    def vtysh(self, *commands: str) -> str:
        argv = ["vtysh", "--vty_socket", str(self.dir), "-d", "bgpd"]
        for command in commands:
            argv += ["-c", command]
        return run(argv)

    def wait_ready(self) -> None:
        poll(lambda: self.vtysh("show bgp summary json") or None, 10.0, f"{self!r} vty")

    def add_neighbor(self, neighbor: Neighbor) -> None:
        self.neighbors.append(neighbor)
        self.write_config()
        commands = [line.strip() for line in self.neighbor_commands(neighbor)]
        self.vtysh("configure terminal", f"router bgp {self.asn}", *commands)

    def reload(self) -> None:
        raise NotImplementedError("FRR is changed through vtysh (see add_neighbor)")

    def neighbor_state(self, neighbor: str) -> dict[str, Any]:
        data = json.loads(self.vtysh(f"show bgp neighbors {neighbor} json"))
        info = data.get(neighbor)
        if not info:
            return empty_state()
        stats = info.get("messageStats", {})
        return {
            "state": str(info.get("bgpState", "idle")).lower(),
            "received_capabilities": received_capabilities(info.get("neighborCapabilities", {})),
            "last_error": self._last_notification(neighbor, info),
            "messages_received": int(stats.get("totalRecv", 0)),
        }

    def _last_notification(self, neighbor: str, info: dict[str, Any]) -> str:
        text = ""
        log = self.dir / "bgpd.log"
        for line in log.read_text(errors="replace").splitlines() if log.exists() else ():
            match = LOG_NOTIFICATION.search(line)
            if match and match["addr"] == neighbor:
                text = notification_text(int(match["code"]), int(match["sub"]))
        if not text and "received" in str(info.get("lastResetDueTo", "")).lower():
            text = canonical_error(str(info.get("lastNotificationReason", "")))
        return text
