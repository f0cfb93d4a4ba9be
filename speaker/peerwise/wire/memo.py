"""Memoized attribute values: a full table repeats the same attributes (RFC 4271 §4.3).

A default-free table has about a million prefixes but only tens of thousands of distinct
AS_PATHs, a handful of NEXT_HOPs and ORIGINs, and communities that repeat across sets. The
decoder therefore keeps the value it made for an attribute's octets (flags, type, length
and value: the whole attribute as received) and hands the same frozen object out the next
time those octets arrive. That skips the work and shares the object, so a million routes
hold a few thousand ``AsPath`` values instead of a hundred thousand.

Decoding is a pure function of the octets and of one negotiated option, the AS number size
(RFC 6793 §4.1), so there is one memo per size. Only values that decoded cleanly are kept:
a malformed attribute takes the full path every time and gets its RFC 7606 action. The memo
is bounded: past :data:`LIMIT` entries it starts again, which costs one decode per
attribute still in use.
"""

from __future__ import annotations

LIMIT = 1 << 16


class AttributeMemo:
    """Raw attribute octets -> the decoded value (one per AS number size)."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[bytes, object] = {}

    def store(self, raw: bytes, value: object) -> None:
        values = self.values
        if len(values) >= LIMIT:
            values.clear()
        values[raw] = value

    def clear(self) -> None:
        self.values.clear()

    def __len__(self) -> int:
        return len(self.values)


MEMOS: dict[bool, AttributeMemo] = {True: AttributeMemo(), False: AttributeMemo()}
"""By ``CodecContext.four_octet_as``."""
