"""Live reconfiguration with declared impact, against real peers (FRR 8.4's bgpd).

peerwised peers with two FRRs, A and B. Through NETCONF (ncclient over SSH): a description
change resets nothing; a hold-time change resets A only and the new value is negotiated;
adding and removing a neighbor touches neither; a confirmed commit that breaks A and is not
confirmed reverts within its timeout and A comes back. The time from commit to a new
neighbor's Established is measured and printed.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from interop.peers import FRR, Neighbor  # tests/interop, the shared real-peer harness

from .speakerd import Addresses, Nbr, Speakerd, config_element, neighbor_xml, poll

manager = pytest.importorskip("ncclient.manager")

pytestmark = pytest.mark.skipif(
    shutil.which("vtysh") is None or not Path("/usr/lib/frr/bgpd").exists(),
    reason="needs frr (apt-get install -y frr)",
)
DEADLINE = 30.0


def frr_neighbor(peer: FRR, address: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(peer.vtysh(f"show bgp neighbors {address} json"))
    return data.get(address, {})


def frr_counters(peer: FRR, address: str) -> tuple[int, list[str]]:
    """(connections dropped, the NOTIFICATIONs FRR logged from us as "code/subcode")."""
    info = frr_neighbor(peer, address)
    log = (peer.dir / "bgpd.log").read_text(errors="replace")
    mark = f"NOTIFICATION: received from neighbor {address} "
    codes = [line.split(mark)[1].split()[0] for line in log.splitlines() if mark in line]
    return int(info.get("connectionsDropped", 0)), codes


def pw_state(daemon: Speakerd, address: str) -> dict[str, Any]:
    with manager.connect(**daemon.ssh_params()) as nc:
        xml = nc.get(filter=("subtree", neighbor_xml(address))).xml
    from peerwise.cli.main import state_data

    found = state_data(xml).get("neighbors") or [{}]
    state: dict[str, Any] = found[0].get("state", {})
    state["timers"] = found[0].get("timers", {}).get("state", {})
    return state


def established(daemon: Speakerd, address: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        state = pw_state(daemon, address)
        return state if state.get("session-state") == "ESTABLISHED" else None

    return poll(probe, DEADLINE, f"{address} ESTABLISHED", step=0.1)


def commit_edit(daemon: Speakerd, edit: str, **commit: Any) -> str:
    with manager.connect(**daemon.ssh_params()) as nc:
        nc.edit_config(target="candidate", config=config_element(edit))
        return str(nc.commit(**commit).xml)


@pytest.fixture
def lab(
    tmp_path: Path, allocate: Addresses, speakerd: Callable[..., Speakerd]
) -> Iterator[tuple[Speakerd, FRR, FRR]]:
    ours, a_addr, b_addr = allocate(), allocate(), allocate()
    a = FRR(a_addr, 65002, [Neighbor(ours, 65001)])
    b = FRR(b_addr, 65003, [Neighbor(ours, 65001)])
    try:
        for peer in (a, b):
            peer.start(tmp_path)
        daemon = speakerd(
            address=ours, neighbors=(Nbr(a_addr, 65002, description="A"), Nbr(b_addr, 65003))
        )
        established(daemon, a_addr)
        established(daemon, b_addr)
        yield daemon, a, b
    finally:
        a.stop()
        b.stop()


def test_changes_cost_what_the_model_declares(lab: tuple[Speakerd, FRR, FRR]) -> None:
    daemon, a, b = lab
    ours = daemon.address
    before_a, before_b = frr_counters(a, ours), frr_counters(b, ours)
    uptime = pw_state(daemon, a.address)

    # description: no NOTIFICATION, same session, uptime goes on
    commit_edit(daemon, neighbor_xml(a.address, "<config><description>A2</description></config>"))
    time.sleep(1.5)  # integration test: let a (wrong) reset show up if there were one
    after = pw_state(daemon, a.address)
    assert after["description"] == "A2"
    assert after["established-transitions"] == uptime["established-transitions"]
    assert after["uptime"] >= uptime["uptime"] + 1
    assert frr_counters(a, ours) == before_a

    # hold time: A resets once, with the new value negotiated; B untouched
    timers = "<timers><config><hold-time>30</hold-time><keepalive-interval>10</keepalive-interval>"
    reply = commit_edit(daemon, neighbor_xml(a.address, timers + "</config></timers>"))
    assert f"<session-reset>{a.address}</session-reset>" in reply
    poll(lambda: True if frr_counters(a, ours)[0] == before_a[0] + 1 else None, DEADLINE,
         "A reset once")  # fmt: skip
    state = established(daemon, a.address)
    assert state["timers"]["negotiated-hold-time"] == 30
    hold_ms = poll(lambda: frr_neighbor(a, ours).get("bgpTimerHoldTimeMsecs"), DEADLINE, "FRR hold")
    assert hold_ms == 30000
    assert frr_counters(a, ours) == (before_a[0] + 1, [*before_a[1], "6/6"])
    assert frr_counters(b, ours) == before_b

    # add then remove a neighbor: A and B untouched
    b_transitions = pw_state(daemon, b.address)["established-transitions"]
    extra = neighbor_xml("127.0.59.250", "<config><peer-as>65250</peer-as></config>")
    assert "<added>127.0.59.250</added>" in commit_edit(daemon, extra)
    removed = commit_edit(daemon, neighbor_xml("127.0.59.250", attrs=' nc:operation="delete"'
                          ' xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"'))  # fmt: skip
    assert "<removed>127.0.59.250</removed>" in removed
    assert frr_counters(a, ours) == (before_a[0] + 1, [*before_a[1], "6/6"])
    assert frr_counters(b, ours) == before_b
    assert pw_state(daemon, b.address)["established-transitions"] == b_transitions


def test_unconfirmed_commit_reverts_and_the_broken_session_returns(
    lab: tuple[Speakerd, FRR, FRR],
) -> None:
    daemon, a, _b = lab
    running = daemon.config.read_text()
    broken = neighbor_xml(a.address, "<config><peer-as>65099</peer-as></config>")
    started = time.monotonic()
    with manager.connect(**daemon.ssh_params()) as nc:
        nc.edit_config(target="candidate", config=config_element(broken))
        nc.commit(confirmed=True, timeout="4", persist="t1")
        # the wrong AS takes A down (FRR answers our OPEN with Bad Peer AS)
        poll(
            lambda: True if pw_state(daemon, a.address)["session-state"] != "ESTABLISHED" else None,
            DEADLINE,
            "A down",
        )
    assert daemon.config.read_text() == running, "unconfirmed config is never saved"
    state = established(daemon, a.address)
    elapsed = time.monotonic() - started
    assert state["peer-as"] == 65002
    assert elapsed < 4 + DEADLINE
    with manager.connect(**daemon.ssh_params()) as nc:
        assert "65099" not in nc.get_config("running").data_xml
    print(f"\nconfirmed commit reverted and A re-established {elapsed:.1f}s after the commit")


def test_time_from_commit_to_established(
    tmp_path: Path, allocate: Addresses, speakerd: Callable[..., Speakerd]
) -> None:
    ours, c_addr = allocate(), allocate()
    c = FRR(c_addr, 65004, [Neighbor(ours, 65001)])
    try:
        c.start(tmp_path)
        daemon = speakerd(address=ours)
        add = neighbor_xml(
            c_addr,
            f"<config><peer-as>65004</peer-as></config><timers><config><connect-retry>1"
            f"</connect-retry></config></timers><transport><config><local-address>{ours}"
            "</local-address></config></transport>",
        )
        with manager.connect(**daemon.ssh_params()) as nc:
            nc.edit_config(target="candidate", config=config_element(add))
            started = time.monotonic()
            nc.commit()
            poll(
                lambda: True if _session(nc, c_addr) == "ESTABLISHED" else None,
                DEADLINE,
                "new neighbor ESTABLISHED",
                step=0.01,
            )
            elapsed = time.monotonic() - started
        print(f"\ncommit -> new neighbor ESTABLISHED: {elapsed * 1000:.0f} ms")
        assert elapsed < DEADLINE
    finally:
        c.stop()


def _session(nc: Any, address: str) -> str:
    xml = nc.get(filter=("subtree", neighbor_xml(address, "<state><session-state/></state>")))
    text = str(xml.data_xml)
    return "ESTABLISHED" if "ESTABLISHED" in text else "other"
