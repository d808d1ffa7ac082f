"""The quiz engine: attempts, shuffling, scoring, breakdowns, retries and calibration.

Pure Python with no Streamlit import, so every rule here is unit-tested on its own.
An `Attempt` is immutable: answering or moving on returns a new one, which makes
the page's session state easy to reason about (one object, replaced each step).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

SEED_MIN, SEED_MAX = 1000, 9999
RANDOM_LENGTH = 10

# How sure a reader can say they are, with the share of answers they expect to
# get right at that level. "Guessing" means chance, set per quiz (1 / choices).
CONFIDENCE_LEVELS: tuple[str, ...] = ("Guessing", "Fairly sure", "Certain")
CONFIDENCE_EXPECTED = {"Fairly sure": 0.75, "Certain": 1.0}


class QuestionLike(Protocol):
    id: str
    statement: str
    answer: str


class QuizLike(Protocol):
    id: str
    choices: list[str]

    @property
    def question_ids(self) -> list[str]: ...

    def question(self, question_id: str) -> QuestionLike: ...


def labelled(title: str, text: str) -> str:
    """`title` followed by `text`: 'What vs How: 3 of 4 right'.

    A title that already ends in a question or exclamation mark (or a colon or full
    stop) is not given a colon too: 'Who does this? 3 of 4 right'.
    """
    title = title.rstrip()
    if title.endswith(("?", "!", ".", ":")):
        return f"{title} {text}"
    return f"{title}: {text}"


def new_seed(rng: random.Random | None = None) -> int:
    """A short seed a reader can read aloud or type into the URL."""
    return (rng or random.SystemRandom()).randint(SEED_MIN, SEED_MAX)


def shuffled(question_ids: list[str], seed: int, length: int | None = None) -> tuple[str, ...]:
    """The question ids in the order this seed gives, cut to `length` if given."""
    order = list(question_ids)
    random.Random(seed).shuffle(order)
    if length is not None:
        order = order[: max(length, 0)]
    return tuple(order)


@dataclass(frozen=True)
class Answer:
    question_id: str
    chosen: str
    correct_answer: str
    confidence: str | None = None

    @property
    def correct(self) -> bool:
        return self.chosen == self.correct_answer


@dataclass(frozen=True)
class Attempt:
    """One run through a quiz: which questions, in which order, and the answers so far.

    `cursor` is the question on screen. After an answer the attempt shows
    feedback (answers run one ahead of the cursor) until `next()` moves on.
    """

    quiz_id: str
    seed: int
    order: tuple[str, ...]
    answers: tuple[Answer, ...] = ()
    cursor: int = 0
    retry_of: int | None = None  # the number of missed questions this retry started from

    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def stage(self) -> str:
        """'question', 'feedback' (answered, not moved on) or 'finished'."""
        if self.cursor >= self.total:
            return "finished"
        return "feedback" if len(self.answers) > self.cursor else "question"

    @property
    def current_id(self) -> str | None:
        return self.order[self.cursor] if self.cursor < self.total else None

    @property
    def last_answer(self) -> Answer | None:
        return self.answers[-1] if self.answers else None

    @property
    def progress(self) -> float:
        """Share of questions answered, 0.0 to 1.0."""
        return len(self.answers) / self.total if self.total else 1.0

    def answer(self, quiz: QuizLike, chosen: str, confidence: str | None = None) -> Attempt:
        """Record the answer to the question on screen. Answering twice changes nothing."""
        if self.stage != "question":
            return self
        if chosen not in quiz.choices:
            raise ValueError(f"{chosen!r} is not one of {quiz.choices}")
        if confidence is not None and confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"{confidence!r} is not one of {CONFIDENCE_LEVELS}")
        question = quiz.question(self.current_id)
        record = Answer(question.id, chosen, question.answer, confidence)
        return replace(self, answers=(*self.answers, record))

    def next(self) -> Attempt:
        """Move on from the feedback to the next question (or the end)."""
        if self.stage != "feedback":
            return self
        return replace(self, cursor=self.cursor + 1)

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(a.question_id for a in self.answers if not a.correct)


def start(quiz: QuizLike, question_ids: list[str], seed: int, length: int | None = None) -> Attempt:
    """A fresh attempt at `quiz`: its questions shuffled by `seed`, `length` of them."""
    return Attempt(quiz_id=quiz.id, seed=seed, order=shuffled(question_ids, seed, length))


def retry_missed(attempt: Attempt, seed: int) -> Attempt:
    """A new attempt with only the questions this one got wrong, shuffled again."""
    missed = list(attempt.missed)
    return Attempt(
        quiz_id=attempt.quiz_id,
        seed=seed,
        order=shuffled(missed, seed),
        retry_of=len(missed),
    )


@dataclass(frozen=True)
class Score:
    correct: int
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


def score(attempt: Attempt) -> Score:
    return Score(sum(a.correct for a in attempt.answers), len(attempt.answers), attempt.total)


def running_score(attempt: Attempt) -> str:
    """The score while the quiz runs: '7 of 9 right so far' (before any answer, the size)."""
    result = score(attempt)
    if not result.answered:
        return f"{result.total} question{'' if result.total == 1 else 's'}"
    return f"{result.correct} of {result.answered} right so far"


@dataclass(frozen=True)
class BreakdownRow:
    """Results for the questions whose correct answer is `label` (What, How, PM...)."""

    label: str
    correct: int
    total: int

    @property
    def wrong(self) -> int:
        return self.total - self.correct


def breakdown(attempt: Attempt, choices: list[str]) -> list[BreakdownRow]:
    """Right and wrong answers grouped by the correct answer, in the quiz's choice order.

    Choices that no question in this attempt had as its answer are left out.
    """
    rows = []
    for choice in choices:
        answers = [a for a in attempt.answers if a.correct_answer == choice]
        if answers:
            rows.append(BreakdownRow(choice, sum(a.correct for a in answers), len(answers)))
    return rows


@dataclass(frozen=True)
class CalibrationRow:
    """How often the reader was right when they said they were `level`."""

    level: str
    expected: float  # the share right that this level of confidence promises
    correct: int
    total: int

    @property
    def actual(self) -> float:
        return self.correct / self.total if self.total else 0.0


def calibration(attempt: Attempt, n_choices: int) -> list[CalibrationRow]:
    """One row per confidence level the reader used, in order from least to most sure."""
    expected = {"Guessing": 1 / n_choices if n_choices else 0.0, **CONFIDENCE_EXPECTED}
    rows = []
    for level in CONFIDENCE_LEVELS:
        answers = [a for a in attempt.answers if a.confidence == level]
        if answers:
            rows.append(
                CalibrationRow(
                    level, expected[level], sum(a.correct for a in answers), len(answers)
                )
            )
    return rows


def calibration_verdict(rows: list[CalibrationRow]) -> str | None:
    """One plain sentence on how well confidence matched results; None without data."""
    total = sum(row.total for row in rows)
    if not total:
        return None
    promised = sum(row.expected * row.total for row in rows) / total
    actual = sum(row.correct for row in rows) / total
    gap = actual - promised
    detail = (
        f"Across the {total} answer(s) where you said how sure you were, your confidence "
        f"promised about {promised:.0%} right and you got {actual:.0%}."
    )
    if gap < -0.15:
        return f"{detail} You were more sure than your results: slow down on the tricky ones."
    if gap > 0.15:
        return f"{detail} You knew more than you thought: trust yourself a little more."
    return f"{detail} Your confidence matched your results well."


@dataclass(frozen=True)
class ReviewRow:
    number: int
    question_id: str
    statement: str
    chosen: str
    correct_answer: str
    correct: bool
    confidence: str | None


def review(attempt: Attempt, quiz: QuizLike) -> list[ReviewRow]:
    """Every answered question, in the order it was asked."""
    return [
        ReviewRow(
            number=i,
            question_id=a.question_id,
            statement=quiz.question(a.question_id).statement,
            chosen=a.chosen,
            correct_answer=a.correct_answer,
            correct=a.correct,
            confidence=a.confidence,
        )
        for i, a in enumerate(attempt.answers, start=1)
    ]


CSV_COLUMNS = (
    "quiz",
    "seed",
    "number",
    "question_id",
    "statement",
    "your_answer",
    "correct_answer",
    "correct",
    "confidence",
)


def attempt_csv(attempt: Attempt, quiz: QuizLike) -> str:
    """The attempt as CSV, one row per answered question."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in review(attempt, quiz):
        writer.writerow(
            [
                attempt.quiz_id,
                attempt.seed,
                row.number,
                row.question_id,
                row.statement,
                row.chosen,
                row.correct_answer,
                "yes" if row.correct else "no",
                row.confidence or "",
            ]
        )
    return out.getvalue()


