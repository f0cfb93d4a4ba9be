"""Validation: the generated JSON Schema first, then the semantic rules (rules.py).

jsonschema's messages speak of JSON ("is not of type 'integer'"); the table ``TRANSLATORS``
turns each failed keyword into a message in the model's words, using the annotations the
generator left on the failing node (``x-yang-type``, ranges, enums).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from .defaults import defaults
from .errors import ConfigError, format_path, join, render, unique
from .gobgp import GOBGP_ONLY
from .rules import semantic_errors
from .schema import Schema, config_schema, is_leaf, properties, state_schema

# How to name a leaf's type in "X is not <this>".
TYPE_NAMES = {
    "ipv4-address": "an IPv4 address",
    "ipv6-address": "an IPv6 address",
    "ip-address": "an IP address",
    "dotted-quad": "a dotted-quad (like 192.0.2.1)",
    "boolean": "a boolean (true or false)",
    "string": "a string",
}
INTEGER_RANGES = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
CONTAINER_TYPES = {"object": "expected a table of settings", "array": "expected a list"}


def validate(cfg: Mapping[str, Any]) -> list[ConfigError]:
    """Every problem with ``cfg`` (file shape); empty when the speaker can run it.

    The semantic rules run only on a config that passes the schema, with defaults filled in.
    """
    errors = schema_errors(cfg)
    return errors if errors else semantic_errors(defaults(cfg))


def schema_errors(cfg: Mapping[str, Any]) -> list[ConfigError]:
    """The JSON Schema's verdict, in the model's words, ordered by path."""
    found = sorted(_validator().iter_errors(cfg), key=_order)
    return unique(error for found_error in found for error in _translate(found_error))


@functools.cache
def _validator() -> Draft202012Validator:
    schema = config_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _order(error: ValidationError) -> tuple[tuple[int, str, int], ...]:
    return tuple(
        (0, "", part) if isinstance(part, int) else (1, str(part), 0)
        for part in error.absolute_path
    )


def _translate(error: ValidationError) -> Iterator[ConfigError]:
    path = format_path(list(error.absolute_path))
    translator = TRANSLATORS.get(str(error.validator), _leaf_value)
    yield from translator(path, error)


def type_name(schema: Schema) -> str:
    name = str(schema["x-yang-type"])
    return TYPE_NAMES.get(name, f"a {name}")


def _leaf_value(path: str, error: ValidationError) -> Iterator[ConfigError]:
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    if "enum" in schema:
        yield from _enum(path, error)
    elif is_leaf(schema):
        yield ConfigError(path, f"{render(error.instance)} is not {type_name(schema)}")
    else:
        wanted = CONTAINER_TYPES.get(str(schema.get("type")), "unexpected value")
        yield ConfigError(path, f"{wanted}, got {render(error.instance)}")


def _range(path: str, error: ValidationError) -> Iterator[ConfigError]:
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    low, high = schema.get("minimum"), schema.get("maximum")
    name = str(schema.get("x-yang-type"))
    value = render(error.instance)
    if INTEGER_RANGES.get(name) == (low, high):
        yield ConfigError(path, f"{value} is not {type_name(schema)} ({low}..{high})")
    else:
        yield ConfigError(path, f"{value} is out of range {low}..{high}")


def _enum(path: str, error: ValidationError) -> Iterator[ConfigError]:
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = ", ".join(repr(name) for name in schema.get("enum", []))
    yield ConfigError(path, f"{render(error.instance)} is not one of {allowed}")


def _unknown(path: str, error: ValidationError) -> Iterator[ConfigError]:
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    known = properties(schema)
    instance: Any = error.instance
    for key in instance:
        if key not in known:
            hint = " (a GoBGP setting Peerwise does not support yet)" if key in GOBGP_ONLY else ""
            yield ConfigError(join(path, str(key)), f"unknown setting {render(key)}{hint}")


def _missing(path: str, error: ValidationError) -> Iterator[ConfigError]:
    instance: Any = error.instance
    wanted: Any = error.validator_value
    for key in wanted:
        if isinstance(instance, dict) and key not in instance:
            yield ConfigError(join(path, key), f"missing mandatory setting {render(key)}")


def _duplicates(path: str, error: ValidationError) -> Iterator[ConfigError]:
    yield ConfigError(path, "has duplicate entries")


def _length(path: str, error: ValidationError) -> Iterator[ConfigError]:
    """A string of the wrong length; the value is not echoed (it may be a password)."""
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    size = len(error.instance) if isinstance(error.instance, str) else 0
    bounds = f"{low}..{high}" if high is not None else f"at least {low}"
    yield ConfigError(path, f"a string of {size} characters is not allowed here ({bounds})")


Translator = Callable[[str, ValidationError], Iterator[ConfigError]]
TRANSLATORS: dict[str, Translator] = {
    "minimum": _range,
    "maximum": _range,
    "enum": _enum,
    "additionalProperties": _unknown,
    "required": _missing,
    "uniqueItems": _duplicates,
    "minLength": _length,
    "maxLength": _length,
    # type, pattern, format, anyOf: "X is not <type>" (_leaf_value)
}


def state_errors(tree: Mapping[str, Any]) -> list[ConfigError]:
    """Check a state tree (file shape, config and state) against the state schema."""
    found = sorted(_state_validator().iter_errors(tree), key=_order)
    return unique(error for found_error in found for error in _translate(found_error))


@functools.cache
def _state_validator() -> Draft202012Validator:
    checker = Draft202012Validator.FORMAT_CHECKER
    return Draft202012Validator(state_schema(), format_checker=checker)
