"""The quiz in headless Chromium at phone size (375x812): a whole attempt, what fits on the
first screen, the share link, a reload that resumes, a retry, axe on every state."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from teamroles import quiz as engine
from teamroles.content.quizbank import see_target
from teamroles.content.site import load_site
from tests import browser

ROOT = Path(__file__).resolve().parent.parent
QUIZ_ID = "who-does-this"
LENGTH = engine.RANDOM_LENGTH
SCREEN_HEIGHT = browser.PHONE["height"]

pytestmark = pytest.mark.browser

# Every element that scrolls, back to its top: the page as a reader first sees it.
_SCROLL_TO_TOP_JS = """() => { window.scrollTo(0, 0);
    for (const e of document.querySelectorAll('*')) if (e.scrollTop > 0) e.scrollTop = 0; }"""


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=browser.PHONE, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def wait(page) -> None:
    browser.wait_for_app(page)


def worst_case_seed(quiz) -> int:
    """A seed whose first question has the bank's longest statement: the tallest first
    screen a reader can get."""
    longest = max(quiz.questions, key=lambda q: len(q.statement)).id
    return next(
        seed
        for seed in range(engine.SEED_MIN, engine.SEED_MAX + 1)
        if engine.shuffled(quiz.question_ids, seed, LENGTH)[0] == longest
    )


def off_first_screen(page, named: dict) -> list[str]:
    """The names of the elements that are not wholly on the phone's screen, scrolled to
    the top (the reader has not scrolled)."""
    page.evaluate(_SCROLL_TO_TOP_JS)
    outside = []
    for name, locator in named.items():
        box = locator.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > SCREEN_HEIGHT:
            outside.append(f"{name}: {box}")
    return outside


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


def next_button(page):
    return page.get_by_role("button", name=re.compile("^.*(Next question|See your score)$"))


def next_step(page) -> None:
    next_button(page).click()
    wait(page)


def running_score(quiz, asked: list) -> str:
    """The header's text once `asked` (question, right) pairs are answered."""
    right = sum(r for _, r in asked)
    detail = f"{right} of {len(asked)} right so far" if asked else f"{LENGTH} questions"
    return engine.labelled(quiz.title, detail)


