"""NETCONF over SSH (RFC 6242): paramiko, subsystem ``netconf``, public-key authentication.

Off unless the daemon is given ``--netconf-listen ADDR:PORT``; it binds that address only.
Authentication is by public key against an authorized-keys file (OpenSSH format; the user name
is not checked — the key is the identity); a password is accepted only when a password file is
given (``user:password`` lines, refused unless mode 0600 or stricter). Nothing else opens a
channel: an unauthenticated client, a wrong key or a refused password gets no session.

paramiko is blocking, so each connection has a thread that reads the channel; it opens a
:class:`~peerwise.mgmt.session.NetconfSession` on the agent and hands it the bytes, both on the
event loop (``run_coroutine_threadsafe``): the datastores are only ever touched from the loop.
The host key is loaded from its file, or generated (RSA 3072) and written with mode 0600 on
first start.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import socket
import stat
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import paramiko
from paramiko.common import AUTH_FAILED, AUTH_SUCCESSFUL, OPEN_SUCCEEDED
from paramiko.common import OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED as OPEN_PROHIBITED

from peerwise.mgmt.agent import NetconfAgent
from peerwise.mgmt.session import NetconfSession

log = logging.getLogger(__name__)
T = TypeVar("T")

SUBSYSTEM = "netconf"  # RFC 6242 §3
AUTH_TIMEOUT = 30.0  # seconds for a client to authenticate and open the subsystem
READ_SIZE = 65536
HOST_KEY_BITS = 3072
CLOSE_WAIT = 2.0  # seconds a closed session waits for the client to hang up


def load_host_key(path: str | os.PathLike[str]) -> paramiko.PKey:
    """The host key in ``path``; generated (RSA) and saved with mode 0600 when missing."""
    where = Path(path)
    if where.exists():
        return paramiko.PKey.from_path(where)
    key = paramiko.RSAKey.generate(HOST_KEY_BITS)
    where.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        key.write_private_key(out)
    log.info("generated SSH host key %s", where)
    return key


def load_authorized_keys(path: str | os.PathLike[str]) -> frozenset[str]:
    """The base64 key blobs of an OpenSSH authorized_keys file (options are not supported)."""
    blobs = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        at = next((i for i, f in enumerate(fields) if _is_key_type(f)), None)
        if at is not None and at + 1 < len(fields):
            blobs.add(fields[at + 1])
    return frozenset(blobs)


def _is_key_type(field: str) -> bool:
    return field.startswith(("ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"))


def load_passwords(path: str | os.PathLike[str]) -> dict[str, str]:
    """``user:password`` lines; the file must not be readable by group or others."""
    where = Path(path)
    if stat.S_IMODE(where.stat().st_mode) & 0o077:
        raise PermissionError(f"{where}: a password file must be mode 0600 or stricter")
    pairs = {}
    for line in where.read_text(encoding="utf-8").splitlines():
        user, sep, password = line.partition(":")
        if sep and user.strip():
            pairs[user.strip()] = password
    return pairs


@dataclass(frozen=True)
class SshAuth:
    """Who may log in: key blobs, and passwords only when a password file was given."""

    authorized: frozenset[str]
    passwords: dict[str, str] | None = None


class _Gate(paramiko.ServerInterface):
    """paramiko's questions, answered from :class:`SshAuth`."""

    def __init__(self, auth: SshAuth) -> None:
        self.auth = auth
        self.subsystem = threading.Event()

    def get_allowed_auths(self, username: str) -> str:
        return "publickey,password" if self.auth.passwords else "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if key.get_base64() in self.auth.authorized:
            return AUTH_SUCCESSFUL
        return AUTH_FAILED

    def check_auth_password(self, username: str, password: str) -> int:
        expected = (self.auth.passwords or {}).get(username)
        if expected is not None and hmac.compare_digest(expected, password):
            return AUTH_SUCCESSFUL
        return AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return OPEN_SUCCEEDED
        return OPEN_PROHIBITED

    def check_channel_subsystem_request(self, channel: paramiko.Channel, name: str) -> bool:
        if name != SUBSYSTEM:
            return False
        self.subsystem.set()
        return True


