"""The base of every content model, the id pattern, and one way to look things up by id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

# Ids in content files, which also become URL parts and anchors: `dev-team`, `wh-01`.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

T = TypeVar("T")


class ContentModel(BaseModel):
    """Strict: a misspelt field is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class UnknownId(KeyError):
    """A look-up by an id that the content does not have (a stage, a box, a question...).

    A KeyError, so `except KeyError` still catches it, but its message names
    what was looked for and which ids exist.
    """

    def __init__(self, kind: str, wanted: str, known: Iterable[str]):
        known = list(known)
        shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        self.kind, self.wanted, self.known = kind, wanted, known
        self.message = f"no {kind} has the id '{wanted}' (known: {shown or 'none'})"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def by_id(items: Iterable[T], wanted: str, kind: str) -> T:
    """The item whose `id` is `wanted`; UnknownId naming `kind` and the id otherwise."""
    items = list(items)
    for item in items:
        if item.id == wanted:
            return item
    raise UnknownId(kind, wanted, [item.id for item in items])
