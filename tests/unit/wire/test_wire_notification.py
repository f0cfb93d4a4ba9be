"""NOTIFICATION helpers: the shutdown communication (RFC 8203, RFC 9003) and readable text."""

from __future__ import annotations

import pytest

from peerwise.wire import (
    BGPError,
    CeaseSubcode,
    ErrorCode,
    Notification,
    OpenSubcode,
    decode,
    encode,
    from_error,
    notification_text,
    shutdown,
    shutdown_text,
)


@pytest.mark.parametrize(("text", "data"), [
    ("maintenance", b"\x0bmaintenance"),
    ("", b""),
    ("☃", b"\x03\xe2\x98\x83"),
    ("x" * 300, b"\xff" + b"x" * 255),  # RFC 9003 §2: at most 255 octets
    ("é" * 200, b"\xfe" + "é".encode() * 127),  # cut at a character boundary
])  # fmt: skip
def test_shutdown_encodes_length_and_utf8(text: str, data: bytes) -> None:
    msg = shutdown(text)
    assert (msg.code, msg.subcode, msg.data) == (6, 2, data)
    assert decode(encode(msg)) == msg


@pytest.mark.parametrize(("msg", "text"), [
    (Notification(6, 2, b"\x03bye"), "bye"),
    (Notification(6, 4, b"\x03bye"), "bye"),
    (Notification(6, 2, b"\x05bye"), None),  # length overruns: ignored (RFC 9003 §5)
    (Notification(6, 2, b"\x02\xff\xfe"), None),  # not UTF-8
    (Notification(6, 3, b"\x03bye"), None),  # Peer De-configured carries none
    (Notification(2, 2, b"\x03bye"), None),
    (Notification(6, 2), None),
])  # fmt: skip
def test_shutdown_text(msg: Notification, text: str | None) -> None:
    assert shutdown_text(msg) == text


@pytest.mark.parametrize(("msg", "words"), [
    (Notification(6, 2, b"\x03bye"), 'Cease / Administrative Shutdown: "bye"'),
    (Notification(4, 0), "Hold Timer Expired"),
    (Notification(2, 2, b"\xfd\xe9"), "Open Message / Bad Peer AS (data fde9)"),
    (Notification(1, 3, b"\x07"), "Message Header / Bad Message Type (data 07)"),
])  # fmt: skip
def test_notification_text(msg: Notification, words: str) -> None:
    assert notification_text(msg) == words


def test_from_error() -> None:
    error = BGPError(ErrorCode.OPEN_MESSAGE, OpenSubcode.UNSUPPORTED_VERSION_NUMBER, b"\x00\x04")
    assert from_error(error) == Notification(2, 1, b"\x00\x04")


def test_shutdown_refuses_other_subcodes() -> None:
    with pytest.raises(ValueError):
        shutdown("x", CeaseSubcode.PEER_DECONFIGURED)
