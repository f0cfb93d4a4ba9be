"""RFC 6793 §4.2 with an OLD (2-octet AS) speaker: AS4_PATH and AS4_AGGREGATOR.

Sending (§4.2.2): AS_TRANS in AS_PATH / AGGREGATOR, the real numbers in AS4_PATH (never a
confederation segment, §3) and AS4_AGGREGATOR, only when some number needs 4 octets.
Receiving (§4.2.3): the path rebuilt from AS_PATH and AS4_PATH, the AGGREGATOR from
AS4_AGGREGATOR; malformed AS4_* are discarded (§6). Between NEW speakers: nothing added, and
AS4_* received are discarded (§4.1; test_wire_rfc7606.py).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from wire_helpers import attr, update

from peerwise.wire import (
    DEFAULT_CONTEXT,
    TWO_OCTET_CONTEXT,
    Aggregator,
    As4Aggregator,
    As4Path,
    AsPath,
    AsSegment,
    NextHop,
    Origin,
    OriginCode,
    SegmentType,
    Update,
    decode,
    encode,
    from_old,
    merge_path,
    to_old,
)

T = SegmentType


def seq(*asns: int) -> AsSegment:
    return AsSegment(T.AS_SEQUENCE, asns)


def aset(*asns: int) -> AsSegment:
    return AsSegment(T.AS_SET, asns)


def cseq(*asns: int) -> AsSegment:
    return AsSegment(T.AS_CONFED_SEQUENCE, asns)


def cset(*asns: int) -> AsSegment:
    return AsSegment(T.AS_CONFED_SET, asns)


TRANS, BIG1, BIG2 = 23456, 4200000001, 4200000002
AGG_ADDRESS = "192.0.2.9"

# -- §4.2.3: the reconstruction table ---------------------------------------------------------


class Merge(NamedTuple):
    name: str
    as_path: tuple[AsSegment, ...]
    as4_path: tuple[AsSegment, ...]
    expected: tuple[AsSegment, ...]


MERGES = [
    Merge("equal counts: AS4_PATH is the path",
          (seq(65001, TRANS),), (seq(65001, BIG1),), (seq(65001, BIG1),)),
    Merge("AS_PATH longer: the OLD hops in front are prepended",
          (seq(65010, 65020, TRANS),), (seq(BIG1),), (seq(65010, 65020, BIG1),)),
    Merge("AS_PATH shorter: AS4_PATH ignored",
          (seq(65010),), (seq(BIG1, BIG2),), (seq(65010),)),
    Merge("AS_SET in AS_PATH counts one and is taken whole",
          (aset(65010, 65011), seq(TRANS)), (seq(BIG1),), (aset(65010, 65011), seq(BIG1))),
    Merge("AS_SET in AS4_PATH counts one",
          (seq(65010, TRANS),), (aset(BIG1, BIG2),), (seq(65010), aset(BIG1, BIG2))),
    Merge("AS_SET in AS_PATH after the taken hops is not",
          (seq(65010, TRANS), aset(TRANS, 65011)), (seq(BIG1), aset(BIG1, 65011)),
          (seq(65010, BIG1), aset(BIG1, 65011))),
    Merge("leading confederation segment is prepended (counts none)",
          (cseq(64512), seq(65010, TRANS)), (seq(65010, BIG1),),
          (cseq(64512), seq(65010, BIG1))),
    Merge("confederation segment adjacent to a prepended one is prepended",
          (seq(65010), cset(64512, 64513), seq(TRANS)), (seq(BIG1),),
          (seq(65010), cset(64512, 64513), seq(BIG1))),
    Merge("confederation segment past the prepended hops is not",
          (seq(65010, 65020), cseq(64512), seq(TRANS)), (seq(65020, BIG1),),
          (seq(65010, 65020, BIG1),)),
    Merge("a sequence is cut where the AS4_PATH starts",
          (seq(65010, 65020, TRANS, 65030),), (seq(BIG1, 65030),),
          (seq(65010, 65020, BIG1, 65030),)),
    Merge("sequences meeting at the seam stay two past 255 numbers",
          (seq(*range(1, 201)), seq(*[TRANS] * 60)), (seq(*range(BIG1, BIG1 + 60)),),
          (seq(*range(1, 201)), seq(*range(BIG1, BIG1 + 60)))),
]  # fmt: skip


@pytest.mark.parametrize("row", MERGES, ids=[m.name for m in MERGES])
def test_merge_path(row: Merge) -> None:
    merged = merge_path(AsPath(row.as_path), As4Path(row.as4_path))
    assert merged == AsPath(row.expected)
    if merged != AsPath(row.as_path):  # the result counts as many AS numbers as AS_PATH
        assert merged.length == AsPath(row.as_path).length


# -- §4.2.3: AGGREGATOR and AS4_AGGREGATOR ----------------------------------------------------

OLD_PATH = AsPath((seq(65010, TRANS),))
AS4_PATH = As4Path((seq(BIG1),))
REAL_PATH = AsPath((seq(65010, BIG1),))


class Fold(NamedTuple):
    name: str
    received: tuple[object, ...]
    expected: tuple[object, ...]


FOLDS = [
    Fold("AGGREGATOR AS_TRANS: AS4_AGGREGATOR is the aggregator",
         (OLD_PATH, Aggregator(TRANS, AGG_ADDRESS), AS4_PATH, As4Aggregator(BIG1, AGG_ADDRESS)),
         (REAL_PATH, Aggregator(BIG1, AGG_ADDRESS))),
    Fold("AGGREGATOR not AS_TRANS: both AS4_* ignored",
         (OLD_PATH, Aggregator(65020, AGG_ADDRESS), AS4_PATH, As4Aggregator(BIG1, AGG_ADDRESS)),
         (OLD_PATH, Aggregator(65020, AGG_ADDRESS))),
    Fold("AGGREGATOR not AS_TRANS, no AS4_AGGREGATOR: AS4_PATH used",
         (OLD_PATH, Aggregator(65020, AGG_ADDRESS), AS4_PATH),
         (REAL_PATH, Aggregator(65020, AGG_ADDRESS))),
    Fold("AGGREGATOR AS_TRANS alone stays",
         (OLD_PATH, Aggregator(TRANS, AGG_ADDRESS)), (OLD_PATH, Aggregator(TRANS, AGG_ADDRESS))),
    Fold("AS4_AGGREGATOR without AGGREGATOR is dropped",
         (OLD_PATH, As4Aggregator(BIG1, AGG_ADDRESS)), (OLD_PATH,)),
    Fold("AS4_PATH without AS_PATH is dropped",
         (Origin(), AS4_PATH), (Origin(),)),
    Fold("nothing to fold", (Origin(), OLD_PATH), (Origin(), OLD_PATH)),
]  # fmt: skip


@pytest.mark.parametrize("row", FOLDS, ids=[f.name for f in FOLDS])
def test_from_old(row: Fold) -> None:
    assert from_old(row.received) == row.expected


# -- §4.2.2: what goes to an OLD speaker ------------------------------------------------------


class Add(NamedTuple):
    name: str
    attributes: tuple[object, ...]
    added: tuple[object, ...]


ADDS = [
    Add("every AS number mappable: nothing", (AsPath((seq(65001, 65010),)),), ()),
    Add("a 4-octet AS number: AS4_PATH", (REAL_PATH,), (As4Path((seq(65010, BIG1),)),)),
    Add("confederation segments left out of AS4_PATH",
        (AsPath((cseq(64512), seq(65010, BIG1))),), (As4Path((seq(65010, BIG1),)),)),
    Add("a 4-octet AS in a confederation segment only: nothing",
        (AsPath((cseq(BIG1), seq(65010))),), ()),
    Add("a 4-octet aggregator: AS4_AGGREGATOR",
        (OLD_PATH, Aggregator(BIG1, AGG_ADDRESS)), (As4Aggregator(BIG1, AGG_ADDRESS),)),
    Add("a mappable aggregator: nothing", (OLD_PATH, Aggregator(65020, AGG_ADDRESS)), ()),
    Add("AS4_PATH given: sent as given",
        (REAL_PATH, As4Path((seq(BIG2),))), ()),
]  # fmt: skip


@pytest.mark.parametrize("row", ADDS, ids=[a.name for a in ADDS])
def test_to_old(row: Add) -> None:
    assert to_old(row.attributes) == (*row.attributes, *row.added)


# -- byte vectors -----------------------------------------------------------------------------

NLRI = b"\x08\x0a"  # 10.0.0.0/8
TO_OLD = update(bytes([
    0x40, 0x01, 0x01, 0x00,  # ORIGIN IGP
    0x40, 0x02, 0x0A,  # AS_PATH, 10 octets of 2-octet AS numbers:
    0x03, 0x01, 0xFC, 0x00,  #   AS_CONFED_SEQUENCE of 1: 64512
    0x02, 0x02, 0xFD, 0xE9, 0x5B, 0xA0,  #   AS_SEQUENCE of 2: 65001 AS_TRANS
    0x40, 0x03, 0x04, 0xC0, 0x00, 0x02, 0x01,  # NEXT_HOP 192.0.2.1
    0xC0, 0x07, 0x06, 0x5B, 0xA0, 0xC0, 0x00, 0x02, 0x09,  # AGGREGATOR AS_TRANS 192.0.2.9
    0xC0, 0x11, 0x0A,  # AS4_PATH (optional transitive), no confederation segment:
    0x02, 0x02, 0x00, 0x00, 0xFD, 0xE9, 0xFA, 0x56, 0xEA, 0x01,  #   AS_SEQUENCE 65001 4200000001
    0xC0, 0x12, 0x08, 0xFA, 0x56, 0xEA, 0x01, 0xC0, 0x00, 0x02, 0x09,  # AS4_AGGREGATOR
    #                 4200000001 192.0.2.9
]), NLRI)  # fmt: skip
TO_OLD_VALUE = Update(
    attributes=(
        Origin(OriginCode.IGP),
        AsPath((cseq(64512), seq(65001, BIG1))),
        NextHop("192.0.2.1"),
        Aggregator(BIG1, AGG_ADDRESS),
    ),
    nlri=("10.0.0.0/8",),
)
TO_NEW = update(bytes([
    0x40, 0x01, 0x01, 0x00,  # ORIGIN IGP
    0x40, 0x02, 0x10,  # AS_PATH, 16 octets of 4-octet AS numbers:
    0x03, 0x01, 0x00, 0x00, 0xFC, 0x00,  #   AS_CONFED_SEQUENCE of 1: 64512
    0x02, 0x02, 0x00, 0x00, 0xFD, 0xE9, 0xFA, 0x56, 0xEA, 0x01,  #   65001 4200000001
    0x40, 0x03, 0x04, 0xC0, 0x00, 0x02, 0x01,  # NEXT_HOP 192.0.2.1
    0xC0, 0x07, 0x08, 0xFA, 0x56, 0xEA, 0x01, 0xC0, 0x00, 0x02, 0x09,  # AGGREGATOR, 4 octets
]), NLRI)  # fmt: skip


def test_to_an_old_speaker_as_trans_and_as4_attributes() -> None:
    assert encode(TO_OLD_VALUE, TWO_OCTET_CONTEXT) == TO_OLD
    assert decode(TO_OLD, TWO_OCTET_CONTEXT) == TO_OLD_VALUE


def test_to_a_new_speaker_no_as4_attributes() -> None:
    """RFC 6793 §4.1: the same route between NEW speakers: 4-octet fields, no AS4_*."""
    assert encode(TO_OLD_VALUE, DEFAULT_CONTEXT) == TO_NEW
    assert decode(TO_NEW, DEFAULT_CONTEXT) == TO_OLD_VALUE


ORIGIN = attr(0x40, 1, b"\x00")  # ORIGIN IGP
OLD_AS_PATH = attr(0x40, 2, b"\x02\x02\xfe\x12\x5b\xa0")  # AS_SEQUENCE 65042 AS_TRANS
NEXT_HOP = attr(0x40, 3, b"\xc0\x00\x02\x01")  # NEXT_HOP 192.0.2.1
AGGREGATOR = attr(0xC0, 7, b"\x5b\xa0\xc0\x00\x02\x09")  # AGGREGATOR AS_TRANS 192.0.2.9
BASE = ORIGIN + OLD_AS_PATH + NEXT_HOP + AGGREGATOR
AS_TRANS_PATH = AsPath((seq(65042, TRANS),))


class Received(NamedTuple):
    name: str
    extra: bytes  # after BASE
    as_path: AsPath
    aggregator: Aggregator
    discarded: tuple[int, ...] = ()


RECEIVED = [
    Received("AS4_PATH and AS4_AGGREGATOR",
             attr(0xC0, 17, b"\x02\x01\xfa\x56\xea\x01")  # AS4_PATH AS_SEQUENCE 4200000001
             + attr(0xC0, 18, b"\xfa\x56\xea\x01\xc0\x00\x02\x09"),  # AS4_AGGREGATOR
             AsPath((seq(65042, BIG1),)), Aggregator(BIG1, AGG_ADDRESS)),
    Received("AS4_PATH confederation segments dropped, the rest used (§6)",
             attr(0xC0, 17, b"\x03\x01\x00\x00\xfc\x00"  # AS_CONFED_SEQUENCE 64512
                            b"\x02\x01\xfa\x56\xea\x01"),  # AS_SEQUENCE 4200000001
             AsPath((seq(65042, BIG1),)), Aggregator(TRANS, AGG_ADDRESS)),
    Received("AS4_PATH segment overruns: discarded (§6)",
             attr(0xC0, 17, b"\x02\x02\xfa\x56\xea\x01"),
             AS_TRANS_PATH, Aggregator(TRANS, AGG_ADDRESS), (17,)),
    Received("AS4_PATH of 2-octet numbers: discarded (§6)",
             attr(0xC0, 17, b"\x02\x02\xfe\x12\x5b\xa0"),
             AS_TRANS_PATH, Aggregator(TRANS, AGG_ADDRESS), (17,)),
    Received("AS4_PATH segment type 5: discarded (§6)",
             attr(0xC0, 17, b"\x05\x01\xfa\x56\xea\x01"),
             AS_TRANS_PATH, Aggregator(TRANS, AGG_ADDRESS), (17,)),
    Received("AS4_PATH flagged well-known: discarded (RFC 7606 §3.c)",
             attr(0x40, 17, b"\x02\x01\xfa\x56\xea\x01"),
             AS_TRANS_PATH, Aggregator(TRANS, AGG_ADDRESS), (17,)),
    Received("AS4_AGGREGATOR of 7 octets: discarded (§6), AS4_PATH still used",
             attr(0xC0, 17, b"\x02\x01\xfa\x56\xea\x01")
             + attr(0xC0, 18, b"\xfa\x56\xea\x01\xc0\x00\x02"),
             AsPath((seq(65042, BIG1),)), Aggregator(TRANS, AGG_ADDRESS), (18,)),
]  # fmt: skip


@pytest.mark.parametrize("row", RECEIVED, ids=[r.name for r in RECEIVED])
def test_received_from_an_old_speaker(row: Received) -> None:
    msg = decode(update(BASE + row.extra, NLRI), TWO_OCTET_CONTEXT)
    assert isinstance(msg, Update)
    assert msg.attributes == (Origin(), row.as_path, NextHop("192.0.2.1"), row.aggregator)
    assert (msg.treat_as_withdraw, msg.discarded, msg.nlri) == (
        False,
        row.discarded,
        ("10.0.0.0/8",),
    )
