"""The monitor's hot path: split a TCP stream into BGP messages and count distinct prefixes.

A full table arrives as hundreds of thousands of UPDATEs (GoBGP sends one per prefix), so this
does the least per octet: the 19-octet header is trusted for its Length (the target is a BGP
speaker, not an attacker), UPDATE bodies are never decoded into values, and each prefix
becomes one ``bytes`` slice (length octet + address octets, RFC 4271 §4.3) added to a set.
IPv4 prefixes come from the NLRI field; other families from MP_REACH_NLRI (RFC 4760 §3).
Withdrawals are ignored: the benchmark only announces. Every other message type is returned
whole for the session to decode with peerwise.wire.
"""

from __future__ import annotations

from peerwise.wire import AttrType, MessageType

HEADER = 19
_UPDATE = int(MessageType.UPDATE)
_MP_REACH = int(AttrType.MP_REACH_NLRI)
_EXTENDED_LENGTH = 0x10


class PrefixCounter:
    """Distinct prefixes per (AFI, SAFI) seen in UPDATEs; ``feed`` returns non-UPDATE frames."""

    def __init__(self) -> None:
        self._buf = b""
        self.families: dict[tuple[int, int], set[bytes]] = {(1, 1): set()}
        self.updates = 0

    @property
    def total(self) -> int:
        return sum(map(len, self.families.values()))

    def feed(self, data: bytes) -> list[bytes]:
        """Take stream octets; count the UPDATEs among the whole messages, return the others."""
        buf = self._buf + data if self._buf else data
        others: list[bytes] = []
        pos, size = 0, len(buf)
        while size - pos >= HEADER:
            end = pos + ((buf[pos + 16] << 8) | buf[pos + 17])
            if end > size:
                break
            if buf[pos + 18] == _UPDATE:
                self._update(buf, pos + HEADER, end)
            else:
                others.append(buf[pos:end])
            pos = end
        self._buf = buf[pos:]
        return others

    def _update(self, buf: bytes, start: int, end: int) -> None:
        self.updates += 1
        attrs = start + 4 + ((buf[start] << 8) | buf[start + 1])  # past the withdrawn routes
        nlri = attrs + ((buf[attrs - 2] << 8) | buf[attrs - 1])
        if nlri < end:
            _add_prefixes(self.families[(1, 1)], buf, nlri, end)
        i = attrs
        while i < nlri:  # RFC 4271 §4.3 path attributes: flags, type, length (1 or 2 octets)
            flags, code = buf[i], buf[i + 1]
            if flags & _EXTENDED_LENGTH:
                value, length = i + 4, (buf[i + 2] << 8) | buf[i + 3]
            else:
                value, length = i + 3, buf[i + 2]
            if code == _MP_REACH:
                self._mp_reach(buf, value, value + length)
            i = value + length

    def _mp_reach(self, buf: bytes, start: int, end: int) -> None:
        """RFC 4760 §3: AFI, SAFI, next hop length and next hop, reserved octet, NLRI."""
        family = ((buf[start] << 8) | buf[start + 1], buf[start + 2])
        seen = self.families.get(family)
        if seen is None:
            seen = self.families[family] = set()
        _add_prefixes(seen, buf, start + 4 + buf[start + 3] + 1, end)


def _add_prefixes(seen: set[bytes], buf: bytes, i: int, end: int) -> None:
    add = seen.add
    while i < end:
        j = i + 1 + ((buf[i] + 7) >> 3)
        add(buf[i:j])
        i = j
