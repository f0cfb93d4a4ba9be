# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic shared by the peerwise.bgp modules: no I/O, standard library only.

The speaker's data comes in the *file shape* (docs/ARCHITECTURE.md): RFC 7951 names, the
``bgp`` root dropped, ``neighbors``, ``afi-safis`` and ``rib.routes`` as lists. This file turns
that shape into ``ansible_facts.bgp`` and into module options (``config`` containers
flattened, names in snake case: the inverse of what the action plugins check and render),
finds one entry of a list, and lists the leaves two trees differ in (the ``changes`` result).
Payloads are rendered by peerwise_payload.py.
"""

from __future__ import annotations

# Collapsed list (file shape) -> its key leaf.
KEYS = {"neighbors": "neighbor-address", "afi-safis": "afi-safi-name", "routes": "prefix"}
SECRETS = frozenset({"auth-password"})
MASK = "********"


def dig(tree, path, default=None):
    """``tree[p0][p1]…`` or ``default`` when a step is missing."""
    for step in path:
        if not isinstance(tree, dict) or step not in tree:
            return default
        tree = tree[step]
    return tree


def find_entry(entries, key, value):
    for entry in entries or []:
        if dig(entry, ("config", key)) == value:
            return entry
    return None


def find_neighbor(config, address):
    return find_entry(config.get("neighbors"), "neighbor-address", address)


def find_route(config, prefix):
    return find_entry(dig(config, ("rib", "routes")), "prefix", prefix)


def to_options(tree):
    """File shape -> module options: ``config`` leaves lifted into their parent, snake case."""
    if isinstance(tree, list):
        return [to_options(item) for item in tree]
    if not isinstance(tree, dict):
        return tree
    out = {}
    for name, value in tree.items():
        if name == "config" and isinstance(value, dict):
            out.update((snake(k), v) for k, v in value.items())
        else:
            out[snake(name)] = to_options(value)
    return out


def mask_secrets(tree):
    """A copy of ``tree`` with every secret leaf (``auth-password``) masked."""
    if isinstance(tree, list):
        return [mask_secrets(item) for item in tree]
    if not isinstance(tree, dict):
        return tree
    return {k: MASK if k in SECRETS else mask_secrets(v) for k, v in tree.items()}


def _leaves(tree, prefix=""):
    """{dotted path: value} of every leaf; list entries are named by their key."""
    out = {}
    for name, value in (tree or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        if name in KEYS and isinstance(value, list):
            for entry in value:
                key = dig(entry, ("config", KEYS[name]))
                out.update(_leaves(entry, f"{path}[{key}]"))
        elif isinstance(value, dict):
            out.update(_leaves(value, path))
        else:
            out[path] = value
    return out


def tree_changes(before, after):
    """[{path, before, after}] for every leaf that differs (None: absent), secrets masked."""
    old, new = _leaves(mask_secrets(before)), _leaves(mask_secrets(after))
    return [
        {"path": path, "before": old.get(path), "after": new.get(path)}
        for path in sorted(set(old) | set(new))
        if old.get(path) != new.get(path)
    ]


def afi_safi_names(entry):
    return sorted(
        dig(f, ("config", "afi-safi-name"))
        for f in (entry or {}).get("afi-safis") or []
        if dig(f, ("config", "enabled"), True)
    )


# ---- facts ----------------------------------------------------------------------------------

_CAP_NAMES = ("advertised", "received")


def snake(name):
    return name.replace("-", "_").lower()


def snake_tree(tree):
    if isinstance(tree, dict):
        return {snake(k): snake_tree(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [snake_tree(v) for v in tree]
    return tree


def families(caps):
    return sorted({c.get("afi-safi") for c in caps or [] if c.get("name") == "MPBGP"} - {None})


def neighbor_facts(entry):
    """One neighbor's facts, from its file-shape entry with ``state`` containers."""
    state = entry.get("state") or {}
    timers = entry.get("timers") or {}
    caps = state.get("capabilities") or {}
    advertised, received = (caps.get(k) or [] for k in _CAP_NAMES)
    negotiated = sorted(state.get("supported-capabilities") or [])
    leaves = dict(entry.get("config") or {})
    leaves.update(state)
    facts = {
        snake(k): v
        for k, v in leaves.items()
        if k not in ("capabilities", "supported-capabilities", "messages", "prefixes")
    }
    facts.update(
        {
            "hold_time": {
                "configured": dig(
                    timers, ("config", "hold-time"), dig(timers, ("state", "hold-time"))
                ),
                "negotiated": dig(timers, ("state", "negotiated-hold-time")),
            },
            "keepalive_interval": {
                "configured": dig(timers, ("config", "keepalive-interval")),
                "negotiated": dig(timers, ("state", "keepalive-interval")),
            },
            "capabilities": {
                "advertised": sorted({c.get("name") for c in advertised}),
                "received": sorted({c.get("name") for c in received}),
                "negotiated": negotiated,
                "detail": snake_tree(caps),
            },
            "afi_safis": {
                "configured": afi_safi_names(entry),
                "negotiated": sorted(set(families(advertised)) & set(families(received))),
            },
            "four_octet_as": "ASN32" in negotiated,
            "route_refresh": "ROUTE_REFRESH" in negotiated,
            "messages": snake_tree(state.get("messages") or {}),
            "prefixes": snake_tree(state.get("prefixes") or {}),
            "transport": snake_tree(dig(entry, ("transport", "state"), {})),
        }
    )
    return facts


def bgp_facts(tree):
    """``ansible_facts.bgp`` from the speaker's state tree (file shape)."""
    glob = tree.get("global") or {}
    settings = dict(glob.get("config") or {})
    settings.update(glob.get("state") or {})
    neighbors = {}
    for entry in tree.get("neighbors") or []:
        address = dig(entry, ("config", "neighbor-address")) or dig(
            entry, ("state", "neighbor-address")
        )
        neighbors[address] = neighbor_facts(entry)
    established = [a for a, n in neighbors.items() if n.get("session_state") == "ESTABLISHED"]
    return {
        "global": snake_tree(settings),
        "neighbors": neighbors,
        "established": sorted(established),
    }
