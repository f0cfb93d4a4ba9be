"""The event loop as the :class:`~peerwise.session.hooks.Scheduler` the routes run on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


class LoopScheduler:
    """``asyncio``'s running loop; ``now`` is ``time.monotonic`` (what route ages use)."""

    def now(self) -> float:
        return time.monotonic()

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> asyncio.Handle:
        return asyncio.get_running_loop().call_soon(callback, *args)

    def call_later(
        self, delay: float, callback: Callable[..., Any], *args: Any
    ) -> asyncio.TimerHandle:
        return asyncio.get_running_loop().call_later(delay, callback, *args)
