"""Markdown files with YAML front matter, the format of role pages and the glossary."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from teamroles.content_model import ContentModel
from teamroles.problems import ContentError, Problem, parse_yaml, read_text, validate_file

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)


def read_markdown(path: Path) -> tuple[dict, str]:
    """Split a file into its front matter (a mapping) and its Markdown body.

    Raises ContentError naming `encoding`, `front matter` or `body`.
    """
    text = read_text(path).lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(
            "front matter",
            "missing: the file must start with a line '---', then YAML fields, then '---'",
        )
    fields = parse_yaml(match.group(1), field="front matter")
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise ContentError("front matter", "must be a YAML mapping of fields")
    body = text[match.end() :].strip()
    if not body:
        raise ContentError("body", "empty: write the page's Markdown after the front matter")
    return fields, body


def slugify(text: str) -> str:
    """The anchor Streamlit gives a heading: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class TextPage(ContentModel):
    """A page of prose: title, one-line summary and a Markdown body."""

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    body: str
    source: str


def load_text_page(path: Path) -> tuple[TextPage | None, list[Problem]]:
    return validate_file(path, TextPage, markdown_fields)


def markdown_fields(path: Path) -> dict:
    """The front matter's fields plus the Markdown `body`."""
    fields, body = read_markdown(path)
    return {**fields, "body": body}
