"""Fixtures for daemon-level tests: each ``peerwised`` started is stopped by its PID."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from speaker_helpers import Daemon


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Callable[[str, str], Daemon]]:
    started: list[Daemon] = []

    def start(name: str, config: str) -> Daemon:
        d = Daemon(tmp_path, name, config)
        started.append(d)
        return d

    yield start
    for d in started:
        d.stop()
