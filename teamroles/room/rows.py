"""What the room's writes (`service.py`) and reports (`reports.py`) share: a transaction
to read or to write, a room's or a participant's row, and a row as the value a page gets.

Tokens are secrets in links; only their sha256 is stored, compared in constant time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from teamroles.content.quizbank import Quiz
from teamroles.room import notify
from teamroles.room.codes import token_hash, token_matches
from teamroles.room.errors import NotHost, NotParticipant, RoomError, RoomNotFound
from teamroles.room.store import participants, rooms, write_options
from teamroles.room.values import RoomQuestion, RoomState

QuizSource = Mapping[str, Quiz] | Callable[[], Mapping[str, Quiz]]
# Everything a page shows about a room, without the (larger) question snapshot.
_STATE_COLUMNS = [column for column in rooms.c if column.name != "questions"]


def site_quizzes() -> dict[str, Quiz]:
    """The shipped (or $TEAMROLES_CONTENT) quizzes: content edits are seen within a second."""
    from teamroles.content.site import APP_MAX_AGE_SECONDS, load_site

    return {quiz.id: quiz for quiz in load_site(max_age=APP_MAX_AGE_SECONDS).quizzes}


class RoomRows:
    """The room database as the service and its reports use it: one engine, one quiz source."""

    def __init__(self, engine: Engine, quizzes: QuizSource | None = None):
        self.engine = engine
        self._quiz_source: QuizSource = site_quizzes if quizzes is None else quizzes

    def quizzes(self) -> Mapping[str, Quiz]:
        source = self._quiz_source
        return source() if callable(source) else source

    @contextmanager
    def read(self, snapshot: bool = False) -> Iterator[sa.Connection]:
        """A read-only transaction. `snapshot`: every statement in it sees the database
        at one moment (a report that reads several times). PostgreSQL needs REPEATABLE
        READ for that (READ COMMITTED gives each statement its own moment); a SQLite
        transaction already reads one snapshot from its first statement on."""
        with self.engine.connect() as connection:
            if snapshot and connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as connection:
            connection.execution_options(**write_options())
            # After the commit, the change goes to this server's broker (room/notify.py).
            with notify.publishing(connection), connection.begin():
                yield connection


def room_row(
    connection: sa.Connection, code: str, *, full: bool = False, lock: str | None = None
) -> Row:
    """The room's row (RoomNotFound). `lock`: "share" or "update" on PostgreSQL,
    where answers and joins must not interleave with a host action; SQLite
    already serialises every write transaction."""
    query = sa.select(*(rooms.c if full else _STATE_COLUMNS)).where(rooms.c.code == code)
    if lock:
        query = query.with_for_update(read=lock == "share")
    row = connection.execute(query).one_or_none()
    if row is None:
        raise RoomNotFound(code)
    return row


def host_room(connection: sa.Connection, code: str, host_token: str | None) -> Row:
    room = room_row(connection, code)
    if not token_matches(host_token, room.host_token_hash):
        raise NotHost(code)
    return room


def participant_row(connection: sa.Connection, code: str, token: str | None) -> Row:
    """The participant holding `token` in room `code`; NotParticipant if none or removed."""
    row = None
    if token:
        row = connection.execute(
            sa.select(participants).where(
                participants.c.token_hash == token_hash(token),
                participants.c.room_code == code,
            )
        ).one_or_none()
    if row is None or not token_matches(token, row.token_hash):
        room_row(connection, code)  # a deleted room says so, not "who are you"
        raise NotParticipant(
            f"This link does not belong to anyone in room {code}: join the room again."
        )
    if row.removed:
        raise NotParticipant(f"The host removed you from room {code}.")
    return row


def room_state(room: Row) -> RoomState:
    return RoomState(
        code=room.code,
        quiz_id=room.quiz_id,
        quiz_title=room.quiz_title,
        choices=list(room.choices),
        phase=room.phase,
        index=room.current_index,
        total=room.question_count,
        version=room.version,
        question_started_at=room.question_started_at,
        countdown_seconds=room.countdown_seconds,
        leaderboard=room.leaderboard,
        speed_bonus=room.speed_bonus,
        max_participants=room.max_participants,
        created_at=room.created_at,
    )


def room_question(room: Row, index: int, quiz: Quiz | None) -> tuple[RoomQuestion, str]:
    """Question `index` of a full room row, and its role.

    The text comes from the current bank when the question is still there (a
    typo fixed during a workshop shows up); the answer key is always the one
    the room was created with, so scores never shift under a live room.
    """
    if not 0 <= index < room.question_count:
        raise RoomError(f"Room {room.code} has no question {index + 1}.")
    stored = room.questions[index]
    live = None
    if quiz is not None:
        live = next((q for q in quiz.questions if q.id == stored["id"]), None)
    source = live.model_dump() if live is not None else stored
    question = RoomQuestion(
        index=index,
        id=stored["id"],
        statement=source["statement"],
        choices=list(room.choices),
        answer=stored["answer"],
        explanation=source["explanation"],
        see=source.get("see"),
        tags=list(source.get("tags") or []),
    )
    return question, source.get("role") or ""
