"""NOTIFICATION messages (RFC 4271 §4.5) and the shutdown communication (RFC 8203, RFC 9003).

Nothing in a NOTIFICATION is answered with another NOTIFICATION (RFC 4271 §6.4), so decoding
never raises beyond the header checks: unknown codes are kept as numbers.
"""

from __future__ import annotations

from peerwise.wire.errors import BGPError, CeaseSubcode, ErrorCode, describe
from peerwise.wire.messages import Notification

SHUTDOWN_SUBCODES = (CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, CeaseSubcode.ADMINISTRATIVE_RESET)
MAX_SHUTDOWN_OCTETS = 255  # RFC 9003 §2


def decode_notification(body: bytes) -> Notification:
    """The NOTIFICATION body (at least 2 octets: the Framer checks the length)."""
    return Notification(body[0], body[1], body[2:])


def encode_notification(msg: Notification) -> bytes:
    return bytes((msg.code, msg.subcode)) + msg.data


def from_error(error: BGPError) -> Notification:
    """The NOTIFICATION that answers a decoding error."""
    return Notification(error.code, error.subcode, error.data)


def shutdown(
    text: str = "", subcode: CeaseSubcode = CeaseSubcode.ADMINISTRATIVE_SHUTDOWN
) -> Notification:
    """Cease with a shutdown communication (RFC 9003 §2): length octet + UTF-8, at most 255
    octets, cut at a character boundary."""
    if subcode not in SHUTDOWN_SUBCODES:
        raise ValueError(f"subcode {subcode!r} carries no shutdown communication")
    raw = text.encode()[:MAX_SHUTDOWN_OCTETS].decode("utf-8", "ignore").encode()
    data = bytes((len(raw),)) + raw if raw else b""
    return Notification(ErrorCode.CEASE, subcode, data)


def shutdown_text(msg: Notification) -> str | None:
    """The shutdown communication in a Cease 2 or 4, or None (RFC 9003 §2, §5: a malformed
    one is ignored)."""
    if msg.code != ErrorCode.CEASE or msg.subcode not in SHUTDOWN_SUBCODES or not msg.data:
        return None
    length = msg.data[0]
    if length == 0 or length + 1 > len(msg.data):
        return None
    try:
        return msg.data[1 : 1 + length].decode("utf-8")
    except UnicodeDecodeError:
        return None


def notification_text(msg: Notification) -> str:
    """'Cease / Administrative Shutdown: "maintenance"', or the data in hex when there is any."""
    words = describe(msg.code, msg.subcode)
    text = shutdown_text(msg)
    if text is not None:
        return f'{words}: "{text}"'
    return f"{words} (data {msg.data.hex()})" if msg.data else words
