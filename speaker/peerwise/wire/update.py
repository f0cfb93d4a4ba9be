"""UPDATE messages (RFC 4271 §4.3) with RFC 7606 revised error handling.

Receive path: the two length fields must fit the message, else the whole message is
untrustworthy (Malformed Attribute List, session reset). The classic withdrawn routes and NLRI
must parse (Invalid Network Field, session reset: RFC 7606 §3.h/§3.j). Each path attribute is
read with its row of ``pathattrs.ATTRIBUTE_TABLE``; a malformed one gets its row's action:

- session-reset: raise ``BGPError`` (UPDATE Message Error, the row's subcode, the attribute);
- treat-as-withdraw: the Update is returned with ``treat_as_withdraw=True`` and all its NLRI,
  so that the caller withdraws them (RFC 7606 §2);
- attribute-discard: the attribute is dropped and its code listed in ``discarded``.

An attribute whose octets decoded cleanly before is not decoded again: ``memo.py`` hands out
the value made the first time (a full table repeats its AS_PATHs, NEXT_HOPs, ORIGINs).

Attributes are returned sorted by type code. From an OLD speaker (a 2-octet AS session)
AS4_PATH and AS4_AGGREGATOR are folded into AS_PATH and AGGREGATOR, and on transmit to one
they are added (``as4.py``, RFC 6793 §4.2). On transmit MP_UNREACH/MP_REACH go first
(RFC 7606 §5.1), the rest by type code; unknown optional transitive attributes are passed on
with the Partial bit set and unknown non-transitive ones dropped (RFC 4271 §5).
"""

from __future__ import annotations

from operator import itemgetter

from peerwise.wire.as4 import from_old, to_old
from peerwise.wire.attributes import (
    AttrFlag,
    AttrType,
    MpReachNlri,
    MpUnreachNlri,
    UnknownAttribute,
)
from peerwise.wire.context import DEFAULT_CONTEXT, CodecContext
from peerwise.wire.errors import BGPError, ErrorCode, Malformed, UpdateSubcode
from peerwise.wire.families import IPV4_UNICAST, Family
from peerwise.wire.memo import MEMOS, AttributeMemo
from peerwise.wire.messages import Update
from peerwise.wire.pathattrs import ATTRIBUTES, ATTRIBUTES_BY_CLASS, Action, AttrSpec
from peerwise.wire.prefixes import (
    decode_ipv4_prefixes,
    encode_prefixes,
    raw_text,
    split_prefixes,
)

# Plain ints: IntFlag arithmetic costs ~1 µs per operation, several per attribute (hot path).
_EXT = int(AttrFlag.EXTENDED_LENGTH)
_OT_BITS = int(AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE)
_OPTIONAL, _PARTIAL = int(AttrFlag.OPTIONAL), int(AttrFlag.PARTIAL)
_MP = (AttrType.MP_REACH_NLRI, AttrType.MP_UNREACH_NLRI)
_AS4_ONLY = (AttrType.AS4_PATH, AttrType.AS4_AGGREGATOR)
_CODE, _VALUE = itemgetter(0), itemgetter(1)


def _update_error(subcode: UpdateSubcode, data: bytes = b"", reason: str = "") -> BGPError:
    return BGPError(ErrorCode.UPDATE_MESSAGE, subcode, data, reason)


class _Parsed:
    """What the attribute loop found (mutable, private to one decode)."""

    __slots__ = ("attrs", "discarded", "seen", "withdraw")

    def __init__(self) -> None:
        self.attrs: list[tuple[int, object]] = []
        self.seen: set[int] = set()
        self.discarded: list[int] = []
        self.withdraw = False


def decode_update(body: bytes, ctx: CodecContext = DEFAULT_CONTEXT) -> Update:
    """The UPDATE body (after the 19-octet header) as an :class:`Update`."""
    size = len(body)
    wlen = int.from_bytes(body[0:2], "big")
    if size < 4 or 4 + wlen > size:
        raise _update_error(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, reason="withdrawn length")
    alen = int.from_bytes(body[2 + wlen : 4 + wlen], "big")
    attrs_end = 4 + wlen + alen
    if attrs_end > size:  # RFC 4271 §6.3
        raise _update_error(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, reason="attribute length")
    split = _split_raw if ctx.raw_nlri else decode_ipv4_prefixes
    try:
        withdrawn = split(body, 2, 2 + wlen)
        nlri = split(body, attrs_end, size)
    except Malformed as exc:  # RFC 4271 §6.3, RFC 7606 §3.j
        raise _update_error(UpdateSubcode.INVALID_NETWORK_FIELD, reason=exc.reason) from None
    parsed = _decode_attributes(body[4 + wlen : attrs_end], ctx)
    if _missing_well_known(parsed.seen, bool(nlri)):
        parsed.withdraw = True  # RFC 7606 §3.d
    if len(parsed.attrs) > 1:
        parsed.attrs.sort(key=_CODE)
    attributes = tuple(map(_VALUE, parsed.attrs))
    if not ctx.four_octet_as:  # RFC 6793 §4.2.3: an OLD speaker's AS4_PATH folded in
        attributes = from_old(attributes)
    discarded = tuple(parsed.discarded)
    if ctx.raw_nlri:
        return Update((), attributes, (), parsed.withdraw, discarded, withdrawn, nlri)  # type: ignore[arg-type]
    return Update(withdrawn, attributes, nlri, parsed.withdraw, discarded)  # type: ignore[arg-type]


