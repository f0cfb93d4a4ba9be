"""playbooks/peer.yml on a two-host lab: real SSH, real speakers, real BGP sessions.

Brings the lab up from nothing (lab/lab down, then up 2), runs the playbook, checks the
sessions from bgp_facts and from the CLI over SSH, runs the playbook again and expects no
change, and removes the lab at the end (also when a test fails).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab" / "lab"
STATE = REPO / "lab" / "state"
INVENTORY = STATE / "inventory.ini"
VENV_BIN = REPO / ".venv" / "bin"
HOSTS = {
    "node1": ("198.18.0.11", "198.18.0.12", 65002),
    "node2": ("198.18.0.12", "198.18.0.11", 65001),
}
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root (network namespaces)"),
    pytest.mark.skipif(not shutil.which("ip"), reason="the lab needs iproute2"),
]


def run(argv, env=None, timeout=600):
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def env():
    """ansible's environment: this checkout is the collection peerwise.bgp."""
    root = Path(tempfile.mkdtemp(prefix="pw-lab-collections-"))
    (root / "ansible_collections" / "peerwise").mkdir(parents=True)
    (root / "ansible_collections" / "peerwise" / "bgp").symlink_to(REPO)
    environ = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(root), ANSIBLE_NOCOLOR="1")
    environ["ANSIBLE_HOST_KEY_CHECKING"] = "True"
    yield environ
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def speaker(tmp_path_factory):
    """A snapshot of speaker/: both runs install the same source even while it is edited."""
    copy = tmp_path_factory.mktemp("speaker") / "speaker"
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "*.pyc")
    shutil.copytree(REPO / "speaker", copy, ignore=junk)
    return copy


@pytest.fixture(scope="module")
def lab():
    run([str(LAB), "down"])
    try:
        run([str(LAB), "up", "2"])
        yield INVENTORY
    finally:
        run([str(LAB), "down"])


def playbook(env, inventory, speaker):
    out = run(
        [
            str(VENV_BIN / "ansible-playbook"),
            *("-i", str(inventory), "-e", f"peerwise_source={speaker}", "playbooks/peer.yml"),
        ],
        env=env,
    )
    recap = {m[0]: tuple(int(x) for x in m[1:]) for m in RECAP.findall(out)}
    assert set(recap) == set(HOSTS), out[-3000:]
    return recap


@pytest.fixture(scope="module")
def first_run(lab, env, speaker):
    return playbook(env, lab, speaker)


def test_first_run_changes_and_succeeds(first_run):
    for host, (_ok, changed, unreachable, failed) in first_run.items():
        assert (unreachable, failed) == (0, 0), host
        assert changed > 0, f"{host}: bare host, yet nothing changed"


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_bgp_facts_show_established(first_run, lab, env, host):
    _me, peer, peer_as = HOSTS[host]
    out = run(
        [str(VENV_BIN / "ansible"), "-i", str(lab), host, "-m", "peerwise.bgp.bgp_facts"],
        env=dict(env, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json"),
    )
    facts = json.loads(out)["plays"][0]["tasks"][0]["hosts"][host]["ansible_facts"]["bgp"]
    neighbor = facts["neighbors"][peer]
    assert facts["established"] == [peer]
    assert (neighbor["session_state"], neighbor["peer_as"]) == ("ESTABLISHED", peer_as)
    assert neighbor["four_octet_as"] and neighbor["route_refresh"]
    assert "ipv4-unicast" in neighbor["afi_safis"]["negotiated"]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_cli_over_ssh_shows_established(first_run, host):
    me, peer, _peer_as = HOSTS[host]
    ssh = [
        "ssh",
        "-i",
        str(STATE / "id_ed25519"),
        "-o",
        f"UserKnownHostsFile={STATE}/known_hosts",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
    ]
    out = run([*ssh, f"root@{me}", "hostname; /opt/peerwise/venv/bin/peerwise neighbor"])
    lines = out.splitlines()
    assert lines[0] == host
    assert any(line.split()[:1] == [peer] and "Establ" in line for line in lines[1:]), out


def test_second_run_changes_nothing(first_run, lab, env, speaker):
    for host, (_ok, changed, unreachable, failed) in playbook(env, lab, speaker).items():
        assert (changed, unreachable, failed) == (0, 0, 0), host


def test_down_leaves_nothing(lab):
    run([str(LAB), "down"])
    assert "pwlab-" not in run(["ip", "netns", "list"])
    assert "pwlab-" not in run(["ip", "-br", "link"])
    assert not STATE.exists()
