"""The RIB: Adj-RIB-In per peer, the Loc-RIB and its decision process, Adj-RIB-Out per peer
(RFC 4271 §3.2, §9). See the package docstring for the theory of operation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, groupby, repeat
from operator import itemgetter

from peerwise.rib.attrs import AttrTable, PathAttrs
from peerwise.rib.decision import BestPathReason, decide
from peerwise.rib.export import Outgoing, export_attrs
from peerwise.rib.local import LocalRoute
from peerwise.rib.peer import AdjRib, Path, PeerConfig, PeerKind, PrefixCounters, Verdict
from peerwise.rib.prefix import Key, family_of, prefix_key
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Family

Announced = Iterable[tuple[PathAttrs, Sequence[Key]]]
"""Announcements grouped as UPDATEs carry them: (attribute set, prefixes)."""

_ACCEPTED, _AS_LOOP = Verdict.ACCEPTED, Verdict.AS_LOOP
_PATH, _KEY = itemgetter(0), itemgetter(1)


@dataclass(frozen=True)
class LocChange:
    """Prefixes of ``family`` whose best path changed (read the new one from the Loc-RIB)."""

    family: Family
    keys: list[Key]


class LocRib:
    """One family's Loc-RIB: ``best`` for every prefix; ``multi`` holds the candidates only
    for prefixes with more than one, so the common single-path prefix costs one dict entry."""

    __slots__ = ("best", "multi")

    def __init__(self) -> None:
        self.best: dict[Key, Path] = {}
        self.multi: dict[Key, list[Path]] = {}

    def candidates(self, key: Key) -> list[Path]:
        best = self.best.get(key)
        return list(self.multi.get(key) or ([best] if best else []))


class Rib:
    """The routing tables of one speaker (AS ``local_as``, BGP identifier ``router_id``)."""

    def __init__(
        self,
        local_as: int,
        router_id: str,
        families: Iterable[Family] = (IPV4_UNICAST, IPV6_UNICAST),
    ) -> None:
        self.local_as = local_as
        self.router_id = router_id
        self.attrs = AttrTable()
        self.loc: dict[Family, LocRib] = {f: LocRib() for f in families}
        self.peers: dict[str, AdjRib] = {}
        config = PeerConfig(address="0.0.0.0", asn=local_as, router_id=router_id)
        self.local = AdjRib(config, local_as, PeerKind.LOCAL)
        self.now = 0.0  # the session's clock for the batch in hand (route age); see ingest

    # -- peers -----------------------------------------------------------------------------

    def add_peer(self, config: PeerConfig) -> AdjRib:
        """Start a neighbor's tables (when its session is established)."""
        if config.address in self.peers:
            raise ValueError(f"neighbor {config.address} is already in the RIB")
        peer = self.peers[config.address] = AdjRib(config, self.local_as)
        return peer

    def remove_peer(self, peer: AdjRib) -> list[LocChange]:
        """Forget a neighbor (session down): everything it sent is withdrawn (RFC 4271 §9)."""
        changes = [
            self.ingest(peer, family, withdrawn=list(adj)) for family, adj in peer.adj_in.items()
        ]
        peer.adj_out.clear()
        peer.stale.clear()
        del self.peers[peer.address]
        for other in (self.local, *self.peers.values()):
            for path in other.paths():
                _forget_exports(path, peer)
        return changes

    def retain(self, peer: AdjRib, families: Iterable[Family]) -> list[LocChange]:
        """The session went down without a NOTIFICATION and the neighbor can restart
        gracefully for ``families`` (RFC 4724 §4.2): their routes stay, stale (the
        ``peer.stale`` sets of :meth:`begin_refresh`, purged by :meth:`end_refresh`); the
        other families' are withdrawn. The Adj-RIB-Out is gone with the session."""
        keep = set(families)
        changes = [
            self.ingest(peer, family, withdrawn=list(adj))
            for family, adj in peer.adj_in.items()
            if family not in keep
        ]
        peer.stale = {f: set(adj) for f, adj in peer.adj_in.items() if f in keep and adj}
        peer.adj_out.clear()
        peer.eor_received.clear()
        return changes

    # -- receive ---------------------------------------------------------------------------

    def ingest(
        self,
        peer: AdjRib,
        family: Family,
        announced: Announced = (),
        withdrawn: Iterable[Key] = (),
        treat_as_withdraw: bool = False,
        now: float | None = None,
    ) -> LocChange:
        """Apply one UPDATE's worth from ``peer``: withdrawals, then announcements (a prefix
        announced again replaces the old route: implicit withdraw, RFC 4271 §3.1). With
        ``treat_as_withdraw`` (RFC 7606 §2) the announced prefixes are withdrawn instead.

        ``now`` (default :attr:`now`, set by the session once per batch) stamps new paths.
        After a BoRR, announced prefixes are no longer stale (RFC 7313 §4): per run."""
        stamp = self.now if now is None else now
        loc = self._loc(family)
        adj = peer.adj_in.setdefault(family, {})
        changed: list[Key] = []
        if treat_as_withdraw:
            withdrawn = chain(withdrawn, *(keys for _, keys in announced))
            announced = ()
        if withdrawn:
            self._withdraw(peer, family, adj, loc, withdrawn, changed)
        stale = peer.stale.get(family) if peer.stale else None
        for attrs, keys in announced:
            path = peer.path(self.attrs.intern(attrs), stamp)
            self._announce(peer, family, adj, loc, path, keys, changed)
            if stale is not None:
                stale.difference_update(keys)
        return LocChange(family, changed)

    # -- enhanced route refresh, receiving side (RFC 7313 §4) ------------------------------

    def begin_refresh(self, peer: AdjRib, family: Family) -> LocChange:
        """BoRR from ``peer``: every route it sent for ``family`` is stale until announced
        again. A refresh still open (its EoRR never came) ends first: its stale routes go."""
        change = self.end_refresh(peer, family)
        peer.stale[family] = set(peer.adj_in.get(family, ()))
        return change

    def end_refresh(self, peer: AdjRib, family: Family) -> LocChange:
        """EoRR from ``peer`` (or the session's purge timer): the routes still stale are
        withdrawn (RFC 7313 §4). Without a BoRR before it, nothing happens."""
        stale = peer.stale.pop(family, None)
        if not stale:
            return LocChange(family, [])
        return self.ingest(peer, family, withdrawn=stale)

    def _withdraw(
        self,
        peer: AdjRib,
        family: Family,
        adj: dict[Key, Path],
        loc: LocRib,
        keys: Iterable[Key],
        changed: list[Key],
    ) -> None:
        pop, multi, best = adj.pop, loc.multi, loc.best
        accepted = looped = 0
        for key in keys:
            old = pop(key, None)
            if old is None:
                continue
            if old.verdict is not _ACCEPTED:
                looped += old.verdict is _AS_LOOP
            elif key not in multi:  # it was the only path, hence the best
                accepted += 1
                del best[key]
                changed.append(key)
            else:
                accepted += 1
                if _compete(loc, key, peer, None):
                    changed.append(key)
        peer.accepted[family] = peer.accepted.get(family, 0) - accepted
        peer.looped[family] = peer.looped.get(family, 0) - looped

    def _announce(
        self,
        peer: AdjRib,
        family: Family,
        adj: dict[Key, Path],
        loc: LocRib,
        path: Path,
        keys: Sequence[Key],
        changed: list[Key],
    ) -> None:
        accepted = path.verdict is _ACCEPTED
        if accepted and adj.keys().isdisjoint(keys):
            self._announce_new(peer, family, adj, loc, path, keys, changed)
            return
        new = path if accepted else None
        setdefault, adj_setdefault, append = loc.best.setdefault, adj.setdefault, changed.append
        fresh = lost = unlooped = 0
        size = len(adj)
        for key in keys:
            old = adj_setdefault(key, path)
            if old is path:
                if len(adj) == size:
                    continue  # announced again, unchanged
                size += 1
                fresh += 1
                # The first path for a prefix goes straight in: a full table's fast path.
                if accepted and (setdefault(key, path) is path or _compete(loc, key, peer, path)):
                    append(key)
                continue
            adj[key] = path
            fresh += 1
            lost += old.verdict is _ACCEPTED  # implicit withdraw (RFC 4271 §3.1)
            unlooped += old.verdict is _AS_LOOP
            if (old.verdict is _ACCEPTED or accepted) and _compete(loc, key, peer, new):
                append(key)
        peer.accepted[family] = peer.accepted.get(family, 0) + fresh * accepted - lost
        looped = fresh * (path.verdict is _AS_LOOP) - unlooped
        peer.looped[family] = peer.looped.get(family, 0) + looped

    def _announce_new(
        self,
        peer: AdjRib,
        family: Family,
        adj: dict[Key, Path],
        loc: LocRib,
        path: Path,
        keys: Sequence[Key],
        changed: list[Key],
    ) -> None:
        """An accepted path for prefixes this peer did not have: a table load's fast path,
        whole runs at a time; where nobody else has them either, they win outright."""
        size = len(adj)
        adj.update(zip(keys, repeat(path)))
        peer.accepted[family] = peer.accepted.get(family, 0) + len(adj) - size
        best = loc.best
        if best.keys().isdisjoint(keys):
            best.update(zip(keys, repeat(path)))
            changed.extend(keys)
            return
        setdefault, append = best.setdefault, changed.append
        for key in keys:
            if setdefault(key, path) is path or _compete(loc, key, peer, path):
                append(key)

    def reimport(self, peer: AdjRib) -> list[LocChange]:
        """A new default-import-policy for ``peer``: its Adj-RIB-In judged again.

        Adj-RIB-In keeps what the policy rejected, so nothing needs to be asked for again
        (no ROUTE-REFRESH, RFC 2918 §3): the paths whose verdict flipped enter or leave the
        decision process (RFC 4271 §9.1.2). Returns the Loc-RIB changes, to export.
        """
        flipped = peer.rejudge()
        if not flipped:
            return []
        changes = []
        for family, adj in peer.adj_in.items():
            loc, changed, delta = self._loc(family), [], 0
            for key, path in adj.items():
                if path in flipped:
                    accepted = path.verdict is _ACCEPTED
                    delta += 1 if accepted else -1
                    if _compete(loc, key, peer, path if accepted else None):
                        changed.append(key)
            peer.accepted[family] = peer.accepted.get(family, 0) + delta
            changes.append(LocChange(family, changed))
        return changes

    # -- originate -------------------------------------------------------------------------

    def originate(self, route: LocalRoute) -> LocChange:
        """Add (or replace) a configured route."""
        return self.ingest(self.local, route.family, [(route.attrs(), [route.key])])

    def withdraw_local(self, prefix: str) -> LocChange:
        """Remove a configured route (no change if there was none)."""
        return self.ingest(self.local, family_of(prefix), withdrawn=[prefix_key(prefix)])

    # -- send ------------------------------------------------------------------------------

    def export(self, peer: AdjRib, change: LocChange, end_of_rib: bool = False) -> Outgoing:
        """Bring ``peer``'s Adj-RIB-Out up to date for the changed prefixes; returns what to
        send, grouped by attribute set (RFC 4271 §9.2)."""
        family = change.family
        best_get = self._loc(family).best.get
        adj_out = peer.adj_out.setdefault(family, {})
        groups: dict[PathAttrs, list[Key]] = {}
        withdrawn: list[Key] = []
        keys = change.keys
        # Changes come in runs of one path (an UPDATE's worth): decide once per run.
        for path, pairs in groupby(zip(map(best_get, keys), keys, strict=True), _PATH):
            run = list(map(_KEY, pairs))
            attrs = None if path is None else self._exported(path, peer, family)
            if attrs is not None:
                _advertise(adj_out, attrs, run, groups)
            elif adj_out:
                pop = adj_out.pop
                withdrawn += [key for key in run if pop(key, None) is not None]
        return Outgoing(family, withdrawn, groups, end_of_rib)

    def _exported(self, path: Path, peer: AdjRib, family: Family) -> PathAttrs | None:
        """``export_attrs`` cached on the path, interned: once per attribute set and peer."""
        if path.export_peer is peer and path.export_family == family:
            return path.export_attrs
        cache = path.exports
        slot = (peer, family)
        if cache is not None and slot in cache:
            return cache[slot]
        attrs = export_attrs(path, peer, family)
        out = None if attrs is None else self.attrs.intern(attrs)
        if path.export_peer is None:
            path.export_peer, path.export_family, path.export_attrs = peer, family, out
        else:
            path.exports = cache = cache or {}
            cache[slot] = out
        return out

    def initial_export(self, peer: AdjRib, family: Family) -> Outgoing:
        """The whole table for a newly established peer, then End-of-RIB (RFC 4724 §2)."""
        keys = list(self._loc(family).best)
        return self.export(peer, LocChange(family, keys), end_of_rib=True)

    def refresh(self, peer: AdjRib, family: Family) -> Outgoing:
        """The Adj-RIB-Out again, in answer to ROUTE-REFRESH (RFC 2918 §4)."""
        groups: dict[PathAttrs, list[Key]] = {}
        for key, attrs in peer.adj_out.get(family, {}).items():
            groups.setdefault(attrs, []).append(key)
        return Outgoing(family, [], groups)

    def end_of_rib_received(self, peer: AdjRib, family: Family) -> None:
        """Note the neighbor's End-of-RIB marker for ``family`` (RFC 4724 §2)."""
        peer.eor_received.add(family)

    # -- look ------------------------------------------------------------------------------

    def _loc(self, family: Family) -> LocRib:
        loc = self.loc.get(family)
        if loc is None:
            raise ValueError(f"address family {family} is not enabled in this RIB")
        return loc

    def best(self, family: Family, key: Key) -> Path | None:
        return self._loc(family).best.get(key)

    def explain(self, family: Family, key: Key) -> tuple[Path, BestPathReason, list[Path]] | None:
        """The best path for a prefix, why, and all its candidates; None if there is none."""
        candidates = self._loc(family).candidates(key)
        if not candidates:
            return None
        winner, reason = decide(candidates)
        return winner, reason, candidates

    def routes(self, family: Family) -> Iterator[tuple[Key, Path]]:
        """(prefix key, best path) for every prefix in the Loc-RIB."""
        return iter(self._loc(family).best.items())

    def counters(self, peer: AdjRib, family: Family) -> PrefixCounters:
        return peer.counters(family)


