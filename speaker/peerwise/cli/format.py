"""Pure formatting: state data (file shape, typed) -> the text ``peerwise`` prints.

The layouts follow GoBGP's ``gobgp neighbor`` and ``gobgp global`` so that operators moving
from GoBGP read the same columns. Every function here takes data (and ``now`` where a time
is shown) and returns text; nothing reads a clock or a socket.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Neighbor = dict[str, Any]

# GoBGP's short names for the summary table (RFC 4271 §8.2.2 states).
SHORT_STATE = {
    "IDLE": "Idle",
    "CONNECT": "Connect",
    "ACTIVE": "Active",
    "OPENSENT": "Opensent",
    "OPENCONFIRM": "Openconfirm",
    "ESTABLISHED": "Establ",
}
# Capability names as GoBGP prints them, by the model's CAP name (RFC 5492 registry).
CAPABILITY_NAMES = {
    "MPBGP": "multiprotocol",
    "ROUTE_REFRESH": "route-refresh",
    "EXTENDED_NEXTHOP": "extended-nexthop",
    "EXTENDED_MESSAGE": "extended-message",
    "GRACEFUL_RESTART": "graceful-restart",
    "ASN32": "4-octet-as",
    "ENHANCED_ROUTE_REFRESH": "enhanced-route-refresh",
    "FQDN": "fqdn",
}
# Message statistics rows: label, the model's counter name.
MESSAGE_ROWS = (
    ("Opens:", "OPEN"),
    ("Notifications:", "NOTIFICATION"),
    ("Updates:", "UPDATE"),
    ("Keepalives:", "KEEPALIVE"),
    ("Route Refresh:", "ROUTE-REFRESH"),
    ("Discarded:", "DISCARDED"),
    ("Total:", "TOTAL"),
)
ROUTE_ROWS = (("Advertised:", "advertised"), ("Received:", "received"), ("Accepted:", "accepted"))
DEFAULT_HOLD_TIME = 90  # RFC 4271 §10 suggested values
DEFAULT_KEEPALIVE = 30


def _get(tree: Any, *path: str, default: Any = None) -> Any:
    for name in path:
        if not isinstance(tree, dict) or name not in tree:
            return default
        tree = tree[name]
    return tree


def duration(seconds: int | float) -> str:
    """GoBGP's time delta: ``00:12:43``, ``1d 02:03:04``."""
    total = abs(int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}d {clock}" if days else clock


def address(neighbor: Neighbor) -> str:
    return str(
        _get(neighbor, "state", "neighbor-address")
        or _get(neighbor, "config", "neighbor-address", default="")
    )


def _state(neighbor: Neighbor) -> str:
    return str(_get(neighbor, "state", "session-state", default="IDLE"))


def up_down(neighbor: Neighbor) -> str:
    """Time in ESTABLISHED, or since it last left it (as GoBGP shows); 'never' if never up."""
    if _state(neighbor) == "ESTABLISHED":
        return duration(_get(neighbor, "state", "uptime", default=0))
    if not _get(neighbor, "state", "last-established", default=0):
        return "never"
    return duration(_get(neighbor, "state", "downtime", default=0))


def short_state(neighbor: Neighbor) -> str:
    if _get(neighbor, "state", "admin-state") == "STOP":
        return "Idle(Admin)"
    state = _state(neighbor)
    return SHORT_STATE.get(state, state.capitalize())


def neighbor_table(neighbors: Iterable[Neighbor]) -> str:
    """The ``peerwise neighbor`` summary (GoBGP's column layout)."""
    rows = [
        (
            address(n),
            str(_get(n, "state", "peer-as") or _get(n, "config", "peer-as", default="")),
            up_down(n),
            short_state(n),
            _get(n, "state", "prefixes", "received", default=0),
            _get(n, "state", "prefixes", "accepted", default=0),
        )
        for n in neighbors
    ]
    width_addr = max([len("Peer")] + [len(r[0]) for r in rows])
    width_as = max([len("AS")] + [len(r[1]) for r in rows])
    width_time = max([len("Up/Down")] + [len(r[2]) for r in rows])

    def line(a: str, asn: str, time: str, state: str, rcvd: Any, acc: Any) -> str:
        head = f"{a:<{width_addr}} {asn:>{width_as}} {time:>{width_time}} {state:<11}"
        return f"{head} |{rcvd!s:>9} {acc!s:>9}"

    out = [line("Peer", "AS", "Up/Down", "State", "#Received", "Accepted")]
    out += [line(*row) for row in rows]
    return "\n".join(out) + "\n"


