"""``peerwised``: load the config, run the BGP server and its NETCONF API, obey signals.

SIGHUP re-reads the file: a valid one is applied as a difference (``Server.apply``); an
invalid one is logged, error by error, and the running config is kept. SIGTERM and SIGINT
send Cease / Administrative Shutdown to every peer and exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from peerwise.model import ConfigInvalid, load_file
from peerwise.session import Server

log = logging.getLogger("peerwise.daemon")
DEFAULT_API_SOCKET = "/run/peerwise/api.sock"
EXIT_CONFIG = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="peerwised", description="Peerwise BGP-4 speaker")
    parser.add_argument("-f", "--config-file", required=True, help="config file")
    parser.add_argument("-t", "--config-type", choices=("toml", "yaml", "json"), default=None)
    parser.add_argument("--api-socket", default=DEFAULT_API_SOCKET, help="NETCONF Unix socket")
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )
    return parser.parse_args(argv)


def _load(args: argparse.Namespace) -> dict[str, Any]:
    return load_file(args.config_file, args.config_type)


async def _start_api(server: Server, path: str) -> Any:
    """The NETCONF API (peerwise.mgmt); absent or failing, the speaker runs without it."""
    try:
        from peerwise.mgmt import start_unix_server
    except ImportError:
        log.warning("peerwise.mgmt.start_unix_server is not available: no NETCONF API")
        return None
    try:
        return await start_unix_server(server, path)
    except OSError as exc:
        log.error("cannot open the API socket %s: %s", path, exc)
        return None


async def _reload(server: Server, args: argparse.Namespace) -> None:
    log.info("SIGHUP: re-reading %s", args.config_file)
    try:
        new = _load(args)
    except ConfigInvalid as exc:
        for error in exc.errors:
            log.error("config refused, keeping the running config: %s", error)
        return
    except OSError as exc:
        log.error("cannot read %s, keeping the running config: %s", args.config_file, exc)
        return
    await server.apply(new)


async def run(args: argparse.Namespace, config: dict[str, Any]) -> int:
    server = Server(config)
    await server.start()
    api = await _start_api(server, args.api_socket)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    reloads: set[asyncio.Task[None]] = set()

    def on_hup() -> None:
        task = loop.create_task(_reload(server, args))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hup)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("peerwised running (AS %s, router-id %s)", server.glob.asn, server.glob.router_id)
    await stop.wait()
    log.info("stopping: Cease / Administrative Shutdown to every peer")
    await server.shutdown()
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
    try:
        config = _load(args)
    except ConfigInvalid as exc:
        for error in exc.errors:
            print(f"{error.path}: {error.message}" if error.path else error.message,
                  file=sys.stderr)  # fmt: skip
        return EXIT_CONFIG
    except OSError as exc:
        print(f"{args.config_file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(run(args, config))


if __name__ == "__main__":
    sys.exit(main())
