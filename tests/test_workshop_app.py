"""The workshop pages through AppTest: create, host, join, play, remove, end.

Every test points the app at its own SQLite file ($TEAMROLES_DATABASE_URL), so no
test touches data/. A host and each participant are separate AppTests (separate
sessions); `at.run()` stands in for the browser's fragment timer.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit

from teamroles.content.site import load_site
from teamroles.room import NotAccepting, RoomService, open_service
from teamroles.room import screens as workshop
from teamroles.textsafe import plain
from teamroles.ui import room as room_ui
from tests.apptest import open_app, open_url, record_downloads

QUIZ = next(quiz for quiz in load_site().quizzes if quiz.id == "what-vs-how")
CONTROL_LABELS = {"Start", "Reveal answer", "Next question", "Show the results", "End", "Remove"}
HTML_NICKNAME = "<svg onload=alert(1)>"  # 21 characters: the service takes at most 24


@pytest.fixture
def service(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv("TEAMROLES_DATABASE_URL", url)
    return room_ui.service_for(url)  # the app's own: the host acts on the same server


def new_room(service, **settings):
    settings = {"questions": 2, "shuffle": False, **settings}
    return service.create_room(QUIZ.id, **settings)


def host_view(code: str, token: str | None):
    at = open_app()
    at.query_params[workshop.ROOM] = code
    if token is not None:
        at.query_params[workshop.HOST] = token
    return open_url(at, "workshop")


def join_page(code: str | None = None):
    at = open_app()
    if code is not None:
        at.query_params[workshop.ROOM] = code
    return open_url(at, "join")


def join(code: str, nickname: str):
    at = join_page(code)
    at.text_input(key="join_nickname").input(nickname)
    at.button(key="FormSubmitter:join-Join").click().run()
    return at


def button_labels(at) -> set[str]:
    return {button.label for button in at.main.button}


def texts(at) -> list[str]:
    return [element.value for element in at.main.text]


def markdown(at) -> str:
    return "\n".join(element.value for element in at.main.markdown)


def messages(at, kind: str) -> str:
    return "\n".join(element.value for element in getattr(at, kind))


def choice_buttons(at):
    return [b for b in at.main.button if b.key and b.key.startswith("room_choice_")]


# ---------------------------------------------------------------- create and host


def test_a_facilitator_creates_a_room_from_the_form_and_gets_code_qr_and_host_link(service):
    at = open_url(open_app(), "workshop")
    assert at.title[0].value == "Run a workshop"
    assert "kept for 30 days" in messages(at, "caption")
    at.radio(key="room_quiz").set_value(QUIZ.id).run()
    at.radio(key="room_length").set_value("some").run()
    at.number_input(key=f"room_how_many_{QUIZ.id}").set_value(3)
    at.radio(key="room_order").set_value("fixed")
    at.number_input(key="room_countdown").set_value(20)
    at.toggle(key="room_leaderboard").set_value(True).run()
    at.toggle(key="room_speed").set_value(True)
    at.number_input(key="room_max").set_value(40)
    at.button(key="room_create_button").click().run()
    assert not at.exception

    host_link = at.code[0].value
    query = parse_qs(urlsplit(host_link).query)
    code, token = query["room"][0], query["host"][0]
    assert urlsplit(host_link).path == "/workshop"
    assert at.title[0].value == f"Room {code} is ready"
    assert dict(at.query_params) == {"room": code, "host": token}  # reload-safe, bookmarkable
    assert "Keep this link private" in messages(at, "warning")
    assert "phones cannot open them" in messages(at, "warning")  # localhost links
    assert f"http://localhost:8501/join?room={code}" in markdown(at)
    (qr,) = at.get("image")
    assert qr.captions == [f"Scan to join room {code}"]
    assert f"3 of {len(QUIZ.questions)} questions, in the order of the bank" in markdown(at)

    state = service.check_host(code, token)
    assert (state.total, state.countdown_seconds, state.max_participants) == (3, 20, 40)
    assert (state.leaderboard, state.speed_bonus, state.phase) == (True, True, "lobby")
    first = service.question(code, 0)
    assert first.id == QUIZ.question_ids[0]  # fixed order

    at.button(key="room_open_host").click().run()
    assert {"Start", "End"} <= button_labels(at)
    assert not {"Reveal answer", "Next question"} & button_labels(at)
    assert "0 people joined" in [s.value for s in at.subheader]


def test_the_form_with_its_defaults_makes_a_room_with_every_question_and_no_leaderboard(service):
    at = open_url(open_app(), "workshop")
    at.button(key="room_create_button").click().run()
    query = parse_qs(urlsplit(at.code[0].value).query)
    state = service.state(query["room"][0])
    bank = next(q for q in load_site().quizzes if q.id == state.quiz_id)
    assert state.total == len(bank.questions)
    assert (state.leaderboard, state.speed_bonus, state.countdown_seconds) == (False, False, None)
    assert state.max_participants == 500


@pytest.mark.parametrize("token", [None, "", "forged-token-that-looks-right"])
def test_a_host_link_without_the_right_token_controls_nothing(service, token):
    room = new_room(service)
    at = host_view(room.code, token)
    assert not at.exception
    assert f"This link does not control room {room.code}" in messages(at, "error")
    assert not CONTROL_LABELS & button_labels(at)
    assert service.state(room.code).phase == "lobby"


def test_a_link_to_a_room_that_does_not_exist_says_so(service):
    at = host_view("ZZZZZ", "whatever")
    assert not at.exception
    assert "ZZZZZ" in messages(at, "error")
    assert not CONTROL_LABELS & button_labels(at)
    at = host_view("<b>hi</b>", "whatever")
    assert "no valid room code" in messages(at, "error")


# ---------------------------------------------------------------- join


def test_joining_shows_the_waiting_screen_and_puts_me_in_the_address(service):
    room = new_room(service)
    at = join_page(room.code)
    assert at.title[0].value == "Join a workshop"
    assert at.text_input(key="join_code").value == room.code  # prefilled from ?room=
    assert at.text_input(key="join_nickname").label == "Nickname"
    assert "kept for 30 days" in messages(at, "caption")
    at.text_input(key="join_nickname").input("Ann")
    at.button(key="FormSubmitter:join-Join").click().run()
    assert not at.exception
    token = at.query_params["me"]
    assert at.query_params["room"] == room.code
    assert service.me(room.code, token).nickname == "Ann"
    assert "You're in!" in messages(at, "info")
    assert "Waiting for the host" in messages(at, "info")
    assert f"Ann · Room {room.code}" in texts(at)


def test_a_code_typed_by_hand_in_lower_case_with_spaces_works(service):
    room = new_room(service)
    at = join_page()
    at.text_input(key="join_code").input(f" {room.code.lower()[:2]} {room.code.lower()[2:]} ")
    at.text_input(key="join_nickname").input("Bo")
    at.button(key="FormSubmitter:join-Join").click().run()
    assert "You're in!" in messages(at, "info")


@pytest.mark.parametrize("nickname", [HTML_NICKNAME, "**bold**", ":material/home: $x$"])
def test_a_nickname_full_of_markup_shows_as_literal_text(service, nickname):
    room = new_room(service)
    player = join(room.code, nickname)
    assert f"{nickname} · Room {room.code}" in texts(player)
    assert nickname not in markdown(player)  # never as Markdown
    host = host_view(room.code, room.host_token)
    assert nickname in "\n".join(texts(host))  # st.text: plain text
    assert nickname not in markdown(host)


def test_joining_a_room_that_does_not_exist_is_a_clear_message(service):
    at = join("QQQQQ", "Ann")
    assert not at.exception
    assert "There is no room with the code QQQQQ" in messages(at, "error").replace("\\", "")
    assert "me" not in at.query_params
    at = join("", "Ann")
    assert "Type the room code" in messages(at, "error")


def test_a_full_room_an_ended_room_a_taken_or_blank_nickname_are_clear_messages(service):
    room = new_room(service, max_participants=1)
    join(room.code, "Ann")
    full = join(room.code, "Bo")
    assert f"Room {room.code} is full" in messages(full, "error")
    assert "me" not in full.query_params

    other = new_room(service)
    join(other.code, "Ann")
    taken = join(other.code, "ANN")
    assert "already goes by" in messages(taken, "error")
    blank = join(other.code, " \u200b ")
    assert "cannot be empty" in messages(blank, "error")
    # The browser stops the typing, past the limit: a longer name is told the limit.
    assert blank.text_input(key="join_nickname").max_chars == workshop.NICKNAME_FIELD_MAX_CHARS
    service.end(other.code, other.host_token)
    ended = join(other.code, "Cy")
    assert f"Room {other.code} has ended" in messages(ended, "error")
    for at in (full, taken, blank, ended):
        assert not at.exception


# ---------------------------------------------------------------- play


def test_one_question_played_through_host_and_participant(service):
    room = new_room(service, leaderboard=True)
    host = host_view(room.code, room.host_token)
    ann = join(room.code, "Ann")
    bo = join(room.code, "Bo")
    host.run()
    assert "2 people joined" in [s.value for s in host.subheader]
    assert "Ann   ·   Bo" in texts(host)

    host.button(key="room_start").click().run()
    assert button_labels(host) >= {"Reveal answer", "End"}
    assert "Start" not in button_labels(host)
    question = service.question(room.code, 0)
    assert question.statement in markdown(host)
    assert "0 of 2 people answered" in host.get("progress")[0].text

    ann.run()
    buttons = choice_buttons(ann)
    assert [b.label for b in buttons] == QUIZ.choices
    assert not any(b.disabled for b in buttons)
    assert question.statement in markdown(ann)
    wrong = next(c for c in QUIZ.choices if c != question.answer)
    next(b for b in buttons if b.label == question.answer).click().run()
    assert all(b.disabled for b in choice_buttons(ann))  # locked
    assert f"You answered **{question.answer}**" in messages(ann, "success")
    bo.run()
    next(b for b in choice_buttons(bo) if b.label == wrong).click().run()

    host.run()
    assert "2 of 2 people answered" in host.get("progress")[0].text
    host.button(key="room_reveal").click().run()
    assert button_labels(host) >= {"Next question", "End"}
    assert len(host.get("plotly_chart")) == 1
    words = f"In words: {question.answer} (the right answer): 1 answer; {wrong}: 1 answer."
    assert words in markdown(host)
    assert f"The answer: **{question.answer}**" in markdown(host)
    assert question.explanation in markdown(host)
    board = host.table[0].value
    assert list(board["Nickname"]) == ["Ann", "Bo"]

    ann.run()
    assert f"Right! The answer is **{question.answer}**." in messages(ann, "success")
    assert question.explanation in markdown(ann)
    assert "**Your score: 1 of 1 right**" in markdown(ann)
    bo.run()
    assert f"you answered {wrong}" in messages(bo, "error")
    assert "**Your score: 0 of 1 right**" in markdown(bo)


def test_a_reload_brings_back_the_same_participant_with_their_answer_locked(service):
    room = new_room(service)
    ann = join(room.code, "Ann")
    token = ann.query_params["me"]
    service.start(room.code, room.host_token)
    ann.run()
    choice_buttons(ann)[0].click().run()

    reloaded = open_app()  # a new session: what a reload or a new server gives
    reloaded.query_params.update(room=room.code, me=token)
    open_url(reloaded, "join")
    assert f"Ann · Room {room.code}" in texts(reloaded)
    assert all(b.disabled for b in choice_buttons(reloaded))
    assert f"You answered **{QUIZ.choices[0]}**" in messages(reloaded, "success")


def test_answering_after_the_countdown_or_the_reveal_is_refused_politely(service):
    room = new_room(service)
    ann = join(room.code, "Ann")
    service.start(room.code, room.host_token)
    ann.run()
    service.reveal(room.code, room.host_token)
    choice_buttons(ann)[0].click().run()  # the screen still showed the question
    assert not ann.exception
    assert "You did not answer this one" in messages(ann, "info")


def test_an_answer_refused_while_the_question_is_open_says_why(service, monkeypatch):
    room = new_room(service)
    ann = join(room.code, "Ann")
    service.start(room.code, room.host_token)
    ann.run()

    def refuse(self, code, token, choice, *, question_index):
        raise NotAccepting("Time is up for question 1.")

    monkeypatch.setattr(RoomService, "answer", refuse)
    choice_buttons(ann)[0].click().run()
    assert "Time is up for question 1" in messages(ann, "warning").replace("\\", "")
    assert not any(b.disabled for b in choice_buttons(ann))


def test_a_forged_participant_link_shows_the_join_form(service):
    room = new_room(service)
    at = open_app()
    at.query_params.update(room=room.code, me="not-a-token")
    open_url(at, "join")
    assert not at.exception
    assert "does not belong to anyone" in messages(at, "error")
    assert at.title[0].value == "Join a workshop"


def test_the_host_removes_a_participant_and_their_answer_leaves_the_counts(service):
    room = new_room(service)
    ann = join(room.code, "Ann")
    rude = join(room.code, "**rude**")
    service.start(room.code, room.host_token)
    for player in (ann, rude):
        player.run()
        choice_buttons(player)[0].click().run()
    host = host_view(room.code, room.host_token)
    assert "2 of 2 people answered" in host.get("progress")[0].text
    rude_id = next(p.id for p in service.people(room.code) if p.nickname == "**rude**")
    host.selectbox(key="room_remove_pick").set_value(rude_id).run()
    host.button(key="room_remove").click().run()
    assert not host.exception
    assert "1 of 1 person answered" in host.get("progress")[0].text
    assert [p.nickname for p in service.people(room.code)] == ["Ann"]
    rude.run()
    assert "The host removed you" in messages(rude, "error")


def test_end_asks_first_then_the_host_sees_the_results_and_downloads_every_answer(
    service, monkeypatch
):
    files = record_downloads(monkeypatch)
    room = new_room(service)
    ann = join(room.code, "Ann")
    host = host_view(room.code, room.host_token)
    host.button(key="room_start").click().run()
    ann.run()
    choice_buttons(ann)[0].click().run()
    host.button(key="room_end").click().run()
    assert "End the workshop now, with 2 questions not asked?" in messages(host, "warning")
    host.button(key="room_end_no").click().run()
    assert service.state(room.code).phase == "question"
    host.button(key="room_end").click().run()
    host.button(key="room_end_yes").click().run()
    assert not host.exception
    assert service.state(room.code).phase == "ended"
    assert not CONTROL_LABELS & button_labels(host)
    subheaders = [s.value for s in host.subheader]
    assert "By question" in subheaders and "The hardest questions" in subheaders
    name, text = files[-1]
    assert name == f"room-{room.code}-{QUIZ.id}.csv"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["nickname"], r["question_number"]) for r in rows] == [("Ann", "1")]

    ann.run()
    assert "### The workshop is over" in "\n".join(m.value for m in ann.markdown)


@pytest.fixture
def fragment_intervals(monkeypatch) -> list:
    """The run_every of every st.fragment the app defines from now on, in order."""
    intervals = []
    original = streamlit.fragment

    def recording(func=None, *, run_every=None, **kwargs):
        intervals.append(run_every)
        return original(func, run_every=run_every, **kwargs)

    monkeypatch.setattr(streamlit, "fragment", recording)
    return intervals


def listeners(at) -> list[dict]:
    """What each room listener on the page was drawn with (its JavaScript is not run)."""
    return [
        json.loads(element.proto.json)
        for element in at.get("bidi_component")
        if element.proto.component_name == "teamroles.listener"
    ]


def test_the_live_views_listen_until_the_room_ends_then_stop(service, fragment_intervals):
    """No timer: each live view draws one listener with the room's version (the host's
    with the activity it saw, and the shorter fallback); an ended room draws none."""
    room = new_room(service)
    ann = join(room.code, "Ann")
    [phone] = listeners(ann)
    assert (phone["code"], phone["version"], phone["seen"]) == (room.code, 0, None)
    assert phone["fallback_ms"] == workshop.PARTICIPANT_POLL_SECONDS * 1000
    host = host_view(room.code, room.host_token)
    [projector] = listeners(host)
    assert projector["seen"] is not None
    assert projector["fallback_ms"] == workshop.POLL_SECONDS * 1000
    service.start(room.code, room.host_token)
    ann.run()
    assert [phone["version"] for phone in listeners(ann)] == [service.state(room.code).version]
    service.end(room.code, room.host_token)
    ann.run()  # the page run that draws the ended room
    host.run()
    assert listeners(ann) == listeners(host) == []
    assert not any(fragment_intervals), fragment_intervals


def test_a_room_that_cannot_be_created_is_a_sentence_on_the_form(service, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(RoomService, "create_room", down)
    at = open_url(open_app(), "workshop")
    at.button(key="room_create_button").click().run()
    assert not at.exception
    assert "database cannot be reached" in messages(at, "error").replace("\\", "")
    assert at.title[0].value == "Run a workshop"  # still the form, nothing in the address
    assert not dict(at.query_params)


def test_the_database_url_can_come_from_the_secrets_file(tmp_path, monkeypatch):
    monkeypatch.delenv("TEAMROLES_DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'from-secrets.sqlite3'}"
    at = open_url(open_app(), "workshop")
    at.secrets["connections"] = {"rooms": {"url": url}}
    at.run()
    at.button(key="room_create_button").click().run()
    code = parse_qs(urlsplit(at.code[0].value).query)["room"][0]
    assert open_service(url).state(code).phase == "lobby"


def test_a_room_deleted_while_its_pages_are_open_says_so_and_stops_listening(
    service, fragment_intervals
):
    room = new_room(service)
    ann = join(room.code, "Ann")
    host = host_view(room.code, room.host_token)
    assert len(listeners(ann)) == len(listeners(host)) == 1
    assert service.delete_room(room.code)
    for at in (ann.run(), host.run()):
        assert listeners(at) == []
        assert not any(fragment_intervals), fragment_intervals
        assert not at.exception
        assert f"There is no room with the code {room.code}" in messages(at, "error").replace(
            "\\", ""
        )
        assert not CONTROL_LABELS & button_labels(at)


def test_when_the_countdown_runs_out_the_buttons_close_and_the_host_is_told(service, monkeypatch):
    from datetime import datetime, timedelta

    from teamroles.ui import host as workshop_ui
    from teamroles.ui import join as join_ui

    room = new_room(service, countdown_seconds=20)
    ann = join(room.code, "Ann")
    host = host_view(room.code, room.host_token)
    host.button(key="room_start").click().run()
    assert "0:20 left" in markdown(host) or "0:19 left" in markdown(host)
    ann.run()
    assert not any(b.disabled for b in choice_buttons(ann))

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(seconds=60)

    monkeypatch.setattr(join_ui, "datetime", Later)
    monkeypatch.setattr(workshop_ui, "datetime", Later)
    ann.run()
    assert all(b.disabled for b in choice_buttons(ann))
    assert "Time's up for this question." in messages(ann, "warning")
    host.run()
    assert "Time's up" in markdown(host)
    assert "answers are closed" in messages(host, "info")


def test_a_database_that_cannot_be_reached_is_a_message_and_a_retry_not_a_traceback(
    service, monkeypatch, fragment_intervals
):
    from sqlalchemy.exc import OperationalError

    from teamroles.ui import room as room_ui

    room = new_room(service)
    ann = join(room.code, "Ann")
    token = ann.query_params["me"]

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    for method in ("me", "state", "check_host", "join"):
        monkeypatch.setattr(RoomService, method, down)
    fragment_intervals.clear()
    ann = open_app()
    ann.query_params.update(room=room.code, me=token)
    open_url(ann, "join")
    host = host_view(room.code, room.host_token)
    joining = join(room.code, "Bo")
    for at in (ann, host, joining):
        assert not at.exception
        text = messages(at, "warning") + messages(at, "error")
        assert "database cannot be reached" in text.replace("\\", "")
    assert fragment_intervals.count(room_ui.RETRY_SECONDS) == 2  # the two live pages retry


def test_a_participant_screen_reads_the_question_once_per_host_action(service, monkeypatch):
    """Between host actions a tick reads the room's state row and nothing else."""
    room = new_room(service)
    ann = join(room.code, "Ann")
    service.start(room.code, room.host_token)
    ann.run()  # the new question: read once
    calls: list[str] = []
    for name in ("question", "my_answers", "my_score", "people", "counts", "leaderboard"):
        original = getattr(RoomService, name)

        def counting(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(RoomService, name, counting)
    ann.run()
    ann.run()
    assert calls == []
    service.reveal(room.code, room.host_token)
    ann.run()
    assert sorted(calls) == ["my_answers", "my_score", "question"]
    # The next question: the whole room's phones read it at once, and none of them has
    # answered it yet, so a phone reads the question (shared) and not its own answers.
    calls.clear()
    service.next_question(room.code, room.host_token)
    ann.run()
    assert calls == ["question"]
    statement = service.question(room.code, 1).statement
    assert any(statement in text for text in markdown(ann).split("\n\n"))
    assert all(not b.disabled for b in choice_buttons(ann))


# ---------------------------------------------------------------- issue 18


def test_a_stale_tap_on_a_closed_question_is_refused_and_the_phone_shows_the_next(service):
    """Bug 1: the phone showed question 1; the host revealed it and moved on."""
    room = new_room(service)
    ann = join(room.code, "Ann")
    service.start(room.code, room.host_token)
    ann.run()
    stale = choice_buttons(ann)[0]
    service.reveal(room.code, room.host_token, at_index=0)
    service.next_question(room.code, room.host_token, at_index=0)
    stale.click().run()  # the tap on question 1's screen
    assert not ann.exception
    assert service.my_answers(room.code, ann.query_params["me"]) == {}  # nothing stored
    assert "That question has closed: here is the next one" in messages(ann, "warning").replace(
        "\\", ""
    )
    second = service.question(room.code, 1)
    assert second.statement in markdown(ann)  # the current screen
    assert not any(b.disabled for b in choice_buttons(ann))
    choice_buttons(ann)[0].click().run()
    assert set(service.my_answers(room.code, ann.query_params["me"])) == {1}


def test_a_taken_nickname_is_quoted_as_text_in_the_error(service):
    """Bug 7: the "already taken" sentence quotes the nickname, which is never Markdown."""
    room = new_room(service)
    join(room.code, "**Ann**")
    taken = join(room.code, "**ann**")
    error = messages(taken, "error")
    assert "already goes by" in error
    assert plain("'**ann**'") in error  # the stars show as stars, not bold


def test_a_nickname_over_the_limit_is_answered_with_the_limit(service):
    """Bug 7: the form must let an over-long name reach the service, which states the limit."""
    room = new_room(service)
    at = join(room.code, "x" * 30)
    assert "at most 24 characters; this one has 30" in messages(at, "error").replace("\\", "")
    assert "me" not in at.query_params
