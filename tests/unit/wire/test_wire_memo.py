"""The attribute memo: repeated octets decode to the same value, RFC 7606 unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from wire_helpers import attr, update

from peerwise.wire import memo
from peerwise.wire.attributes import AsPath, MultiExitDisc
from peerwise.wire.codec import decode
from peerwise.wire.context import CodecContext
from peerwise.wire.errors import BGPError
from peerwise.wire.messages import Update

FOUR, TWO = CodecContext(raw_nlri=True), CodecContext(four_octet_as=False, raw_nlri=True)
ORIGIN = attr(0x40, 1, b"\x00")  # ORIGIN IGP
AS_PATH = attr(0x40, 2, b"\x02\x02\x00\x00\xfd\xea\x00\x00\xfd\xeb")  # AS_SEQUENCE 65002 65003
NEXT_HOP = attr(0x40, 3, b"\xc0\x00\x02\x01")  # NEXT_HOP 192.0.2.1
MED = attr(0x80, 4, b"\x00\x00\x00\x07")  # MULTI_EXIT_DISC 7
NLRI = b"\x18\x0a\x00\x01"  # 10.0.1.0/24
CLEAN = ORIGIN + AS_PATH + NEXT_HOP


@pytest.fixture(autouse=True)
def empty_memos() -> Iterator[None]:
    for m in memo.MEMOS.values():
        m.clear()
    yield
    for m in memo.MEMOS.values():
        m.clear()


def _update(attrs: bytes, ctx: CodecContext = FOUR) -> Update:
    msg = decode(update(attrs, NLRI), ctx)
    assert isinstance(msg, Update)
    return msg


def _verdict(msg: Update) -> str:
    if msg.treat_as_withdraw:
        return "treat-as-withdraw"
    return f"discarded {list(msg.discarded)}" if msg.discarded else "ok"


def test_the_same_octets_give_the_same_value_object() -> None:
    first, second = _update(CLEAN + MED), _update(CLEAN)
    assert first.attributes[1] is second.attributes[1]
    assert isinstance(first.attributes[1], AsPath)
    assert len(memo.MEMOS[True]) == 4


# (what, the attributes of a second UPDATE after CLEAN + MED was decoded, its verdict)
AFTER_A_CLEAN_ONE = [
    ("a clean repeat", CLEAN + MED, "ok"),
    ("the same MED value with the wrong flags", CLEAN + attr(0x40, 4, MED[3:]),
     "treat-as-withdraw"),
    ("a MED of the wrong length", CLEAN + attr(0x80, 4, b"\x00\x00\x07"), "treat-as-withdraw"),
    ("a second ORIGIN, itself memoized", CLEAN + ORIGIN, "discarded [1]"),
    ("no NEXT_HOP with classic NLRI", ORIGIN + AS_PATH, "treat-as-withdraw"),
    ("a malformed ORIGIN", attr(0x40, 1, b"\x07") + AS_PATH + NEXT_HOP, "treat-as-withdraw"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "attrs", "verdict"), AFTER_A_CLEAN_ONE,
                         ids=[c[0] for c in AFTER_A_CLEAN_ONE])  # fmt: skip
def test_rfc7606_actions_are_the_same_with_a_warm_memo(
    what: str, attrs: bytes, verdict: str
) -> None:
    assert _verdict(_update(CLEAN + MED)) == "ok"
    assert _verdict(_update(attrs)) == verdict
    assert _verdict(_update(attrs)) == verdict  # the malformed one was not memoized


def test_a_malformed_attribute_is_never_memoized() -> None:
    _update(CLEAN + attr(0x80, 4, b"\x00\x07"))
    assert attr(0x80, 4, b"\x00\x07") not in memo.MEMOS[True].values


def test_a_malformed_as_path_and_a_bad_mp_reach_keep_their_actions() -> None:
    bad_path = attr(0x40, 2, b"\x02\x05\x00\x00\xfd\xea")  # says 5 ASes, holds 1
    for _ in range(2):
        msg = decode(update(ORIGIN + bad_path + NEXT_HOP, NLRI), FOUR)
        assert isinstance(msg, Update) and msg.treat_as_withdraw
    with pytest.raises(BGPError):
        decode(update(CLEAN + attr(0x80, 14, b"\x00\x02\x01\x03\x00"), b""), FOUR)


def test_the_as_number_size_has_its_own_memo() -> None:
    four = _update(CLEAN).attributes[1]
    two_path = attr(0x40, 2, b"\x02\x02\xfd\xea\xfd\xeb")  # the same path with 2-octet ASes
    two = _update(ORIGIN + two_path + NEXT_HOP, TWO).attributes[1]
    assert four == two == AsPath.sequence(65002, 65003)
    assert four is not two
    # the 4-octet octets read with 2-octet ASes are another path, not the memoized one
    assert _update(CLEAN, TWO).attributes[1] != four


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "LIMIT", 3)
    for med in range(10):
        msg = _update(CLEAN + attr(0x80, 4, med.to_bytes(4, "big")))
        assert msg.attributes[3] == MultiExitDisc(med)
    assert len(memo.MEMOS[True]) <= 3
