"""What the room did: answer counts, standings, the summary by question and concept,
the hardest questions, a participant's score and the CSV of every answer.

Only the answers of participants the host has not removed count (the CSV keeps them,
marked). A report that reads more than once reads one snapshot of the database.
`RoomService` hands these on, so a page needs only the service.
"""

from __future__ import annotations

import csv
import io
import time

import sqlalchemy as sa
from sqlalchemy.engine import Row

from teamroles.room import scoring
from teamroles.room.cache import RoomCache
from teamroles.room.codes import normalize_code
from teamroles.room.rows import RoomRows, participant_row, room_question, room_row
from teamroles.room.store import answers, participants
from teamroles.room.values import ConceptSummary, QuestionSummary, RoomQuestion, Standing

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


class RoomReports:
    """Every report on a room; reads only, safe to share between threads."""

    def __init__(self, rows: RoomRows, cache: RoomCache):
        self._rows = rows
        self._cache = cache

    def my_score(self, code: str, token: str | None, max_age: float = 0.0) -> Standing:
        """This participant's standing. The whole room's standings are computed for it;
        with a `max_age`, the phones of a room share them while the room's version
        (answers are only taken before a reveal, which changes it) stays the same."""
        code = normalize_code(code)
        generation = self._cache.generation(code)
        with self._rows.read(snapshot=True) as connection:
            person = participant_row(connection, code, token)
            room = room_row(connection, code)
            cached = self._cache.standing(code, room.version, person.id, max_age)
            if cached is not None:
                return cached
            read_at = time.monotonic()
            standings = dict(_standings(connection, room))
        self._cache.keep_standings(code, generation, read_at, room.version, standings)
        return standings[person.id]

    def counts(self, code: str, index: int) -> dict[str, int]:
        """How many chose each choice for question `index`, in the quiz's choice order."""
        code = normalize_code(code)
        counted = _counted_answers(code).where(answers.c.question_index == index).subquery()
        with self._rows.read() as connection:
            room = room_row(connection, code)
            rows = connection.execute(
                sa.select(counted.c.choice, sa.func.count()).group_by(counted.c.choice)
            ).all()
        found = dict(rows)
        return {choice: found.get(choice, 0) for choice in room.choices}

    def answered_count(self, code: str, index: int) -> int:
        code = normalize_code(code)
        counted = _counted_answers(code).where(answers.c.question_index == index).subquery()
        with self._rows.read() as connection:
            room_row(connection, code)
            return connection.execute(sa.select(sa.func.count()).select_from(counted)).scalar_one()

    def leaderboard(self, code: str, limit: int = 10) -> list[Standing]:
        code = normalize_code(code)
        with self._rows.read(snapshot=True) as connection:
            room = room_row(connection, code)
            standings = _standings(connection, room)
        return [standing for _, standing in standings[: max(limit, 0)]]

    def summary(self, code: str) -> tuple[list[QuestionSummary], list[ConceptSummary]]:
        """How the room did on each question asked so far, and on each concept.

        A concept is a question tag; a question without tags counts under its role.
        """
        code = normalize_code(code)
        counted = _counted_answers(code).subquery()
        with self._rows.read(snapshot=True) as connection:
            room = room_row(connection, code, full=True)
            rows = connection.execute(
                sa.select(counted.c.question_index, counted.c.choice, counted.c.correct)
            ).all()
        asked = 0 if room.current_index < 0 else room.current_index + 1
        quiz = self._rows.quizzes().get(room.quiz_id)
        by_index: dict[int, list[Row]] = {}
        for row in rows:
            by_index.setdefault(row.question_index, []).append(row)
        questions: list[QuestionSummary] = []
        concepts: dict[str, list[int]] = {}
        for index in range(asked):
            question, role = room_question(room, index, quiz)
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
        with self._rows.read(snapshot=True) as connection:
            room = room_row(connection, code, full=True)
            rows = connection.execute(
                sa.select(answers, participants.c.nickname, participants.c.removed)
                .join(participants, participants.c.id == answers.c.participant_id)
                .where(answers.c.room_code == code)
                .order_by(answers.c.question_index, answers.c.answered_at, answers.c.id)
            ).all()
        quiz = self._rows.quizzes().get(room.quiz_id)
        questions: dict[int, RoomQuestion] = {}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            index = row.question_index
            if index not in questions:
                questions[index] = room_question(room, index, quiz)[0]
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


def _counted_answers(code: str):
    """The answers that count: those of participants the host has not removed."""
    return (
        sa.select(answers)
        .join(participants, participants.c.id == answers.c.participant_id)
        .where(answers.c.room_code == code, participants.c.removed.is_(False))
    )


def _standings(connection: sa.Connection, room: Row) -> list[tuple[int, Standing]]:
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


def spreadsheet_safe(text: str) -> str:
    """`text`, with a leading apostrophe if a spreadsheet would read it as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
