"""Whole-datastore operations: copy-config and delete-config (RFC 6241 §7.3, §7.4).

``copy-config`` replaces the whole target (``running`` or ``candidate``) with the source:
the other datastore or an inline ``<config>`` (RFC 6241 §7.3). The new config is validated
with the model whatever the target; to ``running`` it goes through the agent's one write path
(:meth:`~peerwise.mgmt.agent.NetconfAgent.write_running`: persist, apply the difference), as
a commit does, and the reply carries the ``<impact>``. A target locked by another session is
``in-use``; a failure at any step leaves every datastore as it was.

``delete-config`` of ``running`` is refused (RFC 6241 §7.4). The candidate always exists
(RFC 6241 §8.3), so deleting it means: it holds running again, like ``discard-changes``.
RFC 6241 lists neither ``<candidate/>`` as a delete-config target (§8.3.5.1, Appendix C) nor
forbids it; docs/NETCONF.md records this choice.

No ``:url`` capability (RFC 6241 §8.8): a ``<url>`` source or target is operation-not-supported.
"""

from __future__ import annotations

from typing import Any

from peerwise.mgmt import message
from peerwise.mgmt.agent import Caller, Config
from peerwise.mgmt.edit import edited
from peerwise.mgmt.errors import ErrorTag, ErrorType, RpcError, rpc_error
from peerwise.mgmt.impact import impact_body
from peerwise.mgmt.params import OK, Body, Params, config_edit, datastore, rpc_path

INLINE = "config"  # the source is the <config> given in the request (RFC 6241 §7.3)


def _choice(params: Params, where: str, op: str) -> dict[str, Any]:
    """The children of ``<source>``/``<target>`` by local name; ``<url>`` refused."""
    kids = {message.split_name(k): v for k, v in message.children(params.get(where))}
    if ("nc", "url") in kids:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.OPERATION_NOT_SUPPORTED,
            f"<url> {where}: the :url capability is not offered (RFC 6241 §8.8)",
            rpc_path(op, where, "url"),
        )
    return {name: value for (ns, name), value in kids.items() if ns == "nc"}


def _source(params: Params) -> tuple[str, Config | None]:
    """(datastore name or INLINE, the inline config when INLINE)."""
    kids = _choice(params, "source", "copy-config")
    if INLINE in kids and len(kids) == 1:
        return INLINE, edited({}, config_edit({"config": kids[INLINE]}), "merge")
    return datastore(params, "source", "copy-config"), None


def _same(name: str) -> RpcError:
    """RFC 6241 §7.3: source and target naming one datastore MUST be invalid-value."""
    return rpc_error(
        ErrorType.PROTOCOL,
        ErrorTag.INVALID_VALUE,
        f"source and target are both {name}: nothing to copy",
        rpc_path("copy-config", "target"),
    )


async def copy_config(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.3: replace ``running`` or ``candidate`` with a datastore or inline config."""
    agent, sid = caller.agent, caller.session_id
    _choice(params, "target", "copy-config")
    target = datastore(params, "target", "copy-config")
    source, inline = _source(params)
    if source == target:
        raise _same(target)
    agent.check_unlocked(target, sid)
    async with agent.edit_lock:
        new = inline if inline is not None else agent.datastore(source)
        agent.problems(new)
        if target == "candidate":
            agent.candidate = None if new == agent.running else new
            return OK
        old = agent.datastore("running")
        await agent.write_running(new)
        if agent.candidate == agent.running:
            agent.candidate = None  # candidate -> running: nothing left uncommitted
    return {**OK, **impact_body(old, new)}


async def delete_config(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.4; the candidate is reset to running (see the module doc)."""
    _choice(params, "target", "delete-config")
    target = datastore(params, "target", "delete-config")
    if target == "running":
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            "the running datastore cannot be deleted (RFC 6241 §7.4)",
            rpc_path("delete-config", "target"),
        )
    caller.agent.check_unlocked(target, caller.session_id)
    caller.agent.candidate = None
    return OK
