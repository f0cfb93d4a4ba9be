"""A real NETCONF client, ncclient, talks to the API over the Unix socket (connect_uds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .fakes import PW_NS, FakeServer
from .test_unix import serve

manager = pytest.importorskip("ncclient.manager")
operations = pytest.importorskip("ncclient.operations")

CONFIG = '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">{}</config>'
ADD = (
    f'<bgp xmlns="{PW_NS}"><neighbors><neighbor{{}}><neighbor-address>192.0.2.5</neighbor-address>'
    "<config><peer-as>65005</peer-as></config></neighbor></neighbors></bgp>"
)
ONE = (
    f'<bgp xmlns="{PW_NS}"><neighbors><neighbor><neighbor-address>192.0.2.3</neighbor-address>'
    "</neighbor></neighbors></bgp>"
)


def test_ncclient_session(tmp_path: Path) -> None:
    path, server = tmp_path / "api.sock", FakeServer()

    def client() -> dict[str, Any]:
        with manager.connect_uds(path=str(path), timeout=10) as nc:
            found: dict[str, Any] = {"caps": list(nc.server_capabilities)}
            found["one"] = nc.get(filter=("subtree", ONE)).data_xml
            found["edit"] = nc.edit_config(
                target="running", config=CONFIG.format(ADD.format(""))
            ).ok
            try:
                again = ADD.format(' operation="create"')
                nc.edit_config(target="running", config=CONFIG.format(again))
            except operations.RPCError as exc:
                found["error"] = (exc.tag, exc.path)
            with nc.locked("running"):
                found["validate"] = nc.validate(source="running").ok
            return found

    got = serve(path, server, client)
    assert "urn:ietf:params:netconf:base:1.1" in got["caps"]
    assert "192.0.2.3" in got["one"] and "192.0.2.2" not in got["one"]
    assert got["edit"] and got["validate"]
    assert got["error"] == (
        "data-exists",
        "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='192.0.2.5']",
    )
    assert server.config["neighbors"][-1]["config"]["peer-as"] == 65005
