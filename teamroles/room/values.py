"""What the room service hands to the pages: small frozen values, no database rows;
and the room settings that the service and the pages both read (no database here).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Phase = Literal["lobby", "question", "revealed", "ended"]

DEFAULT_MAX_PARTICIPANTS = 500  # a room's seats unless its creator says otherwise
RETENTION_ENV = "TEAMROLES_ROOM_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """How many days a room is kept: $TEAMROLES_ROOM_RETENTION_DAYS, default 30."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    try:
        return max(int(raw), 0) if raw else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS


@dataclass(frozen=True)
class CreatedRoom:
    code: str
    host_token: str


@dataclass(frozen=True)
class RoomState:
    """One read of a room: everything a page needs to decide what to draw."""

    code: str
    quiz_id: str
    quiz_title: str
    choices: list[str]
    phase: Phase
    index: int  # the current question, 0-based; -1 in the lobby
    total: int
    version: int  # bumps on every host action: the cheap thing to poll
    question_started_at: datetime | None
    countdown_seconds: int | None
    leaderboard: bool
    speed_bonus: bool
    max_participants: int
    created_at: datetime

    @property
    def question_number(self) -> int:
        return self.index + 1

    @property
    def deadline(self) -> datetime | None:
        if self.question_started_at is None or not self.countdown_seconds:
            return None
        return self.question_started_at + timedelta(seconds=self.countdown_seconds)


@dataclass(frozen=True)
class RoomQuestion:
    index: int
    id: str
    statement: str
    choices: list[str]
    answer: str
    explanation: str
    see: str | None
    tags: list[str]

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class Person:
    id: int
    nickname: str
    joined_at: datetime
    removed: bool


@dataclass(frozen=True)
class Joined:
    participant_id: int
    token: str
    nickname: str


@dataclass(frozen=True)
class MyAnswer:
    question_index: int
    choice: str
    correct: bool


@dataclass(frozen=True)
class Standing:
    """One row of the leaderboard.

    `points` is the number of correct answers, plus up to 0.5 per correct answer
    for speed when the room has the speed bonus: a float, rounded to 2 places.
    """

    nickname: str
    correct: int
    points: float
    answered: int


@dataclass(frozen=True)
class QuestionSummary:
    index: int
    id: str
    statement: str
    answer: str
    answered: int
    correct: int
    counts: dict[str, int]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class ConceptSummary:
    tag: str
    answered: int
    correct: int

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0
