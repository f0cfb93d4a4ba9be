"""TCP MD5 signatures for BGP sessions (RFC 2385; RFC 4271 §5.1 leaves security to TCP).

The neighbor's ``auth-password`` is the key. Linux keys it per peer address with the
``TCP_MD5SIG`` socket option: on every listening socket of the peer's family (so that its
SYN is answered) and on the outbound socket before ``connect``. A key of length 0 removes
it. Once a key is set for an address, the kernel drops that address's unsigned or wrongly
signed segments: a session with a wrong password never opens, as with FRR, BIRD and GoBGP.
"""

from __future__ import annotations

import ipaddress
import socket
import struct

TCP_MD5SIG = getattr(socket, "TCP_MD5SIG", 14)  # linux/tcp.h
MAX_KEY = 80  # TCP_MD5SIG_MAXKEYLEN
_STORAGE = 128  # sizeof(struct __kernel_sockaddr_storage)


def _sockaddr(address: str) -> bytes:
    ip = ipaddress.ip_address(address)
    if ip.version == 4:  # struct sockaddr_in: family (host order), port, address
        return struct.pack("=H", socket.AF_INET) + struct.pack("!H", 0) + ip.packed
    # struct sockaddr_in6: family, port, flow info, address, scope id
    return struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", 0, 0) + ip.packed + bytes(4)


def md5sig(peer: str, password: str) -> bytes:
    """``struct tcp_md5sig`` for ``peer`` (an empty password removes the key)."""
    key = password.encode()
    if len(key) > MAX_KEY:
        raise ValueError(f"a TCP MD5 key is at most {MAX_KEY} octets")
    head = _sockaddr(peer).ljust(_STORAGE, b"\0")
    return head + struct.pack("=BBHi", 0, 0, len(key), 0) + key.ljust(MAX_KEY, b"\0")


def same_family(sock: socket.socket, peer: str) -> bool:
    version = ipaddress.ip_address(peer).version
    return sock.family == (socket.AF_INET6 if version == 6 else socket.AF_INET)


def set_key(sock: socket.socket, peer: str, password: str) -> None:
    """Sign (or, with ``""``, stop signing) this socket's segments to and from ``peer``."""
    sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5sig(peer, password))
