"""Framer: any split of a byte stream yields the same whole messages."""

from __future__ import annotations

import pytest
from wire_helpers import message, update

from peerwise.wire import Framer, Keepalive, Notification, decode, encode

STREAM_PARTS = [
    encode(Keepalive()),
    update(nlri=b"\x18\x0a\x00\x00"),
    encode(Notification(6, 2, b"\x03bye")),
    message(5, b"\x00\x01\x00\x01"),
]
STREAM = b"".join(STREAM_PARTS)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 19, 20, 64, len(STREAM)])
def test_any_chunking_gives_the_same_frames(chunk: int) -> None:
    framer = Framer()
    frames: list[bytes] = []
    for at in range(0, len(STREAM), chunk):
        frames += framer.feed(STREAM[at : at + chunk])
    assert frames == STREAM_PARTS
    assert framer.pending == 0


def test_partial_message_is_held_back() -> None:
    framer = Framer()
    assert framer.feed(STREAM[:25]) == [STREAM_PARTS[0]]
    assert framer.pending == 25 - 19
    assert [decode(f) for f in framer.feed(STREAM[25:])][-1].__class__.__name__ == "RouteRefresh"
