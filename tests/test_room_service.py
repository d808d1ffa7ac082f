"""The workshop room's room_service, as a facilitator and a room of participants use it.

Every test here runs on SQLite and on PostgreSQL (see tests/room_fixtures.py).
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from teamroles.room import (
    BadChoice,
    BadNickname,
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
    RoomService,
    UnknownQuiz,
)
from teamroles.room.codes import CODE_ALPHABET
from teamroles.room.reports import CSV_COLUMNS
from teamroles.room.store import answers, participants, rooms
from tests.room_fixtures import DEMO, QUIZZES


def _room(room_service: RoomService, **settings):
    return room_service.create_room("demo", shuffle=False, **settings)


def _set(room_engine, table, where, **values):
    """Change stored rows directly, as time passing would (no sleeps in tests)."""
    with room_engine.begin() as connection:
        connection.execute(table.update().where(where).values(**values))


def _in_question(room_service, room_engine, **settings):
    """A room at question 1 with two participants, Ana and Bob."""
    room = _room(room_service, **settings)
    ana = room_service.join(room.code, "Ana")
    bob = room_service.join(room.code, "Bob")
    room_service.start(room.code, room.host_token)
    return room, ana, bob


# --- creating a room ----------------------------------------------------------


def test_a_new_room_has_a_readable_code_and_a_long_secret_host_token(room_service, room_engine):
    created = [room_service.create_room("demo") for _ in range(40)]
    codes = [room.code for room in created]
    assert all(len(code) == 5 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("".join(codes)) & set("01OI")
    assert len(set(codes)) == len(codes)
    tokens = [room.host_token for room in created]
    assert len(set(tokens)) == len(tokens)
    padded = tokens[0] + "=" * (-len(tokens[0]) % 4)
    assert len(base64.urlsafe_b64decode(padded)) * 8 >= 128
    with room_engine.connect() as connection:
        stored = " ".join(
            str(value) for row in connection.execute(sa.select(rooms)) for value in row
        )
    assert not any(token in stored for token in tokens), "host tokens must be stored hashed"


def test_a_new_room_waits_in_the_lobby_with_its_settings(room_service):
    room = room_service.create_room(
        "demo", questions=3, countdown_seconds=20, leaderboard=True, speed_bonus=True,
        max_participants=30,
    )  # fmt: skip
    state = room_service.state(room.code)
    assert (state.phase, state.index, state.total, state.version) == ("lobby", -1, 3, 0)
    assert state.quiz_title == "Demo quiz" and state.choices == ["What", "How"]
    assert (state.countdown_seconds, state.leaderboard, state.speed_bonus) == (20, True, True)
    assert state.max_participants == 30 and state.deadline is None
    assert state.created_at.tzinfo is not None


def test_the_question_order_is_fixed_by_the_seed_or_kept_without_shuffle(room_service):
    def order(room):
        return [
            room_service.question(room.code, i).id
            for i in range(room_service.state(room.code).total)
        ]

    first = room_service.create_room("demo", seed=7)
    again = room_service.create_room("demo", seed=7)
    assert order(first) == order(again)
    assert sorted(order(first)) == ["q1", "q2", "q3", "q4"]
    assert order(room_service.create_room("demo", shuffle=False, questions=2)) == ["q1", "q2"]
    assert len(order(room_service.create_room("demo", questions=99))) == 4
    # A deck's live slide asks exactly its question(s), in the order given.
    picked = room_service.create_room("demo", question_ids=("q3",), shuffle=False)
    assert order(picked) == ["q3"]
    kept_order = room_service.create_room("demo", question_ids=("q4", "q2"), shuffle=False)
    assert order(kept_order) == ["q4", "q2"]
    with pytest.raises(BadSettings, match="q9"):  # gone from its bank since the deck named it
        room_service.create_room("demo", question_ids=("q9",))


def test_creating_a_room_refuses_an_unknown_quiz_and_impossible_settings(room_service):
    with pytest.raises(UnknownQuiz, match="demo"):
        room_service.create_room("nope")
    for settings in ({"questions": 0}, {"max_participants": 0}, {"countdown_seconds": 0}):
        with pytest.raises(BadSettings):
            room_service.create_room("demo", **settings)


def test_a_room_code_is_found_however_it_is_typed(room_service):
    room = _room(room_service)
    assert room_service.state(f"  {room.code.lower()} ").code == room.code
    with pytest.raises(RoomNotFound, match="There is no room with the code ZZZZZ"):
        room_service.state("zzzzz")


# --- joining ------------------------------------------------------------------


def test_a_nickname_is_trimmed_and_kept_as_text(room_service):
    room = _room(room_service)
    joined = room_service.join(room.code, "   **Ana**  <i>x</i>&amp;  ")
    assert joined.nickname == "**Ana** <i>x</i>&amp;"
    assert room_service.me(room.code, joined.token).nickname == joined.nickname
    assert [p.nickname for p in room_service.people(room.code)] == [joined.nickname]


def test_invisible_characters_leave_a_nickname(room_service):
    room = _room(room_service)
    joined = room_service.join(room.code, "A\u200bn\u202ea\u2066\u200d\u00ad")
    assert joined.nickname == "Ana"
    with pytest.raises(NicknameTaken, match="already goes by 'ana'"):
        room_service.join(room.code, "ana\u200b")


@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u200b", "\u202e\u2066", "x" * 25])
def test_an_empty_or_too_long_nickname_is_refused(room_service, raw):
    room = _room(room_service)
    with pytest.raises(BadNickname):
        room_service.join(room.code, raw)
    assert room_service.people(room.code) == []


def test_a_nickname_of_24_characters_is_accepted(room_service):
    room = _room(room_service)
    assert room_service.join(room.code, "y" * 24).nickname == "y" * 24


def test_nicknames_are_unique_in_a_room_whatever_their_case(room_service):
    room, other = _room(room_service), _room(room_service)
    room_service.join(room.code, "Ana Lima")
    for clash in ("ana lima", "ANA  LIMA", "Ａｎａ Ｌｉｍａ"):
        with pytest.raises(NicknameTaken):
            room_service.join(room.code, clash)
    assert room_service.join(other.code, "ana lima").nickname == "ana lima"
    assert [p.nickname for p in room_service.people(room.code)] == ["Ana Lima"]


def test_joining_a_missing_ended_or_full_room_says_why(room_service):
    with pytest.raises(RoomNotFound, match="no room with the code"):
        room_service.join("ZZZZZ", "Ana")
    ended = _room(room_service)
    room_service.end(ended.code, ended.host_token)
    with pytest.raises(RoomEnded, match="has ended"):
        room_service.join(ended.code, "Ana")
    full = _room(room_service, max_participants=2)
    room_service.join(full.code, "Ana")
    bob = room_service.join(full.code, "Bob")
    with pytest.raises(RoomFull, match="at most 2 players"):
        room_service.join(full.code, "Cleo")
    room_service.remove(full.code, full.host_token, bob.participant_id)
    assert room_service.join(full.code, "Cleo").nickname == "Cleo"


def test_a_late_joiner_can_answer_the_open_question(room_service, room_engine):
    room, _, _ = _in_question(room_service, room_engine)
    late = room_service.join(room.code, "Dee")
    assert room_service.answer(room.code, late.token, "What", question_index=0).correct


def test_a_participant_token_works_in_its_own_room_only(room_service):
    room, other = _room(room_service), _room(room_service)
    joined = room_service.join(room.code, "Ana")
    assert room_service.me(room.code, joined.token).id == joined.participant_id
    for code, token in ((other.code, joined.token), (room.code, "forged"), (room.code, None)):
        with pytest.raises(NotParticipant):
            room_service.me(code, token)


# --- running the quiz -----------------------------------------------------------


def test_a_room_runs_from_lobby_through_every_question_to_the_end(room_service, room_engine):
    room = _room(room_service, questions=2)
    state = room_service.start(room.code, room.host_token)
    assert (state.phase, state.index, state.question_number) == ("question", 0, 1)
    assert state.question_started_at is not None
    assert room_service.reveal(room.code, room.host_token).phase == "revealed"
    state = room_service.next_question(room.code, room.host_token)
    assert (state.phase, state.index) == ("question", 1)
    room_service.reveal(room.code, room.host_token)
    state = room_service.next_question(room.code, room.host_token)
    assert (state.phase, state.index, state.version) == ("ended", 1, 5)


def test_every_host_action_is_idempotent_for_a_double_click(room_service):
    room = _room(room_service, questions=3)
    for action in (
        room_service.start,
        room_service.reveal,
        room_service.next_question,
        room_service.reveal,
    ):
        first = action(room.code, room.host_token)
        second = action(room.code, room.host_token)
        assert second == first
    assert (first.phase, first.index, first.version) == ("revealed", 1, 4)
    ended = room_service.end(room.code, room.host_token)
    assert room_service.end(room.code, room.host_token) == ended
    assert (ended.phase, ended.version) == ("ended", 5)
    for action in (room_service.start, room_service.reveal, room_service.next_question):
        assert action(room.code, room.host_token) == ended


def test_a_host_action_for_a_stale_index_does_nothing(room_service):
    room = _room(room_service, questions=3)
    room_service.start(room.code, room.host_token, at_index=-1)
    room_service.reveal(room.code, room.host_token, at_index=0)
    moved = room_service.next_question(room.code, room.host_token, at_index=0)
    assert moved.index == 1
    room_service.reveal(room.code, room.host_token, at_index=1)
    # a second tab still showing question 1 clicks "Next": nothing happens
    assert room_service.next_question(room.code, room.host_token, at_index=0).index == 1
    assert room_service.reveal(room.code, room.host_token, at_index=0).phase == "revealed"
    assert room_service.end(room.code, room.host_token, at_index=0).phase == "revealed"
    assert room_service.end(room.code, room.host_token, at_index=1).phase == "ended"


def test_next_after_the_last_question_ends_the_room(room_service):
    room = _room(room_service, questions=1)
    room_service.start(room.code, room.host_token)
    room_service.reveal(room.code, room.host_token)
    assert room_service.next_question(room.code, room.host_token).phase == "ended"


@pytest.mark.parametrize("token", [None, "", "not-the-token", "other-room"])
def test_a_wrong_or_missing_host_token_controls_nothing(room_service, token):
    room, other = _room(room_service), _room(room_service)
    token = other.host_token if token == "other-room" else token
    victim = room_service.join(room.code, "Ana")
    before = room_service.state(room.code)
    actions = [
        lambda: room_service.check_host(room.code, token),
        lambda: room_service.start(room.code, token),
        lambda: room_service.reveal(room.code, token),
        lambda: room_service.next_question(room.code, token),
        lambda: room_service.end(room.code, token),
        lambda: room_service.remove(room.code, token, victim.participant_id),
    ]
    for action in actions:
        with pytest.raises(NotHost, match=f"This link does not control room {room.code}"):
            action()
    assert room_service.state(room.code) == before
    assert [p.nickname for p in room_service.people(room.code)] == ["Ana"]
    assert room_service.check_host(room.code, room.host_token) == before


# --- answering --------------------------------------------------------------------


def test_an_answer_is_scored_and_locked_once_given(room_service, room_engine):
    room, ana, _ = _in_question(room_service, room_engine)
    key = room_service.question(room.code, 0).answer
    wrong = next(choice for choice in DEMO.choices if choice != key)
    first = room_service.answer(room.code, ana.token, wrong, question_index=0)
    assert (first.question_index, first.choice, first.correct) == (0, wrong, False)
    assert room_service.answer(room.code, ana.token, key, question_index=0) == first
    assert room_service.my_answers(room.code, ana.token) == {0: first}
    assert room_service.counts(room.code, 0) == {key: 0, wrong: 1}
    assert room_service.answered_count(room.code, 0) == 1


def test_no_answer_is_taken_while_no_question_is_open(room_service, room_engine):
    room = _room(room_service, questions=1)
    ana = room_service.join(room.code, "Ana")
    with pytest.raises(NotAccepting, match="has not started"):
        room_service.answer(room.code, ana.token, "What", question_index=0)
    room_service.start(room.code, room.host_token)
    room_service.reveal(room.code, room.host_token)
    with pytest.raises(NotAccepting, match="closed"):
        room_service.answer(room.code, ana.token, "What", question_index=0)
    room_service.end(room.code, room.host_token)
    with pytest.raises(NotAccepting, match="has ended"):
        room_service.answer(room.code, ana.token, "What", question_index=0)
    assert room_service.my_answers(room.code, ana.token) == {}


def test_an_answer_must_be_one_of_the_choices_and_come_from_a_participant(
    room_service, room_engine
):
    room, ana, _ = _in_question(room_service, room_engine)
    with pytest.raises(BadChoice, match="What, How"):
        room_service.answer(room.code, ana.token, "Maybe", question_index=0)
    with pytest.raises(NotParticipant):
        room_service.answer(room.code, "forged", "What", question_index=0)
    assert room_service.answered_count(room.code, 0) == 0


def test_no_answer_is_taken_after_the_countdown(room_service, room_engine):
    room, ana, bob = _in_question(room_service, room_engine, countdown_seconds=10)
    state = room_service.state(room.code)
    assert state.deadline == state.question_started_at + timedelta(seconds=10)
    assert room_service.answer(room.code, ana.token, "What", question_index=0).choice == "What"
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    _set(room_engine, rooms, rooms.c.code == room.code, question_started_at=long_ago)
    with pytest.raises(NotAccepting, match="Time is up for question 1"):
        room_service.answer(room.code, bob.token, "What", question_index=0)
    assert room_service.answered_count(room.code, 0) == 1


def test_a_removed_participant_leaves_every_count_and_cannot_answer(room_service, room_engine):
    room, ana, bob = _in_question(room_service, room_engine)
    room_service.answer(room.code, ana.token, "What", question_index=0)
    room_service.answer(room.code, bob.token, "What", question_index=0)
    version = room_service.state(room.code).version
    room_service.remove(room.code, room.host_token, bob.participant_id)
    room_service.remove(room.code, room.host_token, bob.participant_id)
    assert room_service.state(room.code).version == version + 1
    assert room_service.counts(room.code, 0) == {"What": 1, "How": 0}
    assert room_service.answered_count(room.code, 0) == 1
    assert [s.nickname for s in room_service.leaderboard(room.code)] == ["Ana"]
    questions, concepts = room_service.summary(room.code)
    assert (questions[0].answered, questions[0].correct) == (1, 1)
    assert concepts[0].answered == 1
    assert [p.nickname for p in room_service.people(room.code)] == ["Ana"]
    assert [p.removed for p in room_service.people(room.code, include_removed=True)] == [
        False,
        True,
    ]
    for action in (room_service.me, room_service.my_answers, room_service.my_score):
        with pytest.raises(NotParticipant, match="removed you"):
            action(room.code, bob.token)
    with pytest.raises(NotParticipant, match="removed you"):
        room_service.answer(room.code, bob.token, "How", question_index=0)
    with pytest.raises(NotParticipant):
        room_service.remove(room.code, room.host_token, 999_999)


# --- scores and summaries ---------------------------------------------------------


def _play(room_service, room, players, picks):
    """Run every question: `picks[i][name]` is what `name` answers to question i."""
    room_service.start(room.code, room.host_token)
    for i, round_picks in enumerate(picks):
        for name, choice in round_picks.items():
            room_service.answer(room.code, players[name].token, choice, question_index=i)
        room_service.reveal(room.code, room.host_token, at_index=i)
        room_service.next_question(room.code, room.host_token, at_index=i)


KEY = ["What", "How", "What", "How"]  # the demo quiz's answers, in order


def test_the_leaderboard_ranks_by_correct_answers_without_the_speed_bonus(room_service):
    room = _room(room_service)
    players = {name: room_service.join(room.code, name) for name in ("Cleo", "Ana", "Bob")}
    picks = [
        {"Ana": "What", "Bob": "What", "Cleo": "How"},
        {"Ana": "How", "Bob": "What"},
        {"Ana": "What", "Bob": "What", "Cleo": "What"},
        {"Ana": "What"},
    ]
    _play(room_service, room, players, picks)
    board = room_service.leaderboard(room.code)
    assert [(s.nickname, s.correct, s.points, s.answered) for s in board] == [
        ("Ana", 3, 3, 4),
        ("Bob", 2, 2, 3),
        ("Cleo", 1, 1, 2),
    ]
    assert room_service.leaderboard(room.code, limit=1) == board[:1]
    assert room_service.my_score(room.code, players["Bob"].token) == board[1]


def test_the_speed_bonus_rewards_fast_correct_answers_only(room_service, room_engine):
    room = _room(room_service, questions=1, speed_bonus=True, countdown_seconds=20)
    players = {name: room_service.join(room.code, name) for name in ("Ana", "Bob", "Cleo", "Dee")}
    room_service.start(room.code, room.host_token)
    for name, choice in (("Ana", "What"), ("Bob", "What"), ("Cleo", "How"), ("Dee", "What")):
        room_service.answer(room.code, players[name].token, choice, question_index=0)
    # Ana answered at once, Bob after half the countdown, Dee after it (within grace)
    for name, ms in (("Ana", 0), ("Bob", 10_000), ("Cleo", 0), ("Dee", 20_500)):
        pid = players[name].participant_id
        _set(room_engine, answers, answers.c.participant_id == pid, elapsed_ms=ms)
    board = room_service.leaderboard(room.code)
    assert [(s.nickname, s.points) for s in board] == [
        ("Ana", 1.5),
        ("Bob", 1.25),
        ("Dee", 1.0),
        ("Cleo", 0.0),
    ]
    assert room_service.my_score(room.code, players["Ana"].token).points == 1.5


def test_the_summary_shows_each_question_each_concept_and_the_hardest(room_service):
    room = _room(room_service)
    players = {name: room_service.join(room.code, name) for name in ("Ana", "Bob")}
    picks = [
        {"Ana": "What", "Bob": "What"},  # q1 alpha: 2/2
        {"Ana": "What", "Bob": "What"},  # q2 alpha, beta: 0/2
        {"Ana": "What", "Bob": "How"},  # q3 no tags, role PM: 1/2
    ]
    _play(room_service, room, players, picks)
    state = room_service.state(room.code)
    assert (state.phase, state.index) == ("question", 3)  # q4 open, not answered yet
    questions, concepts = room_service.summary(room.code)
    assert [(q.id, q.answered, q.correct) for q in questions] == [
        ("q1", 2, 2),
        ("q2", 2, 0),
        ("q3", 2, 1),
        ("q4", 0, 0),
    ]
    assert questions[1].counts == {"What": 2, "How": 0}
    assert questions[1].answer == "How" and questions[1].share_correct == 0
    assert questions[2].statement == "Statement q3 with <b>markup</b>"
    assert [(c.tag, c.answered, c.correct) for c in concepts] == [
        ("alpha", 4, 2),
        ("beta", 2, 0),
        ("PM", 2, 1),
    ]
    assert [q.id for q in room_service.hardest(room.code)] == ["q2", "q3", "q1"]
    assert [q.id for q in room_service.hardest(room.code, n=1)] == ["q2"]


def test_an_unstarted_room_has_an_empty_summary(room_service):
    room = _room(room_service)
    assert room_service.summary(room.code) == ([], [])
    assert room_service.hardest(room.code) == []
    assert room_service.leaderboard(room.code) == []


def test_the_csv_has_one_row_per_answer_including_removed_people(room_service, room_engine):
    room = _room(room_service, questions=2)
    players = {name: room_service.join(room.code, name) for name in ("Ana", "=cmd()")}
    _play(room_service, room, players, [{"Ana": "What", "=cmd()": "How"}, {"Ana": "What"}])
    room_service.remove(room.code, room.host_token, players["=cmd()"].participant_id)
    rows = list(csv.DictReader(io.StringIO(room_service.export_csv(room.code))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    by_who = {(row["question_number"], row["nickname"]): row for row in rows}
    ana = by_who[("1", "Ana")]
    assert ana["room"] == room.code and ana["quiz"] == "demo"
    assert (ana["question_id"], ana["statement"]) == ("q1", "Statement q1 with <b>markup</b>")
    assert (ana["choice"], ana["correct_answer"], ana["correct"], ana["removed"]) == (
        "What",
        "What",
        "yes",
        "no",
    )
    assert datetime.fromisoformat(ana["answered_at"]).tzinfo is not None
    assert float(ana["seconds_to_answer"]) >= 0
    removed = by_who[("1", "'=cmd()")]  # a spreadsheet will not run it as a formula
    assert (removed["choice"], removed["correct"], removed["removed"]) == ("How", "no", "yes")
    assert by_who[("2", "Ana")]["question_id"] == "q2"
    assert by_who[("2", "Ana")]["correct"] == "no"


def test_a_question_keeps_working_when_the_bank_changes(room_engine):
    bank = dict(QUIZZES)
    room_service = RoomService(room_engine, lambda: bank)
    room = room_service.create_room("demo", shuffle=False)
    edited = DEMO.question("q1").model_copy(update={"statement": "Fixed typo"})
    bank["demo"] = DEMO.model_copy(update={"questions": [edited, *DEMO.questions[1:]]})
    assert room_service.question(room.code, 0).statement == "Fixed typo"
    del bank["demo"]
    question = room_service.question(room.code, 0)
    assert (question.id, question.answer, question.explanation) == ("q1", "What", "Because of q1.")
    assert question.statement == "Statement q1 with <b>markup</b>"
    assert room_service.state(room.code).quiz_title == "Demo quiz"
    with pytest.raises(RoomError, match="no question 5"):
        room_service.question(room.code, 4)


# --- deleting -----------------------------------------------------------------------


def _rows(room_engine, table, code) -> int:
    with room_engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.room_code == code)
        ).scalar_one()


def _orphans(room_engine) -> int:
    """Participants or answers whose room is gone: the cascades must leave none."""
    with room_engine.connect() as connection:
        no_room = connection.execute(
            sa.select(sa.func.count())
            .select_from(participants)
            .where(~sa.exists().where(rooms.c.code == participants.c.room_code))
        ).scalar_one()
        no_person = connection.execute(
            sa.select(sa.func.count())
            .select_from(answers)
            .where(~sa.exists().where(participants.c.id == answers.c.participant_id))
        ).scalar_one()
    return no_room + no_person


def test_deleting_a_room_deletes_its_people_and_answers(room_service, room_engine):
    room, ana, bob = _in_question(room_service, room_engine)
    kept, _, _ = _in_question(room_service, room_engine)
    room_service.answer(room.code, ana.token, "What", question_index=0)
    room_service.answer(room.code, bob.token, "How", question_index=0)
    assert room_service.delete_room(room.code) is True
    assert room_service.delete_room(room.code) is False
    with pytest.raises(RoomNotFound):
        room_service.state(room.code)
    with pytest.raises(RoomNotFound):
        room_service.me(room.code, ana.token)
    assert (
        _rows(room_engine, participants, room.code),
        _rows(room_engine, answers, room.code),
    ) == (0, 0)
    assert _rows(room_engine, participants, kept.code) == 2
    assert _orphans(room_engine) == 0


def test_purge_deletes_only_rooms_older_than_the_retention(room_service, room_engine, monkeypatch):
    old, ana, _ = _in_question(room_service, room_engine)
    room_service.answer(old.code, ana.token, "What", question_index=0)
    fresh = _room(room_service)
    older = _room(room_service)
    now = datetime.now(UTC)
    _set(room_engine, rooms, rooms.c.code == old.code, created_at=now - timedelta(days=40))
    _set(room_engine, rooms, rooms.c.code == older.code, created_at=now - timedelta(days=8))
    monkeypatch.setenv("TEAMROLES_ROOM_RETENTION_DAYS", "30")
    assert room_service.purge() == 1
    assert room_service.purge(older_than_days=7) == 1
    assert room_service.purge(older_than_days=7) == 0
    assert room_service.state(fresh.code).code == fresh.code
    for gone in (old, older):
        with pytest.raises(RoomNotFound):
            room_service.state(gone.code)
    assert _rows(room_engine, answers, old.code) == 0
    assert _orphans(room_engine) == 0


def test_the_phones_shared_state_is_fresh_after_a_host_action_here_and_soon_after_one_elsewhere(
    room_service, room_engine
):
    """Phones' timers read the state with a max_age (workshop.STATE_MAX_AGE_SECONDS)."""
    room = _room(room_service)
    other_server = RoomService(room_engine, QUIZZES)
    seen = room_service.state(room.code, max_age=60)
    assert seen.phase == "lobby"
    room_service.start(room.code, room.host_token)  # the host, on this server
    assert room_service.state(room.code, max_age=60).phase == "question"
    other_server.reveal(room.code, room.host_token)  # the host, on another server
    assert room_service.state(room.code, max_age=60).phase == "question"  # not yet seen here
    assert room_service.state(room.code, max_age=0).phase == "revealed"
    assert room_service.state(room.code, max_age=60).phase == "revealed"
    assert room_service.delete_room(room.code)
    with pytest.raises(RoomNotFound):
        room_service.state(room.code, max_age=60)


