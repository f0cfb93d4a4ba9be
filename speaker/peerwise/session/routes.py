"""The RIB wired into the sessions: one :class:`~peerwise.rib.Rib` per server.

Theory of operation
-------------------
:class:`Routes` is the :class:`~peerwise.session.hooks.SessionHooks` the peers report to;
everything else is the RIB's (``peerwise.rib``). It knows a session only as the frozen
:class:`~peerwise.session.hooks.EstablishedSession` handed over at Established and the
:class:`~peerwise.session.hooks.Sender` bound to it, keyed by the neighbor's address; its
timers and deferred calls come from an injected :class:`~peerwise.session.hooks.Scheduler`.

- :meth:`Routes.established` (RFC 4271 §9.1, RFC 4724 §2): the neighbor gets its share of
  the RIB (``add_peer``), then the whole Loc-RIB and End-of-RIB per negotiated family, sent in
  steps of :data:`CHUNK` prefixes, one per event-loop turn, so that a full table does not
  hold up the other sessions' reads, keepalives and hold timers.
- :meth:`Routes.received`: one UPDATE goes into the RIB (``apply_update``); the Loc-RIB
  changes wait in ``pending`` until the end of the event-loop turn (``call_soon``), so that
  all the UPDATEs of one socket read go out together, packed by attribute set, to every
  established neighbor (``export`` + ``UpdateWriter``), not one UPDATE per prefix.
- :meth:`Routes.refresh`: ROUTE-REFRESH (RFC 2918 §4) re-sends the Adj-RIB-Out, framed by
  BoRR/EoRR when enhanced route refresh was negotiated (RFC 7313 §4). A BoRR or EoRR *from*
  the neighbor is ``stale.py``'s; without enhanced route refresh both are ignored.
- :meth:`Routes.down`: the neighbor's routes are withdrawn from the others (``remove_peer``),
  or, after a session lost without a NOTIFICATION, kept stale over the neighbor's graceful
  restart (RFC 4724 §4.2, ``stale.py``).
- :meth:`Routes.reconfigure`: a neighbor's new settings; a ``soft`` change (a
  next-hop-self-address, a default policy) re-judges what the neighbor sent and re-exports the
  Loc-RIB to it: only the prefixes whose attributes changed, or that are now rejected, go out.

Prefix limits (``limits.py``) are checked once per event-loop turn for the neighbors that sent
UPDATEs, before the turn's changes are exported, and for every session after a config change,
so a limit lowered below the count acts at once.

Originated routes are config (``rib/routes``): :meth:`Routes.sync` originates and withdraws
the difference between two configs. UPDATEs are encoded by ``rib.encode.UpdateWriter``: each
attribute set once, the packed prefix keys copied as they are, one writer per codec context.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from peerwise.rib import AdjRib, LocalRoute, LocChange, Outgoing, PeerConfig, Rib, apply_update
from peerwise.rib.encode import UpdateWriter
from peerwise.rib.export import reconfigure
from peerwise.session.caps import restart_of
from peerwise.session.config import NeighborConfig
from peerwise.session.hooks import EstablishedSession, Handle, Scheduler, Sender
from peerwise.session.limits import LimitWatch
from peerwise.session.ribstate import RibQuery, query_from_filter, rib_state
from peerwise.session.stale import StaleRoutes
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family
from peerwise.wire.messages import RouteRefresh, Update

log = logging.getLogger("peerwise.session")
FAMILIES: tuple[Family, ...] = (IPV4_UNICAST, IPV6_UNICAST)
BORR, EORR = 1, 2  # RFC 7313 §3 ROUTE-REFRESH subtypes
FREEZE_AFTER = 50_000  # prefixes: past this, a table load ends with gc.freeze()
CHUNK = 20_000  # prefixes per step of an initial export (the event loop runs in between)


def rib_config(session: EstablishedSession) -> PeerConfig:
    """What the RIB needs of an established neighbor (``rib.PeerConfig``)."""
    neighbor, local = session.neighbor, session.local_address
    return PeerConfig(
        address=neighbor.address,
        asn=neighbor.peer_as,
        router_id=session.peer_open.bgp_identifier,
        local_address=local,
        local_address6="" if ":" in local else f"::ffff:{local}",  # as GoBGP and FRR
        extended_next_hop=session.extended_next_hop,
        import_policy=neighbor.import_policy,
        export_policy=neighbor.export_policy,
        next_hop_ipv4=neighbor.next_hop_self("ipv4-unicast"),
        next_hop_ipv6=neighbor.next_hop_self("ipv6-unicast"),
    )


@dataclass
class Attached:
    """An Established session as the routes hold it."""

    session: EstablishedSession
    sender: Sender
    adj: AdjRib
    families: tuple[Family, ...]  # negotiated, and carried by the RIB


class Routes:
    """The server's RIB and its wiring to the established sessions (see the module doc)."""

    def __init__(self, asn: int, router_id: str, scheduler: Scheduler) -> None:
        self.rib = Rib(asn, router_id, FAMILIES)
        self.scheduler = scheduler
        self.sessions: dict[str, Attached] = {}
        self.pending: dict[Family, list[bytes]] = {}
        self._scheduled = False
        self._loaded = 0  # prefixes received since the last gc.freeze()
        self._writers: dict[CodecContext, UpdateWriter] = {}  # encoders, by codec context
        self._initial: dict[str, Handle] = {}  # the next step of an initial export
        self._limits = LimitWatch()
        self.stale = StaleRoutes(self.rib, scheduler, self._changed, self._attached)

    def _attached(self, adj: AdjRib) -> bool:
        held = self.sessions.get(adj.address)
        return held is not None and held.adj is adj

    # -- session hooks -------------------------------------------------------------------

    def established(self, session: EstablishedSession, sender: Sender) -> None:
        """Add the neighbor, send it the Loc-RIB, End-of-RIB per family (RFC 4724 §2)."""
        address = session.address
        self.down(address)
        families = tuple(f for f in sorted(session.families) if f in FAMILIES)
        config = rib_config(session)
        restart = restart_of(session.peer_open)
        adj = self.stale.restarted(address, config, families, restart)
        held = Attached(session, sender, adj or self.rib.add_peer(config), families)
        self.sessions[address] = held
        self._next_step(address, held, self._initial_export(held))

    def _initial_export(self, held: Attached) -> Iterator[None]:
        """The Loc-RIB in steps of :data:`CHUNK` prefixes, then End-of-RIB, per family.

        Each step exports the prefixes' best paths as they are then: a change that went out
        in between (``flush`` sends to this neighbor too) is not sent twice, a prefix
        withdrawn in between is not sent at all.
        """
        for family in held.families:
            keys = list(self.rib.loc[family].best)
            for start in range(0, len(keys), CHUNK):
                change = LocChange(family, keys[start : start + CHUNK])
                self._send(held, self.rib.export(held.adj, change))
                yield
            self._send(held, Outgoing(family, [], {}, end_of_rib=True))

    def _next_step(self, address: str, held: Attached, steps: Iterator[None]) -> None:
        self._initial[address] = self.scheduler.call_soon(self._step, address, held, steps)

    def _step(self, address: str, held: Attached, steps: Iterator[None]) -> None:
        self._initial.pop(address, None)
        if self.sessions.get(address) is not held:
            return  # the session went down meanwhile
        try:
            next(steps)
        except StopIteration:
            return
        except Exception:
            log.exception("neighbor %s: initial export failed", address)
            return
        self._next_step(address, held, steps)

    def received(self, address: str, update: Update) -> None:
        held = self.sessions.get(address)
        if held is None:
            return
        self.rib.now = self.scheduler.now()  # one clock read per UPDATE: new paths' age
        for change in apply_update(self.rib, held.adj, update):
            self._changed(change)
        self.stale.received(address, held.adj)
        self._loaded += len(update.nlri_raw) + len(update.nlri)
        if self._limits.grew(address):
            self._schedule()

    def refresh(self, address: str, request: RouteRefresh) -> None:
        """ROUTE-REFRESH: the Adj-RIB-Out again (RFC 2918 §4; RFC 7313 §4 BoRR/EoRR)."""
        held = self.sessions.get(address)
        family = (request.afi, request.safi)
        if held is None or family not in held.families:
            return  # a family not negotiated (RFC 7313 §5)
        enhanced = held.session.enhanced_route_refresh
        if request.subtype == BORR:
            if enhanced:  # else ignored (RFC 7313 §4)
                self.stale.begin_refresh(address, held.adj, family)
            return
        if request.subtype == EORR:
            if enhanced:
                self.stale.end_refresh(address, held.adj, family)
            return
        if request.subtype != 0:
            return  # a reserved subtype is ignored (RFC 7313 §5)
        self.flush()  # the Adj-RIB-Out up to date first
        if enhanced:
            held.sender.send(RouteRefresh(request.afi, request.safi, BORR))
        self._send(held, self.rib.refresh(held.adj, family))
        if enhanced:
            held.sender.send(RouteRefresh(request.afi, request.safi, EORR))

    def down(self, address: str, graceful: bool = False) -> None:
        """The session went down: withdraw what the neighbor sent (RFC 4271 §9), or, with
        ``graceful`` (no NOTIFICATION either way), keep what its Graceful Restart capability
        covers, stale, for its restart time (RFC 4724 §4.2)."""
        step = self._initial.pop(address, None)
        if step is not None:
            step.cancel()
        self.stale.down(address)
        self._limits.forget(address)
        held = self.sessions.pop(address, None)
        if held is None:
            return
        restart = restart_of(held.session.peer_open) if graceful else None
        if restart is None or not self.stale.retain(address, held.adj, restart):
            for change in self.rib.remove_peer(held.adj):
                self._changed(change)

    # -- config --------------------------------------------------------------------------

    def reconfigure(self, address: str, neighbor: NeighborConfig) -> None:
        """The neighbor's new settings. If what the RIB holds of it changed (a ``soft``
        change: a next-hop-self-address, a default policy), what it sent is judged again by
        its import policy (the other neighbors get the Loc-RIB changes), and the Loc-RIB is
        exported to it again, so it gets the prefixes whose attributes changed, and
        withdrawals of those its export policy now rejects (RFC 4271 §9.2)."""
        held = self.sessions.get(address)
        if held is None:
            return
        held.session = replace(held.session, neighbor=neighbor)
        sources = (self.rib.local, *self.rib.peers.values())
        if not reconfigure(held.adj, rib_config(held.session), sources):
            return
        for change in self.rib.reimport(held.adj):
            self._changed(change)
        self.flush()  # the pending changes first, with the old config cleared
        for family in held.families:
            change = LocChange(family, list(self.rib.loc[family].best))
            self._send(held, self.rib.export(held.adj, change))

    def forget(self, address: str) -> None:
        """The neighbor left the config: routes kept over its graceful restart go now."""
        self.stale.forget(address)

    def sync(self, old: Mapping[str, LocalRoute], new: Mapping[str, LocalRoute]) -> None:
        """Originate the configured routes that are new or changed, withdraw the removed;
        then check every session's prefix limits (a limit may have been lowered)."""
        self.rib.now = self.scheduler.now()
        for prefix in old.keys() - new.keys():
            self._changed(self.rib.withdraw_local(prefix))
        for prefix, route in new.items():
            if old.get(prefix) != route:
                self._changed(self.rib.originate(route))
        for address in list(self.sessions):
            self.check_limits(address)

    # -- prefix limits -------------------------------------------------------------------

    def accepted(self, address: str, family: Family) -> int:
        held = self.sessions.get(address)
        return held.adj.accepted.get(family, 0) if held is not None else 0

    def check_limits(self, address: str) -> None:
        """Warn, or close the session (RFC 4486 §4)."""
        held = self.sessions.get(address)
        if held is None:
            return
        limits = held.session.neighbor.limits
        teardown = self._limits.check(address, held.adj.accepted, limits) if limits else None
        if teardown is not None:
            held.sender.teardown(teardown.notification, teardown.reason, teardown.restart)

    # -- batching ------------------------------------------------------------------------

    def _changed(self, change: LocChange) -> None:
        if not change.keys:
            return
        self.pending.setdefault(change.family, []).extend(change.keys)
        self._schedule()

    def _schedule(self) -> None:
        """A flush at the end of this event-loop turn."""
        if not self._scheduled:
            self._scheduled = True
            self.scheduler.call_soon(self.flush)

    def flush(self) -> None:
        """Export the pending Loc-RIB changes to every established neighbor."""
        self._scheduled = False
        for address in self._limits.take_grown():  # a torn-down neighbor's routes never go out
            self.check_limits(address)
        pending, self.pending = self.pending, {}
        for family, keys in pending.items():
            change = LocChange(family, keys)
            for held in list(self.sessions.values()):
                if family in held.families:
                    self._send(held, self.rib.export(held.adj, change))
        if self._loaded >= FREEZE_AFTER:
            # The big tables are long-lived: take them out of the cyclic collector's scans.
            self._loaded = 0
            gc.collect(0)
            gc.freeze()

    def _send(self, held: Attached, out: Outgoing) -> None:
        """``out`` encoded for the session, as one write."""
        ctx = held.session.ctx
        writer = self._writers.get(ctx)
        if writer is None:
            writer = self._writers[ctx] = UpdateWriter(ctx)
        frames = writer.frames(out)
        if frames:
            held.sender.send_frames(frames)

    # -- state ---------------------------------------------------------------------------

    def prefixes(self, address: str) -> dict[str, int]:
        """``neighbors[i].state.prefixes``: summed over the families."""
        held = self.sessions.get(address)
        totals = {"received": 0, "accepted": 0, "advertised": 0}
        if held is not None:
            for family in FAMILIES:
                c = held.adj.counters(family)
                totals["received"] += c.received
                totals["accepted"] += c.accepted
                totals["advertised"] += c.advertised
        return totals

    def add_state(self, tree: dict[str, Any], flt: Any = None) -> None:
        """``rib/afi-safis`` into a state tree (see ``ribstate.py``)."""
        query = RibQuery() if flt is None else query_from_filter(flt)
        if query is not None:
            rib = tree.get("rib") if isinstance(tree.get("rib"), dict) else None
            tree["rib"] = rib = rib or {}
            rib["afi-safis"] = rib_state(self.rib, query, self.scheduler.now())

    def totals(self) -> tuple[int, int]:
        """(total-paths, total-prefixes): Adj-RIB-In paths held, Loc-RIB prefixes."""
        paths = sum(len(a) for p in self.rib.peers.values() for a in p.adj_in.values())
        paths += sum(len(a) for a in self.rib.local.adj_in.values())
        prefixes = sum(len(loc.best) for loc in self.rib.loc.values())
        return paths, prefixes
