"""RFC 6242 §4 framing: both framings, split and coalesced input, the switch, malformed chunks."""

from __future__ import annotations

import pytest

from peerwise.mgmt.framing import BASE_1_0, BASE_1_1, Framer, Framing, FramingError

from .fakes import hello

HELLO_11 = hello(BASE_1_0, BASE_1_1)
HELLO_10 = hello(BASE_1_0)


def framed_11() -> Framer:
    """A framer that has seen a base:1.1 hello and now expects chunks."""
    framer = Framer()
    assert framer.feed(HELLO_11.encode() + b"]]>]]>") == [HELLO_11]
    assert framer.framing is Framing.CHUNKED
    return framer


def feed_in_pieces(framer: Framer, data: bytes, size: int) -> list[str]:
    out: list[str] = []
    for start in range(0, len(data), size):
        out += framer.feed(data[start : start + size])
    return out


EOM_CASES = [
    # (stream, messages)
    (b"<a/>]]>]]>", ["<a/>"]),
    (b"<a/>]]>]]><b/>]]>]]>", ["<a/>", "<b/>"]),
    (b"<a/>]]>]]><b/>", ["<a/>"]),  # the rest waits for its delimiter
    ("<x>é</x>]]>]]>".encode(), ["<x>é</x>"]),
]


@pytest.mark.parametrize(("stream", "messages"), EOM_CASES)
@pytest.mark.parametrize("size", [1, 2, 7, 1000])
def test_end_of_message_split_and_coalesced(stream: bytes, messages: list[str], size: int) -> None:
    framer = Framer()
    framer.feed(HELLO_10.encode() + b"]]>]]>")
    assert framer.framing is Framing.END_OF_MESSAGE
    assert feed_in_pieces(framer, stream, size) == messages


CHUNK_CASES = [
    (b"\n#4\n<a/>\n##\n", ["<a/>"]),
    (b"\n#2\n<a\n#2\n/>\n##\n", ["<a/>"]),  # one message in two chunks
    (b"\n#4\n<a/>\n##\n\n#4\n<b/>\n##\n", ["<a/>", "<b/>"]),
    (b"\n#10\n<c>123</c>\n##\n", ["<c>123</c>"]),  # multi-digit size
    (b"\n#4\n<a/>\n##\n\n#4\n<b", ["<a/>"]),
    (b"\n#4\n<a/>", []),  # end-of-chunks not yet seen
]


@pytest.mark.parametrize(("stream", "messages"), CHUNK_CASES)
@pytest.mark.parametrize("size", [1, 3, 1000])
def test_chunked_split_and_coalesced(stream: bytes, messages: list[str], size: int) -> None:
    assert feed_in_pieces(framed_11(), stream, size) == messages


def test_hello_and_first_chunk_in_one_read() -> None:
    framer = Framer()
    data = HELLO_11.encode() + b"]]>]]>" + b"\n#4\n<a/>\n##\n"
    assert framer.feed(data) == [HELLO_11, "<a/>"]


@pytest.mark.parametrize(
    ("local_base11", "peer_hello", "framing"),
    [
        (True, HELLO_11, Framing.CHUNKED),
        (True, HELLO_10, Framing.END_OF_MESSAGE),
        (False, HELLO_11, Framing.END_OF_MESSAGE),
        (True, "<not-a-hello/>", Framing.END_OF_MESSAGE),
        (True, "not xml", Framing.END_OF_MESSAGE),
    ],
)
def test_switch_needs_base11_on_both_sides(
    local_base11: bool, peer_hello: str, framing: Framing
) -> None:
    framer = Framer(local_base11=local_base11)
    framer.feed(peer_hello.encode() + b"]]>]]>")
    assert framer.framing is framing


MALFORMED = [
    (b"#4\n<a/>\n##\n", "expected LF at byte 0"),
    (b"\n$4\n<a/>\n##\n", "expected '#' at byte 1"),
    (b"\n#0\n", "must start with a digit 1-9"),
    (b"\n#04\n<a/>", "must start with a digit 1-9"),
    (b"\n#x\n", "must start with a digit 1-9"),
    (b"\n#4x\n", "expected LF after digits"),
    (b"\n#4294967296\n", "exceeds 4294967295"),
    (b"\n#12345678901\n", "longer than 10 digits"),
    (b"\n##\n", "before any chunk"),
    (b"\n#4\n<a/>\n##x", "expected LF after '##'"),
    (b"\n#4\n<a/>X#4\n", "expected LF at byte 0"),  # chunk longer than announced
    (b"\n#2\n\xff\xfe\n##\n", "not UTF-8"),
]


@pytest.mark.parametrize(("stream", "error"), MALFORMED)
def test_malformed_chunks_raise_precise_errors(stream: bytes, error: str) -> None:
    with pytest.raises(FramingError, match=error):
        feed_in_pieces(framed_11(), stream, 1)


def test_oversized_message_is_refused() -> None:
    framer = Framer(max_message=10)
    with pytest.raises(FramingError, match="exceeds 10 bytes"):
        framer.feed(b"x" * 20)


@pytest.mark.parametrize(
    ("chunked", "message", "expected"),
    [
        (False, "<a/>", b"<a/>]]>]]>"),
        (True, "<a/>", b"\n#4\n<a/>\n##\n"),
        (True, "é", b"\n#2\n\xc3\xa9\n##\n"),  # the size counts octets
    ],
)
def test_encode(chunked: bool, message: str, expected: bytes) -> None:
    framer = framed_11() if chunked else Framer()
    assert framer.encode(message) == expected


@pytest.mark.parametrize("message", ["<a/>", "<b>]]></b>", "x" * 5000])
def test_encode_then_feed_round_trips(message: str) -> None:
    sender, receiver = framed_11(), framed_11()
    assert feed_in_pieces(receiver, sender.encode(message) * 2, 3) == [message, message]
