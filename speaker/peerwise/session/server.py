"""The ``Server``: owns the running config, the listeners and one ``Peer`` per neighbor.

The running config is one :class:`~peerwise.session.config.RunningConfig`, built once per
config from the validated dict; :meth:`Server.apply` works from the model's diff of two of
them and hands each neighbor its new settings as one value.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import ipaddress
import logging
from typing import Any

from peerwise.model.diff import ConfigDiff, diff_complete
from peerwise.session import tcpmd5
from peerwise.session.clock import LoopScheduler
from peerwise.session.config import GlobalConfig, NeighborConfig, RunningConfig, normalize
from peerwise.session.peer import Peer
from peerwise.session.routes import Routes
from peerwise.session.view import neighbor_state
from peerwise.wire.errors import CeaseSubcode, ErrorCode
from peerwise.wire.messages import Notification
from peerwise.wire.notification import shutdown

log = logging.getLogger("peerwise.session")
Summary = dict[str, list[str]]
# summary key -> the ConfigDiff attribute it lists (addresses in the session layer's spelling)
SUMMARY_ROWS = (
    ("added", "added"),
    ("removed", "removed"),
    ("reset", "resets"),
    ("soft", "soft"),
    ("started", "started"),
    ("stopped", "stopped"),
)
CLOSE_TIMEOUT = 3.0  # seconds to let NOTIFICATIONs drain on shutdown


def _cease(subcode: CeaseSubcode) -> Notification:
    return Notification(ErrorCode.CEASE, subcode)


def _summary(change: ConfigDiff) -> Summary:
    summary = {key: [normalize(a) for a in getattr(change, attr)] for key, attr in SUMMARY_ROWS}
    touched = {n.address for n in change.changed}
    summary["updated"] = [normalize(a) for a in sorted(touched)]
    return summary


def _bind_address(listening: tuple[str, ...], neighbor: NeighborConfig) -> str | None:
    """The source of outbound connections: transport local-address, else the first
    address we listen on of the neighbor's IP version (so that the peer sees a known address)."""
    if neighbor.local_address:
        return neighbor.local_address
    version = ipaddress.ip_address(neighbor.address).version
    for address in listening:
        ip = ipaddress.ip_address(address)
        if ip.version == version and not ip.is_unspecified:
            return address
    return None


