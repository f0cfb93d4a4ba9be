"""A neighbor's entry in ``Server.state_tree()``: the config beside its ``state`` leaves.

The shape is the contract in docs/ARCHITECTURE.md ("Neighbor state"). The counts of routes
come from the RIB's side (:class:`RouteCounts`, the server's ``Routes``), by address.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol

from peerwise.session.peer import Peer
from peerwise.wire.families import Family, parse_family
from peerwise.wire.messages import BGP_VERSION


class RouteCounts(Protocol):
    def prefixes(self, address: str) -> dict[str, int]: ...

    def accepted(self, address: str, family: Family) -> int: ...


def _capabilities(peer: Peer) -> dict[str, list[dict[str, Any]]]:
    received = peer.stats.peer_open.capabilities if peer.stats.peer_open else ()
    return {
        "advertised": [c.to_state() for c in peer.settings.capabilities],
        "received": [c.to_state() for c in received],
    }


def _session(peer: Peer, routes: RouteCounts) -> dict[str, Any]:
    cfg, st = peer.config, peer.stats
    negotiated = st.negotiated
    state: dict[str, Any] = {
        "neighbor-address": cfg.address,
        "peer-as": cfg.peer_as,
        "local-as": peer.glob.asn,
        "description": cfg.description,
        "enabled": cfg.enabled,
        "session-state": peer.fsm.state.value,
        "admin-state": "START" if peer.fsm.admin_up else "STOP",
        "remote-router-id": st.peer_open.bgp_identifier if st.peer_open else "",
        "bgp-version": BGP_VERSION,
        "last-established": int(st.last_established),
        "uptime": st.uptime,
        "downtime": st.downtime,
        "established-transitions": st.established_transitions,
        "flaps": st.flaps,
        "supported-capabilities": list(negotiated.capabilities.names) if negotiated else [],
        "capabilities": _capabilities(peer),
        "messages": {"sent": dict(st.sent), "received": dict(st.received)},
        "prefixes": routes.prefixes(peer.name),
        "last-error": st.last_error,
    }
    if st.last_sent is not None:
        state["last-notification-sent"] = dict(st.last_sent)
    if st.last_received is not None:
        state["last-notification-received"] = dict(st.last_received)
    return state


def _timers(peer: Peer) -> dict[str, Any]:
    cfg, negotiated = peer.config, peer.stats.negotiated
    return {
        "negotiated-hold-time": negotiated.hold_time if negotiated else 0,
        "keepalive-interval": negotiated.keepalive if negotiated else cfg.keepalive,
        "connect-retry": cfg.connect_retry,
        "hold-time": cfg.hold_time,
    }


def _transport(peer: Peer) -> dict[str, Any]:
    local = peer.transport.get("local") or (peer.bind or "", 0)
    remote = peer.transport.get("remote") or (peer.config.address, peer.config.remote_port)
    return {
        "local-address": local[0],
        "local-port": local[1],
        "remote-address": remote[0],
        "remote-port": remote[1],
    }


def _prefix_limits(peer: Peer, entry: dict[str, Any], routes: RouteCounts) -> None:
    """``afi-safis[i].prefix-limit.state``: the limit in force and the count it is held to."""
    limited = peer.config.limits
    for item in entry.get("afi-safis") or ():
        name = (item.get("config") or {}).get("afi-safi-name") or item.get("afi-safi-name")
        limit = item.get("prefix-limit")
        if not name or not isinstance(limit, dict) or "config" not in limit:
            continue
        family = parse_family(str(name))
        limit["state"] = {"prevent-teardown": False, **limit["config"]}
        if family in limited:
            limit["state"]["prefixes-accepted"] = routes.accepted(peer.name, family)


def neighbor_state(peer: Peer, given: Mapping[str, Any], routes: RouteCounts) -> dict[str, Any]:
    """The neighbor's config entry as ``given`` with ``state`` containers added."""
    entry = copy.deepcopy(dict(given))
    entry.setdefault("config", {})
    entry["state"] = _session(peer, routes)
    entry.setdefault("timers", {}).setdefault("config", {})
    entry["timers"]["state"] = _timers(peer)
    entry.setdefault("transport", {}).setdefault("config", {})
    entry["transport"]["state"] = _transport(peer)
    _prefix_limits(peer, entry, routes)
    return entry
