"""The ``-f`` file is the speaker's one persistent store of its running config.

Theory of operation
-------------------
``peerwised -f FILE`` reads FILE at start (:meth:`ConfigFile.read`); SIGHUP reads it again and
applies the difference; and every commit to running — edit-config on running, ``commit``, a
confirmed commit once confirmed, the revert of an unconfirmed one — rewrites FILE in its own
format (:meth:`ConfigFile.write`) before the speaker acknowledges it. So an operator's edit of
the file is never ignored (SIGHUP or the next start applies it) and a change made through the
API is never lost (it is in the file before the reply says ok).

The write is atomic (POSIX rename): the text goes to a temporary file in the same directory,
is fsynced, renamed over FILE, and the directory is fsynced; the file that was replaced is kept
as ``FILE.prev`` the same way. A ``kill -9`` at any moment leaves FILE holding the old config or
the new one, never a mix. What is written is the config as configured (explicit values, RFC 7951
names, GoBGP spellings normalized); comments and formatting of a hand-written file are not
kept. TOML is written by :func:`dump_toml`, a small writer for the file shape (tables, arrays of
tables, scalars and arrays of scalars), since the standard library only reads TOML.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from peerwise.model import ConfigError, ConfigInvalid, normalize, parse, validate

Config = dict[str, Any]
PREVIOUS = ".prev"
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def dump_json(config: Config) -> str:
    return json.dumps(config, indent=2) + "\n"


def dump_yaml(config: Config) -> str:
    return str(yaml.safe_dump(config, sort_keys=False, default_flow_style=False))


def dump_toml(config: Config) -> str:
    """The file shape as TOML (TOML 1.0): scalars first, then tables, then arrays of tables."""
    lines: list[str] = []
    _toml_table(lines, [], config)
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_table(lines: list[str], prefix: list[str], table: Config) -> None:
    for key, value in table.items():
        if not isinstance(value, dict) and not _is_table_array(value):
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in table.items():
        name = ".".join(_toml_key(k) for k in [*prefix, key])
        if isinstance(value, dict):
            if not value or any(not isinstance(v, (dict, list)) or v == [] for v in value.values()):
                lines += ["", f"[{name}]"]
            _toml_table(lines, [*prefix, key], value)
        elif _is_table_array(value):
            for item in value:
                lines += ["", f"[[{name}]]"]
                _toml_table(lines, [*prefix, key], item)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL (TOML 1.0 "String")."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as TOML")


WRITERS: dict[str, Callable[[Config], str]] = {
    "json": dump_json,
    "yaml": dump_yaml,
    "yml": dump_yaml,
    "toml": dump_toml,
}


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``: temp file in the same directory, fsync, rename, fsync dir."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass(frozen=True)
class ConfigFile:
    """The ``-f`` file: ``fmt`` is toml, yaml, yml or json (default: the suffix)."""

    path: Path
    fmt: str

    @classmethod
    def of(cls, path: str | os.PathLike[str], fmt: str | None = None) -> ConfigFile:
        where = Path(path)
        chosen = (fmt or where.suffix.lstrip(".")).lower()
        if chosen not in WRITERS:
            known = ", ".join(WRITERS)
            message = f"{where}: unknown config format {chosen!r} (use {known}, or -t)"
            raise ConfigInvalid([ConfigError("", message)])
        return cls(where, chosen)

    def read(self) -> Config:
        """The config as configured (GoBGP spellings normalized); ConfigInvalid if refused."""
        config = normalize(parse(self.path.read_text(encoding="utf-8"), self.fmt))
        errors = validate(config)
        if errors:
            raise ConfigInvalid(errors)
        return config

    def write(self, config: Config) -> None:
        """Keep the current file as FILE.prev, then replace FILE with ``config``; both atomic."""
        text = WRITERS[self.fmt](config).encode("utf-8")
        mode = 0o600
        try:
            old = self.path.read_bytes()
            mode = self.path.stat().st_mode & 0o777
        except FileNotFoundError:
            old = None
        if old is not None and old != text:
            atomic_write(self.path.with_name(self.path.name + PREVIOUS), old, mode)
        if old != text:
            atomic_write(self.path, text, mode)

    def clean(self) -> None:
        """Remove temporary files a killed speaker left behind."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
