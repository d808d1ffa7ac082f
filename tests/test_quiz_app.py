"""The quiz page through AppTest: whole attempts, retries, replays, leaving and coming back,
and a reload that resumes an unfinished quiz from what the browser kept."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml

from teamroles import quiz as engine
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.quizbank import HOME_URL_PATH, see_target
from teamroles.content.site import load_site
from teamroles.ui import progress as progress_ui
from teamroles.ui import quiz as quiz_ui
from teamroles.ui.quiz import see_label
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
    """The results' first line, without its '### ': 'What vs How: 7 of 10 right (70%)'."""
    return next(
        m.value.splitlines()[0].removeprefix("### ")
        for m in at.markdown
        if re.match(r"### .* \d+ of \d+ right \(\d+%\)", m.value)
    )


def section(at, heading: str) -> str | None:
    """The Markdown block that starts with the heading `#### heading`."""
    return next((m.value for m in at.markdown if m.value.startswith(f"#### {heading}")), None)


def answer_items(text: str) -> list[str]:
    """The items of a Markdown list (numbered or bulleted), each as one string."""
    return re.findall(r"^(?:\d+\.|-) (.*?)(?=^(?:\d+\.|-) |\Z)", text, re.M | re.S)


def review_items(at) -> list[str]:
    return answer_items(section(at, "Every question"))


def walk(node):
    """Every element and block under `node`, in the order the page draws them."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def position(at, found) -> int:
    """Where the first element for which `found(element)` is true comes on the page."""
    return next(i for i, element in enumerate(walk(at.main)) if found(element))


def share_link(at) -> str:
    [popover] = at.get("popover")
    [code] = [element for element in walk(popover) if element.type == "code"]
    return code.value


class BrowserStore:
    """Stands in for progress_ui: what one browser keeps, across its sessions (AppTests)."""

    def __init__(self):
        self.now: dict = {}  # what the browser holds
        self.at_start: dict = {}  # what it held when the current session started
        self.writes: list = []  # every value the quiz asked it to keep, in order

    def new_session(self) -> None:
        self.at_start = json.loads(json.dumps(self.now))  # through JSON, as a browser would

    def kept(self, name):
        return self.at_start.get(name)

    def keep(self, name, value):
        if name != quiz_ui.KEPT:
            return
        self.writes.append(value)
        if value is None:
            self.now.pop(name, None)
        else:
            self.now[name] = json.loads(json.dumps(value))


@pytest.fixture
def store(monkeypatch):
    """progress_ui's two functions, patched at module level for the AppTest runs."""
    fake = BrowserStore()
    monkeypatch.setattr(progress_ui, "kept", fake.kept)
    monkeypatch.setattr(progress_ui, "keep", fake.keep)
    monkeypatch.setattr(progress_ui, "reported", lambda: True)  # the browser has reported
    return fake


def test_reset_my_progress_forgets_the_quiz_under_way(store):
    at = start(open_quiz(), "what-vs-how", "all")
    assert _has(at, "quiz_answer_")
    at.sidebar.button(key="progress-reset").click().run()
    assert not at.exception
    assert quiz_ui.ATTEMPT not in at.session_state
    assert not _has(at, "quiz_answer_")
    assert _has(at, "quiz_start")  # the picker again


