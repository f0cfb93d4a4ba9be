"""Config errors: one frozen value per problem, each naming the setting by its file-shape path."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConfigError:
    """One problem with a config: ``path`` in file shape (``neighbors[0].config.peer-as``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigInvalid(ValueError):
    """A config was refused; ``errors`` says why, each one a person can act on."""

    def __init__(self, errors: Iterable[ConfigError]) -> None:
        self.errors: list[ConfigError] = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def format_path(parts: Sequence[str | int]) -> str:
    """``["neighbors", 0, "config"]`` -> ``neighbors[0].config``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def join(path: str, key: str | int) -> str:
    """Extend a formatted path by one step."""
    return format_path([path, key]) if path else format_path([key])


def render(value: Any) -> str:
    """A value as the user wrote it: strings quoted, booleans lower-case, numbers plain."""
    if isinstance(value, str):
        return repr(value)
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def unique(errors: Iterable[ConfigError]) -> list[ConfigError]:
    """Drop repeats (a leaf can fail its pattern and its format), keeping the first order."""
    return list(dict.fromkeys(errors))
