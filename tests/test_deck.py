"""Presentation decks: the deck files, their slides, the HTML export and the `deck` command.

Expectations come from the loaded content (`load_site`), not from copies of it; the
deck naming one of every kind runs on the shipped content and on a copy grown by one
stage and one question (tests/content_variants.py).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from plotly.offline import get_plotlyjs

from teamroles.cli import main
from teamroles.content.deck import KINDS, Deck, parse_slide_param, slide_at
from teamroles.content.deck.load import LIVE_NOT_IN_LAST
from teamroles.content.deck.model import KIND_MINUTES, clock
from teamroles.content.deck.slides import as_label, choices_question, in_sentence, without_see_also
from teamroles.content.model import UnknownId
from teamroles.content.site import load_site
from teamroles.deck_export import export_html
from teamroles.navigation import site_pages
from tests import content_variants
from tests.apptest import open_app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = load_site(ROOT / "content")
SHIPPED_DECK = ROOT / "content" / "decks" / "the-team.yaml"
LEFT_OUT = "this slide is left out"


def write_deck(content_dir: Path, name: str, slides: list, **fields) -> Path:
    path = content_dir / "decks" / name
    path.parent.mkdir(exist_ok=True)
    data = {"title": "A deck", "summary": "For the tests.", **fields, "slides": slides}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def deck_problems(site) -> list[str]:
    """The problems of the deck files, as they read for the shipped folder (every path in
    a message too)."""
    shown = [str(p).replace(site.path_of(""), "content") for p in site.problems]
    return [p for p in shown if p.startswith("content/decks/")]


def entries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["slides"]


# ---------------------------------------------------------------- the shipped deck


def test_the_shipped_deck_loads_with_no_problem_and_keeps_every_entry():
    assert SHIPPED.problems == []
    deck = SHIPPED.deck("the-team")
    assert deck.source.endswith("content/decks/the-team.yaml")
    assert len(deck.slides) == len(entries(SHIPPED_DECK))
    assert [slide.number for slide in deck.slides] == list(range(1, len(deck.slides) + 1))
    assert [slide.entry for slide in deck.slides] == list(range(len(deck.slides)))


def test_the_shipped_deck_says_how_long_it_takes_and_the_slides_agree():
    """The duration is the sum of each slide's minutes (its entry's, else its kind's usual
    time, docs/presenting.md), and every duration the deck's words claim holds."""
    deck = SHIPPED.deck("the-team")
    recomputed = sum(
        entry.get("minutes", KIND_MINUTES[entry["kind"]]) for entry in entries(SHIPPED_DECK)
    )
    assert deck.minutes == pytest.approx(recomputed)
    assert [slide.minutes for slide in deck.slides] == [
        entry.get("minutes", KIND_MINUTES[entry["kind"]]) for entry in entries(SHIPPED_DECK)
    ]
    raw = yaml.safe_load(SHIPPED_DECK.read_text(encoding="utf-8"))
    claims = [
        float(n)
        for field in ("summary", "description")
        for n in re.findall(r"(\d+)[\s-]*minutes?", raw.get(field) or "")
    ]
    assert claims, "the deck says how long it takes"
    for claimed in claims:
        assert abs(claimed - recomputed) <= max(1.0, recomputed / 10), (claimed, recomputed)


def test_every_shipped_slide_shows_the_content_it_names():
    deck = SHIPPED.deck("the-team")
    raw = entries(SHIPPED_DECK)
    for slide in deck.slides:
        check_slide(SHIPPED, slide, raw[slide.entry])


