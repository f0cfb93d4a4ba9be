# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NETCONF ``edit-config`` payloads from file-shape trees; standard library only.

The action plugins render a task into a payload on the controller (after checking it against
the model); the modules send it to the speaker's candidate datastore. A payload is the
``<bgp>`` element of the YANG module (namespace ``NAMESPACE``) in the nested tree NETCONF
carries: collapsed lists (``neighbors``) are expanded back into ``neighbors/neighbor`` with the
key leaf first, as RFC 7950 §7.8.5 asks of list entries.

Resource states become RFC 6241 §7.2 operations on elements, one table (``STATE_OPERATIONS``):
``replaced`` replaces each given entry, ``overridden`` replaces the lists themselves,
``deleted`` removes (``remove``: silently when absent, so a second run is a no-op).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

NAMESPACE = "urn:peerwise:yang:peerwise-bgp"
NETCONF_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
OPERATION = "{%s}operation" % NETCONF_BASE

# Collapsed list (file shape) -> (entry element, key leaf).
LISTS = {
    "neighbors": ("neighbor", "neighbor-address"),
    "afi-safis": ("afi-safi", "afi-safi-name"),
    "routes": ("route", "prefix"),
}

# Resource state -> {element name: operation} (RFC 6241 §7.2); merged is the default.
STATE_OPERATIONS = {
    "merged": {},
    "replaced": {"global": "replace", "neighbor": "replace", "route": "replace"},
    "overridden": {"global": "replace", "neighbors": "replace", "rib": "replace"},
    "deleted": {"neighbor": "remove", "route": "remove"},
}
# deleted without a config: every neighbor and every route (global is mandatory, it stays).
DELETE_ALL = ({"neighbors": [], "rib": {}}, {"neighbors": "remove", "rib": "remove"})


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# A list entry named by its key alone (what a remove names, RFC 6241 §7.2): {KEY_ONLY: value}.
KEY_ONLY = "@key"


def _add(parent, name, value):
    """Append ``value`` under ``parent`` as element(s) ``name``."""
    if name in LISTS and isinstance(value, list):
        entry_name, key = LISTS[name]
        container = ET.SubElement(parent, name)
        for item in value:
            entry = ET.SubElement(container, entry_name)
            if KEY_ONLY in item:
                ET.SubElement(entry, key).text = _text(item[KEY_ONLY])
                continue
            ET.SubElement(entry, key).text = _text((item.get("config") or {}).get(key))
            for child, sub in item.items():
                _add(entry, child, sub)
        return
    if isinstance(value, list):
        for item in value:
            ET.SubElement(parent, name).text = _text(item)
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for child, sub in value.items():
            _add(element, child, sub)
    else:
        element.text = _text(value)


def render(tree, operations=None):
    """The ``<bgp>`` element for a file-shape ``tree``; ``operations`` maps an element name
    (``neighbor``, ``afi-safis``, ``rib``) to the operation every such element carries."""
    ET.register_namespace("nc", NETCONF_BASE)
    bgp = ET.Element("bgp", {"xmlns": NAMESPACE})
    for name, value in tree.items():
        _add(bgp, name, value)
    for name, operation in (operations or {}).items():
        for element in bgp.iter(name):
            element.set(OPERATION, operation)
    return bgp


def to_string(element):
    return ET.tostring(element, encoding="unicode")


def key_only_entries(tree):
    """``tree`` with each neighbor and route reduced to its key (what ``deleted`` names)."""
    out = {}
    for entry in tree.get("neighbors") or []:
        key = (entry.get("config") or {}).get("neighbor-address")
        out.setdefault("neighbors", []).append({KEY_ONLY: key})
    for entry in (tree.get("rib") or {}).get("routes") or []:
        key = (entry.get("config") or {}).get("prefix")
        out.setdefault("rib", {"routes": []})["routes"].append({KEY_ONLY: key})
    return out


def state_payload(state, tree):
    """The payload text of a ``bgp_config`` state for a file-shape ``tree`` (None: no config)."""
    if state == "deleted":
        if not tree:
            return to_string(render(*DELETE_ALL))
        return to_string(render(key_only_entries(tree), STATE_OPERATIONS["deleted"]))
    if state == "overridden":
        tree = dict(tree)
        tree.setdefault("neighbors", [])
        tree.setdefault("rib", {})
    return to_string(render(tree, STATE_OPERATIONS[state]))


def neighbor_payload(entry, state="present", families_replace=False):
    """``bgp_neighbor``: merge one neighbor entry, or remove it (``state=absent``)."""
    if state == "absent":
        key = {KEY_ONLY: entry["config"]["neighbor-address"]}
        return to_string(render({"neighbors": [key]}, {"neighbor": "remove"}))
    operations = {"afi-safis": "replace"} if families_replace else {}
    return to_string(render({"neighbors": [entry]}, operations))


def route_payload(entry, state="present"):
    """``bgp_route``: replace one originated route (its attributes are the task's), or remove."""
    if state == "absent":
        key = {KEY_ONLY: entry["config"]["prefix"]}
        return to_string(render({"rib": {"routes": [key]}}, {"route": "remove"}))
    return to_string(render({"rib": {"routes": [entry]}}, {"route": "replace"}))


def global_payload(glob):
    return to_string(render({"global": glob}))
