"""Deck files: `content/decks/<id>.yaml`, a deck's slides in the order a facilitator wants.

The same policy as every other content file (`teamroles/content/problems.py`): a file that
cannot be read, or whose deck fields are wrong, is left out whole; otherwise a slide
entry with a problem (an unknown kind, a missing or unused field, a reference to
content that does not exist) is left out and named, and the rest of the deck is
kept. A deck with no valid slide left is left out too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, ValidationError

from teamroles.content.deck.model import KIND_MINUTES, KINDS, LIVE_NOT_IN_LAST, Deck, Slide, clock
from teamroles.content.deck.slides import RESOLVERS, Refused
from teamroles.content.model import ID_PATTERN, ContentModel
from teamroles.content.problems import (
    ContentError,
    FirstUse,
    Problem,
    display_path,
    duplicate_id,
    read_yaml_mapping,
    unknown_role,
    validation_problems,
)

if TYPE_CHECKING:
    from teamroles.content.site import Site

FOLDER = "decks"
LEFT_OUT = "this slide is left out"
# The fields each kind needs, and the ones it may have besides `kind`, `title` and `notes`.
REQUIRED: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "role": ("ref",),
    "stage": ("ref",),
    "question": ("ref",),
    "term": ("ref",),
    "markdown": ("title", "text"),
    "live": ("ref",),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "title": ("text",),
    "role": ("text",),
    "live": ("question",),
}
COMMON = ("title", "notes", "minutes")
FIELD_NAMES = ("kind", "ref", "question", "title", "text", "notes", "minutes")
# "about 30 minutes", "a 30-minute talk", "45 min": a duration a deck's words claim.
CLAIMED_MINUTES = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)[\s-]*min(?:ute)?s?\b", re.IGNORECASE)


class DeckFile(ContentModel):
    """A deck file's own fields; its slides are checked one by one."""

    id: str
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    description: str | None = Field(default=None, min_length=1)
    source: str


class SlideEntry(ContentModel):
    """One entry of `slides:` as written: which fields a kind needs is checked after."""

    kind: str = Field(min_length=1)
    ref: str | None = Field(default=None, min_length=1)
    question: str | None = Field(default=None, min_length=1)
    title: str | None = Field(default=None, min_length=1)
    text: str | None = Field(default=None, min_length=1)
    notes: str | None = Field(default=None, min_length=1)
    minutes: float | None = Field(default=None, gt=0, le=60)


def fields_of(kind: str) -> tuple[str, ...]:
    """Every field a slide of this kind may have, `kind` first."""
    return ("kind", *REQUIRED.get(kind, ()), *OPTIONAL.get(kind, ()), *COMMON)


def deck_paths(content_dir: Path) -> list[Path]:
    folder = content_dir / FOLDER
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def load_decks(content_dir: Path, site: Site) -> tuple[list[Deck], list[Problem]]:
    """Every usable deck in the content's `decks/` folder (none if there is no such
    folder), resolved against `site` (the rest of the content, already loaded), and a
    Problem for each thing wrong."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    ids = FirstUse()
    for path in deck_paths(content_dir):
        shown = display_path(path)
        deck, found = parse_deck(path, shown, site)
        problems += found
        if deck is None:
            continue
        first = ids.claim(deck.id, shown)
        if first:
            problems.append(duplicate_id(shown, "(file name)", deck.id, first, "this deck"))
            continue
        decks.append(deck)
    return decks, problems


def parse_deck(path: Path, shown: str, site: Site) -> tuple[Deck | None, list[Problem]]:
    """One deck file: the deck with its valid slides (None if unusable) and the problems."""
    deck_id = path.stem
    if not re.fullmatch(ID_PATTERN, deck_id):
        message = (
            f"'{path.name}': a deck's id is its file name, which must be lower-case words "
            "joined by '-', like 'the-team.yaml'; this deck is left out"
        )
        return None, [Problem(shown, "(file name)", message)]
    try:
        data = read_yaml_mapping(path)
    except ContentError as exc:
        return None, [Problem(shown, exc.field, exc.message)]
    raw_slides = data.pop("slides", None)
    try:
        deck_file = DeckFile.model_validate({**data, "id": deck_id, "source": shown})
    except ValidationError as exc:
        return None, validation_problems(shown, exc)
    if not isinstance(raw_slides, list) or not raw_slides:
        return None, [Problem(shown, "slides", "must be a non-empty list of slides")]
    problems: list[Problem] = []
    slides: list[Slide] = []
    for i, raw in enumerate(raw_slides):
        fields, found = _slide_fields(shown, i, raw, deck_file, site)
        problems += found
        if fields is not None:
            slides.append(Slide(number=len(slides) + 1, entry=i, **fields))
    slides, late = _live_too_late(shown, slides)
    problems += late
    if not slides:
        problems.append(Problem(shown, "slides", "no valid slide left: the deck is hidden"))
        return None, problems
    deck = Deck(
        id=deck_file.id,
        title=deck_file.title,
        summary=deck_file.summary,
        description=deck_file.description,
        slides=tuple(slides),
        source=shown,
    )
    if problems:
        # A slide left out shortens the talk: its own problem says why, and the duration
        # the words claim is checked again once every slide is back.
        return deck, problems
    wrong = claim_problem(deck, "summary")
    if wrong is not None:
        return None, [*problems, Problem(shown, "summary", f"{wrong}; this deck is left out")]
    wrong = claim_problem(deck, "description")
    if wrong is not None:
        problems.append(Problem(shown, "description", f"{wrong}; the description is left out"))
        deck = replace(deck, description=None)
        if deck.slides[0].kind == "title" and deck.slides[0].notes == deck_file.description:
            first = replace(deck.slides[0], notes=deck.summary)
            deck = replace(deck, slides=(first, *deck.slides[1:]))
    return deck, problems


def _live_too_late(path: str, slides: list[Slide]) -> tuple[list[Slide], list[Problem]]:
    """The slides without a live question among the last LIVE_NOT_IN_LAST (the room needs
    time to answer and talk it over), renumbered, and a Problem for each one left out."""
    problems = []
    while True:
        late = [s for s in slides[-LIVE_NOT_IN_LAST:] if s.is_live]
        if not late:
            break
        slide = late[-1]
        message = (
            f"a live question needs time for the room to answer and talk it over, so it "
            f"cannot be one of the deck's last {LIVE_NOT_IN_LAST} slides (this is slide "
            f"{slides.index(slide) + 1} of {len(slides)}); move it earlier; {LEFT_OUT}"
        )
        problems.append(Problem(path, f"slides[{slide.entry}].kind", message))
        slides = [s for s in slides if s is not slide]
    renumbered = [replace(s, number=i) for i, s in enumerate(slides, start=1)]
    return renumbered, problems[::-1]


def claimed_minutes(text: str | None) -> list[float]:
    """Every duration a text claims, in minutes ("about 30 minutes" -> [30.0])."""
    return [float(found) for found in CLAIMED_MINUTES.findall(text or "")]


def claim_holds(claimed: float, minutes: float) -> bool:
    """A claimed duration holds when it is within a tenth (or a minute) of the slides' sum."""
    return abs(claimed - minutes) <= max(1.0, 0.1 * minutes)