# --- issue 18: the room's data bugs ------------------------------------------------


def test_a_stale_answer_for_a_closed_question_is_refused_not_stored_for_the_next(
    room_service, room_engine
):
    """Bug 1: the phone still showed question 1 when the host moved on to question 2."""
    room, ana, bob = _in_question(room_service, room_engine)
    room_service.reveal(room.code, room.host_token, at_index=0)
    moved = room_service.next_question(room.code, room.host_token, at_index=0)
    with pytest.raises(QuestionClosed, match="That question has closed: here is the next one"):
        room_service.answer(room.code, ana.token, "What", question_index=0)
    with pytest.raises(QuestionClosed) as refused:
        room_service.answer(room.code, ana.token, "What", question_index=2)  # not open yet
    assert refused.value.version == moved.version  # the phone redraws the room as it is now
    assert room_service.my_answers(room.code, ana.token) == {}
    assert room_service.answered_count(room.code, 1) == 0
    # The open question still takes its answer, once (a retry gets the first one back).
    given = room_service.answer(room.code, bob.token, "How", question_index=1)
    assert (given.question_index, given.choice, given.correct) == (1, "How", True)
    assert room_service.answer(room.code, bob.token, "What", question_index=1) == given


def test_a_read_that_started_before_a_host_action_does_not_refill_the_cache(
    room_service, monkeypatch
):
    """Bug 4: the state read before `start` must not be cached after `start` cleared it."""
    room = _room(room_service)
    from teamroles.room import service as service_module

    original = service_module.room_state
    armed = [True]

    def slow_read(row):
        state = original(row)
        if armed[0]:  # the host acts while this read is on its way back
            armed[0] = False
            room_service.start(room.code, room.host_token)
        return state

    monkeypatch.setattr(service_module, "room_state", slow_read)
    assert room_service.state(room.code, max_age=60).phase == "lobby"  # what it read
    assert room_service.state(room.code, max_age=60).phase == "question"  # not the stale one


