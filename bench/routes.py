"""The benchmark's route set: deterministic, full-table-like, pre-encoded as UPDATE messages.

A :class:`RouteSet` is built from a seed and two counts (IPv4, IPv6), so every target sees the
same octets. Its shape follows a real default-free table:

- IPv4 prefix lengths mostly /24, then /22-/23, /16-/21 and a few shorter (``IPV4_MIX``);
  IPv6 mostly /48, then /32-/44 (``IPV6_MIX``); random addresses in public unicast space,
  host bits clear, no duplicates. Space our next hops live in is never announced.
- A pool of a few thousand AS paths, 2-8 ASes long, the first AS the tester's own (targets
  enforce RFC 4271 §6.3's first-AS rule on eBGP); ASes are drawn outside the private range
  64512-65534 that the benchmark's speakers use, so no target sees a loop.
- About ten prefixes per attribute set (1-19, uniform): ORIGIN, AS_PATH, NEXT_HOP, and on
  some sets a MED or COMMUNITIES, so that sets sharing an AS path still differ.

Next hops are addresses of the benchmarking ranges (RFC 2544 198.18.0.0/15, RFC 5180
2001:2::/48), never contacted: GoBGP and FRR refuse 127/8 next hops as martians, and each
target is configured to resolve these (see ``targets.py``).

:meth:`RouteSet.encode` writes one UPDATE per attribute set (split when over 4096 octets,
RFC 4271 §4.1) with peerwise.wire, then one End-of-RIB per family (RFC 4724 §2); all before
the clock starts.
"""

from __future__ import annotations

import bisect
import hashlib
import ipaddress
import itertools
import random
from dataclasses import dataclass, field

from peerwise.wire import (
    AsPath,
    Communities,
    MpReachNlri,
    MultiExitDisc,
    NextHop,
    Origin,
    Update,
    encode,
    end_of_rib,
)
from peerwise.wire.context import MAX_MESSAGE

SEED = 20240501
NEXT_HOP_V4 = "198.18.0.1"
NEXT_HOP_V6 = "2001:2::1"
PATH_POOL = 3000  # distinct AS paths (fewer for small sets)
SET_SIZE = (1, 19)  # prefixes per attribute set, uniform: mean 10

# (prefix length, weight): roughly the shape of a 2020s IPv4 DFZ table.
IPV4_MIX: tuple[tuple[int, float], ...] = (
    (24, 60.0), (23, 9.0), (22, 11.0), (21, 4.5), (20, 5.0), (19, 3.5), (18, 1.5),
    (17, 1.0), (16, 3.0), (15, 0.3), (14, 0.4), (13, 0.3), (12, 0.2), (11, 0.1),
    (10, 0.1), (9, 0.05), (8, 0.05),
)  # fmt: skip
IPV6_MIX: tuple[tuple[int, float], ...] = (
    (48, 52.0), (47, 2.0), (46, 3.0), (44, 8.0), (40, 6.0), (36, 3.0), (32, 20.0),
    (29, 2.5), (28, 1.0), (64, 1.5), (56, 1.0),
)  # fmt: skip
# First octets that are not public unicast, or hold our next hops (198.18/15).
_V4_SKIP = frozenset({0, 10, 100, 127, 169, 172, 192, 198})
_V6_SKIP = (ipaddress.IPv6Network("2001:db8::/32"), ipaddress.IPv6Network("2001:2::/48"))


@dataclass(frozen=True)
class AttrSet:
    """One attribute set and its prefixes (text, as peerwise.wire takes them)."""

    as_path: tuple[int, ...]
    med: int | None
    communities: tuple[int, ...]
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class RouteSet:
    """The routes of one benchmark case: ``ipv4`` and ``ipv6`` prefixes in attribute sets."""

    ipv4: int
    ipv6: int
    seed: int = SEED
    tester_as: int = 65001
    sets: tuple[AttrSet, ...] = field(default=(), repr=False)

    @property
    def total(self) -> int:
        return self.ipv4 + self.ipv6

    def encode(self) -> bytes:
        """Every UPDATE, then End-of-RIB per family: the octets the tester sends."""
        out = [_encode_set(s) for s in self.sets]
        if self.ipv4:
            out.append(encode(end_of_rib(1, 1)))
        if self.ipv6:
            out.append(encode(end_of_rib(2, 1)))
        return b"".join(out)