def test_a_whole_attempt_then_a_retry_of_the_missed_questions(monkeypatch):
    at = open_quiz()
    quiz = bank("what-vs-how")
    at = start(at, "what-vs-how", str(engine.RANDOM_LENGTH))
    downloads = record_downloads(monkeypatch)
    assert progress_text(at) == f"What vs How: {engine.RANDOM_LENGTH} questions"
    asked = []
    while _has(at, "quiz_answer_"):
        asked += play_through_one(at, quiz, right=len(asked) % 3 != 0)
        # The running score, read from the header after each answer.
        right_so_far = sum(r for _, r in asked)
        assert progress_text(at) == f"What vs How: {right_so_far} of {len(asked)} right so far"
        at.button(key="quiz_next").click().run()
    assert len(asked) == engine.RANDOM_LENGTH
    assert len({q.id for q, _ in asked}) == engine.RANDOM_LENGTH
    right = sum(r for _, r in asked)
    total = len(asked)
    assert (
        score_line(at) == f"What vs How: {right} of {total} right ({round(100 * right / total)}%)"
    )

    # Every question, in the order asked; the wrong ones marked by a sign and a word.
    items = review_items(at)
    assert len(items) == total
    for item, (question, was_right) in zip(items, asked, strict=True):
        assert question.statement in item
        assert item.startswith(quiz_ui.RIGHT_MARK if was_right else f"**{quiz_ui.WRONG_MARK}")
        if not was_right:
            assert f"the answer is **{question.answer}**" in item
            assert f"You answered {wrong_choice(quiz, question)};" in item
    # The missed ones again, first, in a list of their own.
    missed = [q for q, r in asked if not r]
    missed_items = answer_items(section(at, f"Missed ({len(missed)})"))
    assert len(missed_items) == len(missed)
    for item, question in zip(missed_items, missed, strict=True):
        assert question.statement in item and quiz_ui.WRONG_MARK in item

    # What to do next comes before the lists of answers, not after them.
    actions = [
        position(at, lambda e, key=key: getattr(e, "key", None) == key)
        for key in ("quiz_retry", "quiz_new")
    ]
    actions.append(position(at, lambda e: e.type == "download_button"))
    actions.append(position(at, lambda e: getattr(e, "type", None) == "popover"))
    missed_list = position(at, lambda e: str(getattr(e, "value", "")).startswith("#### Missed"))
    every = position(at, lambda e: str(getattr(e, "value", "")).startswith("#### Every"))
    assert max(actions) < missed_list < every

    per_answer = {c: [r for q, r in asked if q.answer == c] for c in quiz.choices}
    sentence = "; ".join(f"{c}: {sum(v)} of {len(v)} right" for c, v in per_answer.items() if v)
    assert f"In words: {sentence}." in [m.value for m in at.markdown]
    assert "did not say how sure" in section(at, "Confidence and results")
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

    assert at.button(key="quiz_retry").label == f"Retry the {len(missed)} you missed"
    at.button(key="quiz_retry").click().run()
    assert "retry of the missed questions" in progress_text(at)
    retried = play_through(at, quiz, pick_right=lambda i, q: True)
    assert sorted(q.id for q, _ in retried) == sorted(q.id for q in missed)
    assert score_line(at) == f"What vs How: {len(missed)} of {len(missed)} right (100%)"
    assert any("Nothing missed" in s.value for s in at.success)
    assert not _has(at, "quiz_retry")
    assert section(at, "Missed") is None
    assert all(item.startswith(quiz_ui.RIGHT_MARK) for item in review_items(at))

    at.button(key="quiz_new").click().run()
    assert at.button(key="quiz_start").label == "Start the quiz"


def play_through_one(at, quiz, right: bool) -> list[tuple]:
    question, _ = answer(at, quiz, right)
    feedback = at.success[0].value if right else at.error[0].value
    assert f"the answer is **{question.answer}**" in feedback
    assert question.explanation in [m.value for m in at.markdown]
    return [(question, right)]


def test_the_default_length_is_a_random_ten_with_the_whole_bank_one_choice_away():
    at = open_quiz()
    for quiz in load_site().quizzes:
        at.radio(key="quiz_pick").set_value(quiz.id).run()
        length = at.radio(key="quiz_length_pick")
        if len(quiz.questions) > engine.RANDOM_LENGTH:
            assert length.value == str(engine.RANDOM_LENGTH)
            assert length.options == [
                f"A random {engine.RANDOM_LENGTH}",
                f"All {len(quiz.questions)} questions",
            ]
        else:
            assert length.options == [f"All {len(quiz.questions)} questions"]
    quiz = next(q for q in load_site().quizzes if len(q.questions) > engine.RANDOM_LENGTH)
    at.radio(key="quiz_pick").set_value(quiz.id).run()
    at.button(key="quiz_start").click().run()
    assert at.session_state["quiz_attempt"].total == engine.RANDOM_LENGTH
    assert "Question 1 of 10" in " ".join(m.value for m in at.markdown)


def test_no_title_gets_doubled_punctuation():
    for quiz in load_site().quizzes:
        length = str(engine.RANDOM_LENGTH) if len(quiz.questions) > engine.RANDOM_LENGTH else "all"
        at = start(open_quiz(), quiz.id, length)
        lines = [progress_text(at)]
        answer(at, quiz, right=True)
        lines.append(progress_text(at))
        at.button(key="quiz_next").click().run()
        play_through(at, quiz, pick_right=lambda i, q: False)
        lines.append(score_line(at))
        at.button(key="quiz_retry").click().run()
        lines.append(progress_text(at))
        for line in lines:
            assert line.startswith(quiz.title)
            assert not re.search(r"[?!.:]:", line), line


