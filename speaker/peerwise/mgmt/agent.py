"""The NETCONF server side of one speaker: datastores, locks and confirmed commit.

One :class:`NetconfAgent` per speaker, shared by every session on every transport, holds:

- ``running``: the running config *as configured* (explicit values only, file shape); the
  speaker runs ``complete(running)`` (defaults filled in). RFC 6243 ``explicit`` mode reports
  ``running`` as it is, ``report-all`` reports the completed config.
- ``candidate`` (RFC 6241 §8.3): shared by all sessions; ``None`` while it equals running.
- locks on both (RFC 6241 §7.5), and at most one pending confirmed commit (RFC 6241 §8.4).

:meth:`NetconfAgent.write_running` is the one write point of running: edit-config on running,
commit, the revert of a confirmed commit and the daemon's SIGHUP reload all go through it. It
validates with the model, persists (``persist`` hook: the daemon's atomic file write), applies
the difference to the speaker (``server.apply``) and only then replaces ``running``. A confirmed
commit is applied but not persisted until it is confirmed, so a speaker killed while a commit
waits for its confirmation comes back with the config from before it, as the revert would.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from peerwise.mgmt.errors import ErrorTag, ErrorType, RpcError, RpcErrorInfo, rpc_error
from peerwise.mgmt.tree import instance_path

log = logging.getLogger(__name__)

Config = dict[str, Any]
Validator = Callable[[Config], Any]
DEFAULT_CONFIRM_TIMEOUT = 600  # RFC 6241 §8.4.5.1: confirm-timeout defaults to 600 seconds

# The model's message -> the error-tag it deserves (RFC 6241 Appendix A); invalid-value else.
MODEL_MESSAGE_TAGS: tuple[tuple[str, ErrorTag], ...] = (
    ("unknown setting", ErrorTag.UNKNOWN_ELEMENT),
    ("missing mandatory", ErrorTag.MISSING_ELEMENT),
)


class Server(Protocol):
    """What the management plane needs from the speaker (peerwise.session.Server)."""

    def running_config(self) -> dict[str, Any]: ...

    def state_view(self, flt: Any = None) -> dict[str, Any]:
        """The state tree (file shape); ``flt``, a ``get``'s subtree filter as a nested tree,
        lets the speaker render only the RIB entries it selects (None: no filter)."""
        ...

    async def apply(self, new_config: dict[str, Any]) -> dict[str, Any]: ...


class Caller(Protocol):
    """One NETCONF session as the agent and the operations (``ops_*``) see it; a transport
    creates it (``peerwise.mgmt.session.NetconfSession``) and it joins the agent."""

    @property
    def session_id(self) -> int: ...

    @property
    def agent(self) -> NetconfAgent: ...

    def close_after_reply(self) -> None:
        """close-session (RFC 6241 §7.8): end once the reply is written."""

    def kill(self) -> None:
        """kill-session (RFC 6241 §7.9) from another session: end now, drop the transport."""


def model_validate(config: Config) -> list[Any]:
    """``peerwise.model``'s validation: a list of ConfigError (``.path``, ``.message``)."""
    from peerwise.model.validate import validate

    return list(validate(config))


def model_defaults(config: Config) -> Config:
    """``peerwise.model.defaults``: the effective config, as the daemon's loader makes it."""
    from peerwise.model import defaults

    return defaults(config)


@dataclass
class PendingCommit:
    """A confirmed commit waiting for its confirmation (RFC 6241 §8.4)."""

    rollback: Config  # running before the first confirmed commit of the series
    session_id: int
    persist: str | None
    timer: asyncio.TimerHandle | None = None