class Server:
    """The speaker: ``start``, ``state_tree``, ``apply``, ``shutdown`` (all but state async)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._running = RunningConfig.build(config)
        self.peers: dict[str, Peer] = {}
        self._listeners: list[asyncio.Server] = []
        self._listening: tuple[str, ...] = ()  # the addresses the listeners are bound to
        self._scheduler = LoopScheduler()
        self.routes = self._new_routes()  # the RIB (session/routes.py)

    def _new_routes(self) -> Routes:
        return Routes(self.glob.asn, self.glob.router_id, self._scheduler)

    @property
    def glob(self) -> GlobalConfig:
        return self._running.glob

    async def start(self) -> None:
        await self._listen()
        self._sign_listeners(None)
        self.routes.sync({}, self._running.routes)  # originated routes (rib/routes)
        for neighbor in self._running.neighbors.values():
            self._add(neighbor)

    def running_config(self) -> dict[str, Any]:
        return copy.deepcopy(dict(self._running.given))

    def state_tree(self) -> dict[str, Any]:
        return self.state_view(None)

    def state_view(self, flt: Any = None) -> dict[str, Any]:
        """The state tree; the RIB part as a NETCONF subtree filter ``flt`` asks (only the
        prefix, family or neighbor it names), or capped when there is no filter."""
        glob = self.glob
        paths, prefixes = self.routes.totals()
        tree = self.running_config()
        tree.setdefault("global", {})["state"] = {
            "as": glob.asn,
            "router-id": glob.router_id,
            "port": glob.port,
            "total-paths": paths,
            "total-prefixes": prefixes,
        }
        entries = self._running.entries
        tree["neighbors"] = [
            neighbor_state(p, entries.get(a, {}), self.routes) for a, p in self.peers.items()
        ]
        self.routes.add_state(tree, flt)
        return tree

    async def apply(self, new_config: dict[str, Any]) -> dict[str, list[str]]:
        """Apply only the difference, priced by the model (``peerwise.model.diff``).

        Which change resets what is declared once, by each leaf's ``pw-bgp-types:impact`` in
        the YANG model (docs/IMPACT.md): a removed neighbor gets Cease / Peer De-configured,
        a new one starts, a ``session-reset`` change resets that session only (Cease / Other
        Configuration Change; the new OPEN carries the new values), ``enabled`` stops or
        starts it, and anything else (``none``, ``soft``) is taken without touching the
        session; after a ``soft`` one the neighbor's routes are re-advertised. Returns the
        addresses per action.
        """
        new = RunningConfig.build(new_config)
        change = diff_complete(self._running.tree, new.tree)
        old, self._running = self._running, new
        if (old.glob.port, old.listen) != (new.glob.port, new.listen):
            await self._close_listeners()
            await self._listen()
        self._sign_listeners(old)
        summary = _summary(change)
        synced_from = old.routes
        if change.global_reset:  # a new AS or router-id: every session resets, the RIB anew
            self.routes = self._new_routes()
            synced_from = {}
        leaving: list[Peer] = []
        for address in change.removed:
            peer = self.peers.pop(normalize(address))
            peer.stop(_cease(CeaseSubcode.PEER_DECONFIGURED), "deconfigured")
            self.routes.forget(peer.config.address)  # routes kept for its restart, if any
            leaving.append(peer)
        for address, neighbor in new.neighbors.items():
            if address not in self.peers:
                self._add(neighbor)
            else:
                leaving += self._change(neighbor, summary)
        self.routes.sync(synced_from, new.routes)  # originated routes (rib/routes)
        await self._settle(leaving + list(self.peers.values()))
        for address in {p.config.address for p in leaving} & set(self.peers):
            self.peers[address].start()  # the reset sessions, now that the old ones are gone
        log.info("config applied: %s", {k: v for k, v in summary.items() if v})
        return summary

    async def shutdown(self, reason: str = "") -> None:
        """Cease / Administrative Shutdown (with the RFC 9003 text) to every peer, then close."""
        note = shutdown(reason) if reason else _cease(CeaseSubcode.ADMINISTRATIVE_SHUTDOWN)
        for peer in self.peers.values():
            peer.stop(note, f"shutdown{': ' + reason if reason else ''}")
        await self._settle(list(self.peers.values()))
        await self._close_listeners()

    # -- internals ----------------------------------------------------------------------

    def _add(self, neighbor: NeighborConfig, start: bool = True) -> Peer:
        bind = _bind_address(self._listening, neighbor)
        peer = self.peers[neighbor.address] = Peer(self.glob, neighbor, bind, self.routes)
        if start:
            peer.start()
        return peer

    def _change(self, neighbor: NeighborConfig, summary: Summary) -> list[Peer]:
        """Carry one neighbor's change out as the model priced it; the peers left behind."""
        address = neighbor.address
        peer = self.peers[address]
        if address in summary["reset"] or address in summary["started"]:
            if address in summary["reset"]:
                peer.stop(_cease(CeaseSubcode.OTHER_CONFIGURATION_CHANGE), "configuration changed")
            # The new session starts once the old connection has closed (see apply): a peer
            # that sees a new connection first may drop the old one unread, our Cease with it.
            self._add(neighbor, start=False).stats = peer.stats
            return [peer]
        if address in summary["stopped"]:
            peer.stop(_cease(CeaseSubcode.ADMINISTRATIVE_SHUTDOWN), "disabled")
        # impact none or soft: the session keeps running with the new values; after a soft
        # one the RIB judges and re-advertises its routes with them
        peer.reconfigure(neighbor)
        self.routes.reconfigure(address, neighbor)
        return []

    async def _settle(self, peers: list[Peer]) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(p.closed() for p in peers)), timeout=CLOSE_TIMEOUT
            )

    def _sign_listeners(self, old: RunningConfig | None) -> None:
        """RFC 2385: each listener holds the TCP MD5 key of every neighbor of its family; a
        key whose neighbor or password went away is removed."""
        keys = {a: n.auth_password for a, n in self._running.neighbors.items()}
        before = old.neighbors if old is not None else {}
        gone = {a for a, n in before.items() if n.auth_password}
        gone -= {a for a, password in keys.items() if password}
        for sock in (s for listener in self._listeners for s in listener.sockets):
            for address, password in keys.items():
                if password and tcpmd5.same_family(sock, address):
                    tcpmd5.set_key(sock, address, password)
            for address in gone:  # not there on a new listener: nothing to remove
                if tcpmd5.same_family(sock, address):
                    with contextlib.suppress(OSError):
                        tcpmd5.set_key(sock, address, "")

    async def _listen(self) -> None:
        port = self.glob.port
        for address in self._running.listen:
            try:
                listener = await asyncio.start_server(
                    self._on_inbound, host=address, port=port, reuse_address=True
                )
            except OSError as exc:  # not one of ours, or taken: outbound sessions still work
                log.error("cannot listen on %s port %d: %s", address, port, exc.strerror)
                continue
            self._listeners.append(listener)
            self._listening += (address,)
            log.info("listening on %s port %d", address, port)

    async def _close_listeners(self) -> None:
        listeners, self._listeners = self._listeners, []
        self._listening = ()
        for listener in listeners:
            listener.close()
        for listener in listeners:
            with contextlib.suppress(Exception):
                await listener.wait_closed()

    def _on_inbound(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = str((writer.get_extra_info("peername") or ("?",))[0])
        peer = self.peers.get(normalize(host)) if host != "?" else None
        if peer is None:
            log.warning("connection from %s: not a configured neighbor, closed without OPEN", host)
            writer.close()
            return
        peer.accept(reader, writer)
