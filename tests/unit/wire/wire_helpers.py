"""Builders for test messages: a header around a body, an attribute around a value."""

from __future__ import annotations

MARKER = b"\xff" * 16


def message(mtype: int, body: bytes) -> bytes:
    """A whole message: marker, length, type, body (RFC 4271 §4.1)."""
    return MARKER + (19 + len(body)).to_bytes(2, "big") + bytes((mtype,)) + body


def attr(flags: int, code: int, value: bytes) -> bytes:
    """One path attribute with a 1-octet length (RFC 4271 §4.3)."""
    return bytes((flags, code, len(value))) + value


def update_body(attrs: bytes = b"", nlri: bytes = b"", withdrawn: bytes = b"") -> bytes:
    """An UPDATE body with both length fields computed (RFC 4271 §4.3)."""
    return (
        len(withdrawn).to_bytes(2, "big") + withdrawn + len(attrs).to_bytes(2, "big") + attrs + nlri
    )


def update(attrs: bytes = b"", nlri: bytes = b"", withdrawn: bytes = b"") -> bytes:
    return message(2, update_body(attrs, nlri, withdrawn))


def open_body(params: bytes, hold: int = 90, ident: bytes = b"\xc0\x00\x02\x01") -> bytes:
    """An OPEN body, version 4, AS 65001 (RFC 4271 §4.2)."""
    return b"\x04\xfd\xe9" + hold.to_bytes(2, "big") + ident + bytes((len(params),)) + params
