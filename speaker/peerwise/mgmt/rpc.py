"""RPC operations (RFC 6241 §7), one handler per row of :data:`OPERATIONS`.

A handler takes the session and the operation's parameters (children of the operation element,
by local name, already checked against the row's ``params``) and returns the body of the
``<rpc-reply>``: ``{"ok": None}`` or ``{"data": ...}``. It reports failure by raising
:class:`~peerwise.mgmt.errors.RpcError`.

Edits run under the agent's edit lock: read running, apply the edit to a copy
(:mod:`peerwise.mgmt.edit`), validate it with the model, then ``await server.apply(new)``. An
edit that fails at any step leaves the running config as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peerwise.mgmt import message, tree
from peerwise.mgmt.edit import DEFAULT_OPERATIONS, apply_edit
from peerwise.mgmt.errors import ErrorTag, ErrorType, RpcError, RpcErrorInfo, rpc_error
from peerwise.mgmt.subtree import apply_filter

if TYPE_CHECKING:
    from peerwise.mgmt.session import NetconfSession

Params = dict[str, Any]
Body = dict[str, Any]
Handler = Callable[["NetconfSession", Params], Awaitable[Body]]
OK: Body = {"ok": None}
TEST_OPTIONS = frozenset({"test-then-set", "set", "test-only"})  # RFC 6241 §8.6.4
ERROR_OPTIONS = frozenset({"stop-on-error", "continue-on-error", "rollback-on-error"})
DATASTORES = frozenset({"running"})


@dataclass(frozen=True)
class Operation:
    handler: Handler
    params: frozenset[str]
    required: frozenset[str] = frozenset()


def _path(*names: str) -> str:
    return "".join(f"/nc:{name}" for name in ("rpc", *names))


def _datastore(params: Params, where: str, op: str) -> str:
    """The datastore named by ``<source>``/``<target>`` (RFC 6241 §7.1): only running."""
    kids = message.children(params.get(where))
    names = [message.split_name(k) for k, _ in kids]
    if len(names) != 1 or names[0][0] != "nc" or names[0][1] not in DATASTORES:
        given = ", ".join(n for _, n in names) or "nothing"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{where} must be <running/>, got {given}",
            _path(op, where),
        )
    return names[0][1]


def _filter(params: Params, op: str) -> tuple[bool, Any]:
    """(filtered?, subtree filter as a nested tree) (RFC 6241 §6)."""
    if "filter" not in params:
        return False, None
    raw = params["filter"]
    kind = message.attributes(raw).get("type", "subtree")
    if kind != "subtree":
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.OPERATION_NOT_SUPPORTED,
            f"filter type {kind!r} is not supported (only subtree)",
            _path(op, "filter"),
        )
    return True, message.data_tree(raw, "", parent="")


def _select(data: tree.Tree, params: Params, op: str) -> Body:
    filtered, flt = _filter(params, op)
    if not filtered:
        return message.data_body(data)
    selected = apply_filter({"bgp": data}, flt)
    bgp = selected.get("bgp") if selected else None
    return message.data_body(bgp if isinstance(bgp, dict) else None)


async def get(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.7: configuration and state."""
    return _select(tree.to_nested(session.agent.server.state_tree()), params, "get")


