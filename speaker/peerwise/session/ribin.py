"""A per-peer Adj-RIB-In (RFC 4271 §3.2): prefix -> path attributes, as last received.

No policy yet, so every received prefix is accepted. The codec's ``routes`` reads both the
classic fields and MP_REACH/MP_UNREACH (RFC 4760 §3, §4), and withdraws everything an UPDATE
carries when it is marked treat-as-withdraw (RFC 7606 §2).
"""

from __future__ import annotations

from peerwise.wire.attributes import MpReachNlri, MpUnreachNlri
from peerwise.wire.messages import Update
from peerwise.wire.update import routes


class AdjRibIn:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[object, ...]] = {}

    def __len__(self) -> int:
        return len(self.routes)

    def clear(self) -> None:
        self.routes.clear()

    def apply(self, update: Update) -> None:
        announced, withdrawn = routes(update)
        for prefixes in withdrawn.values():
            for prefix in prefixes:
                self.routes.pop(prefix, None)
        shared = tuple(
            a for a in update.attributes if not isinstance(a, (MpReachNlri, MpUnreachNlri))
        )
        for prefixes in announced.values():
            for prefix in prefixes:
                self.routes[prefix] = shared
