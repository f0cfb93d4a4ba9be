"""Transaction operations: commit, cancel-commit, discard-changes, lock, unlock, close-session,
kill-session (RFC 6241 §7.5, §7.6, §7.8, §7.9, §8.3, §8.4).

A confirmed commit (``<confirmed/>``) applies the candidate at once and arms a timer; it is
made permanent by a confirming ``<commit/>`` — from the same session, or from any session
giving the ``<persist-id>`` when the confirmed commit named a ``<persist>`` token. The timer
running out, ``<cancel-commit>``, or the session ending (without ``persist``) reverts running
to the config before the first confirmed commit and applies that difference.
"""

from __future__ import annotations

from peerwise.mgmt import message
from peerwise.mgmt.agent import DEFAULT_CONFIRM_TIMEOUT, Caller, PendingCommit
from peerwise.mgmt.errors import ErrorTag, ErrorType, rpc_error
from peerwise.mgmt.impact import impact_body
from peerwise.mgmt.params import OK, Body, Params, datastore, number, optional_text, rpc_path

MAX_TIMEOUT = 2**32 - 1  # RFC 6241 §8.4.5.1: confirm-timeout is a uint32


def _owner_check(pending: PendingCommit | None, session_id: int, persist_id: str | None,
                 op: str) -> None:  # fmt: skip
    """RFC 6241 §8.4.5.1: who may confirm or cancel the pending confirmed commit."""
    if pending is None:
        if persist_id is not None:
            raise rpc_error(
                ErrorType.PROTOCOL,
                ErrorTag.INVALID_VALUE,
                f"persist-id {persist_id!r}: no confirmed commit is pending",
                rpc_path(op, "persist-id"),
            )
        return
    if pending.persist is not None and persist_id != pending.persist:
        given = "no persist-id" if persist_id is None else f"persist-id {persist_id!r}"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"{given} does not match the pending confirmed commit's persist token",
            rpc_path(op, "persist-id"),
        )
    if pending.persist is None and pending.session_id != session_id:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.IN_USE,
            f"a confirmed commit of session {pending.session_id} is pending; only it can "
            "confirm or cancel it",
            rpc_path(op),
            session_id=str(pending.session_id),
        )


async def commit(caller: Caller, params: Params) -> Body:
    """RFC 6241 §8.3.4.1 and §8.4.5.1."""
    agent, sid = caller.agent, caller.session_id
    confirmed = "confirmed" in params
    timeout = number(params, "commit", "confirm-timeout", DEFAULT_CONFIRM_TIMEOUT, 1, MAX_TIMEOUT)
    persist = optional_text(params, "persist")
    persist_id = optional_text(params, "persist-id")
    agent.check_unlocked("running", sid)
    async with agent.edit_lock:
        pending = agent.pending
        _owner_check(pending, sid, persist_id, "commit")
        old, new = agent.datastore("running"), agent.datastore("candidate")
        await agent.write_running(new, persist=not confirmed)
        agent.candidate = None
        if confirmed:
            rollback = pending.rollback if pending is not None else old
            agent.arm(PendingCommit(rollback, sid, persist), timeout)
        elif pending is not None:
            agent.confirmed()
    return {**OK, **impact_body(old, new)}


async def cancel_commit(caller: Caller, params: Params) -> Body:
    """RFC 6241 §8.4.4.1: revert the pending confirmed commit now."""
    agent = caller.agent
    pending = agent.pending
    if pending is None:
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.OPERATION_FAILED,
            "no confirmed commit is pending",
            rpc_path("cancel-commit"),
        )
    _owner_check(pending, caller.session_id, optional_text(params, "persist-id"),
                 "cancel-commit")  # fmt: skip
    await agent.revert(pending)
    return OK


async def discard_changes(caller: Caller, params: Params) -> Body:
    """RFC 6241 §8.3.4.2: the candidate becomes running again."""
    caller.agent.check_unlocked("candidate", caller.session_id)
    caller.agent.candidate = None
    return OK


async def lock(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.5."""
    caller.agent.lock(datastore(params, "target", "lock"), caller.session_id)
    return OK


async def unlock(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.6."""
    caller.agent.unlock(datastore(params, "target", "unlock"), caller.session_id)
    return OK


async def close_session(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.8: reply ok, then the session ends."""
    caller.close_after_reply()
    return OK


async def kill_session(caller: Caller, params: Params) -> Body:
    """RFC 6241 §7.9: end another session, release its locks, revert its unconfirmed commit."""
    text = message.text(params["session-id"]).strip()
    target = int(text) if text.isdigit() else -1
    victim = caller.agent.sessions.get(target)
    if target == caller.session_id or victim is None:
        why = "is this session (use close-session)" if victim is caller else "is not open"
        raise rpc_error(
            ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE,
            f"session-id {text!r} {why}",
            rpc_path("kill-session", "session-id"),
        )
    victim.kill()
    return OK
