"""The quiz in headless Chromium at phone size: a whole attempt, a retry, axe on every state."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from teamroles import quiz as engine
from teamroles.site import load_site
from tests import browser

ROOT = Path(__file__).resolve().parent.parent
QUIZ_ID = "who-does-this"
SEED = 2718
LENGTH = engine.RANDOM_LENGTH

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=browser.PHONE, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def wait(page) -> None:
    browser.wait_for_app(page)


def statement_on_screen(page, quiz) -> object:
    text = page.locator("h4").first.inner_text().strip()
    return next(q for q in quiz.questions if q.statement == text)


def check_axe(page, state: str, found: dict) -> None:
    violations = browser.axe_violations(page)
    if violations:
        found[state] = violations


def shoot(page, name: str) -> None:
    browser.save_screenshot(page, f"quiz-{name}-phone")


def answer(page, choice: str, quiz, question) -> None:
    page.get_by_role("button", name=choice, exact=True).click()
    wait(page)
    page.get_by_text(f"the answer is {question.answer}.").wait_for()


def next_step(page) -> None:
    button = page.get_by_role("button", name=re.compile("^(Next question|See your score)$"))
    button.click()
    wait(page)


def test_a_reader_plays_a_replayed_quiz_and_retries_the_missed_questions(phone, server_url):
    page = phone
    quiz = next(q for q in load_site().quizzes if q.id == QUIZ_ID)
    expected_order = engine.shuffled(quiz.question_ids, SEED, LENGTH)
    axe_found: dict[str, list] = {}

    browser.open_page(page, f"{server_url}/quiz?quiz={QUIZ_ID}&length={LENGTH}&seed={SEED}")
    page.get_by_text(f"This link replays seed {SEED}").wait_for()
    check_axe(page, "start", axe_found)
    shoot(page, "start")
    page.get_by_role("button", name="Start the quiz").click()
    wait(page)
    page.get_by_text(f"Seed {SEED}").wait_for()
    assert f"seed={SEED}" in page.url
    check_axe(page, "question", axe_found)

    asked = []
    for i in range(LENGTH):
        page.get_by_text(f"Question {i + 1} of {LENGTH}").wait_for()
        question = statement_on_screen(page, quiz)
        assert question.id == expected_order[i]
        right = i % 3 != 1
        if i == 0:
            page.get_by_text("Certain", exact=True).click()
            wait(page)
            expect(page.get_by_role("radio", name="Certain")).to_be_checked()
            check_axe(page, "confidence chosen", axe_found)
            shoot(page, "question")
        choice = question.answer if right else next(c for c in quiz.choices if c != question.answer)
        answer(page, choice, quiz, question)
        asked.append((question, right))
        if i in (0, 1):
            verdict = "Right" if right else "Not quite"
            assert page.get_by_text(verdict).count() >= 1
            check_axe(page, f"feedback {verdict}", axe_found)
            assert page.get_by_role("link", name=re.compile("^.*Read more on the")).count() == 1
            if not right:
                shoot(page, "feedback")
        if i == 2:
            # leave for the role page that explains the answer, then come back
            page.get_by_role("link", name=re.compile("Read more on the")).click()
            wait(page)
            page.get_by_role("link", name=re.compile("Test yourself")).click()
            wait(page)
            page.get_by_text(f"{quiz.title}: 3 of {LENGTH} answered").wait_for()
            assert statement_on_screen(page, quiz) == question
        next_step(page)

    right_count = sum(r for _, r in asked)
    percent = round(100 * right_count / LENGTH)
    page.get_by_text(f"{right_count} of {LENGTH} right ({percent}%)").wait_for()
    page.get_by_test_id("stPlotlyChart").wait_for()
    per_role = {c: [r for q, r in asked if q.answer == c] for c in quiz.choices}
    words = "; ".join(f"{c}: {sum(v)} of {len(v)} right" for c, v in per_role.items() if v)
    page.get_by_text(f"In words: {words}.").wait_for()
    page.get_by_text("Across the 1 answer(s) where you said how sure").wait_for()
    rows = page.get_by_test_id("stTable").filter(has_text="Your answer").locator("tbody tr")
    expect(rows).to_have_count(LENGTH)
    check_axe(page, "results", axe_found)
    shoot(page, "results")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this attempt (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"{QUIZ_ID}-seed-{SEED}.csv"
    records = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [r["question_id"] for r in records] == list(expected_order)
    assert [r["correct"] for r in records] == ["yes" if r else "no" for _, r in asked]

    missed = {q.id for q, r in asked if not r}
    page.get_by_role("button", name=f"Retry the {len(missed)} missed question(s)").click()
    wait(page)
    page.get_by_text("(retry of the missed questions)").wait_for()
    check_axe(page, "retry question", axe_found)
    retried = set()
    for i in range(len(missed)):
        page.get_by_text(f"Question {i + 1} of {len(missed)}").wait_for()
        question = statement_on_screen(page, quiz)
        retried.add(question.id)
        answer(page, question.answer, quiz, question)
        next_step(page)
    assert retried == missed
    page.get_by_text(f"{len(missed)} of {len(missed)} right (100%)").wait_for()
    page.get_by_text("Nothing missed").wait_for()
    check_axe(page, "retry results", axe_found)

    page.get_by_role("button", name="Start again").click()
    wait(page)
    page.get_by_role("button", name="Start the quiz").wait_for()
    assert axe_found == {}
