"""``peerwise global rib …`` and ``peerwise neighbor ADDR adj-in|adj-out``: routes.

    peerwise global rib [-a ipv4|ipv6] [PREFIX] [--reason]
    peerwise global rib add|del -a ipv4|ipv6 PREFIX [nexthop ADDR] [community C …]
                                [large-community L …] [med N] [local-pref N] [origin O]
    peerwise global rib summary
    peerwise neighbor ADDR adj-in|adj-out [-a ipv4|ipv6]

Reads are NETCONF ``get`` with a subtree filter that names the family, and the prefix or
neighbor when given, so that the speaker renders only those routes (a full table is a
million). A route to announce is config: ``add``/``del`` edit ``rib/routes`` in running.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from peerwise.mgmt import message, tree
from peerwise.mgmt.client import PW_NS, NetconfClient
from peerwise.mgmt.framing import NC_NS

FAMILIES = {"ipv4": "ipv4-unicast", "ipv6": "ipv6-unicast"}
# `rib add` words that take values: word -> (config leaf, repeated?, type)
ROUTE_WORDS: dict[str, tuple[str, bool, type]] = {
    "nexthop": ("next-hop", False, str),
    "community": ("communities", True, str),
    "large-community": ("large-communities", True, str),
    "med": ("med", False, int),
    "local-pref": ("local-pref", False, int),
    "origin": ("origin", False, str),
}
ORIGIN_CODES = {"igp": "i", "egp": "e", "incomplete": "?"}
HEADER = f"   {'Network':<20} {'Next Hop':<20} {'AS_PATH':<20} {'Age':<10} Attrs"


def add_arguments(glob: argparse.ArgumentParser, neighbor: argparse.ArgumentParser) -> None:
    """``global`` takes its words as they come (flags among them: see :func:`command`)."""
    glob.add_argument("words", nargs=argparse.REMAINDER, metavar="[rib [add|del|summary] ...]")
    neighbor.add_argument("-a", "--address-family", choices=sorted(FAMILIES), default=None)


def _flags(args: argparse.Namespace, words: list[str]) -> list[str]:
    """Take ``-a FAMILY``, ``--reason`` and ``-j`` out of the ``global`` words."""
    args.address_family = getattr(args, "address_family", None)
    args.reason = False
    rest: list[str] = []
    it = iter(words)
    for word in it:
        if word in ("-a", "--address-family"):
            family = next(it, "")
            if family not in FAMILIES:
                raise ValueError(f"-a {family!r}: one of {', '.join(FAMILIES)}")
            args.address_family = family
        elif word == "--reason":
            args.reason = True
        elif word in ("-j", "--json"):
            args.json = True
        else:
            rest.append(word)
    return rest


def _xml(content: Any) -> str:
    return message.render({"bgp": {"@xmlns": PW_NS, **content}}).split("?>", 1)[-1].strip()


def _family(args: argparse.Namespace, prefix: str | None = None) -> str:
    if args.address_family:
        return FAMILIES[args.address_family]
    return "ipv6-unicast" if prefix and ":" in prefix else "ipv4-unicast"


def _rib_get(client: NetconfClient, entry: dict[str, Any]) -> list[dict[str, Any]]:
    flt = _xml({"rib": {"afi-safis": {"afi-safi": entry}}})
    nested = message.reply_data(client.get(flt)) or {}
    shaped = tree.coerce(tree.to_file_shape(nested))
    found = (shaped.get("rib") or {}).get("afi-safis") or []
    return [f for f in found if isinstance(f, dict)]


def _attrs(route: dict[str, Any], reason: bool) -> str:
    parts = [f"{{Origin: {ORIGIN_CODES.get(route.get('origin', ''), '?')}}}"]
    for leaf, label in (("med", "Med"), ("local-pref", "LocalPref")):
        if route.get(leaf) is not None:
            parts.append(f"{{{label}: {route[leaf]}}}")
    for leaf, label in (("communities", "Communities"), ("large-communities", "LargeCommunity")):
        if route.get(leaf):
            parts.append(f"{{{label}: {', '.join(route[leaf])}}}")
    if reason and route.get("reason"):
        parts.append(f"{{Reason: {route['reason']}}}")
    return f"[{' '.join(parts)}]"


def age_text(seconds: Any) -> str:
    """A route's age as GoBGP shows it: ``HH:MM:SS``, ``1d 02:03:04`` past a day; ``-``
    when the speaker gave none."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
        return "-"
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}d {clock}" if days else clock


def route_table(routes: list[dict[str, Any]], reason: bool = False, marks: bool = True) -> str:
    """GoBGP's ``global rib`` layout; ``*>`` marks the best path."""
    lines = [HEADER]
    for r in routes:
        mark = ("*>" if r.get("best") else "* ") if marks else "  "
        hop = r.get("next-hop") or "0.0.0.0"
        path = r.get("as-path") or ""
        age = age_text(r.get("age"))
        lines.append(f"{mark} {r.get('prefix', ''):<20} {hop:<20} {path:<20} {age:<10} "
                     f"{_attrs(r, reason)}")  # fmt: skip
    return "\n".join(lines) + "\n"


