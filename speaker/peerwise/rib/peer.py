"""Neighbors as the RIB sees them (:class:`AdjRib`), and paths: one (neighbor, attribute set)
pair.

A :class:`Path` is what Adj-RIB-In and Loc-RIB point at. Each peer interns its paths, so
that all the prefixes a neighbor sent with one attribute set share one Path, and everything
that depends only on the pair — the import verdict (AS loop, policy), the values the
decision process compares, the attribute set exported to each other peer — is computed
once per attribute set, not once per prefix.
"""

from __future__ import annotations

import enum
import ipaddress
import weakref
from dataclasses import dataclass

from peerwise.rib.attrs import PathAttrs, contains_as
from peerwise.rib.prefix import Key
from peerwise.wire.families import IPV4_UNICAST, IPV6_UNICAST, Afi, Family

DEFAULT_LOCAL_PREF = 100  # RFC 4271 §5.1.5 leaves it to policy; every implementation uses 100
_U32 = 0xFFFFFFFF


class PeerKind(enum.Enum):
    """Where a path was learned: the eBGP/iBGP rules of RFC 4271 §5 and §9 depend on it."""

    EBGP = "ebgp"
    IBGP = "ibgp"
    LOCAL = "local"  # originated by this speaker (configured routes)


class Policy(enum.Enum):
    """A neighbor's default import / export policy (OpenConfig ``default-policy-type``)."""

    ACCEPT = "ACCEPT_ROUTE"
    REJECT = "REJECT_ROUTE"


class Verdict(enum.Enum):
    """What import made of a path; only ACCEPTED paths enter the decision process."""

    ACCEPTED = "accepted"
    AS_LOOP = "as-loop"  # our AS is in its AS_PATH (RFC 4271 §9.1.2)
    REJECTED = "rejected"  # default-import-policy REJECT_ROUTE


@dataclass(frozen=True)
class PeerConfig:
    """What the RIB needs to know about a neighbor once its session is up.

    ``router_id`` is the BGP identifier from the neighbor's OPEN. ``local_address`` is our
    address on the session, the next hop we set towards eBGP (RFC 4271 §5.1.3);
    ``local_address6`` is the IPv6 next hop for IPv6 routes when the session runs over IPv4.
    ``extended_next_hop``: RFC 8950 was negotiated, so IPv4 routes may carry an IPv6 next hop.
    ``next_hop_ipv4`` / ``next_hop_ipv6`` are the configured next-hop-self-address of
    ipv4-unicast / ipv6-unicast ("": none), which take the place of the session addresses.
    """

    address: str
    asn: int
    router_id: str = "0.0.0.0"
    local_address: str = ""
    local_address6: str = ""
    extended_next_hop: bool = False
    import_policy: Policy = Policy.ACCEPT
    export_policy: Policy = Policy.ACCEPT
    next_hop_ipv4: str = ""
    next_hop_ipv6: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.asn <= _U32:
            raise ValueError(f"peer-as: {self.asn} is not a 4-octet AS number")
        ipaddress.ip_address(self.address)
        ipaddress.IPv4Address(self.router_id)
        for local in (self.local_address, self.local_address6, self.next_hop_ipv4):
            if local:
                ipaddress.ip_address(local)
        if self.next_hop_ipv6:
            ipaddress.IPv6Address(self.next_hop_ipv6)  # RFC 2545 §2

    def next_hop_self(self, family: Family) -> str:
        """Our next hop for ``family`` (RFC 4271 §5.1.3); "" if we have none.

        The configured address first; else IPv4 routes take our IPv4 session address, or
        with RFC 8950 an IPv6 one, and IPv6 routes an IPv6 address (RFC 2545 §2). An IPv6
        next hop for IPv4 routes is used only when extended next hop was negotiated.
        """
        local, local6 = self.local_address, self.local_address6
        v6 = local if ":" in local else local6
        if family[0] != Afi.IPV4:
            return self.next_hop_ipv6 or v6
        enh = self.extended_next_hop
        for hop in (self.next_hop_ipv4, local):
            if hop and (":" not in hop or enh):
                return hop
        return v6 if enh else ""


def _next_hops(config: PeerConfig) -> dict[Family, str]:
    """Next hop self per family, worked out once per peer and config, not per route."""
    return {family: config.next_hop_self(family) for family in (IPV4_UNICAST, IPV6_UNICAST)}


@dataclass(frozen=True)
class PrefixCounters:
    """Per neighbor and family: held from it, accepted from it, advertised to it, and
    ignored because of an AS loop (OpenConfig ``prefixes`` state, plus ``as-loop``)."""

    received: int = 0
    accepted: int = 0
    advertised: int = 0
    as_loop: int = 0


