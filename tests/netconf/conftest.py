"""Fixtures: loopback addresses (127.0.50.10 up) and peerwised daemons stopped by PID."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .speakerd import Addresses, Speakerd


@pytest.fixture(scope="session")
def allocate() -> Addresses:
    return Addresses()


@pytest.fixture
def speakerd(tmp_path: Path, allocate: Addresses) -> Iterator[Callable[..., Speakerd]]:
    """``speakerd(neighbors=(), extra=(), address=None)`` -> a started daemon."""
    made: list[Speakerd] = []

    def make(start: bool = True, address: str | None = None, **kwargs: Any) -> Speakerd:
        address = address or allocate()
        daemon = Speakerd(tmp_path / f"pw-{address}", address, **kwargs)
        made.append(daemon)
        return daemon.start() if start else daemon

    yield make
    for daemon in made:
        daemon.stop()