def check_slide(site, slide, entry: dict) -> None:
    """The slide carries what its entry names, as the loaded content has it."""
    assert slide.kind == entry["kind"]
    assert slide.title, slide
    assert slide.minutes == entry.get("minutes", KIND_MINUTES[slide.kind])
    if "title" in entry:
        assert slide.title == entry["title"]
    if "notes" in entry:
        assert slide.notes == entry["notes"].strip()
    kind, ref = slide.kind, entry.get("ref")
    if kind in ("title", "markdown"):
        assert slide.body == entry.get("text", "").strip()
    elif kind == "role":
        role = site.roles.get(ref)
        assert slide.role_id == role.id and slide.title == entry.get("title", as_label(role))
        assert role.summary in slide.body
        if "text" in entry:
            assert entry["text"].strip() in slide.body
            assert role.responsibilities[0] not in slide.body
        else:
            assert role.responsibilities[0] in slide.body
        if role.key_question:
            assert role.key_question in slide.body
        if "notes" not in entry and role.misunderstandings:
            assert role.misunderstandings[0].fact in slide.notes
    elif kind == "what-vs-how":
        terms = {term.term: term for term in site.glossary.terms}
        for name in ("What", "How"):
            assert without_see_also(terms[name].definition) in slide.body
    elif kind == "journey":
        assert slide.figure == "journey" and slide.stage_id is None
        assert site.workflow.summary in slide.body
        assert slide.in_words and slide.alt
    elif kind == "stage":
        stage = site.workflow.stage(ref)
        assert slide.figure == "journey" and slide.stage_id == stage.id
        assert slide.title == entry.get("title", stage.title)
        assert stage.summary in slide.body and stage.artifact in slide.body
        assert f"**Leads:** {as_label(site.roles.find(stage.lead))}" in slide.body
        if "notes" not in entry:
            assert stage.details in slide.notes
    elif kind == "debt":
        assert slide.figure == "debt" and slide.in_words and slide.alt
        assert site.debt_figure.ml_code.label in slide.body
    elif kind == "matrix":
        assert slide.figure == "matrix" and slide.in_words and slide.alt
        assert site.responsibilities.activities[0].title in slide.in_words
    elif kind in ("question", "live"):
        quiz_id, _, question_id = ref.partition("/") if kind == "question" else (ref, "", "")
        quiz = next(quiz for quiz in site.quizzes if quiz.id == quiz_id)
        question = quiz.question(question_id or entry.get("question", quiz.questions[0].id))
        assert (slide.quiz_id, slide.question_id) == (quiz.id, question.id)
        assert slide.body == question.statement and slide.choices == tuple(quiz.choices)
        assert slide.answer == question.answer
        if "notes" not in entry:
            assert question.explanation in slide.notes and question.answer in slide.notes
        assert question.explanation not in slide.body
    elif kind == "term":
        term = next(t for t in site.glossary.terms if ref.lower() in (t.term.lower(), t.anchor))
        assert slide.term == term.term and slide.body in term.definition
    else:
        raise AssertionError(f"no check for the kind {kind!r}")


# ---------------------------------------------------------------- every kind


def every_kind(site) -> list[dict]:
    """One entry of each kind, naming content as the site has it (the last stage and
    question, so a grown copy's new ones are named)."""
    quiz = site.quizzes[0]
    last_question = quiz.questions[-1]
    term = site.glossary.terms[-1]
    return [
        {"kind": "title", "title": "Hello", "text": "A *subtitle*"},
        {"kind": "role", "ref": site.roles.roles[-1].aliases[0]},
        {"kind": "role", "ref": site.roles.roles[0].id, "text": "- In *our* words", "minutes": 2.5},
        {"kind": "what-vs-how"},
        {"kind": "journey"},
        {"kind": "stage", "ref": site.workflow.stages[-1].id, "title": "The last stage"},
        {"kind": "debt"},
        {"kind": "matrix", "notes": "Our own notes."},
        {"kind": "question", "ref": f"{quiz.id}/{last_question.id}"},
        {"kind": "live", "ref": site.quizzes[-1].id},
        {"kind": "live", "ref": quiz.id, "question": last_question.id},
        {"kind": "term", "ref": term.anchor},
        {"kind": "term", "ref": term.term.upper()},
        {"kind": "markdown", "title": "Over to you", "text": "- one\n- two"},
    ]


@pytest.fixture(scope="module", params=["shipped", "grown"])
def variant(request, tmp_path_factory) -> Path:
    """A copy of the content (grown by one of each thing for `grown`) with a deck that
    names one slide of every kind."""
    target = tmp_path_factory.mktemp(request.param) / "content"
    shutil.copytree(ROOT / "content", target)
    if request.param == "grown":
        content_variants.grow(target)
    write_deck(target, "every-kind.yaml", every_kind(load_site(target)))
    return target


