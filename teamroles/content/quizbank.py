"""Question banks: one YAML file per quiz in the content's `quizzes/` folder.

A broken question is reported (file, question index and id, field) and left
out; the rest of its quiz, and every other quiz, keeps working. A `see` link
that names no page or section is reported and left out, and so is a missing
one: the question then links to its role's page. A question that names the
`activity` it is about (an id of responsibilities.yaml) must agree with the
who-owns-what matrix, or it is left out: in a quiz whose answers are roles,
the answer must lead the activity; in any other quiz, the question's `role`
must take part in it. A file that cannot be read at all, or whose quiz fields
are wrong, is left out whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from teamroles.content import role_page
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.example import Example
from teamroles.content.glossary import Glossary
from teamroles.content.markdown_files import TextPage, slugify
from teamroles.content.model import ID_PATTERN, ContentModel, by_id
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
from teamroles.content.responsibilities import Responsibilities
from teamroles.content.roles import RoleIndex

GLOSSARY_PAGE = "glossary"
# `see: home#where-the-roles-meet`: the home page, whose URL path is empty (it is
# Streamlit's default page, at `/`); its sections are the `##` headings of home.md.
HOME_SEE = "home"
HOME_URL_PATH = ""
LEFT_OUT = "this question is left out"
_HOME_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


def _not_a_yaml_boolean(value: object) -> object:
    """YAML reads unquoted yes/no/true/false as booleans: say so instead of 'not a string'."""
    if isinstance(value, bool):
        raise ValueError(
            f"YAML read this as {str(value).lower()}: put the word in quotes, like 'Yes'"
        )
    if isinstance(value, list):
        return [_not_a_yaml_boolean(item) for item in value]
    return value


class Question(ContentModel):
    id: str = Field(pattern=ID_PATTERN)
    statement: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    role: str = Field(min_length=1)
    difficulty: Literal["easy", "medium", "hard"] | None = None
    tags: list[str] = []
    tricky: bool = False
    see: str | None = Field(default=None, min_length=1)
    activity: str | None = Field(default=None, min_length=1)

    @field_validator("answer", mode="before")
    @classmethod
    def _text_answer(cls, value: object) -> object:
        return _not_a_yaml_boolean(value)


class Quiz(ContentModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    order: int = 100
    questions: list[Question] = []
    source: str

    @field_validator("choices", mode="before")
    @classmethod
    def _text_choices(cls, value: object) -> object:
        return _not_a_yaml_boolean(value)

    @field_validator("choices")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if any(not choice.strip() for choice in value):
            raise ValueError("a choice is empty")
        if len({choice.lower() for choice in value}) != len(value):
            raise ValueError("the choices must all be different")
        return value

    def question(self, question_id: str) -> Question:
        return by_id(self.questions, question_id, "question")

    @property
    def question_ids(self) -> list[str]:
        return [question.id for question in self.questions]


@dataclass(frozen=True)
class SeeTarget:
    """Where the reader can read why: a page, maybe a section on it."""

    url_path: str
    page_title: str
    anchor: str | None = None
    section: str | None = None

    @property
    def label(self) -> str:
        return f"{self.page_title}: {self.section}" if self.section else self.page_title

    @property
    def href(self) -> str:
        """`/qa#built-right`; the home page's is `/#where-the-roles-meet`."""
        return f"/{self.url_path}#{self.anchor}" if self.anchor else f"/{self.url_path}"

    @property
    def is_home(self) -> bool:
        return self.url_path == HOME_URL_PATH


def home_anchors(home: TextPage) -> dict[str, str]:
    """Every section of the home page a link can point at, as anchor -> heading: the
    `##` headings of home.md, whose ids Streamlit's browser code computes like `slugify`."""
    return {slugify(heading): heading for heading in _HOME_HEADING.findall(home.body)}


