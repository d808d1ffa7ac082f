"""The quiz engine on its own: shuffling, answering, scoring, retries, calibration, CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamroles import quiz as engine


@dataclass(frozen=True)
class Q:
    id: str
    statement: str
    answer: str


@dataclass
class FakeQuiz:
    choices: list[str]
    questions: list[Q]
    id: str = "fake"
    _by_id: dict = field(default_factory=dict)

    def question(self, question_id: str) -> Q:
        return next(q for q in self.questions if q.id == question_id)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]


def make_quiz(answers: list[str], choices=("What", "How")) -> FakeQuiz:
    questions = [Q(f"q-{i}", f"Statement {i}", a) for i, a in enumerate(answers)]
    return FakeQuiz(list(choices), questions)


answers_lists = st.lists(st.sampled_from(["What", "How"]), min_size=1, max_size=30)


def play(quiz: FakeQuiz, attempt: engine.Attempt, pick, confidence=None) -> engine.Attempt:
    """Answer every question with `pick(question)` and move on after each."""
    while attempt.stage != "finished":
        question = quiz.question(attempt.current_id)
        attempt = attempt.answer(quiz, pick(question), confidence(question) if confidence else None)
        assert attempt.stage == "feedback"
        attempt = attempt.next()
    return attempt


@given(ids=st.lists(st.text(min_size=1), unique=True, max_size=40), seed=st.integers(0, 10**6))
def test_a_seed_always_gives_the_same_order_of_the_same_questions(ids, seed):
    first = engine.shuffled(ids, seed)
    assert first == engine.shuffled(ids, seed)
    assert sorted(first) == sorted(ids)


@given(
    ids=st.lists(st.text(min_size=1), unique=True, max_size=40),
    seed=st.integers(0, 10**6),
    length=st.integers(0, 50),
)
def test_a_random_length_takes_that_many_distinct_questions(ids, seed, length):
    order = engine.shuffled(ids, seed, length)
    assert len(order) == min(length, len(ids))
    assert len(set(order)) == len(order)
    assert set(order) <= set(ids)


def test_different_seeds_usually_give_different_orders():
    ids = [f"q-{i}" for i in range(20)]
    orders = {engine.shuffled(ids, seed) for seed in range(1000, 1020)}
    assert len(orders) > 15


@given(answers=answers_lists, seed=st.integers(0, 9999), data=st.data())
def test_score_counts_exactly_the_right_answers(answers, seed, data):
    quiz = make_quiz(answers)
    attempt = engine.start(quiz, [q.id for q in quiz.questions], seed)
    picks = {q.id: data.draw(st.sampled_from(quiz.choices)) for q in quiz.questions}
    done = play(quiz, attempt, lambda q: picks[q.id])
    expected = sum(picks[q.id] == q.answer for q in quiz.questions)
    result = engine.score(done)
    assert (result.correct, result.answered, result.total) == (expected, len(answers), len(answers))
    assert set(done.missed) == {q.id for q in quiz.questions if picks[q.id] != q.answer}
    rows = engine.breakdown(done, quiz.choices)
    assert sum(row.correct for row in rows) == expected
    assert sum(row.total for row in rows) == len(answers)
    for row in rows:
        assert row.total == sum(q.answer == row.label for q in quiz.questions)


@given(answers=answers_lists, seed=st.integers(0, 9999), data=st.data())
def test_retry_asks_exactly_the_missed_questions(answers, seed, data):
    quiz = make_quiz(answers)
    picks = {q.id: data.draw(st.sampled_from(quiz.choices)) for q in quiz.questions}
    done = play(
        quiz, engine.start(quiz, [q.id for q in quiz.questions], seed), lambda q: picks[q.id]
    )
    retry = engine.retry_missed(done, seed + 1)
    assert sorted(retry.order) == sorted(done.missed)
    assert retry.retry_of == len(done.missed)
    assert retry.answers == ()
    perfect = play(quiz, retry, lambda q: q.answer)
    assert engine.score(perfect).correct == len(done.missed)
    assert engine.retry_missed(perfect, 1).order == ()


def test_an_attempt_moves_question_feedback_question_then_finishes():
    quiz = make_quiz(["What", "How"])
    attempt = engine.start(quiz, ["q-0", "q-1"], seed=1234)
    assert (attempt.stage, attempt.progress) == ("question", 0.0)
    first = attempt.current_id
    attempt = attempt.answer(quiz, "How", "Certain")
    assert attempt.stage == "feedback"
    assert attempt.current_id == first
    assert attempt.last_answer.correct == (quiz.question(first).answer == "How")
    assert attempt.answer(quiz, "What") is attempt  # a second click changes nothing
    attempt = attempt.next()
    assert attempt.stage == "question" and attempt.current_id != first
    attempt = attempt.answer(quiz, "What").next()
    assert attempt.stage == "finished"
    assert attempt.progress == 1.0
    assert attempt.next() is attempt


def test_an_answer_outside_the_choices_is_refused():
    quiz = make_quiz(["What"])
    attempt = engine.start(quiz, ["q-0"], seed=1)
    with pytest.raises(ValueError, match="Maybe"):
        attempt.answer(quiz, "Maybe")
    with pytest.raises(ValueError, match="Very"):
        attempt.answer(quiz, "What", confidence="Very")


def test_breakdown_follows_the_quiz_choice_order_and_skips_unused_choices():
    quiz = make_quiz(["QA", "PM", "PM"], choices=("PM", "DS", "Dev", "QA"))
    done = play(quiz, engine.start(quiz, ["q-0", "q-1", "q-2"], 5), lambda q: "PM")
    rows = engine.breakdown(done, quiz.choices)
    assert [(r.label, r.correct, r.wrong) for r in rows] == [("PM", 2, 0), ("QA", 0, 1)]


def test_calibration_compares_stated_confidence_with_results():
    quiz = make_quiz(["What"] * 6)
    confidences = iter(["Certain", "Certain", "Certain", "Certain", "Guessing", None])
    done = play(
        quiz,
        engine.start(quiz, [q.id for q in quiz.questions], 9),
        lambda q: "How",  # every answer wrong
        confidence=lambda q: next(confidences),
    )
    rows = engine.calibration(done, n_choices=2)
    assert [(r.level, r.correct, r.total, r.expected) for r in rows] == [
        ("Guessing", 0, 1, 0.5),
        ("Certain", 0, 4, 1.0),
    ]
    verdict = engine.calibration_verdict(rows)
    assert "5 answer(s)" in verdict and "more sure than your results" in verdict


def test_calibration_says_nothing_when_no_confidence_was_given():
    quiz = make_quiz(["What", "How"])
    done = play(quiz, engine.start(quiz, ["q-0", "q-1"], 3), lambda q: q.answer)
    assert engine.calibration(done, 2) == []
    assert engine.calibration_verdict([]) is None


def test_well_matched_confidence_is_called_so():
    quiz = make_quiz(["What"] * 4)
    done = play(
        quiz,
        engine.start(quiz, [q.id for q in quiz.questions], 2),
        lambda q: q.answer,
        confidence=lambda q: "Certain",
    )
    assert "matched your results well" in engine.calibration_verdict(engine.calibration(done, 2))


def test_the_csv_has_one_row_per_answer_with_the_readers_choice():
    quiz = make_quiz(["What", "How", "How"])
    done = play(quiz, engine.start(quiz, ["q-0", "q-1", "q-2"], 77), lambda q: "How")
    rows = list(csv.DictReader(io.StringIO(engine.attempt_csv(done, quiz))))
    assert [row["question_id"] for row in rows] == list(done.order)
    assert {row["seed"] for row in rows} == {"77"}
    for row in rows:
        question = quiz.question(row["question_id"])
        assert row["statement"] == question.statement
        assert row["your_answer"] == "How"
        assert row["correct"] == ("yes" if question.answer == "How" else "no")


def test_a_title_and_its_detail_never_get_doubled_punctuation():
    assert engine.labelled("What vs How", "3 of 4 right") == "What vs How: 3 of 4 right"
    for title in ("Who does this?", "Guess!", "Roles.", "Roles:", "Who does this? "):
        line = engine.labelled(title, "3 of 4 right")
        assert line == f"{title.rstrip()} 3 of 4 right"
        assert not any(f"{mark}:" in line for mark in "?!.:"), line


def test_the_running_score_counts_right_answers_among_those_given():
    quiz = make_quiz(["What", "How", "What"])
    attempt = engine.start(quiz, quiz.question_ids, seed=5)
    assert engine.running_score(attempt) == "3 questions"
    first = quiz.question(attempt.current_id)
    attempt = attempt.answer(quiz, first.answer)
    assert engine.running_score(attempt) == "1 of 1 right so far"
    attempt = attempt.next()
    second = quiz.question(attempt.current_id)
    attempt = attempt.answer(quiz, next(c for c in quiz.choices if c != second.answer))
    assert engine.running_score(attempt) == "1 of 2 right so far"


# Keeping an unfinished attempt in the browser: a small JSON-able dict and back.


def part_played(quiz: FakeQuiz, seed: int, steps: int, retry: bool = False) -> engine.Attempt:
    """An attempt `steps` clicks in (an answer or a Next each), stopping before the end."""
    attempt = engine.start(quiz, quiz.question_ids, seed)
    if retry:
        attempt = engine.retry_missed(play(quiz, attempt, lambda q: "How"), seed + 1)
    levels = [None, *engine.CONFIDENCE_LEVELS]
    for step in range(steps):
        if attempt.stage == "question":
            attempt = attempt.answer(quiz, quiz.choices[step % 2], levels[step % 4])
        elif attempt.cursor + 1 < attempt.total:
            attempt = attempt.next()
    return attempt


@given(answers=answers_lists, seed=st.integers(0, 9999), steps=st.integers(0, 70), data=st.data())
def test_an_unfinished_attempt_comes_back_from_its_kept_data_as_it_was(answers, seed, steps, data):
    quiz = make_quiz(answers)
    retry = data.draw(st.booleans()) and "What" in answers
    attempt = part_played(quiz, seed, steps, retry)
    kept = engine.kept_data(attempt)
    through_the_browser = json.loads(json.dumps(kept))
    assert engine.attempt_from_kept(through_the_browser, {quiz.id: quiz}) == attempt


def test_a_finished_attempt_is_not_kept():
    quiz = make_quiz(["What", "How"])
    done = play(quiz, engine.start(quiz, quiz.question_ids, 3), lambda q: q.answer)
    assert engine.kept_data(done) is None


def test_kept_data_is_small():
    quiz = make_quiz(["What", "How"] * 21)
    attempt = part_played(quiz, 7, 60)
    assert len(json.dumps(engine.kept_data(attempt))) < 2_000


def _kept_example() -> tuple[FakeQuiz, dict]:
    quiz = make_quiz(["What", "How", "What", "How"])
    attempt = engine.start(quiz, quiz.question_ids, 42).answer(quiz, "What", "Certain").next()
    return quiz, engine.kept_data(attempt.answer(quiz, "How"))


def _with(**changes):
    def change(data: dict) -> dict:
        return {**data, **changes}

    return change


def _without(key: str):
    return lambda data: {k: v for k, v in data.items() if k != key}


BROKEN = {
    "not a dict": lambda data: [data],
    "a string": lambda data: json.dumps(data),
    "no version": _without("v"),
    "a later version": _with(v=engine.KEPT_VERSION + 1),
    "an unknown quiz": _with(quiz="astrology"),
    "no quiz": _without("quiz"),
    "a quiz id that is not text": _with(quiz=["fake"]),
    "a seed that is text": _with(seed="42"),
    "a seed that is a boolean": _with(seed=True),
    "a negative seed": _with(seed=-1),
    "an order that is not a list": lambda data: {**data, "order": ",".join(data["order"])},
    "an empty order": _with(order=[], answers=[], cursor=0),
    "an unknown question": lambda data: {**data, "order": [*data["order"][:-1], "q-99"]},
    "a question twice": lambda data: {**data, "order": [*data["order"][:-1], data["order"][0]]},
    "a question id that is a number": lambda data: {**data, "order": [1, *data["order"][1:]]},
    "a cursor past the end": lambda data: {**data, "cursor": len(data["order"])},
    "a negative cursor": _with(cursor=-1),
    "a cursor that is text": _with(cursor="1"),
    "a cursor that is a float": _with(cursor=1.0),
    "answers that are not a list": _with(answers="What,How"),
    "too many answers for the cursor": lambda data: {**data, "cursor": 0},
    "too few answers for the cursor": lambda data: {**data, "cursor": 3},
    "an answer that is not a choice": lambda data: {**data, "answers": [["Maybe", None]] * 2},
    "an answer that is not text": lambda data: {**data, "answers": [[1, None], ["How", None]]},
    "an answer without its confidence": lambda data: {**data, "answers": [["What"], ["How"]]},
    "an unknown confidence": lambda data: {**data, "answers": [["What", "Very"], ["How", None]]},
    "an answer that is a dict": lambda data: {**data, "answers": [{"chosen": "What"}] * 2},
    "a retry count that does not match": _with(retry_of=1),
    "a retry count that is text": _with(retry_of="4"),
}


@pytest.mark.parametrize("breakage", list(BROKEN.values()), ids=list(BROKEN))
def test_kept_data_that_does_not_fit_the_bank_is_refused(breakage):
    quiz, data = _kept_example()
    assert engine.attempt_from_kept(data, {quiz.id: quiz}) is not None  # the example is good
    assert engine.attempt_from_kept(breakage(data), {quiz.id: quiz}) is None


def test_kept_data_for_a_bank_that_lost_a_question_is_refused():
    quiz, data = _kept_example()
    smaller = FakeQuiz(quiz.choices, [q for q in quiz.questions if q.id != data["order"][-1]])
    assert engine.attempt_from_kept(data, {quiz.id: smaller}) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(
    junk=json_values,
    overrides=st.dictionaries(
        st.sampled_from(["v", "quiz", "seed", "order", "answers", "cursor", "retry_of"]),
        json_values,
    ),
)
def test_whatever_a_browser_sends_back_never_raises(junk, overrides):
    quiz, data = _kept_example()
    banks = {quiz.id: quiz}
    assert engine.attempt_from_kept(junk, banks) is None or isinstance(junk, dict)
    result = engine.attempt_from_kept({**data, **overrides}, banks)
    assert result is None or isinstance(result, engine.Attempt)
