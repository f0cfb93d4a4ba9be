"""The asyncio half of the speaker: sockets, timers and the running config.

Theory of operation
-------------------
:class:`Server` owns the running config, one listener per listen address and one
:class:`~peerwise.session.peer.Peer` per configured neighbor. It listens on
``global/config/local-address-list`` (or, if that is empty, on the neighbors' transport
local-addresses, or else on the router-id, which the seed's GoBGP files rely on; it never
binds the wildcard address unless the config names it).

Receive path: a :class:`~peerwise.session.connection.Connection` reads the socket, splits
the stream with the codec's ``Framer``, decodes each message and reports it to its Peer,
which counts it. Once Established an UPDATE goes to the RIB first, through the narrow
:class:`~peerwise.session.hooks.SessionHooks` the Peer was built with (``routes.py`` over
``peerwise.rib``), then to the sans-I/O FSM (``peerwise.fsm``), once per socket read;
everything else goes to the FSM. Transmit path: the FSM's actions — send, connect, close,
arm or stop a timer — are carried out by the Peer at once, in the event loop, with
``loop.call_later`` for timers (RFC 4271 §10 jitter on connect-retry and keepalive); routes
go out through the :class:`~peerwise.session.hooks.Sender` the Peer hands over with the frozen
:class:`~peerwise.session.hooks.EstablishedSession` at Established. An inbound connection from
an address that is not a neighbor is closed without an OPEN.

The running config is one value (``config.py``: :class:`RunningConfig`), built once per
change from the validated config with the model's defaults; nothing below the Server reads
the config dict.

Collisions (RFC 4271 §6.8): a second connection for a peer whose FSM is in OpenSent or
OpenConfirm gets a second FSM; once the peer's BGP Identifier is known,
``peerwise.fsm.collision_loser`` picks the connection to close with Cease / Connection
Collision Resolution. A new connection while Established is closed.

Config changes (:meth:`Server.apply`) touch only what changed: a new neighbor starts, a
removed one gets Cease / Peer De-configured, a change needing a new OPEN resets that
session with Cease / Other Configuration Change, a description change touches nothing.

TTL: single-hop eBGP sends with TTL 1 (as GoBGP does; loopback peers accept it), iBGP
with 255, ``ebgp-multihop`` with its ``multihop-ttl``. Outbound connections come from the
neighbor's transport local-address, else the first address we listen on of the same family.

We advertise MP for each configured family (default ipv4-unicast), route refresh,
enhanced route refresh, 4-octet AS, extended message, graceful restart (restart time
120, our families with the F bit 0: we are a helper, RFC 4724 §4.2, see ``stale.py``),
FQDN, and extended next hop (IPv4 unicast over IPv6) on IPv6 sessions. Once Established
we send End-of-RIB for each family.
"""

from __future__ import annotations

from peerwise.session.server import Server

__all__ = ["Server"]