async def get_config(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.1."""
    _datastore(params, "source", "get-config")
    return _select(tree.to_nested(session.agent.server.running_config()), params, "get-config")


def _config_edit(params: Params) -> Any:
    """The content of ``<config>``: the edit to the children of ``<bgp>``."""
    content = message.data_tree(params.get("config"), "", parent="")
    if content is None:
        return None
    unknown = [name for name in content if name != "bgp"] if isinstance(content, dict) else []
    if unknown or not isinstance(content, dict):
        name = unknown[0] if unknown else "config"
        raise rpc_error(
            ErrorType.APPLICATION,
            ErrorTag.UNKNOWN_ELEMENT,
            f"unknown element {name!r}: the data root is <bgp>",
            f"/pw-bgp:{name}",
            bad_element=name,
        )
    return content["bgp"]


def _option(params: Params, name: str, allowed: frozenset[str], default: str) -> str:
    value = message.text(params[name]).strip() if name in params else default
    if value not in allowed:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{name} {value!r} is not one of {', '.join(sorted(allowed))}",
            _path("edit-config", name),
        )
    return value


async def edit_config(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.2, on the running datastore (RFC 6241 §8.6 test-option)."""
    _datastore(params, "target", "edit-config")
    default_op = _option(params, "default-operation", DEFAULT_OPERATIONS, "merge")
    test_option = _option(params, "test-option", TEST_OPTIONS, "test-then-set")
    _option(params, "error-option", ERROR_OPTIONS, "stop-on-error")  # edits are all-or-nothing
    edit = _config_edit(params)
    agent = session.agent
    agent.check_unlocked("running", session.session_id)
    async with agent.edit_lock:
        current = tree.to_nested(agent.server.running_config())
        new = tree.coerce(tree.to_file_shape(apply_edit(current, edit, default_op)))
        await agent.check(new, apply=test_option != "test-only")
    return OK


async def validate(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §8.6: validate running or an inline ``<config>``."""
    source = params.get("source")
    kids = dict((message.split_name(k)[1], v) for k, v in message.children(source))
    if "config" in kids:
        edit = _config_edit({"config": kids["config"]})
        new = apply_edit({}, edit, "merge")
        await session.agent.check(tree.coerce(tree.to_file_shape(new)), apply=False)
        return OK
    _datastore(params, "source", "validate")
    await session.agent.check(session.agent.server.running_config(), apply=False)
    return OK


async def lock(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.5."""
    session.agent.lock(_datastore(params, "target", "lock"), session.session_id)
    return OK


async def unlock(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.6."""
    session.agent.unlock(_datastore(params, "target", "unlock"), session.session_id)
    return OK


async def close_session(session: NetconfSession, params: Params) -> Body:
    """RFC 6241 §7.8: reply ok, then the session ends."""
    session.closing = True
    return OK


OPERATIONS: dict[str, Operation] = {
    "get": Operation(get, frozenset({"filter"})),
    "get-config": Operation(get_config, frozenset({"source", "filter"}), frozenset({"source"})),
    "edit-config": Operation(
        edit_config,
        frozenset({"target", "default-operation", "test-option", "error-option", "config"}),
        frozenset({"target", "config"}),
    ),
    "validate": Operation(validate, frozenset({"source"}), frozenset({"source"})),
    "lock": Operation(lock, frozenset({"target"}), frozenset({"target"})),
    "unlock": Operation(unlock, frozenset({"target"}), frozenset({"target"})),
    "close-session": Operation(close_session, frozenset()),
}
# Operations of RFC 6241 that this server does not offer (operation-not-supported, not unknown).
NOT_SUPPORTED = frozenset(
    {"copy-config", "delete-config", "kill-session", "commit", "discard-changes", "cancel-commit"}
)


async def dispatch(session: NetconfSession, rpc: Any) -> Body:
    """The reply body for the content of one ``<rpc>``; raises RpcError."""
    ops = message.children(rpc)
    if len(ops) != 1:
        what = "no operation" if not ops else f"{len(ops)} operations"
        raise rpc_error(
            ErrorType.RPC,
            ErrorTag.MISSING_ELEMENT if not ops else ErrorTag.BAD_ELEMENT,
            f"<rpc> holds {what}; expected exactly one",
            _path(),
            bad_element="rpc",
        )
    ((qualified, body),) = ops
    ns, name = message.split_name(qualified)
    operation = _lookup(ns, name)
    params = _params(body, name, operation)
    return await operation.handler(session, params)


def _lookup(ns: str, name: str) -> Operation:
    if ns != "nc":
        uri = message.namespace_uri(ns) or "(none)"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.UNKNOWN_NAMESPACE,
            f"operation {name!r} in unknown namespace {uri!r}",
            _path(),
            bad_element=name,
            bad_namespace=uri,
        )
    if name in NOT_SUPPORTED:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.OPERATION_NOT_SUPPORTED,
            f"operation {name!r} is not supported",
            _path(name),
        )
    if name not in OPERATIONS:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.UNKNOWN_ELEMENT,
            f"unknown operation {name!r}",
            _path(name),
            bad_element=name,
        )
    return OPERATIONS[name]


def _params(body: Any, op: str, operation: Operation) -> Params:
    params: Params = {}
    for qualified, value in message.children(body):
        ns, name = message.split_name(qualified)
        if ns != "nc" or name not in operation.params:
            tag = ErrorTag.UNKNOWN_ELEMENT if ns == "nc" else ErrorTag.UNKNOWN_NAMESPACE
            raise rpc_error(
                ErrorType.PROTOCOL,
                tag,
                f"unexpected parameter {name!r} in <{op}>",
                _path(op, name),
                bad_element=name,
            )
        params[name] = value
    missing = sorted(operation.required - set(params))
    if missing:
        raise RpcError(
            *(
                RpcErrorInfo(
                    ErrorType.PROTOCOL,
                    ErrorTag.MISSING_ELEMENT,
                    f"<{op}> needs <{m}>",
                    _path(op),
                    info=(("bad-element", m),),
                )
                for m in missing
            )
        )
    return params
