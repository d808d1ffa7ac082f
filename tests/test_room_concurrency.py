"""A room under a crowd: many phones at once lose nothing and double nothing.

Threads wait at a barrier and then act together, through a real pool of
connections, on SQLite (WAL, writers queue on the busy timeout) and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from teamroles.room import NicknameTaken, RoomService, make_engine
from teamroles.room.store import answers, participants
from tests.room_fixtures import QUIZZES

CROWD = 200


@pytest.fixture
def crowd_service(room_db_url, room_engine):
    """A service whose pool holds many connections (PostgreSQL's default limit is 100)."""
    engine = make_engine(room_db_url, pool_size=30, max_overflow=20)
    yield RoomService(engine, QUIZZES)
    engine.dispose()


def together(n: int, action):
    """Run `action(i)` for i in range(n) on n threads released at once; returns
    (results, exceptions), each in the order of i."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return action(i), None
        except Exception as exc:  # every failure is reported by the test, not lost
            return None, exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        outcomes = list(pool.map(run, range(n)))
    return [result for result, _ in outcomes], [exc for _, exc in outcomes]


def _stored(engine, table, code) -> int:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.room_code == code)
        ).scalar_one()


def test_two_hundred_phones_answering_at_once_are_all_stored(crowd_service, room_engine):
    service = crowd_service
    room = service.create_room("demo", shuffle=False)
    people = [service.join(room.code, f"Player {i}") for i in range(CROWD)]
    service.start(room.code, room.host_token)
    choices = ["What", "How"]

    results, errors = together(
        CROWD,
        lambda i: service.answer(room.code, people[i].token, choices[i % 2], question_index=0),
    )
    assert errors == [None] * CROWD
    assert [answer.choice for answer in results] == [choices[i % 2] for i in range(CROWD)]
    assert _stored(room_engine, answers, room.code) == CROWD
    assert service.answered_count(room.code, 0) == CROWD
    assert service.counts(room.code, 0) == {"What": CROWD // 2, "How": CROWD // 2}


@pytest.mark.parametrize("tabs", [2, 10])
def test_one_participant_answering_from_many_tabs_at_once_keeps_one_answer(
    crowd_service, room_engine, tabs
):
    service = crowd_service
    room = service.create_room("demo", shuffle=False)
    ana = service.join(room.code, "Ana")
    service.start(room.code, room.host_token)
    picks = ["What", "How"]
    for index in range(len(QUIZZES["demo"].questions)):
        results, errors = together(
            tabs,
            lambda i, index=index: service.answer(
                room.code, ana.token, picks[i % 2], question_index=index
            ),
        )
        assert errors == [None] * tabs
        stored = service.my_answers(room.code, ana.token)[index]
        assert results == [stored] * tabs, "every tab sees the one stored answer"
        assert service.answered_count(room.code, index) == 1
        service.reveal(room.code, room.host_token, at_index=index)
        service.next_question(room.code, room.host_token, at_index=index)
    assert _stored(room_engine, answers, room.code) == len(QUIZZES["demo"].questions)


def test_two_hundred_joins_with_colliding_nicknames_keep_every_name_unique(
    crowd_service, room_engine
):
    service = crowd_service
    room = service.create_room("demo")
    spellings = [str.title, str.lower, str.upper, lambda name: f"  {name}\u200b "]
    names = [spellings[i % 4](f"player {i // 4}") for i in range(CROWD)]

    results, errors = together(CROWD, lambda i: service.join(room.code, names[i]))
    joined = [result for result in results if result is not None]
    refused = [error for error in errors if error is not None]
    assert len(joined) == CROWD // 4
    assert len(refused) == CROWD - CROWD // 4
    assert all(isinstance(error, NicknameTaken) for error in refused), refused[:3]
    assert all("Pick another name" in str(error) for error in refused)
    keys = Counter(person.nickname.casefold() for person in service.people(room.code))
    assert sorted(keys) == sorted(f"player {n}" for n in range(CROWD // 4))
    assert set(keys.values()) == {1}
    assert _stored(room_engine, participants, room.code) == CROWD // 4


def test_a_room_never_takes_more_players_than_its_seats(crowd_service, room_engine):
    service = crowd_service
    room = service.create_room("demo", max_participants=25)
    results, errors = together(60, lambda i: service.join(room.code, f"P{i}"))
    assert sum(result is not None for result in results) == 25
    assert {type(error).__name__ for error in errors if error} == {"RoomFull"}
    assert _stored(room_engine, participants, room.code) == 25


@pytest.mark.parametrize("with_index", [True, False])
def test_two_host_tabs_clicking_at_once_advance_the_room_once(crowd_service, with_index):
    service = crowd_service
    room = service.create_room("demo", shuffle=False)
    at = {"at_index": None}
    steps = [service.start, service.reveal, service.next_question, service.reveal]
    for expected_index, step in zip([0, 0, 1, 1], steps, strict=True):
        if with_index:
            at = {"at_index": service.state(room.code).index}
        _, errors = together(8, lambda i, step=step, at=at: step(room.code, room.host_token, **at))
        assert errors == [None] * 8
        assert service.state(room.code).index == expected_index
    state = service.state(room.code)
    assert (state.phase, state.index, state.version) == ("revealed", 1, 4)
