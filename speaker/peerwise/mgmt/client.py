"""A small synchronous NETCONF client over a Unix socket, standard library only.

It imports nothing but the standard library and the sans-I/O framer (:mod:`framing`, by a
relative import), so that the two can be copied into an Ansible module_utils and run on hosts
without extra packages. The framer is the server's own (RFC 6242 §4): end-of-message for the
hellos, chunked afterwards when the server offers base:1.1 too.

    with NetconfClient("/run/peerwise/api.sock") as nc:
        reply = nc.get('<bgp xmlns="urn:peerwise:yang:peerwise-bgp"><neighbors/></bgp>')

Every method returns the ``<rpc-reply>`` text; an ``<rpc-error>`` raises :class:`NetconfError`.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

from .framing import BASE_1_0, BASE_1_1, NC_NS, Framer, Framing, FramingError

PW_NS = "urn:peerwise:yang:peerwise-bgp"
WD_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"
DEFAULT_SOCKET = "/run/peerwise/api.sock"
READ_SIZE = 65536
# A bound on one reply. Replies carry whole configs, which may outgrow the 16 MiB the speaker
# takes per request (config built by many edits); the speaker is the one peer trusted here.
MAX_REPLY = 1 << 30
_ERROR_FIELDS = ("error-type", "error-tag", "error-severity", "error-path", "error-message")


def _q(name: str) -> str:
    return f"{{{NC_NS}}}{name}"


class NetconfError(Exception):
    """The server answered with ``<rpc-error>``; the first error's fields are attributes."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {}
        self.error_type = first.get("error-type", "")
        self.error_tag = first.get("error-tag", "")
        self.error_severity = first.get("error-severity", "error")
        self.error_path = first.get("error-path", "")
        self.error_message = first.get("error-message", "")
        super().__init__(self.describe())

    def describe(self) -> str:
        """'<path>: <message>' (or the tag when the server gave no message)."""
        text = self.error_message or self.error_tag
        return f"{self.error_path}: {text}" if self.error_path else text


def parse_errors(reply: ET.Element) -> list[dict[str, str]]:
    """The ``<rpc-error>`` fields of a reply, severity error only."""
    errors = []
    for element in reply.iter(_q("rpc-error")):
        fields = {name: (element.findtext(_q(name)) or "").strip() for name in _ERROR_FIELDS}
        info = element.find(_q("error-info"))
        for child in [] if info is None else list(info):
            fields["info:" + child.tag.rpartition("}")[2]] = (child.text or "").strip()
        if fields["error-severity"] != "warning":
            errors.append(fields)
    return errors


