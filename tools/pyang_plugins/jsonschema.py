"""pyang output plugin: YANG -> JSON Schema (draft 2020-12) of Peerwise's *file shape*.

Usage (from the repository root)::

    pyang -p yang --plugindir tools/pyang_plugins -f peerwise-jsonschema \
        [--peerwise-jsonschema-state] -o OUT.json yang/peerwise-bgp.yang

The file shape (docs/ARCHITECTURE.md) is the module's instance data with RFC 7951 names, the
single top-level container dropped, and a container whose only child is a list written as that
list (``neighbors/neighbor`` -> ``neighbors``). A list's key leaf, an OpenConfig leafref to
``../config/<key>``, is not written in the file shape: the key lives in the entry's ``config``.

Without ``--peerwise-jsonschema-state`` only config nodes are rendered, mandatory leaves and
list keys are ``required``; with it, config false nodes are rendered too and only list keys are
required (a state tree, or a filtered NETCONF reply, may leave any other node out).

Every node carries ``x-yang-path``; leaves carry ``x-yang-type`` (the builtin name for numbers
and booleans, else the outermost typedef name) and, on config leaves, ``x-impact`` taken from
the ``pw-bgp-types:impact`` extension (missing on a config leaf is an error). Arrays that
collapse a container record ``x-list`` (the list's name); keyed lists record ``x-key``.
"""

import json
import optparse

from pyang import plugin

COMMENT = "generated from yang/ by tools/pyang_plugins/jsonschema.py — do not edit"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
IMPACT = ("peerwise-bgp-types", "impact")
IMPACTS = ("none", "soft", "session-reset")
INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
# Typedefs whose syntax JSON Schema can check better than a pattern (jsonschema's FormatChecker).
FORMATS = {"ipv4-address": "ipv4", "ipv6-address": "ipv6", "dotted-quad": "ipv4"}


def pyang_plugin_init():
    plugin.register_plugin(JsonSchemaPlugin())


class SchemaError(SystemExit):
    """Stops pyang with a message naming the YANG statement at fault."""

    def __init__(self, stmt, message):
        super().__init__(f"{stmt.pos}: peerwise-jsonschema: {message}")


class JsonSchemaPlugin(plugin.PyangPlugin):
    def add_output_format(self, fmts):
        self.multiple_modules = False
        fmts["peerwise-jsonschema"] = self

    def add_opts(self, optparser):
        optparser.add_options(
            [
                optparse.make_option(
                    "--peerwise-jsonschema-state",
                    dest="pw_jsonschema_state",
                    action="store_true",
                    help="Also render config false nodes (the state schema)",
                )
            ]
        )

    def setup_fmt(self, ctx):
        ctx.implicit_errors = False

    def emit(self, ctx, modules, fd):
        state = bool(getattr(ctx.opts, "pw_jsonschema_state", False))
        schema = module_schema(modules[0], Generator(state))
        fd.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")


class Generator:
    """What to render; the dispatch table from keyword to producer lives in PRODUCERS."""

    def __init__(self, state):
        self.state = state

    def children(self, node):
        kids = [c for c in node.i_children if self.state or c.i_config is not False]
        for kid in kids:
            if kid.keyword not in PRODUCERS:
                raise SchemaError(kid, f"unsupported statement {kid.keyword!r}")
        return kids

    def node(self, node):
        return PRODUCERS[node.keyword](self, node)


def module_schema(module, gen):
    tops = gen.children(module)
    if len(tops) != 1 or tops[0].keyword != "container":
        raise SchemaError(module, "expected exactly one top-level container")
    root = container(gen, tops[0])
    what = "configuration and state" if gen.state else "configuration"
    head = {
        "$comment": COMMENT,
        "$schema": DRAFT,
        "$id": module.search_one("namespace").arg + (":state" if gen.state else ""),
        "title": f"{module.arg} {what} (file shape)",
        "x-yang-module": module.arg,
        "x-yang-revision": module.search_one("revision").arg,
        "x-yang-namespace": module.search_one("namespace").arg,
        "x-yang-root": tops[0].arg,
    }
    del root["x-yang-path"]
    return {**head, **root}


def yang_path(node):
    parts = []
    while node.keyword != "module":
        parts.append(node.arg)
        node = node.parent
    return "/" + "/".join(reversed(parts))


def description(node):
    stmt = node.search_one("description")
    return " ".join(stmt.arg.split()) if stmt is not None else None


def has_mandatory(gen, node):
    """True when a non-presence container must appear because something below is mandatory."""
    if node.keyword == "leaf":
        mandatory = node.search_one("mandatory")
        return mandatory is not None and mandatory.arg == "true"
    if node.keyword != "container" or node.search_one("presence") is not None:
        return False
    return any(has_mandatory(gen, kid) for kid in gen.children(node))


def container(gen, node):
    kids = gen.children(node)
    if len(kids) == 1 and kids[0].keyword == "list":
        schema = yang_list(gen, kids[0])
        schema["x-list"] = kids[0].arg
        schema["x-yang-path"] = yang_path(node)
        return schema
    return obj(gen, node, kids)


