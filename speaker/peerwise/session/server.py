"""The ``Server``: owns the running config, the listeners and one ``Peer`` per neighbor."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import ipaddress
import logging
from typing import Any

from peerwise.session.config import (
    GlobalConfig,
    NeighborConfig,
    global_config,
    listen_addresses,
    neighbors,
    normalize,
)
from peerwise.session.peer import Peer
from peerwise.session.view import neighbor_state
from peerwise.wire.errors import CeaseSubcode, ErrorCode
from peerwise.wire.messages import Notification
from peerwise.wire.notification import shutdown

log = logging.getLogger("peerwise.session")
CLOSE_TIMEOUT = 3.0  # seconds to let NOTIFICATIONs drain on shutdown


def _cease(subcode: CeaseSubcode) -> Notification:
    return Notification(ErrorCode.CEASE, subcode)


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
        self._config = copy.deepcopy(config)
        self.peers: dict[str, Peer] = {}
        self._listeners: list[asyncio.Server] = []
        self._listening: tuple[str, ...] = ()  # the addresses the listeners are bound to

    @property
    def glob(self) -> GlobalConfig:
        return global_config(self._config)

    async def start(self) -> None:
        await self._listen()
        for flat, raw in neighbors(self._config).values():
            self._add(flat, raw)

    def running_config(self) -> dict[str, Any]:
        return copy.deepcopy(self._config)

    def state_tree(self) -> dict[str, Any]:
        glob = self.glob
        prefixes = sum(len(p.rib) for p in self.peers.values())
        tree = copy.deepcopy(self._config)
        tree.setdefault("global", {})["state"] = {
            "as": glob.asn,
            "router-id": glob.router_id,
            "port": glob.port,
            "total-paths": prefixes,
            "total-prefixes": prefixes,
        }
        tree["neighbors"] = [neighbor_state(p) for p in self.peers.values()]
        return tree

    async def apply(self, new_config: dict[str, Any]) -> dict[str, list[str]]:
        """Apply only the difference (DESIGN.md): returns what was added, removed, reset."""
        old_cfg, self._config = self._config, copy.deepcopy(new_config)
        old, new = neighbors(old_cfg), neighbors(self._config)
        g_old, g_new = global_config(old_cfg), self.glob
        if (g_old.port, listen_addresses(old_cfg)) != (g_new.port, listen_addresses(new_config)):
            await self._close_listeners()
            await self._listen()
        summary: dict[str, list[str]] = {"added": [], "removed": [], "reset": [], "updated": []}
        for address in old.keys() - new.keys():
            self.peers.pop(address).stop(_cease(CeaseSubcode.PEER_DECONFIGURED), "deconfigured")
            summary["removed"].append(address)
        renew = (g_old.asn, g_old.router_id) != (g_new.asn, g_new.router_id)
        for address, (flat, raw) in new.items():
            if address not in old:
                self._add(flat, raw)
                summary["added"].append(address)
            else:
                change = self._change(self.peers[address], flat, raw, renew)
                if change:
                    summary[change].append(address)
        await self._settle(list(self.peers.values()))
        log.info("config applied: %s", summary)
        return summary

    async def shutdown(self, reason: str = "") -> None:
        """Cease / Administrative Shutdown (with the RFC 9003 text) to every peer, then close."""
        note = shutdown(reason) if reason else _cease(CeaseSubcode.ADMINISTRATIVE_SHUTDOWN)
        for peer in self.peers.values():
            peer.stop(note, f"shutdown{': ' + reason if reason else ''}")
        await self._settle(list(self.peers.values()))
        await self._close_listeners()

    # -- internals ----------------------------------------------------------------------

    def _add(self, flat: NeighborConfig, raw: dict[str, Any]) -> Peer:
        peer = Peer(self.glob, flat, raw, _bind_address(self._listening, flat))
        self.peers[flat.address] = peer
        peer.start()
        return peer

    def _change(self, peer: Peer, flat: NeighborConfig, raw: dict[str, Any], renew: bool) -> str:
        """Reset only when a new OPEN is needed; a description is just noted."""
        old, old_raw = peer.config, peer.raw
        if renew or old.session_view() != flat.session_view():
            peer.stop(_cease(CeaseSubcode.OTHER_CONFIGURATION_CHANGE), "configuration changed")
            stats = peer.stats
            self._add(flat, raw).stats = stats
            return "reset"
        peer.config, peer.raw = flat, raw
        if old.enabled != flat.enabled:
            if flat.enabled:
                peer.start()
            else:
                peer.stop(_cease(CeaseSubcode.ADMINISTRATIVE_SHUTDOWN), "disabled")
            return "reset"
        return "updated" if old != flat or raw != old_raw else ""

    async def _settle(self, peers: list[Peer]) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(p.closed() for p in peers)), timeout=CLOSE_TIMEOUT
            )

    async def _listen(self) -> None:
        port = self.glob.port
        for address in listen_addresses(self._config):
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
