"""RFC 7606: what each malformed attribute does to an UPDATE.

Each row: the attribute as received, and the outcome — "withdraw" (treat-as-withdraw),
a type code (attribute-discard), or "ok". The base UPDATE carries ORIGIN, AS_PATH, NEXT_HOP
and one prefix; the row's attribute replaces the base one of the same code or is added.
Session-reset outcomes are in test_wire_errors.py.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from wire_helpers import attr, update

from peerwise.wire import (
    ATTRIBUTES,
    DEFAULT_CONTEXT,
    TWO_OCTET_CONTEXT,
    Action,
    CodecContext,
    MultiExitDisc,
    Update,
    decode,
    routes,
)

BASE = {
    1: attr(0x40, 1, b"\x00"),  # ORIGIN IGP
    2: attr(0x40, 2, b"\x02\x01\x00\x00\xfd\xe9"),  # AS_PATH 65001
    3: attr(0x40, 3, b"\xc0\x00\x02\x01"),  # NEXT_HOP 192.0.2.1
}
NLRI = b"\x18\x0a\x00\x00"  # 10.0.0.0/24


class Case(NamedTuple):
    name: str
    code: int
    wire: bytes  # b"" removes the base attribute
    outcome: str | int
    ctx: CodecContext = DEFAULT_CONTEXT


CASES = [
    Case("ORIGIN length 2", 1, attr(0x40, 1, b"\x00\x00"), "withdraw"),
    Case("ORIGIN value 3", 1, attr(0x40, 1, b"\x03"), "withdraw"),
    Case("ORIGIN optional flag", 1, attr(0xC0, 1, b"\x00"), "withdraw"),
    Case("ORIGIN partial bit is fine", 1, attr(0x60, 1, b"\x00"), "ok"),
    Case("ORIGIN missing", 1, b"", "withdraw"),
    Case("AS_PATH segment overruns", 2, attr(0x40, 2, b"\x02\x02\x00\x00\xfd\xe9"), "withdraw"),
    Case("AS_PATH segment type 5", 2, attr(0x40, 2, b"\x05\x01\x00\x00\xfd\xe9"), "withdraw"),
    Case("AS_PATH segment of 0", 2, attr(0x40, 2, b"\x02\x00"), "withdraw"),
    Case("AS_PATH 2-octet in 4-octet session", 2, attr(0x40, 2, b"\x02\x01\xfd\xe9"),
         "withdraw"),
    Case("AS_PATH missing", 2, b"", "withdraw"),
    Case("NEXT_HOP length 5", 3, attr(0x40, 3, b"\xc0\x00\x02\x01\x00"), "withdraw"),
    Case("NEXT_HOP missing", 3, b"", "withdraw"),
    Case("MED length 3", 4, attr(0x80, 4, b"\x00\x00\x01"), "withdraw"),
    Case("MED well-known flags", 4, attr(0x40, 4, b"\x00\x00\x00\x01"), "withdraw"),
    Case("LOCAL_PREF length 2", 5, attr(0x40, 5, b"\x00\x01"), "withdraw"),
    Case("ATOMIC_AGGREGATE length 1", 6, attr(0x40, 6, b"\x00"), 6),
    Case("AGGREGATOR length 7", 7, attr(0xC0, 7, bytes(7)), 7),
    Case("AGGREGATOR 2-octet length in 4-octet session", 7, attr(0xC0, 7, bytes(6)), 7),
    Case("AGGREGATOR 2-octet length in 2-octet session", 7, attr(0xC0, 7, bytes(6)), "ok",
         TWO_OCTET_CONTEXT),
    Case("COMMUNITIES length 5", 8, attr(0xC0, 8, bytes(5)), "withdraw"),
    Case("COMMUNITIES length 0", 8, attr(0xC0, 8, b""), "withdraw"),
    Case("ORIGINATOR_ID length 5", 9, attr(0x80, 9, bytes(5)), "withdraw"),
    Case("CLUSTER_LIST length 6", 10, attr(0x80, 10, bytes(6)), "withdraw"),
    Case("EXTENDED_COMMUNITIES length 7", 16, attr(0xC0, 16, bytes(7)), "withdraw"),
    Case("AS4_PATH confed segment", 17, attr(0xC0, 17, b"\x03\x01\x00\x00\xfd\xe9"), 17,
         TWO_OCTET_CONTEXT),
    Case("AS4_PATH from a 4-octet speaker", 17, attr(0xC0, 17, b"\x02\x01\x00\x00\xfd\xe9"),
         17),
    Case("AS4_AGGREGATOR length 6", 18, attr(0xC0, 18, bytes(6)), 18, TWO_OCTET_CONTEXT),
    Case("LARGE_COMMUNITIES length 11", 32, attr(0xC0, 32, bytes(11)), "withdraw"),
    Case("unknown optional non-transitive kept", 99, attr(0x80, 99, b"\x01"), "ok"),
]  # fmt: skip


def _wire(case: Case) -> bytes:
    attrs = dict(BASE)
    if not case.ctx.four_octet_as:
        attrs[2] = attr(0x40, 2, b"\x02\x01\xfd\xe9")  # AS_PATH 65001 in 2 octets
    attrs[case.code] = case.wire
    return update(b"".join(attrs.values()), NLRI)


def _outcome(msg: Update) -> str | int:
    if msg.treat_as_withdraw:
        return "withdraw"
    return msg.discarded[0] if msg.discarded else "ok"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_action(case: Case) -> None:
    msg = decode(_wire(case), case.ctx)
    assert isinstance(msg, Update)
    assert _outcome(msg) == case.outcome
    assert msg.nlri == ("10.0.0.0/24",)  # kept, so that the caller can withdraw it


def test_table_declares_the_rfc_7606_action_of_each_attribute() -> None:
    """The rows above that end in withdraw/discard agree with the descriptor table."""
    expected = {Action.TREAT_AS_WITHDRAW: "withdraw", Action.ATTRIBUTE_DISCARD: "discard"}
    seen: dict[int, str] = {}
    for case in CASES:
        if case.wire and case.outcome != "ok" and case.code in ATTRIBUTES:
            seen[case.code] = "withdraw" if case.outcome == "withdraw" else "discard"
    declared = {code: expected.get(spec.action, "reset") for code, spec in ATTRIBUTES.items()}
    assert {code: declared[code] for code in seen} == seen
    assert {c for c, a in declared.items() if a == "reset"} == {14, 15}
    assert set(declared) - set(seen) == {14, 15}  # those two are in test_wire_errors.py


def test_treat_as_withdraw_turns_announcements_into_withdrawals() -> None:
    msg = decode(update(BASE[1] + BASE[2] + attr(0x40, 3, bytes(5)), NLRI))
    assert isinstance(msg, Update)
    assert routes(msg) == ({}, {(1, 1): ("10.0.0.0/24",)})


@pytest.mark.parametrize(
    "tail",
    [b"\x40\x05", b"\x40\x05\x08\x00\x00"],
    ids=["header cut short", "value overruns"],
)
def test_attribute_overrunning_the_list_is_treat_as_withdraw(tail: bytes) -> None:
    """RFC 7606 §4: the NLRI are still found from the Total Path Attribute Length."""
    msg = decode(update(b"".join(BASE.values()) + tail, NLRI))
    assert isinstance(msg, Update)
    assert (msg.treat_as_withdraw, msg.nlri) == (True, ("10.0.0.0/24",))


def test_repeated_attribute_keeps_the_first() -> None:
    """RFC 7606 §3.g."""
    meds = attr(0x80, 4, b"\x00\x00\x00\x01") + attr(0x80, 4, b"\x00\x00\x00\x02")
    msg = decode(update(b"".join(BASE.values()) + meds, NLRI))
    assert isinstance(msg, Update)
    assert (MultiExitDisc(1) in msg.attributes, msg.discarded) == (True, (4,))


def test_withdraw_only_update_needs_no_attributes() -> None:
    msg = decode(update(withdrawn=NLRI))
    assert isinstance(msg, Update)
    assert (msg.treat_as_withdraw, msg.withdrawn) == (False, ("10.0.0.0/24",))