def obj(gen, node, kids):
    props = {kid.arg: gen.node(kid) for kid in kids}
    schema = {"type": "object", "properties": props, "additionalProperties": False}
    required = [] if gen.state else [kid.arg for kid in kids if has_mandatory(gen, kid)]
    if required:
        schema["required"] = required
    schema["x-yang-path"] = yang_path(node)
    text = description(node)
    if text:
        schema["description"] = text
    return schema


def yang_list(gen, node):
    keys = [key.arg for key in getattr(node, "i_key", None) or []]
    entry = obj(gen, node, [kid for kid in gen.children(node) if kid.arg not in keys])
    schema = {"type": "array", "items": entry}
    if keys:
        config = entry["properties"].get("config")
        if len(keys) != 1 or config is None or keys[0] not in config["properties"]:
            raise SchemaError(node, "list key must be one leafref to ../config/<key>")
        config["required"] = [keys[0], *[r for r in config.get("required", []) if r != keys[0]]]
        entry["required"] = ["config", *[r for r in entry.get("required", []) if r != "config"]]
        schema["x-key"] = keys[0]
    return schema


def leaf(gen, node):
    schema = type_schema(node, node.search_one("type"))
    default = node.search_one("default")
    if default is not None:
        schema["default"] = typed_default(schema, default.arg)
    return annotate(gen, node, schema)


def leaf_list(gen, node):
    items = type_schema(node, node.search_one("type"))
    schema = {"type": "array", "items": items, "uniqueItems": True}
    schema["x-yang-type"] = items["x-yang-type"]
    return annotate(gen, node, schema)


def annotate(gen, node, schema):
    schema["x-yang-path"] = yang_path(node)
    text = description(node)
    if text:
        schema["description"] = text
    ext = node.search_one(IMPACT)
    if node.i_config is not False:
        if ext is None or ext.arg not in IMPACTS:
            raise SchemaError(node, f"config leaf needs pw-bgp-types:impact, one of {IMPACTS}")
        schema["x-impact"] = ext.arg
    return schema


def typed_default(schema, text):
    converters = {"integer": int, "boolean": lambda s: s == "true"}
    return converters.get(schema.get("type"), str)(text)


def type_chain(type_stmt):
    """The type statements from the leaf's own down to the builtin one."""
    chain = []
    while type_stmt is not None:
        chain.append(type_stmt)
        typedef = getattr(type_stmt, "i_typedef", None)
        type_stmt = typedef.search_one("type") if typedef is not None else None
    return chain


def type_schema(node, type_stmt):
    chain = type_chain(type_stmt)
    builtin = chain[-1].arg
    if builtin == "leafref":
        target = node.i_leafref_ptr[0]
        return type_schema(target, target.search_one("type"))
    producer = TYPES.get("integer" if builtin in INTEGERS else builtin)
    if producer is None:
        raise SchemaError(type_stmt, f"unsupported type {builtin!r}")
    schema = producer(node, chain)
    typedefs = [t.i_typedef.arg for t in chain if getattr(t, "i_typedef", None) is not None]
    named = builtin in INTEGERS or builtin == "boolean" or not typedefs
    schema["x-yang-type"] = builtin if named else typedefs[0]
    return schema


def integer_type(node, chain):
    spec = chain[0].i_type_spec
    ranges = getattr(spec, "ranges", None) or []
    if len(ranges) > 1:
        raise SchemaError(chain[0], "only a single range is supported")
    return {"type": "integer", "minimum": int(spec.min), "maximum": int(spec.max)}


def string_type(node, chain):
    schema = {"type": "string"}
    patterns = ["^(?:" + p.arg + ")$" for t in chain for p in t.search("pattern")]
    if len(patterns) == 1:
        schema["pattern"] = patterns[0]
    elif patterns:
        schema["allOf"] = [{"pattern": p} for p in patterns]
    length = next((t.search_one("length") for t in chain if t.search_one("length")), None)
    if length is not None:
        low, _, high = length.arg.partition("..")
        schema["minLength"] = int(low)
        schema["maxLength"] = int(high or low)
    fmt = next((FORMATS[t.i_typedef.arg] for t in chain if typedef_in(t, FORMATS)), None)
    if fmt:
        schema["format"] = fmt
    return schema


def typedef_in(type_stmt, names):
    typedef = getattr(type_stmt, "i_typedef", None)
    return typedef is not None and typedef.arg in names


def enumeration_type(node, chain):
    names = [name for name, _value in chain[0].i_type_spec.enums]
    return {"type": "string", "enum": names}


def boolean_type(node, chain):
    return {"type": "boolean"}


def union_type(node, chain):
    members = [type_schema(node, t) for t in chain[-1].search("type")]
    return {"anyOf": members}


TYPES = {
    "integer": integer_type,
    "string": string_type,
    "enumeration": enumeration_type,
    "boolean": boolean_type,
    "union": union_type,
}

PRODUCERS = {
    "container": container,
    "list": yang_list,
    "leaf": leaf,
    "leaf-list": leaf_list,
}
