"""The workshop room in headless Chromium: a projector, three phones, a restart, two servers.

Each server here runs on its own temporary database ($TEAMROLES_DATABASE_URL): a
SQLite file, or for the two-server test PostgreSQL when it is reachable. Nothing
sleeps: every wait is Playwright's `expect(...)` or the app's script state, with
room for the live views' poll (`workshop.POLL_SECONDS`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from sqlalchemy.engine import make_url

from teamroles.content.site import load_site
from teamroles.room import make_engine, open_service
from tests import browser

pytestmark = pytest.mark.browser

QUIZ = next(quiz for quiz in load_site().quizzes if quiz.id == "what-vs-how")
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 375, "height": 812}
# Live views poll every 1 s (host) and 2 s (phones); a busy 2-core machine runs four at once.
LIVE = 20_000
# An HTML nickname that runs script if it is ever drawn as HTML. The brief's
# `<img src=x onerror=alert(1)>` has 28 characters and the service takes at most 24
# (teamroles/room/nicknames.py); this one is 21 and fires as soon as it is parsed.
HTML_NICKNAME = "<svg onload=alert(1)>"
MARKDOWN_NICKNAME = "**bold**"
CONTROLS = ("Start", "Reveal answer", "Next question", "Show the results", "End")
POSTGRES_ENV = "TEAMROLES_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "TEAMROLES_REQUIRE_POSTGRES"
LOCAL_POSTGRES = "postgresql+psycopg://teamroles:teamroles@127.0.0.1:5432/teamroles_test"


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('rooms') / 'rooms.sqlite3'}"


@pytest.fixture(scope="module")
def room_server(db_url):
    with browser.streamlit_server(env={"TEAMROLES_DATABASE_URL": db_url}) as url:
        yield url


def check_axe(page, state: str, found: dict) -> None:
    browser.wait_for_app(page)
    violations = browser.axe_violations(page)
    if violations:
        found[state] = violations


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def join(page, base_url: str, code: str, nickname: str, screenshot: str | None = None) -> str:
    """Open the join link, check the code is filled in, join; the participant's token."""
    browser.open_page(page, f"{base_url}/join?room={code}")
    expect(page.get_by_label("Room code")).to_have_value(code)
    page.get_by_label("Nickname").fill(nickname)
    if screenshot:
        browser.save_screenshot(page, screenshot)
    button(page, "Join").click()
    expect(page.get_by_text("You're in!")).to_be_visible(timeout=LIVE)
    expect(page).to_have_url(re.compile(r"[?&]me="))
    return parse_qs(urlsplit(page.url).query)["me"][0]


def me_line(page, nickname: str, code: str):
    """The participant's own header: their nickname as plain text."""
    return page.get_by_test_id("stText").filter(has_text=f"{nickname} · Room {code}")


def question_on(page):
    """The question the projector shows, once its run has replaced the lobby: until
    then the container may still hold the lobby's stale text."""
    statements = [question.statement for question in QUIZ.questions]
    page.wait_for_function(
        "([selector, statements]) => {"
        "  const shown = document.querySelector(selector);"
        "  return shown !== null && statements.includes(shown.innerText.trim());"
        "}",
        arg=[".st-key-room-statement", statements],
        timeout=LIVE,
    )
    shown = page.locator(".st-key-room-statement").first.inner_text().strip()
    return next(question for question in QUIZ.questions if question.statement == shown)


def no_markup_ran(page) -> None:
    """The nicknames drew no element: no svg with onload, no img with onerror."""
    assert page.locator("svg[onload], img[onerror]").count() == 0


def projected_width(page) -> float:
    """How wide the page's content is drawn (the projector view uses the whole width)."""
    return page.get_by_test_id("stMainBlockContainer").bounding_box()["width"]


def expect_no_controls(page) -> None:
    for name in CONTROLS:
        expect(button(page, name)).to_have_count(0)


# ---------------------------------------------------------------- a whole session