def test_every_kind_of_slide_resolves_on_every_content_variant(variant):
    site = load_site(variant)
    assert site.problems == []
    deck = site.deck("every-kind")
    raw = entries(variant / "decks" / "every-kind.yaml")
    assert {slide.kind for slide in deck.slides} == set(KINDS)
    assert len(deck.slides) == len(raw)
    for slide in deck.slides:
        check_slide(site, slide, raw[slide.entry])
    assert deck.slides[5].stage_id == site.workflow.stages[-1].id
    assert deck.slides[0].notes == deck.summary  # a title slide's notes: the deck's words
    assert f"deck 'every-kind': {len(deck.slides)} slides" in _check_output(variant)


def _check_output(content_dir: Path) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["check", "--content", str(content_dir)]) == 0
    return out.getvalue()


def test_a_question_slide_asks_in_the_quizs_own_choices():
    assert choices_question(("What", "How")) == "What or How?"
    assert choices_question(("PM", "DS", "Dev", "QA")) == "PM, DS, Dev or QA?"


# ---------------------------------------------------------------- broken entries


def _stage_ids() -> str:
    return str(UnknownId("stage", "nope", [s.id for s in SHIPPED.workflow.stages]))


BROKEN_ENTRIES = {
    "unknown-kind": (
        {"kind": "video", "ref": "x"},
        "slides[1].kind",
        f"unknown kind 'video' (kinds: {', '.join(KINDS)}); {LEFT_OUT}",
    ),
    "no-kind": ({"ref": "qa"}, "slides[1].kind", f"required field is missing; {LEFT_OUT}"),
    "not-a-mapping": (
        "a slide",
        "slides[1]",
        f"must be a mapping of fields (kind, ref...); {LEFT_OUT}",
    ),
    "misspelt-field": (
        {"kind": "role", "ref": "qa", "note": "x"},
        "slides[1].note",
        f"unknown field (check its spelling); {LEFT_OUT}",
    ),
    "not-text": (
        {"kind": "markdown", "title": ["a"], "text": "x"},
        "slides[1].title",
        f"Input should be a valid string; {LEFT_OUT}",
    ),
    "missing-ref": (
        {"kind": "role"},
        "slides[1].ref",
        f"a 'role' slide needs this field; {LEFT_OUT}",
    ),
    "missing-text": (
        {"kind": "markdown", "title": "T"},
        "slides[1].text",
        f"a 'markdown' slide needs this field; {LEFT_OUT}",
    ),
    "unused-field": (
        {"kind": "journey", "ref": "build"},
        "slides[1].ref",
        f"a 'journey' slide does not use this field (it takes: title, notes, minutes); {LEFT_OUT}",
    ),
    "no-time": (
        {"kind": "journey", "minutes": 0},
        "slides[1].minutes",
        f"Input should be greater than 0; {LEFT_OUT}",
    ),
    "time-not-a-number": (
        {"kind": "journey", "minutes": "long"},
        "slides[1].minutes",
        "Input should be a valid number",
    ),
    "text-on-a-stage": (
        {"kind": "stage", "ref": "x", "text": "Our words"},
        "slides[1].text",
        "a 'stage' slide does not use this field",
    ),
    "unknown-role": (
        {"kind": "role", "ref": "Tester"},
        "slides[1].ref",
        f"unknown role 'Tester' (no role has this id or alias); {LEFT_OUT}",
    ),
    "unknown-stage": (
        {"kind": "stage", "ref": "nope"},
        "slides[1].ref",
        f"{_stage_ids()}; {LEFT_OUT}",
    ),
    "question-ref-without-slash": (
        {"kind": "question", "ref": "what-vs-how"},
        "slides[1].ref",
        "'what-vs-how' must be '<quiz id>/<question id>', like 'what-vs-how/wh-01'; " + LEFT_OUT,
    ),
    "unknown-quiz": (
        {"kind": "question", "ref": "nope/wh-01"},
        "slides[1].ref",
        "no quiz has the id 'nope'",
    ),
    "unknown-question": (
        {"kind": "question", "ref": f"{SHIPPED.quizzes[0].id}/zz-99"},
        "slides[1].ref",
        "no question has the id 'zz-99'",
    ),
    "unknown-live-question": (
        {"kind": "live", "ref": SHIPPED.quizzes[0].id, "question": "zz-99"},
        "slides[1].question",
        "no question has the id 'zz-99'",
    ),
    "unknown-term": (
        {"kind": "term", "ref": "Blockchain"},
        "slides[1].ref",
        "the glossary has no term 'Blockchain' (terms: ",
    ),
}