class NetconfAgent:
    """Datastores, locks and the open sessions of one speaker (see the module doc)."""

    def __init__(
        self,
        server: Server,
        validate: Validator = model_validate,
        complete: Callable[[Config], Config] = model_defaults,
        running: Config | None = None,
        persist: Callable[[Config], None] | None = None,
    ) -> None:
        self.server = server
        self.validate = validate
        self.complete = complete
        self.persist = persist
        self.running: Config = copy.deepcopy(
            server.running_config() if running is None else running
        )
        self.candidate: Config | None = None
        self.pending: PendingCommit | None = None
        self.edit_lock = asyncio.Lock()
        self.sessions: dict[int, Caller] = {}
        self._locks: dict[str, int] = {}
        self._last_session = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def join(self, session: Caller) -> int:
        """A transport opened ``session``: its session id, until :meth:`release`."""
        self._last_session += 1
        self.sessions[self._last_session] = session
        return self._last_session

    # -- datastores ------------------------------------------------------------------

    def datastore(self, name: str) -> Config:
        """A copy of ``running`` or ``candidate`` (which is running until edited)."""
        if name == "candidate" and self.candidate is not None:
            return copy.deepcopy(self.candidate)
        return copy.deepcopy(self.running)

    def problems(self, config: Config) -> None:
        """Raise one rpc-error per problem the model finds in ``config``."""
        try:
            found = list(self.validate(config) or [])
        except Exception as exc:  # ConfigInvalid carries .errors
            found = list(getattr(exc, "errors", None) or [exc])
        if found:
            raise RpcError(*(model_error(p, config) for p in found))

    async def write_running(self, config: Config, persist: bool = True) -> Any:
        """Validate, persist, apply the difference; then ``config`` is running."""
        self.problems(config)
        if persist and self.persist is not None:
            self._persist(config)
        try:
            summary = await self.server.apply(self.complete(config))
        except Exception as exc:
            if persist and self.persist is not None:
                self._persist(self.running)
            problems = list(getattr(exc, "errors", None) or [])
            if problems:
                raise RpcError(*(model_error(p, config) for p in problems)) from exc
            log.exception("applying the config failed")
            text = str(exc) or repr(exc)
            raise rpc_error(ErrorType.APPLICATION, ErrorTag.OPERATION_FAILED, text) from exc
        self.running = copy.deepcopy(config)
        return summary

    def _persist(self, config: Config) -> None:
        assert self.persist is not None
        try:
            self.persist(config)
        except OSError as exc:
            raise rpc_error(
                ErrorType.APPLICATION,
                ErrorTag.OPERATION_FAILED,
                f"cannot save the config, nothing changed: {exc.strerror or exc}",
            ) from exc

    async def check(self, config: Config, apply: bool) -> None:
        """Validate ``config`` and, if asked, make it running (edit-config on running)."""
        if apply:
            await self.write_running(config)
        else:
            self.problems(config)

    async def reload(self, config: Config) -> None:
        """The config file changed (SIGHUP): it wins over uncommitted or unconfirmed work."""
        async with self.edit_lock:
            if self.pending is not None:
                log.warning("SIGHUP: the pending confirmed commit is dropped; the file wins")
                self._stop_timer()
                self.pending = None
            if self.candidate is not None:
                log.warning("SIGHUP: uncommitted candidate changes discarded")
                self.candidate = None
            await self.write_running(config, persist=False)

    # -- locks (RFC 6241 §7.5, §7.6) ----------------------------------------------------

    def lock(self, datastore: str, session_id: int) -> None:
        """Fails when another session holds it, or the candidate has uncommitted changes."""
        holder = self._locks.get(datastore)
        if holder is not None:
            raise lock_denied(f"{datastore} is locked by session {holder}", holder)
        if datastore == "candidate" and self.candidate is not None:
            raise lock_denied(
                "the candidate has uncommitted changes: commit or discard-changes first", 0
            )
        self._locks[datastore] = session_id

    def unlock(self, datastore: str, session_id: int) -> None:
        """Only the holder may unlock; its uncommitted candidate changes go (RFC 6241 §8.3.5.2)."""
        if self._locks.get(datastore) != session_id:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.OPERATION_FAILED,
                f"{datastore} is not locked by this session",
            )
        del self._locks[datastore]
        if datastore == "candidate":
            self.candidate = None

    def check_unlocked(self, datastore: str, session_id: int) -> None:
        """Another session's lock refuses changes to the datastore (in-use)."""
        holder = self._locks.get(datastore)
        if holder is not None and holder != session_id:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.IN_USE,
                f"{datastore} is locked by session {holder}",
                session_id=str(holder),
            )

    def holder(self, datastore: str) -> int | None:
        return self._locks.get(datastore)

    def release(self, session_id: int) -> None:
        """A session ended: its locks, its abandoned candidate, its unpersisted commit."""
        self.sessions.pop(session_id, None)
        for datastore in [d for d, holder in self._locks.items() if holder == session_id]:
            del self._locks[datastore]
            if datastore == "candidate":
                self.candidate = None
        pending = self.pending
        if pending is not None and pending.persist is None and pending.session_id == session_id:
            log.warning("session %d ended before confirming its commit: reverting", session_id)
            self.spawn(self.revert(pending))

    def spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- confirmed commit (RFC 6241 §8.4) ----------------------------------------------

    def arm(self, pending: PendingCommit, timeout: int) -> None:
        """Start (or restart) the confirm timer of ``pending``."""
        self._stop_timer()
        self.pending = pending
        loop = asyncio.get_running_loop()
        pending.timer = loop.call_later(timeout, lambda: self.spawn(self._expired(pending)))

    def confirmed(self) -> None:
        """The pending commit is confirmed: nothing to revert any more."""
        self._stop_timer()
        self.pending = None

    def _stop_timer(self) -> None:
        if self.pending is not None and self.pending.timer is not None:
            self.pending.timer.cancel()

    async def _expired(self, pending: PendingCommit) -> None:
        log.warning("confirmed commit not confirmed in time: reverting")
        await self.revert(pending)

    async def revert(self, pending: PendingCommit) -> None:
        """Back to the config before the confirmed commit, unless it was confirmed meanwhile."""
        async with self.edit_lock:
            if self.pending is not pending:
                return
            self._stop_timer()
            self.pending = None
            self.candidate = None
            await self.write_running(pending.rollback)

    def spent(self) -> None:
        """Cancel timers (the speaker is stopping)."""
        self._stop_timer()
        for task in list(self._tasks):
            task.cancel()


def lock_denied(message: str, holder: int) -> RpcError:
    """RFC 6241 §7.5: lock-denied, error-info names the holder (0: not a NETCONF session)."""
    return rpc_error(ErrorType.PROTOCOL, ErrorTag.LOCK_DENIED, message, session_id=str(holder))


def model_error(problem: Any, config: Config) -> RpcErrorInfo:
    """A model ConfigError (``.path`` in file shape, ``.message``) as an rpc-error."""
    text = str(getattr(problem, "message", problem))
    tag = next((t for words, t in MODEL_MESSAGE_TAGS if words in text), ErrorTag.INVALID_VALUE)
    path = instance_path(str(getattr(problem, "path", "")), config)
    return RpcErrorInfo(ErrorType.APPLICATION, tag, text, path)
