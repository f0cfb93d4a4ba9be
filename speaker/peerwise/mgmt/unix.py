"""The local API: NETCONF over a Unix socket (default /run/peerwise/api.sock, mode 0600).

Each connection opens one :class:`~peerwise.mgmt.session.NetconfSession` on the speaker's
:class:`~peerwise.mgmt.agent.NetconfAgent`; this module only moves bytes between the socket and
the session. The socket file's mode is the access control, so it
is created 0600 (umask during bind, chmod after) in a parent directory created if missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peerwise.mgmt.agent import NetconfAgent, Server, Validator, model_defaults, model_validate
from peerwise.mgmt.session import NetconfSession

log = logging.getLogger(__name__)

DEFAULT_SOCKET = "/run/peerwise/api.sock"
READ_SIZE = 65536


class UnixApi:
    """A running Unix socket listener: ``close()`` then ``await wait_closed()``."""

    def __init__(self, agent: NetconfAgent, path: Path) -> None:
        self.agent = agent
        self.path = path
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def _start(self) -> None:
        old_umask = os.umask(0o177)
        try:
            self._server = await asyncio.start_unix_server(self._serve, path=str(self.path))
        finally:
            os.umask(old_umask)
        os.chmod(self.path, 0o600)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = NetconfSession(self.agent)
        session.closer = writer.close
        self._writers.add(writer)
        try:
            writer.write(session.start())
            await writer.drain()
            while not session.closed:
                data = await reader.read(READ_SIZE)
                if not data:
                    break
                out = await session.feed(data)
                if out:
                    writer.write(out)
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            log.debug("session %d: %s", session.session_id, exc)
        finally:
            session.close()
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def close(self) -> None:
        """Stop listening, end every session and remove the socket file."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        with contextlib.suppress(FileNotFoundError):
            if _is_socket(self.path):
                self.path.unlink()

    async def wait_closed(self) -> None:
        if self._server is not None:
            await self._server.wait_closed()


def _is_socket(path: Path) -> bool:
    return stat.S_ISSOCK(path.lstat().st_mode)


def _clear_stale(path: Path) -> None:
    """Remove a socket file nobody listens on; refuse a live one or any other file."""
    if not path.exists() and not path.is_symlink():
        return
    if not _is_socket(path):
        raise FileExistsError(f"{path} exists and is not a socket")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()  # stale: left by a speaker that did not exit cleanly
        return
    finally:
        probe.close()
    raise OSError(f"another speaker is listening on {path}")


async def start_unix_server(
    server: Server,
    path: str | os.PathLike[str] = DEFAULT_SOCKET,
    validate: Validator = model_validate,
    complete: Callable[[dict[str, Any]], dict[str, Any]] = model_defaults,
    agent: NetconfAgent | None = None,
) -> UnixApi:
    """Serve NETCONF for ``server`` on the Unix socket ``path``.

    ``validate`` and ``complete`` default to the model's validation and defaults; tests pass
    stand-ins. ``agent``, when given, is shared with other transports (the daemon's SSH).
    """
    where = Path(path)
    where.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(where)
    api = UnixApi(agent or NetconfAgent(server, validate, complete), where)
    await api._start()
    log.info("NETCONF API listening on %s", where)
    return api
