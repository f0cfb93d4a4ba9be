"""Routes kept stale for a while: enhanced route refresh and graceful restart, receiving side.

Both keep a neighbor's routes of a family *stale* in the RIB's per-family stale sets
(``AdjRib.stale``): what the neighbor announces again leaves the set, what is left when it
says it is done is withdrawn. This module owns the timers and the bookkeeping around that;
the sets themselves are the RIB's (``Rib.begin_refresh``, ``Rib.retain``, ``Rib.end_refresh``).

- Enhanced route refresh (RFC 7313 §4): a BoRR from the neighbor marks the family stale
  (:meth:`StaleRoutes.begin_refresh`) and arms a purge timer of :data:`STALE_PURGE` seconds;
  its EoRR (:meth:`StaleRoutes.end_refresh`) or the timer withdraws what is still stale.
- Graceful restart, helper (RFC 4724 §4.2): a session that ends without a NOTIFICATION keeps
  the families the neighbor's last OPEN listed in its Graceful Restart capability, stale
  (:meth:`StaleRoutes.retain`), for the neighbor's restart time; when that runs out the
  neighbor is removed. If it comes back first (:meth:`StaleRoutes.restarted`), a family its
  new OPEN does not list with the F bit is purged at once; the others are purged of what is
  still stale at its End-of-RIB (:meth:`StaleRoutes.received`) or after :data:`STALE_PATH`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from peerwise.rib import AdjRib, LocChange, PeerConfig, Rib
from peerwise.rib.export import reconfigure
from peerwise.session.caps import Restart
from peerwise.session.hooks import Handle, Scheduler
from peerwise.wire.families import Family

log = logging.getLogger("peerwise.session")
STALE_PURGE = 360.0  # seconds from a BoRR to purging its stale routes without an EoRR
STALE_PATH = 360.0  # seconds from a graceful restart to purging stale routes without an EoR


class StaleRoutes:
    """The timers and waits of one RIB's stale routes, by neighbor address.

    ``changed`` takes the Loc-RIB changes that purges cause; ``attached`` tells whether a
    neighbor's RIB share belongs to an Established session (a restart timer that fires after
    the neighbor came back must not remove it).
    """

    def __init__(
        self,
        rib: Rib,
        scheduler: Scheduler,
        changed: Callable[[LocChange], None],
        attached: Callable[[AdjRib], bool],
    ) -> None:
        self.rib = rib
        self.scheduler = scheduler
        self.changed = changed
        self.attached = attached
        self._purges: dict[tuple[str, Family], Handle] = {}
        self._restarts: dict[str, Handle] = {}
        self._eor_wait: dict[str, set[Family]] = {}  # stale families awaiting End-of-RIB

    # -- enhanced route refresh (RFC 7313 §4) -------------------------------------------

    def begin_refresh(self, address: str, adj: AdjRib, family: Family) -> None:
        """BoRR: the family's routes from the neighbor are stale until its EoRR."""
        self._stop_purge(address, family)
        self.changed(self.rib.begin_refresh(adj, family))
        self._arm_purge(address, adj, family, STALE_PURGE)

    def end_refresh(self, address: str, adj: AdjRib, family: Family) -> None:
        """EoRR: what is still stale is withdrawn."""
        self._stop_purge(address, family)
        self.changed(self.rib.end_refresh(adj, family))

    def _arm_purge(self, address: str, adj: AdjRib, family: Family, seconds: float) -> None:
        handle = self.scheduler.call_later(seconds, self._purge, address, adj, family)
        self._purges[(address, family)] = handle

    def _stop_purge(self, address: str, family: Family) -> None:
        timer = self._purges.pop((address, family), None)
        if timer is not None:
            timer.cancel()
        self._eor_wait.get(address, set()).discard(family)

    def _purge(self, address: str, adj: AdjRib, family: Family) -> None:
        """No EoRR (or End-of-RIB) in time: the stale routes go."""
        self._purges.pop((address, family), None)
        self._eor_wait.get(address, set()).discard(family)
        if self.attached(adj):
            self.changed(self.rib.end_refresh(adj, family))

    # -- graceful restart, receiving speaker (RFC 4724 §4.2) ----------------------------

    def received(self, address: str, adj: AdjRib) -> None:
        """After an UPDATE: an End-of-RIB after a restart purges what is still stale."""
        waiting = self._eor_wait.get(address)
        if waiting:
            for family in waiting & adj.eor_received:
                self.end_refresh(address, adj, family)

    def retain(self, address: str, adj: AdjRib, restart: Restart) -> bool:
        """The session ended without a NOTIFICATION: keep the routes of the families the
        neighbor listed, stale, and arm its restart timer. False (nothing done) if there is
        nothing to keep."""
        kept = [f for f in restart.families if adj.adj_in.get(f)]
        if not kept or restart.time <= 0:
            return False
        for change in self.rib.retain(adj, kept):
            self.changed(change)
        handle = self.scheduler.call_later(restart.time, self._restart_expired, address, adj)
        self._restarts[address] = handle
        log.info("neighbor %s: graceful restart, routes kept stale for %d s", address,
                 restart.time)  # fmt: skip
        return True

    def restarted(
        self,
        address: str,
        config: PeerConfig,
        families: tuple[Family, ...],
        restart: Restart | None,
    ) -> AdjRib | None:
        """The neighbor's RIB share kept over its restart, if any (else None, and a leftover
        is removed), given its new ``config``, negotiated ``families`` and the Graceful
        Restart capability of its new OPEN (None: it has none)."""
        timer = self._restarts.pop(address, None)
        if timer is not None:
            timer.cancel()
        adj = self.rib.peers.get(address)
        if adj is None:
            return None
        if timer is None or adj.asn != config.asn:
            self._remove(adj)
            return None
        if reconfigure(adj, config, (self.rib.local, *self.rib.peers.values())):
            for change in self.rib.reimport(adj):
                self.changed(change)
        forwarding = restart.families if restart is not None else {}
        for family in list(adj.stale):
            if forwarding.get(family) and family in families:
                self._eor_wait.setdefault(address, set()).add(family)
                self._arm_purge(address, adj, family, STALE_PATH)
            else:
                self.changed(self.rib.end_refresh(adj, family))
        return adj

    def _restart_expired(self, address: str, adj: AdjRib) -> None:
        """The neighbor did not come back within its restart time: its routes go."""
        self._restarts.pop(address, None)
        if self.rib.peers.get(address) is adj and not self.attached(adj):
            log.info("neighbor %s: restart time expired, stale routes purged", address)
            self._remove(adj)

    def forget(self, address: str) -> None:
        """The neighbor left the config: routes kept over its graceful restart go now."""
        timer = self._restarts.pop(address, None)
        if timer is None:
            return
        timer.cancel()
        adj = self.rib.peers.get(address)
        if adj is not None and not self.attached(adj):
            self._remove(adj)

    def down(self, address: str) -> None:
        """The session went down: its refresh timers and End-of-RIB waits end with it."""
        for key in [k for k in self._purges if k[0] == address]:
            self._purges.pop(key).cancel()
        self._eor_wait.pop(address, None)

    def _remove(self, adj: AdjRib) -> None:
        for change in self.rib.remove_peer(adj):
            self.changed(change)
