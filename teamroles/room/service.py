"""The live workshop room: a facilitator runs a quiz, a room of phones answers.

Every fact lives in the database and every action is one short transaction, so
any number of app servers on one database serve the same room, and a server
that restarts loses nothing. The service keeps no state of its own beyond the
engine. Where two requests can race, the database decides:

- host actions are conditional UPDATEs (`WHERE phase = ... AND current_index = ...`),
  so a double click or two host tabs advance the room once;
- an answer is an INSERT guarded by UNIQUE(participant, question): the second one
  fails there, and the first, stored answer is returned;
- a nickname is an INSERT guarded by UNIQUE(room, nickname key).

Tokens are secrets in links; only their sha256 is stored, compared in constant time.
"""

from __future__ import annotations

import csv
import io
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from teamroles.content.quizbank import Quiz
from teamroles.quiz import shuffled
from teamroles.room import notify, scoring
from teamroles.room.codes import (
    new_code,
    new_host_token,
    new_participant_token,
    normalize_code,
    token_hash,
    token_matches,
)
from teamroles.room.errors import (
    BadChoice,
    BadSettings,
    NicknameTaken,
    NotAccepting,
    NotHost,
    NotParticipant,
    QuestionClosed,
    RoomEnded,
    RoomError,
    RoomFull,
    RoomNotFound,
    UnknownQuiz,
)
from teamroles.room.nicknames import clean_nickname, nickname_key
from teamroles.room.store import (
    answers,
    database_now,
    database_url,
    make_engine,
    participants,
    retention_days,
    rooms,
    upgrade,
    write_options,
)
from teamroles.room.values import (
    ConceptSummary,
    CreatedRoom,
    Joined,
    MyAnswer,
    Person,
    QuestionSummary,
    RoomQuestion,
    RoomState,
    Standing,
)

QuizSource = Mapping[str, Quiz] | Callable[[], Mapping[str, Quiz]]

DEFAULT_MAX_PARTICIPANTS = 500
# An answer sent in the last moment of a countdown reaches the server a little
# late; it still counts if it arrives within this grace after the deadline.
DEADLINE_GRACE_SECONDS = 1.0
CODE_ATTEMPTS = 20
# The answer time column is a 32-bit integer of milliseconds: a question left open
# for weeks is stored as this (24 days and more), not as an overflow.
MAX_ELAPSED_MS = 2**31 - 1
CSV_COLUMNS = (
    "room",
    "quiz",
    "question_number",
    "question_id",
    "statement",
    "nickname",
    "choice",
    "correct_answer",
    "correct",
    "answered_at",
    "seconds_to_answer",
    "removed",
)
# The shared caches (room states, questions, standings) are pruned of reads older
# than CACHE_KEEP_SECONDS once they hold CACHE_ROOMS entries: a server that runs
# rooms for months keeps only the live ones.
CACHE_ROOMS = 1000
CACHE_KEEP_SECONDS = 60.0
# Everything a page shows about a room, without the (larger) question snapshot.
_STATE_COLUMNS = [column for column in rooms.c if column.name != "questions"]


def site_quizzes() -> dict[str, Quiz]:
    """The shipped (or $TEAMROLES_CONTENT) quizzes: content edits are seen within a second."""
    from teamroles.content.site import APP_MAX_AGE_SECONDS, load_site

    return {quiz.id: quiz for quiz in load_site(max_age=APP_MAX_AGE_SECONDS).quizzes}


