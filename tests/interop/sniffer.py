"""tshark on loopback: NOTIFICATIONs to one address decoded live, and whole-session captures.

GoBGP 3.10 counts a NOTIFICATION received before Established but logs neither its code nor its
subcode; :class:`NotificationSniffer` supplies them. :class:`Capture` records a session to a
file so that tests can ask tshark whether our messages decode (``_ws.malformed`` marks a packet
its sender got wrong).
"""

from __future__ import annotations

import signal
from pathlib import Path

from .peer_base import Process, notification_text, poll, run

MINOR_FIELDS = (
    "bgp.notify.minor_error",
    "bgp.notify.minor_error_open",
    "bgp.notify.minor_error_update",
    "bgp.notify.minor_error_expired",
    "bgp.notify.minor_error_state",
    "bgp.notify.minor_error_cease",
    "bgp.notify.minor_error_capability",
    "bgp.notify.minor_error_unknown",
)


class NotificationSniffer:
    """``tshark`` on lo, BGP NOTIFICATIONs whose destination is ``address``, one line each."""

    def __init__(self, address: str, workdir: Path) -> None:
        self.address = address
        self.out = workdir / "notifications.tsv"
        self.err = workdir / "tshark.log"
        argv = ["tshark", "-i", "lo", "-n", "-l"]
        argv += ["-f", f"tcp port 179 and dst host {address}", "-Y", "bgp.type == 3"]
        argv += ["-T", "fields", "-e", "ip.src", "-e", "bgp.notify.major_error"]
        for name in MINOR_FIELDS:
            argv += ["-e", name]
        self.process = Process(argv, self.err)
        self._argv = argv

    def start(self) -> None:
        """Start tshark and wait until it captures (its stdout is our TSV file)."""
        self.out.write_text("")
        self.process.argv = ["sh", "-c", 'exec "$@" > ' + str(self.out), "tshark", *self._argv]
        self.process.start()
        poll(lambda: self._capturing() or None, 15.0, f"tshark capturing for {self.address}")

    def _capturing(self) -> bool:
        assert self.process.alive(), self.err.read_text(errors="replace")
        return "Capturing on" in self.err.read_text(errors="replace")

    def stop(self) -> None:
        self.process.stop()

    def last_from(self, source: str) -> str:
        """The last NOTIFICATION ``source`` sent to our address, as RFC text; "" if none."""
        text = ""
        lines = self.out.read_text(errors="replace").splitlines() if self.out.exists() else []
        for line in lines:
            fields = line.split("\t")
            if len(fields) < 2 or fields[0] != source or not fields[1]:
                continue
            minor = next((f for f in fields[2:] if f), "0")
            text = notification_text(int(fields[1].split(",")[-1]), int(minor.split(",")[-1]))
        return text


class Capture:
    """``dumpcap -i lo -f FILTER -w PCAP`` while a test runs, then tshark display filters on it.

    dumpcap itself (not tshark -w) so that SIGINT flushes every captured packet to the file.
    """

    def __init__(self, capture_filter: str, workdir: Path) -> None:
        self.pcap = workdir / "capture.pcapng"
        self.err = workdir / "capture.log"
        argv = ["dumpcap", "-i", "lo", "-n", "-f", capture_filter, "-w", str(self.pcap)]
        self.process = Process(argv, self.err)

    def __enter__(self) -> Capture:
        self.process.start()
        poll(self._capturing, 15.0, "tshark capturing")
        return self

    def _capturing(self) -> bool | None:
        assert self.process.alive(), self.err.read_text(errors="replace")
        return "Capturing on" in self.err.read_text(errors="replace") or None

    def __exit__(self, *exc: object) -> None:
        self.process.stop(signal.SIGINT)  # dumpcap flushes the file on SIGINT, as on Ctrl-C

    def wait_for(self, display_filter: str, timeout: float = 5.0) -> list[str]:
        """Packets matching ``display_filter`` once in the file (libpcap hands packets over in
        blocks, up to a second late: stopping right after an event can lose it)."""
        return poll(lambda: self.packets(display_filter) or None, timeout, display_filter)

    def packets(self, display_filter: str, *fields: str) -> list[str]:
        """One line per packet matching ``display_filter`` (its ``fields``, or tshark's summary)."""
        argv = ["tshark", "-r", str(self.pcap), "-n", "-Y", display_filter]
        for name in fields:
            argv += ["-T", "fields", "-e", name] if name == fields[0] else ["-e", name]
        return run(argv, timeout=30).splitlines()
