"""RPC dispatch (RFC 6241 §7, §8): one row of :data:`OPERATIONS` per operation.

A handler takes the session it runs for (a :class:`~peerwise.mgmt.agent.Caller`) and the
operation's parameters (children of the operation element,
by local name, already checked against the row) and returns the body of the ``<rpc-reply>``:
``{"ok": None}`` or ``{"data": ...}``, possibly followed by our ``<impact>`` element. It reports
failure by raising :class:`~peerwise.mgmt.errors.RpcError`. The handlers live in
:mod:`ops_data` (get, get-config, edit-config, validate), :mod:`ops_copy` (copy-config,
delete-config) and :mod:`ops_txn` (commit, locks, sessions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from peerwise.mgmt import message, ops_copy, ops_data, ops_txn
from peerwise.mgmt.agent import Caller
from peerwise.mgmt.errors import ErrorTag, ErrorType, RpcError, RpcErrorInfo, rpc_error
from peerwise.mgmt.params import Body, Params, rpc_path

Handler = Callable[[Caller, Params], Awaitable[Body]]
WITH_DEFAULTS = frozenset({("wd", "with-defaults")})  # RFC 6243 §4.5.1


@dataclass(frozen=True)
class Operation:
    """``params``: base-namespace parameters; ``foreign``: (ns, name) of other modules'."""

    handler: Handler
    params: frozenset[str]
    required: frozenset[str] = frozenset()
    foreign: frozenset[tuple[str, str]] = frozenset()


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


OPERATIONS: dict[str, Operation] = {
    "get": Operation(ops_data.get, _names("filter"), foreign=WITH_DEFAULTS),
    "get-config": Operation(
        ops_data.get_config, _names("source", "filter"), _names("source"), WITH_DEFAULTS
    ),
    "edit-config": Operation(
        ops_data.edit_config,
        _names("target", "default-operation", "test-option", "error-option", "config"),
        _names("target", "config"),
    ),
    "copy-config": Operation(
        ops_copy.copy_config, _names("target", "source"), _names("target", "source")
    ),
    "delete-config": Operation(ops_copy.delete_config, _names("target"), _names("target")),
    "validate": Operation(ops_data.validate, _names("source"), _names("source")),
    "commit": Operation(
        ops_txn.commit, _names("confirmed", "confirm-timeout", "persist", "persist-id")
    ),
    "cancel-commit": Operation(ops_txn.cancel_commit, _names("persist-id")),
    "discard-changes": Operation(ops_txn.discard_changes, _names()),
    "lock": Operation(ops_txn.lock, _names("target"), _names("target")),
    "unlock": Operation(ops_txn.unlock, _names("target"), _names("target")),
    "close-session": Operation(ops_txn.close_session, _names()),
    "kill-session": Operation(ops_txn.kill_session, _names("session-id"), _names("session-id")),
}
# Operations of RFC 6241 that this server does not offer (operation-not-supported, not unknown).
NOT_SUPPORTED: frozenset[str] = frozenset()


async def dispatch(caller: Caller, rpc: Any) -> Body:
    """The reply body for the content of one ``<rpc>``; raises RpcError."""
    ops = message.children(rpc)
    if len(ops) != 1:
        what = "no operation" if not ops else f"{len(ops)} operations"
        raise rpc_error(
            ErrorType.RPC,
            ErrorTag.MISSING_ELEMENT if not ops else ErrorTag.BAD_ELEMENT,
            f"<rpc> holds {what}; expected exactly one",
            rpc_path(),
            bad_element="rpc",
        )
    ((qualified, body),) = ops
    ns, name = message.split_name(qualified)
    operation = _lookup(ns, name)
    params = _params(body, name, operation)
    return await operation.handler(caller, params)


def _lookup(ns: str, name: str) -> Operation:
    if ns != "nc":
        uri = message.namespace_uri(ns) or "(none)"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.UNKNOWN_NAMESPACE,
            f"operation {name!r} in unknown namespace {uri!r}",
            rpc_path(),
            bad_element=name,
            bad_namespace=uri,
        )
    if name in NOT_SUPPORTED:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.OPERATION_NOT_SUPPORTED,
            f"operation {name!r} is not supported",
            rpc_path(name),
        )
    if name not in OPERATIONS:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.UNKNOWN_ELEMENT,
            f"unknown operation {name!r}",
            rpc_path(name),
            bad_element=name,
        )
    return OPERATIONS[name]


def _params(body: Any, op: str, operation: Operation) -> Params:
    params: Params = {}
    for qualified, value in message.children(body):
        ns, name = message.split_name(qualified)
        known = (ns == "nc" and name in operation.params) or (ns, name) in operation.foreign
        if not known:
            tag = ErrorTag.UNKNOWN_ELEMENT if ns in ("nc", "wd") else ErrorTag.UNKNOWN_NAMESPACE
            raise rpc_error(
                ErrorType.PROTOCOL,
                tag,
                f"unexpected parameter {name!r} in <{op}>",
                rpc_path(op, name),
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
                    rpc_path(op),
                    info=(("bad-element", m),),
                )
                for m in missing
            )
        )
    return params