def resolve_see(
    see: str,
    roles: RoleIndex,
    glossary: Glossary | None,
    example: Example | None = None,
    home: TextPage | None = None,
) -> SeeTarget:
    """`dev-team#mlops`, `DS`, `glossary#verification`, `example#monitoring`,
    `home#where-the-roles-meet` -> a SeeTarget; ValueError if unknown."""
    page, _, anchor = see.partition("#")
    page, anchor = page.strip(), slugify(anchor) if anchor.strip() else None
    if page.lower() == HOME_SEE:
        if home is None:
            raise ValueError("there is no home page (home.md is missing or has a problem)")
        if anchor is None:
            return SeeTarget(HOME_URL_PATH, home.title)
        sections = home_anchors(home)
        if anchor not in sections:
            known = ", ".join(sections) or "none"
            raise ValueError(f"the home page has no section '{anchor}' (it has: {known})")
        return SeeTarget(HOME_URL_PATH, home.title, anchor, sections[anchor])
    if page.lower() == EXAMPLE_PAGE:
        if example is None:
            raise ValueError(
                "there is no worked example (example/example.yaml is missing or has a problem)"
            )
        if anchor is None:
            return SeeTarget(EXAMPLE_PAGE, example.title)
        sections = example.anchors()
        if anchor not in sections:
            known = ", ".join(sections) or "none"
            raise ValueError(f"the worked example has no section '{anchor}' (it has: {known})")
        return SeeTarget(EXAMPLE_PAGE, example.title, anchor, sections[anchor])
    if page.lower() == GLOSSARY_PAGE:
        if glossary is None:
            raise ValueError("there is no glossary page (glossary.md is missing or has a problem)")
        if anchor is None:
            return SeeTarget(GLOSSARY_PAGE, glossary.title)
        terms = {term.anchor: term.term for term in glossary.terms}
        if anchor not in terms:
            raise ValueError(f"the glossary has no term with anchor '{anchor}'")
        return SeeTarget(GLOSSARY_PAGE, glossary.title, anchor, terms[anchor])
    role = roles.find(page)
    if role is None:
        raise ValueError(
            f"'{page}' is neither a role (id or alias) nor 'glossary', 'example' or 'home'"
        )
    if anchor is None:
        return SeeTarget(role.id, role.title)
    sections = role_page.anchors(role)
    if anchor not in sections:
        known = ", ".join(sections) or "none"
        raise ValueError(f"the {role.title} page has no section '{anchor}' (it has: {known})")
    return SeeTarget(role.id, role.title, anchor, sections[anchor])


def see_target(
    question: Question,
    roles: RoleIndex,
    glossary: Glossary | None,
    example: Example | None = None,
    home: TextPage | None = None,
) -> SeeTarget | None:
    """Where the app sends the reader after this question: `see`, else the role's page."""
    try:
        return resolve_see(question.see or question.role, roles, glossary, example, home)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Context:
    """What a question is checked against, besides its own quiz."""

    roles: RoleIndex
    glossary: Glossary | None
    example: Example | None
    matrix: Responsibilities | None
    home: TextPage | None


def load_quizzes(
    content_dir: Path,
    roles: RoleIndex,
    glossary: Glossary | None,
    example: Example | None = None,
    matrix: Responsibilities | None = None,
    home: TextPage | None = None,
) -> tuple[list[Quiz], list[Problem]]:
    """Every usable quiz in the `quizzes/` folder, plus a Problem for each thing wrong.
    Without the matrix, `activity` is not checked."""
    folder = content_dir / "quizzes"
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    quizzes: list[Quiz] = []
    problems: list[Problem] = []
    ids = FirstUse()
    for path in paths:
        shown = display_path(path)
        context = _Context(roles, glossary, example, matrix, home)
        quiz, file_problems = parse_quiz(path, shown, context)
        problems += file_problems
        if quiz is None:
            continue
        first = ids.claim(quiz.id, shown)
        if first:
            problems.append(duplicate_id(shown, "id", quiz.id, first, "this quiz"))
            continue
        quizzes.append(quiz)
    return sorted(quizzes, key=lambda quiz: (quiz.order, quiz.title)), problems