def _compete(loc: LocRib, key: Key, peer: AdjRib, new: Path | None) -> bool:
    """Replace ``peer``'s candidate for ``key`` by ``new`` (None: remove it) and re-run the
    decision; True if the best path changed."""
    best = loc.best.get(key)
    candidates = loc.multi.get(key)
    if candidates is None:
        if best is None or best.peer is peer:  # none, or only this peer's: no contest
            if new is None:
                return loc.best.pop(key, None) is not None
            loc.best[key] = new
            return True
        if new is None:
            return False
        candidates = [best, new]
    else:
        candidates = [p for p in candidates if p.peer is not peer]
        if new is not None:
            candidates.append(new)
    winner = decide(candidates)[0]
    if len(candidates) > 1:
        loc.multi[key] = candidates
    else:
        loc.multi.pop(key, None)
    if winner is best:
        return False
    loc.best[key] = winner
    return True


def _advertise(
    adj_out: dict[Key, PathAttrs],
    attrs: PathAttrs,
    run: list[Key],
    groups: dict[PathAttrs, list[Key]],
) -> None:
    """Record ``run`` as advertised with ``attrs``; the keys not already so go in ``groups``."""
    size = len(adj_out)
    if adj_out.keys().isdisjoint(run):  # none advertised yet: the whole run at once
        adj_out.update(zip(run, repeat(attrs)))
        if len(adj_out) - size != len(run):
            run = list(dict.fromkeys(run))  # a prefix twice in the run: send it once
    else:
        get, fresh = adj_out.get, []
        for key in run:
            if get(key) is not attrs:
                adj_out[key] = attrs
                fresh.append(key)
        run = fresh
    if run:
        group = groups.get(attrs)
        if group is None:
            groups[attrs] = run
        else:
            group.extend(run)


def _forget_exports(path: Path, peer: AdjRib) -> None:
    """Drop what ``path`` cached about a peer that is gone."""
    if path.export_peer is peer:
        path.export_peer = path.export_family = path.export_attrs = None
    if path.exports:
        path.exports = {k: v for k, v in path.exports.items() if k[0] is not peer}
