"""The benchmark's load generator (bench/protocol.py) really drives the app.

A few simulated tabs on a real server: a quiz answer is a fragment rerun that shows a
verdict; participants join a room through its form and wait without sending anything;
the host starts it from the host page and the phones' listeners (bench/push.py: the
long poll, then the fragment's trigger, as the browser's listener.js) bring each
question's statement; their answers are in the database against the right question; a
phone whose route is blocked gets the question from the fallback's timed triggers.
Behaviour only, never timings: the numbers belong to `python -m bench`.
"""

from __future__ import annotations

import asyncio

import pytest

from bench import push
from bench.protocol import FRAGMENT_DONE, LoadError, Session
from bench.scenarios import _stored_answers, database_env
from bench.server import run_server
from teamroles.content.site import load_site
from teamroles.room import open_service
from teamroles.room.engines import close_services
from tests.threads import run_async


def run(coroutine) -> None:
    run_async(coroutine)


# Starts a Streamlit server: grouped with the browser tests, so that
# `pytest -m "not browser"` stays the quick suite (see tests/conftest.py).
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A server on the app and the room service on the same SQLite file."""
    url, env = database_env(str(tmp_path_factory.mktemp("bench-db")))
    service = open_service(url)
    with run_server("app.py", env=env) as server:
        yield server.url, service
    close_services()


def test_the_load_generator_speaks_to_loopback_only():
    with pytest.raises(LoadError):
        Session("http://example.org:8501")


def test_a_quiz_answer_is_a_fragment_rerun_that_shows_the_verdict(app):
    url, _ = app
    choices = load_site().quizzes[0].choices

    async def scenario():
        sessions = [Session(url, name=f"quiz-{i}") for i in range(2)]
        try:
            for session in sessions:
                opened = await session.open("quiz")
                assert opened.status == "ok"
                start = session.widget("Start the quiz", "button")
                assert start.fragment_id, "the quiz's buttons are drawn by a fragment"
                started = await session.click("Start the quiz")
                assert started.fragment_id == start.fragment_id
                assert "seed=" in session.query_string  # the quiz put its seed in the URL
            answers = await asyncio.gather(*(s.click(choices[0]) for s in sessions))
            for session, answer in zip(sessions, answers, strict=True):
                assert answer.status == "ok" and answer.fragment_id
                assert session._last_status == FRAGMENT_DONE
                assert session.has_text("Right:") or session.has_text("Not quite:")
                assert session.has_widget("Next question", "button")
                assert session.errors == []
        finally:
            for session in sessions:
                await session.close()

    run(scenario())


def test_the_listeners_trigger_is_the_components_trigger_widget():
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    assert push.trigger_id("$$ID-abc-room-listener") == _make_trigger_id(
        "$$ID-abc-room-listener", "events"
    )


def _statement(service, code: str) -> str:
    state = service.state(code)
    return service.question(code, state.index).statement.split("\n")[0].strip()


def test_phones_join_wait_silently_and_their_listener_brings_the_next_question(app):
    """The load client plays the listener: while the room does not change a phone sends
    nothing over its websocket; when the host moves on, the long poll answers, the
    phone sends its fragment's trigger, and the next question's statement is on its
    screen; its answer is in the database against that question."""
    url, service = app
    quiz = next(quiz for quiz in load_site().quizzes if quiz.questions)
    created = service.create_room(quiz.id, questions=2)
    nicknames = ["Bench One", "Bench Two"]

    async def scenario():
        host = Session(url, name="host")
        phones = [Session(url, name=name) for name in nicknames]
        listeners = []
        try:
            await host.open("workshop", f"room={created.code}&host={created.host_token}")
            listeners.append(push.Listener(host).start())
            for phone, nickname in zip(phones, nicknames, strict=True):
                await phone.open("join", f"room={created.code}")
                assert await phone.type("Nickname", nickname) is None  # pending in the form
                joined = await phone.submit("Join")
                assert joined.status == "ok"
                assert "me=" in phone.query_string
                assert not phone.timers, "no run_every timer: the listener brings changes"
                drawn = push.drawn(phone)
                assert drawn is not None and drawn.code == created.code and drawn.seen is None
                listeners.append(push.Listener(phone).start())
            sent = [len(phone.interactions) for phone in phones]
            # the host's listener brings the joins (its view's counts)
            await host.wait_for_text("2 people joined", timeout=15)
            assert listeners[0].fired["push"] >= 1
            # meanwhile the phones sent nothing: waiting costs no script run
            assert [len(phone.interactions) for phone in phones] == sent
            for total in range(1, service.state(created.code).total + 1):
                action = "Start" if total == 1 else "Next question"
                moved = await host.click(action)
                assert moved.status == "ok" and moved.fragment_id
                statement = _statement(service, created.code)
                for phone in phones:
                    await phone.wait_for_text(statement, 15)
                    assert phone.has_text(f"Question {total} of ")
                for phone in phones:
                    answered = await phone.click(quiz.choices[-1])
                    assert answered.status == "ok" and answered.fragment_id
                    assert phone.has_text("You answered")
                await host.wait_for_text("2 of 2 people answered", timeout=15)
                await host.click("Reveal answer")
            for phone, listener, before in zip(phones, listeners[1:], sent, strict=True):
                triggers = [i for i in phone.interactions[before:] if i.action == "trigger"]
                assert triggers and all(i.label == "push" for i in triggers)
                assert all(i.fragment_id == push.drawn(phone).fragment_id for i in triggers)
                assert listener.polls >= 2 and listener.fired["fallback"] == 0
            for session in [host, *phones]:
                assert session.errors == []
        finally:
            await push.stop_all(listeners)
            for session in [host, *phones]:
                await session.close()

    run(scenario())
    stored = _stored_answers(service, created.code)
    assert stored == {
        (nickname, index): quiz.choices[-1] for nickname in nicknames for index in range(2)
    }


def test_a_phone_that_cannot_reach_the_route_falls_back_to_timed_triggers(app):
    url, service = app
    quiz = next(quiz for quiz in load_site().quizzes if quiz.questions)
    created = service.create_room(quiz.id, questions=1)
    joined = service.join(created.code, "Blocked")

    async def scenario():
        phone = Session(url, name="blocked")
        listener = None
        try:
            await phone.open("join", f"room={created.code}&me={joined.token}")
            listener = push.Listener(phone, blocked=True).start()
            service.start(created.code, created.host_token)
            await phone.wait_for_text(_statement(service, created.code), 20)
            assert listener.mode == "fallback" and listener.polls == 0
            assert listener.fired["fallback"] >= 1 and listener.fired["push"] == 0
            assert phone.errors == []
        finally:
            if listener is not None:
                await listener.stop()
            await phone.close()

    run(scenario())
