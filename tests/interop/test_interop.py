"""peerwised against GoBGP, FRR, BIRD and ExaBGP on loopback, both sides active.

Every claim is checked from both ends: the peer's own CLI (or its log/API events) and
``peerwise -j neighbor``. The four long-lived sessions are brought up once per module (peers in
parallel, then one daemon at a time so that the time from ``peerwised`` start to Established is
measured alone); the scenarios that end a session get a fresh pair each.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import AddressAllocator, stop_all
from .peers import CAPABILITY_NAMES, PEER_TYPES, Neighbor, Peer, poll
from .sniffer import Capture
from .speaker import Peerwised, assert_installed, find_neighbor

pytestmark = pytest.mark.interop

KINDS = list(PEER_TYPES)
PEERWISE_AS = 65010
PEER_AS = 65020
HOLD = 6  # keepalives every 2 s, so counters move within a few seconds
ESTABLISH_TIMEOUT = 20.0

# What every peer must see in our OPEN (RFC 6793, RFC 2918, RFC 4760).
REQUIRED_CAPABILITIES = {
    "4-octet-as",
    "route-refresh",
    "multiprotocol:ipv4-unicast",
    "multiprotocol:ipv6-unicast",
    "extended-nexthop",  # RFC 8950, configured with extended-next-hop on ipv4-unicast
}
# peerwise's capability names (docs/ARCHITECTURE.md) -> the harness's names
PEERWISE_CAPABILITY_CODES = {
    "ROUTE_REFRESH": 2,
    "EXTENDED_NEXTHOP": 5,
    "EXTENDED_MESSAGE": 6,
    "GRACEFUL_RESTART": 64,
    "ASN32": 65,
    "ENHANCED_ROUTE_REFRESH": 70,
    "FQDN": 73,
}


def harness_names(caps: list[dict[str, Any]]) -> set[str]:
    """peerwise's CAP list (``{"name": "MPBGP", "afi-safi": ...}``) in the harness's names."""
    names = set()
    for cap in caps:
        if cap.get("name") == "MPBGP":
            names.add(f"multiprotocol:{cap.get('afi-safi')}")
        elif cap.get("name") in PEERWISE_CAPABILITY_CODES:
            names.add(CAPABILITY_NAMES[PEERWISE_CAPABILITY_CODES[cap["name"]]])
    return names


def diagnostics(peer: Peer, daemon: Peerwised) -> str:
    return f"\n--- {peer!r} log ---\n{peer.log_tail()}\n--- {daemon!r} log ---\n{daemon.log_tail()}"


@dataclass
class Pair:
    """One peer and the peerwised facing it, and how their bring-up went."""

    peer: Peer
    daemon: Peerwised
    seconds: float | None = None  # daemon start -> ESTABLISHED in ``peerwise -j``
    error: str = ""

    def require_established(self) -> None:
        assert not self.error, self.error


def make_pair(
    kind: str, tmp: Path, socket_dir: Path, allocate: Callable[[], str], peer_as_seen: int
) -> Pair:
    """A peer that expects us, and a daemon configured with ``peer_as_seen`` for it."""
    peer_address, our_address = allocate(), allocate()
    peer = PEER_TYPES[kind](
        peer_address, PEER_AS, [Neighbor(our_address, PEERWISE_AS, ipv6=True, hold_time=HOLD)]
    )
    ours = [Neighbor(peer_address, peer_as_seen, ipv6=True, hold_time=HOLD)]
    daemon = Peerwised(tmp / f"peerwised-{our_address}", socket_dir, our_address, PEERWISE_AS, ours)
    return Pair(peer, daemon)


def bring_up(pair: Pair) -> None:
    """Start the daemon, wait for ESTABLISHED in its CLI; record the time or the failure."""
    pair.daemon.start()
    try:
        pair.daemon.wait_established(pair.peer.address, ESTABLISH_TIMEOUT)
        pair.seconds = round(time.monotonic() - pair.daemon.started_at, 3)
    except AssertionError as exc:
        pair.error = f"{exc}{diagnostics(pair.peer, pair.daemon)}"


@pytest.fixture(scope="module")
def pairs(
    tmp_path_factory: pytest.TempPathFactory,
    allocate_address: AddressAllocator,
    required_packages: None,
) -> Iterator[dict[str, Pair]]:
    assert_installed()
    tmp = tmp_path_factory.mktemp("sessions")
    socket_root = Path(tmp_path_factory.mktemp("s", numbered=True))
    made: dict[str, Pair] = {}
    for i, kind in enumerate(KINDS):
        socket_dir = socket_root / str(i)
        socket_dir.mkdir()
        made[kind] = make_pair(kind, tmp, socket_dir, allocate_address, PEER_AS)
    try:
        with ThreadPoolExecutor(max_workers=len(made)) as pool:
            for future in [pool.submit(p.peer.start, tmp) for p in made.values()]:
                future.result()
        for pair in made.values():
            bring_up(pair)
        timings = {kind: pair.seconds for kind, pair in made.items()}
        out = tmp_path_factory.getbasetemp() / "interop-time-to-established.json"
        out.write_text(json.dumps(timings, indent=2) + "\n")
        print(f"\npeerwised start -> Established (s): {timings} (written to {out})")
        yield made
    finally:
        stop_all([p.daemon.stop for p in made.values()] + [p.peer.stop for p in made.values()])


@pytest.mark.parametrize("kind", KINDS)
def test_established_on_both_sides(pairs: dict[str, Pair], kind: str) -> None:
    pair = pairs[kind]
    pair.require_established()
    seen_by_peer = pair.peer.wait_established(pair.daemon.address, timeout=5)
    assert seen_by_peer["state"] == "established"
    listed = pair.daemon.cli("neighbor")  # the table, not only the one neighbor
    entry = find_neighbor(listed, pair.peer.address)
    assert entry is not None, listed
    assert entry["state"]["session-state"] == "ESTABLISHED"


@pytest.mark.parametrize("kind", KINDS)
def test_peer_receives_our_capabilities(pairs: dict[str, Pair], kind: str) -> None:
    pair = pairs[kind]
    pair.require_established()
    received = pair.peer.neighbor_state(pair.daemon.address)["received_capabilities"]
    state = pair.daemon.neighbor(pair.peer.address)["state"]
    advertised = harness_names(state["capabilities"]["advertised"])
    assert advertised >= REQUIRED_CAPABILITIES, state["capabilities"]["advertised"]
    # Everything we say we advertised (extended next hop included, when we do) reached the peer.
    assert advertised <= received, f"peer got {sorted(received)}, we sent {sorted(advertised)}"
    # And we decoded the peer's 4-octet AS capability (RFC 6793 §3).
    asn32 = [c for c in state["capabilities"]["received"] if c.get("name") == "ASN32"]
    assert asn32 and asn32[0].get("as") == PEER_AS, state["capabilities"]["received"]


def counters(pair: Pair) -> tuple[int, int, int]:
    messages = pair.daemon.neighbor(pair.peer.address)["state"]["messages"]
    peer_received = pair.peer.neighbor_state(pair.daemon.address)["messages_received"]
    return messages["received"]["TOTAL"], messages["sent"]["TOTAL"], peer_received


@pytest.mark.parametrize("kind", KINDS)
def test_message_counters_move(pairs: dict[str, Pair], kind: str) -> None:
    pair = pairs[kind]
    pair.require_established()
    before = counters(pair)
    assert min(before) >= 2, before  # OPEN and KEEPALIVE at least, each way

    def moved() -> tuple[int, int, int] | None:
        now = counters(pair)
        return now if all(n > b for n, b in zip(now, before, strict=True)) else None

    poll(moved, 3 * HOLD, f"counters (ours in, ours out, peer in) to move from {before}")


@pytest.fixture
def fresh_pair(
    tmp_path: Path, allocate_address: AddressAllocator, required_packages: None
) -> Iterator[Callable[..., Pair]]:
    """``fresh_pair(kind, peer_as_seen=PEER_AS, daemon_neighbors=True)``: started peer, daemon
    written but not started. Both stopped by PID at teardown."""
    assert_installed()
    made: list[Pair] = []
    socket_root = Path(tempfile.mkdtemp(prefix="pw-"))

    def make(kind: str, peer_as_seen: int = PEER_AS, daemon_neighbors: bool = True) -> Pair:
        socket_dir = socket_root / str(len(made))
        socket_dir.mkdir()
        pair = make_pair(kind, tmp_path, socket_dir, allocate_address, peer_as_seen)
        if not daemon_neighbors:
            pair.daemon.neighbors = []
        made.append(pair)
        pair.peer.start(tmp_path)
        return pair

    yield make
    stop_all([p.daemon.stop for p in made] + [p.peer.stop for p in made])
    shutil.rmtree(socket_root, ignore_errors=True)


@pytest.mark.parametrize("kind", KINDS)
def test_sigterm_sends_cease(fresh_pair: Callable[..., Pair], kind: str) -> None:
    pair = fresh_pair(kind)
    bring_up(pair)
    pair.require_established()
    pair.peer.wait_established(pair.daemon.address, timeout=5)

    assert pair.daemon.stop() == 0, pair.daemon.log_tail()  # README: SIGTERM exits 0

    seen = pair.peer.wait_state(
        pair.daemon.address, lambda s: "Cease" in s["last_error"], 10, "report our Cease"
    )
    assert "Administrative Shutdown" in seen["last_error"], seen["last_error"]
    assert seen["state"] != "established"


@pytest.mark.parametrize("kind", KINDS)
def test_neighbor_added_without_restart(fresh_pair: Callable[..., Pair], kind: str) -> None:
    pair = fresh_pair(kind, daemon_neighbors=False)
    pair.daemon.start()
    pair.daemon.wait_ready()
    pid = pair.daemon.process.pid

    pair.daemon.run_cli("neighbor", "add", pair.peer.address, "as", str(PEER_AS), as_json=False)

    pair.daemon.wait_established(pair.peer.address, ESTABLISH_TIMEOUT)
    pair.peer.wait_established(pair.daemon.address, timeout=5)
    assert pair.daemon.process.pid == pid and pair.daemon.process.alive()


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_peer_as_is_bad_peer_as(fresh_pair: Callable[..., Pair], kind: str) -> None:
    pair = fresh_pair(kind, peer_as_seen=PEER_AS + 1)
    pair.daemon.start()

    seen = pair.peer.wait_state(
        pair.daemon.address,
        lambda s: "Bad Peer AS" in s["last_error"],
        ESTABLISH_TIMEOUT,
        f"report Bad Peer AS from us{diagnostics(pair.peer, pair.daemon)}",
    )
    assert "OPEN Message Error" in seen["last_error"], seen["last_error"]
    assert seen["state"] != "established"
    state = pair.daemon.neighbor(pair.peer.address)["state"]
    assert state["session-state"] != "ESTABLISHED"
    sent = state.get("last-notification-sent", {})
    assert (sent.get("code"), sent.get("subcode")) == ("OPEN_MESSAGE", "BAD_PEER_AS"), state


def test_tshark_decodes_our_messages(fresh_pair: Callable[..., Pair], tmp_path: Path) -> None:
    """Every message of ours on the wire is well-formed to tshark: OPEN, KEEPALIVE, NOTIFICATION."""
    pair = fresh_pair("bird")
    ours = pair.daemon.address
    with Capture(f"tcp port 179 and host {ours}", tmp_path) as capture:
        bring_up(pair)
        pair.require_established()
        before = counters(pair)
        poll(lambda: counters(pair)[1] > before[1] or None, 3 * HOLD, "a KEEPALIVE from us")
        assert pair.daemon.stop() == 0
        pair.peer.wait_state(ours, lambda s: "Cease" in s["last_error"], 10, "our Cease")
        cease = "bgp.notify.major_error == 6 && bgp.notify.minor_error_cease == 2"
        capture.wait_for(f"ip.src == {ours} && {cease}")

    assert capture.packets("_ws.malformed || _ws.expert.severity == error") == []
    sent = f"ip.src == {ours} && "
    opens = capture.packets(sent + "bgp.type == 1", "bgp.open.myas", "bgp.cap.type")
    assert opens and opens[0].split("\t")[0] in (str(PEERWISE_AS), "23456"), opens
    assert "65" in opens[0].split("\t")[1].split(","), opens  # 4-octet AS (RFC 6793)
    assert capture.packets(sent + "bgp.type == 4")


STATE_LEAVES = {
    "neighbor-address", "peer-as", "local-as", "session-state", "admin-state",
    "remote-router-id", "bgp-version", "last-established", "uptime",
    "established-transitions", "flaps", "supported-capabilities", "capabilities",
    "messages", "prefixes",
}  # fmt: skip
MESSAGE_KINDS = {
    "OPEN",
    "UPDATE",
    "NOTIFICATION",
    "KEEPALIVE",
    "ROUTE-REFRESH",
    "DISCARDED",
    "TOTAL",
}


@pytest.mark.parametrize("kind", KINDS)
def test_neighbor_state_matches_the_peer(pairs: dict[str, Pair], kind: str) -> None:
    """``peerwise -j neighbor ADDR`` has the documented leaves, and they agree with the peer."""
    pair = pairs[kind]
    pair.require_established()
    entry = pair.daemon.neighbor(pair.peer.address)
    state = entry["state"]
    assert set(state) >= STATE_LEAVES, sorted(STATE_LEAVES - set(state))
    expected = {
        "neighbor-address": pair.peer.address,
        "peer-as": PEER_AS,
        "local-as": PEERWISE_AS,
        "admin-state": "START",
        "remote-router-id": pair.peer.router_id,
        "bgp-version": 4,
    }
    assert {key: state[key] for key in expected} == expected
    assert state["established-transitions"] >= 1 and state["last-established"] > 0
    for direction in ("sent", "received"):
        assert set(state["messages"][direction]) == MESSAGE_KINDS, state["messages"]
        assert state["messages"][direction]["OPEN"] >= 1
    assert entry["timers"]["state"]["negotiated-hold-time"] == HOLD, entry["timers"]
    transport = entry["transport"]["state"]
    assert (transport["local-address"], transport["remote-address"]) == (
        pair.daemon.address,
        pair.peer.address,
    )
    assert 179 in (transport["local-port"], transport["remote-port"]), transport
