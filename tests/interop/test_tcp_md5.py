"""TCP MD5 (RFC 2385) with a real peer: FRR with `neighbor X password P`, peerwised with
`auth-password`. The session comes up only when both sides sign with the same key."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .peer_frr import FRR
from .peers import Neighbor, Peer
from .speaker import Peerwised, render_toml

pytestmark = pytest.mark.interop
PW_AS, FRR_AS = 65010, 65020


def frr_with_password(peer: Peer, password: str) -> None:
    def commands(n: Neighbor) -> list[str]:
        return [*FRR.neighbor_commands(peer, n), f" neighbor {n.address} password {password}"]

    peer.neighbor_commands = commands  # type: ignore[method-assign]


def start_signed(daemon: Peerwised, password: str) -> None:
    text = render_toml(daemon.address, daemon.asn, daemon.router_id, daemon.neighbors)
    signed = text.replace(
        f"peer-as = {FRR_AS}", f'peer-as = {FRR_AS}\n    auth-password = "{password}"'
    )
    assert signed != text
    daemon.workdir.mkdir(parents=True, exist_ok=True)
    daemon.config_path.write_text(signed)
    daemon.started_at = time.monotonic()
    daemon.process.start()


@pytest.mark.parametrize(
    ("ours", "theirs", "up"), [("s3cret", "s3cret", True), ("s3cret", "nope", False)]
)
def test_frr_session_with_tcp_md5(
    peer_factory: Callable[..., Peer],
    peerwised_factory: Callable[..., Peerwised],
    allocate_address: Callable[[], str],
    tmp_path: Path,
    ours: str,
    theirs: str,
    up: bool,
) -> None:
    pw_address = allocate_address()
    frr = peer_factory("frr", FRR_AS, [Neighbor(pw_address, PW_AS)], start=False)
    frr_with_password(frr, theirs)
    frr.start(tmp_path)
    daemon = peerwised_factory(PW_AS, [Neighbor(frr.address, FRR_AS)], pw_address, start=False)
    start_signed(daemon, ours)
    if up:
        daemon.wait_established(frr.address, timeout=20)
        assert frr.wait_established(pw_address, timeout=5)["state"] == "established"
    else:
        time.sleep(4)  # a wrong key must keep it down: give it time to (wrongly) come up
        daemon.wait_ready()
        assert daemon.session_state(frr.address) != "ESTABLISHED"
        assert frr.neighbor_state(pw_address)["state"] != "established"