# An unfinished attempt as a small JSON-able dict, to keep in the reader's browser
# and resume after a reload. What comes back from a browser is untrusted: it is
# checked against the current banks and refused (None) rather than trusted or raised on.
KEPT_VERSION = 1


def kept_data(attempt: Attempt) -> dict[str, Any] | None:
    """The attempt as a small JSON-able dict; None once it is finished (nothing to resume).

    The correct answers are not stored: they are read again from the bank on restore.
    """
    if attempt.stage == "finished":
        return None
    return {
        "v": KEPT_VERSION,
        "quiz": attempt.quiz_id,
        "seed": attempt.seed,
        "order": list(attempt.order),
        "answers": [[a.chosen, a.confidence] for a in attempt.answers],
        "cursor": attempt.cursor,
        "retry_of": attempt.retry_of,
    }


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool, which is an int too


def attempt_from_kept(data: object, quizzes: Mapping[str, QuizLike]) -> Attempt | None:
    """The unfinished attempt `data` describes, checked against `quizzes`; None if any part
    is wrong: not a dict of the expected types, an unknown quiz, an unknown or repeated
    question, an answer that is not one of the choices, a cursor out of range."""
    if not isinstance(data, dict) or data.get("v") != KEPT_VERSION:
        return None
    quiz_id, seed, order = data.get("quiz"), data.get("seed"), data.get("order")
    answers, cursor, retry_of = data.get("answers"), data.get("cursor"), data.get("retry_of")
    if not isinstance(quiz_id, str) or quiz_id not in quizzes:
        return None
    quiz = quizzes[quiz_id]
    if not _is_int(seed) or not 0 <= seed < 10**9:
        return None
    known = set(quiz.question_ids)
    if not isinstance(order, list) or not order:
        return None
    if not all(isinstance(qid, str) and qid in known for qid in order):
        return None
    if len(set(order)) != len(order):
        return None
    if not _is_int(cursor) or not 0 <= cursor < len(order):
        return None
    if not isinstance(answers, list) or len(answers) not in (cursor, cursor + 1):
        return None
    if retry_of is not None and (not _is_int(retry_of) or retry_of != len(order)):
        return None
    records = []
    for question_id, given in zip(order, answers, strict=False):
        if not isinstance(given, list) or len(given) != 2:
            return None
        chosen, confidence = given
        if not isinstance(chosen, str) or chosen not in quiz.choices:
            return None
        if confidence is not None and confidence not in CONFIDENCE_LEVELS:
            return None
        records.append(Answer(question_id, chosen, quiz.question(question_id).answer, confidence))
    return Attempt(
        quiz_id=quiz_id,
        seed=seed,
        order=tuple(order),
        answers=tuple(records),
        cursor=cursor,
        retry_of=retry_of,
    )