def _split_raw(data: bytes, start: int, end: int) -> tuple[bytes, ...]:
    return split_prefixes(data, start, end, 32)


def _missing_well_known(seen: set[int], classic_nlri: bool) -> bool:
    """RFC 4271 §5: ORIGIN and AS_PATH with any NLRI (RFC 4760 §3 too), NEXT_HOP with IPv4."""
    if classic_nlri and AttrType.NEXT_HOP not in seen:
        return True
    if classic_nlri or AttrType.MP_REACH_NLRI in seen:
        return AttrType.ORIGIN not in seen or AttrType.AS_PATH not in seen
    return False


def _decode_attributes(data: bytes, ctx: CodecContext) -> _Parsed:
    """Each attribute from the memo when its octets were seen before (``memo.py``), else
    decoded by :func:`_one_attribute`; a repeated type code always takes the full path."""
    parsed = _Parsed()
    memo = MEMOS[ctx.four_octet_as]
    known, attrs, seen = memo.values.get, parsed.attrs, parsed.seen
    i, end = 0, len(data)
    while i < end:
        flags = data[i]
        header = 4 if flags & _EXT else 3
        if i + header > end:  # RFC 7606 §4: not even a header left
            parsed.withdraw = True
            break
        code = data[i + 1]
        length = (data[i + 2] << 8 | data[i + 3]) if header == 4 else data[i + 2]
        stop = i + header + length
        if stop > end:  # RFC 7606 §4: the attribute overruns the attribute list
            parsed.withdraw = True
            break
        raw = data[i:stop]
        value = known(raw)
        if value is not None and code not in seen:
            seen.add(code)
            attrs.append((code, value))
        else:
            _one_attribute(parsed, flags, code, raw, header, ctx, memo)
        i = stop
    return parsed


def _one_attribute(
    parsed: _Parsed,
    flags: int,
    code: int,
    raw: bytes,
    header: int,
    ctx: CodecContext,
    memo: AttributeMemo,
) -> None:
    """Decode one attribute (``raw`` includes its header) and file it in ``parsed``."""
    if code in parsed.seen:
        if code in _MP:  # RFC 7606 §3.g
            raise _update_error(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, reason="repeated MP")
        parsed.discarded.append(code)  # RFC 7606 §3.g: keep the first only
        return
    parsed.seen.add(code)
    spec = ATTRIBUTES.get(code)
    if spec is None:
        if not flags & _OPTIONAL:  # RFC 4271 §6.3
            raise _update_error(UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, raw)
        parsed.attrs.append((code, UnknownAttribute(code, flags, raw[header:])))
        return
    if ctx.four_octet_as and code in _AS4_ONLY:
        parsed.discarded.append(code)  # RFC 6793 §4.1: not used between NEW speakers
        return
    try:
        if flags & _OT_BITS != spec.flags:  # RFC 7606 §3.c
            raise Malformed(f"flags {flags:#04x}", UpdateSubcode.ATTRIBUTE_FLAGS_ERROR)
        value = spec.decode(raw[header:], ctx)
    except Malformed as exc:
        _apply(spec, exc, raw, parsed)
        return
    parsed.attrs.append((code, value))
    if code not in _MP:  # MP_REACH/MP_UNREACH carry NLRI: never the same twice
        memo.store(raw, value)


def _apply(spec: AttrSpec, exc: Malformed, raw: bytes, parsed: _Parsed) -> None:
    """RFC 7606 §2: the row's action for a malformed attribute."""
    if spec.action is Action.SESSION_RESET:
        reason = f"malformed {spec.name}: {exc.reason}"
        raise _update_error(exc.subcode or spec.subcode, raw, reason)
    if spec.action is Action.TREAT_AS_WITHDRAW:
        parsed.withdraw = True
    else:
        parsed.discarded.append(spec.code)


def attribute_octets(flags: int, code: int, value: bytes) -> bytes:
    """One attribute: flags, type code, length (1 octet, or 2 with Extended Length), value."""
    flags &= 0xE0  # RFC 4271 §4.3: the low four bits are zero; Extended Length is ours to set
    if len(value) > 255:
        return bytes((flags | _EXT, code)) + len(value).to_bytes(2, "big") + value
    return bytes((flags, code, len(value))) + value


