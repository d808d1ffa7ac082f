"""The worked example: one ML feature followed through every stage of the journey.

Content lives in the content's `example/` folder:

- `example.yaml`: the title, the product and the feature, an introduction, one entry per
  stage of the journey (`stage` names a stage id of `workflow.yaml`) saying who does what,
  what is decided, what is handed on (document ids), what production needs it meets and
  what goes wrong when a role oversteps, and a few cases of "when roles disagree".
- `documents/<id>.md`: the hand-off documents, Markdown with front matter (`title`,
  `author`: a role, `to`: roles, `summary`). The file name is the document's id.

The loader follows the one policy of `teamroles.problems`: a file that cannot be used is
left out whole; otherwise the smallest unit that holds a bad reference or a repeated id (a
list entry, a stage, a document, a case) is left out and named. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from teamroles.content_model import ID_PATTERN, ContentModel, by_id
from teamroles.markdown_files import markdown_fields, slugify
from teamroles.problems import (
    ContentError,
    FirstUse,
    Problem,
    display_path,
    duplicate_id,
    read_yaml_mapping,
    unknown_role,
    validate_file,
)
from teamroles.responsibilities import Responsibilities
from teamroles.roles import RoleIndex
from teamroles.workflow import Workflow

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


# ---------------------------------------------------------------- loading


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
    documents, document_problems = _load_documents(folder / DOCUMENTS, roles)
    problems += document_problems
    known_docs = {doc.id for doc in documents}
    broken_docs = {p.path: p for p in document_problems}
    journey = {stage.id: stage.title for stage in workflow.stages} if workflow else {}

    stages: list[ExampleStage] = []
    stage_ids = FirstUse()
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
        who = _known(path, f"{where}.who", stage.who, roles, problems)
        if not who:
            problems.append(Problem(path, f"{where}.who", f"no role left; {left_out} is left out"))
            continue
        hands_on = []
        for j, doc_id in enumerate(stage.hands_on):
            if doc_id in known_docs:
                hands_on.append(doc_id)
            else:
                message = _unknown_document(doc_id, folder / DOCUMENTS, broken_docs)
                problems.append(Problem(path, f"{where}.hands_on[{j}]", message))
        stages.append(
            stage.model_copy(
                update={
                    "who": who,
                    "decisions": _known(
                        path, f"{where}.decisions", stage.decisions, roles, problems
                    ),
                    "oversteps": _known(
                        path, f"{where}.oversteps", stage.oversteps, roles, problems
                    ),
                    "hands_on": hands_on,
                }
            )
        )

    disagreements = []
    case_ids = FirstUse()
    for i, case in enumerate(example.disagreements):
        where = f"disagreements[{i}]"
        first = case_ids.claim(case.id, where)
        if first:
            problems.append(duplicate_id(path, f"{where}.id", case.id, first, f"case '{case.id}'"))
            continue
        if roles.find(case.decides) is None:
            problems.append(
                unknown_role(path, f"{where}.decides", case.decides, roles, f"case '{case.id}'")
            )
            continue
        disagreements.append(case)

    handed = {doc_id for stage in stages for doc_id in stage.hands_on}
    for doc in documents:
        if doc.id not in handed:
            problems.append(
                Problem(
                    doc.source,
                    "(file)",
                    "no stage of the example hands this document on (add its id to a stage's "
                    "hands_on); it is not shown",
                )
            )
    documents = [doc for doc in documents if doc.id in handed]
    if not stages:
        problems.append(Problem(path, "stages", "no valid stage left: the example is hidden"))
        return None, problems
    kept = example.model_copy(
        update={
            "stages": stages,
            "disagreements": disagreements,
            "documents": documents,
            "stage_titles": journey,
        }
    )
    return kept, problems


def _known(path: str, field: str, entries: list, roles: RoleIndex, problems: list[Problem]) -> list:
    """The entries whose `role` exists; each other is reported (`field[i].role`) and left out."""
    kept = []
    for i, entry in enumerate(entries):
        if roles.find(entry.role) is None:
            problems.append(
                unknown_role(path, f"{field}[{i}].role", entry.role, roles, "this entry")
            )
        else:
            kept.append(entry)
    return kept


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


def _load_documents(folder: Path, roles: RoleIndex) -> tuple[list[Document], list[Problem]]:
    """Every usable document in `documents/`, by file name; an unknown author leaves the
    document out, an unknown recipient only that entry."""
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
        if roles.find(document.author) is None:
            problems.append(
                unknown_role(shown, "author", document.author, roles, f"document '{document.id}'")
            )
            continue
        to = []
        for i, name in enumerate(document.to):
            if roles.find(name) is None:
                problems.append(unknown_role(shown, f"to[{i}]", name, roles, "this entry"))
            else:
                to.append(name)
        documents.append(document.model_copy(update={"to": to}))
    return documents, problems
