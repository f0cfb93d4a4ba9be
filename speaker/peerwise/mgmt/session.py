"""NETCONF sessions, independent of the transport (RFC 6241 §8.1, RFC 6242 §4).

:class:`NetconfAgent` is the server side for one speaker: it holds the ``Server``, hands out
session ids, serializes edits and keeps datastore locks. :class:`NetconfSession` is one
client: a transport writes :meth:`NetconfSession.start` to the peer, passes every read to
:meth:`NetconfSession.feed`, writes what it returns, and closes when :attr:`closed` is set.
The Unix socket (:mod:`peerwise.mgmt.unix`) and SSH both drive it that way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from peerwise.mgmt import message
from peerwise.mgmt.errors import (
    ErrorTag,
    ErrorType,
    RpcError,
    RpcErrorInfo,
    rpc_error,
)
from peerwise.mgmt.framing import BASE_1_0, BASE_1_1, Framer, FramingError, hello_capabilities
from peerwise.mgmt.rpc import dispatch
from peerwise.mgmt.tree import instance_path

log = logging.getLogger(__name__)

MODULE_CAPABILITY = "urn:peerwise:yang:peerwise-bgp?module=peerwise-bgp&revision=2026-11-26"
VALIDATE_CAPABILITY = "urn:ietf:params:netconf:capability:validate:1.1"
CAPABILITIES = [BASE_1_0, BASE_1_1, VALIDATE_CAPABILITY, MODULE_CAPABILITY]


class Server(Protocol):
    """What the management plane needs from the speaker (peerwise.session.Server)."""

    def running_config(self) -> dict[str, Any]: ...

    def state_tree(self) -> dict[str, Any]: ...

    async def apply(self, new_config: dict[str, Any]) -> dict[str, Any]: ...


Validator = Callable[[dict[str, Any]], Any]

# The model's message -> the error-tag it deserves (RFC 6241 Appendix A); invalid-value else.
MODEL_MESSAGE_TAGS: tuple[tuple[str, ErrorTag], ...] = (
    ("unknown setting", ErrorTag.UNKNOWN_ELEMENT),
    ("missing mandatory", ErrorTag.MISSING_ELEMENT),
)


def model_validate(config: dict[str, Any]) -> list[Any]:
    """``peerwise.model``'s validation: a list of ConfigError (``.path``, ``.message``)."""
    from peerwise.model.validate import validate

    return list(validate(config))


def model_defaults(config: dict[str, Any]) -> dict[str, Any]:
    """``peerwise.model.defaults``: the effective config, as the daemon's loader makes it."""
    from peerwise.model import defaults

    return defaults(config)


class NetconfAgent:
    """The NETCONF server side of one speaker, shared by all its sessions.

    ``validate`` returns a config's problems; ``complete`` fills its defaults before it is
    applied, so running holds the effective config whether it came from a file or an edit.
    """

    def __init__(
        self,
        server: Server,
        validate: Validator = model_validate,
        complete: Callable[[dict[str, Any]], dict[str, Any]] = model_defaults,
    ) -> None:
        self.server = server
        self.validate = validate
        self.complete = complete
        self.edit_lock = asyncio.Lock()
        self._locks: dict[str, int] = {}
        self._last_session = 0

    def open_session(self) -> NetconfSession:
        self._last_session += 1
        return NetconfSession(self, self._last_session)

    async def check(self, config: dict[str, Any], apply: bool) -> None:
        """Validate ``config`` with the model and, if asked, apply it to the speaker.

        The validator returns the problems (or raises ConfigInvalid carrying ``.errors``);
        ``server.apply`` may raise ConfigInvalid too. Each problem becomes one rpc-error.
        """
        try:
            problems = list(self.validate(config) or [])
            if not problems and apply:
                await self.server.apply(self.complete(config))
        except RpcError:
            raise
        except Exception as exc:
            problems = list(getattr(exc, "errors", None) or [])
            if not problems and hasattr(exc, "path") and hasattr(exc, "message"):
                problems = [exc]
            if not problems:
                log.exception("edit failed")
                text = str(exc) or repr(exc)
                raise rpc_error(ErrorType.APPLICATION, ErrorTag.OPERATION_FAILED, text) from exc
        if problems:
            raise RpcError(*(_model_error(p, config) for p in problems))

    def lock(self, datastore: str, session_id: int) -> None:
        """RFC 6241 §7.5: fails when any session already holds the lock."""
        holder = self._locks.get(datastore)
        if holder is not None:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.LOCK_DENIED,
                f"{datastore} is locked by session {holder}",
                session_id=str(holder),
            )
        self._locks[datastore] = session_id

    def unlock(self, datastore: str, session_id: int) -> None:
        """RFC 6241 §7.6: only the holder may unlock."""
        if self._locks.get(datastore) != session_id:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.OPERATION_FAILED,
                f"{datastore} is not locked by this session",
            )
        del self._locks[datastore]

    def check_unlocked(self, datastore: str, session_id: int) -> None:
        """RFC 6241 §7.5: another session's lock refuses edits (in-use)."""
        holder = self._locks.get(datastore)
        if holder is not None and holder != session_id:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.IN_USE,
                f"{datastore} is locked by session {holder}",
                session_id=str(holder),
            )

    def release(self, session_id: int) -> None:
        """RFC 6241 §7.5: a session's locks end with it."""
        for datastore in [d for d, holder in self._locks.items() if holder == session_id]:
            del self._locks[datastore]


def _model_error(problem: Any, config: dict[str, Any]) -> RpcErrorInfo:
    """A model ConfigError (``.path`` in file shape, ``.message``) as an rpc-error."""
    text = str(getattr(problem, "message", problem))
    tag = next((t for words, t in MODEL_MESSAGE_TAGS if words in text), ErrorTag.INVALID_VALUE)
    path = instance_path(str(getattr(problem, "path", "")), config)
    return RpcErrorInfo(ErrorType.APPLICATION, tag, text, path)


class NetconfSession:
    """One client: hello exchange, then one reply per ``<rpc>`` (RFC 6241 §4)."""

    def __init__(self, agent: NetconfAgent, session_id: int) -> None:
        self.agent = agent
        self.session_id = session_id
        self.framer = Framer()
        self.closing = False  # close-session: close after the reply is written
        self.closed = False
        self._hello_done = False

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

    def close(self) -> None:
        self.closed = True
        self.agent.release(self.session_id)

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
