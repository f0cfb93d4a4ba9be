"""AS4_PATH and AS4_AGGREGATOR with an OLD speaker (RFC 6793 §4.2.2, §4.2.3).

An OLD speaker is one that did not advertise the 4-octet AS capability: its AS_PATH and
AGGREGATOR carry 2-octet AS numbers, and AS_TRANS stands in for any that needs 4. Peerwise
(a NEW speaker) keeps one form of a route, the real 4-octet one, and converts at the edge of
a 2-octet session only; between NEW speakers none of this runs (RFC 6793 §4.1).

- Sending (:func:`to_old`, §4.2.2): AS_PATH and AGGREGATOR go out in 2 octets (the codec
  writes AS_TRANS for a number above 65535) and, when the path or the aggregator holds such
  a number, AS4_PATH (the path without its confederation segments, §3) and AS4_AGGREGATOR
  carry the real ones.
- Receiving (:func:`from_old`, §4.2.3): AS_PATH and AS4_PATH become one path
  (:func:`merge_path`), AS4_AGGREGATOR replaces an AGGREGATOR of AS_TRANS, and the AS4_*
  values are consumed: the decoded ``Update`` holds the real path, as if from a NEW speaker.

Malformed AS4_PATH / AS4_AGGREGATOR (§6) are discarded by the descriptor table
(``pathattrs.py``) before this runs; AS4_PATH confederation segments are dropped there.
"""

from __future__ import annotations

from peerwise.wire.attributes import (
    Aggregator,
    As4Aggregator,
    As4Path,
    AsPath,
    AsSegment,
    SegmentType,
    find_attribute,
)
from peerwise.wire.messages import AS_TRANS

MAX_2_OCTET = 0xFFFF
MAX_SEGMENT = 255  # RFC 4271 §4.3: AS numbers in one segment
CONFED = (SegmentType.AS_CONFED_SEQUENCE, SegmentType.AS_CONFED_SET)
_AS4 = (As4Path, As4Aggregator)
LIMIT = 1 << 12  # merged paths kept (an OLD peer's table repeats its path pairs)
_merged: dict[tuple[AsPath, As4Path], AsPath] = {}


# -- sending to an OLD speaker (RFC 6793 §4.2.2) ----------------------------------------------


def as4_path_for(as_path: AsPath) -> As4Path | None:
    """The AS4_PATH to send beside ``as_path``: None when every AS number fits in 2 octets.

    RFC 6793 §4.2.2: confederation segments are never in AS4_PATH (§3).
    """
    segments = tuple(seg for seg in as_path.segments if seg.type not in CONFED)
    if not any(asn > MAX_2_OCTET for seg in segments for asn in seg.asns):
        return None
    return As4Path(segments)


def as4_aggregator_for(aggregator: Aggregator) -> As4Aggregator | None:
    """RFC 6793 §4.2.2: AS4_AGGREGATOR only for a non-mappable aggregating AS."""
    if aggregator.asn <= MAX_2_OCTET:
        return None
    return As4Aggregator(aggregator.asn, aggregator.address)


def to_old(attributes: tuple[object, ...]) -> tuple[object, ...]:
    """``attributes`` plus the AS4_PATH / AS4_AGGREGATOR an OLD speaker needs.

    AS4_* values already present are sent as given (a caller that builds them itself).
    """
    if any(type(attr) in _AS4 for attr in attributes):
        return attributes
    extra: list[object] = []
    for attr in attributes:
        if type(attr) is AsPath:
            as4_path = as4_path_for(attr)
            if as4_path is not None:
                extra.append(as4_path)
        elif type(attr) is Aggregator:
            as4_aggregator = as4_aggregator_for(attr)
            if as4_aggregator is not None:
                extra.append(as4_aggregator)
    return (*attributes, *extra) if extra else attributes


# -- receiving from an OLD speaker (RFC 6793 §4.2.3) ------------------------------------------


def _leading(segments: tuple[AsSegment, ...], wanted: int) -> list[AsSegment]:
    """The leading part of an AS_PATH holding ``wanted`` AS numbers, counted as RFC 4271
    §9.1.2.2 and RFC 5065 count them (an AS_SET is one, a confederation segment none).

    RFC 6793 §4.2.3: a confederation segment is taken when it leads or follows a segment
    taken; an AS_SET is taken whole.
    """
    taken: list[AsSegment] = []
    for seg in segments:
        if seg.type in CONFED:
            taken.append(seg)
        elif wanted <= 0:
            break
        elif seg.type == SegmentType.AS_SET:
            taken.append(seg)
            wanted -= 1
        else:
            count = min(wanted, len(seg.asns))
            taken.append(AsSegment(seg.type, seg.asns[:count]))
            wanted -= count
            if count < len(seg.asns):
                break
    return taken


def _join(head: list[AsSegment], tail: tuple[AsSegment, ...]) -> tuple[AsSegment, ...]:
    """``head`` then ``tail``; two AS_SEQUENCEs meeting at the seam become one when they fit."""
    if head and tail:
        last, first = head[-1], tail[0]
        same = last.type == first.type == SegmentType.AS_SEQUENCE
        if same and len(last.asns) + len(first.asns) <= MAX_SEGMENT:
            seam = AsSegment(SegmentType.AS_SEQUENCE, last.asns + first.asns)
            return (*head[:-1], seam, *tail[1:])
    return (*head, *tail)


def merge_path(as_path: AsPath, as4_path: As4Path) -> AsPath:
    """RFC 6793 §4.2.3: the AS path from an OLD speaker's AS_PATH and AS4_PATH.

    When AS_PATH holds fewer AS numbers than AS4_PATH, AS4_PATH is ignored; otherwise the
    leading AS_PATH numbers (those added by OLD speakers after AS4_PATH was made) are
    prepended to AS4_PATH, so that the result counts as many as AS_PATH.
    """
    key = (as_path, as4_path)
    merged = _merged.get(key)
    if merged is None:
        wanted = as_path.length - AsPath(as4_path.segments).length
        if wanted < 0:
            merged = as_path
        else:
            merged = AsPath(_join(_leading(as_path.segments, wanted), as4_path.segments))
        if len(_merged) >= LIMIT:
            _merged.clear()
        _merged[key] = merged
    return merged


def from_old(attributes: tuple[object, ...]) -> tuple[object, ...]:
    """An OLD speaker's attributes with AS4_PATH and AS4_AGGREGATOR folded in (§4.2.3)."""
    as4_path = find_attribute(attributes, As4Path)
    as4_aggregator = find_attribute(attributes, As4Aggregator)
    if as4_path is None and as4_aggregator is None:
        return attributes
    as_path = find_attribute(attributes, AsPath)
    aggregator = find_attribute(attributes, Aggregator)
    replace: dict[type, object] = {}
    if aggregator is not None and as4_aggregator is not None:
        if aggregator.asn != AS_TRANS:
            # An OLD speaker aggregated after AS4_PATH was made: both AS4_* are stale.
            as4_path = None
        else:
            replace[Aggregator] = Aggregator(as4_aggregator.asn, as4_aggregator.address)
    if as_path is not None and as4_path is not None:
        replace[AsPath] = merge_path(as_path, as4_path)
    return tuple(replace.get(type(a), a) for a in attributes if type(a) not in _AS4)
