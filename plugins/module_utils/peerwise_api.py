# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' session with the local speaker: the speaker's own NETCONF client (generated
into netconf_client.py by tools/sync_module_utils.py) plus reply parsing and clean failures.

Every change goes through the candidate datastore (RFC 6241 §8.3), in one transaction
(:meth:`Api.apply`): lock the candidate, edit it with the payload the action plugin rendered,
read back what running would become, and ask the speaker which sessions that costs
(``validate`` answers the ``<impact>`` the model declares, docs/NETCONF.md). Then commit — or,
in check mode or when nothing would change, discard. Check mode therefore predicts with the
speaker's own merge, defaults and validation, not with a copy of them.

An unreachable socket fails the task with one clear sentence; an ``<rpc-error>`` fails it
with the error's path and message, and leaves running as it was; neither shows a traceback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from contextlib import contextmanager, suppress

from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp
from ansible_collections.peerwise.bgp.plugins.module_utils.netconf_client import (
    DEFAULT_SOCKET,
    PW_NS,
    NetconfClient,
    NetconfError,
    impact,
)

__all__ = ["DEFAULT_SOCKET", "Api", "Outcome", "connect", "file_shape"]

FILTER = f'<bgp xmlns="{PW_NS}"/>'

# Collapsed lists: entry element -> the file shape's list name.
ENTRIES = {"neighbor": "neighbors", "afi-safi": "afi-safis", "route": "routes"}
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
        ("config", "communities"),
        ("config", "large-communities"),
    }
)
# Containers: an empty one is an empty dict, not an empty string.
CONTAINERS = frozenset(
    {"rib", "global", "config", "timers", "transport", "ebgp-multihop", "apply-policy"}
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
        nested = len(child) or name in CONTAINERS
        value = file_shape(child) if nested else _scalar(name, child.text)
        if (parent, name) in REPEATED:
            entries = out.setdefault(name, [])
            if len(child) or (child.text or "").strip():
                entries.append(value)  # an empty element stands for an empty list
        else:
            out[name] = value
    # The list key is repeated inside each entry's config; the entry's own copy is dropped.
    for key in ("neighbor-address", "afi-safi-name", "prefix"):
        if key in out and isinstance(out.get("config"), dict):
            out["config"].setdefault(key, out.pop(key))
    return out


def reply_tree(reply):
    """The file shape of the ``<bgp>`` inside an ``<rpc-reply><data>``; {} when empty."""
    root = ET.fromstring(reply)
    for element in root.iter(f"{{{PW_NS}}}bgp"):
        return file_shape(element)
    return {}


class Outcome:
    """What a change did (or, in check mode, would do): the speaker's whole config before and
    after (file shape, as configured), whether they differ, and the ``<impact>``."""

    def __init__(self, before, after, changed, cost, payload=""):
        self.before = before
        self.after = after
        self.changed = changed
        self.impact = cost
        self.payload = payload

    def module_result(self, module, scope):
        """:meth:`result` plus ``commands``; ``diff`` only in diff mode."""
        result = self.result(scope, module.check_mode)
        result["commands"] = [self.payload] if self.changed else []
        if not module._diff:
            del result["diff"]
        return result

    def result(self, scope, check_mode):
        """The module result for the part of the tree ``scope(tree)`` picks."""
        before, after = scope(self.before), scope(self.after)
        reset = self.impact.get("session-reset", [])
        result = dict(
            changed=self.changed,
            before=bgp.mask_secrets(before),
            after=bgp.mask_secrets(after),
            changes=bgp.tree_changes(before or {}, after or {}),
            impact=self.impact,
            reset_sessions=reset,
        )
        verb = "would reset" if check_mode else "reset"
        result["diff"] = dict(
            before=result["before"] or {},
            after=result["after"] or {},
            before_header="running",
            after_header="{0} ({1} sessions: {2})".format(
                "candidate" if check_mode else "running",
                verb,
                ", ".join(reset) if reset else "none",
            ),
        )
        return result


class Api:
    """What the modules ask of the speaker."""

    def __init__(self, module, client):
        self.module = module
        self.client = client

    def state(self):
        return reply_tree(self._call(self.client.get, FILTER))

    def running(self):
        return reply_tree(self._call(self.client.get_config, "running", FILTER))

    def config(self, source, with_defaults=None):
        return reply_tree(self._call(self.client.get_config, source, FILTER, with_defaults))

    def apply(self, payload, check_mode):
        """Run ``payload`` through the candidate; commit unless ``check_mode``. -> Outcome."""
        self._call(self.client.lock, "candidate")
        try:
            before = self.config("running")
            self._call(self.client.edit_config, "candidate", payload)
            after = self.config("candidate")
            full = [self.config(s, "report-all") for s in ("running", "candidate")]
            if full[0] == full[1]:
                return Outcome(before, before, False, {}, payload)
            ask = self.client.validate if check_mode else self.client.commit
            return Outcome(before, after, True, impact(self._call(ask)), payload)
        finally:
            self._release()

    def _release(self):
        """Drop what the candidate still holds (RFC 6241 §8.3.4.2) and the lock."""
        for call in (self.client.discard_changes, lambda: self.client.unlock("candidate")):
            with suppress(NetconfError, OSError, ET.ParseError):
                call()

    def _call(self, method, *args):
        try:
            return method(*args)
        except NetconfError as exc:
            self.module.fail_json(msg=f"speaker refused: {exc.describe()}", errors=exc.errors)
        except (OSError, ET.ParseError) as exc:
            self.module.fail_json(msg=f"lost the speaker at {self.client.path}: {exc}")
        return None


def payload_or_fail(module):
    """The payload the action plugin rendered; a clear failure when the module ran without."""
    payload = module.params.get("payload")
    if not payload:
        module.fail_json(
            msg="no payload: this module runs through its action plugin, which checks the "
            "options against the model and renders the payload (call it by its FQCN)"
        )
    return payload


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
