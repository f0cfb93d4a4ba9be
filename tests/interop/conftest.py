"""Fixtures for the interop suite: addresses, real peers, peerwised.

Every address handed out is in 127.0.20.1 - 127.0.29.254 (this suite's share of loopback), each
used once per run so that no TIME_WAIT or lingering listener of a previous test is in the way.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .peers import PEER_TYPES, Neighbor, Peer
from .speaker import Peerwised, assert_installed

FIRST = ipaddress.IPv4Address("127.0.20.1")
LAST = ipaddress.IPv4Address("127.0.29.254")


class AddressAllocator:
    """Hands out loopback addresses from this suite's range, never the same one twice."""

    def __init__(self, first: str = str(FIRST)) -> None:
        self._next = ipaddress.IPv4Address(first)

    def __call__(self) -> str:
        while self._next.packed[-1] in (0, 255):  # skip x.y.z.0 and x.y.z.255
            self._next += 1
        address = self._next
        assert address <= LAST, "interop address range exhausted"
        self._next += 1
        return str(address)


@pytest.fixture(scope="session")
def allocate_address() -> AddressAllocator:
    return AddressAllocator()


@pytest.fixture(scope="session")
def required_packages() -> None:
    """Fail (not skip) when a Debian package the suite drives is missing."""
    missing = {
        package
        for cls in PEER_TYPES.values()
        for binary, package in cls.requires
        if shutil.which(binary) is None
    }
    missing |= {"tshark" for tool in ("tshark", "dumpcap") if shutil.which(tool) is None}
    assert not missing, f"interop tests need: apt-get install -y {' '.join(sorted(missing))}"


PeerFactory = Callable[..., Peer]


@pytest.fixture
def peer_factory(
    tmp_path: Path, allocate_address: AddressAllocator, required_packages: None
) -> Iterator[Callable[..., Peer]]:
    """``peer_factory(kind, asn, neighbors, address=None, start=True)`` -> a running Peer.

    Every peer made is stopped (by PID) at teardown, in parallel.
    """
    made: list[Peer] = []

    def make(
        kind: str,
        asn: int,
        neighbors: Sequence[Neighbor] = (),
        address: str | None = None,
        start: bool = True,
    ) -> Peer:
        peer = PEER_TYPES[kind](address or allocate_address(), asn, neighbors)
        made.append(peer)
        if start:
            peer.start(tmp_path)
        return peer

    yield make
    stop_all([peer.stop for peer in made])


@pytest.fixture
def peerwised_factory(
    tmp_path: Path, allocate_address: AddressAllocator, required_packages: None
) -> Iterator[Callable[..., Peerwised]]:
    """``peerwised_factory(asn, neighbors, address=None, start=True)`` -> a Peerwised.

    Started with ``peerwised -f FILE --api-socket SOCK``; stopped by PID (SIGTERM, then
    SIGKILL after a bounded wait) at teardown.
    """
    assert_installed()
    made: list[Peerwised] = []
    socket_dirs: list[str] = []

    def make(
        asn: int,
        neighbors: Sequence[Neighbor] = (),
        address: str | None = None,
        start: bool = True,
    ) -> Peerwised:
        address = address or allocate_address()
        socket_dirs.append(tempfile.mkdtemp(prefix="pw-"))
        daemon = Peerwised(
            tmp_path / f"peerwised-{address}", Path(socket_dirs[-1]), address, asn, neighbors
        )
        made.append(daemon)
        if start:
            daemon.start()
        return daemon

    yield make
    stop_all([daemon.stop for daemon in made])
    for path in socket_dirs:
        shutil.rmtree(path, ignore_errors=True)


def stop_all(stops: Sequence[Callable[[], object]]) -> None:
    """Run every stop at once (each waits on its own PID)."""
    if not stops:
        return
    with ThreadPoolExecutor(max_workers=len(stops)) as pool:
        for future in [pool.submit(stop) for stop in stops]:
            future.result()
