"""Points for a live room: one per correct answer, plus an optional speed bonus.

Pure functions over plain rows, so the rules are tested without a database.
The bonus window is the question's countdown, or SPEED_WINDOW_SECONDS without
one: a fixed window means a score never changes because someone else answered
later, and the slowest person in the room is not punished for being last.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_SPEED_BONUS = 0.5
SPEED_WINDOW_SECONDS = 30


@dataclass(frozen=True)
class ScoredAnswer:
    participant_id: int
    correct: bool
    elapsed_ms: int | None


def speed_bonus(elapsed_ms: int | None, countdown_seconds: int | None) -> float:
    """0.5 for an instant answer, falling linearly to 0 at the end of the window."""
    if elapsed_ms is None:
        return 0.0
    window_ms = 1000 * (countdown_seconds or SPEED_WINDOW_SECONDS)
    share_left = 1 - min(max(elapsed_ms, 0), window_ms) / window_ms
    return MAX_SPEED_BONUS * share_left


def points(answers: Iterable[ScoredAnswer], countdown: int | None, with_bonus: bool) -> float:
    """The points of one participant's answers."""
    total = 0.0
    for answer in answers:
        if answer.correct:
            total += 1 + (speed_bonus(answer.elapsed_ms, countdown) if with_bonus else 0.0)
    return round(total, 2)
