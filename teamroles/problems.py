"""Content problems: what is wrong, in which file and which field.

Every loader reports problems instead of raising, so one broken file never
takes the app down: the app shows the problems and keeps the valid content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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


def display_path(path: Path, content_dir: Path) -> str:
    """The path as an author sees it: relative to the content folder's parent."""
    try:
        return path.relative_to(content_dir.parent).as_posix()
    except ValueError:
        return path.as_posix()


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


def parse_yaml(text: str, field: str = "yaml") -> object:
    """Parse YAML text; a syntax error becomes a ContentError with its line."""
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
    path: Path, content_dir: Path, model: type[M], read_fields: Callable[[Path], dict]
) -> tuple[M | None, list[Problem]]:
    """Read a content file's fields and validate them as `model`.

    A missing file gives (None, []); a file that cannot be read or validated
    gives (None, its problems). The model gets a `source` field: the file's path.
    """
    if not path.exists():
        return None, []
    shown = display_path(path, content_dir)
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
