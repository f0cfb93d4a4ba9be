"""Capability values (RFC 5492). The codec for each lives beside its class (to be completed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    """Base of every capability value."""


@dataclass(frozen=True)
class FourOctetAs(Capability):
    """RFC 6793 §3: code 65."""

    asn: int