def neighbor_detail(neighbor: Neighbor, now: float) -> str:
    """The ``peerwise neighbor ADDR`` view (GoBGP's ``gobgp neighbor ADDR``)."""
    state = neighbor.get("state") or {}
    lines = [
        f"BGP neighbor is {address(neighbor)}, remote AS "
        f"{state.get('peer-as') or _get(neighbor, 'config', 'peer-as', default='')}",
        f"  BGP version {state.get('bgp-version', 4)}, "
        f"remote router ID {state.get('remote-router-id') or 'unknown'}",
        _state_line(neighbor),
        f"  BGP OutQ = {state.get('out-queue', 0)}, Flops = {state.get('flaps', 0)}",
        *_notification_lines(state, now),
        *_timer_lines(neighbor),
        "",
        "  Neighbor capabilities:",
        *capability_lines(state),
        "  Message statistics:",
        "                         Sent       Rcvd",
        *_message_lines(state),
        "  Route statistics:",
        *(
            f"    {label:<15}{_get(state, 'prefixes', key, default=0):>10}"
            for label, key in ROUTE_ROWS
        ),
        *_limit_lines(neighbor),
    ]
    return "\n".join(lines) + "\n"


def _limit_lines(neighbor: Neighbor) -> list[str]:
    """The prefix limits, as FRR words them ("Maximum prefixes allowed N (warning-only)")."""
    lines = []
    for item in neighbor.get("afi-safis") or ():
        limit = _get(item, "prefix-limit", "state") or _get(item, "prefix-limit", "config")
        if not isinstance(limit, dict) or limit.get("max-prefixes") is None:
            continue
        name = _get(item, "config", "afi-safi-name") or item.get("afi-safi-name", "")
        text = f"  {name}: Maximum prefixes allowed {limit['max-prefixes']}"
        if limit.get("prevent-teardown"):
            text += " (warning-only)"
        lines.append(text)
        if limit.get("shutdown-threshold-pct"):
            lines.append(f"    Threshold for warning message {limit['shutdown-threshold-pct']}%")
        if limit.get("restart-timer"):
            lines.append(f"    Restart after {limit['restart-timer']} s")
    return lines


def _state_line(neighbor: Neighbor) -> str:
    text = f"  BGP state = {_state(neighbor)}"
    if _state(neighbor) == "ESTABLISHED":
        text += f", up for {duration(_get(neighbor, 'state', 'uptime', default=0))}"
    if _get(neighbor, "state", "admin-state") == "STOP":
        text += ", administratively down"
    return text


def _timer_lines(neighbor: Neighbor) -> list[str]:
    config = _get(neighbor, "timers", "config", default={}) or {}
    negotiated = _get(neighbor, "timers", "state", default={}) or {}
    hold = config.get("hold-time", DEFAULT_HOLD_TIME)
    keepalive = config.get("keepalive-interval", DEFAULT_KEEPALIVE)
    return [
        f"  Hold time is {negotiated.get('negotiated-hold-time', hold)}, keepalive interval is "
        f"{negotiated.get('keepalive-interval', keepalive)} seconds",
        f"  Configured hold time is {hold}, keepalive interval is {keepalive} seconds",
    ]


def _notification_lines(state: dict[str, Any], now: float) -> list[str]:
    lines = []
    for direction in ("sent", "received"):
        note = state.get(f"last-notification-{direction}")
        if not isinstance(note, dict):
            continue
        text = note.get("text") or f"{note.get('code', '')} / {note.get('subcode', '')}"
        when = note.get("time")
        ago = f", {duration(now - when)} ago" if isinstance(when, int) and when else ""
        lines.append(f"  Last notification {direction}: {text}{ago}")
    if state.get("last-error") and state.get("session-state") != "ESTABLISHED":
        lines.append(f"  Last error: {state['last-error']}")
    return lines


