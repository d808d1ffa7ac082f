"""Question banks: one YAML file per quiz in `content/quizzes/`.

A broken question is reported (file, question index and id, field) and left
out; the rest of its quiz, and every other quiz, keeps working. A file that
cannot be read at all, or whose quiz fields are wrong, is left out whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from teamroles.content_model import ID_PATTERN, ContentModel
from teamroles.glossary import Glossary
from teamroles.markdown_files import slugify
from teamroles.problems import (
    ContentError,
    Problem,
    display_path,
    read_yaml_mapping,
    validation_problems,
)
from teamroles.roles import Role, RoleIndex

GLOSSARY_PAGE = "glossary"


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
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

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
        return f"/{self.url_path}#{self.anchor}" if self.anchor else f"/{self.url_path}"


def role_sections(role: Role) -> dict[str, str]:
    """The sections a role page shows, as anchor -> heading (as app_pages/role.py draws them)."""
    sections = {}
    for anchor, heading, items in (
        ("responsible-for", "Responsible for", role.responsibilities),
        ("measured-by", "Measured by", role.measured_by),
        ("concerned-with", "Concerned with", role.concerns),
        ("receives-from", "Receives from", role.receives_from),
        ("hands-to", "Hands to", role.hands_to),
        ("specialties", "Specialties", role.specialties),
        ("misunderstandings", "Common misunderstandings", role.misunderstandings),
    ):
        if items:
            sections[anchor] = heading
    for specialty in role.specialties:
        sections[specialty.anchor] = specialty.name
    return sections


def resolve_see(see: str, roles: RoleIndex, glossary: Glossary | None) -> SeeTarget:
    """`dev-team#mlops`, `DS`, `glossary#verification` -> a SeeTarget; ValueError if unknown."""
    page, _, anchor = see.partition("#")
    page, anchor = page.strip(), slugify(anchor) if anchor.strip() else None
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
        raise ValueError(f"'{page}' is neither a role (id or alias) nor 'glossary'")
    if anchor is None:
        return SeeTarget(role.id, role.title)
    sections = role_sections(role)
    if anchor not in sections:
        known = ", ".join(sections) or "none"
        raise ValueError(f"the {role.title} page has no section '{anchor}' (it has: {known})")
    return SeeTarget(role.id, role.title, anchor, sections[anchor])


def see_target(question: Question, roles: RoleIndex, glossary: Glossary | None) -> SeeTarget | None:
    """Where the app sends the reader after this question: `see`, else the role's page."""
    try:
        return resolve_see(question.see or question.role, roles, glossary)
    except ValueError:
        return None


def load_quizzes(
    content_dir: Path, roles: RoleIndex, glossary: Glossary | None
) -> tuple[list[Quiz], list[Problem]]:
    """Every usable quiz in `content/quizzes/`, plus a Problem for each thing wrong."""
    folder = content_dir / "quizzes"
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    quizzes: list[Quiz] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    for path in paths:
        shown = display_path(path, content_dir)
        quiz, file_problems = parse_quiz(path, shown, roles, glossary)
        problems += file_problems
        if quiz is None:
            continue
        if quiz.id in taken:
            problems.append(
                Problem(shown, "id", f"'{quiz.id}' is already used by {taken[quiz.id]}")
            )
            continue
        taken[quiz.id] = shown
        quizzes.append(quiz)
    return sorted(quizzes, key=lambda quiz: (quiz.order, quiz.title)), problems


def parse_quiz(
    path: Path, shown: str, roles: RoleIndex, glossary: Glossary | None
) -> tuple[Quiz | None, list[Problem]]:
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
    seen: dict[str, int] = {}
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
        question_problems = _check_question(question, quiz, roles, glossary)
        if question.id in seen:
            question_problems.append(
                ("id", f"'{question.id}' is already used by questions[{seen[question.id]}]")
            )
        else:
            seen[question.id] = i
        if question_problems:
            problems += [
                Problem(shown, f"{where}.{field}", msg) for field, msg in question_problems
            ]
            continue
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


def _check_question(
    question: Question, quiz: Quiz, roles: RoleIndex, glossary: Glossary | None
) -> list[tuple[str, str]]:
    problems = []
    if question.answer not in quiz.choices:
        problems.append(
            (
                "answer",
                f"'{question.answer}' is not one of the choices {', '.join(quiz.choices)}",
            )
        )
    if roles.find(question.role) is None:
        problems.append(("role", roles.unknown(question.role)))
    if question.see is not None:
        try:
            resolve_see(question.see, roles, glossary)
        except ValueError as exc:
            problems.append(("see", str(exc)))
    return problems
