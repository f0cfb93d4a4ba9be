"""NETCONF management plane (RFC 6241, RFC 6242): the speaker's local API.

Theory of operation
-------------------
A transport — the Unix socket (:mod:`unix`, mode 0600) or SSH (:mod:`ssh`, paramiko, subsystem
``netconf``, public-key authentication) — accepts a connection, creates a
:class:`~peerwise.mgmt.session.NetconfSession` on the speaker's one
:class:`~peerwise.mgmt.agent.NetconfAgent` (the session joins the agent and gets its id),
writes the session's ``<hello>`` and then just moves bytes: each read goes to
``session.feed(data)`` and what it returns is written back.

Receive path, one module per step:

1. :mod:`framing` — sans-I/O RFC 6242 §4 framer: end-of-message (base:1.0) until both hellos
   advertise base:1.1, chunked after that. Bytes in, whole messages out; the client uses it
   too.
2. :mod:`message` — xmltodict parse; namespaces mapped to ``nc:``/``pw:``/``wd:``; ``<config>``
   and ``<filter>`` content turned into the *nested tree* (children of ``<bgp>``).
3. :mod:`rpc` — dispatch table from operation name to handler; :mod:`params` reads and checks
   parameters. Handlers: :mod:`ops_data` (get, get-config, edit-config, validate),
   :mod:`ops_copy` (copy-config, delete-config) and :mod:`ops_txn` (commit, cancel-commit,
   discard-changes, lock, unlock, close-session, kill-session). A handler sees its session as
   a :class:`~peerwise.mgmt.agent.Caller` (session id, the agent, close and kill), never the
   session class.
4. :mod:`agent` — the datastores: ``running`` (as configured), the shared ``candidate``
   (RFC 6241 §8.3), locks, the open sessions (for kill-session), the pending confirmed commit
   (§8.4) and the one write path of running (validate with the model, persist through the
   daemon's hook, ``await server.apply(new)``). What it needs of the speaker is the
   :class:`~peerwise.mgmt.agent.Server` protocol: ``running_config()``, ``state_view(filter)``
   and ``apply(config)``.
5. :mod:`subtree` (RFC 6241 §6 filters), :mod:`edit` (§7.2 operations, list keys),
   :mod:`withdefaults` (RFC 6243) and :mod:`impact` (what a change would reset, from
   ``peerwise.model.diff``) are pure functions; :mod:`tree` converts nested trees to and from
   the model's *file shape*, which is what the ``Server`` speaks.
6. :mod:`errors` — every failure is an ``<rpc-error>`` (type, tag, severity, path, message).

:mod:`client` is the other end: a synchronous client using only the standard library, so it
can run inside Ansible modules; the ``peerwise`` CLI uses it too, over the socket or over SSH
(:mod:`sshclient`). docs/NETCONF.md describes the protocol as the server offers it.

Imports go one way, each module using only modules before it in this order:
``errors``/``params``/``tree`` (and the other pure helpers above) → ``agent`` → ``ops_*`` →
``rpc`` → ``session`` → ``unix``/``ssh``. So the agent knows no session, and the operations
know the agent but not who dispatches them. ``client`` imports only ``framing``: one RFC 6242
framer serves both ends. ``tests/unit/mgmt/test_layers.py`` checks the order.

``from peerwise.mgmt import start_unix_server`` loads asyncio only when asked, so that
importing :mod:`peerwise.mgmt.framing` (part of the sans-I/O core) does not.
"""

from __future__ import annotations

from typing import Any

__all__ = ["start_unix_server"]


def __getattr__(name: str) -> Any:
    if name == "start_unix_server":
        from peerwise.mgmt.unix import start_unix_server

        return start_unix_server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
