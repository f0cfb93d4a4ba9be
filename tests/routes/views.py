"""One route as each real peer shows it, in one spelling (:class:`Seen`), so that tests compare
the same fields whoever received the route: GoBGP's ``-j``, FRR's ``json``, BIRD's ``show
route all`` text, ExaBGP's JSON events. Communities become ``a:b``, large ones ``a:b:c``,
route targets ``rt:a:b`` (RFC 4360 §4 type 0x00/0x02 subtype 0x02).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from typing import Any

from interop.peers import BIRD, FRR, ExaBGP, GoBGP, Peer


@dataclass(frozen=True)
class Seen:
    as_path: str
    next_hop: str
    communities: tuple[str, ...] = ()
    large_communities: tuple[str, ...] = ()
    extended_communities: tuple[str, ...] = ()
    med: int | None = None
    local_pref: int | None = None


def _afi(prefix: str) -> str:
    return "ipv6" if ":" in prefix else "ipv4"


# -- GoBGP ----------------------------------------------------------------------------------

GOBGP_EXT_SUBTYPES = {2: "rt", 3: "soo"}


def _gobgp_attr(seen: dict[str, Any], a: dict[str, Any]) -> None:
    kind = a["type"]
    if kind == 2:
        seen["as_path"] = " ".join(str(n) for s in a.get("as_paths") or [] for n in s["asns"])
    elif kind in (3, 14):
        seen["next_hop"] = a["nexthop"]
    elif kind == 4:
        seen["med"] = a["metric"]
    elif kind == 5:
        seen["local_pref"] = a["value"]
    elif kind == 8:
        seen["communities"] = tuple(f"{c >> 16}:{c & 0xFFFF}" for c in a["communities"])
    elif kind == 16:
        seen["extended_communities"] = tuple(
            f"{GOBGP_EXT_SUBTYPES.get(v['subtype'], v['subtype'])}:{v['value']}" for v in a["value"]
        )
    elif kind == 32:
        seen["large_communities"] = tuple(
            f"{v['ASN']}:{v['LocalData1']}:{v['LocalData2']}" for v in a["value"]
        )


def gobgp_route(peer: GoBGP, prefix: str) -> Seen | None:
    out = json.loads(peer.cli("global", "rib", "-a", _afi(prefix), "-j") or "{}")
    paths = out.get(prefix) or []
    if not paths:
        return None
    seen: dict[str, Any] = {"as_path": "", "next_hop": ""}
    for a in paths[0]["attrs"]:
        _gobgp_attr(seen, a)
    if ":" in prefix and "." in seen["next_hop"] and ":" not in seen["next_hop"]:
        # Go prints an IPv4-mapped IPv6 address as IPv4: put the mapping back.
        seen["next_hop"] = f"::ffff:{seen['next_hop']}"
    return Seen(**seen)


# -- FRR ------------------------------------------------------------------------------------


def _words(block: dict[str, Any] | None) -> tuple[str, ...]:
    return tuple((block or {}).get("string", "").split())


def frr_route(peer: FRR, prefix: str) -> Seen | None:
    out = json.loads(peer.vtysh(f"show bgp {_afi(prefix)} unicast {prefix} json") or "{}")
    paths = out.get("paths") or []
    if not paths:
        return None
    p = paths[0]
    return Seen(
        as_path=p["aspath"]["string"],
        next_hop=p["nexthops"][0]["ip"],
        communities=_words(p.get("community")),
        large_communities=_words(p.get("largeCommunity")),
        extended_communities=tuple(w.lower() for w in _words(p.get("extendedCommunity"))),
        med=p.get("metric"),
        local_pref=p.get("locPrf"),
    )


# -- BIRD -----------------------------------------------------------------------------------

BIRD_ATTR = re.compile(r"^\s+BGP\.(\w+): (.*)$", re.MULTILINE)
BIRD_TUPLE = re.compile(r"\(([^)]*)\)")


def _tuples(text: str) -> tuple[str, ...]:
    return tuple(":".join(x.strip() for x in t.split(",")) for t in BIRD_TUPLE.findall(text))


def bird_route(peer: BIRD, prefix: str) -> Seen | None:
    table = "master6" if ":" in prefix else "master4"
    try:
        text = peer.birdc("show", "route", prefix, "table", table, "all")
    except subprocess.CalledProcessError as exc:  # birdc exits 1 on "Network not found"
        if "Network not found" in (exc.stdout or ""):
            return None
        raise
    if not re.search(rf"^{re.escape(prefix)}\s", text, re.MULTILINE):
        return None
    attrs = dict(BIRD_ATTR.findall(text))
    med, pref = attrs.get("med"), attrs.get("local_pref")
    return Seen(
        as_path=attrs.get("as_path", "").strip(),
        next_hop=attrs.get("next_hop", "").split()[0] if attrs.get("next_hop") else "",
        communities=_tuples(attrs.get("community", "")),
        large_communities=_tuples(attrs.get("large_community", "")),
        extended_communities=_tuples(attrs.get("ext_community", "")),
        med=None if med is None else int(med),
        local_pref=None if pref is None else int(pref),
    )


# -- ExaBGP ---------------------------------------------------------------------------------


def _exabgp_seen(attribute: dict[str, Any], next_hop: str) -> Seen:
    ext = [e["string"].replace("target:", "rt:") for e in attribute.get("extended-community", [])]
    return Seen(
        as_path=" ".join(str(n) for n in attribute.get("as-path", [])),
        next_hop=next_hop,
        communities=tuple(f"{a}:{b}" for a, b in attribute.get("community", [])),
        large_communities=tuple(
            ":".join(map(str, t)) for t in attribute.get("large-community", [])
        ),
        extended_communities=tuple(ext),
        med=attribute.get("med"),
        local_pref=attribute.get("local-preference"),
    )


def exabgp_route(peer: ExaBGP, prefix: str, sender: str) -> Seen | None:
    """The last word ``sender`` said about ``prefix`` in ExaBGP's events (None: withdrawn)."""
    seen: Seen | None = None
    text = peer.events.read_text(errors="replace") if peer.events.exists() else ""
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        body = event.get("neighbor", {})
        update = body.get("message", {}).get("update")
        if event.get("type") != "update" or body["address"]["peer"] != sender or not update:
            continue
        for hops in update.get("announce", {}).values():
            for hop, nlris in hops.items():
                if any(n.get("nlri") == prefix for n in nlris):
                    seen = _exabgp_seen(update.get("attribute", {}), hop)
        for nlris in update.get("withdraw", {}).values():
            if any(n.get("nlri") == prefix for n in nlris):
                seen = None
    return seen


def route_at(peer: Peer, prefix: str, sender: str) -> Seen | None:
    """``prefix`` as ``peer`` has it from ``sender`` (its best path for the CLI-read peers)."""
    if isinstance(peer, GoBGP):
        return gobgp_route(peer, prefix)
    if isinstance(peer, FRR):
        return frr_route(peer, prefix)
    if isinstance(peer, BIRD):
        return bird_route(peer, prefix)
    if isinstance(peer, ExaBGP):
        return exabgp_route(peer, prefix, sender)
    raise TypeError(f"no route reader for {peer!r}")
