"""``peerwise``: the speaker's command line, a NETCONF client over the local socket.

    peerwise [--socket PATH | --host H [--port P] --key FILE] [-j|--json] neighbor
    peerwise neighbor ADDR
    peerwise neighbor add ADDR as ASN [--candidate] [--local-address A] [--passive] ...
    peerwise neighbor del ADDR [--candidate]
    peerwise global
    peerwise global rib [-a ipv4|ipv6] [PREFIX] | add|del ... | summary   (cli/rib.py)
    peerwise neighbor ADDR adj-in|adj-out [-a ipv4|ipv6]
    peerwise config show [--candidate] | config diff
    peerwise commit [--confirmed SECONDS] [--persist-id TOKEN] [--cancel] [--discard]

Each command is one row of :data:`COMMANDS`: it talks to the speaker through
:class:`~peerwise.mgmt.client.NetconfClient` and returns text; errors from the speaker print
as ``error: <path>: <message>`` and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from peerwise.cli import config as cfg
from peerwise.cli import format as fmt
from peerwise.cli import rib
from peerwise.mgmt import message, tree
from peerwise.mgmt.client import DEFAULT_SOCKET, PW_NS, NetconfClient, NetconfError
from peerwise.mgmt.framing import NC_NS

Command = Callable[[NetconfClient, argparse.Namespace], str]

# `neighbor add` options: (flag, container, leaf, type, help). "flag" options store true.
NEIGHBOR_OPTIONS: tuple[tuple[str, str, str, Any, str], ...] = (
    ("--description", "config", "description", str, "free text"),
    ("--local-address", "transport", "local-address", str, "source address of the session"),
    ("--passive", "transport", "passive-mode", bool, "wait for the peer to connect"),
    ("--remote-port", "transport", "remote-port", int, "the peer's TCP port (default 179)"),
    ("--hold-time", "timers", "hold-time", int, "seconds (0 or at least 3)"),
    ("--keepalive-interval", "timers", "keepalive-interval", int, "seconds"),
    ("--connect-retry", "timers", "connect-retry", int, "seconds"),
    ("--multihop-ttl", "ebgp-multihop", "multihop-ttl", int, "enables eBGP multihop"),
)


def state_data(reply: str) -> dict[str, Any]:
    """An ``<rpc-reply>`` with ``<data>`` -> the model's file shape, typed."""
    nested = message.reply_data(reply) or {}
    shaped: dict[str, Any] = tree.coerce(tree.to_file_shape(nested))
    return shaped


def _filter(content: str) -> str:
    return f'<bgp xmlns="{PW_NS}">{content}</bgp>'


def _neighbor_filter(addr: str | None) -> str:
    if addr is None:
        return _filter("<neighbors/>")
    key = message.render({"neighbor-address": addr}).split("?>", 1)[-1].strip()
    return _filter(f"<neighbors><neighbor>{key}</neighbor></neighbors>")


def _neighbors(client: NetconfClient, addr: str | None) -> list[dict[str, Any]]:
    found = state_data(client.get(_neighbor_filter(addr))).get("neighbors") or []
    return [n for n in found if isinstance(n, dict)]


def _as_json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def show_neighbors(client: NetconfClient, args: argparse.Namespace) -> str:
    neighbors = _neighbors(client, None)
    return _as_json(neighbors) if args.json else fmt.neighbor_table(neighbors)


def show_neighbor(client: NetconfClient, args: argparse.Namespace) -> str:
    found = _neighbors(client, args.addr)
    if not found:
        raise LookupError(f"no neighbor {args.addr}")
    return _as_json(found[0]) if args.json else fmt.neighbor_detail(found[0], time.time())


def neighbor_config(args: argparse.Namespace) -> dict[str, Any]:
    """The file-shaped neighbor that ``neighbor add`` merges into running."""
    neighbor: dict[str, Any] = {
        "config": {"neighbor-address": args.addr, "peer-as": args.asn},
    }
    for flag, container, leaf, _kind, _help in NEIGHBOR_OPTIONS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is None or value is False:
            continue
        target = neighbor["config"] if container == "config" else _config(neighbor, container)
        target[leaf] = value
        if container == "ebgp-multihop":
            target["enabled"] = True
    return neighbor


def _config(neighbor: dict[str, Any], container: str) -> dict[str, Any]:
    config: dict[str, Any] = neighbor.setdefault(container, {}).setdefault("config", {})
    return config


def _edit(neighbors: list[dict[str, Any]], operation: str | None = None) -> str:
    nested = tree.to_nested({"neighbors": neighbors})
    if operation:
        for entry in nested["neighbors"]["neighbor"]:
            entry["@xmlns:nc"] = NC_NS
            entry["@nc:operation"] = operation
    body = message.render({"bgp": {"@xmlns": PW_NS, **nested}})
    return body.split("?>", 1)[-1].strip()


