"""The benchmark's load generator (bench/protocol.py) really drives the app.

A few simulated tabs on a real server: a quiz answer is a fragment rerun that shows a
verdict; participants join a room through its form, the host starts it from the host
page, the phones see the question through their `run_every` timer alone, and their
answers are in the database. Behaviour only, never timings: the numbers belong to
`python -m bench`.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.protocol import FRAGMENT_DONE, LoadError, Session
from bench.scenarios import _stored_answers, database_env
from bench.server import run_server
from teamroles.content.site import load_site
from teamroles.room import open_service
from teamroles.room.engines import close_services


def run(coroutine) -> None:
    """Run on a thread of its own: Playwright's sync API (the browser tests, earlier in
    the same pytest process) leaves an event loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


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


def test_participants_join_the_host_starts_timers_bring_the_question_answers_are_stored(app):
    url, service = app
    quiz = next(quiz for quiz in load_site().quizzes if quiz.questions)
    created = service.create_room(quiz.id, questions=2)
    nicknames = ["Bench One", "Bench Two"]

    async def scenario():
        host = Session(url, name="host")
        phones = [Session(url, name=name) for name in nicknames]
        try:
            await host.open("workshop", f"room={created.code}&host={created.host_token}")
            for phone, nickname in zip(phones, nicknames, strict=True):
                await phone.open("join", f"room={created.code}")
                assert await phone.type("Nickname", nickname) is None  # pending in the form
                joined = await phone.submit("Join")
                assert joined.status == "ok"
                assert "me=" in phone.query_string
                assert phone.timers, "the participant's live view polls with run_every"
            await host.wait_for_text("2 people joined", timeout=15)
            started = await host.click("Start")
            assert started.status == "ok" and started.fragment_id
            # The phones do nothing: only their timer reruns can bring the question.
            for phone in phones:
                await phone.wait_for_text(f"Question 1 of {service.state(created.code).total}", 15)
                assert any(i.auto for i in phone.interactions)
            for phone in phones:
                answered = await phone.click(quiz.choices[-1])
                assert answered.status == "ok" and answered.fragment_id
                assert phone.has_text("You answered")
            await host.wait_for_text("2 of 2 people answered", timeout=15)
            for session in [host, *phones]:
                assert session.errors == []
        finally:
            for session in [host, *phones]:
                await session.close()

    run(scenario())
    stored = _stored_answers(service, created.code)
    assert stored == {(nickname, 0): quiz.choices[-1] for nickname in nicknames}
