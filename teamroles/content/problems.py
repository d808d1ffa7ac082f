"""Content problems: what is wrong, in which file and which field.

Every loader reports problems instead of raising, so one broken file never
takes the app down: the app shows the problems and keeps the valid content.

One policy for bad content, in every file: a file that cannot be read or does
not fit its model is left out whole; otherwise the smallest unit that holds a
bad reference or a repeated id (a list entry, a stage, a box, a row, a
question) is left out, the problem names it, and the rest is kept. The helpers
`unknown_role` and `duplicate_id` word those problems the same way everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file, printed as `path: field: message`."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised inside a loader for a problem that makes the whole file unusable."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def display_path(path: Path) -> str:
    """Where the file really is, as an author can open it: relative to the working
    folder when it lies inside it (`content/roles/qa.md`), else absolute (a
    content folder given by $TEAMROLES_CONTENT elsewhere)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class RoleNames(Protocol):
    """What the helpers need of `teamroles.content.roles.RoleIndex`."""

    def find(self, name: str) -> object | None: ...

    def unknown(self, name: str) -> str: ...


def unknown_role(path: str, field: str, name: str, roles: RoleNames, left_out: str) -> Problem:
    """A reference to a role that does not exist (or whose file is broken)."""
    return Problem(path, field, f"{roles.unknown(name)}; {left_out} is left out")


def known_roles(
    path: str, field: str, names: list[str], roles: RoleNames, problems: list[Problem]
) -> list[str]:
    """The names in the list `field` that find a role; each other one is added to
    `problems` as `field[i]` and left out."""
    kept = []
    for i, name in enumerate(names):
        if roles.find(name) is None:
            problems.append(unknown_role(path, f"{field}[{i}]", name, roles, "this entry"))
        else:
            kept.append(name)
    return kept


def duplicate_id(path: str, field: str, value: str, first_use: str, left_out: str) -> Problem:
    """An id (or name) used a second time in one place where it must be unique."""
    return Problem(path, field, f"'{value}' is already used by {first_use}; {left_out} is left out")


class FirstUse:
    """Remembers where each id was first used, for `duplicate_id`."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def where(self, value: str) -> str | None:
        """Where `value` was first used (case-insensitive), or None."""
        return self._first.get(value.lower())

    def claim(self, value: str, where: str) -> str | None:
        """None if `value` is new (and now claimed by `where`), else where it was first used."""
        first = self.where(value)
        if first is None:
            self._first[value.lower()] = where
        return first


def read_text(path: Path) -> str:
    """The file's text; bytes that are not UTF-8 become a ContentError."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            "encoding",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        ) from None


# libyaml's parser when PyYAML was built with it (its wheels are): about ten times
# faster than the pure-Python one, which cost a cold start about 100 ms of parsing.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, field: str = "yaml") -> object:
    """Parse YAML text; a syntax error becomes a ContentError with its line.

    Parsed with libyaml when it is there; a text it refuses is parsed again by the
    pure-Python parser, whose messages ("expected ',' or ']'") are the ones we show.
    """
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError(field, f"YAML does not parse{where}: {reason}") from None


def read_yaml_mapping(path: Path) -> dict:
    """A YAML file whose top level must be a mapping."""
    data = parse_yaml(read_text(path))
    if not isinstance(data, dict):
        raise ContentError("yaml", "the file must be a YAML mapping of fields")
    return data


def validate_file(
    path: Path, model: type[M], read_fields: Callable[[Path], dict]
) -> tuple[M | None, list[Problem]]:
    """Read a content file's fields and validate them as `model`.

    A missing file gives (None, []); a file that cannot be read or validated
    gives (None, its problems). The model gets a `source` field: the file's path.
    """
    if not path.exists():
        return None, []
    shown = display_path(path)
    try:
        return model.model_validate({**read_fields(path), "source": shown}), []
    except ContentError as exc:
        return None, [Problem(shown, exc.field, exc.message)]
    except ValidationError as exc:
        return None, validation_problems(shown, exc)


def field_name(loc: tuple, prefix: str = "") -> str:
    """Turn a pydantic error location into `questions[3].answer` style."""
    name = prefix
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "(file)"


def validation_problems(path: str, exc: ValidationError, prefix: str = "") -> list[Problem]:
    """One Problem per pydantic error, naming the field."""
    problems = []
    for error in exc.errors():
        message = error["msg"]
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        elif error["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        problems.append(Problem(path, field_name(error["loc"], prefix), message))
    return problems