class NetconfClient:
    """One NETCONF session with the speaker."""

    def __init__(self, path: str = DEFAULT_SOCKET, timeout: float = 30.0, sock: Any = None) -> None:
        """Connect to the Unix socket ``path``; or talk over ``sock``, any object with
        ``sendall``/``recv``/``close`` (an SSH channel: see ``peerwise.mgmt.sshclient``)."""
        self.path = path
        self._closed = False
        if sock is not None:
            self._sock = sock
        else:
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._sock.settimeout(timeout)
            try:
                self._sock.connect(path)
            except OSError as exc:
                self._sock.close()
                reason = exc.strerror or str(exc)
                raise ConnectionError(f"cannot reach the speaker at {path}: {reason}") from exc
        self._framer = Framer(max_message=MAX_REPLY)
        self._inbox: list[str] = []  # whole messages read but not yet asked for
        self._message_id = 0
        self.session_id = 0
        self.server_capabilities: list[str] = []
        self._hello()

    def __enter__(self) -> NetconfClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _hello(self) -> None:
        caps = "".join(f"<capability>{c}</capability>" for c in (BASE_1_0, BASE_1_1))
        self._send(f'<hello xmlns="{NC_NS}"><capabilities>{caps}</capabilities></hello>')
        # The framer reads the server's hello too: chunked from here on if it offers base:1.1.
        hello = ET.fromstring(self._receive())
        found = hello.iterfind(f"{_q('capabilities')}/{_q('capability')}")
        self.server_capabilities = [(c.text or "").strip() for c in found]
        self.session_id = int(hello.findtext(_q("session-id")) or 0)

    @property
    def framing(self) -> Framing:
        """The RFC 6242 §4 framing in use: end-of-message, or chunked after the hellos."""
        return self._framer.framing

    def rpc(self, operation: str) -> str:
        """Send one operation (XML in the NETCONF namespace by default); return the reply."""
        self._message_id += 1
        self._send(f'<rpc xmlns="{NC_NS}" message-id="{self._message_id}">{operation}</rpc>')
        text = self._receive()
        errors = parse_errors(ET.fromstring(text))
        if errors:
            raise NetconfError(errors)
        return text

    def get(self, filter: str | None = None) -> str:
        return self.rpc(f"<get>{_filter(filter)}</get>")

    def get_config(
        self, source: str = "running", filter: str | None = None, with_defaults: str | None = None
    ) -> str:
        """RFC 6241 §7.1; ``with_defaults``: report-all, trim or explicit (RFC 6243)."""
        extra = ""
        if with_defaults:
            extra = f'<with-defaults xmlns="{WD_NS}">{escape(with_defaults)}</with-defaults>'

        return self.rpc(
            f"<get-config><source><{source}/></source>{_filter(filter)}{extra}</get-config>"
        )

    def edit_config(
        self,
        target: str,
        config_xml: str,
        default_operation: str | None = None,
        test_option: str | None = None,
    ) -> str:
        """``config_xml`` is the content of ``<config>`` (a ``<bgp>`` element).

        ``test_option="test-only"`` changes nothing and returns the ``<impact>`` it would have.
        """
        default = (
            f"<default-operation>{escape(default_operation)}</default-operation>"
            if default_operation
            else ""
        )
        test = f"<test-option>{escape(test_option)}</test-option>" if test_option else ""
        return self.rpc(
            f"<edit-config><target><{target}/></target>{default}{test}"
            f"<config>{config_xml}</config></edit-config>"
        )

    def commit(
        self,
        confirmed: bool = False,
        timeout: int | None = None,
        persist: str | None = None,
        persist_id: str | None = None,
    ) -> str:
        """RFC 6241 §8.3.4.1, §8.4.5.1; the reply carries the ``<impact>`` (:func:`impact`)."""
        body = "<confirmed/>" if confirmed else ""
        body += "" if timeout is None else f"<confirm-timeout>{int(timeout)}</confirm-timeout>"
        body += "" if persist is None else f"<persist>{escape(persist)}</persist>"
        body += "" if persist_id is None else f"<persist-id>{escape(persist_id)}</persist-id>"
        return self.rpc(f"<commit>{body}</commit>")

    def cancel_commit(self, persist_id: str | None = None) -> str:
        body = "" if persist_id is None else f"<persist-id>{escape(persist_id)}</persist-id>"
        return self.rpc(f"<cancel-commit>{body}</cancel-commit>")

    def discard_changes(self) -> str:
        return self.rpc("<discard-changes/>")

    def validate(self, source: str = "candidate", config_xml: str | None = None) -> str:
        """Validate a datastore, or ``config_xml`` (a whole ``<bgp>``); see :func:`impact`."""
        where = f"<config>{config_xml}</config>" if config_xml is not None else f"<{source}/>"
        return self.rpc(f"<validate><source>{where}</source></validate>")

    def copy_config(self, source: str, target: str, config_xml: str | None = None) -> str:
        """RFC 6241 §7.3: replace ``target`` (running, candidate) with ``source``, or with
        ``config_xml`` (a whole ``<bgp>``) when given; to running, see :func:`impact`."""
        where = f"<config>{config_xml}</config>" if config_xml is not None else f"<{source}/>"
        return self.rpc(
            f"<copy-config><target><{target}/></target><source>{where}</source></copy-config>"
        )

    def delete_config(self, target: str) -> str:
        """RFC 6241 §7.4: only ``candidate`` (it becomes running again); running is refused."""
        return self.rpc(f"<delete-config><target><{target}/></target></delete-config>")

    def lock(self, target: str = "running") -> str:
        return self.rpc(f"<lock><target><{target}/></target></lock>")

    def unlock(self, target: str = "running") -> str:
        return self.rpc(f"<unlock><target><{target}/></target></unlock>")

    def kill_session(self, session_id: int) -> str:
        return self.rpc(f"<kill-session><session-id>{int(session_id)}</session-id></kill-session>")

    def close(self) -> None:
        """close-session (RFC 6241 §7.8), then the socket; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.rpc("<close-session/>")
        except (OSError, NetconfError, ET.ParseError):
            pass
        finally:
            self._sock.close()

    def _send(self, text: str) -> None:
        self._sock.sendall(self._framer.encode(text))

    def _receive(self) -> str:
        while not self._inbox:
            data = self._sock.recv(READ_SIZE)
            if not data:
                raise ConnectionError(f"the speaker at {self.path} closed the connection")
            try:
                self._inbox += self._framer.feed(data)
            except FramingError as exc:
                reason = f"bad framing from the speaker at {self.path}: {exc}"
                raise ConnectionError(reason) from exc
        return self._inbox.pop(0)


def impact(reply: str) -> dict[str, list[str]]:
    """The ``<impact>`` of a validate / test-only / commit reply: sessions per kind of touch
    (``session-reset``, ``soft``, ``added``, ``removed``, ``started``, ``stopped``) and
    ``change``: one ``"<neighbor> <path> <impact>"`` string per changed leaf."""
    found: dict[str, list[str]] = {}
    element = ET.fromstring(reply).find(f"{{{PW_NS}}}impact")
    for child in [] if element is None else list(element):
        name = child.tag.rpartition("}")[2]
        if name == "change":
            keys = ("neighbor", "path", "impact")
            parts = [child.findtext(f"{{{PW_NS}}}{k}") or "" for k in keys]
            text = " ".join(p for p in parts if p)
        else:
            text = (child.text or "").strip()
        found.setdefault(name, []).append(text)
    return found


def _filter(content: str | None) -> str:
    return "" if content is None else f'<filter type="subtree">{content}</filter>'
