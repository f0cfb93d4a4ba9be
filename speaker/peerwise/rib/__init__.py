"""Routing tables and the decision process, sans I/O (RFC 4271 §3.2, §9).

Theory of operation
-------------------
The session layer owns sockets; this package owns routes. It imports no asyncio, socket or
clock: every entry point takes values and returns values.

Shapes, chosen for a full table (1M prefixes) in a few hundred bytes per route:

- A **prefix** is a *key*: its NLRI encoding as ``bytes`` (``prefix.py``). One object is
  shared by all three tables, and packing an UPDATE joins keys. Text only at the edges.
- An **attribute set** is a frozen :class:`PathAttrs`, hash-consed in :class:`AttrTable`
  (weakly), so the ~10 prefixes per set in a real table share one object (``attrs.py``).
- A **path** is (neighbor, attribute set), interned per neighbor (``peer.py``). Adj-RIB-In
  is ``peer.adj_in[family]: key -> Path``. The import verdict (AS loop, policy), the
  decision inputs and each export result are computed once per Path, not per prefix.
- The **Loc-RIB** (``rib.py``) is ``best: key -> Path``, plus ``multi: key -> [Path]`` only
  for prefixes with several candidates. Selection is :func:`decide` (``decision.py``): one
  table of labelled steps returning the winner and a :class:`BestPathReason`.
- **Adj-RIB-Out** is ``peer.adj_out[family]: key -> PathAttrs`` (the set as sent).
  :meth:`Rib.export` updates it for changed prefixes and returns an :class:`Outgoing`
  grouped by attribute set; :class:`UpdateWriter` (``encode.py``) turns that into UPDATE
  messages of at most the negotiated size, each attribute set encoded once and the prefix
  keys copied as they are; :func:`pack` gives the same as :class:`PackedUpdate` values
  (``pack.py``). The eBGP/iBGP rules are a table in ``export.py``.
- **Runs**: an UPDATE's prefixes share one path, so ingest and export work on runs: a run
  of prefixes nobody held goes into Adj-RIB-In, Loc-RIB and Adj-RIB-Out with one
  ``dict.update`` each; only prefixes already held take the per-prefix path (implicit
  withdraw, decision process).

Receive and send path (per UPDATE; ``feed.py`` does the first step from the codec's
``Update`` values: classic fields, MP_REACH/MP_UNREACH, RFC 7606 treat-as-withdraw,
End-of-RIB)::

    changes = apply_update(rib, peer, update)       # -> rib.ingest(...) per family
    for other in established peers:                 # peer itself: split horizon in export
        for change in changes:
            send(writer.frames(rib.export(other, change)))  # UpdateWriter(ctx), per context

API (``Rib(local_as, router_id, families)``):

- ``add_peer(PeerConfig) -> AdjRib`` when a session is established; ``remove_peer(peer) ->
  [LocChange]`` when it goes down (withdraws all it sent).
- ``ingest(peer, family, announced=[(PathAttrs, [key])], withdrawn=[key],
  treat_as_withdraw=False, now=None) -> LocChange`` (the prefixes whose best path changed).
- ``begin_refresh(peer, family) -> LocChange`` on a BoRR, ``end_refresh(peer, family) ->
  LocChange`` on the EoRR or a purge timer (enhanced route refresh, RFC 7313 §4).
- ``reimport(peer) -> [LocChange]``: the neighbor's import policy changed; its Adj-RIB-In
  (rejected routes are kept) is judged again and what flips joins or leaves the decision.
- ``originate(LocalRoute) -> LocChange``; ``withdraw_local(prefix_text) -> LocChange``.
- ``export(peer, LocChange, end_of_rib=False) -> Outgoing``;
  ``initial_export(peer, family) -> Outgoing`` (the whole table, then End-of-RIB);
  ``refresh(peer, family) -> Outgoing`` (the Adj-RIB-Out again, for ROUTE-REFRESH);
  ``end_of_rib_received(peer, family)``.
- ``best(family, key)``, ``explain(family, key) -> (Path, BestPathReason, [Path])``,
  ``routes(family)``, ``counters(peer, family) -> PrefixCounters``.
- ``UpdateWriter(ctx).frames(Outgoing) -> [bytes]`` (whole UPDATE messages);
  ``pack(Outgoing, max_size) -> [PackedUpdate]``; ``to_wire(attrs, mp=...)`` gives the
  codec's attribute values back.

Performance (``tests/unit/rib/bench_1m.py``; the whole daemon: ``bench/``, docs/PERFORMANCE.md):
1M IPv4 prefixes, 10 per attribute set, from one eBGP peer to another: about 326 bytes per
route for Adj-RIB-In + Loc-RIB + Adj-RIB-Out, keys and attribute sets included. Python's
cyclic garbage collector would walk the three big dicts; the daemon ``gc.freeze()``s them.

Route age: no clock is read here. The session sets ``rib.now`` (or passes ``now``) once per
batch; a :class:`Path` is stamped (``since``) when first created, so age costs one float per
(neighbor, attribute set), nothing per prefix.

Enhanced route refresh, receiving side (RFC 7313 §4): a BoRR copies the neighbor's
Adj-RIB-In key set for the family into ``peer.stale``; each announced run is subtracted
from it (one ``set.difference_update``); the EoRR withdraws what is left. With no refresh
under way ``peer.stale`` is empty and ingest pays one truthiness test per UPDATE.

Graceful restart, receiving side (RFC 4724 §4.2), reuses those sets: ``retain(peer,
families) -> [LocChange]`` (the session lost without a NOTIFICATION) withdraws the other
families, marks the listed ones' routes stale and keeps the neighbor in the RIB; what the
neighbor sends after its restart is subtracted as above, and ``end_refresh`` (its
End-of-RIB, or no F bit in the new OPEN) or ``remove_peer`` (the restart timer, which the
session owns) purges the rest.

Per-neighbor default import/export policy is :class:`Policy` (ACCEPT_ROUTE / REJECT_ROUTE);
a route carrying our own AS is kept in Adj-RIB-In but ignored and counted (``as_loop``).
"""

