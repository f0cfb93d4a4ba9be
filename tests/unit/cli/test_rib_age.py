"""Route age in ``peerwise global rib``: GoBGP's ``HH:MM:SS`` and ``Nd HH:MM:SS``."""

from __future__ import annotations

from typing import Any

import pytest

from peerwise.cli.rib import age_text, route_table

AGE_ROWS = [
    (0, "00:00:00"),
    (59, "00:00:59"),
    (3 * 3600 + 4 * 60 + 5, "03:04:05"),
    (86399, "23:59:59"),
    (86400, "1d 00:00:00"),
    (86400 + 2 * 3600 + 3 * 60 + 4, "1d 02:03:04"),
    (12 * 86400 + 61, "12d 00:01:01"),
    (None, "-"),
    (-1, "-"),
    ("12", "-"),
    (True, "-"),
]


@pytest.mark.parametrize(("seconds", "text"), AGE_ROWS)
def test_age_is_shown_as_gobgp_does(seconds: Any, text: str) -> None:
    assert age_text(seconds) == text


def test_the_table_shows_the_age_column() -> None:
    route = {"prefix": "10.0.0.0/24", "next-hop": "192.0.2.1", "as-path": "65010",
             "origin": "igp", "best": True, "age": 3725}  # fmt: skip
    header, line = route_table([route]).splitlines()
    assert line[header.index("Age") :].startswith("01:02:05 ")
