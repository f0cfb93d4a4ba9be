# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic shared by the peerwise.bgp modules: no I/O, standard library only.

The speaker's data comes in the *file shape* (docs/ARCHITECTURE.md): RFC 7951 names, the
``bgp`` root dropped, ``neighbors`` and ``afi-safis`` as lists. This file turns that shape
into ``ansible_facts.bgp``, turns module options into the same shape ("want"), compares want
with what the speaker has ("have"), and renders the difference as the nested NETCONF
``<config>`` tree of the YANG module (namespace ``NAMESPACE``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

NAMESPACE = "urn:peerwise:yang:peerwise-bgp"
NETCONF_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"

# File-shape lists and the key leaf of their entries (collapsed container -> entry, key).
LISTS = {"neighbors": ("neighbor", "neighbor-address"), "afi-safis": ("afi-safi", "afi-safi-name")}

# Module option -> file-shape path below a neighbor entry.
NEIGHBOR_LEAVES = {
    "peer_as": ("config", "peer-as"),
    "description": ("config", "description"),
    "enabled": ("config", "enabled"),
    "auth_password": ("config", "auth-password"),
    "timers.connect_retry": ("timers", "config", "connect-retry"),
    "timers.hold_time": ("timers", "config", "hold-time"),
    "timers.keepalive_interval": ("timers", "config", "keepalive-interval"),
    "transport.local_address": ("transport", "config", "local-address"),
    "transport.passive_mode": ("transport", "config", "passive-mode"),
    "transport.remote_port": ("transport", "config", "remote-port"),
    "ebgp_multihop.enabled": ("ebgp-multihop", "config", "enabled"),
    "ebgp_multihop.multihop_ttl": ("ebgp-multihop", "config", "multihop-ttl"),
}

GLOBAL_LEAVES = {
    "as": ("config", "as"),
    "router_id": ("config", "router-id"),
    "port": ("config", "port"),
    "listen_addresses": ("config", "local-address-list"),
}


def dig(tree, path, default=None):
    """``tree[p0][p1]…`` or ``default`` when a step is missing."""
    for step in path:
        if not isinstance(tree, dict) or step not in tree:
            return default
        tree = tree[step]
    return tree


def option(params, dotted):
    """The value of a (possibly nested, dotted) module option, None when unset."""
    return dig(params, dotted.split("."))


def put(tree, path, value):
    for step in path[:-1]:
        tree = tree.setdefault(step, {})
    tree[path[-1]] = value


def find_neighbor(config, address):
    for entry in config.get("neighbors") or []:
        if dig(entry, ("config", "neighbor-address")) == address:
            return entry
    return None


# ---- want / have ---------------------------------------------------------------------------


def leaf_changes(leaves, params, have):
    """[(path, before, after)] for every option set in ``params`` that differs from ``have``."""
    changes = []
    for name, path in leaves.items():
        want = option(params, name)
        if want is None:
            continue
        before = dig(have, path)
        if before != want:
            changes.append((path, before, want))
    return changes


def afi_safi_names(entry):
    return sorted(
        dig(f, ("config", "afi-safi-name"))
        for f in (entry or {}).get("afi-safis") or []
        if dig(f, ("config", "enabled"), True)
    )


def neighbor_plan(params, config):
    """What ``bgp_neighbor`` must do: ``(action, changes)``; action is none|merge|delete.

    ``changes`` lists ``(path, before, after)``; ``("afi-safis",)`` replaces the family list.
    """
    have = find_neighbor(config, params["neighbor_address"])
    if params.get("state") == "absent":
        return ("delete", []) if have is not None else ("none", [])
    if have is None and params.get("peer_as") is None:
        raise ValueError(
            "peer_as is required to create neighbor {}".format(params["neighbor_address"])
        )
    changes = leaf_changes(NEIGHBOR_LEAVES, params, have or {})
    if params.get("afi_safis") is not None:
        want = sorted(params["afi_safis"])
        before = afi_safi_names(have)
        if want != before:
            changes.append((("afi-safis",), before, want))
    return ("merge", changes) if changes else ("none", [])


def global_plan(params, config):
    """What ``bgp_global`` must change: [(path, before, after)]."""
    want = dict(params)
    if want.get("listen_addresses") is not None:
        want["listen_addresses"] = list(want["listen_addresses"])
    return leaf_changes(GLOBAL_LEAVES, want, config.get("global") or {})


def apply_changes(before, changes):
    """``before`` with ``changes`` applied (for diff mode's ``after``)."""
    after = _copy(before or {})
    for path, _old, new in changes:
        if path == ("afi-safis",):
            after["afi-safis"] = [{"config": {"afi-safi-name": n, "enabled": True}} for n in new]
        else:
            put(after, path, new)
    return after


def _copy(tree):
    if isinstance(tree, dict):
        return {k: _copy(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_copy(v) for v in tree]
    return tree


def mask_secrets(tree):
    """A copy of a neighbor entry with ``auth-password`` hidden."""
    out = _copy(tree)
    if dig(out, ("config", "auth-password")) is not None:
        out["config"]["auth-password"] = "********"
    return out


# ---- NETCONF payloads -----------------------------------------------------------------------


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _add(parent, name, value):
    """Append ``value`` under ``parent`` as element(s) ``name`` (the nested YANG tree)."""
    if name in LISTS and isinstance(value, list):
        entry_name, key = LISTS[name]
        container = ET.SubElement(parent, name)
        for item in value:
            entry = ET.SubElement(container, entry_name)
            ET.SubElement(entry, key).text = _text(dig(item, ("config", key)))
            for child, sub in item.items():
                _add(entry, child, sub)
        return container
    if isinstance(value, list):
        for item in value:
            ET.SubElement(parent, name).text = _text(item)
        return None
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for child, sub in value.items():
            _add(element, child, sub)
    else:
        element.text = _text(value)
    return element


def config_element(body, operation=None, list_operation=None):
    """``<bgp xmlns=NAMESPACE>…``, the content of edit-config's ``<config>``, for ``body``.

    ``operation`` goes on each neighbor entry (``delete``); ``list_operation`` maps a
    collapsed list name to the operation on its container (``{"afi-safis": "replace"}``).
    """
    ET.register_namespace("nc", NETCONF_BASE)
    bgp = ET.Element("bgp", {"xmlns": NAMESPACE})
    for name, value in body.items():
        _add(bgp, name, value)
    op_attr = f"{{{NETCONF_BASE}}}operation"
    if operation:
        for entry in bgp.iter("neighbor"):
            entry.set(op_attr, operation)
    for name, op in (list_operation or {}).items():
        for container in bgp.iter(name):
            container.set(op_attr, op)
    return bgp


def neighbor_payload(address, action, changes):
    """The ``<bgp>`` element that applies a neighbor plan (see :func:`neighbor_plan`)."""
    if action == "delete":
        # A delete names the entry by its key alone (RFC 6241 §7.2).
        bgp = config_element({"neighbors": [{}]}, operation="delete")
        bgp.find("neighbors/neighbor/neighbor-address").text = address
        return bgp
    entry = {"config": {"neighbor-address": address}}
    lists = {}
    for path, _old, new in changes:
        if path == ("afi-safis",):
            entry["afi-safis"] = [{"config": {"afi-safi-name": n, "enabled": True}} for n in new]
            lists["afi-safis"] = "replace"
        else:
            put(entry, path, new)
    return config_element({"neighbors": [entry]}, list_operation=lists)


def global_payload(changes):
    body = {}
    for path, _old, new in changes:
        put(body, ("global", *tuple(path)), new)
    return config_element(body)


def to_string(element):
    return ET.tostring(element, encoding="unicode")


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
