"""Fixtures for the workshop-room tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL comes from $TEAMROLES_TEST_POSTGRES_URL (for example
`postgresql+psycopg://teamroles:teamroles@127.0.0.1:5432/teamroles_test`); each test
gets a fresh schema there, dropped afterwards. Without the variable the PostgreSQL
runs are skipped, unless $TEAMROLES_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from teamroles.content.quizbank import Question, Quiz
from teamroles.room import RoomService, make_engine, upgrade
from teamroles.room.engines import close_services

POSTGRES_ENV = "TEAMROLES_TEST_POSTGRES_URL"
REQUIRE_ENV = "TEAMROLES_REQUIRE_POSTGRES"
BACKENDS = ["sqlite", "postgresql"]


def _question(qid: str, answer: str, role: str, tags: list[str]) -> Question:
    return Question(
        id=qid,
        statement=f"Statement {qid} with <b>markup</b>",
        answer=answer,
        explanation=f"Because of {qid}.",
        role=role,
        tags=tags,
    )


DEMO = Quiz(
    id="demo",
    title="Demo quiz",
    description="A small quiz for the room tests.",
    choices=["What", "How"],
    source="tests",
    questions=[
        _question("q1", "What", "PM", ["alpha"]),
        _question("q2", "How", "Dev", ["alpha", "beta"]),
        _question("q3", "What", "PM", []),
        _question("q4", "How", "DS", ["beta"]),
    ],
)
QUIZZES = {DEMO.id: DEMO}


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(
            f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set: the PostgreSQL tests "
            "cannot run. Start PostgreSQL and set it to a database URL."
        )
    pytest.skip(
        f"PostgreSQL tests need {POSTGRES_ENV}, e.g. "
        "postgresql+psycopg://teamroles:teamroles@127.0.0.1:5432/teamroles_test"
    )


@pytest.fixture(params=BACKENDS)
def room_db_url(request, tmp_path):
    """A URL to an empty database: a temp SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
        close_services()
        return
    base = make_url(postgres_url_or_skip())
    schema = f"room_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        close_services()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def room_engine(room_db_url):
    """An engine on the test database with the newest schema."""
    engine = make_engine(room_db_url, pool_size=5, max_overflow=5)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def room_service(room_engine) -> RoomService:
    return RoomService(room_engine, QUIZZES)
