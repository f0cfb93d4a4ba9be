"""playbooks/peer.yml on a two-host lab: real SSH, real speakers, real BGP sessions.

One lab for the whole module (the speaker's pip install is the slow part). In order: bring the
lab up from nothing (lab/lab down, then up 2), run the playbook, check the sessions from
bgp_facts and from the CLI over SSH (the same values), run the playbook again and expect no
change, predict a change with --check --diff (the diff and the reset list, running untouched),
remove a neighbor (the peer sees Cease / Peer De-configured), then build the collection
tarball, install it into a fresh collections path and run peer.yml from there. The lab is
removed at the end (also when a test fails) — and at the start: a developer's lab goes too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
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
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
SSH = [
    *("ssh", "-i", str(STATE / "id_ed25519")),
    *("-o", f"UserKnownHostsFile={STATE}/known_hosts", "-o", "StrictHostKeyChecking=yes"),
    *("-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"),
]
CLI = "/opt/peerwise/venv/bin/peerwise"
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root (network namespaces)"),
    pytest.mark.skipif(not shutil.which("ip"), reason="the lab needs iproute2"),
]


def run(argv, env=None, timeout=600):
    done = subprocess.run(
        argv, capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO, check=False
    )
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


def recap_of(out, hosts=tuple(HOSTS)):
    recap = {m[0]: tuple(int(x) for x in m[1:]) for m in RECAP.findall(out)}
    assert set(recap) == set(hosts), out[-3000:]
    return recap


def playbook(env, inventory, speaker, path="playbooks/peer.yml"):
    extra = ["-e", f"peerwise_source={speaker}"] if speaker else []
    started = time.monotonic()
    out = run([str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), *extra, path], env=env)
    print(f"{path}: {time.monotonic() - started:.1f} s")
    return recap_of(out)


def facts(env, inventory, host):
    out = run(
        [str(VENV_BIN / "ansible"), "-i", str(inventory), host, "-m", "peerwise.bgp.bgp_facts"],
        env=dict(env, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json"),
    )
    return json.loads(out)["plays"][0]["tasks"][0]["hosts"][host]["ansible_facts"]["bgp"]


def cli_json(address, *argv):
    return json.loads(run([*SSH, f"root@{address}", CLI, "-j", *argv]))


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
    found = facts(env, lab, host)
    neighbor = found["neighbors"][peer]
    assert found["established"] == [peer]
    assert (neighbor["session_state"], neighbor["peer_as"]) == ("ESTABLISHED", peer_as)
    assert neighbor["four_octet_as"] and neighbor["route_refresh"]
    assert "ipv4-unicast" in neighbor["afi_safis"]["negotiated"]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_cli_over_ssh_shows_established(first_run, host):
    me, peer, _peer_as = HOSTS[host]
    out = run([*SSH, f"root@{me}", f"hostname; {CLI} neighbor"])
    lines = out.splitlines()
    assert lines[0] == host
    assert any(line.split()[:1] == [peer] and "Establ" in line for line in lines[1:]), out


def test_second_run_changes_nothing(first_run, lab, env, speaker):
    for host, (_ok, changed, unreachable, failed) in playbook(env, lab, speaker).items():
        assert (changed, unreachable, failed) == (0, 0, 0), host


def test_api_changes_survive_a_role_run(first_run, lab, env, speaker):
    """The role writes the file once; a route added through the CLI outlives its next run."""
    run([*SSH, "root@198.18.0.11", CLI, "global", "rib", "add", "-a", "ipv4", "10.0.0.0/24"])
    for host, (_ok, changed, unreachable, failed) in playbook(env, lab, speaker).items():
        assert (changed, unreachable, failed) == (0, 0, 0), host
    routes = run([*SSH, "root@198.18.0.12", CLI, "global", "rib"])
    assert re.search(r"^\*>\s+10\.0\.0\.0/24\s+198\.18\.0\.11\s", routes, re.M), routes
    run([*SSH, "root@198.18.0.11", CLI, "global", "rib", "del", "-a", "ipv4", "10.0.0.0/24"])


def test_role_enables_netconf_over_ssh(first_run, lab, env, speaker):
    manager = pytest.importorskip("ncclient.manager")
    key = STATE / "id_ed25519"
    argv = [str(VENV_BIN / "ansible-playbook"), "-i", str(lab), "-e", f"peerwise_source={speaker}"]
    argv += ["-e", f"controller_key={key}.pub", str(PLAYBOOKS / "netconf_ssh.yml")]
    assert recap_of(run(argv, env=env), ["node1"])["node1"][2:] == (0, 0)
    deadline = time.monotonic() + 30
    while True:
        try:
            session = manager.connect(
                host="198.18.0.11", port=830, username="root", key_filename=str(key),
                hostkey_verify=False, allow_agent=False, look_for_keys=False, timeout=10,
            )  # fmt: skip
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with session:
        assert any("peerwise-bgp" in c for c in session.server_capabilities)
        data = session.get_config(source="running").data_xml
    assert "<as>65001</as>" in data and "198.18.0.12" in data, data[:2000]


# bgp_facts name -> the CLI's JSON path (file shape) of the same value.
AGREE = {
    "session_state": ("state", "session-state"),
    "peer_as": ("state", "peer-as"),
    "local_as": ("state", "local-as"),
    "remote_router_id": ("state", "remote-router-id"),
    "established_transitions": ("state", "established-transitions"),
    "last_established": ("state", "last-established"),
    "hold_time.negotiated": ("timers", "state", "negotiated-hold-time"),
    "keepalive_interval.negotiated": ("timers", "state", "keepalive-interval"),
    "messages.sent.open": ("state", "messages", "sent", "OPEN"),
    "messages.received.open": ("state", "messages", "received", "OPEN"),
    "capabilities.negotiated": ("state", "supported-capabilities"),
}


def dig(tree, path):
    for step in path:
        tree = tree[step]
    return tree


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_bgp_facts_agree_with_the_cli(first_run, lab, env, host):
    me, peer, _peer_as = HOSTS[host]
    neighbor = facts(env, lab, host)["neighbors"][peer]
    cli = cli_json(me, "neighbor", peer)
    for name, path in AGREE.items():
        value = dig(cli, path)
        expected = sorted(value) if isinstance(value, list) else value
        assert dig(neighbor, name.split(".")) == expected, name


def test_check_diff_predicts_and_changes_nothing(first_run, lab, env):
    before = cli_json("198.18.0.11", "neighbor", "198.18.0.12")
    argv = ["-i", str(lab), "--check", "--diff", str(PLAYBOOKS / "check_diff.yml")]
    out = run([str(VENV_BIN / "ansible-playbook"), *argv], env=env)
    assert recap_of(out, ["node1"])["node1"][1:] == (1, 0, 0), out[-3000:]
    assert "candidate (would reset sessions: 198.18.0.12)" in out, out[-3000:]
    assert re.search(r'^\+\s+"hold-time": 30', out, re.M), out[-3000:]
    after = cli_json("198.18.0.11", "neighbor", "198.18.0.12")
    assert after["timers"]["config"] == before["timers"]["config"]
    assert after["state"]["session-state"] == "ESTABLISHED"
    transitions = ("state", "established-transitions")
    assert dig(after, transitions) == dig(before, transitions), "a session was reset"


def test_removed_neighbor_gets_cease(first_run, lab, env):
    playbook_path = str(PLAYBOOKS / "remove_neighbor.yml")
    run([str(VENV_BIN / "ansible-playbook"), "-i", str(lab), playbook_path], env=env)
    assert "198.18.0.12" not in facts(env, lab, "node1")["neighbors"]


def test_built_tarball_runs_peer_yml(first_run, lab, env, tmp_path):
    galaxy = [str(VENV_BIN / "ansible-galaxy"), "collection"]
    run([*galaxy, "build", "--output-path", str(tmp_path), str(REPO)], env=env)
    (tarball,) = tmp_path.glob("peerwise-bgp-*.tar.gz")
    fresh = tmp_path / "collections"
    run([*galaxy, "install", "--force", "-p", str(fresh), str(tarball)], env=env)
    installed = fresh / "ansible_collections" / "peerwise" / "bgp"
    assert (installed / "speaker" / "pyproject.toml").exists()
    recap = playbook(
        dict(env, ANSIBLE_COLLECTIONS_PATH=str(fresh)),
        lab,
        None,
        str(installed / "playbooks/peer.yml"),
    )
    for host, (_ok, _changed, unreachable, failed) in recap.items():
        assert (unreachable, failed) == (0, 0), host
    assert facts(env, lab, "node1")["established"] == ["198.18.0.12"]


def test_down_leaves_nothing(lab):
    run([str(LAB), "down"])
    assert "pwlab-" not in run(["ip", "netns", "list"])
    assert "pwlab-" not in run(["ip", "-br", "link"])
    assert not STATE.exists()
