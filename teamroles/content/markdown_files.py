"""Markdown files with YAML front matter, the format of role pages and the glossary."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from pydantic import Field

from teamroles.content.model import ContentModel
from teamroles.content.problems import ContentError, Problem, parse_yaml, read_text, validate_file

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


@functools.lru_cache(maxsize=4096)  # a site's load asks for the same headings' slugs often
def slugify(text: str) -> str:
    """The anchor Streamlit's browser code gives a heading with this text.

    Streamlit 1.67 uses `@sindresorhus/slugify`: possessives lose their apostrophe
    ("customer's" -> "customers"), camel case splits ("DevOps" -> "dev-ops",
    "MLOps" -> "ml-ops"), then every run of other characters becomes one '-'.
    A browser test checks every anchor the content links to against the page.
    """
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = text.encode("ascii", "ignore").decode().replace("&", " and ")
    text = re.sub(r"([a-zA-Z\d]+)'([ts])(\s|$)", r"\1\2\3", text)
    text = re.sub(r"([A-Z]{2,})(\d+)", r"\1 \2", text)
    text = re.sub(r"([a-z\d]+)([A-Z]{2,})", r"\1 \2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-rt-z\d]+)", r"\1 \2", text)
    return re.sub(r"[^a-z\d]+", "-", text.lower()).strip("-")


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