def _target(args: argparse.Namespace) -> str:
    return "candidate" if getattr(args, "candidate", False) else "running"


def add_neighbor(client: NetconfClient, args: argparse.Namespace) -> str:
    client.edit_config(_target(args), _edit([neighbor_config(args)]))
    return ""


def del_neighbor(client: NetconfClient, args: argparse.Namespace) -> str:
    neighbor = {"config": {"neighbor-address": args.addr}}
    client.edit_config(_target(args), _edit([neighbor], operation="delete"))
    return ""


def show_global(client: NetconfClient, args: argparse.Namespace) -> str:
    glob = state_data(client.get(_filter("<global/>"))).get("global") or {}
    return _as_json(glob) if args.json else fmt.global_text(glob)


COMMANDS: dict[str, Command] = {
    "neighbors": show_neighbors,
    "neighbor": show_neighbor,
    "add": add_neighbor,
    "del": del_neighbor,
    "global": show_global,
    "config-show": cfg.show,
    "config-diff": cfg.diff,
    "commit": cfg.commit,
    **rib.COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerwise", description="Talk to the Peerwise speaker.")
    parser.add_argument("--socket", default=DEFAULT_SOCKET, help=f"default {DEFAULT_SOCKET}")
    parser.add_argument("--host", help="reach a remote speaker over SSH (NETCONF, RFC 6242)")
    parser.add_argument("--port", type=int, default=830, help="SSH port (default 830)")
    parser.add_argument("--key", help="SSH private key file")
    parser.add_argument("--user", default="peerwise", help="SSH user name")
    parser.add_argument("--known-hosts", help="verify the speaker's host key against this file")
    parser.add_argument("-j", "--json", action="store_true", help="print the model's JSON")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="{neighbor,global,config,commit}"
    )
    neighbor = sub.add_parser("neighbor", help="show, add or delete neighbors")
    neighbor.add_argument("words", nargs="*", metavar="[ADDR | add ADDR as ASN | del ADDR]")
    for flag, _container, _leaf, kind, text in NEIGHBOR_OPTIONS:
        if kind is bool:
            neighbor.add_argument(flag, action="store_true", help=text)
        else:
            neighbor.add_argument(flag, type=kind, help=text)
    neighbor.add_argument("--candidate", action="store_true", help="edit the candidate")
    glob = sub.add_parser("global", help="show global settings and the RIB")
    rib.add_arguments(glob, neighbor)
    cfg.add_parsers(sub)
    for child in sub.choices.values():
        child.add_argument("-j", "--json", action="store_true", default=argparse.SUPPRESS)
    return parser


def _command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """Which row of COMMANDS the words name; fills ``args.addr`` and ``args.asn``."""
    if args.command == "global":
        return rib.command(args) or "global"
    if args.command == "commit":
        return str(args.command)
    if args.command == "config":
        return f"config-{args.action}"
    words = list(args.words)
    if not words:
        return "neighbors"
    if words[0] == "add" and len(words) == 4 and words[2] == "as":
        # A value that is not a number goes to the speaker as is: its refusal names the path.
        args.addr, args.asn = words[1], int(words[3]) if words[3].isdigit() else words[3]
        return "add"
    if words[0] == "del" and len(words) == 2:
        args.addr = words[1]
        return "del"
    if len(words) == 2 and words[1] in ("adj-in", "adj-out"):
        args.addr, args.which = words
        return "adj"
    if len(words) == 1 and words[0] not in ("add", "del"):
        args.addr = words[0]
        return "neighbor"
    parser.error("usage: peerwise neighbor [ADDR | add ADDR as ASN [options] | del ADDR]")
    raise AssertionError("unreachable")


def _connect(args: argparse.Namespace) -> NetconfClient:
    """The local socket, or SSH when ``--host`` is given (paramiko loaded only then)."""
    if not args.host:
        return NetconfClient(args.socket)
    from peerwise.mgmt.sshclient import connect_ssh

    return connect_ssh(args.host, args.port, args.key, args.user, known_hosts=args.known_hosts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = COMMANDS[_command(parser, args)]
    try:
        with _connect(args) as client:
            out = command(client, args)
            sys.stdout.write(out if not out or out.endswith("\n") else out + "\n")
    except NetconfError as exc:
        where = fmt.human_path(exc.error_path)
        text = exc.error_message or exc.error_tag
        print(f"error: {where}: {text}" if where else f"error: {text}", file=sys.stderr)
        return 1
    except (ConnectionError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
