"""A deck as the presenter shows it: resolved slides, and a stable slide number.

No Streamlit and no Plotly here: the page (`/present`) and the HTML export both
draw a `Slide` from its fields, without looking the content up again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The kinds of slide a deck file may name, in the order docs/presenting.md gives them.
KINDS = (
    "title",
    "role",
    "what-vs-how",
    "journey",
    "stage",
    "debt",
    "matrix",
    "question",
    "term",
    "markdown",
    "live",
)
# The figure a slide draws (None: text only).
FIGURES = ("journey", "debt", "matrix")
# How long a slide of each kind takes to present, in minutes, when its entry gives no
# `minutes` of its own: a deck's duration is the sum over its slides (docs/presenting.md).
KIND_MINUTES: dict[str, float] = {
    "title": 0.5,
    "role": 1.5,
    "what-vs-how": 2,
    "journey": 2,
    "stage": 1,
    "debt": 2,
    "matrix": 2,
    "question": 2,
    "term": 1,
    "markdown": 1.5,
    "live": 3,
}
# A live question needs time to answer and to talk about: never in a deck's last slides.
LIVE_NOT_IN_LAST = 3


@dataclass(frozen=True)
class Slide:
    """One slide, ready to draw.

    - `number`: its place in the deck, from 1 (the `slide=` of a stable link).
    - `kind`: one of KINDS. `label`: a few words above the title ("Role", "Stage 3 of 6").
    - `title`: plain text. `body`: Markdown the room reads, short (one idea).
    - `notes`: Markdown speaker notes (the deck file's `notes`, else taken from the content).
    - `figure`: None, "journey", "debt" or "matrix"; `alt` one line saying what it shows,
      `in_words` the whole chart in Markdown (its text alternative).
    - `stage_id`: with figure "journey", the stage drawn as the current one.
    - `role_id`: the role of a `role` slide (its colour: `site.roles.get(role_id).color`).
    - `quiz_id`, `question_id`, `choices`, `answer`: for `question` and `live` slides.
    - `term`: the glossary term's name on a `term` slide.
    - `entry`: the slide's index in the file's `slides:` list (problems name `slides[entry]`).
    - `minutes`: how long it takes to present (the entry's `minutes`, else KIND_MINUTES).
    """

    number: int
    kind: str
    title: str
    body: str = ""
    notes: str = ""
    label: str = ""
    figure: str | None = None
    alt: str = ""
    in_words: str = ""
    stage_id: str | None = None
    role_id: str | None = None
    quiz_id: str | None = None
    question_id: str | None = None
    choices: tuple[str, ...] = ()
    answer: str | None = None
    term: str | None = None
    entry: int = 0
    minutes: float = 0

    @property
    def is_live(self) -> bool:
        return self.kind == "live"


@dataclass(frozen=True)
class Deck:
    """A deck from `content/decks/<id>.yaml`: never empty (a deck with no valid slide
    is left out with a problem)."""

    id: str
    title: str
    summary: str
    slides: tuple[Slide, ...]
    source: str
    description: str | None = None

    def __len__(self) -> int:
        return len(self.slides)

    def slide(self, number: object) -> Slide:
        """The slide at `number`, clamped: see `slide_at`."""
        return slide_at(self, number)

    @property
    def minutes(self) -> float:
        """How long the deck takes: the sum of its slides' minutes."""
        return sum(slide.minutes for slide in self.slides)

    def minutes_by_end_of(self, number: int) -> float:
        """The planned time when slide `number` ends: the minutes of it and those before."""
        return sum(slide.minutes for slide in self.slides[:number])


def clock(minutes: float) -> str:
    """Minutes as a clock reads them: 12.5 -> '12:30'."""
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


_SLIDE_PARAM = re.compile(r"#?\s*([+-]?[0-9]{1,12})")


def parse_slide_param(text: object) -> int | None:
    """A slide number as a link or a reader wrote it ("7", " 7 ", "#7", "-2"); None for
    anything else (empty, "seven", "7.5", a list, None). The number is not clamped."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if not isinstance(text, str):
        return None
    found = _SLIDE_PARAM.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def slide_at(deck: Deck, number: object) -> Slide:
    """The slide a link asks for, always one that exists: a number (or its text) below 1
    gives the first slide, beyond the end the last, and junk (None, "x") the first."""
    wanted = parse_slide_param(number)
    if wanted is None:
        wanted = 1
    return deck.slides[min(max(wanted, 1), len(deck.slides)) - 1]
