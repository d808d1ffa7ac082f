"""The room's writes: every change to a room, as one short transaction.

`RoomService` is what the pages, the CLI and the bench hold. Its own methods create a
room, move it on (start, reveal, next, end), seat and remove participants, take their
answers, and delete rooms; with them, the look-ups a screen makes before it acts
(state, question, me, people, my answers). The reports on what the room did are in
`reports.py`, the shared caches in `cache.py`, the SQL both share in `rows.py`; the
service hands the reports on, so a page needs this one object.

Every fact lives in the database and every action is one short transaction, so
any number of app servers on one database serve the same room, and a server
that restarts loses nothing. The service keeps no state of its own beyond the
engine and the caches. Where two requests can race, the database decides:

- host actions are conditional UPDATEs (`WHERE phase = ... AND current_index = ...`),
  so a double click or two host tabs advance the room once;
- an answer is an INSERT guarded by UNIQUE(participant, question): the second one
  fails there, and the first, stored answer is returned;
- a nickname is an INSERT guarded by UNIQUE(room, nickname key).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from teamroles.quiz import shuffled
from teamroles.room import notify
from teamroles.room.cache import RoomCache
from teamroles.room.codes import (
    new_code,
    new_host_token,
    new_participant_token,
    normalize_code,
    token_hash,
)
from teamroles.room.errors import (
    BadChoice,
    BadSettings,
    NicknameTaken,
    NotAccepting,
    NotParticipant,
    QuestionClosed,
    RoomEnded,
    RoomError,
    RoomFull,
    UnknownQuiz,
)
from teamroles.room.nicknames import clean_nickname, nickname_key
from teamroles.room.reports import RoomReports
from teamroles.room.rows import (
    QuizSource,
    RoomRows,
    host_room,
    participant_row,
    room_question,
    room_row,
    room_state,
)
from teamroles.room.store import (
    answers,
    database_now,
    participants,
    rooms,
)
from teamroles.room.values import (
    DEFAULT_MAX_PARTICIPANTS,
    ConceptSummary,
    CreatedRoom,
    Joined,
    MyAnswer,
    Person,
    QuestionSummary,
    RoomQuestion,
    RoomState,
    Standing,
    retention_days,
)

# An answer sent in the last moment of a countdown reaches the server a little
# late; it still counts if it arrives within this grace after the deadline.
DEADLINE_GRACE_SECONDS = 1.0
CODE_ATTEMPTS = 20
# The answer time column is a 32-bit integer of milliseconds: a question left open
# for weeks is stored as this (24 days and more), not as an overflow.
MAX_ELAPSED_MS = 2**31 - 1


class RoomService:
    """Every action on rooms; safe to share between threads and to run on many servers."""

    def __init__(self, engine: Engine, quizzes: QuizSource | None = None):
        self.engine = engine
        self._rows = RoomRows(engine, quizzes)
        # Reads that many phones repeat, shared by every session of this process.
        self._cache = RoomCache()
        self.reports = RoomReports(self._rows, self._cache)

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
        quizzes = self._rows.quizzes()
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
            with self._rows.write() as connection:
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
        cached = self._cache.state(code, max_age)
        if cached is not None:
            return cached
        read_at, generation = time.monotonic(), self._cache.generation(code)
        with self._rows.read() as connection:
            state = room_state(room_row(connection, code))
        self._cache.keep_state(code, generation, read_at, state)
        return state

    def check_host(self, code: str, host_token: str | None) -> RoomState:
        code = normalize_code(code)
        with self._rows.read() as connection:
            return room_state(host_room(connection, code, host_token))

    def question(self, code: str, index: int, max_age: float = 0.0) -> RoomQuestion:
        """Question `index` of the room; `max_age` as for state()."""
        code = normalize_code(code)
        cached = self._cache.question(code, index, max_age)
        if cached is not None:
            return cached
        read_at, generation = time.monotonic(), self._cache.generation(code)
        with self._rows.read() as connection:
            room = room_row(connection, code, full=True)
        question = room_question(room, index, self._rows.quizzes().get(room.quiz_id))[0]
        self._cache.keep_question(code, index, generation, read_at, question)
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
        with self._rows.write() as connection:
            room = host_room(connection, code, host_token)
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
            state = room_state(room_row(connection, code))
        self._cache.changed(code)  # once committed
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
        with self._rows.write() as connection:
            host_room(connection, code, host_token)
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
        self._cache.changed(code)

    # --- the participants -------------------------------------------------------

    def join(self, code: str, nickname: str) -> Joined:
        """A seat in the room under `nickname` (cleaned); a late joiner is welcome."""
        code = normalize_code(code)
        name = clean_nickname(nickname)
        key = nickname_key(name)
        token = new_participant_token()
        with self._rows.write() as connection:
            room = room_row(connection, code, lock="update")
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
        with self._rows.read() as connection:
            row = participant_row(connection, code, token)
        return Person(row.id, row.nickname, row.joined_at, row.removed)

    def people(self, code: str, include_removed: bool = False) -> list[Person]:
        """Everyone who joined, in the order they joined."""
        code = normalize_code(code)
        query = sa.select(participants).where(participants.c.room_code == code)
        if not include_removed:
            query = query.where(participants.c.removed.is_(False))
        with self._rows.read() as connection:
            room_row(connection, code)
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
        with self._rows.write() as connection:
            room = room_row(connection, code, full=True, lock="share")
            person = participant_row(connection, code, token)
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
        with self._rows.read() as connection:
            person = participant_row(connection, code, token)
            rows = connection.execute(
                sa.select(answers.c.question_index, answers.c.choice, answers.c.correct).where(
                    answers.c.participant_id == person.id
                )
            ).all()
        return {row.question_index: MyAnswer(*row) for row in rows}

    # --- the reports (reports.py), handed on so that a page needs one object ------

    def my_score(self, code: str, token: str | None, max_age: float = 0.0) -> Standing:
        return self.reports.my_score(code, token, max_age)

    def counts(self, code: str, index: int) -> dict[str, int]:
        return self.reports.counts(code, index)

    def answered_count(self, code: str, index: int) -> int:
        return self.reports.answered_count(code, index)

    def leaderboard(self, code: str, limit: int = 10) -> list[Standing]:
        return self.reports.leaderboard(code, limit)

    def summary(self, code: str) -> tuple[list[QuestionSummary], list[ConceptSummary]]:
        return self.reports.summary(code)

    def hardest(self, code: str, n: int = 3) -> list[QuestionSummary]:
        return self.reports.hardest(code, n)

    def export_csv(self, code: str) -> str:
        return self.reports.export_csv(code)

    # --- housekeeping -----------------------------------------------------------

    def delete_room(self, code: str) -> bool:
        """Delete the room with its participants and answers; False if there was none."""
        code = normalize_code(code)
        with self._rows.write() as connection:
            result = connection.execute(rooms.delete().where(rooms.c.code == code))
            notify.written(connection, code)
        self._cache.changed(code, gone=True)
        return result.rowcount > 0

    def purge(self, older_than_days: int | None = None) -> int:
        """Delete the rooms created more than `older_than_days` ago (default: the
        retention setting); returns how many went."""
        days = retention_days() if older_than_days is None else older_than_days
        if days < 0:
            raise BadSettings("The number of days to keep rooms cannot be negative.")
        with self._rows.write() as connection:
            cutoff = database_now(connection) - timedelta(days=days)
            result = connection.execute(rooms.delete().where(rooms.c.created_at < cutoff))
        self._cache.clear()
        return result.rowcount


def _insert_unless_taken(connection: sa.Connection):
    """An INSERT into rooms that can say ON CONFLICT (code) DO NOTHING."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(rooms)
