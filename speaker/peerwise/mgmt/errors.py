"""NETCONF ``<rpc-error>`` values (RFC 6241 §4.3, Appendix A)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

NC_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"
PW_NS = "urn:peerwise:yang:peerwise-bgp"
WD_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"  # RFC 6243 §4.5
PW_PREFIX = "pw-bgp"
NC_PREFIX = "nc"


class ErrorType(enum.Enum):
    """RFC 6241 §4.3 error-type: the layer where the error occurred."""

    TRANSPORT = "transport"
    RPC = "rpc"
    PROTOCOL = "protocol"
    APPLICATION = "application"


class ErrorSeverity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class ErrorTag(enum.Enum):
    """RFC 6241 Appendix A."""

    IN_USE = "in-use"
    INVALID_VALUE = "invalid-value"
    TOO_BIG = "too-big"
    MISSING_ATTRIBUTE = "missing-attribute"
    BAD_ATTRIBUTE = "bad-attribute"
    UNKNOWN_ATTRIBUTE = "unknown-attribute"
    MISSING_ELEMENT = "missing-element"
    BAD_ELEMENT = "bad-element"
    UNKNOWN_ELEMENT = "unknown-element"
    UNKNOWN_NAMESPACE = "unknown-namespace"
    ACCESS_DENIED = "access-denied"
    LOCK_DENIED = "lock-denied"
    RESOURCE_DENIED = "resource-denied"
    ROLLBACK_FAILED = "rollback-failed"
    DATA_EXISTS = "data-exists"
    DATA_MISSING = "data-missing"
    OPERATION_NOT_SUPPORTED = "operation-not-supported"
    OPERATION_FAILED = "operation-failed"
    MALFORMED_MESSAGE = "malformed-message"


@dataclass(frozen=True)
class RpcErrorInfo:
    """One ``<rpc-error>``. ``path`` is an instance identifier (``/pw-bgp:bgp/...``) or ''."""

    error_type: ErrorType
    tag: ErrorTag
    message: str
    path: str = ""
    severity: ErrorSeverity = ErrorSeverity.ERROR
    info: tuple[tuple[str, str], ...] = field(default=())  # (<error-info> child, text)

    def to_dict(self) -> dict[str, object]:
        """The xmltodict shape of this ``<rpc-error>``; children in RFC 6241 §4.3 order."""
        out: dict[str, object] = {
            "error-type": self.error_type.value,
            "error-tag": self.tag.value,
            "error-severity": self.severity.value,
        }
        if self.path:
            path: dict[str, str] = {}
            for prefix, uri in ((NC_PREFIX, NC_NS), (PW_PREFIX, PW_NS)):
                if f"{prefix}:" in self.path:
                    path[f"@xmlns:{prefix}"] = uri
            out["error-path"] = {**path, "#text": self.path}
        out["error-message"] = {"@xml:lang": "en", "#text": self.message}
        if self.info:
            out["error-info"] = {name: text for name, text in self.info}
        return out


class RpcError(Exception):
    """Raised by an RPC handler; the session turns it into an ``<rpc-reply>``."""

    def __init__(self, *errors: RpcErrorInfo) -> None:
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


def rpc_error(
    error_type: ErrorType, tag: ErrorTag, message: str, path: str = "", **info: str
) -> RpcError:
    """Shorthand for one-error :class:`RpcError`; ``info`` keys use ``_`` for ``-``."""
    items = tuple((k.replace("_", "-"), v) for k, v in info.items())
    return RpcError(RpcErrorInfo(error_type, tag, message, path, info=items))
