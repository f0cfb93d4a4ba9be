"""ExaBGP 4.2: state comes from the JSON events its API helper appends to a file.

ExaBGP has no query CLI here (``exabgp.api.cli=false``); instead ``process events`` runs
``exabgp_events.py``, which appends each JSON event (state changes, received OPEN, KEEPALIVE,
UPDATE, NOTIFICATION) to ``events.jsonl``. ExaBGP listens on ``exabgp.tcp.bind`` only, runs as
root (``exabgp.daemon.user``) so the helper can write, and re-reads its config on SIGUSR1.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from .peer_base import (
    CAPABILITY_NAMES,
    Neighbor,
    Peer,
    Process,
    empty_state,
    kill_pid_file,
    notification_text,
    poll,
)

HELPER = Path(__file__).with_name("exabgp_events.py")
STATE_EVENTS = {"up": "established", "connected": "opensent", "down": "idle"}
RECEIVED_TYPES = {"open", "keepalive", "update", "notification", "refresh"}
FAMILIES = {
    "ipv4/unicast": "multiprotocol:ipv4-unicast",
    "ipv6/unicast": "multiprotocol:ipv6-unicast",
}


def open_capabilities(caps: dict[str, Any]) -> set[str]:
    """Names from a received OPEN's ``capabilities``, keyed by code as a string."""
    names: set[str] = set()
    for code, cap in caps.items():
        if code == "1":
            names |= {FAMILIES[f] for f in cap.get("families", ()) if f in FAMILIES}
        elif int(code) in CAPABILITY_NAMES:
            names.add(CAPABILITY_NAMES[int(code)])
    return names


def fold_event(state: dict[str, Any], event: dict[str, Any]) -> None:
    """Apply one event about a neighbor to its normalised state."""
    kind = event.get("type")
    body = event.get("neighbor", {})
    if kind == "state":
        state["state"] = STATE_EVENTS.get(body.get("state"), "idle")
        return
    if kind not in RECEIVED_TYPES or body.get("direction", "receive") != "receive":
        return
    state["messages_received"] += 1
    if kind == "open":
        state["received_capabilities"] = open_capabilities(body["open"].get("capabilities", {}))
    elif kind == "notification":
        note = body.get("notification", {})
        state["last_error"] = notification_text(int(note["code"]), int(note["subcode"]))


class ExaBGP(Peer):
    name = "exabgp"
    requires = (("exabgp", "exabgp"),)

    @property
    def config_path(self) -> Path:
        return self.dir / "exabgp.conf"

    @property
    def events(self) -> Path:
        return self.dir / "events.jsonl"

    def write_config(self) -> None:
        lines = [
            "process events {",
            f"  run {sys.executable} {HELPER} {self.events};",
            "  encoder json;",
            "}",
        ]
        for neighbor in self.neighbors:
            lines += self._neighbor(neighbor)
        self.config_path.write_text("\n".join(lines) + "\n")

    def _neighbor(self, n: Neighbor) -> list[str]:
        families = "ipv4 unicast; ipv6 unicast;" if n.ipv6 else "ipv4 unicast;"
        nexthop = " nexthop enable;" if n.ipv6 else ""
        lines = [
            f"neighbor {n.address} {{",
            f"  router-id {self.router_id};",
            f"  local-address {self.address};",
            f"  local-as {self.asn};",
            f"  peer-as {n.peer_as};",
            f"  passive {str(n.passive).lower()};",
            f"  family {{ {families} }}",
            f"  capability {{ route-refresh; asn4 enable;{nexthop} }}",
        ]
        if n.ipv6:
            lines.append("  nexthop { ipv4 unicast ipv6; }")
        if n.hold_time is not None:
            lines.append(f"  hold-time {n.hold_time};")
        lines += [
            "  api {",
            "    processes [ events ];",
            "    neighbor-changes;",
            "    receive { parsed; open; keepalive; notification; update; refresh; }",
            "  }",
            "}",
        ]
        return lines

    def launch(self) -> list[Process]:
        env_file = self.dir / "exabgp.env"
        env_file.write_text("")
        env = dict(os.environ)
        env.update(
            {
                "exabgp.tcp.bind": self.address,
                "exabgp.tcp.port": "179",
                "exabgp.daemon.daemonize": "false",
                "exabgp.daemon.user": "root",
                "exabgp.api.cli": "false",
                "exabgp.log.destination": "stdout",
            }
        )
        argv = ["exabgp", "--env", str(env_file), str(self.config_path)]
        return [Process(argv, self.dir / "exabgp.log", env=env)]

    def wait_ready(self) -> None:
        poll(lambda: self.events.with_suffix(".jsonl.pid").exists() or None, 10.0, "ExaBGP API")

    def stop_helpers(self) -> None:
        kill_pid_file(self.events.with_suffix(".jsonl.pid"))

    def reload(self) -> None:
        pid = self.processes[0].pid
        assert pid is not None
        os.kill(pid, signal.SIGUSR1)

    def neighbor_state(self, neighbor: str) -> dict[str, Any]:
        state = empty_state()
        text = self.events.read_text(errors="replace") if self.events.exists() else ""
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("neighbor", {}).get("address", {}).get("peer") == neighbor:
                fold_event(state, event)
        return state
