"""The stdlib client frames with the server's own framer: scripted bytes in, bytes sent checked."""

from __future__ import annotations

import pytest

from peerwise.mgmt.client import NetconfClient
from peerwise.mgmt.framing import BASE_1_0, BASE_1_1, Framing

from .fakes import hello

OK = '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><ok/></rpc-reply>'


class ScriptedSocket:
    """Answers each ``recv`` with the next scripted read; keeps what the client sent."""

    def __init__(self, *reads: bytes) -> None:
        self.reads = list(reads)
        self.sent: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.sent.append(data)

    def recv(self, size: int) -> bytes:
        return self.reads.pop(0) if self.reads else b""

    def close(self) -> None:
        pass


def server_hello(*caps: str) -> bytes:
    return hello(*caps).replace("</hello>", "<session-id>7</session-id></hello>").encode()


def chunked(text: str) -> bytes:
    data = text.encode()
    return b"\n#%d\n%s\n##\n" % (len(data), data)


def test_a_hello_and_a_chunked_reply_in_one_read_are_split() -> None:
    sock = ScriptedSocket(server_hello(BASE_1_0, BASE_1_1) + b"]]>]]>" + chunked(OK))
    nc = NetconfClient("scripted", sock=sock)
    assert (nc.session_id, nc.framing) == (7, Framing.CHUNKED)
    assert nc.rpc("<discard-changes/>") == OK
    assert sock.sent[0].endswith(b"</hello>]]>]]>")
    assert sock.sent[1].startswith(b"\n#") and sock.sent[1].endswith(b"\n##\n")


def test_a_base_1_0_server_keeps_end_of_message_framing() -> None:
    sock = ScriptedSocket(server_hello(BASE_1_0) + b"]]>]]>", OK.encode() + b"]]>]]>")
    nc = NetconfClient("scripted", sock=sock)
    assert nc.framing is Framing.END_OF_MESSAGE
    assert nc.rpc("<discard-changes/>") == OK
    assert sock.sent[1].endswith(b"</rpc>]]>]]>")


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (b"\n#0\n", "chunk size must start with a digit 1-9"),
        (b"\n##\n", "end-of-chunks marker"),
        (b"#5\nhello", "chunk header: expected LF at byte 0"),
    ],
)
def test_bad_framing_from_the_speaker_is_a_connection_error(after: bytes, reason: str) -> None:
    sock = ScriptedSocket(server_hello(BASE_1_0, BASE_1_1) + b"]]>]]>", after)
    nc = NetconfClient("scripted", sock=sock)
    framing_error = f"bad framing from the speaker at scripted: {reason}"
    with pytest.raises(ConnectionError, match=framing_error):
        nc.rpc("<discard-changes/>")


def test_a_speaker_that_hangs_up_is_a_connection_error() -> None:
    with pytest.raises(ConnectionError, match="the speaker at scripted closed the connection"):
        NetconfClient("scripted", sock=ScriptedSocket(server_hello(BASE_1_0)))