@pytest.mark.parametrize("case", BROKEN_ENTRIES)
def test_a_broken_entry_is_named_and_only_that_slide_is_left_out(content_copy, case):
    entry, field, message = BROKEN_ENTRIES[case]
    slides = [{"kind": "title", "title": "Before"}, entry, {"kind": "journey"}]
    write_deck(content_copy, "talk.yaml", slides)
    site = load_site(content_copy)
    [problem] = deck_problems(site)
    assert problem.startswith(f"content/decks/talk.yaml: {field}: {message}")
    assert problem.endswith(LEFT_OUT)
    deck = site.deck("talk")
    assert [(s.number, s.kind, s.entry) for s in deck.slides] == [
        (1, "title", 0),
        (2, "journey", 2),
    ]
    assert site.deck("the-team").slides == SHIPPED.deck("the-team").slides


def test_a_live_question_in_the_last_slides_is_refused_and_left_out(content_copy):
    """The room needs time to answer and talk it over: check refuses a live question
    among a deck's last LIVE_NOT_IN_LAST slides, and leaves only that slide out."""
    quiz = SHIPPED.quizzes[0]
    early = {"kind": "live", "ref": quiz.id}
    late = {"kind": "live", "ref": quiz.id, "question": quiz.questions[-1].id}
    text = [{"kind": "markdown", "title": f"Point {n}", "text": "x"} for n in range(3)]
    write_deck(content_copy, "fine.yaml", [{"kind": "title", "title": "T"}, early, *text])
    slides = [{"kind": "title", "title": "T"}, early, *text[:2], late, text[2]]
    write_deck(content_copy, "talk.yaml", slides)
    site = load_site(content_copy)
    assert deck_problems(site) == [
        "content/decks/talk.yaml: slides[4].kind: a live question needs time for the room "
        f"to answer and talk it over, so it cannot be one of the deck's last {LIVE_NOT_IN_LAST} "
        f"slides (this is slide 5 of 6); move it earlier; {LEFT_OUT}"
    ]
    deck = site.deck("talk")
    assert [(s.number, s.kind, s.entry) for s in deck.slides] == [
        (1, "title", 0),
        (2, "live", 1),
        (3, "markdown", 2),
        (4, "markdown", 3),
        (5, "markdown", 5),
    ]
    assert len(site.deck("fine").slides) == 5


def test_a_duration_the_deck_claims_must_be_what_its_slides_add_up_to(content_copy):
    slides = [
        {"kind": "title", "title": "T"},
        {"kind": "journey", "minutes": 4},
        {"kind": "markdown", "title": "M", "text": "x", "minutes": 5.5},
    ]
    total = KIND_MINUTES["title"] + 4 + 5.5  # 10 minutes
    write_deck(content_copy, "right.yaml", slides, description="A 10-minute talk.")
    write_deck(content_copy, "near.yaml", slides, description="About 11 minutes.")
    write_deck(content_copy, "long.yaml", slides, description="A talk of about 40 minutes.")
    write_deck(content_copy, "short.yaml", slides, summary="Five slides, 5 min.")
    site = load_site(content_copy)
    because = "(each slide's `minutes`, else its kind's usual time: docs/presenting.md)"
    assert sorted(deck_problems(site)) == [
        f"content/decks/long.yaml: description: says 40 minutes, but its slides add up to "
        f"{clock(total)} {because}; the description is left out",
        f"content/decks/short.yaml: summary: says 5 minutes, but its slides add up to "
        f"{clock(total)} {because}; this deck is left out",
    ]
    assert site.deck("right").minutes == total == site.deck("near").minutes
    long = site.deck("long")
    assert long.description is None and long.slides[0].notes == long.summary
    assert "short" not in [deck.id for deck in site.decks]


def test_the_planned_time_adds_up_slide_by_slide():
    deck = SHIPPED.deck("the-team")
    assert deck.minutes_by_end_of(0) == 0
    assert deck.minutes_by_end_of(len(deck)) == deck.minutes
    assert deck.minutes_by_end_of(2) == deck.slides[0].minutes + deck.slides[1].minutes
    assert clock(12.5) == "12:30" and clock(0.25) == "0:15" and clock(30) == "30:00"


