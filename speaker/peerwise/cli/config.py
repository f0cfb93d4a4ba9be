"""``peerwise config show|diff`` and ``peerwise commit``: the candidate workflow on the CLI.

    peerwise config show [--candidate] [--with-defaults report-all|trim|explicit]
    peerwise config diff                      candidate against running, and what it would reset
    peerwise commit [--confirmed SECONDS] [--persist-id TOKEN] [--cancel] [--discard]

A CLI session ends as soon as the command does, so a confirmed commit from the CLI always
carries a ``persist`` token (RFC 6241 §8.4.5.1): the printed ``peerwise commit --persist-id
TOKEN`` confirms it from a later invocation, ``--cancel --persist-id TOKEN`` reverts it now.
"""

from __future__ import annotations

import argparse
import difflib
import json
import secrets
from typing import Any

from peerwise.mgmt import message, tree
from peerwise.mgmt.client import NetconfClient, impact

# (impact element, how the CLI names it), in print order.
IMPACT_ROWS = (
    ("session-reset", "reset"),
    ("soft", "refreshed"),
    ("added", "added"),
    ("removed", "removed"),
    ("started", "started"),
    ("stopped", "stopped"),
)


def config_data(reply: str) -> dict[str, Any]:
    """A get-config reply -> the config in file shape, typed."""
    nested = message.reply_data(reply) or {}
    shaped: dict[str, Any] = tree.coerce(tree.to_file_shape(nested))
    return shaped


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def impact_text(reply: str) -> str:
    """``sessions reset: 192.0.2.2`` lines; ``no session is touched`` when none."""
    found = impact(reply)
    lines = [f"sessions {label}: {', '.join(found[key])}" for key, label in IMPACT_ROWS
             if found.get(key)]  # fmt: skip
    lines += [f"  {change}" for change in found.get("change", [])]
    return "\n".join(lines or ["no session is touched"]) + "\n"


def show(client: NetconfClient, args: argparse.Namespace) -> str:
    source = "candidate" if args.candidate else "running"
    return _json(config_data(client.get_config(source, with_defaults=args.with_defaults)))


def diff(client: NetconfClient, args: argparse.Namespace) -> str:
    running = _json(config_data(client.get_config("running"))).splitlines(keepends=True)
    candidate = _json(config_data(client.get_config("candidate"))).splitlines(keepends=True)
    text = "".join(difflib.unified_diff(running, candidate, "running", "candidate"))
    if not text:
        return "candidate equals running\n"
    return text + impact_text(client.validate("candidate"))


def commit(client: NetconfClient, args: argparse.Namespace) -> str:
    if args.discard:
        client.discard_changes()
        return "candidate discarded\n"
    if args.cancel:
        client.cancel_commit(args.persist_id)
        return "confirmed commit cancelled: running is back to the config before it\n"
    if args.confirmed is None:
        return impact_text(client.commit(persist_id=args.persist_id))
    token = args.persist or secrets.token_hex(8)
    reply = client.commit(True, args.confirmed, persist=token, persist_id=args.persist_id)
    return impact_text(reply) + (
        f"reverts in {args.confirmed} s unless confirmed: peerwise commit --persist-id {token}\n"
    )


def add_parsers(sub: Any) -> None:
    """The ``config`` and ``commit`` subcommands."""
    config = sub.add_parser("config", help="show the running or candidate config, or the diff")
    config.add_argument("action", choices=("show", "diff"))
    config.add_argument("--candidate", action="store_true", help="show the candidate")
    config.add_argument("--with-defaults", choices=("report-all", "trim", "explicit"), default=None)
    commit_ = sub.add_parser("commit", help="commit the candidate (RFC 6241 §8.3, §8.4)")
    commit_.add_argument("--confirmed", type=int, metavar="SECONDS", help="revert unless confirmed")
    commit_.add_argument("--persist", metavar="TOKEN", help="token of a confirmed commit")
    commit_.add_argument("--persist-id", metavar="TOKEN", help="confirm or cancel TOKEN's commit")
    commit_.add_argument("--cancel", action="store_true", help="revert the confirmed commit now")
    commit_.add_argument("--discard", action="store_true", help="discard the candidate's changes")
