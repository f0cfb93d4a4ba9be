"""What the RPC handlers share: parameter readers that refuse bad input with a precise error.

A handler gets the children of its operation element by local name (``Params``) and returns
the body of the ``<rpc-reply>`` (``Body``). The readers here turn a parameter into a value or
raise :class:`~peerwise.mgmt.errors.RpcError` naming the parameter (RFC 6241 §4.3 error-path).
"""

from __future__ import annotations

from typing import Any

from peerwise.mgmt import message
from peerwise.mgmt.errors import ErrorTag, ErrorType, rpc_error

Params = dict[str, Any]
Body = dict[str, Any]
OK: Body = {"ok": None}
DATASTORES = frozenset({"running", "candidate"})
WITH_DEFAULTS = frozenset({"report-all", "trim", "explicit"})  # RFC 6243 §3
DEFAULT_MODE = "explicit"  # our basic-mode (RFC 6243 §2)


def rpc_path(*names: str) -> str:
    """``/nc:rpc/nc:<name>/...``: the error-path of an operation's parameter."""
    return "".join(f"/nc:{name}" for name in ("rpc", *names))


def datastore(params: Params, where: str, op: str) -> str:
    """The datastore named by ``<source>``/``<target>`` (RFC 6241 §7.1)."""
    kids = message.children(params.get(where))
    names = [message.split_name(k) for k, _ in kids]
    if len(names) != 1 or names[0][0] != "nc" or names[0][1] not in DATASTORES:
        given = ", ".join(n for _, n in names) or "nothing"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{where} must be <running/> or <candidate/>, got {given}",
            rpc_path(op, where),
        )
    return names[0][1]


def option(params: Params, op: str, name: str, allowed: frozenset[str], default: str) -> str:
    """An enumerated parameter (default-operation, test-option, with-defaults ...)."""
    value = message.text(params[name]).strip() if name in params else default
    if value not in allowed:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{name} {value!r} is not one of {', '.join(sorted(allowed))}",
            rpc_path(op, name),
        )
    return value


def number(params: Params, op: str, name: str, default: int, low: int, high: int) -> int:
    """An unsigned integer parameter such as confirm-timeout (RFC 6241 §8.4.5.1)."""
    if name not in params:
        return default
    text = message.text(params[name]).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{name} {text!r} is not a number of seconds in {low}..{high}",
            rpc_path(op, name),
        )
    return int(text)


def optional_text(params: Params, name: str) -> str | None:
    return message.text(params[name]).strip() if name in params else None


def config_edit(params: Params) -> Any:
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


def subtree(params: Params, op: str) -> tuple[bool, Any]:
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
            rpc_path(op, "filter"),
        )
    return True, message.data_tree(raw, "", parent="")