@pytest.mark.parametrize(
    ("title", "aliases", "named", "label"),
    [
        ("Dev Team", ["Dev", "Developer"], "the Dev team", "Dev team"),
        ("Dev team", ["Dev"], "the Dev team", "Dev team"),
        ("Product Manager", ["PM"], "the product manager", "Product manager"),
        ("Data scientist", ["DS"], "the data scientist", "Data scientist"),
        ("QA", ["QA"], "QA", "QA"),
    ],
)
def test_a_role_in_a_sentence_is_a_common_noun(title, aliases, named, label):
    role = SimpleNamespace(title=title, aliases=aliases)
    assert in_sentence(role) == named and as_label(role) == label


@pytest.mark.parametrize(
    ("name", "kind", "lost"),
    [
        ("hidden_debt.yaml", "debt", "the hidden technical debt figure"),
        ("responsibilities.yaml", "matrix", "the who-owns-what matrix"),
        ("workflow.yaml", "journey", "the journey of a feature"),
    ],
)
def test_a_slide_whose_content_file_is_gone_is_left_out_and_says_why(
    content_copy, name, kind, lost
):
    (content_copy / name).unlink()
    site = load_site(content_copy)
    raw = entries(content_copy / "decks" / "the-team.yaml")
    gone = [i for i, entry in enumerate(raw) if entry["kind"] in (kind, "stage")]
    if kind != "journey":
        gone = [i for i in gone if raw[i]["kind"] == kind]
    expected = [
        f"content/decks/the-team.yaml: slides[{i}].kind: {lost} is not available: "
        f"content/{name} is missing; {LEFT_OUT}"
        for i in gone
    ]
    assert sorted(deck_problems(site)) == sorted(expected)
    assert len(site.deck("the-team").slides) == len(raw) - len(gone)


def test_a_deck_file_that_cannot_be_parsed_is_named_and_everything_else_loads(
    monkeypatch, content_copy
):
    (content_copy / "decks" / "broken.yaml").write_text("title: [unclosed\nslides: x\n")
    site = load_site(content_copy)
    [problem] = deck_problems(site)
    assert problem.startswith("content/decks/broken.yaml: yaml: YAML does not parse at line")
    assert [deck.id for deck in site.decks] == ["the-team"]
    assert site.deck("the-team").slides == SHIPPED.deck("the-team").slides
    assert len(site.roles) == len(SHIPPED.roles)
    assert site.workflow.stages == SHIPPED.workflow.stages
    assert site_pages(site) == site_pages(SHIPPED)
    at = open_app(monkeypatch, content_copy)
    assert not at.exception
    assert str(site.problems[0]) in at.code[0].value


@pytest.mark.parametrize(
    ("name", "text", "field", "message"),
    [
        ("no-title.yaml", "summary: S\nslides: [{kind: journey}]\n", "title", "required field"),
        ("no-slides.yaml", "title: T\nsummary: S\n", "slides", "must be a non-empty list"),
        ("list.yaml", "- kind: journey\n", "yaml", "the file must be a YAML mapping"),
        ("typo.yaml", "title: T\nsumary: S\nslides: [{kind: journey}]\n", "sumary", "unknown"),
        (
            "empty.yaml",
            "title: T\nsummary: S\nslides: [{kind: nope}]\n",
            "slides",
            "no valid slide left: the deck is hidden",
        ),
        ("Our Talk.yaml", "title: T\nsummary: S\nslides: [{kind: journey}]\n", "(file name)", ""),
    ],
)
def test_a_deck_that_cannot_be_used_is_left_out_whole(content_copy, name, text, field, message):
    (content_copy / "decks" / name).write_text(text, encoding="utf-8")
    site = load_site(content_copy)
    found = [p for p in deck_problems(site) if p.startswith(f"content/decks/{name}: {field}: ")]
    assert found and message in found[0], deck_problems(site)
    assert [deck.id for deck in site.decks] == ["the-team"]


def test_the_same_id_twice_keeps_the_first_file(content_copy):
    shutil.copy(content_copy / "decks" / "the-team.yaml", content_copy / "decks" / "the-team.yml")
    site = load_site(content_copy)
    assert deck_problems(site) == [
        "content/decks/the-team.yml: (file name): 'the-team' is already used by "
        "content/decks/the-team.yaml; this deck is left out"
    ]
    assert [deck.id for deck in site.decks] == ["the-team"]