def test_a_deleted_rooms_question_is_not_served_from_the_cache(room_service):
    """Bug 4: `_questions` kept every question of every room for good."""
    room = _room(room_service)
    assert room_service.question(room.code, 0, max_age=60).id == "q1"
    assert room_service.delete_room(room.code)
    with pytest.raises(RoomNotFound):
        room_service.question(room.code, 0, max_age=60)


def test_only_a_taken_code_makes_create_room_draw_another(room_service, monkeypatch):
    """Bug 7: any IntegrityError was reported as "No free room code"."""
    from teamroles.room import service as service_module

    monkeypatch.setattr(service_module, "new_code", lambda: "SAME1")
    first = room_service.create_room("demo")
    assert first.code == "SAME1"
    with pytest.raises(RoomError, match="No free room code"):
        room_service.create_room("demo")  # every code drawn is taken
    fresh_codes = (f"N{i:04d}" for i in range(100))
    monkeypatch.setattr(service_module, "new_code", fresh_codes.__next__)
    monkeypatch.setattr(service_module, "new_host_token", lambda: first.host_token)
    with pytest.raises(sa.exc.IntegrityError):  # a clash that no other code fixes
        room_service.create_room("demo")
    assert room_service.state("SAME1").code == "SAME1"


def test_a_nickname_over_the_limit_is_told_the_limit(room_service):
    """Bug 7: whatever reaches the server over the limit is answered with the limit."""
    room = _room(room_service)
    with pytest.raises(BadNickname, match="at most 24 characters; this one has 30"):
        room_service.join(room.code, "x" * 30)