def encode_attribute(attr: object, ctx: CodecContext = DEFAULT_CONTEXT) -> bytes:
    """One path attribute with its header; b'' for an unknown non-transitive one."""
    if isinstance(attr, UnknownAttribute):
        if not attr.transitive:
            return b""  # RFC 4271 §5: not passed on
        return attribute_octets(attr.flags | AttrFlag.PARTIAL, attr.type_code, attr.value)
    spec = ATTRIBUTES_BY_CLASS.get(type(attr))
    if spec is None:
        raise TypeError(f"not a path attribute: {attr!r}")
    return attribute_octets(spec.flags, spec.code, spec.encode(attr, ctx))


def attribute_code(attr: object) -> int:
    """The type code of an attribute value."""
    if isinstance(attr, UnknownAttribute):
        return attr.type_code
    spec = ATTRIBUTES_BY_CLASS.get(type(attr))
    if spec is None:
        raise TypeError(f"not a path attribute: {attr!r}")
    return int(spec.code)


def _order(attr: object) -> tuple[bool, int]:
    code = attribute_code(attr)
    return (code not in _MP, code)


def encode_update(update: Update, ctx: CodecContext = DEFAULT_CONTEXT) -> bytes:
    """The UPDATE body (without the header)."""
    withdrawn = encode_prefixes(update.withdrawn) + b"".join(update.withdrawn_raw)
    attrs = encode_attributes(update.attributes, ctx)
    return encode_body(withdrawn, attrs, encode_prefixes(update.nlri) + b"".join(update.nlri_raw))


def encode_body(withdrawn: bytes, attributes: bytes, nlri: bytes) -> bytes:
    """An UPDATE body from its three parts already encoded (RFC 4271 §4.3): the fast path
    for the RIB's packed updates, which encodes each attribute set once."""
    return (
        len(withdrawn).to_bytes(2, "big")
        + withdrawn
        + len(attributes).to_bytes(2, "big")
        + attributes
        + nlri
    )


def encode_attributes(attributes: tuple[object, ...], ctx: CodecContext = DEFAULT_CONTEXT) -> bytes:
    """Path attributes in transmit order (MP first, RFC 7606 §5.1), each with its header;
    to an OLD speaker with the AS4_PATH / AS4_AGGREGATOR it needs (RFC 6793 §4.2.2)."""
    if not ctx.four_octet_as:
        attributes = to_old(attributes)
    return b"".join(encode_attribute(a, ctx) for a in sorted(attributes, key=_order))


def end_of_rib(afi: int = 1, safi: int = 1) -> Update:
    """RFC 4724 §2: the End-of-RIB marker for a family."""
    if (afi, safi) == IPV4_UNICAST:
        return Update()
    return Update(attributes=(MpUnreachNlri(afi, safi),))


def is_end_of_rib(update: Update) -> Family | None:
    """The family whose End-of-RIB ``update`` is (RFC 4724 §2), or None."""
    if update.withdrawn or update.nlri or update.withdrawn_raw or update.nlri_raw:
        return None
    if not update.attributes:
        return IPV4_UNICAST
    only = update.attributes[0] if len(update.attributes) == 1 else None
    if isinstance(only, MpUnreachNlri) and not (only.withdrawn or only.raw or only.withdrawn_raw):
        return (only.afi, only.safi)
    return None


def routes(update: Update) -> tuple[dict[Family, tuple[str, ...]], dict[Family, tuple[str, ...]]]:
    """(announced, withdrawn) prefixes per family; under treat-as-withdraw, all are withdrawn."""
    announced: dict[Family, tuple[str, ...]] = {}
    withdrawn: dict[Family, tuple[str, ...]] = {}
    if update.nlri or update.nlri_raw:
        announced[IPV4_UNICAST] = update.nlri + _texts(update.nlri_raw, 1)
    if update.withdrawn or update.withdrawn_raw:
        withdrawn[IPV4_UNICAST] = update.withdrawn + _texts(update.withdrawn_raw, 1)
    for attr in update.attributes:
        if isinstance(attr, MpReachNlri) and (attr.nlri or attr.nlri_raw):
            family = (attr.afi, attr.safi)
            more = attr.nlri + _texts(attr.nlri_raw, attr.afi)
            announced[family] = announced.get(family, ()) + more
        elif isinstance(attr, MpUnreachNlri) and (attr.withdrawn or attr.withdrawn_raw):
            family = (attr.afi, attr.safi)
            more = attr.withdrawn + _texts(attr.withdrawn_raw, attr.afi)
            withdrawn[family] = withdrawn.get(family, ()) + more
    if update.treat_as_withdraw:
        for family, prefixes in announced.items():
            withdrawn[family] = withdrawn.get(family, ()) + prefixes
        announced = {}
    return announced, withdrawn


def _texts(keys: tuple[bytes, ...], afi: int) -> tuple[str, ...]:
    return tuple([raw_text(k, afi) for k in keys])
