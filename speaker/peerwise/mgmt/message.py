"""NETCONF messages as dicts: parse with xmltodict, normalize names, render replies.

Parsing maps the NETCONF base namespace to ``nc:``, ours to ``pw:`` and RFC 6243's to
``wd:``; an element in any other namespace keeps its URI (``urn:x:name``), and one in no
namespace is bare. :func:`data_tree` turns the content of ``<config>`` or ``<filter>`` into the
nested tree of :mod:`peerwise.mgmt.tree`, refusing elements outside our namespace (RFC 6241
Appendix A unknown-namespace) and keeping only the ``operation`` attribute (RFC 6241 §7.2).
"""

from __future__ import annotations

from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

from peerwise.mgmt.errors import (
    NC_NS,
    PW_NS,
    WD_NS,
    ErrorTag,
    ErrorType,
    RpcErrorInfo,
    rpc_error,
)
from peerwise.mgmt.tree import Tree, is_repeated

OPERATION = "@operation"
TEXT = "#text"
_PREFIXES = {NC_NS: "nc", PW_NS: "pw", WD_NS: "wd"}
_URIS = {prefix: uri for uri, prefix in _PREFIXES.items()}


class MalformedMessage(Exception):
    """The message is not well-formed XML (RFC 6241 §3, malformed-message)."""


def parse(text: str) -> tuple[str, Any]:
    """One message -> (qualified root name, its xmltodict value)."""
    try:
        doc = xmltodict.parse(text, process_namespaces=True, namespaces=_PREFIXES)
    except ExpatError as exc:
        raise MalformedMessage(f"not well-formed XML: {exc}") from exc
    if not isinstance(doc, dict) or len(doc) != 1:
        raise MalformedMessage("a message has exactly one root element")
    ((name, value),) = doc.items()
    return name, value


def split_name(qualified: str) -> tuple[str, str]:
    """'nc:get' -> ('nc', 'get'); 'urn:x:foo' -> ('urn:x', 'foo'); 'bar' -> ('', 'bar')."""
    ns, _, local = qualified.rpartition(":")
    return ns, local


def namespace_uri(ns: str) -> str:
    return _URIS.get(ns, ns)


def children(value: Any) -> list[tuple[str, Any]]:
    """The child elements of an xmltodict value (attributes and text left out)."""
    if not isinstance(value, dict):
        return []
    return [(k, v) for k, v in value.items() if not k.startswith(("@", "#"))]


def attributes(value: Any) -> dict[str, str]:
    """Attributes other than namespace declarations, by qualified name."""
    if not isinstance(value, dict):
        return {}
    return {k[1:]: v for k, v in value.items() if k.startswith("@") and k != "@xmlns"}


def text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get(TEXT)
    return "" if value is None else str(value)


def data_tree(value: Any, path: str, parent: str = "bgp") -> Any:
    """Content below ``<config>``/``<filter>``/a data node -> nested tree (see module doc)."""
    kids = children(value)
    op = _operation(value)
    if not kids:
        body = value.get(TEXT) if isinstance(value, dict) else value
        if op is None:
            return body
        return {OPERATION: op} if body is None else {OPERATION: op, TEXT: body}
    out: Tree = {} if op is None else {OPERATION: op}
    for qualified, child in kids:
        ns, name = split_name(qualified)
        here = f"{path}/pw-bgp:{name}"
        if ns != "pw":
            uri = namespace_uri(ns) or "(none)"
            raise rpc_error(
                ErrorType.APPLICATION,
                ErrorTag.UNKNOWN_NAMESPACE,
                f"element {name!r} in namespace {uri!r}; expected {PW_NS!r}",
                here,
                bad_element=name,
                bad_namespace=uri,
            )
        items = child if isinstance(child, list) else [child]
        converted = [data_tree(item, here, name) for item in items]
        out[name] = converted if (len(converted) > 1 or is_repeated(parent, name)) else converted[0]
    return out


def _operation(value: Any) -> str | None:
    """RFC 6241 §7.2: the ``operation`` attribute, in the base namespace (or, leniently, none)."""
    for name, attr in attributes(value).items():
        ns, local = split_name(name)
        if local == "operation" and ns in ("nc", ""):
            return str(attr)
    return None


def reply(attrs: dict[str, str], body: dict[str, Any]) -> str:
    """An ``<rpc-reply>`` echoing the ``<rpc>`` attributes (RFC 6241 §4.2)."""
    root: dict[str, Any] = {"@xmlns": NC_NS}
    declared: dict[str, str] = {}
    for qualified, value in attrs.items():
        ns, local = split_name(qualified)
        if not ns:
            root["@" + local] = value
            continue
        prefix = declared.setdefault(namespace_uri(ns), f"a{len(declared) + 1}")
        root[f"@{prefix}:{local}"] = value
    for uri, prefix in declared.items():
        root[f"@xmlns:{prefix}"] = uri
    root.update(body)
    return render({"rpc-reply": root})


def error_body(errors: tuple[RpcErrorInfo, ...]) -> dict[str, Any]:
    return {"rpc-error": [e.to_dict() for e in errors]}


def hello(capabilities: list[str], session_id: int) -> str:
    """The server's ``<hello>`` (RFC 6241 §8.1)."""
    body = {"capabilities": {"capability": capabilities}, "session-id": str(session_id)}
    return render({"hello": {"@xmlns": NC_NS, **body}})


def data_body(nested: Tree | None) -> dict[str, Any]:
    """``<data>`` holding ``<bgp>`` in our namespace, or empty."""
    if nested is None:
        return {"data": None}
    return {"data": {"bgp": {"@xmlns": PW_NS, **nested}}}


def reply_data(text: str) -> Tree | None:
    """The nested tree under ``<data><bgp>`` of an ``<rpc-reply>``; None when there is none."""
    name, value = parse(text)
    data = dict(children(value)).get("nc:data") if name == "nc:rpc-reply" else None
    bgp = dict(children(data)).get("pw:bgp")
    if bgp is None and "pw:bgp" not in dict(children(data)):
        return None
    nested = data_tree(bgp, "", parent="bgp")
    return nested if isinstance(nested, dict) else {}


def render(doc: dict[str, Any]) -> str:
    return str(xmltodict.unparse(doc, short_empty_elements=True))