def build(ipv4: int, ipv6: int = 0, seed: int = SEED, tester_as: int = 65001) -> RouteSet:
    """The deterministic route set of ``ipv4`` + ``ipv6`` distinct prefixes."""
    rng = random.Random(seed)
    prefixes = _ipv4_prefixes(rng, ipv4) + _ipv6_prefixes(rng, ipv6)
    paths = _as_paths(rng, tester_as, max(1, min(PATH_POOL, len(prefixes) // 30)))
    sets: list[AttrSet] = []
    for family in (prefixes[:ipv4], prefixes[ipv4:]):
        i = 0
        while i < len(family):
            n = rng.randint(*SET_SIZE)
            sets.append(_attr_set(rng, paths, len(sets), tuple(family[i : i + n])))
            i += n
    return RouteSet(ipv4, ipv6, seed, tester_as, tuple(sets))


def _attr_set(
    rng: random.Random, paths: list[tuple[int, ...]], index: int, prefixes: tuple[str, ...]
) -> AttrSet:
    """Set ``index`` takes path ``index % pool``; its MED (the round) keeps it distinct."""
    rounds, which = divmod(index, len(paths))
    communities = tuple(
        (rng.randrange(1, 65535) << 16) | rng.randrange(0, 65535)
        for _ in range(rng.choice((0, 0, 1, 2, 3)))
    )
    return AttrSet(paths[which], rounds or None, communities, prefixes)


def _as_paths(rng: random.Random, first: int, count: int) -> list[tuple[int, ...]]:
    """``count`` distinct paths of 2-8 ASes; public 2-octet and some 4-octet AS numbers."""
    seen: set[tuple[int, ...]] = set()
    while len(seen) < count:
        hops = [rng.randrange(1, 64496) if rng.random() < 0.8 else rng.randrange(131072, 400000)]
        hops += [rng.randrange(1, 64496) for _ in range(rng.randint(0, 6))]
        seen.add((first, *hops))
    return sorted(seen, key=lambda p: (len(p), p))


def _lengths(rng: random.Random, mix: tuple[tuple[int, float], ...], n: int) -> list[int]:
    cumulative = list(itertools.accumulate(w for _, w in mix))
    total = cumulative[-1]
    return [mix[bisect.bisect(cumulative, rng.random() * total)][0] for _ in range(n)]


def _ipv4_prefixes(rng: random.Random, n: int) -> list[str]:
    seen: set[tuple[int, int]] = set()
    out: list[str] = []
    for plen in _lengths(rng, IPV4_MIX, n):
        for _ in range(64):  # short lengths have few candidates: fall back to /24
            value = rng.getrandbits(32)
            if value >> 24 in _V4_SKIP or value >> 24 >= 224:
                continue
            key = (value >> (32 - plen) << (32 - plen), plen)
            if key not in seen:
                break
            plen = 24
        seen.add(key)
        out.append(f"{ipaddress.IPv4Address(key[0])}/{plen}")
    return out


def _ipv6_prefixes(rng: random.Random, n: int) -> list[str]:
    seen: set[tuple[int, int]] = set()
    out: list[str] = []
    for plen in _lengths(rng, IPV6_MIX, n):
        while True:
            value = (0b001 << 125) | (rng.getrandbits(61) << 64)  # 2000::/3
            key = (value >> (128 - plen) << (128 - plen), plen)
            net = ipaddress.IPv6Network(key)
            if key not in seen and not any(net.overlaps(skip) for skip in _V6_SKIP):
                break
        seen.add(key)
        out.append(str(net))
    return out


def _attributes(s: AttrSet) -> list[object]:
    attrs: list[object] = [Origin(), AsPath.sequence(*s.as_path)]
    if s.med is not None:
        attrs.append(MultiExitDisc(s.med))
    if s.communities:
        attrs.append(Communities(s.communities))
    return attrs


def _encode_set(s: AttrSet) -> bytes:
    """One UPDATE for the set, or several when its prefixes do not fit in 4096 octets."""
    attrs = _attributes(s)
    ipv6 = ":" in s.prefixes[0]
    out: list[bytes] = []
    step = len(s.prefixes)
    i = 0
    while i < len(s.prefixes):
        chunk = s.prefixes[i : i + step]
        if ipv6:
            mp = MpReachNlri(2, 1, NEXT_HOP_V6, chunk)
            update = Update(attributes=(*attrs, mp))
        else:
            update = Update(attributes=(*attrs, NextHop(NEXT_HOP_V4)), nlri=chunk)
        msg = encode(update)
        if len(msg) > MAX_MESSAGE:
            step = max(1, step // 2)
            continue
        out.append(msg)
        i += len(chunk)
    return b"".join(out)


def digest(stream: bytes) -> str:
    """A short fingerprint of the encoded stream, recorded with each result."""
    return hashlib.sha256(stream).hexdigest()[:16]
