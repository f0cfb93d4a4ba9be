"""Address families (RFC 4760 §3): AFI/SAFI numbers and their names in the model.

A family is a plain ``(afi, safi)`` tuple of ints so that it hashes cheaply and prints
plainly; the enums name the numbers this codec understands.
"""

from __future__ import annotations

import enum


class Afi(enum.IntEnum):
    """IANA Address Family Numbers."""

    IPV4 = 1
    IPV6 = 2


class Safi(enum.IntEnum):
    """IANA SAFI values (RFC 4760 §6)."""

    UNICAST = 1
    MULTICAST = 2


Family = tuple[int, int]

IPV4_UNICAST: Family = (1, 1)
IPV6_UNICAST: Family = (2, 1)

_FAMILY_NAMES: dict[Family, str] = {
    IPV4_UNICAST: "ipv4-unicast",
    IPV6_UNICAST: "ipv6-unicast",
}
_FAMILIES_BY_NAME = {name: family for family, name in _FAMILY_NAMES.items()}
_AFI_NAMES = {int(Afi.IPV4): "ipv4", int(Afi.IPV6): "ipv6"}

# Families whose NLRI are plain prefixes (RFC 4760 §5.1.3) and so decode to strings.
PREFIX_FAMILIES = frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})


def family_name(afi: int, safi: int) -> str:
    """'ipv4-unicast', 'ipv6-unicast', else 'afi-N-safi-M'."""
    return _FAMILY_NAMES.get((afi, safi)) or f"afi-{afi}-safi-{safi}"


def parse_family(name: str) -> Family:
    """The inverse of :func:`family_name`; ValueError for a name it does not know."""
    family = _FAMILIES_BY_NAME.get(name)
    if family is not None:
        return family
    parts = name.split("-")
    if len(parts) == 4 and parts[0] == "afi" and parts[2] == "safi":
        return int(parts[1]), int(parts[3])
    raise ValueError(f"unknown address family {name!r}")


def afi_name(afi: int) -> str:
    """'ipv4', 'ipv6', else 'afi-N'."""
    return _AFI_NAMES.get(afi) or f"afi-{afi}"
