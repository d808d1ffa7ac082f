"""The workshop room's pages, decided: no Streamlit and no database here.

Which buttons the host sees in each phase, what the countdown says, how a room
code typed on a phone is read, what the create form turns into, and the sentences
the host and participant screens show. `teamroles.ui.host` (host) and
`teamroles.ui.join` (participant) draw what these functions decide.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from teamroles.room.codes import normalize_code
from teamroles.room.links import DEFAULT_BASE_URL
from teamroles.room.nicknames import MAX_LENGTH as NICKNAME_MAX_LENGTH
from teamroles.room.values import DEFAULT_MAX_PARTICIPANTS, retention_days
from teamroles.textsafe import plain

# How often the host's view asks the database for news, in seconds: one session, so
# it can be often; the projector's counts stay within about a second of the room.
POLL_SECONDS = 1.0
# How often a participant's phone asks whether the host has acted. Each tick is a
# script run on the server: 200 phones at 2 s are 100 small runs a second
# (docs/performance.md), and the next question reaches a phone within about 2 s.
PARTICIPANT_POLL_SECONDS = 2.0
# How old a room's state may be when a phone's tick reads it: 200 ticks share one
# database read per room this often. Host actions on this server clear it at once.
STATE_MAX_AGE_SECONDS = 0.25
# How long the phones share a question's text and the room's standings after a host
# action (each is read once for the room, not once per phone).
SHARED_MAX_AGE_SECONDS = 5.0
# Streamlit page paths of the two pages (see teamroles/navigation.py).
WORKSHOP_PATH, JOIN_PATH = "workshop", "join"
# Query parameters: the room's code, the host's secret, the participant's secret.
ROOM, HOST, ME = "room", "host", "me"

NAMES_SHOWN = 60  # the most nicknames the projector lists
# What the join form's field takes: more than the service's limit, which counts the
# name once cleaned (invisible characters dropped, spaces collapsed), so that a name
# over the limit reaches the service and is told the limit; Streamlit cuts (and
# AppTest drops) a value over the field's own maximum.
NICKNAME_FIELD_MAX_CHARS = 2 * NICKNAME_MAX_LENGTH
MAX_COUNTDOWN_SECONDS = 600

# A code is letters and digits: anything else in a URL is not shown back to anyone.
_CODE = re.compile(r"[A-Z0-9]{3,12}")

Phase = Literal["lobby", "question", "revealed", "ended"]


# ---------------------------------------------------------------- codes and links


def read_code(raw: str | None) -> str | None:
    """What a person typed or a link carried (` abc de `) as a room code (`ABCDE`),
    or None if it cannot be one (so that it is never echoed back)."""
    code = normalize_code(raw)
    return code if _CODE.fullmatch(code) else None


def base_url(page_url: str | None, url_path: str) -> str:
    """The app's root URL from the address of one of its pages.

    `st.context.url` is the page's URL without its query (for example
    `https://host/app/workshop`); links to other pages are built on what is left
    once `/workshop` is cut off. Without a URL (AppTest, a script), `DEFAULT_BASE_URL`.
    """
    if not page_url:
        return DEFAULT_BASE_URL
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + url_path):
        path = path[: -len(url_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def only_this_computer(url: str) -> bool:
    """Whether `url` points at the machine that opened it (localhost): phones cannot
    follow a join link or QR code to it."""
    host = (urlsplit(url).hostname or "").lower()
    return host in {"localhost", "::1", "0.0.0.0"} or host.startswith("127.")


LOCAL_LINK_WARNING = (
    "This page is open at a local address, so the join link and the QR code point at "
    "this computer only: phones cannot open them. Open the app at an address the phones "
    "can reach (on a local network, run `streamlit run app.py --server.address 0.0.0.0` "
    "and use this computer's network address, such as `http://192.168.1.20:8501`), then "
    "create the room or open the host link there."
)


def retention_notice() -> str:
    """What the pages say about deletion, from the setting `room purge` applies."""
    return retention_sentence(retention_days())


def retention_sentence(days: int) -> str:
    if days <= 0:
        return "Rooms are deleted at the next clean-up, with every nickname and answer in them."
    return (
        f"Rooms are kept for {plural(days, 'day')} after they are created, "
        "then deleted with every nickname and answer in them."
    )


# ---------------------------------------------------------------- the create form


@dataclass(frozen=True)
class RoomSettings:
    """What the create form asks the service for (`RoomService.create_room`)."""

    quiz_id: str
    questions: int | None  # None: every question in the bank
    shuffle: bool
    countdown_seconds: int | None
    leaderboard: bool
    speed_bonus: bool
    max_participants: int

    def create_kwargs(self) -> dict:
        return {
            "questions": self.questions,
            "shuffle": self.shuffle,
            "countdown_seconds": self.countdown_seconds,
            "leaderboard": self.leaderboard,
            "speed_bonus": self.speed_bonus,
            "max_participants": self.max_participants,
        }


def room_settings(
    quiz_id: str,
    bank_size: int,
    *,
    all_questions: bool,
    how_many: int | None,
    shuffle: bool,
    countdown: int | None,
    leaderboard: bool,
    speed_bonus: bool,
    max_participants: int | None,
) -> RoomSettings:
    """The form's values as settings: a count of 0 or the whole bank is every question,
    a countdown of 0 is none, and the speed bonus counts only with a leaderboard."""
    questions = None
    if not all_questions and how_many and 0 < how_many < bank_size:
        questions = int(how_many)
    seconds = int(countdown) if countdown and countdown > 0 else None
    if seconds is not None:
        seconds = min(seconds, MAX_COUNTDOWN_SECONDS)
    return RoomSettings(
        quiz_id=quiz_id,
        questions=questions,
        shuffle=shuffle,
        countdown_seconds=seconds,
        leaderboard=leaderboard,
        speed_bonus=leaderboard and speed_bonus,
        max_participants=max(1, int(max_participants or DEFAULT_MAX_PARTICIPANTS)),
    )


def settings_summary(settings: RoomSettings, quiz_title: str, bank_size: int) -> str:
    """One line: 'What vs How: 3 of 12 questions, shuffled; 20 s to answer each; leaderboard.'"""
    asked = (
        f"{settings.questions} of {bank_size} questions"
        if settings.questions
        else f"all {bank_size} questions"
    )
    parts = [f"{asked}, {'shuffled' if settings.shuffle else 'in the order of the bank'}"]
    if settings.countdown_seconds:
        parts.append(f"{settings.countdown_seconds} s to answer each")
    if settings.leaderboard:
        parts.append("leaderboard with speed bonus" if settings.speed_bonus else "leaderboard")
    parts.append(f"at most {settings.max_participants} participants")
    return f"{quiz_title}: {'; '.join(parts)}."


# ---------------------------------------------------------------- the host's buttons


@dataclass(frozen=True)
class Action:
    """A button on the host view: `name` is the RoomService method it calls."""

    name: Literal["start", "reveal", "next_question", "end"]
    label: str
    icon: str
    primary: bool = False


START = Action("start", "Start", ":material/play_arrow:", primary=True)
REVEAL = Action("reveal", "Reveal answer", ":material/visibility:", primary=True)
NEXT = Action("next_question", "Next question", ":material/arrow_forward:", primary=True)
FINISH = Action("next_question", "Show the results", ":material/flag:", primary=True)
END = Action("end", "End", ":material/stop:")


def host_actions(phase: Phase, index: int, total: int) -> list[Action]:
    """The buttons that apply now. After the last answer's reveal, 'Show the results'
    (the service ends the room after its last question) stands in for Next and End."""
    if phase == "lobby":
        return [START, END]
    if phase == "question":
        return [REVEAL, END]
    if phase == "revealed":
        return [FINISH] if index + 1 >= total else [NEXT, END]
    return []


def end_warning(phase: Phase, index: int, total: int) -> str:
    """What the host confirms before ending the room early."""
    if phase == "lobby":
        return "End the room before it starts? Nobody can join or answer after that."
    left = total - index - (1 if phase == "revealed" else 0)
    return (
        f"End the workshop now, with {left} question{'s' if left != 1 else ''} not asked? "
        "Everyone sees the end screen, and nobody can answer any more."
    )


# ---------------------------------------------------------------- time


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the deadline (rounded up, never below 0); None without one."""
    if deadline is None:
        return None
    return max(0, math.ceil((deadline - now).total_seconds()))


