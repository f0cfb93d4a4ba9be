# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' session with the local speaker: the speaker's own NETCONF client (generated
into netconf_client.py by tools/sync_module_utils.py) plus reply parsing and clean failures.

An unreachable socket fails the task with one clear sentence; an ``<rpc-error>`` fails it
with the error's path and message; neither shows a traceback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from contextlib import contextmanager

from ansible_collections.peerwise.bgp.plugins.module_utils.netconf_client import (
    DEFAULT_SOCKET,
    PW_NS,
    NetconfClient,
    NetconfError,
)

__all__ = ["DEFAULT_SOCKET", "Api", "connect", "describe", "file_shape"]

FILTER = f'<bgp xmlns="{PW_NS}"/>'

# Collapsed lists: entry element -> the file shape's list name.
ENTRIES = {"neighbor": "neighbors", "afi-safi": "afi-safis"}
# Elements that repeat (leaf-lists, keyless lists) by (parent, name): lists even when single.
REPEATED = frozenset(
    {
        ("config", "local-address-list"),
        ("state", "local-address-list"),
        ("state", "supported-capabilities"),
        ("capabilities", "advertised"),
        ("capabilities", "received"),
        ("advertised", "tuples"),
        ("received", "tuples"),
        ("advertised", "afi-safis"),
        ("received", "afi-safis"),
    }
)
STRINGS = frozenset(
    {"description", "value", "hostname", "domain", "text", "last-error", "name", "auth-password"}
)


def _local(tag):
    return tag.rpartition("}")[2]


def _scalar(name, text):
    text = (text or "").strip()
    if name in STRINGS:
        return text
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit() and not (len(text) > 1 and text.startswith("0")):
        return int(text)
    return text


def file_shape(element):
    """The file shape (docs/ARCHITECTURE.md) of a nested-tree element such as ``<bgp>``."""
    out = {}
    parent = _local(element.tag)
    for child in element:
        name = _local(child.tag)
        if name in ENTRIES.values() and (parent, name) not in REPEATED:
            out[name] = [file_shape(entry) for entry in child]
            continue
        value = file_shape(child) if len(child) else _scalar(name, child.text)
        if (parent, name) in REPEATED:
            entries = out.setdefault(name, [])
            if len(child) or (child.text or "").strip():
                entries.append(value)  # an empty element stands for an empty list
        else:
            out[name] = value
    # The list key is repeated inside each entry's config; the entry's own copy is dropped.
    for key in ("neighbor-address", "afi-safi-name"):
        if key in out and isinstance(out.get("config"), dict):
            out["config"].setdefault(key, out.pop(key))
    return out


def reply_tree(reply):
    """The file shape of the ``<bgp>`` inside an ``<rpc-reply><data>``; {} when empty."""
    root = ET.fromstring(reply)
    for element in root.iter(f"{{{PW_NS}}}bgp"):
        return file_shape(element)
    return {}


def describe(changes):
    return [
        {"path": "/".join(path), "before": before, "after": after}
        for path, before, after in changes
    ]


class Api:
    """What the modules ask of the speaker."""

    def __init__(self, module, client):
        self.module = module
        self.client = client

    def state(self):
        return reply_tree(self._call(self.client.get, FILTER))

    def running(self):
        return reply_tree(self._call(self.client.get_config, "running", FILTER))

    def edit(self, bgp_xml):
        return self._call(self.client.edit_config, "running", bgp_xml)

    def _call(self, method, *args):
        try:
            return method(*args)
        except NetconfError as exc:
            self.module.fail_json(msg=f"speaker refused: {exc.describe()}", errors=exc.errors)
        except (OSError, ET.ParseError) as exc:
            self.module.fail_json(msg=f"lost the speaker at {self.client.path}: {exc}")
        return None


@contextmanager
def connect(module):
    """An :class:`Api` on ``module.params['api_socket']``; fails the task when unreachable."""
    path = module.params["api_socket"]
    try:
        client = NetconfClient(path)
    except (OSError, ET.ParseError) as exc:
        module.fail_json(
            msg=f"{exc} (is peerwised running? role peerwise.bgp.speaker starts it)",
            api_socket=path,
        )
    try:
        yield Api(module, client)
    finally:
        client.close()
