"""Data operations: get, get-config, edit-config, validate (RFC 6241 §7.1, §7.2, §7.7, §8.6).

Edits run under the agent's edit lock: read the target datastore, apply the edit to a copy
(:mod:`peerwise.mgmt.edit`), check list keys, validate with the model; then the candidate is
replaced, or running is written through :meth:`NetconfAgent.write_running` (persist, apply the
difference). An edit that fails at any step leaves every datastore as it was: all edits are
all-or-nothing, which is ``rollback-on-error`` (RFC 6241 §8.5) whatever ``error-option`` says.
"""

from __future__ import annotations

from peerwise.mgmt import message, tree
from peerwise.mgmt.agent import Caller
from peerwise.mgmt.edit import DEFAULT_OPERATIONS, edited
from peerwise.mgmt.impact import impact_body
from peerwise.mgmt.params import (
    DEFAULT_MODE,
    OK,
    WITH_DEFAULTS,
    Body,
    Params,
    config_edit,
    datastore,
    option,
    subtree,
)
from peerwise.mgmt.subtree import apply_filter
from peerwise.mgmt.withdefaults import report, trim

TEST_OPTIONS = frozenset({"test-then-set", "set", "test-only"})  # RFC 6241 §8.6.4
ERROR_OPTIONS = frozenset({"stop-on-error", "continue-on-error", "rollback-on-error"})


def _select(data: tree.Tree, params: Params, op: str) -> Body:
    filtered, flt = subtree(params, op)
    if not filtered:
        return message.data_body(data)
    selected = apply_filter({"bgp": data}, flt)
    bgp = selected.get("bgp") if selected else None
    return message.data_body(bgp if isinstance(bgp, dict) else None)


def _mode(params: Params, op: str) -> str:
    return option(params, op, "with-defaults", WITH_DEFAULTS, DEFAULT_MODE)


async def get(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.7: configuration and state (``trim`` drops defaults; else in use)."""
    filtered, flt = subtree(params, "get")
    # The RIB reads the filter before it renders a route (session/ribstate.py: 1M paths).
    state = caller.agent.server.state_view(flt if filtered else None)
    if _mode(params, "get") == "trim":
        state = trim(state)
    return _select(tree.to_nested(state), params, "get")


async def get_config(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.1, with RFC 6243 with-defaults."""
    agent = caller.agent
    source = agent.datastore(datastore(params, "source", "get-config"))
    shown = report(source, _mode(params, "get-config"), agent.complete)
    return _select(tree.to_nested(shown), params, "get-config")


async def edit_config(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.2 on running or candidate, with test-option (RFC 6241 §8.6.4)."""
    target = datastore(params, "target", "edit-config")
    default_op = option(params, "edit-config", "default-operation", DEFAULT_OPERATIONS, "merge")
    test_option = option(params, "edit-config", "test-option", TEST_OPTIONS, "test-then-set")
    option(params, "edit-config", "error-option", ERROR_OPTIONS, "stop-on-error")
    edit = config_edit(params)
    agent = caller.agent
    agent.check_unlocked(target, caller.session_id)
    async with agent.edit_lock:
        new = edited(agent.datastore(target), edit, default_op)
        if test_option != "set":
            agent.problems(new)
        if test_option == "test-only":
            return {**OK, **impact_body(agent.running, new)}
        if target == "running":
            await agent.write_running(new)
        else:
            agent.candidate = new
    return OK


async def validate(caller: Caller, params: Params) -> Body:
    """RFC 6241 §8.6: validate running, candidate or an inline ``<config>``; report impact."""
    agent = caller.agent
    source = params.get("source")
    kids = dict((message.split_name(k)[1], v) for k, v in message.children(source))
    if "config" in kids:
        new = edited({}, config_edit({"config": kids["config"]}), "merge")
    else:
        new = agent.datastore(datastore(params, "source", "validate"))
    agent.problems(new)
    return {**OK, **impact_body(agent.running, new)}
