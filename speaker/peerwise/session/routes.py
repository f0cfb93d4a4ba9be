"""The RIB wired into the sessions: one :class:`~peerwise.rib.Rib` per server.

Theory of operation
-------------------
The session layer calls five hooks; everything else is the RIB's (``peerwise.rib``):

- :meth:`Routes.established` (RFC 4271 §9.1, RFC 4724 §2): the neighbor gets its share of
  the RIB (``add_peer``), then the whole Loc-RIB and End-of-RIB per negotiated family, sent
  by a task in steps of :data:`CHUNK` prefixes so that a full table does not hold up the
  event loop (the other sessions' reads, keepalives and hold timers).
- :meth:`Routes.received`: one UPDATE goes into the RIB (``apply_update``); the Loc-RIB
  changes wait in ``pending`` until the end of the event-loop turn (``call_soon``), so that
  all the UPDATEs of one socket read go out together, packed by attribute set, to every
  established neighbor (``export`` + ``pack``), not one UPDATE per prefix.
- :meth:`Routes.refresh`: ROUTE-REFRESH (RFC 2918 §4) re-sends the Adj-RIB-Out, framed by
  BoRR/EoRR when enhanced route refresh was negotiated (RFC 7313 §4). A BoRR *from* the
  neighbor marks its routes of the family stale (``rib.begin_refresh``); its EoRR, or
  :data:`STALE_PURGE` seconds without one, withdraws those not announced again
  (``rib.end_refresh``). Without enhanced route refresh negotiated both are ignored.
- :meth:`Routes.down`: the neighbor's routes are withdrawn from the others (``remove_peer``).
  Graceful restart, helper side (RFC 4724 §4.2): when the session ends without a
  NOTIFICATION and the neighbor's last OPEN listed a family in its Graceful Restart
  capability, that family's routes are kept, stale (``rib.retain``: the same stale sets as
  a BoRR), and the restart timer (the neighbor's restart time) is armed; when it fires the
  neighbor is removed. If the session returns first, a family the new OPEN does not list
  with the F bit set is purged at once (``rib.end_refresh``); the others are purged of what
  is still stale at the neighbor's End-of-RIB, or after :data:`STALE_PATH` seconds.

Prefix limits (``afi-safis/afi-safi/prefix-limit``, ``peerwise.rib.limit``): a neighbor that
sent UPDATEs is checked once per event-loop turn, before the turn's changes are exported:
one comparison of the family's accepted counter with its limit, none per prefix. Past the
limit the session is closed with Cease / Maximum Number of Prefixes Reached (RFC 4486 §4),
or only a warning is logged with prevent-teardown. A config change (:meth:`Routes.sync`)
checks every session again, so a limit lowered below the count acts at once.
- :meth:`Routes.reconfigured`: a ``soft`` config change (next-hop-self-address, default
  import/export policy) re-judges what the neighbor sent and re-exports the Loc-RIB to it;
  only the prefixes whose attributes changed, or that are now rejected, are sent.

Originated routes are config (``rib/routes``): :meth:`Routes.sync` originates and withdraws
the difference between two configs. UPDATEs are encoded by ``rib.encode.UpdateWriter``: each
attribute set once, the packed prefix keys copied as they are, one writer per codec context.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from peerwise.rib import LocChange, Outgoing, PeerConfig, Rib, apply_update
from peerwise.rib import Peer as RibPeer
from peerwise.rib.encode import UpdateWriter
from peerwise.rib.export import reconfigure
from peerwise.rib.limit import Action, Level, PrefixLimit, action, level, limits, notification
from peerwise.session.caps import restart_of
from peerwise.session.originate import configured_routes, policies
from peerwise.session.ribstate import RibQuery, query_from_filter, rib_state
from peerwise.wire.context import CodecContext
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family, family_name
from peerwise.wire.messages import RouteRefresh, Update

if TYPE_CHECKING:
    from peerwise.session.peer import Peer

log = logging.getLogger("peerwise.session")
FAMILIES: tuple[Family, ...] = (IPV4_UNICAST, IPV6_UNICAST)
BORR, EORR = 1, 2  # RFC 7313 §3 ROUTE-REFRESH subtypes
FREEZE_AFTER = 50_000  # prefixes: past this, a table load ends with gc.freeze()
CHUNK = 20_000  # prefixes per step of an initial export (the event loop runs in between)
STALE_PURGE = 360.0  # seconds from a BoRR to purging its stale routes without an EoRR
STALE_PATH = 360.0  # seconds from a graceful restart to purging stale routes without an EoR


async def _yielding(steps: Iterator[None]) -> None:
    """Run ``steps``, letting the event loop run after each."""
    for _ in steps:
        await asyncio.sleep(0)


def _rib_config(peer: Peer) -> PeerConfig:
    """What the RIB needs of an established neighbor (``rib.PeerConfig``)."""
    import_policy, export_policy = policies(peer.raw)
    local = peer.transport.get("local", ("", 0))[0]
    remote_id = peer.stats.peer_open.bgp_identifier if peer.stats.peer_open else "0.0.0.0"
    negotiated = peer.stats.negotiated
    return PeerConfig(
        address=peer.config.address,
        asn=peer.config.peer_as,
        router_id=remote_id,
        local_address=local,
        local_address6="" if ":" in local else f"::ffff:{local}",  # as GoBGP and FRR
        extended_next_hop=bool(negotiated and negotiated.capabilities.extended_nexthop),
        import_policy=import_policy,
        export_policy=export_policy,
        next_hop_ipv4=peer.config.next_hop_self("ipv4-unicast"),
        next_hop_ipv6=peer.config.next_hop_self("ipv6-unicast"),
    )


class Routes:
    """The server's RIB and its wiring to the established sessions."""

    def __init__(self, asn: int, router_id: str) -> None:
        self.rib = Rib(asn, router_id, FAMILIES)
        self.sessions: dict[Peer, RibPeer] = {}
        self.pending: dict[Family, list[bytes]] = {}
        self._scheduled = False
        self._loaded = 0  # prefixes received since the last gc.freeze()
        self._writers: dict[CodecContext, UpdateWriter] = {}  # encoders, by session context
        self._initial: dict[Peer, asyncio.Task[None]] = {}  # initial exports under way
        self._purges: dict[tuple[Peer, Family], asyncio.TimerHandle] = {}  # RFC 7313 §4
        self._restarts: dict[str, asyncio.TimerHandle] = {}  # RFC 4724 §4.2, by address
        self._eor_wait: dict[Peer, set[Family]] = {}  # stale families awaiting End-of-RIB
        self._grown: set[Peer] = set()  # sent UPDATEs since the last prefix-limit check
        self._levels: dict[tuple[Peer, Family], Level] = {}  # against its prefix limit
        self._limits: dict[Peer, tuple[Any, dict[Family, PrefixLimit]]] = {}  # by peer.raw

    # -- session hooks -------------------------------------------------------------------

    def established(self, peer: Peer, families: Iterable[Family], ctx: CodecContext) -> None:
        """Add the neighbor, send it the Loc-RIB, End-of-RIB per family (RFC 4724 §2)."""
        self.down(peer)
        peer.families = tuple(f for f in sorted(families) if f in FAMILIES)
        rib_peer = self._restarted(peer) or self.rib.add_peer(_rib_config(peer))
        self.sessions[peer] = rib_peer
        steps = self._initial_export(peer, rib_peer, ctx)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a test driving the RIB by hand): all at once
            for _ in steps:
                pass
            return
        task = self._initial[peer] = loop.create_task(_yielding(steps))
        task.add_done_callback(lambda done: self._initial_done(peer, done))

    def _initial_export(self, peer: Peer, rib_peer: RibPeer, ctx: CodecContext) -> Iterator[None]:
        """The Loc-RIB in steps of :data:`CHUNK` prefixes, then End-of-RIB, per family.

        Between steps the event loop runs, so a big table does not stall the other sessions.
        Each step exports the prefixes' best paths as they are then: a change that went out
        in between (``flush`` sends to this neighbor too) is not sent twice, a prefix
        withdrawn in between is not sent at all.
        """
        for family in peer.families:
            keys = list(self.rib.loc[family].best)
            for start in range(0, len(keys), CHUNK):
                change = LocChange(family, keys[start : start + CHUNK])
                self._send(peer, self.rib.export(rib_peer, change), ctx)
                yield
                if self.sessions.get(peer) is not rib_peer:
                    return  # the session went down meanwhile
            self._send(peer, Outgoing(family, [], {}, end_of_rib=True), ctx)

    def _initial_done(self, peer: Peer, task: asyncio.Task[None]) -> None:
        if self._initial.get(peer) is task:
            del self._initial[peer]
        if not task.cancelled() and task.exception() is not None:
            log.error("neighbor %s: initial export failed: %r", peer.name, task.exception())

    def received(self, peer: Peer, update: Update) -> None:
        rib_peer = self.sessions.get(peer)
        if rib_peer is None:
            return
        self.rib.now = time.monotonic()  # one clock read per UPDATE: new paths' age
        for change in apply_update(self.rib, rib_peer, update):
            self._changed(change)
        waiting = self._eor_wait.get(peer)
        if waiting:  # End-of-RIB after a graceful restart: what is still stale goes (§4.2)
            for family in waiting & rib_peer.eor_received:
                self._stale(peer, rib_peer, family, False)
        self._loaded += len(update.nlri_raw) + len(update.nlri)
        if peer not in self._grown:
            self._grown.add(peer)
            if not self._schedule():  # no loop (a test driving the RIB by hand): now
                self._check_grown()

    def refresh(self, peer: Peer, request: RouteRefresh) -> None:
        """ROUTE-REFRESH: the Adj-RIB-Out again (RFC 2918 §4; RFC 7313 §4 BoRR/EoRR)."""
        rib_peer = self.sessions.get(peer)
        family = (request.afi, request.safi)
        if rib_peer is None or family not in peer.families:
            return  # a family not negotiated (RFC 7313 §5)
        if request.subtype in (BORR, EORR):
            if peer.enhanced_route_refresh:  # else ignored (RFC 7313 §4)
                self._stale(peer, rib_peer, family, request.subtype == BORR)
            return
        if request.subtype != 0:
            return  # a reserved subtype is ignored (RFC 7313 §5)
        self.flush()  # the Adj-RIB-Out up to date first
        ctx = peer.codec_context()
        enhanced = peer.enhanced_route_refresh
        if enhanced:
            peer.send(RouteRefresh(request.afi, request.safi, BORR))
        self._send(peer, self.rib.refresh(rib_peer, family), ctx)
        if enhanced:
            peer.send(RouteRefresh(request.afi, request.safi, EORR))

    def _stale(self, peer: Peer, rib_peer: RibPeer, family: Family, begin: bool) -> None:
        """BoRR: the family's routes from the neighbor are stale, a purge timer armed; EoRR:
        the stale ones are withdrawn, the timer stopped (RFC 7313 §4)."""
        timer = self._purges.pop((peer, family), None)
        if timer is not None:
            timer.cancel()
        self._eor_wait.get(peer, set()).discard(family)
        rib = self.rib
        self._changed((rib.begin_refresh if begin else rib.end_refresh)(rib_peer, family))
        if begin:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a test driving the RIB by hand): no timer
                return
            handle = loop.call_later(STALE_PURGE, self._purge, peer, rib_peer, family)
            self._purges[(peer, family)] = handle

    def _purge(self, peer: Peer, rib_peer: RibPeer, family: Family) -> None:
        """No EoRR in time: the stale routes go (RFC 7313 §4)."""
        self._purges.pop((peer, family), None)
        self._eor_wait.get(peer, set()).discard(family)
        if self.sessions.get(peer) is rib_peer:
            self._changed(self.rib.end_refresh(rib_peer, family))

    def reconfigured(self, peer: Peer) -> None:
        """A ``soft`` config change (a next-hop-self-address, a default policy): what the
        neighbor sent is judged again by its import policy (the other neighbors get the
        Loc-RIB changes), and the Loc-RIB is exported to it again, so it gets the prefixes
        whose attributes changed, and withdrawals of those its export policy now rejects
        (RFC 4271 §9.2)."""
        rib_peer = self.sessions.get(peer)
        sources = (self.rib.local, *self.rib.peers.values())
        if rib_peer is None or not reconfigure(rib_peer, _rib_config(peer), sources):
            return
        for change in self.rib.reimport(rib_peer):
            self._changed(change)
        self.flush()  # the pending changes first, with the old config cleared
        ctx = peer.codec_context()
        for family in peer.families:
            change = LocChange(family, list(self.rib.loc[family].best))
            self._send(peer, self.rib.export(rib_peer, change), ctx)

    def down(self, peer: Peer, graceful: bool = False) -> None:
        """The session went down: withdraw what the neighbor sent (RFC 4271 §9), or, with
        ``graceful`` (no NOTIFICATION either way), keep what its Graceful Restart capability
        covers, stale, for its restart time (RFC 4724 §4.2)."""
        task = self._initial.pop(peer, None)
        if task is not None:
            task.cancel()
        for family in FAMILIES:
            timer = self._purges.pop((peer, family), None)
            if timer is not None:
                timer.cancel()
        self._grown.discard(peer)
        self._limits.pop(peer, None)
        for family in FAMILIES:
            self._levels.pop((peer, family), None)
        self._eor_wait.pop(peer, None)
        rib_peer = self.sessions.pop(peer, None)
        if rib_peer is None:
            return
        restart = restart_of(peer.stats.peer_open) if graceful else None
        if restart is None or not self._retain(peer, rib_peer, restart.time, restart.families):
            for change in self.rib.remove_peer(rib_peer):
                self._changed(change)

    # -- graceful restart, receiving speaker (RFC 4724 §4.2) -----------------------------

    def _retain(
        self, peer: Peer, rib_peer: RibPeer, seconds: int, families: Iterable[Family]
    ) -> bool:
        """Keep the neighbor's routes of ``families``, stale, and arm the restart timer;
        False (nothing done) if there is nothing to keep or no event loop for the timer."""
        kept = [f for f in families if rib_peer.adj_in.get(f)]
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a test driving the RIB by hand): no timer
            return False
        if not kept or seconds <= 0:
            return False
        for change in self.rib.retain(rib_peer, kept):
            self._changed(change)
        address = peer.config.address
        self._restarts[address] = loop.call_later(seconds, self._restart_expired, address, rib_peer)
        log.info("neighbor %s: graceful restart, routes kept stale for %d s", peer.name, seconds)
        return True

    def forget(self, address: str) -> None:
        """The neighbor left the config: routes kept over its graceful restart go now."""
        timer = self._restarts.pop(address, None)
        if timer is None:
            return
        timer.cancel()
        rib_peer = self.rib.peers.get(address)
        if rib_peer is not None and rib_peer not in self.sessions.values():
            for change in self.rib.remove_peer(rib_peer):
                self._changed(change)

    def _restart_expired(self, address: str, rib_peer: RibPeer) -> None:
        """The neighbor did not come back within its restart time: its routes go."""
        self._restarts.pop(address, None)
        if self.rib.peers.get(address) is rib_peer and rib_peer not in self.sessions.values():
            log.info("neighbor %s: restart time expired, stale routes purged", address)
            for change in self.rib.remove_peer(rib_peer):
                self._changed(change)

    def _restarted(self, peer: Peer) -> RibPeer | None:
        """The neighbor's RIB share kept over its restart, if any (else None, and a leftover
        is removed). Stale families the new OPEN lists with the F bit wait for End-of-RIB;
        the others are purged at once (RFC 4724 §4.2)."""
        address = peer.config.address
        timer = self._restarts.pop(address, None)
        if timer is not None:
            timer.cancel()
        rib_peer = self.rib.peers.get(address)
        if rib_peer is None:
            return None
        if timer is None or rib_peer.asn != peer.config.peer_as:
            for change in self.rib.remove_peer(rib_peer):
                self._changed(change)
            return None
        if reconfigure(rib_peer, _rib_config(peer), (self.rib.local, *self.rib.peers.values())):
            for change in self.rib.reimport(rib_peer):
                self._changed(change)
        restart = restart_of(peer.stats.peer_open)
        forwarding = restart.families if restart is not None else {}
        loop = asyncio.get_running_loop()
        for family in list(rib_peer.stale):
            if forwarding.get(family) and family in peer.families:
                self._eor_wait.setdefault(peer, set()).add(family)
                handle = loop.call_later(STALE_PATH, self._purge, peer, rib_peer, family)
                self._purges[(peer, family)] = handle
            else:
                self._changed(self.rib.end_refresh(rib_peer, family))
        return rib_peer

    # -- config --------------------------------------------------------------------------

    def sync(self, old_cfg: dict[str, Any], new_cfg: dict[str, Any]) -> None:
        """Originate the configured routes that are new or changed, withdraw the removed."""
        old, new = configured_routes(old_cfg), configured_routes(new_cfg)
        self.rib.now = time.monotonic()
        for prefix in old.keys() - new.keys():
            self._changed(self.rib.withdraw_local(prefix))
        for prefix, route in new.items():
            if old.get(prefix) != route:
                self._changed(self.rib.originate(route))
        for peer in list(self.sessions):  # a limit lowered below the count acts at once
            self.check_limits(peer)

    # -- prefix limits -------------------------------------------------------------------

    def limits(self, peer: Peer) -> dict[Family, PrefixLimit]:
        """The neighbor's prefix limits by family, parsed once per config."""
        cached = self._limits.get(peer)
        if cached is None or cached[0] is not peer.raw:
            cached = self._limits[peer] = (peer.raw, limits(peer.raw.get("afi-safis")))
        return cached[1]

    def accepted(self, peer: Peer, family: Family) -> int:
        rib_peer = self.sessions.get(peer)
        return rib_peer.accepted.get(family, 0) if rib_peer is not None else 0

    def _check_grown(self) -> None:
        grown, self._grown = self._grown, set()
        for peer in grown:
            self.check_limits(peer)

    def check_limits(self, peer: Peer) -> None:
        """One comparison per family with a limit: warn, or close the session (RFC 4486 §4)."""
        rib_peer = self.sessions.get(peer)
        if rib_peer is None:
            return
        for family, limit in self.limits(peer).items():
            old = self._levels.get((peer, family), Level.UNDER)
            count = rib_peer.accepted.get(family, 0)
            new = self._levels[(peer, family)] = level(limit, count)
            todo = action(limit, old, new)
            what = f"prefix limit {limit.max_prefixes} reached for {family_name(*family)}"
            if todo is Action.WARN:
                log.warning("neighbor %s: %s prefixes accepted, %s%s", peer.name, count,
                            what, " (warning only)" if new is Level.OVER else "")  # fmt: skip
            elif todo is Action.TEARDOWN:
                peer.limit_reached(notification(family, limit), what, limit.restart_timer)
                return

    # -- batching ------------------------------------------------------------------------

    def _changed(self, change: LocChange) -> None:
        if not change.keys:
            return
        self.pending.setdefault(change.family, []).extend(change.keys)
        self._schedule()

    def _schedule(self) -> bool:
        """A flush at the end of this event-loop turn; False if there is no loop."""
        if not self._scheduled:
            self._scheduled = True
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop (config applied before start): sent at start
                self._scheduled = False
                return False
        return True

    def flush(self) -> None:
        """Export the pending Loc-RIB changes to every established neighbor."""
        self._scheduled = False
        self._check_grown()  # before exporting: a torn-down neighbor's routes never go out
        pending, self.pending = self.pending, {}
        for family, keys in pending.items():
            change = LocChange(family, keys)
            for peer, rib_peer in list(self.sessions.items()):
                if family in peer.families:
                    self._send(peer, self.rib.export(rib_peer, change), peer.codec_context())
        if self._loaded >= FREEZE_AFTER:
            # The big tables are long-lived: take them out of the cyclic collector's scans.
            self._loaded = 0
            gc.collect(0)
            gc.freeze()

    def _send(self, peer: Peer, out: Outgoing, ctx: CodecContext) -> None:
        """``out`` encoded for ``peer``'s session, as one write."""
        writer = self._writers.get(ctx)
        if writer is None:
            writer = self._writers[ctx] = UpdateWriter(ctx)
        frames = writer.frames(out)
        if frames:
            peer.send_frames(frames)

    # -- state ---------------------------------------------------------------------------

    def prefixes(self, peer: Peer) -> dict[str, int]:
        """``neighbors[i].state.prefixes``: summed over the families."""
        rib_peer = self.sessions.get(peer)
        totals = {"received": 0, "accepted": 0, "advertised": 0}
        if rib_peer is not None:
            for family in FAMILIES:
                c = rib_peer.counters(family)
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
            rib["afi-safis"] = rib_state(self.rib, query, time.monotonic())

    def totals(self) -> tuple[int, int]:
        """(total-paths, total-prefixes): Adj-RIB-In paths held, Loc-RIB prefixes."""
        paths = sum(len(a) for p in self.rib.peers.values() for a in p.adj_in.values())
        paths += sum(len(a) for a in self.rib.local.adj_in.values())
        prefixes = sum(len(loc.best) for loc in self.rib.loc.values())
        return paths, prefixes