def countdown_text(seconds: int | None) -> str:
    """'0:07 left', '1:30 left', "Time's up"; '' without a countdown."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return "Time's up"
    return f"{seconds // 60}:{seconds % 60:02d} left"


# ---------------------------------------------------------------- sentences


def plural(n: int, noun: str, many: str | None = None) -> str:
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def joined_sentence(joined: int, max_participants: int) -> str:
    full = " (the room is full)" if joined >= max_participants else ""
    return f"{plural(joined, 'person', 'people')} joined{full}"


def answered_sentence(answered: int, joined: int) -> str:
    return f"{answered} of {plural(joined, 'person', 'people')} answered"


def nickname_line(nicknames: Sequence[str], limit: int = NAMES_SHOWN) -> str:
    """The joined nicknames for `st.text` (plain text, never Markdown). A big room shows
    the latest `limit` of them: a projector cannot show 500 names."""
    if not nicknames:
        return "Nobody has joined yet."
    shown = list(nicknames[-limit:]) if limit else list(nicknames)
    hidden = len(nicknames) - len(shown)
    line = "   ·   ".join(shown)
    return f"{line}   ·   and {hidden} more" if hidden else line


def choices_sentence(choices: Sequence[str]) -> str:
    """'What or How?' / 'PM, DS, Dev or QA?' as Markdown."""
    shown = [f"**{plain(choice)}**" for choice in choices]
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} or {shown[-1]}?"


def verdict(chosen: str | None, correct: bool | None, answer: str) -> tuple[str, str]:
    """After the reveal, for one participant: (kind, Markdown) with kind 'right',
    'wrong' or 'none' (did not answer)."""
    if chosen is None:
        return "none", f"You did not answer this one. The answer is **{plain(answer)}**."
    if correct:
        return "right", f"Right! The answer is **{plain(answer)}**."
    return (
        "wrong",
        f"Not this time: you answered {plain(chosen)}; the answer is **{plain(answer)}**.",
    )


def points_text(points: float) -> str:
    """2 -> '2', 2.35 -> '2.4'."""
    rounded = round(points, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def score_sentence(correct: int, asked: int, points: float | None = None) -> str:
    """'Your score: 2 of 3 right' (+ '; 2.4 points' with a speed bonus)."""
    text = f"Your score: {correct} of {asked} right"
    if points is not None and round(points, 1) != correct:
        text += f" ({points_text(points)} points with the speed bonus)"
    return text


def share_text(correct: int, answered: int) -> str:
    """'75% (3 of 4)' or 'no answers'."""
    if not answered:
        return "no answers"
    return f"{round(100 * correct / answered)}% ({correct} of {answered})"


def room_score_sentence(correct: int, answered: int) -> str:
    if not answered:
        return "Nobody answered a question in this room."
    return (
        f"The room got {round(100 * correct / answered)}% right: "
        f"{correct} of {plural(answered, 'answer')}."
    )


# ---------------------------------------------------------------- tables
# st.table draws each cell, and each header, as Markdown: nicknames go through `plain`,
# and no header is a lone "#" (an empty heading).


def leaderboard_rows(standings: Sequence, speed_bonus: bool) -> list[dict[str, str]]:
    """Rank, nickname (escaped: table cells are Markdown), right answers, points."""
    rows = []
    for rank, standing in enumerate(standings, start=1):
        row = {
            "Rank": str(rank),
            "Nickname": plain(standing.nickname),
            "Right": str(standing.correct),
        }
        if speed_bonus:
            row["Points"] = points_text(standing.points)
        rows.append(row)
    return rows


def question_rows(summaries: Sequence) -> list[dict[str, str]]:
    """The room's score by question, in the order they were asked (statements are the
    bank's own Markdown, as on the quiz page)."""
    return [
        {
            "Question": str(summary.index + 1),
            "Statement": summary.statement,
            "Answer": plain(summary.answer),
            "Right": share_text(summary.correct, summary.answered),
        }
        for summary in summaries
    ]


def concept_rows(concepts: Sequence) -> list[dict[str, str]]:
    """The room's score by concept (the questions' tags), weakest first."""
    ordered = sorted(
        concepts,
        key=lambda c: (c.correct / c.answered if c.answered else 2.0, c.tag),
    )
    return [
        {"Concept": plain(concept.tag), "Right": share_text(concept.correct, concept.answered)}
        for concept in ordered
    ]


def hardest_markdown(hardest: Sequence) -> str:
    """A numbered list of the questions the room found hardest: those someone got wrong."""
    missed = [
        summary for summary in hardest if summary.answered and summary.correct < summary.answered
    ]
    if not missed:
        if any(summary.answered for summary in hardest):
            return "Everyone who answered got every question right."
        return "Nobody answered a question, so none stands out."
    return "\n".join(
        f"{i}. {summary.statement} (answer: **{plain(summary.answer)}**; "
        f"right: {share_text(summary.correct, summary.answered)})"
        for i, summary in enumerate(missed, start=1)
    )


def csv_file_name(code: str, quiz_id: str) -> str:
    return f"room-{code}-{quiz_id}.csv"