from __future__ import annotations

from peerwise.rib.attrs import AttrTable, PathAttrs, contains_as, from_wire, prepend, to_wire
from peerwise.rib.decision import STEPS, BestPathReason, decide
from peerwise.rib.encode import UpdateWriter
from peerwise.rib.export import Outgoing, WellKnownCommunity, export_attrs, next_hop_self
from peerwise.rib.feed import apply_update, to_update
from peerwise.rib.local import LocalRoute, parse_community, parse_large_community
from peerwise.rib.pack import PackedUpdate, attrs_size, pack, uses_mp
from peerwise.rib.peer import (
    DEFAULT_LOCAL_PREF,
    AdjRib,
    Path,
    PeerConfig,
    PeerKind,
    Policy,
    PrefixCounters,
    Verdict,
)
from peerwise.rib.prefix import Key, family_of, key_text, prefix_key, split_nlri
from peerwise.rib.rib import LocChange, LocRib, Rib

__all__ = [
    "DEFAULT_LOCAL_PREF",
    "STEPS",
    "AdjRib",
    "AttrTable",
    "BestPathReason",
    "Key",
    "LocChange",
    "LocRib",
    "LocalRoute",
    "Outgoing",
    "PackedUpdate",
    "Path",
    "PathAttrs",
    "PeerConfig",
    "PeerKind",
    "Policy",
    "PrefixCounters",
    "Rib",
    "UpdateWriter",
    "Verdict",
    "WellKnownCommunity",
    "apply_update",
    "attrs_size",
    "contains_as",
    "decide",
    "export_attrs",
    "family_of",
    "from_wire",
    "key_text",
    "next_hop_self",
    "pack",
    "parse_community",
    "parse_large_community",
    "prefix_key",
    "prepend",
    "split_nlri",
    "to_update",
    "to_wire",
    "uses_mp",
]