def parse_quiz(path: Path, shown: str, context: _Context) -> tuple[Quiz | None, list[Problem]]:
    """One quiz file: the quiz with its valid questions (None if unusable) and the problems."""
    try:
        data = read_yaml_mapping(path)
    except ContentError as exc:
        return None, [Problem(shown, exc.field, exc.message)]
    raw_questions = data.pop("questions", None)
    try:
        quiz = Quiz.model_validate({**data, "source": shown})
    except ValidationError as exc:
        return None, validation_problems(shown, exc)
    if not isinstance(raw_questions, list) or not raw_questions:
        return None, [Problem(shown, "questions", "must be a non-empty list of questions")]
    problems: list[Problem] = []
    questions: list[Question] = []
    ids = FirstUse()
    for i, raw in enumerate(raw_questions):
        where = _question_label(i, raw)
        if not isinstance(raw, dict):
            problems.append(Problem(shown, where, "must be a mapping of fields (id, statement…)"))
            continue
        try:
            question = Question.model_validate(raw)
        except ValidationError as exc:
            problems += validation_problems(shown, exc, prefix=where)
            continue
        question, found = _checked_question(shown, where, question, quiz, context)
        first = ids.claim(question.id, f"questions[{i}]") if question else None
        if first:
            found.append(duplicate_id(shown, f"{where}.id", question.id, first, "this question"))
            question = None
        problems += found
        if question is not None:
            questions.append(question)
    if not questions:
        problems.append(Problem(shown, "questions", "no valid question left: the quiz is hidden"))
        return None, problems
    return quiz.model_copy(update={"questions": questions}), problems


def _question_label(index: int, raw: object) -> str:
    """`questions[3] (wh-04)`, or `questions[3]` when the id is missing or not text."""
    qid = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(qid, str) and re.fullmatch(r"[\w.-]{1,40}", qid.strip()):
        return f"questions[{index}] ({qid.strip()})"
    return f"questions[{index}]"


def _checked_question(
    path: str, where: str, question: Question, quiz: Quiz, context: _Context
) -> tuple[Question | None, list[Problem]]:
    """The question (without a bad `see`), or None if it cannot be asked; and the problems."""
    roles = context.roles
    problems = []
    if question.answer not in quiz.choices:
        message = (
            f"'{question.answer}' is not one of the choices {', '.join(quiz.choices)}; {LEFT_OUT}"
        )
        problems.append(Problem(path, f"{where}.answer", message))
    if roles.find(question.role) is None:
        problems.append(unknown_role(path, f"{where}.role", question.role, roles, "this question"))
    if problems:
        return None, problems
    disagreement = _activity_disagreement(question, quiz, context)
    if disagreement:
        return None, [Problem(path, f"{where}.activity", f"{disagreement}; {LEFT_OUT}")]
    if question.see is None:
        message = (
            "missing: name the section that teaches this, such as glossary#what or "
            "home#where-the-roles-meet (until then the answer links to the role's page)"
        )
        problems.append(Problem(path, f"{where}.see", message))
        return question, problems
    try:
        resolve_see(question.see, roles, context.glossary, context.example, context.home)
    except ValueError as exc:
        message = f"{exc}; this link is left out (the answer links to the role's page)"
        problems.append(Problem(path, f"{where}.see", message))
        question = question.model_copy(update={"see": None})
    return question, problems


def _activity_disagreement(question: Question, quiz: Quiz, context: _Context) -> str | None:
    """Why the question's `activity` contradicts the who-owns-what matrix, or None.

    In a quiz whose choices are roles, the answer must lead the activity; in any other
    quiz (What vs How), the question's role must take part in it. Nothing is checked
    without an activity or without the matrix, nor when the answer's role file is
    broken (its own problem says so).
    """
    if question.activity is None or context.matrix is None:
        return None
    roles = context.roles
    if any(roles.find(choice) is not None for choice in quiz.choices):
        answer = roles.find(question.answer)
        if answer is None:
            return None
        return context.matrix.disagreement(question.activity, answer.id, "lead")
    return context.matrix.disagreement(
        question.activity, roles.find(question.role).id, "takes part"
    )