def test_no_decks_folder_means_no_decks_and_no_problem(content_copy):
    shutil.rmtree(content_copy / "decks")
    site = load_site(content_copy)
    assert site.decks == [] and site.problems == []
    with pytest.raises(KeyError, match="no deck has the id 'the-team'"):
        site.deck("the-team")


# ---------------------------------------------------------------- stable links


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), (" 7 ", 7), ("#7", 7), ("-2", -2), ("+3", 3), ("0", 0), (7, 7)],
)
def test_a_slide_number_is_read_from_a_link(text, number):
    assert parse_slide_param(text) == number


@pytest.mark.parametrize("junk", ["", "seven", "7.5", "1e3", "7a", None, [], True, "٣", "9" * 40])
def test_junk_is_no_slide_number(junk):
    assert parse_slide_param(junk) is None


def test_slide_at_clamps_to_a_slide_that_exists():
    deck = SHIPPED.deck("the-team")
    last = len(deck.slides)
    assert slide_at(deck, 7) is deck.slides[6] and slide_at(deck, "7").number == 7
    assert slide_at(deck, 0).number == 1 and slide_at(deck, -5).number == 1
    assert slide_at(deck, last + 1).number == last and slide_at(deck, "999999").number == last
    for junk in (None, "x", "", "7.5", [], "9" * 40):
        assert slide_at(deck, junk).number == 1
    assert deck.slide(3) is slide_at(deck, 3)


# ---------------------------------------------------------------- the export


