"""The stdlib :class:`~peerwise.mgmt.client.NetconfClient` over SSH (paramiko), for the CLI.

    with connect_ssh("127.0.50.1", 8300, key_filename="id_ed25519") as nc:
        nc.get_config("candidate")

The server's host key is checked against ``known_hosts`` when given (unknown keys refused);
without it the key is accepted and logged (first contact: pass ``--known-hosts`` to pin it).
"""

from __future__ import annotations

import logging

import paramiko

from peerwise.mgmt.client import NetconfClient

log = logging.getLogger(__name__)
SUBSYSTEM = "netconf"  # RFC 6242 §3


def connect_ssh(
    host: str,
    port: int = 830,
    key_filename: str | None = None,
    username: str = "peerwise",
    password: str | None = None,
    known_hosts: str | None = None,
    timeout: float = 30.0,
) -> NetconfClient:
    """An authenticated NETCONF session over SSH; ConnectionError when refused."""
    ssh = paramiko.SSHClient()
    if known_hosts:
        ssh.load_host_keys(known_hosts)
        ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
    else:
        ssh.set_missing_host_key_policy(paramiko.WarningPolicy())
    try:
        ssh.connect(
            host,
            port,
            username=username,
            key_filename=key_filename,
            password=password,
            allow_agent=False,
            look_for_keys=False,
            timeout=timeout,
            auth_timeout=timeout,
        )
        channel = ssh.get_transport().open_session(timeout=timeout)  # type: ignore[union-attr]
        channel.settimeout(timeout)
        channel.invoke_subsystem(SUBSYSTEM)
    except (paramiko.SSHException, OSError) as exc:
        ssh.close()
        raise ConnectionError(f"cannot reach the speaker at {host}:{port}: {exc}") from exc
    client = NetconfClient(f"{host}:{port}", timeout, sock=_Channel(channel, ssh))
    return client


class _Channel:
    """A channel that also closes its SSH connection."""

    def __init__(self, channel: paramiko.Channel, ssh: paramiko.SSHClient) -> None:
        self._channel, self._ssh = channel, ssh

    def sendall(self, data: bytes) -> None:
        self._channel.sendall(data)

    def recv(self, size: int) -> bytes:
        return self._channel.recv(size)

    def close(self) -> None:
        self._channel.close()
        self._ssh.close()
