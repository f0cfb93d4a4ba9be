"""NOTIFICATION error codes and subcodes, named (RFC 4271 §4.5, 4486, 6608, 7313, 8203, 9003).

A decoding failure raises :class:`BGPError`, which carries the NOTIFICATION the RFC says
to send. Nothing in Peerwise writes an error code as a bare number.
"""

from __future__ import annotations

import contextlib
import enum


class ErrorCode(enum.IntEnum):
    """RFC 4271 §4.5 error codes (+ RFC 7313 §5)."""

    MESSAGE_HEADER = 1
    OPEN_MESSAGE = 2
    UPDATE_MESSAGE = 3
    HOLD_TIMER_EXPIRED = 4
    FSM = 5
    CEASE = 6
    ROUTE_REFRESH_MESSAGE = 7


class HeaderSubcode(enum.IntEnum):
    """RFC 4271 §6.1."""

    UNSPECIFIC = 0
    CONNECTION_NOT_SYNCHRONIZED = 1
    BAD_MESSAGE_LENGTH = 2
    BAD_MESSAGE_TYPE = 3


class OpenSubcode(enum.IntEnum):
    """RFC 4271 §6.2, RFC 5492 §5 (unsupported capability)."""

    UNSPECIFIC = 0
    UNSUPPORTED_VERSION_NUMBER = 1
    BAD_PEER_AS = 2
    BAD_BGP_IDENTIFIER = 3
    UNSUPPORTED_OPTIONAL_PARAMETER = 4
    UNACCEPTABLE_HOLD_TIME = 6
    UNSUPPORTED_CAPABILITY = 7
    ROLE_MISMATCH = 11


class UpdateSubcode(enum.IntEnum):
    """RFC 4271 §6.3."""

    UNSPECIFIC = 0
    MALFORMED_ATTRIBUTE_LIST = 1
    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2
    MISSING_WELL_KNOWN_ATTRIBUTE = 3
    ATTRIBUTE_FLAGS_ERROR = 4
    ATTRIBUTE_LENGTH_ERROR = 5
    INVALID_ORIGIN_ATTRIBUTE = 6
    INVALID_NEXT_HOP_ATTRIBUTE = 8
    OPTIONAL_ATTRIBUTE_ERROR = 9
    INVALID_NETWORK_FIELD = 10
    MALFORMED_AS_PATH = 11


class FsmSubcode(enum.IntEnum):
    """RFC 6608 §3."""

    UNSPECIFIED = 0
    UNEXPECTED_MESSAGE_IN_OPENSENT = 1
    UNEXPECTED_MESSAGE_IN_OPENCONFIRM = 2
    UNEXPECTED_MESSAGE_IN_ESTABLISHED = 3


class CeaseSubcode(enum.IntEnum):
    """RFC 4486 §4 (+ RFC 8203/9003 carry a shutdown communication in 2 and 4)."""

    UNSPECIFIC = 0
    MAXIMUM_NUMBER_OF_PREFIXES_REACHED = 1
    ADMINISTRATIVE_SHUTDOWN = 2
    PEER_DECONFIGURED = 3
    ADMINISTRATIVE_RESET = 4
    CONNECTION_REJECTED = 5
    OTHER_CONFIGURATION_CHANGE = 6
    CONNECTION_COLLISION_RESOLUTION = 7
    OUT_OF_RESOURCES = 8
    HARD_RESET = 9
    BFD_DOWN = 10


class RouteRefreshSubcode(enum.IntEnum):
    """RFC 7313 §5."""

    RESERVED = 0
    INVALID_MESSAGE_LENGTH = 1


SUBCODES: dict[ErrorCode, type[enum.IntEnum] | None] = {
    ErrorCode.MESSAGE_HEADER: HeaderSubcode,
    ErrorCode.OPEN_MESSAGE: OpenSubcode,
    ErrorCode.UPDATE_MESSAGE: UpdateSubcode,
    ErrorCode.HOLD_TIMER_EXPIRED: None,
    ErrorCode.FSM: FsmSubcode,
    ErrorCode.CEASE: CeaseSubcode,
    ErrorCode.ROUTE_REFRESH_MESSAGE: RouteRefreshSubcode,
}


def describe(code: int, subcode: int) -> str:
    """A person's words for a code/subcode pair: 'Cease / Administrative Shutdown'."""
    try:
        code_name = ErrorCode(code).name
    except ValueError:
        return f"Unknown error code {code} / subcode {subcode}"
    table = SUBCODES[ErrorCode(code)]
    sub_name = f"subcode {subcode}"
    if table is not None:
        with contextlib.suppress(ValueError):
            sub_name = table(subcode).name
    elif subcode == 0:
        return _words(code_name)
    return f"{_words(code_name)} / {_words(sub_name)}"


def _words(name: str) -> str:
    small = {"AS", "BGP", "FSM", "BFD", "OPENSENT", "OPENCONFIRM"}
    return " ".join(w if w in small else w.capitalize() for w in name.split("_"))


class BGPError(Exception):
    """A protocol error, carrying the NOTIFICATION that answers it (RFC 4271 §6)."""

    def __init__(
        self, code: ErrorCode, subcode: int = 0, data: bytes = b"", reason: str = ""
    ) -> None:
        self.code = ErrorCode(code)
        self.subcode = int(subcode)
        self.data = bytes(data)
        self.reason = reason or describe(self.code, self.subcode)
        super().__init__(self.reason)

    def __repr__(self) -> str:
        return f"BGPError({self.code.name}, {self.subcode}, {self.data!r}, {self.reason!r})"


class Malformed(Exception):
    """An attribute or NLRI that does not parse; the UPDATE decoder applies its RFC 7606 action.

    ``subcode`` is the RFC 4271 §6.3 subcode to send should the action be session-reset;
    None means "the attribute row's own subcode".
    """

    def __init__(self, reason: str, subcode: UpdateSubcode | None = None) -> None:
        self.reason = reason
        self.subcode = subcode
        super().__init__(reason)
