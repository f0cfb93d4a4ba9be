"""The harness on its own: pairs of real peers reach Established without peerwised.

The pairs GoBGP-FRR, FRR-BIRD, BIRD-GoBGP and ExaBGP-BIRD are covered, and each kind's view of
a NOTIFICATION is checked once: the first peer of a pair is stopped and the second must report
the Cease it sent.
A failure here is the harness's (or the environment's), never the speaker's.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .peers import Neighbor, Peer

pytestmark = pytest.mark.interop

BASE_CAPABILITIES = {"4-octet-as", "route-refresh", "multiprotocol:ipv4-unicast"}

# (stopped at the end, must report the Cease the first one sent). FRR 8.4 and ExaBGP 4.2 close
# without a NOTIFICATION when terminated, so they are never the one stopped; every kind is a
# receiver once.
PAIRS = [
    ("gobgp", "frr"),
    ("gobgp", "bird"),
    ("bird", "frr"),
    ("bird", "gobgp"),
    ("bird", "exabgp"),
]


def start_parallel(peers: list[Peer], tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=len(peers)) as pool:
        for future in [pool.submit(peer.start, tmp_path) for peer in peers]:
            future.result()


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_pair_established(
    first: str,
    second: str,
    tmp_path: Path,
    peer_factory: Callable[..., Peer],
    allocate_address: Callable[[], str],
) -> None:
    addr_a, addr_b = allocate_address(), allocate_address()
    as_a, as_b = 65101, 65102
    a = peer_factory(first, as_a, [Neighbor(addr_b, as_b, ipv6=True, hold_time=6)], addr_a, False)
    b = peer_factory(second, as_b, [Neighbor(addr_a, as_a, ipv6=True, hold_time=6)], addr_b, False)
    start_parallel([a, b], tmp_path)

    seen_by_a = a.wait_established(addr_b, timeout=20)
    seen_by_b = b.wait_established(addr_a, timeout=20)

    for seen in (seen_by_a, seen_by_b):
        assert BASE_CAPABILITIES | {"multiprotocol:ipv6-unicast"} <= seen["received_capabilities"]
        assert seen["messages_received"] >= 2  # OPEN + KEEPALIVE at least
        assert seen["last_error"] == ""

    a.stop()
    down = b.wait_state(addr_a, lambda s: "Cease" in s["last_error"], 10, "reports a Cease")
    assert down["state"] != "established"


# (configured with the wrong peer AS, so sends Bad Peer AS; must report it)
BAD_AS_PAIRS = [
    ("frr", "gobgp"),
    ("bird", "frr"),
    ("frr", "bird"),
    ("bird", "exabgp"),
]


@pytest.mark.parametrize(
    ("sender", "receiver"), BAD_AS_PAIRS, ids=[f"{a}-{b}" for a, b in BAD_AS_PAIRS]
)
def test_bad_peer_as_reported(
    sender: str,
    receiver: str,
    tmp_path: Path,
    peer_factory: Callable[..., Peer],
    allocate_address: Callable[[], str],
) -> None:
    addr_s, addr_r = allocate_address(), allocate_address()
    as_s, as_r = 65201, 65202
    s = peer_factory(sender, as_s, [Neighbor(addr_r, as_r + 1)], addr_s, False)
    r = peer_factory(receiver, as_r, [Neighbor(addr_s, as_s)], addr_r, False)
    start_parallel([s, r], tmp_path)

    seen = r.wait_state(addr_s, lambda st: "Bad Peer AS" in st["last_error"], 15, "Bad Peer AS")

    assert "OPEN Message Error" in seen["last_error"]
    assert seen["state"] != "established"


@pytest.mark.parametrize("kind", ["gobgp", "frr", "bird", "exabgp"])
def test_add_neighbor_to_running_peer(
    kind: str,
    tmp_path: Path,
    peer_factory: Callable[..., Peer],
    allocate_address: Callable[[], str],
) -> None:
    """``add_neighbor`` reconfigures the running daemon (SIGHUP, vtysh, birdc, SIGUSR1)."""
    addr_a, addr_b, addr_unused = allocate_address(), allocate_address(), allocate_address()
    other = "bird" if kind == "frr" else "frr"
    # GoBGP connects only 5-9 s after a neighbor appears: let the other side be active then.
    b_passive = kind != "gobgp"
    a = peer_factory(kind, 65301, [Neighbor(addr_unused, 65399)], addr_a, False)
    b = peer_factory(other, 65302, [Neighbor(addr_a, 65301, passive=b_passive)], addr_b, False)
    start_parallel([a, b], tmp_path)
    pid = a.processes[0].pid

    a.add_neighbor(Neighbor(addr_b, 65302))

    a.wait_established(addr_b, timeout=15)
    b.wait_established(addr_a, timeout=5)
    assert a.processes[0].pid == pid and a.processes[0].alive()