def show_rib(client: NetconfClient, args: argparse.Namespace) -> str:
    prefix = args.words[1] if len(args.words) > 1 else None
    route: dict[str, Any] = {"prefix": prefix} if prefix else {}
    entry = {"afi-safi-name": _family(args, prefix), "state": None, "loc-rib": {
        "routes": {"route": route or None}}}  # fmt: skip
    found = _rib_get(client, entry)
    routes = [r for f in found for r in ((f.get("loc-rib") or {}).get("routes") or [])]
    if args.json:
        return json.dumps(routes, indent=2) + "\n"
    if not routes:
        return f"Network not in table: {prefix}\n" if prefix else "Network not in table\n"
    text = route_table(routes, args.reason)
    if any((f.get("state") or {}).get("truncated") for f in found):
        text += "(more routes: ask for a prefix, or see `peerwise global rib summary`)\n"
    return text


def show_summary(client: NetconfClient, args: argparse.Namespace) -> str:
    rows = []
    for name in [_family(args)] if args.address_family else list(FAMILIES.values()):
        found = _rib_get(client, {"afi-safi-name": name, "state": None})
        rows += [{"afi-safi-name": name, **(f.get("state") or {})} for f in found]
    if args.json:
        return json.dumps(rows, indent=2) + "\n"
    lines = [f"{'Table':<14} {'Destination':>12} {'Path':>12}"]
    for row in rows:
        lines.append(f"{row['afi-safi-name']:<14} {row.get('total-prefixes', 0):>12} "
                     f"{row.get('total-paths', 0):>12}")  # fmt: skip
    return "\n".join(lines) + "\n"


def show_adj(client: NetconfClient, args: argparse.Namespace) -> str:
    which = "adj-rib-in-pre" if args.which == "adj-in" else "adj-rib-out-post"
    entry = {"afi-safi-name": _family(args), "neighbors": {"neighbor": {
        "neighbor-address": args.addr, which: None}}}  # fmt: skip
    found = _rib_get(client, entry)
    routes = [
        r
        for f in found
        for n in f.get("neighbors") or []
        for r in ((n.get(which) or {}).get("routes") or [])
    ]
    if args.json:
        return json.dumps(routes, indent=2) + "\n"
    return route_table(routes, marks=False) if routes else "Network not in table\n"


def route_config(words: list[str], prefix: str) -> dict[str, Any]:
    """``nexthop A community C med N …`` as a ``rib/routes`` entry's config."""
    cfg: dict[str, Any] = {"prefix": prefix}
    i = 0
    while i < len(words):
        row = ROUTE_WORDS.get(words[i])
        if row is None or i + 1 >= len(words):
            raise ValueError(f"unexpected {words[i]!r} (words: {', '.join(ROUTE_WORDS)})")
        leaf, repeated, kind = row
        value = words[i + 1]
        typed: Any = int(value) if kind is int and value.lstrip("-").isdigit() else value
        if repeated:
            cfg.setdefault(leaf, []).append(typed)
        else:
            cfg[leaf] = typed
        i += 2
    return cfg


def _route_edit(cfg: dict[str, Any], operation: str | None) -> str:
    nested = tree.to_nested({"rib": {"routes": [{"config": cfg}]}})
    if operation:
        for entry in nested["rib"]["routes"]["route"]:
            entry["@xmlns:nc"] = NC_NS
            entry["@nc:operation"] = operation
    return _xml(nested)


def add_route(client: NetconfClient, args: argparse.Namespace) -> str:
    prefix = args.words[2]
    if args.address_family and _family(args) != _family(argparse.Namespace(address_family=None),
                                                         prefix):  # fmt: skip
        raise ValueError(f"{prefix} is not an {args.address_family} prefix")
    client.edit_config("running", _route_edit(route_config(args.words[3:], prefix), None))
    return ""


def del_route(client: NetconfClient, args: argparse.Namespace) -> str:
    client.edit_config("running", _route_edit({"prefix": args.words[2]}, "delete"))
    return ""


COMMANDS = {
    "rib": show_rib,
    "rib-summary": show_summary,
    "rib-add": add_route,
    "rib-del": del_route,
    "adj": show_adj,
}


def command(args: argparse.Namespace) -> str | None:
    """The COMMANDS row for ``global`` words, or None for plain ``global``."""
    words = args.words = _flags(args, list(getattr(args, "words", [])))
    if not words:
        return None
    if words[0] != "rib":
        raise ValueError("usage: peerwise global [rib [summary | add|del PREFIX ...]]")
    if len(words) >= 3 and words[1] in ("add", "del"):
        return f"rib-{words[1]}"
    if words[1:] == ["summary"]:
        return "rib-summary"
    if len(words) <= 2:
        return "rib"
    raise ValueError("usage: peerwise global rib [-a ipv4|ipv6] [PREFIX]")