def _message_lines(state: dict[str, Any]) -> list[str]:
    sent = _get(state, "messages", "sent", default={}) or {}
    rcvd = _get(state, "messages", "received", default={}) or {}
    return [
        f"    {label:<15}{sent.get(key, 0):>10} {rcvd.get(key, 0):>10}"
        for label, key in MESSAGE_ROWS
    ]


def _support(local: bool, remote: bool) -> str:
    if local and remote:
        return "advertised and received"
    return "advertised" if local else "received"


def _caps(state: dict[str, Any], side: str) -> list[dict[str, Any]]:
    found = _get(state, "capabilities", side, default=[]) or []
    return [c for c in found if isinstance(c, dict)]


def capability_lines(state: dict[str, Any]) -> list[str]:
    """One block per capability code, in code order, as GoBGP prints them."""
    local, remote = _caps(state, "advertised"), _caps(state, "received")
    codes = sorted({int(c.get("code", 0)) for c in local + remote})
    lines: list[str] = []
    for code in codes:
        mine = [c for c in local if int(c.get("code", 0)) == code]
        theirs = [c for c in remote if int(c.get("code", 0)) == code]
        name = str((mine or theirs)[0].get("name", "UNKNOWN"))
        label = CAPABILITY_NAMES.get(name, f"unknown-capability-{code}")
        if name == "MPBGP":
            lines.append(f"    {label}:")
            lines += _family_lines(mine, theirs)
            continue
        lines.append(f"    {label}:\t{_support(bool(mine), bool(theirs))}")
        for side, caps in (("Local: ", mine), ("Remote:", theirs)):
            lines += [f"        {side} {text}" for text in map(cap_values, caps) if text]
    return lines


def _family_lines(mine: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> list[str]:
    local = [str(c.get("afi-safi")) for c in mine]
    remote = [str(c.get("afi-safi")) for c in theirs]
    families = sorted(set(local) | set(remote))
    return [f"        {f}:\t{_support(f in local, f in remote)}" for f in families]


def cap_values(cap: dict[str, Any]) -> str:
    """The values of one capability, for its Local/Remote line ('' when it has none)."""
    name = cap.get("name")
    if name == "EXTENDED_NEXTHOP":
        tuples = cap.get("tuples") or []
        return ", ".join(
            f"nlri: {t.get('afi-safi')}, nexthop: {t.get('nexthop-afi')}" for t in tuples
        )
    if name == "GRACEFUL_RESTART":
        families = ", ".join(str(f) for f in cap.get("afi-safis") or [])
        text = f"restart time {cap.get('restart-time', 0)} sec"
        return f"{text}, {families}" if families else text
    if name == "FQDN":
        return f"name: {cap.get('hostname', '')}, domain: {cap.get('domain', '')}".rstrip()
    if name == "UNKNOWN":
        return f"value: {cap.get('value', '')}"
    return ""


def global_text(glob: dict[str, Any]) -> str:
    """The ``peerwise global`` view (GoBGP's ``gobgp global``)."""
    values = {**(glob.get("config") or {}), **(glob.get("state") or {})}
    addresses = values.get("local-address-list") or ["0.0.0.0", "::"]
    return (
        f"AS:        {values.get('as', '')}\n"
        f"Router-ID: {values.get('router-id', '')}\n"
        f"Listening Port: {values.get('port', 179)}, Addresses: {', '.join(addresses)}\n"
    )


_KEY_PREDICATE = re.compile(r"\[[\w-]+:[\w-]+='([^']*)'\]")


def human_path(instance_path: str) -> str:
    """``/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='x']/...``
    -> ``bgp/neighbors/neighbor[x]/...`` (the model's way of naming a setting)."""
    text = _KEY_PREDICATE.sub(r"[\1]", instance_path)
    return re.sub(r"(^|/)[\w-]+:", r"\1", text).lstrip("/")
