"""The worked example: one ML feature followed through every stage of the journey.

Content lives in the content's `example/` folder:

- `example.yaml`: the title, the product and the feature, an introduction, one entry per
  stage of the journey (`stage` names a stage id of `workflow.yaml`) saying who does what,
  what is decided, what is handed on (document ids), what production needs it meets and
  what goes wrong when a role oversteps, and a few cases of "when roles disagree".
- `documents/<id>.md`: the hand-off documents, Markdown with front matter (`title`,
  `author`: a role, `to`: roles, `summary`). The file name is the document's id.

The key numbers are given once, in `figures:`, and the texts cite them with placeholders
(`{late_share:%}`), filled in at load; a few more are derived from them in code (`DERIVED`,
such as the share of invoices flagged) and the figures must agree with each other
(`RULES`, such as that share falling inside the alert band). Each example stage inherits
the `activities` of its journey stage, and a role's part, decision or "who decides" must
agree with the who-owns-what matrix (`Responsibilities.disagreement`).

The loader follows the one policy of `teamroles.content.problems`: a file that cannot be used is
left out whole; otherwise the smallest unit that holds a bad reference, a repeated id, an
unknown figure or a contradiction (a list entry, a stage, a document, a case, a figure) is
left out and named. No Streamlit here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from teamroles.content.markdown_files import markdown_fields, slugify
from teamroles.content.model import ID_PATTERN, ContentModel, by_id
from teamroles.content.problems import (
    ContentError,
    FirstUse,
    Problem,
    display_path,
    duplicate_id,
    read_yaml_mapping,
    unknown_role,
    validate_file,
)
from teamroles.content.responsibilities import Responsibilities
from teamroles.content.roles import RoleIndex
from teamroles.content.workflow import Workflow

FOLDER = "example"
FILE_NAME = "example.yaml"
DOCUMENTS = "documents"
URL_PATH = "example"  # the page's URL path (teamroles.navigation)
DISAGREE_HEADING = "When roles disagree"
# What a model needs once it is part of a product (Tyna Hope, "Product Integration", 2021).
NEEDS = ("Automated", "Monitored", "Repeatable", "Scalable", "Reliable")
NEEDS_SOURCE = "Tyna Hope, *Product Integration* (2021)"


class Part(ContentModel):
    """One role's part at a stage: what they do."""

    role: str = Field(min_length=1)
    does: str = Field(min_length=1)


class Decision(ContentModel):
    role: str = Field(min_length=1)
    decides: str = Field(min_length=1)
    # The activity of responsibilities.yaml this decides; the role must lead it.
    activity: str | None = Field(default=None, pattern=ID_PATTERN)


class Overstep(ContentModel):
    """A role doing another's job at this stage, and what it costs."""

    role: str = Field(min_length=1)
    does: str = Field(min_length=1)
    cost: str = Field(min_length=1)


class Need(ContentModel):
    """One of the production needs, met at this stage, and how."""

    need: Literal["Automated", "Monitored", "Repeatable", "Scalable", "Reliable"]
    how: str = Field(min_length=1)


class ExampleStage(ContentModel):
    stage: str = Field(pattern=ID_PATTERN)
    # The section's heading; its anchor is slugify(heading). Default: the journey's title.
    title: str | None = Field(default=None, min_length=1)
    story: str = Field(min_length=1)
    who: list[Part] = Field(min_length=1)
    decisions: list[Decision] = []
    hands_on: list[str] = []
    needs: list[Need] = []
    oversteps: list[Overstep] = []


