"""peerwise.model — the config: load, validate, fill defaults, diff, and change shape.

Theory of operation
-------------------
The YANG modules in ``yang/`` are the one description of what can be configured and
observed. ``tools/pyang_plugins/jsonschema.py`` turns them into two JSON Schemas that live in
this package: ``peerwise-bgp.schema.json`` (config, file shape) and
``peerwise-bgp-state.schema.json`` (config and state). Nothing here reads YANG at run time.

A config file goes through four steps (``loader``)::

    parse (toml | yaml | json) -> normalize (gobgp) -> validate -> defaults

``normalize`` accepts GoBGP's spellings (``IPV4_UNICAST``, ``admin-down``) so that a GoBGP
``bgp.toml`` loads as is. ``validate`` checks the JSON Schema and translates its failures
into :class:`ConfigError` values in the model's words (``neighbors[0].config.peer-as: 'abc'
is not a uint32``), then runs the semantic rules a schema cannot say (``rules``: hold time 0
or >= 3, a neighbor is not our own address, …). ``defaults`` fills the schema's defaults.

``diff(old, new)`` compares two configs and prices each change with the model's
``pw-bgp-types:impact`` extension; :class:`ConfigDiff` tells the server which sessions to add,
remove, start, stop or reset. ``to_nested``/``to_file_shape``/``coerce`` (``shape``) move data
between the file shape and the model's nested tree that NETCONF carries.

This package is sans-I/O apart from ``load_file`` reading one file: no sockets, no clocks.
"""

from __future__ import annotations

from .defaults import defaults
from .diff import Change, ConfigDiff, Impact, NeighborChange, diff, diff_complete
from .errors import ConfigError, ConfigInvalid
from .gobgp import normalize
from .loader import load_file, load_text, parse
from .schema import config_schema, state_schema
from .shape import coerce, to_file_shape, to_nested
from .validate import schema_errors, state_errors, validate

__all__ = [
    "Change",
    "ConfigDiff",
    "ConfigError",
    "ConfigInvalid",
    "Impact",
    "NeighborChange",
    "coerce",
    "config_schema",
    "defaults",
    "diff",
    "diff_complete",
    "load_file",
    "load_text",
    "normalize",
    "parse",
    "schema_errors",
    "state_errors",
    "state_schema",
    "to_file_shape",
    "to_nested",
    "validate",
]