class Tags(HTMLParser):
    """Every start tag with its attributes; a <script>'s text is data, not tags."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def exported() -> str:
    return export_html(SHIPPED.deck("the-team"), SHIPPED, notes=True)


def sections(text: str) -> list[str]:
    return re.split(r'(?=<section class="slide )', text)[1:]


def test_the_export_holds_every_slide_with_its_title(exported):
    deck = SHIPPED.deck("the-team")
    parts = sections(exported)
    assert len(parts) == len(deck.slides)
    for slide, part in zip(deck.slides, parts, strict=True):
        assert f'id="slide-{slide.number}"' in part
        assert f'<h2 class="slide-title">{escaped(slide.title)}</h2>' in part
        if slide.notes:
            assert '<aside class="notes"' in part
        if slide.figure:
            assert 'class="plot" role="img"' in part and escaped(slide.alt) in part
        for choice in slide.choices:
            assert f"<li>{escaped(choice)}</li>" in part
    tags = Tags(exported).tags
    assert ("html", {"lang": "en"}) in tags
    assert f"<title>{escaped(deck.title)}</title>" in exported


def escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_the_export_loads_nothing_from_anywhere(exported):
    for tag, attrs in Tags(exported).tags:
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
        assert tag not in ("img", "link", "iframe", "object", "embed"), (tag, attrs)
    assert "default-src 'none'" in exported  # the Content-Security-Policy forbids it too
    assert "@import" not in exported and "url(" not in exported.split("<script>")[0]


def test_the_export_embeds_plotly_js_once_and_draws_every_chart(exported):
    scripts = Tags(exported).scripts
    plotly_js = get_plotlyjs()
    assert sum(plotly_js in script for script in scripts) == 1
    assert exported.count(plotly_js[:4000]) == 1
    charts = [s for s in SHIPPED.deck("the-team").slides if s.figure]
    keys = re.findall(r'data-figure="([^"]+)"', exported)
    assert len(keys) == len(charts)
    figures = next(script for script in scripts if "const FIGURES" in script)
    for key in set(keys):
        assert f'"{key}":{{"data":' in figures


def test_the_export_without_notes_has_none(exported):
    bare = export_html(SHIPPED.deck("the-team"), SHIPPED, notes=False)
    assert '<aside class="notes"' not in bare and 'id="notes-button"' not in bare
    assert 'id="notes-button"' in exported
    assert len(sections(bare)) == len(sections(exported))


def test_the_export_shows_html_in_content_as_text(content_copy):
    write_deck(
        content_copy,
        "tricky.yaml",
        [
            {
                "kind": "markdown",
                "title": "<script>alert('title')</script>",
                "text": "**bold** <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
                "[the paper](https://example.org/paper) ![a chart](https://example.org/a.png)",
                "notes": "</script><script>alert(3)</script>",
            }
        ],
        title="Deck </title><script>alert(4)</script>",
    )
    site = load_site(content_copy)
    deck: Deck = site.deck("tricky")
    text = export_html(deck, site, notes=True)
    assert "<strong>bold</strong>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "&lt;/script&gt;&lt;script&gt;alert(3)" in text
    assert "<title>Deck &lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>" in text
    for n in range(1, 5):
        assert f"alert({n})</script>" not in text
    assert "the paper" in text and "(https://example.org/paper)" in text
    assert 'href="https://example.org' not in text and "<img" not in text
    assert "alert('title')" not in text


# ---------------------------------------------------------------- the command


def test_deck_list_names_every_deck_with_its_slides(capsys):
    assert main(["deck", "list", "--content", str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    for deck in SHIPPED.decks:
        assert re.search(rf"^{deck.id}\s+{len(deck.slides)} slides\s+{deck.title}$", out, re.M)


def test_deck_export_writes_the_file(tmp_path, capsys):
    out = tmp_path / "deck.html"
    args = ["deck", "export", "the-team", "--out", str(out), "--content", str(ROOT / "content")]
    assert main([*args, "--notes"]) == 0
    deck = SHIPPED.deck("the-team")
    assert f"Wrote deck 'the-team' ({len(deck.slides)} slides" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert len(sections(text)) == len(deck.slides) and '<aside class="notes"' in text
    assert main(args) == 0
    assert '<aside class="notes"' not in out.read_text(encoding="utf-8")


def test_deck_export_of_an_unknown_id_names_the_decks_and_exits_2(tmp_path, capsys):
    out = tmp_path / "deck.html"
    code = main(["deck", "export", "no-such-deck", "--out", str(out)])
    assert code == 2
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert "'no-such-deck'" in line
    for deck in SHIPPED.decks:
        assert deck.id in line
    assert not out.exists()


def test_check_reports_the_decks(capsys):
    assert main(["check", "--content", str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    for deck in SHIPPED.decks:
        assert f"deck '{deck.id}': {len(deck.slides)} slides" in out


def test_a_slide_naming_content_left_out_for_its_own_problem_points_at_it(content_copy):
    """A stage, a question or a quiz that its own file leaves out, and a figure file with a
    problem: the slide's message points at that file's own line, not at a typo."""
    stage = SHIPPED.workflow.stages[0]
    workflow = content_copy / "workflow.yaml"
    workflow.write_text(
        workflow.read_text(encoding="utf-8").replace(f"lead: {stage.lead}", "lead: Nobody", 1)
    )
    quiz, other = SHIPPED.quizzes[0], SHIPPED.quizzes[1]
    question = quiz.questions[1]
    quiz_file = content_copy / "quizzes" / Path(quiz.source).name
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(f"role: {question.role}", "role: Nobody", 1)
    )
    (content_copy / "quizzes" / Path(other.source).name).write_text(f"id: {other.id}\n")
    (content_copy / "hidden_debt.yaml").write_text("title: [unclosed\n")
    write_deck(
        content_copy,
        "talk.yaml",
        [
            {"kind": "stage", "ref": stage.id},
            {"kind": "question", "ref": f"{quiz.id}/{question.id}"},
            {"kind": "live", "ref": other.id},
            {"kind": "debt"},
            {"kind": "journey"},
        ],
    )
    site = load_site(content_copy)
    problems = [p for p in deck_problems(site) if p.startswith("content/decks/talk.yaml")]
    stage_index = [s.id for s in SHIPPED.workflow.stages].index(stage.id)
    question_index = quiz.question_ids.index(question.id)
    assert problems == [
        f"content/decks/talk.yaml: slides[0].ref: stage '{stage.id}' is not available "
        f"(see content/workflow.yaml: stages[{stage_index}]); {LEFT_OUT}",
        f"content/decks/talk.yaml: slides[1].ref: question '{question.id}' is not available "
        f"(see content/quizzes/{Path(quiz.source).name}: questions[{question_index}]); " + LEFT_OUT,
        f"content/decks/talk.yaml: slides[2].ref: quiz '{other.id}' is not available "
        f"(see content/quizzes/{Path(other.source).name}); {LEFT_OUT}",
        "content/decks/talk.yaml: slides[3].kind: the hidden technical debt figure is not "
        f"available: content/hidden_debt.yaml has a problem (see its own line); {LEFT_OUT}",
    ]
    assert [slide.kind for slide in site.deck("talk").slides] == ["journey"]
