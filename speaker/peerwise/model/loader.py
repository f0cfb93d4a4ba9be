"""Reading a config file: parse (TOML, YAML, JSON), normalize GoBGP spellings, validate,
fill defaults. The result is the effective config in file shape, or :class:`ConfigInvalid`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .defaults import defaults
from .errors import ConfigError, ConfigInvalid
from .gobgp import normalize
from .validate import validate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found]


def _yaml(text: str) -> Any:
    return yaml.safe_load(text)


PARSERS: dict[str, Callable[[str], Any]] = {
    "toml": tomllib.loads,
    "yaml": _yaml,
    "yml": _yaml,
    "json": json.loads,
}
PARSE_ERRORS = (tomllib.TOMLDecodeError, yaml.YAMLError, json.JSONDecodeError)


def parse(text: str, fmt: str) -> dict[str, Any]:
    """Text -> the raw mapping it holds; a syntax error becomes ConfigInvalid."""
    parser = PARSERS.get(fmt.lower().lstrip("."))
    if parser is None:
        known = ", ".join(PARSERS)
        raise ConfigInvalid([ConfigError("", f"unknown config format {fmt!r} (use {known})")])
    try:
        data = parser(text)
    except PARSE_ERRORS as exc:
        raise ConfigInvalid([ConfigError("", f"not valid {fmt.upper()}: {exc}")]) from exc
    if data is None:  # an empty YAML document
        data = {}
    if not isinstance(data, dict):
        raise ConfigInvalid([ConfigError("", "a config is a table of settings at the top")])
    return data


def load_text(text: str, fmt: str) -> dict[str, Any]:
    """Parse, normalize, validate and fill defaults; raises ConfigInvalid with every error."""
    cfg = normalize(parse(text, fmt))
    errors = validate(cfg)
    if errors:
        raise ConfigInvalid(errors)
    return defaults(cfg)


def load_file(path: str | os.PathLike[str], fmt: str | None = None) -> dict[str, Any]:
    """Like :func:`load_text`; ``fmt`` defaults to the file's suffix (toml, yaml, yml, json)."""
    file = Path(path)
    chosen = fmt or file.suffix.lstrip(".")
    if not chosen:
        raise ConfigInvalid([ConfigError("", f"{file}: no suffix; say the format (-t)")])
    return load_text(file.read_text(encoding="utf-8"), chosen)