def test_the_counts_of_a_later_question_are_its_own(room_service):
    """Bug 7: a count that forgot its question filter passed the quick suite."""
    room = _room(room_service)
    players = {name: room_service.join(room.code, name) for name in ("Ana", "Bob", "Cleo")}
    picks = [
        {"Ana": "What", "Bob": "What", "Cleo": "What"},
        {"Ana": "How"},
        {"Bob": "What", "Cleo": "How"},
    ]
    _play(room_service, room, players, picks)
    assert room_service.counts(room.code, 0) == {"What": 3, "How": 0}
    assert room_service.counts(room.code, 1) == {"What": 0, "How": 1}
    assert room_service.counts(room.code, 2) == {"What": 1, "How": 1}
    assert [room_service.answered_count(room.code, i) for i in range(4)] == [3, 1, 2, 0]


def _answer_behind_its_back(room_engine, first_table, sneak):
    """Run `sneak` (a write on another connection) just after the next statement that
    reads `first_table` on `room_engine`: a report that reads more than once must not see it."""
    armed = [True]

    def after(connection, cursor, statement, parameters, context, executemany):
        if (
            armed[0]
            and statement.lstrip().upper().startswith("SELECT")
            and (f"FROM {first_table}" in statement)
        ):
            armed[0] = False
            sneak()

    sa.event.listen(room_engine, "after_cursor_execute", after)
    return lambda: sa.event.remove(room_engine, "after_cursor_execute", after)