class Path:
    """A neighbor's route attributes with the decision process's inputs precomputed.

    ``since`` is the session's clock reading when the path was first received: the age of
    its routes, kept per (neighbor, attribute set), not per prefix.

    Not a frozen value: ``export_*`` caches the attributes sent to one (peer, family), and
    ``exports`` those sent to any others (a dict only when there is more than one target).
    """

    __slots__ = (
        "__weakref__",
        "as_len",
        "attrs",
        "export_attrs",
        "export_family",
        "export_peer",
        "exports",
        "local_pref",
        "med",
        "neighbor_as",
        "origin",
        "peer",
        "since",
        "verdict",
    )

    def __init__(
        self, peer: AdjRib, attrs: PathAttrs, verdict: Verdict, since: float = 0.0
    ) -> None:
        self.peer = peer
        self.attrs = attrs
        self.verdict = verdict
        self.since = since  # the session's clock when the path was first received (route age)
        # RFC 4271 §5.1.5: a LOCAL_PREF received over eBGP is ignored.
        lp = attrs.local_pref if peer.kind is not PeerKind.EBGP else None
        self.local_pref = DEFAULT_LOCAL_PREF if lp is None else lp
        self.as_len = attrs.as_path.length  # §9.1.2.2 a
        self.origin = int(attrs.origin)  # §9.1.2.2 b
        self.med = attrs.med or 0  # §9.1.2.2 c: a missing MED is the lowest value
        first = attrs.as_path.first_as  # §9.1.2.2 c: the neighbor AS; ours if the path is empty
        self.neighbor_as = peer.local_as if first is None else first
        self.export_peer: AdjRib | None = None
        self.export_family: Family | None = None
        self.export_attrs: PathAttrs | None = None
        self.exports: dict[tuple[AdjRib, Family], PathAttrs | None] | None = None

    def __repr__(self) -> str:
        return f"Path({self.peer.address}, {self.attrs!r}, {self.verdict.value})"


class AdjRib:
    """One neighbor's Adj-RIB-In and Adj-RIB-Out (RFC 4271 §3.2) with its paths and counters:
    its share of the RIB, owned and mutated by :class:`peerwise.rib.Rib`.

    ``adj_in[family]`` maps a prefix key to the Path it sent (any verdict: the Adj-RIB-In
    before policy); ``adj_out[family]`` maps a prefix key to the attribute set advertised.
    ``stale[family]`` exists only while the neighbor re-sends ``family`` after a BoRR
    (RFC 7313 §4): the prefixes it held then and has not announced again since; the same
    sets hold the routes kept over a graceful restart (RFC 4724 §4.2, ``Rib.retain``).
    """

    def __init__(self, config: PeerConfig, local_as: int, kind: PeerKind | None = None) -> None:
        self.config = config
        self.next_hops = _next_hops(config)
        self.address = config.address
        self.asn = config.asn
        self.local_as = local_as
        self.kind = kind or (PeerKind.IBGP if config.asn == local_as else PeerKind.EBGP)
        address = ipaddress.ip_address(config.address)
        self.address_order = (address.version, int(address))  # §9.1.2.2 g
        self.router_id = int(ipaddress.IPv4Address(config.router_id))  # §9.1.2.2 f
        self.adj_in: dict[Family, dict[Key, Path]] = {}
        self.adj_out: dict[Family, dict[Key, PathAttrs]] = {}
        self.accepted: dict[Family, int] = {}
        self.looped: dict[Family, int] = {}
        self.eor_received: set[Family] = set()
        self.stale: dict[Family, set[Key]] = {}
        self._paths: weakref.WeakValueDictionary[PathAttrs, Path] = weakref.WeakValueDictionary()

    def configure(self, config: PeerConfig) -> bool:
        """Take a new config for the same neighbor and AS; True if it differs.

        The export results cached on paths are the caller's to drop (``export.reconfigure``).
        """
        if (config.address, config.asn) != (self.address, self.asn):
            raise ValueError(f"neighbor {self.address}: a new address or AS is a new peer")
        changed = config != self.config
        self.config, self.next_hops = config, _next_hops(config)
        self.router_id = int(ipaddress.IPv4Address(config.router_id))  # a restart may change it
        return changed

    def path(self, attrs: PathAttrs, now: float = 0.0) -> Path:
        """The one Path for ``attrs`` (interned) from this neighbor; a new one is stamped
        ``now`` (the caller's clock: the RIB reads none)."""
        found = self._paths.get(attrs)
        if found is None:
            found = self._paths[attrs] = Path(self, attrs, self._verdict(attrs), now)
        return found

    def paths(self) -> list[Path]:
        """The live paths of this neighbor."""
        return list(self._paths.values())

    def rejudge(self) -> set[Path]:
        """Run the import verdict again on every live path (a new default-import-policy);
        the paths whose verdict changed, updated in place. An AS loop stays one."""
        flipped = set()
        for path in self._paths.values():
            verdict = self._verdict(path.attrs)
            if verdict is not path.verdict:
                path.verdict = verdict
                flipped.add(path)
        return flipped

    def _verdict(self, attrs: PathAttrs) -> Verdict:
        if self.kind is not PeerKind.LOCAL and contains_as(attrs.as_path, self.local_as):
            return Verdict.AS_LOOP
        if self.config.import_policy is Policy.REJECT:
            return Verdict.REJECTED
        return Verdict.ACCEPTED

    def counters(self, family: Family) -> PrefixCounters:
        return PrefixCounters(
            received=len(self.adj_in.get(family, ())),
            accepted=self.accepted.get(family, 0),
            advertised=len(self.adj_out.get(family, ())),
            as_loop=self.looped.get(family, 0),
        )

    def __repr__(self) -> str:
        return f"AdjRib({self.address}, AS{self.asn}, {self.kind.value})"
