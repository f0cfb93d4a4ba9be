"""The Unix socket server and the stdlib client, end to end on a real socket in a tmp dir."""

from __future__ import annotations

import asyncio
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from peerwise.mgmt import start_unix_server
from peerwise.mgmt.client import NetconfClient, NetconfError
from peerwise.mgmt.framing import Framing

from .fakes import PW_NS, FakeServer, fake_validate

T = TypeVar("T")


def serve(path: Path, server: FakeServer, client: Callable[[], T]) -> T:
    """Run ``client`` (blocking) in a thread while the API serves ``server`` on ``path``."""

    async def run() -> T:
        api = await start_unix_server(server, path, validate=fake_validate, complete=dict)
        try:
            return await asyncio.get_running_loop().run_in_executor(None, client)
        finally:
            api.close()
            await api.wait_closed()

    return asyncio.run(run())


def test_socket_is_private_in_a_created_directory(tmp_path: Path) -> None:
    path = tmp_path / "run" / "peerwise" / "api.sock"
    mode = serve(path, FakeServer(), lambda: path.stat().st_mode)
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    assert not path.exists(), "close() removes the socket file"


def test_client_round_trip(tmp_path: Path) -> None:
    path, server = tmp_path / "api.sock", FakeServer()
    add = (
        f'<bgp xmlns="{PW_NS}"><neighbors><neighbor><neighbor-address>192.0.2.4</neighbor-address>'
        "<config><peer-as>65004</peer-as></config></neighbor></neighbors></bgp>"
    )

    def client() -> dict[str, Any]:
        with NetconfClient(str(path)) as nc:
            one = nc.get(
                f'<bgp xmlns="{PW_NS}"><neighbors><neighbor><neighbor-address>'
                "192.0.2.3</neighbor-address></neighbor></neighbors></bgp>"
            )
            edited = nc.edit_config("running", add)
            running = nc.get_config("running")
            return {
                "caps": nc.server_capabilities,
                "id": nc.session_id,
                "one": one,
                "edited": edited,
                "running": running,
                "chunked": nc.framing is Framing.CHUNKED,
            }

    got = serve(path, server, client)
    assert "urn:ietf:params:netconf:base:1.1" in got["caps"] and got["chunked"]
    assert got["id"] == 1
    assert "192.0.2.3" in got["one"] and "192.0.2.2" not in got["one"]
    assert "<ok/>" in got["edited"]
    assert "192.0.2.4" in got["running"]
    assert server.config["neighbors"][-1]["config"] == {
        "neighbor-address": "192.0.2.4",
        "peer-as": 65004,
    }


def test_client_raises_rpc_errors(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    bad = (
        f'<bgp xmlns="{PW_NS}"><neighbors><neighbor><neighbor-address>192.0.2.2</neighbor-address>'
        "<config><peer-as>70000000000</peer-as></config></neighbor></neighbors></bgp>"
    )

    def client() -> NetconfError:
        with NetconfClient(str(path)) as nc, pytest.raises(NetconfError) as caught:
            nc.edit_config("running", bad)
        return caught.value

    error = serve(path, FakeServer(), client)
    assert error.error_tag == "invalid-value"
    assert error.error_type == "application"
    assert error.error_path.endswith("/pw-bgp:config/pw-bgp:peer-as")
    assert str(error) == f"{error.error_path}: 70000000000 is not a uint32"


def test_absent_socket_is_a_clear_connection_error(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    with pytest.raises(ConnectionError, match=f"cannot reach the speaker at {path}: No such file"):
        NetconfClient(str(path))


def session_id(path: Path) -> int:
    with NetconfClient(str(path)) as nc:
        return nc.session_id


def test_stale_socket_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, nobody listens
    assert serve(path, FakeServer(), lambda: session_id(path)) == 1


def test_live_socket_or_other_file_is_not_replaced(tmp_path: Path) -> None:
    path, other = tmp_path / "api.sock", tmp_path / "file"
    other.write_text("keep me")
    live = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    live.bind(str(path))
    live.listen()
    try:
        with pytest.raises(OSError, match="another speaker"):
            asyncio.run(start_unix_server(FakeServer(), path))
        with pytest.raises(FileExistsError):
            asyncio.run(start_unix_server(FakeServer(), other))
    finally:
        live.close()
    assert other.read_text() == "keep me"