def test_confidence_is_compared_with_the_results():
    at = start(open_quiz(), "who-does-this", str(engine.RANDOM_LENGTH))
    quiz = bank("who-does-this")
    levels = ["Certain", "Guessing", None]
    asked = play_through(
        at, quiz, pick_right=lambda i, q: i % 2 == 0, confidence=lambda i: levels[i % 3]
    )
    certain = [r for i, (_, r) in enumerate(asked) if levels[i % 3] == "Certain"]
    text = section(at, "Confidence and results")
    rows = {
        cells[0]: cells
        for line in text.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    share = round(100 * sum(certain) / len(certain))
    assert rows["Certain"][1:3] == [str(len(certain)), f"{sum(certain)} ({share}%)"]
    assert "where you said how sure you were" in text
    assert not at.table, "no tall-headed st.table on the results"


def test_a_seed_in_the_url_replays_the_same_questions_in_the_same_order():
    quiz = bank("who-does-this")
    seed = 4242
    query = {"quiz": "who-does-this", "length": str(engine.RANDOM_LENGTH), "seed": str(seed)}
    at = open_quiz(query=query)
    assert any("shared quiz" in i.value for i in at.info)
    at.radio(key="quiz_length_pick").set_value("all").run()
    assert not at.info, "another length is not a replay of the link"
    at.radio(key="quiz_length_pick").set_value(str(engine.RANDOM_LENGTH)).run()
    at.button(key="quiz_start").click().run()
    replay = f"?quiz=who-does-this&length={engine.RANDOM_LENGTH}&seed={seed}"
    # No developer's "Seed 4242" during the quiz: a link to share instead.
    assert not any(str(seed) in c.value for c in at.caption)
    assert share_link(at).endswith(f"/quiz{replay}")
    order = []
    while _has(at, "quiz_answer_"):
        order.append(shown_question(at, quiz).id)
        answer(at, quiz, right=True)
        at.button(key="quiz_next").click().run()
    assert tuple(order) == engine.shuffled(quiz.question_ids, seed, engine.RANDOM_LENGTH)
    assert share_link(at).endswith(f"/quiz{replay}")
    assert not any("?quiz=" in m.value for m in at.markdown), "no address to edit by hand"


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
    assert progress_text(at) == "What vs How: 3 of 3 right so far"


def test_the_answer_links_to_the_page_that_explains_it():
    quiz = bank("what-vs-how")
    at = start(open_quiz(), "what-vs-how", "all")
    question, _ = answer(at, quiz, right=False)
    site = load_site()
    target = see_target(question, site.roles, site.glossary, site.example, site.home)
    labels = [link.proto.label for link in at.get("page_link")]
    assert see_label(target) in labels
    if target.url_path == EXAMPLE_PAGE:
        assert see_label(target) == f"Read more in the worked example: {site.example.title}"
    elif target.is_home:
        assert see_label(target) == f"Read more on the home page: {site.home.title}"
    else:
        page = question.see.partition("#")[0] if question.see else question.role
        role = site.roles.find(page)
        title = role.title if role else site.glossary.title
        assert see_label(target) == f"Read more on the {title} page"


def test_an_answer_about_the_worked_example_links_to_its_section():
    site = load_site()
    quiz = next(
        q for q in site.quizzes if all((x.see or "").startswith("example#") for x in q.questions)
    )
    at = start(open_quiz(), quiz.id, "all")
    question, _ = answer(at, quiz, right=True)
    target = see_target(question, site.roles, site.glossary, site.example)
    labels = [link.proto.label for link in at.get("page_link")]
    assert f"Read more in the worked example: {site.example.title}" in labels
    assert f"]({target.href})" in "\n".join(m.value for m in at.markdown)


def test_an_answer_about_where_the_roles_meet_links_to_that_home_section():
    """`see: home#...`: the home page is Streamlit's default page, so the section's
    address is `/#anchor`; the page link goes to the home page itself."""
    site = load_site()
    quiz, question = next(
        (quiz, q)
        for quiz in site.quizzes
        for q in quiz.questions
        if see_target(q, site.roles, site.glossary, site.example, site.home).is_home
    )
    seed = next(
        seed
        for seed in range(engine.SEED_MIN, engine.SEED_MAX + 1)
        if engine.shuffled(quiz.question_ids, seed, engine.RANDOM_LENGTH)[0] == question.id
    )
    query = {"quiz": quiz.id, "length": str(engine.RANDOM_LENGTH), "seed": str(seed)}
    at = open_quiz(query=query)
    at.button(key="quiz_start").click().run()
    assert shown_question(at, quiz) == question
    answer(at, quiz, right=False)
    target = see_target(question, site.roles, site.glossary, site.example, site.home)
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    # The page link carries the page's URL path: empty for the default page, at `/`.
    assert links[f"Read more on the home page: {site.home.title}"] == HOME_URL_PATH
    shown = "\n".join(m.value for m in at.markdown)
    assert f"[{target.section} on the home page](/#{target.anchor})" in shown


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
    still_there = [q.title for q in load_site().quizzes if q.id != "who-does-this"]
    assert at.radio(key="quiz_pick").options == still_there
    quiz = bank("what-vs-how", content_copy)
    at = start(at, "what-vs-how", "all")
    asked = play_through(at, quiz, pick_right=lambda i, q: True)
    assert "wh-04" not in {q.id for q, _ in asked}
    assert score_line(at) == f"What vs How: {len(asked)} of {len(asked)} right (100%)"


def reload(store: BrowserStore, query: dict | None = None):
    """The same browser opens the quiz again: a new session, with what it kept."""
    store.new_session()
    return open_quiz(query=query)


def test_a_reload_resumes_the_unfinished_quiz_where_it_was(store):
    quiz = bank("what-vs-how")
    at = start(open_quiz(), quiz.id, str(engine.RANDOM_LENGTH))
    attempt = at.session_state["quiz_attempt"]
    assert store.writes == [engine.kept_data(attempt)], "kept right after the start"
    asked = []
    for i in range(3):
        asked += play_through_one(at, quiz, right=i != 1)
        assert store.now["quiz"] == engine.kept_data(at.session_state["quiz_attempt"])
        at.button(key="quiz_next").click().run()
        assert store.now["quiz"]["cursor"] == i + 1, "kept after each Next"
    asked += play_through_one(at, quiz, right=False)  # answered, not moved on
    waiting = shown_statement(at)
    score_so_far = progress_text(at)

    at = reload(store)
    assert shown_statement(at) == waiting
    assert progress_text(at) == score_so_far == "What vs How: 2 of 4 right so far"
    assert at.error[0].value.startswith("Not quite"), "the feedback it was showing"
    assert any("Welcome back" in t.value for t in at.toast)
    assert share_link(at).endswith(f"seed={attempt.seed}")
    writes = len(store.writes)
    at.button(key="quiz_next").click().run()
    assert len(store.writes) == writes + 1
    while _has(at, "quiz_answer_"):
        asked += play_through_one(at, quiz, right=True)
        at.button(key="quiz_next").click().run()
    assert [q.id for q, _ in asked] == list(attempt.order)
    right = sum(r for _, r in asked)
    assert score_line(at).startswith(f"What vs How: {right} of {engine.RANDOM_LENGTH} right")
    assert "quiz" not in store.now, "a finished quiz is not resumed"

    at.button(key="quiz_retry").click().run()
    assert store.now["quiz"]["retry_of"] == 2
    at = reload(store)
    assert "retry of the missed questions" in progress_text(at)
    answer(at, quiz, right=True)
    at.button(key="quiz_next").click().run()
    play_through(at, quiz, pick_right=lambda i, q: False)
    at.button(key="quiz_retry").click().run()
    assert store.now["quiz"]["retry_of"] == 1
    play_through(at, quiz, pick_right=lambda i, q: True)
    at.button(key="quiz_new").click().run()
    assert store.writes[-1] is None and "quiz" not in store.now
    assert at.button(key="quiz_start")
    at.run()
    assert not _has(at, "quiz_answer_"), "what the session started with does not come back"


def test_a_kept_quiz_that_no_longer_fits_its_bank_is_forgotten(store):
    quiz = bank("who-does-this")
    at = start(open_quiz(), quiz.id, str(engine.RANDOM_LENGTH))
    answer(at, quiz, right=True)
    store.now["quiz"]["order"][0] = "no-such-question"
    at = reload(store)
    assert at.button(key="quiz_start"), "the picker, not an error"
    assert not at.exception
    assert "quiz" not in store.now


def test_a_shared_link_to_another_quiz_wins_over_the_kept_one(store):
    mine, shared = bank("what-vs-how"), bank("who-does-this")
    at = start(open_quiz(), mine.id, str(engine.RANDOM_LENGTH))
    answer(at, mine, right=True)
    kept = store.now["quiz"]
    query = {"quiz": shared.id, "length": str(engine.RANDOM_LENGTH), "seed": "4242"}
    at = reload(store, query)
    assert at.radio(key="quiz_pick").value == shared.id
    assert any("shared quiz" in i.value for i in at.info)
    assert store.now["quiz"] == kept, "kept until the reader starts another"
    # The same quiz's own link (a reload of its address) resumes it.
    at = reload(
        store, {"quiz": mine.id, "length": str(engine.RANDOM_LENGTH), "seed": str(kept["seed"])}
    )
    assert progress_text(at) == "What vs How: 1 of 1 right so far"
