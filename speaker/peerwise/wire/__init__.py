"""peerwise.wire — the sans-I/O BGP-4 codec: bytes in, frozen message values out, and back.

Theory of operation
-------------------
Receive path. The session hands TCP bytes to a :class:`Framer`, which checks each 19-octet
header (marker, Length within the per-type minimum and the negotiated maximum; RFC 4271 §6.1)
and returns whole messages. :func:`decode` turns one into a value of ``messages.py``
(:class:`Open`, :class:`Update`, :class:`Notification`, :class:`Keepalive`,
:class:`RouteRefresh`). Anything malformed raises :class:`BGPError`, which carries the
NOTIFICATION to send (``notification.from_error``) — except what RFC 7606 says to survive:
an UPDATE with a malformed attribute comes back with ``treat_as_withdraw`` set or the
attribute listed in ``discarded``. Nothing else escapes ``decode``: a test feeds it random bytes.

Transmit path. :func:`encode` writes a value with its header; ``CodecContext`` carries what
the session negotiated (4-octet AS numbers, extended message size).

Files, one concept each:

- ``messages.py``: the five message values; ``errors.py``: named codes, ``BGPError``.
- ``codec.py``: header checks, ``Framer``, ``encode``/``decode`` dispatch, KEEPALIVE and
  ROUTE-REFRESH (RFC 2918, RFC 7313).
- ``open.py``: OPEN (RFC 4271 §4.2, RFC 5492, RFC 9072); ``capabilities.py``: one class per
  capability code with its codec and its ``to_state()`` for the model.
- ``update.py``: UPDATE and the RFC 7606 decisions; ``pathattrs.py``: the attribute
  descriptor table (flags, codec, RFC 7606 action per type code); ``attributes.py``: the
  attribute values; ``prefixes.py``: the NLRI loops, the hot path of a full table.
- ``as4.py``: RFC 6793 §4.2 with a 2-octet AS (OLD) peer: AS4_PATH / AS4_AGGREGATOR added
  on transmit, merged into AS_PATH / AGGREGATOR on receive (the values hold real ASNs).
- ``notification.py``: NOTIFICATION and the shutdown communication (RFC 8203, RFC 9003).
- ``families.py``: AFI/SAFI and their model names.

Prefixes and addresses are strings ('10.0.0.0/24', '2001:db8::/32'). This package imports no
asyncio, socket or clock.
"""

from __future__ import annotations

from peerwise.wire.as4 import from_old, merge_path, to_old
from peerwise.wire.attributes import (
    Aggregator,
    As4Aggregator,
    As4Path,
    AsPath,
    AsSegment,
    AtomicAggregate,
    AttrFlag,
    AttrType,
    ClusterList,
    Communities,
    ExtendedCommunities,
    LargeCommunities,
    LocalPref,
    MpReachNlri,
    MpUnreachNlri,
    MultiExitDisc,
    NextHop,
    Origin,
    OriginatorId,
    OriginCode,
    SegmentType,
    UnknownAttribute,
    find_attribute,
)
from peerwise.wire.capabilities import (
    CAPABILITIES,
    Capability,
    EnhancedRouteRefresh,
    ExtendedMessage,
    ExtendedNextHop,
    FourOctetAs,
    Fqdn,
    GracefulRestart,
    Multiprotocol,
    RouteRefreshCapability,
    UnknownCapability,
)
from peerwise.wire.codec import Framer, MessageTooLarge, decode, encode
from peerwise.wire.context import (
    DEFAULT_CONTEXT,
    MAX_EXTENDED_MESSAGE,
    MAX_MESSAGE,
    TWO_OCTET_CONTEXT,
    CodecContext,
)
from peerwise.wire.errors import (
    BGPError,
    CeaseSubcode,
    ErrorCode,
    FsmSubcode,
    HeaderSubcode,
    OpenSubcode,
    RouteRefreshSubcode,
    UpdateSubcode,
    describe,
)
from peerwise.wire.families import (
    IPV4_UNICAST,
    IPV6_UNICAST,
    Afi,
    Family,
    Safi,
    afi_name,
    family_name,
    parse_family,
)
from peerwise.wire.messages import (
    AS_TRANS,
    BGP_VERSION,
    Keepalive,
    Message,
    MessageType,
    Notification,
    Open,
    RouteRefresh,
    Update,
)
from peerwise.wire.notification import (
    from_error,
    notification_text,
    shutdown,
    shutdown_text,
)
from peerwise.wire.open import families, find_capability, make_open
from peerwise.wire.pathattrs import ATTRIBUTES, Action, AttrSpec
from peerwise.wire.update import end_of_rib, is_end_of_rib, routes

__all__ = [
    "AS_TRANS",
    "ATTRIBUTES",
    "BGP_VERSION",
    "CAPABILITIES",
    "DEFAULT_CONTEXT",
    "IPV4_UNICAST",
    "IPV6_UNICAST",
    "MAX_EXTENDED_MESSAGE",
    "MAX_MESSAGE",
    "TWO_OCTET_CONTEXT",
    "Action",
    "Afi",
    "Aggregator",
    "As4Aggregator",
    "As4Path",
    "AsPath",
    "AsSegment",
    "AtomicAggregate",
    "AttrFlag",
    "AttrSpec",
    "AttrType",
    "BGPError",
    "Capability",
    "CeaseSubcode",
    "ClusterList",
    "CodecContext",
    "Communities",
    "EnhancedRouteRefresh",
    "ErrorCode",
    "ExtendedCommunities",
    "ExtendedMessage",
    "ExtendedNextHop",
    "Family",
    "FourOctetAs",
    "Fqdn",
    "Framer",
    "FsmSubcode",
    "GracefulRestart",
    "HeaderSubcode",
    "Keepalive",
    "LargeCommunities",
    "LocalPref",
    "Message",
    "MessageTooLarge",
    "MessageType",
    "MpReachNlri",
    "MpUnreachNlri",
    "MultiExitDisc",
    "Multiprotocol",
    "NextHop",
    "Notification",
    "Open",
    "OpenSubcode",
    "Origin",
    "OriginCode",
    "OriginatorId",
    "RouteRefresh",
    "RouteRefreshCapability",
    "RouteRefreshSubcode",
    "Safi",
    "SegmentType",
    "UnknownAttribute",
    "UnknownCapability",
    "Update",
    "UpdateSubcode",
    "afi_name",
    "decode",
    "describe",
    "encode",
    "end_of_rib",
    "families",
    "family_name",
    "find_attribute",
    "find_capability",
    "from_error",
    "from_old",
    "is_end_of_rib",
    "make_open",
    "merge_path",
    "notification_text",
    "parse_family",
    "routes",
    "shutdown",
    "shutdown_text",
    "to_old",
]
