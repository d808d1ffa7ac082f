"""Where the rooms live: the tables, the engine and the schema's versions.

Everything a room knows is in the database, so several app servers on one
PostgreSQL serve one room, and a restart loses nothing. The rules that must hold
under concurrency are the database's to enforce, not Python's: one answer per
participant and question, one nickname per room (case-insensitively), unique
token hashes, and no participant or answer outliving its room.

The schema changes only through the Alembic migrations in `migrations/`; the
tables below describe the newest version (a test checks that they agree).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# How long a SQLite writer waits for another one before giving up. Writers are
# serialised (BEGIN IMMEDIATE), so a burst of answers queues here instead of failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 60
# Any constant works: it names "the room schema" among PostgreSQL's advisory locks.
MIGRATION_LOCK_KEY = 7_301_942_118
# Alembic keeps its migration context in module globals: one upgrade at a time
# per process, whatever the database (the database lock covers other processes).
_UPGRADE_LOCK = threading.Lock()


class UTCDateTime(sa.TypeDecorator):
    """A timestamp that is always read back timezone-aware in UTC.

    PostgreSQL keeps `timestamptz`; SQLite keeps text, so the value is stored as
    naive UTC there (which also sorts and compares correctly as text).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("quiz_id", sa.String(100), nullable=False),
    sa.Column("quiz_title", sa.String(300), nullable=False),
    # The quiz's choices and the questions as they were at creation (JSON): the
    # answer key a room scores by, and the fallback if a question leaves the bank.
    sa.Column("choices", sa.JSON, nullable=False),
    sa.Column("questions", sa.JSON, nullable=False),
    sa.Column("question_count", sa.Integer, nullable=False),
    sa.Column("host_token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("phase", sa.String(10), nullable=False, server_default="lobby"),
    sa.Column("current_index", sa.Integer, nullable=False, server_default="-1"),
    sa.Column("question_started_at", UTCDateTime, nullable=True),
    sa.Column("countdown_seconds", sa.Integer, nullable=True),
    sa.Column("leaderboard", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("speed_bonus", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("max_participants", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    # 0002: bumped by every host action, so a page polls one small number.
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint("phase IN ('lobby', 'question', 'revealed', 'ended')", name="phase_known"),
    sa.CheckConstraint("current_index >= -1 AND current_index < question_count", name="index"),
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "room_code",
        sa.String(8),
        sa.ForeignKey("rooms.code", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("nickname", sa.String(100), nullable=False),
    sa.Column("nickname_key", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    # 0002: the host removed this person; kept for the export, left out of every count.
    sa.Column("removed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("room_code", "nickname_key"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "room_code",
        sa.String(8),
        sa.ForeignKey("rooms.code", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("question_index", sa.Integer, nullable=False),
    sa.Column("question_id", sa.String(100), nullable=False),
    sa.Column("choice", sa.String(200), nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.Column("elapsed_ms", sa.Integer, nullable=True),
    sa.UniqueConstraint("participant_id", "question_index"),
    # The polls: how many answered question N of room R, and how.
    sa.Index(None, "room_code", "question_index"),
)


def normalized_url(url: str | URL) -> URL:
    """The URL with PostgreSQL pointed at psycopg 3 (`postgresql://` means psycopg2)."""
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(
    url: str | URL, *, pool_size: int | None = None, max_overflow: int | None = None
) -> Engine:
    """An engine for the room database (SQLite or PostgreSQL through psycopg).

    SQLite gets WAL (readers never wait for the writer), a long busy timeout,
    foreign keys (off by default in SQLite, and the cascades need them) and
    `BEGIN IMMEDIATE` for writes, so two writers queue instead of one failing.
    """
    url = normalized_url(url)
    pool = {}
    if pool_size is not None:
        pool["pool_size"] = pool_size
    if max_overflow is not None:
        pool["max_overflow"] = max_overflow
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool)
    return sa.create_engine(url, pool_pre_ping=True, **pool)


def _sqlite_engine(url: URL, pool: dict) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if memory:
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
    else:
        Path(url.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            **pool,
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # The driver's own transaction handling would defer BEGIN and break
        # SAVEPOINT; SQLAlchemy's documented recipe: let `begin` below do it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _use_wal(cursor) -> None:
    """Switch the file to WAL (it stays so). Switching needs the file to itself, and
    SQLite does not wait for that on its busy timeout: when two processes open a
    new database at once, one retries here until the other's first write is done."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def write_options() -> dict:
    """Execution options for a transaction that will write (SQLite: take the lock first)."""
    return {"sqlite_immediate": True}


def now_utc() -> datetime:
    return datetime.now(UTC)


def database_now(connection: sa.Connection) -> datetime:
    """The clock every server agrees on: PostgreSQL's, else this machine's (SQLite
    is only ever shared by processes on one machine)."""
    if connection.dialect.name == "postgresql":
        value = connection.execute(sa.select(sa.func.clock_timestamp())).scalar_one()
        return value.astimezone(UTC)
    return now_utc()


def alembic_config(connection: sa.Connection | None = None):
    """Alembic's configuration built in code (no alembic.ini needed at run time)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default).

    Safe at every start and from several processes at once: the whole upgrade
    runs in one transaction that first takes a lock (PostgreSQL: an advisory
    lock; SQLite: the write lock), so the second process waits, then finds the
    schema current and does nothing.
    """
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (an operator's step, under the same lock),
    keeping every row the older schema can hold; a step that cannot refuses whole."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, step) -> None:
    connection = engine.connect().execution_options(**write_options())
    with _UPGRADE_LOCK, connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        step(alembic_config(connection))


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
