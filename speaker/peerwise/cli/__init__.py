"""``peerwise``: the command line of the speaker.

Theory of operation
-------------------
The CLI is a NETCONF client (:class:`peerwise.mgmt.client.NetconfClient`) on the speaker's
local socket. :mod:`main` parses argv, maps the words to one row of ``COMMANDS`` and runs it:
a show command sends ``<get>`` with a subtree filter (the neighbors list, one neighbor by key,
or ``<global>``), turns the reply into the model's file shape with typed leaves
(:mod:`peerwise.mgmt.tree`, i.e. ``peerwise.model``'s ``to_file_shape`` and ``coerce``) and
hands it to :mod:`format`; ``neighbor add``/``del`` send ``<edit-config>`` merge/delete on
running. :mod:`format` is pure (state data in, GoBGP-shaped text out); ``-j`` prints the same
data as JSON instead. Errors from the speaker print as ``error: <path>: <message>`` and exit 1.
"""
