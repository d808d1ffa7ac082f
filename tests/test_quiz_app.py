"""The quiz page through AppTest: whole attempts, retries, replays, leaving and coming back."""

from __future__ import annotations

import csv
import io
import re

import yaml

from teamroles import quiz as engine
from teamroles.site import load_site
from tests.apptest import open_app, record_downloads

QUIZ_PAGE = "app_pages/quiz.py"


def bank(quiz_id: str, content_dir=None):
    return next(quiz for quiz in load_site(content_dir).quizzes if quiz.id == quiz_id)


def open_quiz(monkeypatch=None, content_dir=None, query: dict | None = None):
    at = open_app(monkeypatch, content_dir)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(QUIZ_PAGE).run()


def start(at, quiz_id: str, length: str):
    at.radio(key="quiz_pick").set_value(quiz_id).run()
    at.radio(key="quiz_length_pick").set_value(length).run()
    return at.button(key="quiz_start").click().run()


def shown_statement(at) -> str:
    headings = [
        line.removeprefix("#### ")
        for m in at.markdown
        for line in m.value.splitlines()
        if line.startswith("#### ")
    ]
    assert len(headings) == 1, headings
    return headings[0]


def shown_question(at, quiz):
    statement = shown_statement(at)
    return next(q for q in quiz.questions if q.statement == statement)


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def wrong_choice(quiz, question) -> str:
    return next(choice for choice in quiz.choices if choice != question.answer)


def answer(at, quiz, right: bool, confidence: str | None = None):
    question = shown_question(at, quiz)
    if confidence:
        [control] = [r for r in at.radio if r.label.startswith("How sure are you?")]
        assert control.value is None
        control.set_value(confidence)
    choice = question.answer if right else wrong_choice(quiz, question)
    at.button(key=f"quiz_answer_{choice}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return question, choice


def play_through(at, quiz, pick_right, confidence=None) -> list[tuple]:
    """Answer until the score shows; `pick_right(i, question)` decides each answer."""
    asked = []
    while _has(at, "quiz_answer_"):
        question = shown_question(at, quiz)
        right = pick_right(len(asked), question)
        answer(at, quiz, right, confidence(len(asked)) if confidence else None)
        asked.append((question, right))
        feedback = at.success[0].value if right else at.error[0].value
        assert f"the answer is **{question.answer}**" in feedback
        assert question.explanation in [m.value for m in at.markdown]
        at.button(key="quiz_next").click().run()
    return asked


def _has(at, key_prefix: str) -> bool:
    return any((b.key or "").startswith(key_prefix) for b in at.button)


def score_line(at) -> str:
    return next(m.value for m in at.markdown if re.match(r"### \d+ of \d+ right", m.value))


def review_rows(at) -> list[dict]:
    return at.table[0].value.to_dict("records")


def test_a_whole_attempt_then_a_retry_of_the_missed_questions(monkeypatch):
    at = open_quiz()
    quiz = bank("what-vs-how")
    at = start(at, "what-vs-how", str(engine.RANDOM_LENGTH))
    downloads = record_downloads(monkeypatch)
    assert progress_text(at) == f"What vs How: 0 of {engine.RANDOM_LENGTH} answered"
    asked = play_through(at, quiz, pick_right=lambda i, q: i % 3 != 0)
    assert len(asked) == engine.RANDOM_LENGTH
    assert len({q.id for q, _ in asked}) == engine.RANDOM_LENGTH
    right = sum(r for _, r in asked)
    total = len(asked)
    assert score_line(at) == f"### {right} of {total} right ({round(100 * right / total)}%)"
    rows = review_rows(at)
    assert [row["Statement"] for row in rows] == [q.statement for q, _ in asked]
    assert [row["Result"] for row in rows] == ["Right" if r else "Wrong" for _, r in asked]
    for row, (question, was_right) in zip(rows, asked, strict=True):
        assert row["Correct answer"] == question.answer
        assert (row["Your answer"] == question.answer) == was_right
    per_answer = {c: [r for q, r in asked if q.answer == c] for c in quiz.choices}
    sentence = "; ".join(f"{c}: {sum(v)} of {len(v)} right" for c, v in per_answer.items() if v)
    assert f"In words: {sentence}." in [m.value for m in at.markdown]
    assert any("did not say how sure" in m.value for m in at.markdown)
    # The CSV the reader downloads: one row per question asked, in the order asked.
    [(file_name, text)] = downloads
    seed = at.session_state["quiz_attempt"].seed
    assert file_name == f"{quiz.id}-seed-{seed}.csv"
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["question_id"] for r in records] == [q.id for q, _ in asked]
    assert [r["statement"] for r in records] == [q.statement for q, _ in asked]
    assert [r["correct_answer"] for r in records] == [q.answer for q, _ in asked]
    assert [r["correct"] for r in records] == ["yes" if right else "no" for _, right in asked]
    for record, (question, right) in zip(records, asked, strict=True):
        assert (record["your_answer"] == question.answer) == right
        assert record["quiz"] == quiz.id and record["seed"] == str(seed)

    missed = [q for q, r in asked if not r]
    assert at.button(key="quiz_retry").label == f"Retry the {len(missed)} missed question(s)"
    at.button(key="quiz_retry").click().run()
    assert "retry of the missed questions" in progress_text(at)
    retried = play_through(at, quiz, pick_right=lambda i, q: True)
    assert sorted(q.id for q, _ in retried) == sorted(q.id for q in missed)
    assert score_line(at) == f"### {len(missed)} of {len(missed)} right (100%)"
    assert any("Nothing missed" in s.value for s in at.success)
    assert not _has(at, "quiz_retry")

    at.button(key="quiz_new").click().run()
    assert at.button(key="quiz_start").label == "Start the quiz"