def test_a_facilitator_and_three_phones_play_a_three_question_session(
    room_server, db_url, tabs, dialogs
):
    axe_found: dict[str, list] = {}
    host = tabs(PROJECTOR)

    # The facilitator creates the room from the form: 3 questions in the bank's order.
    browser.open_page(host, f"{room_server}/workshop")
    check_axe(host, "create form", axe_found)
    host.get_by_text(QUIZ.title, exact=True).click()
    host.get_by_text("Choose how many", exact=True).click()
    browser.wait_for_app(host)
    host.get_by_label("How many questions").fill("3")
    host.get_by_label("How many questions").press("Enter")
    host.get_by_text("As in the quiz bank", exact=True).click()
    host.get_by_text("Show a leaderboard after each answer").click()
    browser.wait_for_app(host)
    button(host, "Create room").click()
    expect(host.get_by_role("heading", name=re.compile(r"^Room \w+ is ready"))).to_be_visible(
        timeout=LIVE
    )
    host_link = host.get_by_test_id("stCode").inner_text().strip()
    query = parse_qs(urlsplit(host_link).query)
    code, token = query["room"][0], query["host"][0]
    assert urlsplit(host_link).path == "/workshop"
    expect(host.get_by_text("Keep this link private")).to_be_visible()
    qr_alt = f"QR code that opens {room_server}/join?room={code}"
    expect(host.get_by_role("img", name=qr_alt)).to_be_visible()
    check_axe(host, "room ready", axe_found)
    browser.save_screenshot(host, "workshop-ready")
    button(host, "Open the host view").click()
    expect(button(host, "Start")).to_be_visible(timeout=LIVE)
    expect(host.get_by_test_id("stSidebar")).to_be_hidden()
    expect(host.get_by_role("link", name=re.compile("^(Next|Previous):"))).to_have_count(0)
    expect(host.get_by_text("0 people joined")).to_be_visible()
    assert projected_width(host) > 0.9 * PROJECTOR["width"]

    # Three phones join; the projector's list grows without a reload.
    nicknames = ["Ann", HTML_NICKNAME, MARKDOWN_NICKNAME]
    phones = {}
    for count, nickname in enumerate(nicknames, start=1):
        phone = tabs(PHONE)
        join(phone, room_server, code, nickname, "workshop-phone-join" if count == 1 else None)
        expect(me_line(phone, nickname, code)).to_be_visible()
        phones[nickname] = phone
        people = "1 person joined" if count == 1 else f"{count} people joined"
        expect(host.get_by_text(people, exact=True)).to_be_visible(timeout=LIVE)
    names = host.locator(".st-key-room-names").get_by_test_id("stText")
    expect(names).to_have_text("   ·   ".join(nicknames))
    no_markup_ran(host)
    ann, svg, bold = (phones[n] for n in nicknames)
    check_axe(host, "host lobby", axe_found)
    check_axe(ann, "phone waiting", axe_found)
    browser.save_screenshot(host, "workshop-host-lobby")

    button(host, "Start").click()
    plan = {  # what each phone answers to question 1, 2, 3 ("right", "wrong" or skip)
        "Ann": ["right", "right", "right"],
        HTML_NICKNAME: ["wrong", "right", "right"],
        MARKDOWN_NICKNAME: ["right", "wrong", None],
    }
    given: list[tuple[str, int, str]] = []
    for i in range(3):
        expect(
            host.get_by_role("heading", name=re.compile(f"Question {i + 1} of 3"))
        ).to_be_visible(timeout=LIVE)
        question = question_on(host)
        assert question.id == QUIZ.question_ids[i]  # the bank's order
        wrong = next(choice for choice in QUIZ.choices if choice != question.answer)
        expect(host.get_by_text("0 of 3 people answered")).to_be_visible()
        for phone in phones.values():
            expect(phone.get_by_text(f"Question {i + 1} of 3", exact=True)).to_be_visible(
                timeout=LIVE
            )
            for choice in QUIZ.choices:
                expect(button(phone, choice)).to_be_enabled()
        if i == 0:
            box = button(ann, QUIZ.choices[0]).bounding_box()
            assert box["height"] >= 48 and box["width"] >= PHONE["width"] * 0.8, box
            check_axe(host, "host question", axe_found)
            check_axe(ann, "phone question", axe_found)
            browser.save_screenshot(ann, "workshop-phone-question")

        answered = 0
        for nickname, phone in phones.items():
            verdict = plan[nickname][i]
            if verdict is None:
                continue
            choice = question.answer if verdict == "right" else wrong
            button(phone, choice).click()
            expect(phone.get_by_text(f"You answered {choice}.")).to_be_visible(timeout=LIVE)
            for option in QUIZ.choices:
                expect(button(phone, option)).to_be_disabled()
            given.append((nickname, i + 1, choice))
            answered += 1
            expect(host.get_by_text(f"{answered} of 3 people answered")).to_be_visible(timeout=LIVE)
            if i == 0 and nickname == "Ann":
                # A reload (a sleeping phone, a lost connection) keeps the place.
                ann.reload()
                browser.wait_for_app(ann)
                expect(me_line(ann, "Ann", code)).to_be_visible(timeout=LIVE)
                expect(ann.get_by_text(f"You answered {choice}.")).to_be_visible(timeout=LIVE)
                for option in QUIZ.choices:
                    expect(button(ann, option)).to_be_disabled()

        button(host, "Reveal answer").click()
        counts = {c: sum(1 for _, n, x in given if n == i + 1 and x == c) for c in QUIZ.choices}
        words = "; ".join(
            f"{c} (the right answer): {counts[c]} answer{'s' if counts[c] != 1 else ''}"
            if c == question.answer
            else f"{c}: {counts[c]} answer{'s' if counts[c] != 1 else ''}"
            for c in QUIZ.choices
        )
        expect(
            host.get_by_text(f"In words: {words}. {answered} of 3 people answered.")
        ).to_be_visible(timeout=LIVE)
        chart = host.get_by_test_id("stPlotlyChart")
        expect(chart.get_by_text(f"✓ {question.answer} (right answer)")).to_be_visible(timeout=LIVE)
        expect(host.locator(".st-key-room-answer")).to_have_text(f"The answer: {question.answer}")
        expect(host.get_by_role("heading", name="Leaderboard")).to_be_visible()
        for nickname, phone in phones.items():
            verdict = plan[nickname][i]
            if verdict == "right":
                text = f"Right! The answer is {question.answer}."
            elif verdict == "wrong":
                text = f"Not this time: you answered {wrong}; the answer is {question.answer}."
            else:
                text = f"You did not answer this one. The answer is {question.answer}."
            expect(phone.get_by_text(text)).to_be_visible(timeout=LIVE)
            right = sum(1 for v in plan[nickname][: i + 1] if v == "right")
            expect(phone.get_by_text(f"Your score: {right} of {i + 1} right")).to_be_visible()
        if i == 0:
            table = host.get_by_test_id("stTable")
            expect(table.get_by_text(MARKDOWN_NICKNAME, exact=True)).to_be_visible()
            expect(table.get_by_text(HTML_NICKNAME, exact=True)).to_be_visible()
            no_markup_ran(host)
            check_axe(host, "host revealed", axe_found)
            check_axe(svg, "phone revealed", axe_found)
            browser.save_screenshot(host, "workshop-host-revealed")
            browser.save_screenshot(svg, "workshop-phone-revealed")
        button(host, "Next question" if i < 2 else "Show the results").click()

    # The end: the room's results and every answer in the CSV.
    expect(host.get_by_role("heading", name="The hardest questions")).to_be_visible(timeout=LIVE)
    right = sum(v == "right" for answers in plan.values() for v in answers)
    expect(
        host.get_by_text(f"The room got {round(100 * right / len(given))}% right")
    ).to_be_visible()
    expect(host.get_by_role("heading", name="By question")).to_be_visible()
    expect_no_controls(host)
    assert projected_width(host) > 0.9 * PROJECTOR["width"]  # still wide after the end
    check_axe(host, "host results", axe_found)
    browser.save_screenshot(host, "workshop-host-results")
    with host.expect_download() as download_info:
        button(host, "Download every answer (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"room-{code}-{QUIZ.id}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    got = sorted((r["nickname"], int(r["question_number"]), r["choice"]) for r in rows)
    assert got == sorted(given)
    assert {r["room"] for r in rows} == {code}
    assert {r["removed"] for r in rows} == {"no"}
    for phone in phones.values():
        expect(phone.get_by_text("The workshop is over")).to_be_visible(timeout=LIVE)
    check_axe(bold, "phone ended", axe_found)

    assert dialogs == []
    assert axe_found == {}
    assert open_service(db_url).check_host(code, token).phase == "ended"


# ---------------------------------------------------------------- a forged host link


def test_a_participant_with_the_host_url_but_no_or_a_forged_token_controls_nothing(
    room_server, db_url, tabs, dialogs
):
    room = open_service(db_url).create_room(QUIZ.id, questions=2)
    phone = tabs(PHONE)
    axe_found: dict[str, list] = {}
    for query in (f"room={room.code}", f"room={room.code}&host=forged-{uuid.uuid4().hex}"):
        browser.open_page(phone, f"{room_server}/workshop?{query}")
        expect(phone.get_by_text(f"This link does not control room {room.code}.")).to_be_visible()
        expect_no_controls(phone)
        expect(phone.get_by_role("link", name=f"Join room {room.code}")).to_be_visible()
        check_axe(phone, query, axe_found)
    assert open_service(db_url).state(room.code).phase == "lobby"
    assert axe_found == {}
    assert dialogs == []


# ---------------------------------------------------------------- a server restart


@contextlib.contextmanager
def room_on_its_own_server(tmp_path, tabs, questions: int):
    """A room in a fresh SQLite file, served by a server of its own that the test may
    kill; Ann and Bo joined on phones, the host's view open on a projector."""
    env = {"TEAMROLES_DATABASE_URL": f"sqlite:///{tmp_path / 'rooms.sqlite3'}"}
    service = open_service(env["TEAMROLES_DATABASE_URL"])
    room = service.create_room(QUIZ.id, questions=questions, shuffle=False)
    with browser.server_process(env=env) as server:
        base = server.url
        ann, bo = tabs(PHONE), tabs(PHONE)
        tokens = (join(ann, base, room.code, "Ann"), join(bo, base, room.code, "Bo"))
        host = tabs(PROJECTOR)
        browser.open_page(host, f"{base}/workshop?room={room.code}&host={room.host_token}")
        yield SimpleNamespace(
            service=service,
            room=room,
            first=service.question(room.code, 0),
            server=server,
            env=env,
            base=base,
            port=int(urlsplit(base).port),
            phones=(ann, bo),
            tokens=tokens,
            host=host,
        )


def test_a_room_survives_the_server_being_killed_and_restarted(tmp_path, tabs):
    """SIGKILL mid-question, then a new server on the same database and address: the open
    pages reconnect by themselves, and fresh ones opened from the links find every
    participant and answer where they were."""
    with room_on_its_own_server(tmp_path, tabs, questions=3) as started:
        service, room, first, server = started.service, started.room, started.first, started.server
        env, base, port, host = started.env, started.base, started.port, started.host
        (ann, bo), (ann_token, bo_token) = started.phones, started.tokens
        button(host, "Start").click()
        expect(button(ann, first.answer)).to_be_enabled(timeout=LIVE)
        button(ann, first.answer).click()
        expect(host.get_by_text("1 of 2 people answered")).to_be_visible(timeout=LIVE)
        server.process.kill()  # SIGKILL: no shutdown, no flush
        server.process.wait(timeout=10)

    assert [p.nickname for p in service.people(room.code)] == ["Ann", "Bo"]
    assert service.my_answers(room.code, ann_token)[0].choice == first.answer
    assert service.state(room.code).phase == "question"
    with browser.server_process(env=env, port=port):
        # The pages that were open reconnect to the new server on their own.
        expect(host.get_by_text("1 of 2 people answered")).to_be_visible(timeout=60_000)
        expect(ann.get_by_text(f"You answered {first.answer}.")).to_be_visible(timeout=LIVE)
        expect(button(bo, first.answer)).to_be_enabled(timeout=LIVE)

        # The links, opened afresh, bring back the host and each participant.
        host = tabs(PROJECTOR)
        browser.open_page(host, f"{base}/workshop?room={room.code}&host={room.host_token}")
        expect(host.get_by_role("heading", name=re.compile("Question 1 of 3"))).to_be_visible()
        expect(host.get_by_text("1 of 2 people answered")).to_be_visible(timeout=LIVE)
        expect(host.locator(".st-key-room-statement")).to_have_text(first.statement)
        expect(button(host, "Reveal answer")).to_be_visible()
        ann = tabs(PHONE)
        browser.open_page(ann, f"{base}/join?room={room.code}&me={ann_token}")
        expect(me_line(ann, "Ann", room.code)).to_be_visible(timeout=LIVE)
        expect(ann.get_by_text(f"You answered {first.answer}.")).to_be_visible(timeout=LIVE)
        for choice in QUIZ.choices:
            expect(button(ann, choice)).to_be_disabled()
        bo = tabs(PHONE)
        browser.open_page(bo, f"{base}/join?room={room.code}&me={bo_token}")
        expect(me_line(bo, "Bo", room.code)).to_be_visible(timeout=LIVE)
        for choice in QUIZ.choices:
            expect(button(bo, choice)).to_be_enabled(timeout=LIVE)
        button(bo, first.answer).click()
        expect(host.get_by_text("2 of 2 people answered")).to_be_visible(timeout=LIVE)


# ---------------------------------------------------------------- two servers, one database


@pytest.fixture
def shared_database(tmp_path):
    """PostgreSQL (a fresh schema) when reachable, else a SQLite file both servers open.

    With $TEAMROLES_REQUIRE_POSTGRES=1 an unreachable PostgreSQL fails the test."""
    required = os.environ.get(REQUIRE_POSTGRES_ENV) == "1"
    configured = os.environ.get(POSTGRES_ENV)
    base = make_url(configured or LOCAL_POSTGRES)
    admin = make_engine(base.update_query_dict({"connect_timeout": "3"}))
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as error:
        admin.dispose()
        if required or configured:
            pytest.fail(f"PostgreSQL at {base!r} is not reachable: {error}")
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    schema = f"workshop_browser_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_two_servers_on_one_database_serve_one_room(shared_database, tabs):
    print(f"two servers on {make_url(shared_database).get_backend_name()}")  # shown with -s
    env = {"TEAMROLES_DATABASE_URL": shared_database}
    room = open_service(shared_database).create_room(QUIZ.id, questions=2, shuffle=False)
    first = open_service(shared_database).question(room.code, 0)
    with (
        browser.streamlit_server(env=env) as server_a,
        browser.streamlit_server(env=env) as server_b,
    ):
        phone = tabs(PHONE)
        join(phone, server_a, room.code, "Ann")
        host = tabs(PROJECTOR)
        browser.open_page(host, f"{server_b}/workshop?room={room.code}&host={room.host_token}")
        expect(host.get_by_text("1 person joined", exact=True)).to_be_visible(timeout=LIVE)
        button(host, "Start").click()
        expect(host.get_by_text("0 of 1 person answered")).to_be_visible(timeout=LIVE)
        expect(button(phone, first.answer)).to_be_enabled(timeout=LIVE)  # A sees B's start
        button(phone, first.answer).click()
        expect(host.get_by_text("1 of 1 person answered")).to_be_visible(timeout=LIVE)
        button(host, "Reveal answer").click()
        expect(phone.get_by_text(f"Right! The answer is {first.answer}.")).to_be_visible(
            timeout=LIVE
        )
