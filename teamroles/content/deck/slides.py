"""One deck entry, resolved against the content into a `Slide`'s fields.

Each kind has one function that returns the slide's fields (its number is set by
the loader), or raises `Refused` naming the entry's field and what is wrong: the
loader turns that into a Problem and leaves this slide out. The words the room
reads and the speaker notes both come from the content; a deck file's `title`
and `notes` replace the derived ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from teamroles.content.glossary import Term
from teamroles.content.markdown_files import slugify
from teamroles.content.model import UnknownId, by_id
from teamroles.content.problems import ContentError, display_path, read_yaml_mapping
from teamroles.content.responsibilities import LEVELS
from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import matrix as matrix_fig
from teamroles.figures.style import join_words

if TYPE_CHECKING:
    from teamroles.content.deck.load import SlideEntry
    from teamroles.content.site import Site

# A role slide lists this many responsibilities; the rest go to the notes.
ROLE_LIST = 4
# The glossary terms and the roles a `what-vs-how` slide is made of.
WHAT, HOW = "What", "How"
_SEE_ALSO = re.compile(r"\s*(?<!\S)See also [^.\n]+\.\s*$")


class Refused(Exception):
    """This entry cannot become a slide: `field` of the entry, and why."""

    def __init__(self, field: str, message: str, role_name: str | None = None):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        # A role that does not exist: the loader words it with `problems.unknown_role`.
        self.role_name = role_name


def _missing(site: Site, file_name: str, what: str) -> Refused:
    """The file a slide shows is gone, or was left out for a problem of its own."""
    shown = site.path_of(file_name)
    if (site.content_dir / file_name).exists():
        return Refused("kind", f"{what} is not available: {shown} has a problem (see its own line)")
    return Refused("kind", f"{what} is not available: {shown} is missing")


def _unknown(field: str, exc: UnknownId, path: Path | None = None, items: str = "") -> Refused:
    """A reference to no such thing; if the file `path` lists it under `items` (it was left
    out for a problem of its own), the message points at that entry instead."""
    where = _written_at(path, items, exc.wanted) if path is not None else None
    if where:
        return Refused(field, f"{exc.kind} '{exc.wanted}' is not available (see {where})")
    return Refused(field, str(exc))


def _written_at(path: Path, items: str, wanted: str) -> str | None:
    """`content/workflow.yaml: stages[2]` if that file's list `items` has an entry with the
    id `wanted` (or, with no `items`, the file itself has that id); else None."""
    try:
        data = read_yaml_mapping(path)
    except (ContentError, OSError):
        return None
    if not items:
        return display_path(path) if str(data.get("id", "")).strip() == wanted else None
    entries = data.get(items)
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and str(entry.get("id", "")).strip() == wanted:
            return f"{display_path(path)}: {items}[{i}]"
    return None


def without_see_also(definition: str) -> str:
    """A glossary definition without its closing "See also ..." (the app links those)."""
    return _SEE_ALSO.sub("", definition).strip()


def choices_question(choices: tuple[str, ...]) -> str:
    """'What or How?', 'PM, DS, Dev or QA?'."""
    if len(choices) <= 1:
        return f"{''.join(choices)}?"
    return f"{', '.join(choices[:-1])} or {choices[-1]}?"


# ---------------------------------------------------------------- kinds


def title_slide(entry: SlideEntry, site: Site) -> dict:
    return {"title": entry.title, "body": entry.text or ""}


def markdown_slide(entry: SlideEntry, site: Site) -> dict:
    return {"title": entry.title, "body": entry.text}


def role_slide(entry: SlideEntry, site: Site) -> dict:
    role = site.roles.find(entry.ref)
    if role is None:
        raise Refused("ref", site.roles.unknown(entry.ref), role_name=entry.ref)
    body = [role.summary]
    if role.key_question:
        body.append(f"**Key question:** {role.key_question}")
    # The deck's own words for this role replace the first responsibilities on the slide.
    shown = [] if entry.text else role.responsibilities[:ROLE_LIST]
    if entry.text:
        body.append(entry.text)
    elif shown:
        body.append("\n".join(f"- {item}" for item in shown))
    notes = []
    if role.key_question:
        notes.append(f"Ask the room first: *{role.key_question}*")
    if role.misunderstandings:
        notes.append("Common misunderstandings:")
        notes.append("\n".join(f"- *{item.myth}* {item.fact}" for item in role.misunderstandings))
    rest = role.responsibilities[len(shown) :]
    if rest:
        heading = "Also on this role's list" if shown else "On this role's list"
        notes.append(f"{heading}: " + "; ".join(_lower_first(r) for r in rest) + ".")
    if role.hands_to:
        handoffs = [
            f"to {_role_title(site, handoff.role)}: {_lower_first(handoff.what)}"
            for handoff in role.hands_to
        ]
        notes.append(f"Hands on {'; '.join(handoffs)}.")
    return {
        "title": as_label(role),
        "label": "Role",
        "body": "\n\n".join(body),
        "notes": "\n\n".join(notes),
        "role_id": role.id,
    }


def what_vs_how_slide(entry: SlideEntry, site: Site) -> dict:
    if site.glossary is None:
        raise _missing(site, "glossary.md", f"the glossary terms '{WHAT}' and '{HOW}'")
    terms = {term.term.lower(): term for term in site.glossary.terms}
    missing = [name for name in (WHAT, HOW) if name.lower() not in terms]
    if missing:
        raise Refused(
            "kind",
            f"the glossary ({site.glossary.source}) has no term "
            f"{' or '.join(repr(name) for name in missing)}, which this slide shows",
        )
    body = "\n\n".join(
        f"### {name}\n\n{without_see_also(terms[name.lower()].definition)}" for name in (WHAT, HOW)
    )
    return {
        "title": f"{WHAT} vs {HOW}",
        "label": "Who decides what",
        "body": body,
        "notes": _home_section(site, f"{WHAT} vs {HOW}") or _role_lines(site),
    }


def journey_slide(entry: SlideEntry, site: Site) -> dict:
    workflow = site.workflow
    if workflow is None:
        raise _missing(site, "workflow.yaml", "the journey of a feature")
    notes = "Walk the room through it from the top, then show the ways back."
    loops = [
        f"- **{loop.trigger}** ({workflow.stage(loop.from_stage).title} → "
        f"{workflow.stage(loop.to_stage).title}): {loop.description}"
        for loop in workflow.loops
    ]
    if loops:
        notes += "\n\n" + "\n".join(loops)
    return {
        "title": workflow.title,
        "label": f"{len(workflow.stages)} stages",
        "body": workflow.summary,
        "notes": notes,
        "figure": "journey",
        "alt": journey_fig.alt_text(workflow),
        "in_words": journey_fig.journey_text(workflow, site.roles),
    }


def stage_slide(entry: SlideEntry, site: Site) -> dict:
    workflow = site.workflow
    if workflow is None:
        raise _missing(site, "workflow.yaml", "the journey of a feature")
    try:
        stage = workflow.stage(entry.ref)
    except UnknownId as exc:
        raise _unknown("ref", exc, site.content_dir / "workflow.yaml", "stages") from None
    ids = [s.id for s in workflow.stages]
    number = ids.index(stage.id) + 1
    lead = site.roles.find(stage.lead)
    helpers = [site.roles.find(name) for name in stage.contributors]
    with_whom = join_words([as_label(role) for role in helpers if role]) or "nobody else"
    body = "\n".join(
        [
            stage.summary,
            "",
            f"- **Leads:** {as_label(lead) if lead else stage.lead}",
            f"- **With:** {with_whom}",
            f"- **Hands on:** {stage.artifact}",
        ]
    )
    notes = [stage.details]
    for loop in workflow.loops:
        if loop.from_stage == stage.id:
            back_to = workflow.stage(loop.to_stage).title
            notes.append(f"**↺ {loop.trigger}:** back to {back_to}. {loop.description}")
        elif loop.to_stage == stage.id:
            came_from = workflow.stage(loop.from_stage).title
            notes.append(f"**↺ {loop.trigger}:** work can come back here from {came_from}.")
    return {
        "title": stage.title,
        "label": f"Stage {number} of {len(ids)}",
        "body": body,
        "notes": "\n\n".join(notes),
        "figure": "journey",
        "stage_id": stage.id,
        "alt": f"{workflow.title}: a flow chart of {len(ids)} stages; stage {number}, "
        f"{stage.title}, is marked.",
        "in_words": journey_fig.journey_text(workflow, site.roles),
    }


def debt_slide(entry: SlideEntry, site: Site) -> dict:
    content = site.debt_figure
    if content is None:
        raise _missing(site, "hidden_debt.yaml", "the hidden technical debt figure")
    return {
        "title": content.title,
        "label": "The system around the model",
        "body": debt_fig.ml_code_share_sentence(content),
        "notes": "\n\n".join(
            [
                content.summary,
                content.caption_quote,
                content.layout_note,
                f"Source: {' '.join(content.citation.split())}",
            ]
        ),
        "figure": "debt",
        "alt": debt_fig.alt_text(content),
        "in_words": debt_fig.debt_text(content, site.roles),
    }


def matrix_slide(entry: SlideEntry, site: Site) -> dict:
    matrix = site.responsibilities
    if matrix is None:
        raise _missing(site, "responsibilities.yaml", "the who-owns-what matrix")
    legend = "\n".join(
        f"- **{matrix_fig.level_name(level)}** ({matrix_fig.LEVEL_SHAPES[level]})"
        for level in LEVELS
    )
    notes = "\n".join(
        f"- **{matrix_fig.level_name(level)}:** {getattr(matrix.levels, level)}" for level in LEVELS
    )
    return {
        "title": matrix.title,
        "label": f"{len(matrix.activities)} activities",
        "body": legend,
        "notes": f"{matrix.summary}\n\n{notes}",
        "figure": "matrix",
        "alt": f"A grid of {len(matrix.activities)} activities against {len(site.roles)} roles; "
        "the marker shows who leads, who contributes and who is kept informed.",
        "in_words": matrix_fig.matrix_text(matrix, site.roles),
    }


def question_slide(entry: SlideEntry, site: Site) -> dict:
    quiz_id, slash, question_id = (entry.ref or "").partition("/")
    if not slash or not quiz_id.strip() or not question_id.strip():
        raise Refused(
            "ref", f"'{entry.ref}' must be '<quiz id>/<question id>', like 'what-vs-how/wh-01'"
        )
    return _question(site, quiz_id.strip(), question_id.strip(), "ref", live=False)


def live_slide(entry: SlideEntry, site: Site) -> dict:
    return _question(site, entry.ref, entry.question, "question", live=True)


def term_slide(entry: SlideEntry, site: Site) -> dict:
    if site.glossary is None:
        raise _missing(site, "glossary.md", "the glossary")
    term = _find_term(site.glossary.terms, entry.ref)
    if term is None:
        raise Refused(
            "ref",
            f"the glossary has no term '{entry.ref}' (terms: "
            f"{', '.join(term.term for term in site.glossary.terms)})",
        )
    related = term.see_also
    return {
        "title": term.term,
        "label": "Glossary",
        "body": without_see_also(term.definition),
        "notes": f"Related terms: {', '.join(related)}." if related else "",
        "term": term.term,
    }


RESOLVERS: dict[str, Callable[[SlideEntry, Site], dict]] = {
    "title": title_slide,
    "role": role_slide,
    "what-vs-how": what_vs_how_slide,
    "journey": journey_slide,
    "stage": stage_slide,
    "debt": debt_slide,
    "matrix": matrix_slide,
    "question": question_slide,
    "term": term_slide,
    "markdown": markdown_slide,
    "live": live_slide,
}


# ---------------------------------------------------------------- helpers


def _question(
    site: Site, quiz_id: str, question_id: str | None, question_field: str, live: bool
) -> dict:
    """A question of a quiz; `question_field` is the entry's field that names the question."""
    try:
        quiz = by_id(site.quizzes, quiz_id, "quiz")
    except UnknownId as exc:
        for path in quiz_paths(site.content_dir):
            refused = _unknown("ref", exc, path)
            if "(see " in refused.message:
                raise refused from None
        raise _unknown("ref", exc) from None
    if question_id is None:
        question = quiz.questions[0]
    else:
        try:
            question = quiz.question(question_id)
        except UnknownId as exc:
            raise _unknown(question_field, exc, Path(quiz.source), "questions") from None
    choices = tuple(quiz.choices)
    role = site.roles.find(question.role)
    notes = []
    if live:
        notes.append(
            "This question runs in a workshop room: open the room before the talk, so that "
            "people can join on their phones, and reveal the answers here."
        )
    else:
        notes.append("Let the room argue for each choice before you give the answer.")
    notes.append(f"**Answer: {question.answer}.** {question.explanation}")
    if role is not None:
        notes.append(f"This is {in_sentence(role)}'s work.")
    return {
        "title": choices_question(choices),
        "label": f"{'Live question' if live else 'Discuss'} · {quiz.title}",
        "body": question.statement,
        "notes": "\n\n".join(notes),
        "quiz_id": quiz.id,
        "question_id": question.id,
        "choices": choices,
        "answer": question.answer,
    }