def test_confidence_is_compared_with_the_results():
    at = start(open_quiz(), "who-does-this", str(engine.RANDOM_LENGTH))
    quiz = bank("who-does-this")
    levels = ["Certain", "Guessing", None]
    asked = play_through(
        at, quiz, pick_right=lambda i, q: i % 2 == 0, confidence=lambda i: levels[i % 3]
    )
    certain = [r for i, (_, r) in enumerate(asked) if levels[i % 3] == "Certain"]
    rows = {row["You said"]: row for row in at.table[0].value.to_dict("records")}
    assert rows["Certain"]["Answers"] == len(certain)
    assert rows["Certain"]["Right"] == sum(certain)
    assert any("where you said how sure you were" in m.value for m in at.markdown)


def test_a_seed_in_the_url_replays_the_same_questions_in_the_same_order():
    quiz = bank("who-does-this")
    seed = 4242
    query = {"quiz": "who-does-this", "length": str(engine.RANDOM_LENGTH), "seed": str(seed)}
    at = open_quiz(query=query)
    assert any(f"replays seed **{seed}**" in i.value for i in at.info)
    at.radio(key="quiz_length_pick").set_value("all").run()
    assert not at.info, "another length is not a replay of the link"
    at.radio(key="quiz_length_pick").set_value(str(engine.RANDOM_LENGTH)).run()
    at.button(key="quiz_start").click().run()
    assert f"Seed {seed}" in [c.value for c in at.caption]
    order = []
    while _has(at, "quiz_answer_"):
        order.append(shown_question(at, quiz).id)
        answer(at, quiz, right=True)
        at.button(key="quiz_next").click().run()
    assert tuple(order) == engine.shuffled(quiz.question_ids, seed, engine.RANDOM_LENGTH)
    replay = f"?quiz=who-does-this&length={engine.RANDOM_LENGTH}&seed={seed}"
    assert any(replay in m.value for m in at.markdown)


def test_leaving_the_page_and_coming_back_keeps_the_progress():
    quiz = bank("what-vs-how")
    at = start(open_quiz(), "what-vs-how", "all")
    for _ in range(3):
        answer(at, quiz, right=True)
        at.button(key="quiz_next").click().run()
    waiting = shown_statement(at)
    at.switch_page("app_pages/home.py").run()
    assert not _has(at, "quiz_answer_")
    at.switch_page(QUIZ_PAGE).run()
    assert shown_statement(at) == waiting
    assert progress_text(at) == f"What vs How: 3 of {len(quiz.questions)} answered"


def test_the_answer_links_to_the_page_that_explains_it():
    quiz = bank("what-vs-how")
    at = start(open_quiz(), "what-vs-how", "all")
    question, _ = answer(at, quiz, right=False)
    site = load_site()
    page = question.see.partition("#")[0] if question.see else question.role
    role = site.roles.find(page)
    title = role.title if role else site.glossary.title
    labels = [link.proto.label for link in at.get("page_link")]
    assert f"Read more on the {title} page" in labels


def test_a_broken_bank_is_reported_and_the_other_quiz_still_works(monkeypatch, content_copy):
    path = content_copy / "quizzes" / "what-vs-how.yaml"
    data = yaml.safe_load(path.read_text())
    data["questions"][3]["answer"] = "Maybe"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    (content_copy / "quizzes" / "who-does-this.yaml").write_text("id: [unclosed\n")
    at = open_quiz(monkeypatch, content_copy)
    problems = at.code[0].value
    assert (
        "content/quizzes/what-vs-how.yaml: questions[3] (wh-04).answer: "
        "'Maybe' is not one of the choices What, How" in problems
    )
    assert "content/quizzes/who-does-this.yaml: yaml: YAML does not parse" in problems
    assert at.radio(key="quiz_pick").options == ["What vs How"]
    quiz = bank("what-vs-how", content_copy)
    at = start(at, "what-vs-how", "all")
    asked = play_through(at, quiz, pick_right=lambda i, q: True)
    assert "wh-04" not in {q.id for q, _ in asked}
    assert score_line(at) == f"### {len(asked)} of {len(asked)} right (100%)"
