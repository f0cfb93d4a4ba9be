"""``peerwised``: load the config, run the BGP server and its NETCONF API, obey signals.

The ``-f`` file is the one persistent store (:mod:`peerwise.store`): it is read at start,
re-read on SIGHUP (a valid file is applied as a difference; an invalid one is logged, error by
error, and the running config is kept), and rewritten atomically by every commit to running
made through NETCONF or the CLI. SIGTERM and SIGINT send Cease / Administrative Shutdown to
every peer and exit 0.

NETCONF is served on the Unix socket (``--api-socket``) and, when ``--netconf-listen ADDR:PORT``
is given, over SSH (``--host-key``, ``--authorized-keys``, optionally
``--netconf-password-file``); both transports share one agent, so one candidate and one set
of locks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from peerwise.mgmt.agent import NetconfAgent
from peerwise.model import ConfigInvalid, defaults
from peerwise.session import Server
from peerwise.store import ConfigFile

log = logging.getLogger("peerwise.daemon")
DEFAULT_API_SOCKET = "/run/peerwise/api.sock"
DEFAULT_HOST_KEY = "/etc/peerwise/ssh_host_key"
DEFAULT_AUTHORIZED_KEYS = "/etc/peerwise/authorized_keys"
EXIT_CONFIG = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="peerwised", description="Peerwise BGP-4 speaker")
    parser.add_argument("-f", "--config-file", required=True, help="config file (persistent)")
    parser.add_argument("-t", "--config-type", choices=("toml", "yaml", "json"), default=None)
    parser.add_argument("--api-socket", default=DEFAULT_API_SOCKET, help="NETCONF Unix socket")
    parser.add_argument(
        "--netconf-listen", metavar="ADDR:PORT", help="serve NETCONF over SSH (off by default)"
    )
    parser.add_argument("--host-key", default=DEFAULT_HOST_KEY, help="created when missing")
    parser.add_argument("--authorized-keys", default=DEFAULT_AUTHORIZED_KEYS)
    parser.add_argument(
        "--netconf-password-file", metavar="FILE", help="user:password lines; enables passwords"
    )
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )
    return parser.parse_args(argv)


async def _start_api(server: Server, path: str, agent: NetconfAgent) -> Any:
    """The NETCONF API on the Unix socket; failing, the speaker runs without it."""
    from peerwise.mgmt.unix import start_unix_server

    try:
        return await start_unix_server(server, path, agent=agent)
    except OSError as exc:
        log.error("cannot open the API socket %s: %s", path, exc)
        return None


async def _start_ssh(args: argparse.Namespace, agent: NetconfAgent) -> Any:
    if not args.netconf_listen:
        return None
    from peerwise.mgmt.ssh import start_ssh_server

    return await start_ssh_server(
        agent,
        args.netconf_listen,
        args.host_key,
        args.authorized_keys,
        args.netconf_password_file,
    )


async def _reload(agent: NetconfAgent, store: ConfigFile) -> None:
    log.info("SIGHUP: re-reading %s", store.path)
    try:
        new = store.read()
    except ConfigInvalid as exc:
        for error in exc.errors:
            log.error("config refused, keeping the running config: %s", error)
        return
    except OSError as exc:
        log.error("cannot read %s, keeping the running config: %s", store.path, exc)
        return
    try:
        await agent.reload(new)
    except Exception as exc:  # an RpcError: the model or the speaker refused it
        log.error("config refused, keeping the running config: %s", exc)


async def run(args: argparse.Namespace, store: ConfigFile, config: dict[str, Any]) -> int:
    server = Server(defaults(config))
    await server.start()
    agent = NetconfAgent(server, running=config, persist=store.write)
    apis = [await _start_api(server, args.api_socket, agent)]
    try:
        apis.append(await _start_ssh(args, agent))
    except (OSError, ValueError) as exc:
        log.error("cannot serve NETCONF over SSH: %s", exc)
        await server.shutdown()
        return EXIT_CONFIG
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    reloads: set[asyncio.Task[None]] = set()

    def on_hup() -> None:
        task = loop.create_task(_reload(agent, store))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hup)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("peerwised running (AS %s, router-id %s)", server.glob.asn, server.glob.router_id)
    await stop.wait()
    log.info("stopping: Cease / Administrative Shutdown to every peer")
    agent.spent()
    await server.shutdown()
    for api in apis:
        if api is not None:
            api.close()
            with contextlib.suppress(Exception):
                await api.wait_closed()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("paramiko").setLevel(logging.WARNING)
    try:
        store = ConfigFile.of(args.config_file, args.config_type)
        store.clean()
        config = store.read()
    except ConfigInvalid as exc:
        for error in exc.errors:
            print(f"{error.path}: {error.message}" if error.path else error.message,
                  file=sys.stderr)  # fmt: skip
        return EXIT_CONFIG
    except OSError as exc:
        print(f"{args.config_file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(run(args, store, config))


if __name__ == "__main__":
    sys.exit(main())
