"""ncclient's copy_config and delete_config (RFC 6241 §7.3, §7.4) against peerwised over SSH.

Loopback addresses 127.0.140.x: this file's own range, apart from the rest of the suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from peerwise.mgmt.client import impact

from .speakerd import Nbr, Speakerd, config_element, neighbor_xml

manager = pytest.importorskip("ncclient.manager")
operations = pytest.importorskip("ncclient.operations")

ADDRESS = "127.0.140.1"
NEIGHBORS = (Nbr("127.0.140.201", 65002), Nbr("127.0.140.202", 65003))
ADD = neighbor_xml("127.0.140.203", "<config><peer-as>65004</peer-as></config>")


def test_copy_and_delete_with_ncclient(speakerd: Callable[..., Speakerd]) -> None:
    daemon = speakerd(address=ADDRESS, neighbors=NEIGHBORS)
    with manager.connect(**daemon.ssh_params()) as nc:
        assert nc.edit_config(target="candidate", config=config_element(ADD)).ok
        assert nc.delete_config(target="candidate").ok
        assert "127.0.140.203" not in nc.get_config("candidate").data_xml

        assert nc.edit_config(target="candidate", config=config_element(ADD)).ok
        assert nc.copy_config(source="running", target="candidate").ok
        assert "127.0.140.203" not in nc.get_config("candidate").data_xml

        assert nc.edit_config(target="candidate", config=config_element(ADD)).ok
        copied = nc.copy_config(source="candidate", target="running")
        assert copied.ok and impact(copied.xml) == {"added": ["127.0.140.203"]}
        assert "127.0.140.203" in nc.get_config("running").data_xml

        with pytest.raises(operations.RPCError) as refused:
            nc.delete_config(target="running")
        assert refused.value.tag == "invalid-value"
    assert 'neighbor-address = "127.0.140.203"' in daemon.config.read_text()