def quiz_paths(content_dir: Path) -> list[Path]:
    folder = content_dir / "quizzes"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _find_term(terms: list[Term], name: str) -> Term | None:
    """The term named `name` (any case) or whose anchor it is."""
    wanted = slugify(name)
    return next(
        (
            term
            for term in terms
            if term.term.lower() == name.strip().lower() or term.anchor == wanted
        ),
        None,
    )


def _home_section(site: Site, heading: str) -> str:
    """The home page's `## heading` section, without its heading ("" if there is none)."""
    if site.home is None:
        return ""
    wanted = slugify(heading)
    sections = re.split(r"(?m)^##[ \t]+(.+?)[ \t]*#*[ \t]*$", site.home.body)
    for title, text in zip(sections[1::2], sections[2::2], strict=True):
        if slugify(title) == wanted:
            return text.strip()
    return ""


def _role_lines(site: Site) -> str:
    """Each role in one line, for when the home page has no What vs How section."""
    return "\n".join(f"- **{as_label(role)}:** {role.summary}" for role in site.roles)


def _role_title(site: Site, name: str) -> str:
    role = site.roles.find(name)
    return in_sentence(role) if role else name


def role_name(role) -> str:
    """A role's name as running text writes it: 'product manager', 'Dev team', 'QA'.

    A role is a common noun: each word of its title is lower-cased, except an acronym
    ('QA') and a word that is one of the role's own short names ('Dev'), which keep
    their capitals."""
    kept = set(role.aliases)
    return " ".join(w if w.isupper() or w in kept else w.lower() for w in role.title.split())


def in_sentence(role) -> str:
    """'the product manager', 'the Dev team', but 'QA': an acronym takes no article."""
    name = role_name(role)
    return name if name.isupper() else f"the {name}"


def as_label(role) -> str:
    """A role's name on its own, as in a list: 'Product manager', 'Dev team', 'QA'."""
    name = role_name(role)
    return name[:1].upper() + name[1:]


def _lower_first(text: str) -> str:
    """Inside a sentence: 'The model' -> 'the model'; 'QA' and 'PM' stay."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() or len(first) == 1 else text[:1].lower() + text[1:]
