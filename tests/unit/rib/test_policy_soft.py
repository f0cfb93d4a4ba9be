"""Default import/export policy changed on a live session: a soft reconfiguration, no reset.

Export: the Loc-RIB exported again sends what the new policy accepts and withdraws what it
now rejects from the Adj-RIB-Out (RFC 4271 §9.2). Import: Adj-RIB-In keeps what the policy
rejected, so the neighbor's paths are judged again (``Rib.reimport``) and enter or leave
the decision process (RFC 4271 §9.1.2) without a ROUTE-REFRESH.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from rib_helpers import LOCAL_AS, attrs, rib_with

from peerwise.rib import LocChange, Policy, prefix_key
from peerwise.rib.export import reconfigure
from peerwise.wire.families import IPV4_UNICAST

V4 = IPV4_UNICAST
ACCEPT, REJECT = Policy.ACCEPT, Policy.REJECT
P1, P2, LOOP = (prefix_key(p) for p in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"))
NAMES = {P1: "p1", P2: "p2", LOOP: "loop"}


@dataclass(frozen=True)
class ExportRow:
    old: Policy
    new: Policy
    changed: bool  # reconfigure saw a new config
    withdrawn: tuple[str, ...]
    announced: tuple[str, ...]
    advertised: int  # Adj-RIB-Out size afterwards


EXPORT = {
    "accept -> reject: all withdrawn": ExportRow(ACCEPT, REJECT, True, ("p1", "p2"), (), 0),
    "reject -> accept: all announced": ExportRow(REJECT, ACCEPT, True, (), ("p1", "p2"), 2),
    "accept -> accept: nothing sent": ExportRow(ACCEPT, ACCEPT, False, (), (), 2),
    "reject -> reject: nothing sent": ExportRow(REJECT, REJECT, False, (), (), 0),
}


@pytest.mark.parametrize("row", EXPORT.values(), ids=EXPORT.keys())
def test_export_policy_change_re_exports(row: ExportRow) -> None:
    rib, (source, target) = rib_with(("192.0.2.10", 65010), ("192.0.2.20", 65020))
    target.configure(replace(target.config, export_policy=row.old))
    rib.export(target, rib.ingest(source, V4, [(attrs(65010), [P1, P2])]))
    changed = reconfigure(target, replace(target.config, export_policy=row.new), [source])
    out = rib.export(target, LocChange(V4, [key for key, _ in rib.routes(V4)]))
    assert changed == row.changed
    assert sorted(NAMES[k] for k in out.withdrawn) == list(row.withdrawn)
    announced = sorted(NAMES[k] for keys in out.announced.values() for k in keys)
    assert announced == list(row.announced)
    assert rib.counters(target, V4).advertised == row.advertised


@dataclass(frozen=True)
class ImportRow:
    old: Policy
    new: Policy
    best: dict[str, str]  # prefix -> the address of its best path afterwards ("": none)
    changed: tuple[str, ...]  # the Loc-RIB changes reimport returns
    accepted: int  # counted as accepted from the flipped neighbor afterwards
    withdrawn: tuple[str, ...]  # sent to a third neighbor
    announced: tuple[str, ...]


A, B = "192.0.2.10", "192.0.2.20"
IMPORT = {
    "accept -> reject: its routes leave, the other's win": ImportRow(
        ACCEPT, REJECT, {"p1": "", "p2": B, "loop": ""}, ("p1", "p2"), 0, ("p1",), ("p2",)
    ),
    "reject -> accept: its routes come back and win": ImportRow(
        REJECT, ACCEPT, {"p1": A, "p2": A, "loop": ""}, ("p1", "p2"), 2, (), ("p1", "p2")
    ),
    "accept -> accept: nothing changes": ImportRow(
        ACCEPT, ACCEPT, {"p1": A, "p2": A, "loop": ""}, (), 2, (), ()
    ),
}


@pytest.mark.parametrize("row", IMPORT.values(), ids=IMPORT.keys())
def test_import_policy_change_rejudges_adj_rib_in(row: ImportRow) -> None:
    """A sends p1, p2 (AS path length 1) and a looped route; B sends p2 (length 2); C is
    told. A's policy flips: the AS-looped route stays out whatever the policy."""
    rib, (a, b, c) = rib_with((A, 65010), (B, 65020), ("192.0.2.30", 65030))
    a.configure(replace(a.config, import_policy=row.old))
    rib.ingest(a, V4, [(attrs(65010), [P1, P2]), (attrs(65010, LOCAL_AS), [LOOP])])
    rib.ingest(b, V4, [(attrs(65020, 65021), [P2])])
    rib.export(c, LocChange(V4, [P1, P2, LOOP]))
    a.configure(replace(a.config, import_policy=row.new))
    changes = rib.reimport(a)
    keys = [k for change in changes for k in change.keys]
    assert sorted(NAMES[k] for k in keys) == sorted(row.changed)
    best = {NAMES[k]: getattr(rib.best(V4, k), "peer", None) for k in NAMES}
    assert {n: p.address if p else "" for n, p in best.items()} == row.best
    counters = rib.counters(a, V4)
    assert (counters.received, counters.accepted, counters.as_loop) == (3, row.accepted, 1)
    out = [rib.export(c, change) for change in changes]
    assert sorted(NAMES[k] for o in out for k in o.withdrawn) == list(row.withdrawn)
    sent = sorted(NAMES[k] for o in out for keys in o.announced.values() for k in keys)
    assert sent == list(row.announced)


def test_reimport_then_withdraw_keeps_counters_straight() -> None:
    """After a flip, a withdrawal from the neighbor undoes exactly what it counted."""
    rib, (a,) = rib_with((A, 65010))
    rib.ingest(a, V4, [(attrs(65010), [P1, P2])])
    a.configure(replace(a.config, import_policy=REJECT))
    rib.reimport(a)
    a.configure(replace(a.config, import_policy=ACCEPT))
    rib.reimport(a)
    change = rib.ingest(a, V4, withdrawn=[P1])
    assert change.keys == [P1]
    assert rib.counters(a, V4).accepted == 1
    assert [NAMES[k] for k, _ in rib.routes(V4)] == ["p2"]