def test_the_summary_and_a_score_are_each_read_at_one_moment(room_service, room_engine):
    """Bug 7: on PostgreSQL the reports read at READ COMMITTED, each statement its own moment."""
    room, ana, bob = _in_question(room_service, room_engine)
    room_service.answer(room.code, ana.token, "What", question_index=0)
    question_id = room_service.question(room.code, 0).id

    def bob_answers():
        with room_engine.begin() as connection:
            connection.execute(
                answers.insert().values(
                    participant_id=bob.participant_id,
                    room_code=room.code,
                    question_index=0,
                    question_id=question_id,
                    choice="What",
                    correct=True,
                    answered_at=datetime.now(UTC),
                    elapsed_ms=0,
                )
            )

    stop = _answer_behind_its_back(room_engine, "rooms", bob_answers)
    try:
        questions, _ = room_service.summary(room.code)
    finally:
        stop()
    assert questions[0].answered == 1  # as the room was when the report began
    assert room_service.summary(room.code)[0][0].answered == 2

    def ana_is_removed():
        _set(room_engine, participants, participants.c.id == ana.participant_id, removed=True)

    stop = _answer_behind_its_back(room_engine, "participants", ana_is_removed)
    try:
        score = room_service.my_score(room.code, ana.token)
    finally:
        stop()
    assert (score.nickname, score.correct) == ("Ana", 1)
