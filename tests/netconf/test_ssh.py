"""ncclient (a real NETCONF client) against peerwised over SSH: hello in both framings,
filters, candidate edit / validate / commit, locks, rpc-errors, and authentication."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paramiko
import pytest

from peerwise.mgmt.client import impact

from .speakerd import SSH_PORT, Nbr, Speakerd, client_key, config_element, neighbor_xml

# The newest revision statement of the module (RFC 7950 §7.1.9 lists them newest first).
NEWEST_REVISION = re.findall(
    r"^\s*revision\s+(\d{4}-\d{2}-\d{2})",
    (Path(__file__).resolve().parents[2] / "yang" / "peerwise-bgp.yang").read_text(),
    re.M,
)[0]

manager = pytest.importorskip("ncclient.manager")
operations = pytest.importorskip("ncclient.operations")
default_handler = pytest.importorskip("ncclient.devices.default")
transport_errors = pytest.importorskip("ncclient.transport.errors")

NC = "urn:ietf:params:netconf"
CAPABILITIES = [
    f"{NC}:base:1.0",
    f"{NC}:base:1.1",
    f"{NC}:capability:writable-running:1.0",
    f"{NC}:capability:candidate:1.0",
    f"{NC}:capability:confirmed-commit:1.1",
    f"{NC}:capability:rollback-on-error:1.0",
    f"{NC}:capability:validate:1.1",
    f"{NC}:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,trim",
    f"urn:peerwise:yang:peerwise-bgp?module=peerwise-bgp&revision={NEWEST_REVISION}",
]
NEIGHBORS = (Nbr("127.0.59.201", 65002, description="two"), Nbr("127.0.59.202", 65003))


class Base10Only(default_handler.DefaultDeviceHandler):  # type: ignore[misc,name-defined]
    """A client whose hello offers base:1.0 only: the session stays in end-of-message framing."""

    def get_capabilities(self) -> list[str]:
        return [f"{NC}:base:1.0"]


@pytest.fixture
def daemon(speakerd: Callable[..., Speakerd]) -> Speakerd:
    return speakerd(neighbors=NEIGHBORS)


@pytest.mark.parametrize("framing", ["base:1.1", "base:1.0"])
def test_hello_and_get_in_both_framings(daemon: Speakerd, framing: str) -> None:
    extra: dict[str, Any] = {}
    if framing == "base:1.0":
        extra["device_params"] = {"handler": Base10Only}
    with manager.connect(**daemon.ssh_params(), **extra) as nc:
        assert list(nc.server_capabilities) == CAPABILITIES
        assert nc.session_id.isdigit()
        one = neighbor_xml("127.0.59.202")
        got = nc.get(filter=("subtree", one)).data_xml
        assert "127.0.59.202" in got and "127.0.59.201" not in got
        assert "<session-state>" in got  # get carries state
        config = nc.get_config("running", filter=("subtree", one)).data_xml
        assert "127.0.59.202" in config and "<session-state>" not in config


def test_candidate_edit_validate_commit(daemon: Speakerd) -> None:
    add = neighbor_xml("127.0.59.203", "<config><peer-as>65004</peer-as></config>")
    with manager.connect(**daemon.ssh_params()) as nc:
        assert nc.edit_config(target="candidate", config=config_element(add)).ok
        assert "127.0.59.203" not in nc.get_config("running").data_xml
        assert "127.0.59.203" in nc.get_config("candidate").data_xml
        checked = nc.validate(source="candidate")
        assert checked.ok and impact(checked.xml) == {"added": ["127.0.59.203"]}
        assert nc.commit().ok
        assert "127.0.59.203" in nc.get_config("running").data_xml
        assert nc.get_config("running").data_xml == nc.get_config("running").data_xml
    assert 'neighbor-address = "127.0.59.203"' in daemon.config.read_text()


def test_lock_contention_names_the_holder(daemon: Speakerd) -> None:
    params = daemon.ssh_params()
    with manager.connect(**params) as first, manager.connect(**params) as second:
        assert first.lock("candidate").ok
        with pytest.raises(operations.RPCError) as denied:
            second.lock("candidate")
        assert denied.value.tag == "lock-denied"
        info = str(denied.value.info)
        assert f"session-id>{first.session_id}</" in info, info


BAD_EDITS = {
    "value the model refuses": (
        neighbor_xml("127.0.59.201", "<config><peer-as>70000000000</peer-as></config>"),
        "invalid-value",
        "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='127.0.59.201']"
        "/pw-bgp:config/pw-bgp:peer-as",
    ),
    "unknown element": (
        neighbor_xml("127.0.59.201", "<config><colour>red</colour></config>"),
        "unknown-element",
        "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='127.0.59.201']"
        "/pw-bgp:config/pw-bgp:colour",
    ),
    "wrong namespace": (
        '<bgp xmlns="urn:example:other"><global/></bgp>',
        "unknown-namespace",
        "/pw-bgp:bgp",
    ),
    "key change": (
        neighbor_xml(
            "127.0.59.201", "<config><neighbor-address>127.0.59.209</neighbor-address></config>"
        ),
        "invalid-value",
        "/pw-bgp:bgp/pw-bgp:neighbors/pw-bgp:neighbor[pw-bgp:neighbor-address='127.0.59.201']"
        "/pw-bgp:config/pw-bgp:neighbor-address",
    ),
}


@pytest.mark.parametrize(("edit", "tag", "path"), BAD_EDITS.values(), ids=BAD_EDITS.keys())
@pytest.mark.parametrize("target", ["candidate", "running"])
def test_invalid_edits_get_rpc_errors(
    daemon: Speakerd, target: str, edit: str, tag: str, path: str
) -> None:
    before = daemon.config.read_text()
    with manager.connect(**daemon.ssh_params()) as nc:
        running = nc.get_config("running").data_xml
        with pytest.raises(operations.RPCError) as refused:
            nc.edit_config(target=target, config=config_element(edit))
        assert (refused.value.tag, refused.value.path) == (tag, path)
        assert refused.value.message
        assert nc.get_config("running").data_xml == running
        assert nc.get_config("candidate").data_xml == running
    assert daemon.config.read_text() == before


def _connect(daemon: Speakerd, **kwargs: Any) -> paramiko.SSHClient:
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(daemon.address, SSH_PORT, username="netconf", allow_agent=False,
                look_for_keys=False, timeout=10, auth_timeout=10, **kwargs)  # fmt: skip
    return ssh


def test_wrong_key_no_key_and_password_are_refused(daemon: Speakerd, tmp_path: Path) -> None:
    other = paramiko.Ed25519Key.from_private_key_file(str(daemon.key))  # sanity: ours loads
    assert other.get_base64() in daemon.authorized.read_text()
    wrong = client_key(tmp_path)  # a key pair the daemon has never seen
    for kwargs in ({"key_filename": str(wrong)}, {"password": "secret"}):
        with pytest.raises(paramiko.AuthenticationException):
            _connect(daemon, **kwargs).close()
    transport = paramiko.Transport((daemon.address, SSH_PORT))
    try:
        transport.start_client(timeout=10)
        with pytest.raises(paramiko.BadAuthenticationType) as none:
            transport.auth_none("netconf")  # no key at all
        assert none.value.allowed_types == ["publickey"]
        assert not transport.is_authenticated()
        with pytest.raises(paramiko.SSHException):
            transport.open_session(timeout=5)  # nothing opens without authentication
    finally:
        transport.close()
    params = {**daemon.ssh_params(), "key_filename": str(wrong)}
    with pytest.raises(transport_errors.AuthenticationError):
        manager.connect(**params)
    with pytest.raises(transport_errors.AuthenticationError):
        manager.connect(**{**params, "key_filename": None, "password": "secret"})


def test_password_only_when_enabled(speakerd: Callable[..., Speakerd], tmp_path: Path) -> None:
    secrets = tmp_path / "passwords"
    secrets.write_text("netconf:s3cret\n")
    secrets.chmod(0o600)
    daemon = speakerd(extra=("--netconf-password-file", str(secrets)))
    params = {**daemon.ssh_params(), "key_filename": None}
    with manager.connect(**params, password="s3cret") as nc:
        assert nc.get_config("running").ok
    with pytest.raises(transport_errors.AuthenticationError):
        manager.connect(**params, password="wrong")


def test_host_key_is_generated_private_and_kept(daemon: Speakerd) -> None:
    assert daemon.host_key.stat().st_mode & 0o777 == 0o600
    first = daemon.host_key.read_bytes()
    daemon.stop()
    daemon.start()
    assert daemon.host_key.read_bytes() == first
