"""Interop tests: Peerwise against the real Debian BGP speakers, on loopback.

Theory of operation
-------------------
Every speaker here is a real daemon started as a subprocess, each on its own loopback address
(127.0.20.1 - 127.0.29.254 belong to this suite) so that all of them can use port 179 at once.

* ``peer_base`` holds what the four peers share: the :class:`Neighbor` row a config is written
  from, process start/stop by PID, bounded polling, and the normalised view of a neighbor
  (``state``, ``received_capabilities``, ``last_error``, ``messages_received``).
* ``peer_gobgp``, ``peer_frr``, ``peer_bird``, ``peer_exabgp`` each write one daemon's config,
  start it with every listener bound to its own address, and read the daemon's own CLI (or, for
  ExaBGP, the JSON events its API helper ``exabgp_events`` appends to a file).
* ``peers`` is the public face: the four classes and ``PEER_TYPES`` by name.
* ``sniffer`` runs tshark/dumpcap on ``lo``: GoBGP's NOTIFICATION codes (it logs none before
  Established) and whole-session captures that tshark must decode without a malformed packet.
* ``speaker`` runs ``peerwised`` (config written as GoBGP-style TOML) and its CLI ``peerwise -j``.
* ``conftest`` turns these into fixtures: an address allocator, ``peer_factory``,
  ``peerwised_factory``; a session fixture fails loudly when a Debian package is missing.

``test_parsers`` checks the readers on outputs captured from the real daemons (no daemons run).
``test_harness`` proves the harness with peer-to-peer sessions only, so a failure in
``test_interop`` (the peers against ``peerwised``) points at the speaker, not the harness.
"""
