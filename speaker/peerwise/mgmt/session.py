"""NETCONF sessions, independent of the transport (RFC 6241 §8.1, RFC 6242 §4).

:class:`~peerwise.mgmt.agent.NetconfAgent` is the server side for one speaker: it holds the
``Server``, the datastores and locks, and hands out session ids. :class:`NetconfSession` is one
client: a transport creates it on the agent (``NetconfSession(agent)``, which joins the agent
and gets its session id), writes :meth:`NetconfSession.start` to the peer, passes every read to
:meth:`NetconfSession.feed`, writes what it returns, and closes when :attr:`closed` is set.
The Unix socket (:mod:`peerwise.mgmt.unix`) and SSH both drive it that way. To the operations
it is a :class:`~peerwise.mgmt.agent.Caller`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from peerwise.mgmt import message
from peerwise.mgmt.agent import NetconfAgent
from peerwise.mgmt.errors import ErrorTag, ErrorType, RpcError, RpcErrorInfo, rpc_error
from peerwise.mgmt.framing import BASE_1_0, BASE_1_1, Framer, FramingError, hello_capabilities
from peerwise.mgmt.rpc import dispatch
from peerwise.model.schema import config_schema

log = logging.getLogger(__name__)

_SCHEMA = config_schema()
# RFC 6020 §5.6.4: namespace, module name and the newest revision, all from the YANG module.
MODULE_CAPABILITY = (
    f"{_SCHEMA['x-yang-namespace']}?module=peerwise-bgp&revision={_SCHEMA['x-yang-revision']}"
)
VALIDATE_CAPABILITY = "urn:ietf:params:netconf:capability:validate:1.1"
WITH_DEFAULTS_CAPABILITY = (
    "urn:ietf:params:netconf:capability:with-defaults:1.0"
    "?basic-mode=explicit&also-supported=report-all,trim"
)
# RFC 6241 §8: the capabilities we implement, in the order the hello lists them.
CAPABILITIES = [
    BASE_1_0,
    BASE_1_1,
    "urn:ietf:params:netconf:capability:writable-running:1.0",
    "urn:ietf:params:netconf:capability:candidate:1.0",
    "urn:ietf:params:netconf:capability:confirmed-commit:1.1",
    "urn:ietf:params:netconf:capability:rollback-on-error:1.0",
    VALIDATE_CAPABILITY,
    WITH_DEFAULTS_CAPABILITY,
    MODULE_CAPABILITY,
]


class NetconfSession:
    """One client: hello exchange, then one reply per ``<rpc>`` (RFC 6241 §4)."""

    def __init__(self, agent: NetconfAgent) -> None:
        self.agent = agent
        self.framer = Framer()
        self.closing = False  # close-session: close after the reply is written
        self.closed = False
        self.closer: Callable[[], None] | None = None  # set by the transport: drop the link
        self._hello_done = False
        self.session_id = agent.join(self)

    def start(self) -> bytes:
        """Our ``<hello>``, framed: write it as soon as the transport is up."""
        return self.framer.encode(message.hello(CAPABILITIES, self.session_id))

    async def feed(self, data: bytes) -> bytes:
        """Bytes read from the peer -> bytes to write back (replies, in order)."""
        out = bytearray()
        try:
            texts = self.framer.feed(data)
        except FramingError as exc:
            log.warning("session %d: %s; closing", self.session_id, exc)
            self.close()
            return b""
        for text in texts:
            if self.closed or self.closing:
                break
            reply = await self.handle(text)
            if reply is not None:
                out += self.framer.encode(reply)
        if self.closing:
            self.close()
        return bytes(out)

    def close_after_reply(self) -> None:
        self.closing = True

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.agent.release(self.session_id)

    def kill(self) -> None:
        """kill-session (RFC 6241 §7.9): end the session and drop its transport."""
        self.close()
        if self.closer is not None:
            self.closer()

    async def handle(self, text: str) -> str | None:
        """One whole message -> the reply text (None for the client's hello)."""
        if not self._hello_done:
            self._hello_done = True
            if not _client_hello_ok(text):
                self.close()
            return None
        try:
            name, value = message.parse(text)
        except message.MalformedMessage as exc:
            return _error_reply({}, rpc_error(ErrorType.RPC, ErrorTag.MALFORMED_MESSAGE, str(exc)))
        attrs = message.attributes(value)
        try:
            _check_envelope(name, attrs)
            body = await dispatch(self, value)
        except RpcError as exc:
            return _error_reply(attrs, exc)
        return message.reply(attrs, body)


def _client_hello_ok(text: str) -> bool:
    """RFC 6241 §8.1: a client hello has a base capability and no session-id."""
    try:
        name, value = message.parse(text)
    except message.MalformedMessage:
        return False
    has_session_id = any(
        message.split_name(k)[1] == "session-id" for k, _ in message.children(value)
    )
    base = {BASE_1_0, BASE_1_1} & hello_capabilities(text)
    return name == "nc:hello" and bool(base) and not has_session_id


def _check_envelope(name: str, attrs: dict[str, str]) -> None:
    ns, local = message.split_name(name)
    if ns != "nc" or local != "rpc":
        uri = message.namespace_uri(ns) or "(none)"
        tag = ErrorTag.UNKNOWN_ELEMENT if ns == "nc" else ErrorTag.UNKNOWN_NAMESPACE
        raise rpc_error(
            ErrorType.RPC,
            tag,
            f"expected <rpc> in {message.namespace_uri('nc')}, got {local!r} in {uri}",
            bad_element=local,
        )
    if "message-id" not in attrs:
        raise rpc_error(
            ErrorType.RPC,
            ErrorTag.MISSING_ATTRIBUTE,
            "<rpc> has no message-id attribute",
            bad_attribute="message-id",
            bad_element="rpc",
        )


def _error_reply(attrs: dict[str, str], exc: RpcError) -> str:
    errors: tuple[RpcErrorInfo, ...] = exc.errors
    return message.reply(attrs, message.error_body(errors))
