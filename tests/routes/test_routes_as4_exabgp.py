"""RFC 6793 with an independent OLD speaker: ExaBGP 4.2 with ``asn4 disable``.

ExaBGP (AS 65050, 127.0.150.2) does not advertise the 4-octet AS capability (code 65), so
the session with ``peerwised`` (AS 65001, 127.0.150.1) is a 2-octet one. ExaBGP announces
routes whose configured paths hold a 4-octet AS; as an OLD speaker it must send them as
AS_PATH with AS_TRANS (23456) in that place plus an AS4_PATH with the real numbers
(RFC 6793 §4.2.2). ``peerwised`` merges the two (§4.2.3): its Loc-RIB shows the real path.
A dumpcap on ``lo`` (this pair's host only) shows what ExaBGP really sent, so that a pass
is not ExaBGP sending 4-octet numbers on a 2-octet session.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop.peers import ExaBGP, Neighbor
from interop.sniffer import Capture
from interop.speaker import Peerwised, assert_installed
from probes import eventually, loc_rib, messages

PW, EX = "127.0.150.1", "127.0.150.2"
PW_AS, EX_AS = 65001, 65050
AS_TRANS = 23456
# prefix -> (ExaBGP's as-path words, the path the Loc-RIB must hold, AS_PATH on the wire)
ROUTES = {
    "10.150.1.0/24": ("65050 4200000001", "65050 4200000001", f"65050 {AS_TRANS}"),
    "10.150.2.0/24": ("65050 4200000001 65100 4200000002",
                      "65050 4200000001 65100 4200000002",
                      f"65050 {AS_TRANS} 65100 {AS_TRANS}"),
    "10.150.3.0/24": ("65050 65100", "65050 65100", "65050 65100"),  # no AS4_PATH needed
}  # fmt: skip
NEXT_HOP = "198.18.0.150"
# tshark: a 2-octet session's AS_PATH numbers, AS4_PATH's (4-octet), the attribute codes
WIRE_FIELDS = ("bgp.update.path_attribute.as_path_segment.as2",
               "bgp.update.path_attribute.as_path_segment.as4",
               "bgp.update.path_attribute.type_code")  # fmt: skip

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        not (shutil.which("exabgp") and shutil.which("dumpcap")),
        reason="exabgp and dumpcap are needed",
    ),
]


class OldExaBGP(ExaBGP):
    """ExaBGP as an OLD speaker (no 4-octet AS capability) announcing ``ROUTES``."""

    def _neighbor(self, n: Neighbor) -> list[str]:
        lines = [line.replace("asn4 enable;", "asn4 disable;") for line in super()._neighbor(n)]
        assert any("asn4 disable;" in line for line in lines), lines
        routes = [
            f"    route {prefix} next-hop {NEXT_HOP} as-path [ {words} ];"
            for prefix, (words, _, _) in ROUTES.items()
        ]
        return [*lines[:-1], "  static {", *routes, "  }", lines[-1]]


class Pair:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pw = Peerwised(tmp / "pw", Path(tempfile.mkdtemp(prefix="pw")), PW, PW_AS,
                            [Neighbor(EX, EX_AS)])  # fmt: skip
        self.exa = OldExaBGP(EX, EX_AS, [Neighbor(PW, PW_AS)])
        self.capture = Capture(f"tcp port 179 and host {EX}", tmp)

    def start(self) -> None:
        self.capture.__enter__()
        self.pw.start()
        self.exa.start(self.tmp)
        self.exa.wait_established(PW, timeout=20)
        self.pw.wait_established(EX, timeout=20)

    def stop(self) -> None:
        self.exa.stop()
        self.pw.stop()
        self.capture.__exit__()
        shutil.rmtree(self.pw.socket.parent, ignore_errors=True)

    def wire(self, prefix: str) -> tuple[str, str, str]:
        """(AS_PATH, AS4_PATH, attribute type codes) of the one UPDATE ExaBGP sent for
        ``prefix``, as tshark decodes it (numbers space separated)."""
        where = f"ip.src == {EX} && bgp.type == 2 && bgp.nlri_prefix == {prefix.split('/')[0]}"
        self.capture.wait_for(where)
        (line,) = self.capture.packets(where, *WIRE_FIELDS)
        as_path, as4_path, codes = (field.replace(",", " ") for field in line.split("\t"))
        return as_path, as4_path, codes


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    assert_installed()
    p = Pair(tmp_path_factory.mktemp("as4exa"))
    try:
        p.start()
        yield p
    finally:
        p.stop()


def test_the_session_is_a_2_octet_one(pair: Pair) -> None:
    """RFC 6793 §4.1: ExaBGP's OPEN has no capability 65, so none is negotiated."""
    negotiated = pair.pw.neighbor(EX)["state"]["supported-capabilities"]
    assert "ROUTE_REFRESH" in negotiated and "ASN32" not in negotiated
    where = f"ip.src == {EX} && bgp.type == 1"
    pair.capture.wait_for(where)  # dumpcap writes in blocks: the OPEN may still be on its way
    (codes,) = pair.capture.packets(where, "bgp.cap.type")
    assert "1" in codes.split(",") and "65" not in codes.split(","), codes


@pytest.mark.parametrize("prefix", sorted(ROUTES))
def test_the_loc_rib_holds_the_merged_path(pair: Pair, prefix: str) -> None:
    """RFC 6793 §4.2.3: AS_PATH with AS_TRANS + AS4_PATH -> the real path."""
    _, merged, _ = ROUTES[prefix]
    (route,) = eventually(lambda: loc_rib(pair.pw, prefix), f"{prefix} in the Loc-RIB")
    assert (route["as-path"], route["next-hop"], route["peer"]) == (merged, NEXT_HOP, EX)


@pytest.mark.parametrize("prefix", sorted(ROUTES))
def test_exabgp_sent_as_trans_and_as4_path(pair: Pair, prefix: str) -> None:
    """What made the merge necessary, ExaBGP's UPDATE as tshark decodes it (§4.2.2): AS_TRANS
    in AS_PATH and an AS4_PATH (type 17) exactly when the path holds a 4-octet AS."""
    _, merged, as_path = ROUTES[prefix]
    sent_path, sent_as4, codes = pair.wire(prefix)
    assert sent_path == as_path
    needs_as4 = as_path != merged
    assert (sent_as4, "17" in codes.split()) == ((merged, True) if needs_as4 else ("", False))


def test_nothing_was_discarded(pair: Pair) -> None:
    """A well-formed AS4_PATH is merged, not counted as a discarded attribute (§6)."""
    for prefix in ROUTES:
        eventually(lambda p=prefix: loc_rib(pair.pw, p), f"{prefix} in the Loc-RIB")
    received = messages(pair.pw, EX)["received"]
    assert received["DISCARDED"] == 0 and received["UPDATE"] >= len(ROUTES)
