"""The narrow interfaces between a session and the routes it carries.

A :class:`~peerwise.session.peer.Peer` drives one neighbor's connections and FSM; the
:class:`~peerwise.session.routes.Routes` own the RIB. Neither names the other (as GoBGP's FSM
knows a callback, never the server; as BIRD's protocols meet the core through a hook table):

- a Peer is built with :class:`SessionHooks` (what it reports: established, an UPDATE, a
  ROUTE-REFRESH, down), keyed by the neighbor's address;
- at Established it hands over one frozen :class:`EstablishedSession` and a :class:`Sender`
  bound to that session, the only way routes reach the wire;
- the Routes' timers come from a :class:`Scheduler`, so that unit tests drive them with a
  fake clock, as the FSM's timers are driven by events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from peerwise.fsm import CapabilityResult
from peerwise.session.config import NeighborConfig
from peerwise.wire.context import CodecContext
from peerwise.wire.families import Family
from peerwise.wire.messages import Message, Notification, Open, RouteRefresh, Update


@dataclass(frozen=True)
class EstablishedSession:
    """What one Established session is: handed from the Peer to the Routes once.

    ``families`` are the negotiated ones (RFC 4760 §8), ``ctx`` the codec context the OPENs
    agreed on (RFC 6793, RFC 8654), ``local_address`` our end of the TCP connection.
    """

    address: str
    neighbor: NeighborConfig
    families: tuple[Family, ...]
    ctx: CodecContext
    peer_open: Open
    capabilities: CapabilityResult
    local_address: str

    @property
    def enhanced_route_refresh(self) -> bool:
        return self.capabilities.enhanced_route_refresh

    @property
    def extended_next_hop(self) -> bool:
        return bool(self.capabilities.extended_nexthop)


class Sender(Protocol):
    """How routes reach one Established session; inert once that session has ended."""

    def send(self, message: Message) -> None:
        """Encode and send one message (counted)."""

    def send_frames(self, frames: list[bytes]) -> None:
        """Send encoded UPDATEs as one write (counted)."""

    def teardown(self, notification: Notification, reason: str, restart: float) -> None:
        """Close the session with ``notification`` and keep it down; start it again after
        ``restart`` seconds unless that is 0 (RFC 4486 §4, prefix limits)."""


class SessionHooks(Protocol):
    """What a Peer reports about its neighbor's session."""

    def established(self, session: EstablishedSession, sender: Sender) -> None: ...

    def received(self, address: str, update: Update) -> None: ...

    def refresh(self, address: str, request: RouteRefresh) -> None: ...

    def down(self, address: str, graceful: bool) -> None: ...


class Handle(Protocol):
    def cancel(self) -> None: ...


class Scheduler(Protocol):
    """A clock and deferred calls (``asyncio``'s loop in the daemon, a fake one in tests)."""

    def now(self) -> float:
        """Monotonic seconds."""

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> Handle:
        """Run ``callback(*args)`` after the current event-loop turn (other I/O first)."""

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> Handle: ...
