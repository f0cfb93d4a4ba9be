"""Standard tooling unchanged: ansible.netcommon.netconf_get and netconf_config over the
ansible.netcommon.netconf connection (ncclient over SSH) against peerwised, check mode too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .speakerd import PW_NS, SSH_PORT, Nbr, Speakerd, config_element, neighbor_xml

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
NEW = config_element(
    neighbor_xml(
        "127.0.59.230",
        "<config><peer-as>65230</peer-as><description>from-ansible</description></config>",
    )
)
PLAYBOOK = """
- hosts: speaker
  gather_facts: false
  tasks:
    - name: read the neighbors
      ansible.netcommon.netconf_get:
        source: running
        filter: '<bgp xmlns="{ns}"><neighbors/></bgp>'
        display: xml
      register: before
    - name: add a neighbor, check mode
      ansible.netcommon.netconf_config:
        content: '{new}'
        target: candidate
      check_mode: true
      register: predicted
    - name: read again after check mode
      ansible.netcommon.netconf_get:
        source: running
        filter: '<bgp xmlns="{ns}"><neighbors/></bgp>'
      register: unchanged
    - name: add a neighbor
      ansible.netcommon.netconf_config:
        content: '{new}'
        target: candidate
      register: added
    - name: add it again (idempotent)
      ansible.netcommon.netconf_config:
        content: '{new}'
        target: candidate
      register: again
    - name: results
      ansible.builtin.copy:
        dest: "{out}"
        content: "{{{{ {{'before': before.stdout, 'predicted': predicted.changed,
          'unchanged': unchanged.stdout, 'added': added.changed,
          'again': again.changed}} | to_json }}}}"
"""


@pytest.mark.skipif(not ANSIBLE_PLAYBOOK.exists(), reason="ansible is not in the venv")
def test_netconf_get_and_config_with_check_mode(
    speakerd: Callable[..., Speakerd], tmp_path: Path
) -> None:
    daemon = speakerd(neighbors=(Nbr("127.0.59.231", 65231),))
    out = tmp_path / "result.json"
    (tmp_path / "site.yml").write_text(PLAYBOOK.format(ns=PW_NS, new=NEW, out=out))
    (tmp_path / "hosts.ini").write_text(
        f"speaker ansible_host={daemon.address} ansible_port={SSH_PORT} ansible_user=netconf "
        f"ansible_connection=ansible.netcommon.netconf ansible_network_os=default "
        f"ansible_ssh_private_key_file={daemon.key}\n"
    )
    env = {
        **os.environ,
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"),
        "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(tmp_path / "pc"),
        "PATH": f"{ANSIBLE_PLAYBOOK.parent}:{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(tmp_path / "hosts.ini"), str(tmp_path / "site.yml")],
        capture_output=True, text=True, timeout=240, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert "127.0.59.231" in result["before"] and "127.0.59.230" not in result["before"]
    assert result["predicted"] is True, "check mode predicts the change"
    assert "127.0.59.230" not in result["unchanged"], "check mode applied nothing"
    assert result["added"] is True and result["again"] is False
    assert 'description = "from-ansible"' in daemon.config.read_text()