def test_a_reader_plays_a_replayed_quiz_and_retries_the_missed_questions(phone, server_url):
    page = phone
    quiz = next(q for q in load_site().quizzes if q.id == QUIZ_ID)
    seed = worst_case_seed(quiz)
    expected_order = engine.shuffled(quiz.question_ids, seed, LENGTH)
    axe_found: dict[str, list] = {}

    browser.open_page(page, f"{server_url}/quiz?quiz={QUIZ_ID}&length={LENGTH}&seed={seed}")
    page.get_by_text("This is a shared quiz").wait_for()
    check_axe(page, "start", axe_found)
    shoot(page, "start")
    page.get_by_role("button", name="Start the quiz").click()
    wait(page)
    assert f"seed={seed}" in page.url
    expect(page.get_by_text(re.compile(rf"Seed {seed}"))).to_have_count(0)
    check_axe(page, "question", axe_found)

    # Share this quiz: the whole address, in a box whose copy button shows without hover.
    page.get_by_role("button", name="Share this quiz").click()
    code = page.get_by_test_id("stCode").filter(has_text="quiz=")
    expect(code).to_have_text(f"{server_url}/quiz?quiz={QUIZ_ID}&length={LENGTH}&seed={seed}")
    expect(code.get_by_role("button", name="Copy to clipboard")).to_be_visible()
    check_axe(page, "share", axe_found)
    page.keyboard.press("Escape")
    expect(code).to_be_hidden()

    asked = []
    for i in range(LENGTH):
        page.get_by_text(f"Question {i + 1} of {LENGTH}").wait_for()
        expect(page.get_by_text(running_score(quiz, asked), exact=True)).to_be_visible()
        question = statement_on_screen(page, quiz)
        assert question.id == expected_order[i]
        right = i % 3 != 1
        if i == 0:
            # The longest statement and every answer fit on the first screen.
            buttons = {c: page.get_by_role("button", name=c, exact=True) for c in quiz.choices}
            assert off_first_screen(page, {"statement": page.locator("h4").first, **buttons}) == []
            page.get_by_text("Certain", exact=True).click()
            wait(page)
            expect(page.get_by_role("radio", name="Certain")).to_be_checked()
            check_axe(page, "confidence chosen", axe_found)
            shoot(page, "question")
        choice = question.answer if right else next(c for c in quiz.choices if c != question.answer)
        answer(page, choice, quiz, question)
        asked.append((question, right))
        expect(page.get_by_text(running_score(quiz, asked), exact=True)).to_be_visible()
        if i in (0, 1):
            verdict = page.get_by_test_id("stAlert").filter(has_text="the answer is")
            expect(verdict).to_contain_text("Right" if right else "Not quite")
            assert off_first_screen(page, {"verdict": verdict, "next": next_button(page)}) == []
            check_axe(page, f"feedback {'right' if right else 'wrong'}", axe_found)
            read_more = re.compile("^.*Read more (on|in) the")
            assert page.get_by_role("link", name=read_more).count() == 1
            if not right:
                shoot(page, "feedback")
        if i == 2:
            # leave for the page that explains the answer, then come back with the
            # browser's Back button (whatever page the answer links to)
            page.get_by_role("link", name=re.compile("Read more (on|in) the")).click()
            wait(page)
            expect(page).not_to_have_url(re.compile(r"/quiz\?"))
            page.go_back()
            wait(page)
            page.get_by_text(running_score(quiz, asked), exact=True).wait_for()
            assert statement_on_screen(page, quiz) == question
        if i == 4:
            # a reload (a new session) resumes from what this browser kept
            page.reload()
            wait(page)
            page.get_by_text(running_score(quiz, asked), exact=True).wait_for()
            assert statement_on_screen(page, quiz) == question
            expect(next_button(page)).to_be_visible()
            check_axe(page, "resumed after a reload", axe_found)
        next_step(page)

    right_count = sum(r for _, r in asked)
    percent = round(100 * right_count / LENGTH)
    score = engine.labelled(quiz.title, f"{right_count} of {LENGTH} right ({percent}%)")
    page.get_by_role("heading", name=score).wait_for()
    page.get_by_test_id("stPlotlyChart").wait_for()
    per_role = {c: [r for q, r in asked if q.answer == c] for c in quiz.choices}
    words = "; ".join(f"{c}: {sum(v)} of {len(v)} right" for c, v in per_role.items() if v)
    page.get_by_text(f"In words: {words}.").wait_for()
    page.get_by_text("Across the 1 answer(s) where you said how sure").wait_for()

    # What to do next comes before the answers; the wrong ones are marked, not only coloured.
    missed = {q.id for q, r in asked if not r}
    actions = [
        page.get_by_role("button", name=f"Retry the {len(missed)} you missed"),
        page.get_by_role("button", name="Start again"),
        page.get_by_role("button", name="Download CSV"),
        page.get_by_role("button", name="Share this quiz"),
    ]
    lowest_action = max(a.bounding_box()["y"] + a.bounding_box()["height"] for a in actions)
    missed_heading = page.get_by_role("heading", name=f"Missed ({len(missed)})")
    every_heading = page.get_by_role("heading", name="Every question")
    assert lowest_action < missed_heading.bounding_box()["y"] < every_heading.bounding_box()["y"]
    assert off_first_screen(page, dict(enumerate(actions))) == []
    every = page.locator("ol").filter(has=page.get_by_text(asked[0][0].statement)).locator("li")
    expect(every).to_have_count(LENGTH)
    for item, (question, right) in zip(every.all(), asked, strict=True):
        expect(item).to_contain_text(question.statement)
        expect(item).to_contain_text("✓ Right" if right else "✗ Wrong")
    wrong_items = page.locator("ul li").filter(has_text="✗ Wrong")
    expect(wrong_items).to_have_count(len(missed))
    expect(page.get_by_test_id("stTable")).to_have_count(0)
    check_axe(page, "results", axe_found)
    shoot(page, "results")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"{QUIZ_ID}-seed-{seed}.csv"
    records = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [r["question_id"] for r in records] == list(expected_order)
    assert [r["correct"] for r in records] == ["yes" if r else "no" for _, r in asked]

    page.get_by_role("button", name=f"Retry the {len(missed)} you missed").click()
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
    retry_score = engine.labelled(quiz.title, f"{len(missed)} of {len(missed)} right (100%)")
    page.get_by_role("heading", name=retry_score).wait_for()
    page.get_by_text("Nothing missed").wait_for()
    check_axe(page, "retry results", axe_found)

    page.get_by_role("button", name="Start again").click()
    wait(page)
    page.get_by_role("button", name="Start the quiz").wait_for()
    page.reload()
    wait(page)
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()
    assert axe_found == {}


@pytest.mark.parametrize("quiz", load_site().quizzes, ids=lambda quiz: quiz.id)
def test_each_quiz_fits_its_longest_question_and_its_verdict_on_a_phone_screen(
    phone, server_url, quiz
):
    page = phone
    seed = worst_case_seed(quiz)
    browser.open_page(page, f"{server_url}/quiz?quiz={quiz.id}&length={LENGTH}&seed={seed}")
    page.get_by_role("button", name="Start the quiz").click()
    wait(page)
    question = statement_on_screen(page, quiz)
    assert question == max(quiz.questions, key=lambda q: len(q.statement))
    buttons = {c: page.get_by_role("button", name=c, exact=True) for c in quiz.choices}
    assert off_first_screen(page, {"statement": page.locator("h4").first, **buttons}) == []
    wrong = next(c for c in quiz.choices if c != question.answer)
    answer(page, wrong, quiz, question)  # the longer verdict: "Not quite: you answered ..."
    verdict = page.get_by_test_id("stAlert").filter(has_text="the answer is")
    assert off_first_screen(page, {"verdict": verdict, "next": next_button(page)}) == []


def test_every_see_link_of_every_bank_lands_on_its_section(server_url, page):
    """Each answer's "jump straight to the section" link: every anchor the banks name is
    an element id on its page as the browser draws it (role pages, glossary, worked
    example, and the home page at `/`), and opening a home section's address scrolls
    to that heading."""
    site = load_site()
    wanted: dict[str, dict[str, str]] = {}
    for quiz in site.quizzes:
        for question in quiz.questions:
            target = see_target(question, site.roles, site.glossary, site.example, site.home)
            if target is not None and target.anchor:
                wanted.setdefault(target.url_path, {})[target.anchor] = target.href
    assert "" in wanted, "a bank links to a section of the home page"
    for url_path, anchors in wanted.items():
        browser.open_page(page, f"{server_url}/{url_path}")
        ids = set(page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
        assert set(anchors) - ids == set(), url_path or "home"
    anchor, href = next(iter(wanted[""].items()))
    browser.open_page(page, f"{server_url}{href}")
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
