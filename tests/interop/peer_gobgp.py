"""GoBGP 3.10 (``gobgpd``): TOML config, gRPC bound to our own address, ``gobgp -j`` to read.

GoBGP waits a random 5-9 s before its first active connect (not tunable), so tests make the
other side active. ``gobgp neighbor -j`` gives ``session_state`` as a number and capabilities
as protobuf ``Any`` blobs. It counts NOTIFICATIONs received but logs their code only when the
session was Established, so a tshark sniffer on our address supplies the code and subcode.
"""

from __future__ import annotations

import base64
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .peer_base import (
    CAPABILITY_NAMES,
    FAMILY_NAMES,
    STATES,
    Neighbor,
    Peer,
    Process,
    empty_state,
    notification_text,
    poll,
    run,
)
from .sniffer import NotificationSniffer

API_PORT = 50051

# apipb.PeerState.SessionState
SESSION_STATES = dict(enumerate(("unknown", *STATES)))

# apipb capability message name -> capability code (RFC 5492 registry)
CAPABILITY_TYPES: dict[str, int] = {
    "RouteRefreshCapability": 2,
    "ExtendedNexthopCapability": 5,
    "ExtendedMessageCapability": 6,
    "GracefulRestartCapability": 64,
    "FourOctetASNCapability": 65,
    "EnhancedRouteRefreshCapability": 70,
    "FqdnCapability": 73,
}


def protobuf_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of a protobuf message: varints and length-delimited fields only."""
    pos = 0

    def varint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    while pos < len(data):
        key = varint()
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            yield number, varint()
        elif wire_type == 2:
            size = varint()
            yield number, data[pos : pos + size]
            pos += size
        else:
            raise ValueError(f"unexpected protobuf wire type {wire_type}")


def decode_capability(blob: dict[str, Any]) -> set[str]:
    """Names for one ``remote_cap`` entry: ``{"type_url": ".../apipb.X", "value": base64}``."""
    kind = blob["type_url"].rsplit(".", 1)[-1]
    fields = dict(protobuf_fields(base64.b64decode(blob.get("value", ""))))
    if kind == "MultiProtocolCapability":  # family (1) = {afi (1), safi (2)}
        family = fields.get(1, b"")
        assert isinstance(family, bytes)
        afi_safi = dict(protobuf_fields(family))
        name = FAMILY_NAMES.get((int(afi_safi.get(1, 0)), int(afi_safi.get(2, 0))))
        return {name} if name else set()
    code = CAPABILITY_TYPES.get(kind)
    if kind == "UnknownCapability":  # code (1), value (2)
        code = int(fields.get(1, 0))
    name = CAPABILITY_NAMES.get(code) if code is not None else None
    return {name} if name else set()


class GoBGP(Peer):
    name = "gobgp"
    requires = (("gobgpd", "gobgpd"), ("gobgp", "gobgpd"))

    @property
    def config_path(self) -> Path:
        return self.dir / "gobgpd.toml"

    def write_config(self) -> None:
        lines = [
            "[global.config]",
            f"  as = {self.asn}",
            f'  router-id = "{self.router_id}"',
            "  port = 179",
            f'  local-address-list = ["{self.address}"]',
        ]
        for neighbor in self.neighbors:
            lines += self._neighbor_lines(neighbor)
        self.config_path.write_text("\n".join(lines) + "\n")

    def _neighbor_lines(self, n: Neighbor) -> list[str]:
        lines = [
            "[[neighbors]]",
            "  [neighbors.config]",
            f'    neighbor-address = "{n.address}"',
            f"    peer-as = {n.peer_as}",
            "  [neighbors.timers.config]",
            "    connect-retry = 1",
            "    idle-hold-time-after-reset = 1",
        ]
        if n.hold_time is not None:
            lines += [f"    hold-time = {n.hold_time}", f"    keepalive-interval = {n.keepalive}"]
        lines += [
            "  [neighbors.transport.config]",
            f'    local-address = "{self.address}"',
            f"    passive-mode = {str(n.passive).lower()}",
        ]
        for family in ("ipv4-unicast", "ipv6-unicast") if n.ipv6 else ("ipv4-unicast",):
            lines += [
                "  [[neighbors.afi-safis]]",
                "    [neighbors.afi-safis.config]",
                f'      afi-safi-name = "{family}"',
            ]
        return lines

    def start(self, tmpdir: Path) -> None:
        self.workdir = Path(tmpdir) / f"{self.name}-{self.address}"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.sniffer = NotificationSniffer(self.address, self.workdir)
        self.sniffer.start()
        super().start(tmpdir)

    def stop_helpers(self) -> None:
        sniffer: NotificationSniffer | None = getattr(self, "sniffer", None)
        if sniffer is not None:
            sniffer.stop()

    def launch(self) -> list[Process]:
        argv = [
            "gobgpd",
            "-f",
            str(self.config_path),
            "-t",
            "toml",
            "--api-hosts",
            f"{self.address}:{API_PORT}",
            "--pprof-disable",
        ]
        return [Process(argv, self.dir / "gobgpd.log")]

    def cli(self, *args: str) -> str:
        return run(["gobgp", "-u", self.address, "-p", str(API_PORT), *args])

    def wait_ready(self) -> None:
        poll(lambda: self.cli("global", "-j") or None, 10.0, f"{self!r} API")

    def reload(self) -> None:
        # gobgpd re-reads its config file on SIGHUP and applies the neighbor difference.
        proc = self.processes[0]
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGHUP)

    def neighbor_state(self, neighbor: str) -> dict[str, Any]:
        peers = json.loads(self.cli("neighbor", "-j"))
        found = [p for p in peers if p.get("state", {}).get("neighbor_address") == neighbor]
        if not found:
            return empty_state()
        state = found[0]["state"]
        received = set()
        for blob in state.get("remote_cap") or ():
            received |= decode_capability(blob)
        return {
            "state": SESSION_STATES.get(state.get("session_state", 0), "unknown"),
            "received_capabilities": received,
            "last_error": self._last_notification(neighbor, state),
            "messages_received": int(state.get("messages", {}).get("received", {}).get("total", 0)),
        }

    def _last_notification(self, neighbor: str, state: dict[str, Any]) -> str:
        """The last NOTIFICATION from ``neighbor``: decoded on the wire if gobgpd counted one
        (it logs none before Established), else the last ``received notification`` it logged."""
        if state.get("messages", {}).get("received", {}).get("notification"):
            sniffed = self.sniffer.last_from(neighbor)
            if sniffed:
                return sniffed
        text = ""
        for line in (self.dir / "gobgpd.log").read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            msg = str(entry.get("msg", "")).lower()
            if entry.get("Key") != neighbor or "notification" not in msg or "sent" in msg:
                continue
            if "Code" in entry:
                text = notification_text(int(entry["Code"]), int(entry.get("Subcode", 0)))
                reason = entry.get("Communicated-Reason")
                text += f" ({reason})" if reason else ""
        return text
