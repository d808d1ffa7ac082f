"""The room database: its rules hold in the database itself, and its schema upgrades
keep every row. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from teamroles.room import RoomService, make_engine, upgrade
from teamroles.room import store as room_store
from teamroles.room.database import DATABASE_ENV, database_url, default_database_url
from teamroles.room.store import (
    answers,
    current_revision,
    metadata,
    normalized_url,
    participants,
    rooms,
)
from teamroles.room.values import RETENTION_ENV, retention_days
from tests.room_fixtures import QUIZZES

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _room_row(code: str = "ABCDE", **extra) -> dict:
    return {
        "code": code,
        "quiz_id": "demo",
        "quiz_title": "Demo quiz",
        "choices": ["What", "How"],
        "questions": [q.model_dump() for q in QUIZZES["demo"].questions],
        "question_count": 4,
        "host_token_hash": "h" * 63 + code[-1],
        "max_participants": 10,
        "created_at": NOW,
        **extra,
    }


def _person(room_code: str = "ABCDE", key: str = "ana", **extra) -> dict:
    return {
        "room_code": room_code,
        "nickname": key.title(),
        "nickname_key": key,
        "token_hash": f"{room_code}-{key}".ljust(64, "t"),
        "joined_at": NOW,
        **extra,
    }


def _answer(participant_id: int, index: int = 0, **extra) -> dict:
    return {
        "participant_id": participant_id,
        "room_code": "ABCDE",
        "question_index": index,
        "question_id": "q1",
        "choice": "What",
        "correct": True,
        "answered_at": NOW,
        "elapsed_ms": 1200,
        **extra,
    }


def _insert(engine, table, row) -> int:
    with engine.begin() as connection:
        return connection.execute(table.insert().values(**row)).inserted_primary_key[0]


def test_the_migrated_schema_matches_the_tables_the_code_uses(room_engine):
    with room_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, metadata) == []
    assert current_revision(room_engine) == "0002"


def test_the_database_refuses_a_second_answer_to_one_question(room_engine):
    _insert(room_engine, rooms, _room_row())
    ana = _insert(room_engine, participants, _person())
    _insert(room_engine, answers, _answer(ana))
    with pytest.raises(IntegrityError):
        _insert(room_engine, answers, _answer(ana, choice="How"))
    _insert(room_engine, answers, _answer(ana, index=1))


def test_the_database_refuses_a_nickname_or_token_twice(room_engine):
    _insert(room_engine, rooms, _room_row())
    _insert(room_engine, rooms, _room_row("FGHJK"))
    _insert(room_engine, participants, _person())
    with pytest.raises(IntegrityError):
        _insert(room_engine, participants, _person(token_hash="x" * 64))
    with pytest.raises(IntegrityError):
        _insert(room_engine, participants, _person(key="bob", token_hash=_person()["token_hash"]))
    _insert(room_engine, participants, _person("FGHJK"))  # the same name in another room
    with pytest.raises(IntegrityError):
        _insert(room_engine, rooms, _room_row("ZZZZE"))  # the same host token hash


def test_the_database_refuses_rows_that_point_nowhere_or_make_no_sense(room_engine):
    with pytest.raises(IntegrityError):
        _insert(room_engine, participants, _person("NOPE1"))
    _insert(room_engine, rooms, _room_row())
    with pytest.raises(IntegrityError):
        _insert(room_engine, answers, _answer(999))
    with pytest.raises(IntegrityError):
        _insert(room_engine, rooms, _room_row("QWERT", phase="paused", host_token_hash="q" * 64))
    with pytest.raises(IntegrityError):
        _insert(room_engine, rooms, _room_row("QWERY", current_index=4, host_token_hash="w" * 64))


def test_deleting_a_room_in_sql_cascades_on_every_connection(room_engine):
    """SQLite enforces foreign keys only when each connection asks: all of them must."""
    _insert(room_engine, rooms, _room_row())
    _insert(room_engine, answers, _answer(_insert(room_engine, participants, _person())))
    connections = [room_engine.connect() for _ in range(3)]
    try:
        if room_engine.dialect.name == "sqlite":
            for connection in connections:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
                connection.rollback()
        with connections[-1].begin():
            connections[-1].execute(rooms.delete())
    finally:
        for connection in connections:
            connection.close()
    with room_engine.connect() as connection:
        for table in (participants, answers):
            count = connection.execute(sa.select(sa.func.count()).select_from(table))
            assert count.scalar_one() == 0


def test_upgrading_from_0001_keeps_every_row_and_fills_the_new_columns(room_db_url):
    engine = make_engine(room_db_url)
    try:
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("participants")}
        assert "removed" not in columns
        old = sa.MetaData()
        old_rooms = sa.Table("rooms", old, autoload_with=engine)
        old_people = sa.Table("participants", old, autoload_with=engine)
        old_answers = sa.Table("answers", old, autoload_with=engine)
        room = _room_row(phase="question", current_index=0, question_started_at=NOW)
        with engine.begin() as connection:
            connection.execute(old_rooms.insert().values(**room))
            for key in ("ana", "bob"):
                connection.execute(old_people.insert().values(**_person(key=key)))
            ids = connection.execute(sa.select(old_people.c.id).order_by("id")).scalars().all()
            for pid in ids:
                connection.execute(old_answers.insert().values(**_answer(pid)))

        upgrade(engine)

        assert current_revision(engine) == "0002"
        service = RoomService(engine, QUIZZES)
        state = service.state("ABCDE")
        assert (state.phase, state.index, state.version) == ("question", 0, 0)
        people = service.people("ABCDE", include_removed=True)
        assert [(p.nickname, p.removed) for p in people] == [("Ana", False), ("Bob", False)]
        assert service.answered_count("ABCDE", 0) == 2
        assert service.counts("ABCDE", 0) == {"What": 2, "How": 0}
        with engine.connect() as connection:
            stored = connection.execute(sa.select(answers.c.elapsed_ms)).scalars().all()
        assert stored == [1200, 1200]
        # and the upgraded database works as a new one does
        joined = service.join("ABCDE", "Cleo")
        assert service.answer("ABCDE", joined.token, "How", question_index=0).correct is False
    finally:
        engine.dispose()


def test_upgrading_a_current_schema_changes_nothing(room_engine):
    _insert(room_engine, rooms, _room_row())
    upgrade(room_engine)
    upgrade(room_engine)
    assert current_revision(room_engine) == "0002"
    assert RoomService(room_engine, QUIZZES).state("ABCDE").quiz_id == "demo"


def test_upgrading_from_several_threads_at_once_creates_the_schema_once(room_db_url):
    engine = make_engine(room_db_url)
    barrier = threading.Barrier(4)
    errors = []

    def start():
        barrier.wait()
        try:
            upgrade(engine)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert current_revision(engine) == "0002"
        room = RoomService(engine, QUIZZES).create_room("demo")
        assert RoomService(engine, QUIZZES).state(room.code).phase == "lobby"
    finally:
        engine.dispose()


def _upgrade_in_a_process(url: str, ready, go) -> None:
    engine = make_engine(url)
    ready.wait()
    go.wait()
    upgrade(engine)
    engine.dispose()


def test_upgrading_from_several_processes_at_once_creates_the_schema_once(room_db_url):
    """Two app servers starting together: each upgrades, one waits for the other."""
    spawn = multiprocessing.get_context("spawn")
    ready, go = spawn.Barrier(3), spawn.Event()
    workers = [
        spawn.Process(target=_upgrade_in_a_process, args=(room_db_url, ready, go)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    ready.wait()
    go.set()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    engine = make_engine(room_db_url)
    try:
        assert current_revision(engine) == "0002"
        room = RoomService(engine, QUIZZES).create_room("demo")
        assert RoomService(engine, QUIZZES).join(room.code, "Ana").nickname == "Ana"
    finally:
        engine.dispose()


def test_the_database_url_comes_from_the_env_then_secrets_then_the_default(
    monkeypatch, room_db_url
):
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    assert database_url() == default_database_url()
    assert default_database_url().endswith("/data/rooms.sqlite3")
    assert database_url("postgresql://from/secrets") == "postgresql://from/secrets"
    monkeypatch.setenv(DATABASE_ENV, room_db_url)
    assert database_url("postgresql://from/secrets") == room_db_url
    assert normalized_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    engine = make_engine(room_db_url)
    assert engine.dialect.name in ("sqlite", "postgresql")
    engine.dispose()


def test_the_retention_comes_from_the_env_with_a_default(monkeypatch, room_engine):
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert retention_days() == 30
    monkeypatch.setenv(RETENTION_ENV, "7")
    assert retention_days() == 7
    monkeypatch.setenv(RETENTION_ENV, "soon")
    assert retention_days() == 30


def test_downgrading_to_0001_keeps_every_participant_and_answer(room_db_url):
    """Bug 5: on SQLite the table rebuild ran with foreign keys on, and its DROP cascaded."""
    engine = make_engine(room_db_url)
    try:
        upgrade(engine)
        _insert(engine, rooms, _room_row(phase="question", current_index=0, version=3))
        ana = _insert(engine, participants, _person(key="ana"))
        bob = _insert(engine, participants, _person(key="bob", removed=True))
        for pid in (ana, bob):
            _insert(engine, answers, _answer(pid))

        room_store.downgrade(engine, "0001")

        assert current_revision(engine) == "0001"
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            assert "removed" not in {c["name"] for c in inspector.get_columns("participants")}
            assert "version" not in {c["name"] for c in inspector.get_columns("rooms")}
            counted = [
                connection.execute(
                    sa.select(sa.func.count()).select_from(sa.table(name))
                ).scalar_one()
                for name in ("rooms", "participants", "answers")
            ]
        assert counted == [1, 2, 2]
        # The cascades still hold after the downgrade, and upgrading again works.
        upgrade(engine)
        service = RoomService(engine, QUIZZES)
        assert service.answered_count("ABCDE", 0) == 2  # nobody is removed at 0001
        assert service.delete_room("ABCDE")
        with engine.connect() as connection:
            left = connection.execute(sa.select(sa.func.count()).select_from(answers))
            assert left.scalar_one() == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "listened"),
    [
        ("postgresql+psycopg://u:p@h:5432/db", "postgresql://u:p@h:5432/db"),
        ("postgresql://u:p@h/db", "postgresql://u:p@h/db"),
        ("postgres://u:p@h/db", "postgresql://u:p@h/db"),
        ("sqlite:///data/rooms.sqlite3", None),
    ],
)
def test_only_a_postgresql_room_database_is_listened_to(url, listened):
    """Servers tell each other of changes only through PostgreSQL; SQLite has one server
    (the push route starts no LISTEN connection for it)."""
    from teamroles.room.database import is_postgresql
    from teamroles.room.notify import listen_url

    assert is_postgresql(url) == (listened is not None)
    assert listen_url(url) == listened
