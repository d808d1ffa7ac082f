"""The quiz's results chart and its sentence, built from attempts played through the engine."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import pytest

from teamroles import quiz as engine
from teamroles.figures import quiz_results, style


@dataclass(frozen=True)
class Question:
    id: str
    statement: str
    answer: str


@dataclass(frozen=True)
class Quiz:
    id: str
    choices: list[str]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


# "Neither" is a choice no question has as its answer; questions are listed out of
# the choice order, so the chart's order has to come from the quiz's choices.
QUIZ = Quiz(
    id="made-up",
    choices=["What", "How", "Neither"],
    questions=tuple(
        Question(f"q{i}", f"Statement {i}", answer)
        for i, answer in enumerate(["How", "What", "How", "What", "What", "How", "What"])
    ),
)
# Which questions the reader gets right; the others get a wrong choice.
RIGHT = {"q0", "q1", "q3", "q6"}


def play(seed: int, answered: int) -> engine.Attempt:
    """Answer the first `answered` questions in the seed's order, as RIGHT says."""
    attempt = engine.start(QUIZ, [q.id for q in QUIZ.questions], seed)
    for _ in range(answered):
        question = QUIZ.question(attempt.current_id)
        wrong = next(choice for choice in QUIZ.choices if choice != question.answer)
        attempt = attempt.answer(QUIZ, question.answer if question.id in RIGHT else wrong)
        attempt = attempt.next()
    return attempt


def expected(attempt: engine.Attempt) -> dict[str, tuple[int, int]]:
    """(right, wrong) per correct answer over the questions answered, in choice order."""
    asked = [QUIZ.question(a.question_id) for a in attempt.answers]
    counts = {}
    for choice in QUIZ.choices:
        mine = [q for q in asked if q.answer == choice]
        if mine:
            right = sum(q.id in RIGHT for q in mine)
            counts[choice] = (right, len(mine) - right)
    return counts


def bar(figure: go.Figure, name: str) -> go.Bar:
    [trace] = [trace for trace in figure.data if trace.name == name]
    return trace


ATTEMPTS = [(seed, answered) for seed in (1234, 8765) for answered in (3, len(QUIZ.questions))]


@pytest.mark.parametrize(("seed", "answered"), ATTEMPTS)
def test_the_bars_count_the_right_and_wrong_answers_per_correct_answer(seed, answered):
    attempt = play(seed, answered)
    want = expected(attempt)
    figure = quiz_results.results_figure(engine.breakdown(attempt, QUIZ.choices))
    right, wrong = bar(figure, "Right"), bar(figure, "Wrong")
    assert list(right.y) == list(wrong.y) == list(want)
    assert list(right.x) == [r for r, _ in want.values()]
    assert list(wrong.x) == [w for _, w in want.values()]
    # A zero count writes no label inside its (empty) bar.
    assert list(right.text) == [str(r) if r else "" for r, _ in want.values()]
    assert list(wrong.text) == [str(w) if w else "" for _, w in want.values()]
    assert right.orientation == wrong.orientation == "h"
    assert figure.layout.barmode == "stack"


def test_the_wrong_bars_are_hatched_not_only_coloured():
    figure = quiz_results.results_figure(engine.breakdown(play(1234, 5), QUIZ.choices))
    right, wrong = bar(figure, "Right"), bar(figure, "Wrong")
    assert right.marker.color == style.RIGHT_COLOUR
    assert wrong.marker.color == style.WRONG_COLOUR
    assert right.marker.color != wrong.marker.color
    assert wrong.marker.pattern.shape
    assert not right.marker.pattern.shape


@pytest.mark.parametrize(("seed", "answered"), ATTEMPTS)
def test_the_sentence_says_n_of_m_right_per_answer_in_choice_order(seed, answered):
    attempt = play(seed, answered)
    want = expected(attempt)
    sentence = quiz_results.results_sentence(engine.breakdown(attempt, QUIZ.choices))
    parts = [f"{choice}: {r} of {r + w} right" for choice, (r, w) in want.items()]
    assert sentence == f"In words: {'; '.join(parts)}."
    positions = [sentence.index(f"{choice}:") for choice in want]
    assert positions == sorted(positions)
    assert "Neither" not in sentence  # no question had it as its answer


def test_an_attempt_can_reach_every_count_the_tests_rely_on():
    """The made-up attempt mixes right and wrong for some answer, or the tests prove little."""
    counts = expected(play(1234, len(QUIZ.questions)))
    assert list(counts) == ["What", "How"]
    assert any(r and w for r, w in counts.values())
