"""Peerwise: a BGP-4 speaker."""