class SshApi:
    """A running SSH listener: ``close()`` then ``await wait_closed()``."""

    def __init__(
        self, agent: NetconfAgent, address: str, port: int, host_key: paramiko.PKey, auth: SshAuth
    ) -> None:
        self.agent, self.address, self.port = agent, address, port
        self.host_key, self.auth = host_key, auth
        self._loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((address, port))
        self._sock.listen(16)
        self._sock.setblocking(False)
        self.port = self._sock.getsockname()[1]
        self._transports: set[paramiko.Transport] = set()
        self._accepting = self._loop.create_task(self._accept())

    async def _accept(self) -> None:
        while True:
            conn, peer = await self._loop.sock_accept(self._sock)
            conn.setblocking(True)
            threading.Thread(target=self._serve, args=(conn, peer), daemon=True).start()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _serve(self, conn: socket.socket, peer: Any) -> None:
        transport = paramiko.Transport(conn)
        self._transports.add(transport)
        try:
            transport.add_server_key(self.host_key)
            gate = _Gate(self.auth)
            transport.start_server(server=gate)
            channel = transport.accept(AUTH_TIMEOUT)
            if channel is None or not gate.subsystem.wait(AUTH_TIMEOUT):
                log.info("SSH %s: no authenticated netconf channel, closed", peer[0])
                return
            self._run(channel, transport)
        except (paramiko.SSHException, OSError, EOFError) as exc:
            log.info("SSH %s: %s", peer[0], exc)
        finally:
            self._transports.discard(transport)
            transport.close()

    def _run(self, channel: paramiko.Channel, transport: paramiko.Transport) -> None:
        session = self._call(_open(self.agent))
        session.closer = transport.close
        log.info("NETCONF session %d over SSH", session.session_id)
        try:
            channel.sendall(session.start())
            while not session.closed:
                data = channel.recv(READ_SIZE)
                if not data:
                    break
                out = self._call(session.feed(data))
                if out:
                    channel.sendall(out)
            _drain(channel)  # close-session: let the client close first (no reset)
        finally:
            with contextlib.suppress(RuntimeError):
                self._call(_close(session))
            channel.close()

    def close(self) -> None:
        """Stop listening and end every session."""
        self._accepting.cancel()
        self._sock.close()
        for transport in list(self._transports):
            transport.close()

    async def wait_closed(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await self._accepting


def _drain(channel: paramiko.Channel) -> None:
    """Read until the client closes the channel, for at most CLOSE_WAIT seconds."""
    channel.settimeout(CLOSE_WAIT)
    with contextlib.suppress(OSError, paramiko.SSHException):
        while channel.recv(READ_SIZE):
            pass


async def _open(agent: NetconfAgent) -> NetconfSession:
    return NetconfSession(agent)  # on the loop: it joins the agent


async def _close(session: NetconfSession) -> None:
    session.close()


async def start_ssh_server(
    agent: NetconfAgent,
    listen: str,
    host_key: str | os.PathLike[str],
    authorized_keys: str | os.PathLike[str],
    password_file: str | os.PathLike[str] | None = None,
) -> SshApi:
    """Serve NETCONF over SSH on ``listen`` (``ADDR:PORT``, ``[v6]:PORT``) for ``agent``."""
    address, port = parse_listen(listen)
    auth = SshAuth(
        load_authorized_keys(authorized_keys),
        load_passwords(password_file) if password_file else None,
    )
    api = SshApi(agent, address, port, load_host_key(host_key), auth)
    log.info("NETCONF over SSH listening on %s port %d", address, api.port)
    return api


def parse_listen(listen: str) -> tuple[str, int]:
    """``127.0.0.1:830`` or ``[::1]:830`` -> (address, port)."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"--netconf-listen {listen!r}: expected ADDR:PORT")
    return host.strip("[]"), int(port)