def claim_problem(deck: Deck, field: str) -> str | None:
    """What is wrong with the duration the deck's `field` claims (None: nothing)."""
    for claimed in claimed_minutes(getattr(deck, field)):
        if not claim_holds(claimed, deck.minutes):
            return (
                f"says {claimed:g} minutes, but its slides add up to {clock(deck.minutes)} "
                "(each slide's `minutes`, else its kind's usual time: docs/presenting.md)"
            )
    return None


def _slide_fields(
    path: str, index: int, raw: object, deck: DeckFile, site: Site
) -> tuple[dict | None, list[Problem]]:
    """The fields of a Slide for entry `index` (None if it is left out) and its problems."""
    where = f"slides[{index}]"
    if not isinstance(raw, dict):
        message = f"must be a mapping of fields (kind, ref...); {LEFT_OUT}"
        return None, [Problem(path, where, message)]
    kind = raw.get("kind")
    if isinstance(kind, str) and kind.strip() and kind.strip() not in KINDS:
        message = f"unknown kind '{kind.strip()}' (kinds: {', '.join(KINDS)}); {LEFT_OUT}"
        return None, [Problem(path, f"{where}.kind", message)]
    try:
        entry = SlideEntry.model_validate(raw)
    except ValidationError as exc:
        return None, [
            Problem(p.path, p.field, f"{p.message}; {LEFT_OUT}")
            for p in validation_problems(path, exc, prefix=where)
        ]
    allowed = fields_of(entry.kind)
    problems = [
        Problem(path, f"{where}.{name}", f"a '{entry.kind}' slide needs this field; {LEFT_OUT}")
        for name in REQUIRED.get(entry.kind, ())
        if getattr(entry, name) is None
    ]
    problems += [
        Problem(
            path,
            f"{where}.{name}",
            f"a '{entry.kind}' slide does not use this field (it takes: "
            f"{', '.join(allowed[1:])}); {LEFT_OUT}",
        )
        for name in FIELD_NAMES
        if name not in allowed and getattr(entry, name) is not None
    ]
    if problems:
        return None, problems
    try:
        fields = RESOLVERS[entry.kind](entry, site)
    except Refused as exc:
        field = f"{where}.{exc.field}"
        if exc.role_name is not None:
            return None, [unknown_role(path, field, exc.role_name, site.roles, "this slide")]
        return None, [Problem(path, field, f"{exc.message}; {LEFT_OUT}")]
    fields["minutes"] = entry.minutes if entry.minutes is not None else KIND_MINUTES[entry.kind]
    if entry.title:
        fields["title"] = entry.title
    if entry.notes:
        fields["notes"] = entry.notes
    elif entry.kind == "title":
        fields["notes"] = deck.description or deck.summary
    return {"kind": entry.kind, **fields}, []