class RoomService:
    """Every action on rooms; safe to share between threads and to run on many servers."""

    def __init__(self, engine: Engine, quizzes: QuizSource | None = None):
        self.engine = engine
        self._quiz_source: QuizSource = site_quizzes if quizzes is None else quizzes
        # Reads that many phones repeat, shared by every session of this process, for
        # callers that pass a max_age: code -> (when read, state);
        # (code, index) -> (when read, question); code -> (when, version, standings).
        self._states: dict[str, tuple[float, RoomState]] = {}
        self._questions: dict[tuple[str, int], tuple[float, RoomQuestion]] = {}
        self._scores: dict[str, tuple[float, int, dict[int, Standing]]] = {}
        # Bumped by each change this service makes to a room: a read that began before
        # the change does not store what it read (it would refill a cache the change
        # has just cleared with the room as it was). The lock makes "still the same
        # generation? then store" one step against "bump, then clear".
        self._generations: dict[str, int] = {}
        self._cache_lock = threading.Lock()

    # --- plumbing ---------------------------------------------------------------

    @contextmanager
    def _read(self, snapshot: bool = False) -> Iterator[sa.Connection]:
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
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as connection:
            connection.execution_options(**write_options())
            with notify.publishing(connection), connection.begin():
                yield connection

    def _quizzes(self) -> Mapping[str, Quiz]:
        source = self._quiz_source
        return source() if callable(source) else source

    @staticmethod
    def _room(
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

    def _host_room(self, connection: sa.Connection, code: str, host_token: str | None) -> Row:
        room = self._room(connection, code)
        if not token_matches(host_token, room.host_token_hash):
            raise NotHost(code)
        return room

    def _participant(self, connection: sa.Connection, code: str, token: str | None) -> Row:
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
            self._room(connection, code)  # a deleted room says so, not "who are you"
            raise NotParticipant(
                f"This link does not belong to anyone in room {code}: join the room again."
            )
        if row.removed:
            raise NotParticipant(f"The host removed you from room {code}.")
        return row

    @staticmethod
    def _state(room: Row) -> RoomState:
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

    def _room_question(self, room: Row, index: int, quiz: Quiz | None) -> tuple[RoomQuestion, str]:
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

    # --- the facilitator --------------------------------------------------------

    def create_room(
        self,
        quiz_id: str,
        *,
        questions: int | None = None,
        shuffle: bool = True,
        seed: int | None = None,
        max_participants: int = DEFAULT_MAX_PARTICIPANTS,
        countdown_seconds: int | None = None,
        leaderboard: bool = False,
        speed_bonus: bool = False,
        question_ids: Sequence[str] | None = None,
    ) -> CreatedRoom:
        """A new room in the lobby, its questions chosen and ordered now, for good.

        `question_ids` picks the questions (in that order, before `questions` and
        `shuffle` apply): a deck's live slide asks exactly its one question."""
        quizzes = self._quizzes()
        quiz = quizzes.get(quiz_id)
        if quiz is None:
            raise UnknownQuiz(quiz_id, sorted(quizzes))
        ids = quiz.question_ids
        if question_ids is not None:
            unknown = [question_id for question_id in question_ids if question_id not in ids]
            if unknown:
                raise BadSettings(
                    f"No question {unknown[0]!r} in the quiz {quiz.title!r}: it may have been "
                    "removed from its bank."
                )
            ids = list(question_ids)
        count = len(ids) if questions is None else questions
        if count < 1:
            raise BadSettings("A room needs at least one question.")
        if max_participants < 1:
            raise BadSettings("A room needs at least one seat.")
        if countdown_seconds is not None and countdown_seconds < 1:
            raise BadSettings("A countdown must be at least one second (or none).")
        count = min(count, len(ids))
        seed = secrets.randbits(32) if seed is None else seed
        order = shuffled(ids, seed, count) if shuffle else tuple(ids[:count])
        snapshot = [
            quiz.question(question_id).model_dump(
                include={"id", "statement", "answer", "explanation", "role", "tags", "see"}
            )
            for question_id in order
        ]
        host_token = new_host_token()
        for _ in range(CODE_ATTEMPTS):
            code = new_code()
            with self._write() as connection:
                # Only a taken code draws another; any other conflict is raised as it is.
                stored = connection.execute(
                    _insert_unless_taken(connection)
                    .values(
                        code=code,
                        quiz_id=quiz.id,
                        quiz_title=quiz.title,
                        choices=list(quiz.choices),
                        questions=snapshot,
                        question_count=len(snapshot),
                        host_token_hash=token_hash(host_token),
                        phase="lobby",
                        current_index=-1,
                        countdown_seconds=countdown_seconds,
                        leaderboard=leaderboard,
                        speed_bonus=speed_bonus,
                        max_participants=max_participants,
                        created_at=database_now(connection),
                        version=0,
                    )
                    .on_conflict_do_nothing(index_elements=["code"])
                    .returning(rooms.c.code)
                ).scalar_one_or_none()
            if stored is not None:
                return CreatedRoom(code, host_token)
        raise RoomError("No free room code was found: please try again.")

    def state(self, code: str, max_age: float = 0.0) -> RoomState:
        """The room's state row. `max_age`: seconds a state read by another caller in
        this process may be reused (the phones' timers); this service's own changes
        to a room clear it, so only other servers' changes can wait that long."""
        code = normalize_code(code)
        if max_age > 0:
            cached = self._states.get(code)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                return cached[1]
        read_at, generation = time.monotonic(), self._generations.get(code, 0)
        with self._read() as connection:
            state = self._state(self._room(connection, code))
        self._keep(self._states, code, generation, (read_at, state))
        return state

    def _keep(self, cache: dict, key, generation: int, value) -> None:
        """Store a read in a cache, unless this service changed the room since the read
        began (its `generation` then differs): that change cleared the cache, and the
        read may have seen the room before it. Old entries go when the cache is big."""
        code = key if isinstance(key, str) else key[0]
        with self._cache_lock:
            if self._generations.get(code, 0) != generation:
                return
            if len(cache) >= CACHE_ROOMS:
                _prune(cache, time.monotonic() - CACHE_KEEP_SECONDS)
            cache[key] = value

    def _changed(self, code: str, gone: bool = False) -> None:
        """This service changed the room: the next state() reads it again. `gone`: the
        room was deleted, so its questions go too."""
        with self._cache_lock:
            self._generations[code] = self._generations.get(code, 0) + 1
            self._states.pop(code, None)
            self._scores.pop(code, None)
            if gone:
                for key in [key for key in self._questions if key[0] == code]:
                    del self._questions[key]

    def check_host(self, code: str, host_token: str | None) -> RoomState:
        code = normalize_code(code)
        with self._read() as connection:
            return self._state(self._host_room(connection, code, host_token))

    def question(self, code: str, index: int, max_age: float = 0.0) -> RoomQuestion:
        """Question `index` of the room; `max_age` as for state()."""
        code = normalize_code(code)
        cached = self._questions.get((code, index))
        if max_age > 0 and cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        read_at, generation = time.monotonic(), self._generations.get(code, 0)
        with self._read() as connection:
            room = self._room(connection, code, full=True)
        question = self._room_question(room, index, self._quizzes().get(room.quiz_id))[0]
        self._keep(self._questions, (code, index), generation, (read_at, question))
        return question

    def _advance(
        self,
        code: str,
        host_token: str | None,
        from_phase: str | None,
        at_index: int | None,
        values: Callable[[Row, int, datetime], dict],
    ) -> RoomState:
        """One host action as a conditional UPDATE: it changes the room only if the
        room is still where the host saw it (phase, and `at_index` when given).
        Otherwise someone (another tab, a double click) already did it: no-op."""
        code = normalize_code(code)
        with self._write() as connection:
            room = self._host_room(connection, code, host_token)
            index = room.current_index if at_index is None else at_index
            conditions = [rooms.c.code == code, rooms.c.current_index == index]
            if from_phase is None:
                conditions.append(rooms.c.phase != "ended")
            else:
                conditions.append(rooms.c.phase == from_phase)
            now = database_now(connection)
            connection.execute(
                rooms.update()
                .where(*conditions)
                .values(version=rooms.c.version + 1, **values(room, index, now))
            )
            notify.written(connection, code)
            state = self._state(self._room(connection, code))
        self._changed(code)  # once committed
        return state

    def start(self, code: str, host_token: str | None, at_index: int | None = None) -> RoomState:
        """Lobby -> question 1."""
        return self._advance(
            code,
            host_token,
            "lobby",
            at_index,
            lambda room, index, now: {
                "phase": "question",
                "current_index": 0,
                "question_started_at": now,
            },
        )

    def reveal(self, code: str, host_token: str | None, at_index: int | None = None) -> RoomState:
        """Close the open question and show its answer."""
        return self._advance(
            code, host_token, "question", at_index, lambda room, index, now: {"phase": "revealed"}
        )

    def next_question(
        self, code: str, host_token: str | None, at_index: int | None = None
    ) -> RoomState:
        """From a revealed question to the next one, or to the end after the last."""

        def values(room: Row, index: int, now: datetime) -> dict:
            if index + 1 >= room.question_count:
                return {"phase": "ended"}
            return {"phase": "question", "current_index": index + 1, "question_started_at": now}

        return self._advance(code, host_token, "revealed", at_index, values)

    def end(self, code: str, host_token: str | None, at_index: int | None = None) -> RoomState:
        """End the room now, wherever it is: it takes no more players or answers."""
        return self._advance(
            code, host_token, None, at_index, lambda room, index, now: {"phase": "ended"}
        )

    def remove(self, code: str, host_token: str | None, participant_id: int) -> None:
        """Take a participant out of every count, score and summary (the export keeps
        their answers, marked removed). Removing someone twice changes nothing."""
        code = normalize_code(code)
        with self._write() as connection:
            self._host_room(connection, code, host_token)
            exists = connection.execute(
                sa.select(participants.c.removed).where(
                    participants.c.id == participant_id, participants.c.room_code == code
                )
            ).one_or_none()
            if exists is None:
                raise NotParticipant(f"No one with the id {participant_id} is in room {code}.")
            if exists.removed:
                return
            connection.execute(
                rooms.update().where(rooms.c.code == code).values(version=rooms.c.version + 1)
            )
            connection.execute(
                participants.update()
                .where(participants.c.id == participant_id)
                .values(removed=True)
            )
            notify.written(connection, code, activity=True)
        self._changed(code)

    # --- the participants -------------------------------------------------------

    def join(self, code: str, nickname: str) -> Joined:
        """A seat in the room under `nickname` (cleaned); a late joiner is welcome."""
        code = normalize_code(code)
        name = clean_nickname(nickname)
        key = nickname_key(name)
        token = new_participant_token()
        with self._write() as connection:
            room = self._room(connection, code, lock="update")
            if room.phase == "ended":
                raise RoomEnded(code)
            seated = connection.execute(
                sa.select(sa.func.count())
                .select_from(participants)
                .where(participants.c.room_code == code, participants.c.removed.is_(False))
            ).scalar_one()
            if seated >= room.max_participants:
                raise RoomFull(code, room.max_participants)
            try:
                with connection.begin_nested():
                    participant_id = connection.execute(
                        participants.insert()
                        .values(
                            room_code=code,
                            nickname=name,
                            nickname_key=key,
                            token_hash=token_hash(token),
                            joined_at=database_now(connection),
                            removed=False,
                        )
                        .returning(participants.c.id)
                    ).scalar_one()
                    notify.written(connection, code, version=False, activity=True)
            except IntegrityError:
                raise NicknameTaken(name) from None
        return Joined(participant_id, token, name)

    def me(self, code: str, token: str | None) -> Person:
        code = normalize_code(code)
        with self._read() as connection:
            row = self._participant(connection, code, token)
        return Person(row.id, row.nickname, row.joined_at, row.removed)

    def people(self, code: str, include_removed: bool = False) -> list[Person]:
        """Everyone who joined, in the order they joined."""
        code = normalize_code(code)
        query = sa.select(participants).where(participants.c.room_code == code)
        if not include_removed:
            query = query.where(participants.c.removed.is_(False))
        with self._read() as connection:
            self._room(connection, code)
            rows = connection.execute(
                query.order_by(participants.c.joined_at, participants.c.id)
            ).all()
        return [Person(row.id, row.nickname, row.joined_at, row.removed) for row in rows]

    def answer(self, code: str, token: str | None, choice: str, *, question_index: int) -> MyAnswer:
        """Record the participant's answer to question `question_index` (0-based), the
        one their screen showed; answers are final.

        The question must be the open one: a tap on a screen the host has moved on
        from is refused (QuestionClosed, with the room's version now), never stored
        for the question that is open now. A second answer (a double tap, a second
        tab, a retry after a lost reply) returns the first one unchanged: the unique
        constraint decides, so this holds with any number of servers.
        """
        code = normalize_code(code)
        with self._write() as connection:
            room = self._room(connection, code, full=True, lock="share")
            person = self._participant(connection, code, token)
            index = room.current_index
            if room.phase == "lobby":
                raise NotAccepting(f"The quiz in room {code} has not started yet.")
            if room.phase == "ended":
                raise NotAccepting(f"Room {code} has ended: it takes no more answers.")
            if question_index < index:
                raise QuestionClosed(
                    "That question has closed: here is the next one.", room.version
                )
            if question_index != index:
                raise QuestionClosed(
                    f"Question {question_index + 1} is not open: here is the open one.",
                    room.version,
                )
            if room.phase == "revealed":
                raise NotAccepting(f"Question {index + 1} is closed: its answer is showing.")
            now = database_now(connection)
            elapsed = now - room.question_started_at
            if room.countdown_seconds and elapsed > timedelta(
                seconds=room.countdown_seconds + DEADLINE_GRACE_SECONDS
            ):
                raise NotAccepting(f"Time is up for question {index + 1}.")
            if choice not in room.choices:
                raise BadChoice(str(choice), list(room.choices))
            stored = room.questions[index]
            correct = choice == stored["answer"]
            try:
                with connection.begin_nested():
                    connection.execute(
                        answers.insert().values(
                            participant_id=person.id,
                            room_code=code,
                            question_index=index,
                            question_id=stored["id"],
                            choice=choice,
                            correct=correct,
                            answered_at=now,
                            elapsed_ms=min(
                                max(int(elapsed.total_seconds() * 1000), 0), MAX_ELAPSED_MS
                            ),
                        )
                    )
                    notify.written(connection, code, version=False, activity=True)
                return MyAnswer(index, choice, correct)
            except IntegrityError:
                pass  # answered already: the first answer stands
            first = connection.execute(
                sa.select(answers.c.choice, answers.c.correct).where(
                    answers.c.participant_id == person.id, answers.c.question_index == index
                )
            ).one_or_none()
        if first is None:  # not a second answer: the participant went in between
            raise NotParticipant(f"The host removed you from room {code}.")
        return MyAnswer(index, first.choice, first.correct)

    def my_answers(self, code: str, token: str | None) -> dict[int, MyAnswer]:
        code = normalize_code(code)
        with self._read() as connection:
            person = self._participant(connection, code, token)
            rows = connection.execute(
                sa.select(answers.c.question_index, answers.c.choice, answers.c.correct).where(
                    answers.c.participant_id == person.id
                )
            ).all()
        return {row.question_index: MyAnswer(*row) for row in rows}

    def my_score(self, code: str, token: str | None, max_age: float = 0.0) -> Standing:
        """This participant's standing. The whole room's standings are computed for it;
        with a `max_age`, the phones of a room share them while the room's version
        (answers are only taken before a reveal, which changes it) stays the same."""
        code = normalize_code(code)
        generation = self._generations.get(code, 0)
        with self._read(snapshot=True) as connection:
            person = self._participant(connection, code, token)
            room = self._room(connection, code)
            cached = self._scores.get(code)
            if (
                max_age > 0
                and cached is not None
                and cached[1] == room.version
                and time.monotonic() - cached[0] < max_age
                and person.id in cached[2]
            ):
                return cached[2][person.id]
            read_at = time.monotonic()
            standings = dict(self._standings(connection, room))
        self._keep(self._scores, code, generation, (read_at, room.version, standings))
        return standings[person.id]

    # --- what the room sees -----------------------------------------------------

    @staticmethod
    def _counted_answers(code: str):
        """The answers that count: those of participants the host has not removed."""
        return (
            sa.select(answers)
            .join(participants, participants.c.id == answers.c.participant_id)
            .where(answers.c.room_code == code, participants.c.removed.is_(False))
        )

    def counts(self, code: str, index: int) -> dict[str, int]:
        """How many chose each choice for question `index`, in the quiz's choice order."""
        code = normalize_code(code)
        counted = self._counted_answers(code).where(answers.c.question_index == index).subquery()
        with self._read() as connection:
            room = self._room(connection, code)
            rows = connection.execute(
                sa.select(counted.c.choice, sa.func.count()).group_by(counted.c.choice)
            ).all()
        found = dict(rows)
        return {choice: found.get(choice, 0) for choice in room.choices}

    def answered_count(self, code: str, index: int) -> int:
        code = normalize_code(code)
        counted = self._counted_answers(code).where(answers.c.question_index == index).subquery()
        with self._read() as connection:
            self._room(connection, code)
            return connection.execute(sa.select(sa.func.count()).select_from(counted)).scalar_one()

    def _standings(self, connection: sa.Connection, room: Row) -> list[tuple[int, Standing]]:
        """Every present participant's standing, best first: points, then correct
        answers, then nickname (so equal scores keep a stable order)."""
        rows = connection.execute(
            sa.select(
                participants.c.id,
                participants.c.nickname,
                participants.c.nickname_key,
                answers.c.correct,
                answers.c.elapsed_ms,
            )
            .select_from(participants)
            .outerjoin(answers, answers.c.participant_id == participants.c.id)
            .where(participants.c.room_code == room.code, participants.c.removed.is_(False))
        ).all()
        people: dict[int, tuple[str, str]] = {}
        scored: dict[int, list[scoring.ScoredAnswer]] = {}
        for row in rows:
            people[row.id] = (row.nickname, row.nickname_key)
            mine = scored.setdefault(row.id, [])
            if row.correct is not None:
                mine.append(scoring.ScoredAnswer(row.id, row.correct, row.elapsed_ms))
        standings = []
        for person_id, (nickname, key) in people.items():
            mine = scored[person_id]
            points = scoring.points(mine, room.countdown_seconds, room.speed_bonus)
            correct = sum(answer.correct for answer in mine)
            standing = Standing(nickname, correct, points, len(mine))
            standings.append(((-points, -correct, key, person_id), person_id, standing))
        standings.sort(key=lambda item: item[0])
        return [(person_id, standing) for _, person_id, standing in standings]

    def leaderboard(self, code: str, limit: int = 10) -> list[Standing]:
        code = normalize_code(code)
        with self._read(snapshot=True) as connection:
            room = self._room(connection, code)
            standings = self._standings(connection, room)
        return [standing for _, standing in standings[: max(limit, 0)]]

    def summary(self, code: str) -> tuple[list[QuestionSummary], list[ConceptSummary]]:
        """How the room did on each question asked so far, and on each concept.

        A concept is a question tag; a question without tags counts under its role.
        """
        code = normalize_code(code)
        counted = self._counted_answers(code).subquery()
        with self._read(snapshot=True) as connection:
            room = self._room(connection, code, full=True)
            rows = connection.execute(
                sa.select(counted.c.question_index, counted.c.choice, counted.c.correct)
            ).all()
        asked = 0 if room.current_index < 0 else room.current_index + 1
        quiz = self._quizzes().get(room.quiz_id)
        by_index: dict[int, list[Row]] = {}
        for row in rows:
            by_index.setdefault(row.question_index, []).append(row)
        questions: list[QuestionSummary] = []
        concepts: dict[str, list[int]] = {}
        for index in range(asked):
            question, role = self._room_question(room, index, quiz)
            mine = by_index.get(index, [])
            counts = {choice: 0 for choice in room.choices}
            for row in mine:
                counts[row.choice] = counts.get(row.choice, 0) + 1
            correct = sum(bool(row.correct) for row in mine)
            questions.append(
                QuestionSummary(
                    index,
                    question.id,
                    question.statement,
                    question.answer,
                    len(mine),
                    correct,
                    counts,
                )
            )
            for tag in question.tags or ([role] if role else []):
                tally = concepts.setdefault(tag, [0, 0])
                tally[0] += len(mine)
                tally[1] += correct
        return questions, [ConceptSummary(tag, n, right) for tag, (n, right) in concepts.items()]

    def hardest(self, code: str, n: int = 3) -> list[QuestionSummary]:
        """The `n` answered questions the room got wrong most often."""
        questions, _ = self.summary(code)
        answered = [question for question in questions if question.answered]
        answered.sort(key=lambda q: (q.share_correct, -q.answered, q.index))
        return answered[: max(n, 0)]

    def export_csv(self, code: str) -> str:
        """Every answer, removed participants' too (marked), one row each.

        A nickname that a spreadsheet would run as a formula (`=...`, `+...`,
        `-...`, `@...`) is written with a leading apostrophe.
        """
        code = normalize_code(code)
        with self._read(snapshot=True) as connection:
            room = self._room(connection, code, full=True)
            rows = connection.execute(
                sa.select(answers, participants.c.nickname, participants.c.removed)
                .join(participants, participants.c.id == answers.c.participant_id)
                .where(answers.c.room_code == code)
                .order_by(answers.c.question_index, answers.c.answered_at, answers.c.id)
            ).all()
        quiz = self._quizzes().get(room.quiz_id)
        questions: dict[int, RoomQuestion] = {}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            index = row.question_index
            if index not in questions:
                questions[index] = self._room_question(room, index, quiz)[0]
            question = questions[index]
            seconds = "" if row.elapsed_ms is None else f"{row.elapsed_ms / 1000:.3f}"
            writer.writerow(
                [
                    room.code,
                    room.quiz_id,
                    index + 1,
                    row.question_id,
                    question.statement,
                    spreadsheet_safe(row.nickname),
                    row.choice,
                    question.answer,
                    "yes" if row.correct else "no",
                    row.answered_at.isoformat(),
                    seconds,
                    "yes" if row.removed else "no",
                ]
            )
        return out.getvalue()

    # --- housekeeping -----------------------------------------------------------

    def delete_room(self, code: str) -> bool:
        """Delete the room with its participants and answers; False if there was none."""
        code = normalize_code(code)
        with self._write() as connection:
            result = connection.execute(rooms.delete().where(rooms.c.code == code))
            notify.written(connection, code)
        self._changed(code, gone=True)
        return result.rowcount > 0

    def purge(self, older_than_days: int | None = None) -> int:
        """Delete the rooms created more than `older_than_days` ago (default: the
        retention setting); returns how many went."""
        days = retention_days() if older_than_days is None else older_than_days
        if days < 0:
            raise BadSettings("The number of days to keep rooms cannot be negative.")
        with self._write() as connection:
            cutoff = database_now(connection) - timedelta(days=days)
            result = connection.execute(rooms.delete().where(rooms.c.created_at < cutoff))
        with self._cache_lock:
            for code in {*self._states, *self._scores, *(key[0] for key in self._questions)}:
                self._generations[code] = self._generations.get(code, 0) + 1
            self._states.clear()
            self._scores.clear()
            self._questions.clear()
        return result.rowcount


def _insert_unless_taken(connection: sa.Connection):
    """An INSERT into rooms that can say ON CONFLICT (code) DO NOTHING."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(rooms)


def _prune(cache: dict, before: float) -> None:
    """Drop the entries read before `before` (each cache's value starts with its read
    time); all of them if none is that old."""
    old = [key for key, (read_at, *_) in cache.items() if read_at < before]
    for key in old or list(cache):
        del cache[key]


def spreadsheet_safe(text: str) -> str:
    """`text`, with a leading apostrophe if a spreadsheet would read it as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def open_service(url: str | None = None, quizzes: QuizSource | None = None) -> RoomService:
    """The service on `url` (default: `database_url()`), its schema brought up to date.

    The engine, and the upgrade, happen once per URL in a process; the quizzes
    default to the site's, looked up at each call so that content edits are seen.
    """
    url = url or database_url()
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            upgrade(engine)
            _engines[url] = engine
    return RoomService(engine, quizzes)


def close_services() -> None:
    """Close every engine `open_service` opened (tests; a clean shutdown)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