class Disagreement(ContentModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    case: str = Field(min_length=1)
    decides: str = Field(min_length=1)
    why: str = Field(min_length=1)
    # The activity of responsibilities.yaml the case is about; `decides` must lead it.
    activity: str | None = Field(default=None, pattern=ID_PATTERN)


class Document(ContentModel):
    """A hand-off document, from `documents/<id>.md`."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    to: list[str] = []
    summary: str = Field(min_length=1)
    body: str
    source: str

    @property
    def anchor(self) -> str:
        return slugify(self.title)


@dataclass(frozen=True)
class Section:
    """A place on the example page a link can point at."""

    anchor: str
    heading: str


class Example(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    product: str = Field(min_length=1)
    feature: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    # The key numbers, each given once (a number or a date); after loading, the derived
    # figures too. Texts cite them as `{name}` or `{name:format}`.
    figures: dict[str, Any] = {}
    stages: list[ExampleStage] = Field(min_length=1)
    disagreements: list[Disagreement] = []
    documents: list[Document] = []
    # The journey's stage titles by id, for headings that default to them.
    stage_titles: dict[str, str] = {}
    source: str

    def heading(self, stage: ExampleStage) -> str:
        return stage.title or self.stage_titles.get(stage.stage, stage.stage)

    def anchor(self, stage: ExampleStage) -> str:
        return slugify(self.heading(stage))

    def for_stage(self, stage_id: str) -> ExampleStage | None:
        """The example's section for a journey stage, if it has one."""
        return next((stage for stage in self.stages if stage.stage == stage_id), None)

    def document(self, document_id: str) -> Document:
        return by_id(self.documents, document_id, "document")

    def sections(self) -> list[Section]:
        """Every heading a link can point at: the stages, the disagreements, the documents."""
        found = [Section(self.anchor(stage), self.heading(stage)) for stage in self.stages]
        if self.disagreements:
            found.append(Section(slugify(DISAGREE_HEADING), DISAGREE_HEADING))
        found += [Section(doc.anchor, doc.title) for doc in self.documents]
        return found

    def anchors(self) -> dict[str, str]:
        """anchor -> heading, as `role_page.anchors` gives them for a role page."""
        return {section.anchor: section.heading for section in self.sections()}

    def href(self, stage_id: str) -> str | None:
        """`/example#specification` for a journey stage the example covers, else None."""
        stage = self.for_stage(stage_id)
        return f"/{URL_PATH}#{self.anchor(stage)}" if stage else None

    def role_parts(self, role_id: str, roles: RoleIndex) -> list[tuple[ExampleStage, str]]:
        """The stages where the role has a part, with what it does there."""
        found = []
        for stage in self.stages:
            for part in stage.who:
                role = roles.find(part.role)
                if role is not None and role.id == role_id:
                    found.append((stage, part.does))
        return found


# ---------------------------------------------------------------- Markdown for the page


def role_name(roles: RoleIndex, name: str) -> str:
    role = roles.find(name)
    return role.title if role else name


def the_role(roles: RoleIndex, name: str) -> str:
    """'the Data Scientist', but 'QA': an acronym takes no article (as figures.style.the)."""
    title = role_name(roles, name)
    return title if title.isupper() else f"the {title}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def stage_markdown(example: Example, stage: ExampleStage, workflow: Workflow, roles: RoleIndex):
    """One stage's section as one Markdown text: heading, story, parts, decisions,
    what it hands on, production needs and oversteps. The documents follow it."""
    ids = [s.id for s in workflow.stages]
    journey = workflow.stage(stage.stage)
    lead = the_role(roles, journey.lead)
    lines = [
        f"## {example.heading(stage)}",
        f"*Stage {ids.index(stage.stage) + 1} of {len(ids)} of the journey, led by {lead}.*",
        "",
        stage.story,
        "",
        "**Who does what**",
        "",
        *(f"- **{role_name(roles, part.role)}**: {part.does}" for part in stage.who),
    ]
    if stage.decisions:
        lines += ["", "**What is decided, and by whom**", ""]
        lines += [f"- **{role_name(roles, d.role)}**: {d.decides}" for d in stage.decisions]
    handed = [example.document(doc_id) for doc_id in stage.hands_on]
    if handed:
        titles = _joined([f"*{d.title}*" for d in handed])
        lines += ["", f"**Hands on** (shown below): {titles}."]
    else:
        lines += ["", f"**Hands on:** {journey.artifact}."]
    if stage.needs:
        lines += ["", f"**What production needs here** ({NEEDS_SOURCE})", ""]
        lines += [f"- **{need.need}**: {need.how}" for need in stage.needs]
    if stage.oversteps:
        lines += ["", "**When a role oversteps**", ""]
        lines += [
            f"- **{_capitalised(the_role(roles, o.role))} {_lower_first(o.does)}** {o.cost}"
            for o in stage.oversteps
        ]
    return "\n".join(lines)


def document_markdown(document: Document, roles: RoleIndex) -> str:
    """A hand-off document as shown in its box: title, who to whom, then the document."""
    to = _joined([the_role(roles, name) for name in document.to])
    by = f"From {the_role(roles, document.author)}" + (f" to {to}" if to else "")
    return f"#### {document.title}\n\n*{by}. {document.summary}*\n\n{document.body}"


def disagreements_markdown(example: Example, roles: RoleIndex) -> str:
    lines = [f"## {DISAGREE_HEADING}"]
    for case in example.disagreements:
        lines += [
            "",
            f"**{case.title}.** {case.case}",
            "",
            f"*Who decides:* {the_role(roles, case.decides)}. {case.why}",
        ]
    return "\n".join(lines)


def contents_markdown(example: Example) -> str:
    """Links to every section of the page, in order (same-page anchors)."""
    items = [f"1. [{example.heading(s)}](#{example.anchor(s)})" for s in example.stages]
    if example.disagreements:
        items.append(f"1. [{DISAGREE_HEADING}](#{slugify(DISAGREE_HEADING)})")
    return "\n".join(items)


def _joined(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


# ---------------------------------------------------------------- figures


# A placeholder in any text of the example or its documents: `{late_share:%}`.
PLACEHOLDER = re.compile(r"\{([^{}\s:]+)(?::([^{}\s]*))?\}")
FIGURE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# How a placeholder shows its figure (the part after the colon); see format_figure.
NUMBER_FORMATS = ("", "%", "0", "1", "2")
DATE_FORMATS = ("", "month", "day")

Value = int | float | date


def format_figure(value: Value, spec: str = "") -> str | None:
    """A figure as the reader sees it, or None for a format the figure does not take.

    Numbers: `{x}` gives 3,100 (a whole number) or 0.66 (two decimals); `{x:%}` a whole
    percentage (0.13 -> 13%); `{x:0}`, `{x:1}`, `{x:2}` that many decimals (23.3).
    Dates: `{d}` gives 2 April 2026, `{d:month}` April 2026, `{d:day}` 2 April.
    """
    if isinstance(value, date):
        shown = {"": f"{value.day} {value:%B %Y}", "month": f"{value:%B %Y}"}
        shown["day"] = f"{value.day} {value:%B}"
        return shown.get(spec)
    if spec == "%":
        return f"{value:.0%}"
    if spec in ("0", "1", "2"):
        return f"{value:,.{spec}f}"
    if spec == "":
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    return None


@dataclass(frozen=True)
class Derived:
    """A figure computed from others: the text cites it, nobody types it."""

    name: str
    inputs: tuple[str, ...]
    formula: str  # as an author reads it
    compute: Callable[[dict], Value]


def _months(f: dict) -> int:
    start, end = f["data_from"], f["snapshot"]
    return (end.year - start.year) * 12 + end.month - start.month


# In order: a derived figure may use one defined above it.
DERIVED = (
    Derived(
        "flag_share",
        ("late_share", "recall", "precision"),
        "late_share × recall ÷ precision",
        lambda f: f["late_share"] * f["recall"] / f["precision"],
    ),
    Derived(
        "months",
        ("data_from", "snapshot"),
        "whole months from data_from to the snapshot",
        _months,
    ),
    Derived(
        "invoices_per_business_month",
        ("invoices", "businesses", "months"),
        "invoices ÷ businesses ÷ months",
        lambda f: f["invoices"] / f["businesses"] / f["months"],
    ),
    Derived(
        "label_cutoff",
        ("snapshot", "late_days"),
        "snapshot − late_days days (a later due date has no label yet)",
        lambda f: f["snapshot"] - timedelta(days=f["late_days"]),
    ),
    Derived(
        "label_lag_days",
        ("payment_terms", "late_days"),
        "payment_terms + late_days",
        lambda f: f["payment_terms"] + f["late_days"],
    ),
    Derived(
        "projected_cost",
        ("pilot_cost", "businesses", "pilot"),
        "pilot_cost × businesses ÷ pilot",
        lambda f: f["pilot_cost"] * f["businesses"] / f["pilot"],
    ),
    Derived(
        "longest_wait",
        ("batch_minutes", "longest_run"),
        "batch_minutes + longest_run",
        lambda f: f["batch_minutes"] + f["longest_run"],
    ),
    Derived(
        "bank_feed_gain",
        ("bank_feed_precision", "precision"),
        "bank_feed_precision − precision",
        lambda f: f["bank_feed_precision"] - f["precision"],
    ),
)


@dataclass(frozen=True)
class Rule:
    """Figures the story relies on agreeing: when `holds` is false, the text would
    contradict itself, so the figures in `leaves_out` (and every entry citing them) go."""

    needs: tuple[str, ...]
    holds: Callable[[dict], bool]
    says: Callable[[dict], str]  # the contradiction, in numbers
    leaves_out: tuple[str, ...]


def _band(f: dict, low: str, high: str) -> str:
    return f"{f[low]:.0%} to {f[high]:.0%} ({low}, {high})"


def _in(f: dict, name: str, low: str, high: str) -> bool:
    return f[low] <= f[name] <= f[high]


RULES = (
    Rule(
        ("flag_share", "alert_low", "alert_high"),
        lambda f: _in(f, "flag_share", "alert_low", "alert_high"),
        lambda f: (
            f"the flag share at launch, late_share × recall ÷ precision = {f['flag_share']:.1%}, "
            f"is outside the alert band {_band(f, 'alert_low', 'alert_high')}: the alert "
            "would fire at launch"
        ),
        ("alert_low", "alert_high"),
    ),
    Rule(
        ("flag_share", "expected_low", "expected_high"),
        lambda f: _in(f, "flag_share", "expected_low", "expected_high"),
        lambda f: (
            f"the flag share at launch, late_share × recall ÷ precision = {f['flag_share']:.1%}, "
            f"is outside the expected band {_band(f, 'expected_low', 'expected_high')}"
        ),
        ("expected_low", "expected_high"),
    ),
    Rule(
        ("drift_flag_share", "alert_low", "alert_high"),
        lambda f: not _in(f, "drift_flag_share", "alert_low", "alert_high"),
        lambda f: (
            f"the flag share after the drift, {f['drift_flag_share']:.0%}, is inside the alert "
            f"band {_band(f, 'alert_low', 'alert_high')}: the alert the story relies on "
            "would not fire"
        ),
        ("drift_flag_share",),
    ),
    Rule(
        ("invoices_per_business_month", "segment_min_invoices"),
        lambda f: f["invoices_per_business_month"] > f["segment_min_invoices"],
        lambda f: (
            "invoices ÷ businesses ÷ months = "
            f"{f['invoices_per_business_month']:.1f} invoices a business a month, not more "
            f"than the segment's {f['segment_min_invoices']} (segment_min_invoices)"
        ),
        ("segment_min_invoices",),
    ),
    Rule(
        ("precision", "recall", "precision_target", "recall_target"),
        lambda f: f["precision"] >= f["precision_target"] and f["recall"] >= f["recall_target"],
        lambda f: (
            f"on validation data, precision {f['precision']} and recall {f['recall']} do not "
            f"meet the targets {f['precision_target']} and {f['recall_target']}"
        ),
        ("precision", "recall"),
    ),
    Rule(
        ("test_precision", "test_recall", "precision_target", "recall_target"),
        lambda f: (
            f["test_precision"] >= f["precision_target"] and f["test_recall"] >= f["recall_target"]
        ),
        lambda f: (
            f"on the test set, precision {f['test_precision']} and recall {f['test_recall']} "
            f"do not meet the targets {f['precision_target']} and {f['recall_target']}"
        ),
        ("test_precision", "test_recall"),
    ),
    Rule(
        ("projected_cost", "cost_cap"),
        lambda f: f["projected_cost"] <= f["cost_cap"],
        lambda f: (
            f"pilot_cost × businesses ÷ pilot = {f['projected_cost']:,.0f} a month, above the "
            f"cost cap of {f['cost_cap']:,}"
        ),
        ("pilot_cost",),
    ),
    Rule(
        ("longest_wait", "freshness_minutes"),
        lambda f: f["longest_wait"] <= f["freshness_minutes"],
        lambda f: (
            f"batch_minutes + longest_run = {f['longest_wait']} minutes, longer than the "
            f"freshness limit of {f['freshness_minutes']} minutes"
        ),
        ("longest_run",),
    ),
    Rule(
        ("test_to", "label_cutoff"),
        lambda f: f["test_to"] <= f["label_cutoff"],
        lambda f: (
            f"the test set ends on {format_figure(f['test_to'])}, after the label cutoff "
            f"{format_figure(f['label_cutoff'])} (snapshot − late_days days): invoices due "
            "later have no label yet"
        ),
        ("test_to",),
    ),
    Rule(
        ("data_from", "validation_from", "test_from", "test_to"),
        lambda f: f["data_from"] < f["validation_from"] < f["test_from"] <= f["test_to"],
        lambda f: (
            "the split is not in time order (data_from < validation_from < test_from <= test_to)"
        ),
        ("validation_from", "test_from"),
    ),
)


# The figures the derived figures and the rules read as dates; all the others are numbers.
DATE_FIGURES = frozenset({"snapshot", "data_from", "validation_from", "test_from", "test_to"})
_NUMBER_FIGURES = frozenset(
    name
    for name in {n for d in DERIVED for n in d.inputs} | {n for r in RULES for n in r.needs}
    if name not in DATE_FIGURES and name not in {d.name for d in DERIVED}
)


@dataclass
class Figures:
    """The example's figures, given and derived, and where each left-out one was named."""

    values: dict[str, Value]
    # name -> the field of the problem that took it out (`figures.alert_low`)
    unavailable: dict[str, str]

    def fill(self, text: str) -> tuple[str, str | None]:
        """The text with every placeholder replaced, or (text, why not) at the first
        placeholder that names no figure, one left out, or a format it does not take."""
        error = None

        def shown(match: re.Match) -> str:
            nonlocal error
            name, spec = match.group(1), match.group(2) or ""
            if name in self.values:
                value = format_figure(self.values[name], spec)
                if value is not None:
                    return value
                kind = "date" if isinstance(self.values[name], date) else "number"
                specs = DATE_FORMATS if kind == "date" else NUMBER_FORMATS
                formats = ", ".join(f"'{f}'" for f in specs if f)
                error = error or (
                    f"'{match.group(0)}': unknown format '{spec}' for a {kind} "
                    f"(formats: none, {formats})"
                )
            elif name in self.unavailable:
                error = error or (
                    f"figure '{name}' is not available (see {self.unavailable[name]})"
                )
            else:
                error = error or f"'{match.group(0)}': {self._unknown(name)}"
            return match.group(0)

        filled = PLACEHOLDER.sub(shown, text)
        return filled, error

    def _unknown(self, name: str) -> str:
        derived = next((d for d in DERIVED if d.name == name), None)
        if derived:
            absent = ", ".join(n for n in derived.inputs if n not in self.values)
            return f"figure '{name}' is computed ({derived.formula}) but {absent} is not given"
        known = [*self.values, *self.unavailable]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown figure '{name}' (no figure of example.yaml has this name{hint})"


def load_figures(path: str, given: dict, problems: list[Problem]) -> Figures:
    """The given figures that are usable, the derived ones, and every rule checked: a
    figure that is not a number or a date, has a bad name or the name of a derived
    figure, or takes part in a contradiction, is left out (and so is each entry citing
    it)."""
    values: dict[str, Value] = {}
    unavailable: dict[str, str] = {}
    derived = {d.name: d for d in DERIVED}
    for name, value in given.items():
        field = f"figures.{name}"
        why = None
        if not FIGURE_NAME.match(str(name)):
            why = "a figure's name is lower-case letters, digits and _ (late_share)"
        elif name in derived:
            why = f"'{name}' is computed ({derived[name].formula}), not given"
        elif isinstance(value, bool) or not isinstance(value, int | float | date):
            why = f"{value!r} is not a number or a date (2026-04-02)"
        elif name in DATE_FIGURES and not isinstance(value, date):
            why = f"{value!r} is not a date (2026-04-02), which the rules need here"
        elif name in _NUMBER_FIGURES and isinstance(value, date):
            why = f"{value} is a date, where the rules need a number"
        if why:
            problems.append(Problem(path, field, f"{why}; this figure is left out"))
            unavailable[str(name)] = field
        else:
            values[name] = value
    everything = _with_derived(values)
    for rule in RULES:
        if all(name in everything for name in rule.needs) and not rule.holds(everything):
            field = f"figures.{rule.leaves_out[0]}"
            names = " and ".join(rule.leaves_out)
            left = "is" if len(rule.leaves_out) == 1 else "are"
            message = f"{rule.says(everything)}; {names} {left} left out"
            problems.append(Problem(path, field, message))
            for name in rule.leaves_out:
                values.pop(name, None)
                unavailable.setdefault(name, field)
    kept = _with_derived(values)
    for d in DERIVED:
        if d.name in kept:
            continue
        missing = next((n for n in d.inputs if n in unavailable), None)
        if missing:
            unavailable[d.name] = unavailable[missing]
        elif all(n in kept for n in d.inputs):  # it divides by zero
            field = f"figures.{d.inputs[-1]}"
            message = f"{d.formula} divides by zero; {d.name} is not available"
            problems.append(Problem(path, field, message))
            unavailable[d.name] = field
    return Figures(kept, unavailable)


def _with_derived(values: dict[str, Value]) -> dict[str, Value]:
    """The figures with every derived one whose inputs are there (none that divides by 0)."""
    everything = dict(values)
    for d in DERIVED:
        if all(name in everything for name in d.inputs):
            try:
                everything[d.name] = d.compute(everything)
            except ZeroDivisionError:
                continue
    return everything


# ---------------------------------------------------------------- loading

# The fields of each unit that may cite figures.
TEXT_FIELDS = ("title", "summary", "product", "feature", "intro")
STAGE_TEXT = ("title", "story")
CASE_TEXT = ("title", "case", "why")
DOCUMENT_TEXT = ("title", "summary", "body")
HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)


def load_example(
    content_dir: Path,
    roles: RoleIndex,
    workflow: Workflow | None,
    matrix: Responsibilities | None = None,
) -> tuple[Example | None, list[Problem]]:
    """The example with every unit that holds a bad reference left out, and the problems."""
    folder = content_dir / FOLDER
    example, problems = validate_file(folder / FILE_NAME, Example, read_yaml_mapping)
    if example is None:
        return None, problems
    path = example.source
    figures = load_figures(path, example.figures, problems)
    top = _filled(path, "", example, TEXT_FIELDS, figures, "the example", problems)
    if top is None:
        return None, problems
    example = top
    documents, document_problems = _load_documents(folder / DOCUMENTS, roles, figures)
    problems += document_problems
    known_docs = {doc.id for doc in documents}
    broken_docs = {p.path: p for p in document_problems}
    journey = {stage.id: stage.title for stage in workflow.stages} if workflow else {}
    order = list(journey)

    stages: list[ExampleStage] = []
    stage_ids = FirstUse()
    handed = FirstUse()
    last: str | None = None  # the last stage kept in the journey's order
    for i, stage in enumerate(example.stages):
        where = f"stages[{i}]"
        left_out = f"the example's stage '{stage.stage}'"
        if stage.stage not in journey:
            problems.append(
                Problem(path, f"{where}.stage", _unknown_stage(stage.stage, content_dir, workflow))
            )
            continue
        first = stage_ids.claim(stage.stage, where)
        if first:
            problems.append(duplicate_id(path, f"{where}.stage", stage.stage, first, left_out))
            continue
        if last is not None and order.index(stage.stage) < order.index(last):
            message = (
                f"'{stage.stage}' comes after '{last}' here but before it in the journey "
                f"({', '.join(order)}); {left_out} is left out"
            )
            problems.append(Problem(path, f"{where}.stage", message))
            continue
        last = stage.stage
        filled = _filled(path, where, stage, STAGE_TEXT, figures, left_out, problems)
        if filled is None:
            continue
        activities = workflow.stage(stage.stage).activities if matrix else []
        entries = _Entries(path, where, roles, matrix, figures, problems)
        who = entries.kept("who", stage.who, ("does",), activities=activities)
        if not who:
            problems.append(Problem(path, f"{where}.who", f"no role left; {left_out} is left out"))
            continue
        hands_on = []
        for j, doc_id in enumerate(stage.hands_on):
            field = f"{where}.hands_on[{j}]"
            if doc_id not in known_docs:
                message = _unknown_document(doc_id, folder / DOCUMENTS, broken_docs)
                problems.append(Problem(path, field, message))
                continue
            first = handed.claim(doc_id, field)
            if first:
                problems.append(duplicate_id(path, field, doc_id, first, "this entry"))
                continue
            hands_on.append(doc_id)
        stages.append(
            filled.model_copy(
                update={
                    "who": who,
                    "decisions": entries.kept("decisions", stage.decisions, ("decides",)),
                    "needs": entries.kept("needs", stage.needs, ("how",)),
                    "oversteps": entries.kept("oversteps", stage.oversteps, ("does", "cost")),
                    "hands_on": hands_on,
                }
            )
        )
    named = {stage.stage for stage in example.stages}
    for stage_id, title in journey.items():
        if stage_id not in named:
            message = (
                f"the worked example has no stage '{stage_id}' ({title}): add one, in the "
                "journey's order; until then that stage of the journey links to no example"
            )
            problems.append(Problem(path, "stages", message))

    disagreements = []
    case_ids = FirstUse()
    for i, case in enumerate(example.disagreements):
        where = f"disagreements[{i}]"
        left_out = f"case '{case.id}'"
        first = case_ids.claim(case.id, where)
        if first:
            problems.append(duplicate_id(path, f"{where}.id", case.id, first, left_out))
            continue
        role = roles.find(case.decides)
        if role is None:
            problems.append(unknown_role(path, f"{where}.decides", case.decides, roles, left_out))
            continue
        if matrix and case.activity:
            message = matrix.disagreement(case.activity, role.id, "lead")
            if message:
                problems.append(
                    Problem(path, f"{where}.activity", f"{message}; {left_out} is left out")
                )
                continue
        filled = _filled(path, where, case, CASE_TEXT, figures, left_out, problems)
        if filled is not None:
            disagreements.append(filled)

    shown = {doc_id for stage in stages for doc_id in stage.hands_on}
    for doc in documents:
        if doc.id not in {doc_id for stage in example.stages for doc_id in stage.hands_on}:
            problems.append(
                Problem(
                    doc.source,
                    "(file)",
                    "no stage of the example hands this document on (add its id to a stage's "
                    "hands_on); it is not shown",
                )
            )
    documents = [doc for doc in documents if doc.id in shown]
    if not stages:
        problems.append(Problem(path, "stages", "no valid stage left: the example is hidden"))
        return None, problems
    kept = example.model_copy(
        update={
            "figures": figures.values,
            "stages": stages,
            "disagreements": disagreements,
            "documents": documents,
            "stage_titles": journey,
        }
    )
    return kept, problems


def _filled(path, where, unit, fields, figures: Figures, left_out: str, problems):
    """The unit with the figures filled into its text `fields`, or None (and a problem
    naming the field) when one cites a figure that is unknown or left out."""
    update = {}
    for name in fields:
        text = getattr(unit, name)
        if text is None:
            continue
        filled, error = figures.fill(text)
        if error:
            field = f"{where}.{name}" if where else name
            problems.append(Problem(path, field, f"{error}; {left_out} is left out"))
            return None
        update[name] = filled
    return unit.model_copy(update=update)


@dataclass
class _Entries:
    """Checks the entries of one stage's lists: the role exists, takes part in one of the
    stage's activities (`who`) or leads the activity a decision names, and every figure
    cited is known. Each entry that fails is named and left out."""

    path: str
    where: str
    roles: RoleIndex
    matrix: Responsibilities | None
    figures: Figures
    problems: list[Problem]

    def kept(self, key: str, entries: list, fields: tuple[str, ...], activities=()) -> list:
        kept = []
        for i, entry in enumerate(entries):
            field = f"{self.where}.{key}[{i}]"
            why = self._why_not(field, entry, activities)
            if why:
                self.problems.append(why)
                continue
            filled = _filled(
                self.path, field, entry, fields, self.figures, "this entry", self.problems
            )
            if filled is not None:
                kept.append(filled)
        return kept

    def _why_not(self, field: str, entry, activities) -> Problem | None:
        name = getattr(entry, "role", None)
        if name is None:
            return None
        role = self.roles.find(name)
        if role is None:
            return unknown_role(self.path, f"{field}.role", name, self.roles, "this entry")
        if self.matrix is None:
            return None
        activity = getattr(entry, "activity", None)
        if activity:
            message = self.matrix.disagreement(activity, role.id, "lead")
            if message:
                return Problem(self.path, f"{field}.activity", f"{message}; this entry is left out")
        if activities and all(
            self.matrix.disagreement(a, role.id, "takes part") for a in activities
        ):
            message = (
                f"in responsibilities.yaml, {name} takes part in none of this stage's "
                f"activities ({', '.join(activities)}); this entry is left out"
            )
            return Problem(self.path, f"{field}.role", message)
        return None


def _unknown_stage(stage_id: str, content_dir: Path, workflow: Workflow | None) -> str:
    """Why a stage id is not in the journey: a stage left out there (its own problem says
    why), a journey that cannot be used, or an id that no stage has."""
    path = content_dir / "workflow.yaml"
    shown = display_path(path)
    left_out = "this stage of the example is left out"
    for i, raw in enumerate(_raw_stages(path)):
        if isinstance(raw, dict) and raw.get("id") == stage_id:
            return f"stage '{stage_id}' is not available (see {shown}: stages[{i}]); {left_out}"
    if workflow is None:
        return f"unknown stage '{stage_id}' ({shown} is missing or has a problem); {left_out}"
    return f"unknown stage '{stage_id}' (no stage of {shown} has this id); {left_out}"


def _raw_stages(path: Path) -> list:
    """The journey's stages as written, before any was left out (none if unreadable)."""
    try:
        stages = read_yaml_mapping(path).get("stages")
    except (OSError, ContentError):
        return []
    return stages if isinstance(stages, list) else []


def _unknown_document(doc_id: str, folder: Path, broken: dict[str, Problem]) -> str:
    file = display_path(folder / f"{doc_id}.md")
    if file in broken:
        return f"document '{doc_id}' is not available (see {file}); this entry is left out"
    return f"unknown document '{doc_id}' (no file {file}); this entry is left out"


def _load_documents(
    folder: Path, roles: RoleIndex, figures: Figures
) -> tuple[list[Document], list[Problem]]:
    """Every usable document in `documents/`, by file name. An unknown author, a `#`
    heading or an unknown figure leaves the document out, an unknown recipient only that
    entry."""
    paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    documents, problems = [], []
    for file in paths:
        document, found = validate_file(
            file, Document, lambda p: {"id": p.stem, **markdown_fields(p)}
        )
        problems += found
        if document is None:
            continue
        shown = document.source
        left_out = f"document '{document.id}'"
        if roles.find(document.author) is None:
            problems.append(unknown_role(shown, "author", document.author, roles, left_out))
            continue
        heading = HEADING.search(document.body)
        if heading:
            line = document.body.count("\n", 0, heading.start()) + 1
            message = (
                f"line {line} of the document is a '#' heading, which would break the page's "
                f"sections: use a bold label (**Label.**); {left_out} is left out"
            )
            problems.append(Problem(shown, "body", message))
            continue
        to = []
        for i, name in enumerate(document.to):
            if roles.find(name) is None:
                problems.append(unknown_role(shown, f"to[{i}]", name, roles, "this entry"))
            else:
                to.append(name)
        filled = _filled(shown, "", document, DOCUMENT_TEXT, figures, left_out, problems)
        if filled is not None:
            documents.append(filled.model_copy(update={"to": to}))
    return documents, problems
