"""The glossary: one Markdown file whose `## Term` headings are its entries."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from teamroles.content.markdown_files import read_markdown, slugify
from teamroles.content.model import ContentModel
from teamroles.content.problems import FirstUse, Problem, duplicate_id, validate_file

_TERM_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
# A definition may end "See also A, B." naming other terms; the page links them.
_SEE_ALSO = re.compile(r"(?<!\S)See also ([^.\n]+)\.\s*$")


class Term(BaseModel):
    model_config = ConfigDict(frozen=True)

    term: str
    definition: str

    @property
    def anchor(self) -> str:
        return slugify(self.term)

    @property
    def see_also(self) -> list[str]:
        """The terms the definition's closing "See also ..." names, as written."""
        found = _SEE_ALSO.search(self.definition)
        return [name.strip() for name in found.group(1).split(",")] if found else []

    def markdown(self, linked: dict[str, Term]) -> str:
        """The entry as Markdown: its heading, and "See also" names linked to the
        entries in `linked` (by lower-case name; others stay plain text)."""
        found = _SEE_ALSO.search(self.definition)
        definition = self.definition
        if found:
            names = []
            for name in self.see_also:
                target = linked.get(name.lower())
                names.append(f"[{name}](#{target.anchor})" if target else name)
            definition = definition[: found.start(1)] + ", ".join(names) + "."
        return f"### {self.term}\n\n{definition}"


class Glossary(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    terms: list[Term]
    source: str

    def markdown(self, shown: list[Term]) -> str:
        """The shown entries as one Markdown block, "See also" linking among them."""
        linked = {term.term.lower(): term for term in shown}
        return "\n\n".join(term.markdown(linked) for term in shown)

    def search(self, text: str) -> list[Term]:
        """Terms whose name or definition contains every word of `text`."""
        words = text.lower().split()
        return [
            term
            for term in self.terms
            if all(word in f"{term.term} {term.definition}".lower() for word in words)
        ]


def split_terms(body: str) -> list[Term]:
    headings = list(_TERM_HEADING.finditer(body))
    terms = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(body)
        terms.append(Term(term=heading.group(1), definition=body[heading.end() : end].strip()))
    return terms


def load_glossary(content_dir: Path) -> tuple[Glossary | None, list[Problem]]:
    """The glossary without the terms that have a problem (each one named)."""
    glossary, problems = validate_file(content_dir / "glossary.md", Glossary, _glossary_fields)
    if glossary is None:
        return None, problems
    path = glossary.source
    if not glossary.terms:
        return None, [Problem(path, "body", "no terms: give each term a '## Term' heading")]
    kept: list[Term] = []
    anchors = FirstUse()
    for term in glossary.terms:
        field = f"body: {term.term}"
        if not term.definition:
            problems.append(Problem(path, field, "the definition is empty; this term is left out"))
            continue
        first = anchors.claim(term.anchor, f"the term '{term.term}' above")
        if first:
            problems.append(duplicate_id(path, field, term.term, first, "this definition"))
            continue
        kept.append(term)
    if not kept:
        return None, problems
    names = {term.term.lower() for term in kept}
    for term in kept:
        for name in term.see_also:
            if name.lower() not in names:
                problems.append(
                    Problem(
                        path,
                        f"body: {term.term}",
                        f"'See also {name}' names no term of this glossary; it is shown "
                        "as plain text",
                    )
                )
    return glossary.model_copy(update={"terms": kept}), problems


def _glossary_fields(path: Path) -> dict:
    fields, body = read_markdown(path)
    return {**fields, "terms": split_terms(body)}
