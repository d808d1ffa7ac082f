"""The workshop pages' decisions, without Streamlit: buttons per phase, the countdown,
codes and links, the create form, sentences, tables, the results chart, escaping."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamroles.content.site import load_site
from teamroles.figures import room_results
from teamroles.figures.style import RIGHT_COLOUR, WRONG_COLOUR
from teamroles.navigation import SECTION_INVITATIONS, SECTIONS, site_pages
from teamroles.room import screens as workshop
from teamroles.room.links import DEFAULT_BASE_URL
from teamroles.textsafe import plain

# ---------------------------------------------------------------- plain text in Markdown


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("Ann", "Ann"),
        ("**bold**", r"\*\*bold\*\*"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        (":material/home:", r"\:material\/home\:"),
        (":smile:", r"\:smile\:"),
        ("$x$", r"\$x\$"),
        ("# 1. [a](b)", r"\# 1\. \[a\]\(b\)"),
        ("back\\slash", "back\\\\slash"),
        ("  two\n lines  ", "two lines"),
        ("Zoë 🦊", "Zoë 🦊"),
    ],
)
def test_plain_escapes_every_markdown_character(typed, escaped):
    assert plain(typed) == escaped


@given(st.text())
def test_plain_leaves_no_unescaped_ascii_punctuation(text):
    """Every ASCII punctuation character comes out behind a backslash (CommonMark then
    shows it as itself), and removing the backslashes gives the text back."""
    escaped = plain(text)
    i = 0
    unescaped = []
    while i < len(escaped):
        char = escaped[i]
        if char == "\\":
            unescaped.append(escaped[i + 1])
            i += 2
            continue
        assert char not in string.punctuation, (text, escaped)
        unescaped.append(char)
        i += 1
    assert "".join(unescaped) == " ".join(text.split())


# ---------------------------------------------------------------- codes, links, retention


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("K7MPQ", "K7MPQ"),
        (" k7m pq ", "K7MPQ"),
        ("k7mpq\n", "K7MPQ"),
        ("", None),
        (None, None),
        ("**x**", None),
        ("<script>", None),
        ("A" * 40, None),
    ],
)
def test_a_room_code_is_read_as_typed_on_a_phone_and_junk_is_refused(raw, code):
    assert workshop.read_code(raw) == code


@pytest.mark.parametrize(
    ("page_url", "path", "base"),
    [
        ("http://localhost:8501/workshop", "workshop", "http://localhost:8501"),
        ("https://example.org/team/join", "join", "https://example.org/team"),
        ("https://example.org/team/join/", "join", "https://example.org/team"),
        ("https://example.org/", "home", "https://example.org"),
        (None, "workshop", DEFAULT_BASE_URL),
        ("", "workshop", DEFAULT_BASE_URL),
    ],
)
def test_the_base_url_is_the_page_url_without_its_page(page_url, path, base):
    assert workshop.base_url(page_url, path) == base


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8501/join?room=K7MPQ", True),
        ("http://127.0.0.1:8501/join?room=K7MPQ", True),
        ("http://[::1]:8501/join", True),
        ("http://192.168.1.20:8501/join?room=K7MPQ", False),
        ("https://team.example.org/join?room=K7MPQ", False),
    ],
)
def test_a_join_link_to_localhost_is_flagged(url, local):
    assert workshop.only_this_computer(url) is local


def test_the_pages_say_the_retention_the_store_applies(monkeypatch):
    from teamroles.room import values

    for value, days in (("", 30), ("7", 7), ("0", 0), ("soon", 30), ("-3", 0)):
        monkeypatch.setenv(values.RETENTION_ENV, value)
        assert values.retention_days() == days, value
        assert workshop.retention_notice() == workshop.retention_sentence(days), value
    assert "kept for 30 days" in workshop.retention_sentence(30)
    assert "kept for 1 day " in workshop.retention_sentence(1)
    assert "then deleted" in workshop.retention_sentence(30)


# ---------------------------------------------------------------- the create form


def test_the_create_form_turns_into_room_settings():
    settings = workshop.room_settings(
        "what-vs-how",
        12,
        all_questions=False,
        how_many=3,
        shuffle=False,
        countdown=20,
        leaderboard=True,
        speed_bonus=True,
        max_participants=40,
    )
    assert settings.create_kwargs() == {
        "questions": 3,
        "shuffle": False,
        "countdown_seconds": 20,
        "leaderboard": True,
        "speed_bonus": True,
        "max_participants": 40,
    }
    assert workshop.settings_summary(settings, "What vs How", 12) == (
        "What vs How: 3 of 12 questions, in the order of the bank; 20 s to answer each; "
        "leaderboard with speed bonus; at most 40 participants."
    )


def test_the_create_form_defaults_mean_all_questions_no_countdown_no_leaderboard():
    settings = workshop.room_settings(
        "q",
        12,
        all_questions=True,
        how_many=3,
        shuffle=True,
        countdown=0,
        leaderboard=False,
        speed_bonus=True,  # left on from before: counts only with a leaderboard
        max_participants=None,
    )
    assert (settings.questions, settings.countdown_seconds) == (None, None)
    assert (settings.leaderboard, settings.speed_bonus) == (False, False)
    assert settings.max_participants == 500
    assert workshop.settings_summary(settings, "Q", 12) == (
        "Q: all 12 questions, shuffled; at most 500 participants."
    )
    whole = workshop.room_settings(
        "q",
        12,
        all_questions=False,
        how_many=12,
        shuffle=True,
        countdown=9999,
        leaderboard=False,
        speed_bonus=False,
        max_participants=5,
    )
    assert whole.questions is None
    assert whole.countdown_seconds == workshop.MAX_COUNTDOWN_SECONDS


# ---------------------------------------------------------------- the host's buttons


def labels(actions):
    return [action.label for action in actions]


def test_the_host_sees_only_the_buttons_that_apply_in_each_phase():
    assert labels(workshop.host_actions("lobby", -1, 3)) == ["Start", "End"]
    assert labels(workshop.host_actions("question", 0, 3)) == ["Reveal answer", "End"]
    assert labels(workshop.host_actions("revealed", 0, 3)) == ["Next question", "End"]
    assert labels(workshop.host_actions("question", 2, 3)) == ["Reveal answer", "End"]
    assert labels(workshop.host_actions("revealed", 2, 3)) == ["Show the results"]
    assert workshop.host_actions("ended", 2, 3) == []
    names = {
        a.name for p in ("lobby", "question", "revealed") for a in workshop.host_actions(p, 0, 3)
    }
    assert names <= {"start", "reveal", "next_question", "end"}  # RoomService methods


def test_ending_early_says_how_many_questions_are_left():
    assert "before it starts" in workshop.end_warning("lobby", -1, 3)
    assert "with 3 questions not asked" in workshop.end_warning("question", 0, 3)
    assert "with 2 questions not asked" in workshop.end_warning("revealed", 0, 3)
    assert "with 1 question not asked" in workshop.end_warning("revealed", 1, 3)


# ---------------------------------------------------------------- time


def test_the_countdown_rounds_up_and_stops_at_zero():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert workshop.seconds_left(None, now) is None
    assert workshop.seconds_left(now + timedelta(seconds=7.2), now) == 8
    assert workshop.seconds_left(now + timedelta(seconds=90), now) == 90
    assert workshop.seconds_left(now - timedelta(seconds=3), now) == 0
    assert workshop.countdown_text(None) == ""
    assert workshop.countdown_text(8) == "0:08 left"
    assert workshop.countdown_text(90) == "1:30 left"
    assert workshop.countdown_text(0) == "Time's up"


# ---------------------------------------------------------------- sentences


def test_the_sentences_count_people_and_answers():
    assert workshop.joined_sentence(1, 500) == "1 person joined"
    assert workshop.joined_sentence(3, 3) == "3 people joined (the room is full)"
    assert workshop.answered_sentence(2, 5) == "2 of 5 people answered"
    assert workshop.nickname_line([]) == "Nobody has joined yet."
    assert workshop.nickname_line(["**a**", "<b>"]) == "**a**   ·   <b>"
    many = [f"p{i}" for i in range(100)]
    assert workshop.nickname_line(many, limit=3) == "p97   ·   p98   ·   p99   ·   and 97 more"
    assert workshop.choices_sentence(["What", "How"]) == "**What** or **How**?"
    assert workshop.choices_sentence(["PM", "DS", "Dev", "QA"]) == (
        "**PM**, **DS**, **Dev** or **QA**?"
    )


def test_a_participant_is_told_right_wrong_or_not_answered():
    assert workshop.verdict("What", True, "What") == ("right", "Right! The answer is **What**.")
    kind, text = workshop.verdict("How", False, "What")
    assert (kind, text) == ("wrong", "Not this time: you answered How; the answer is **What**.")
    assert workshop.verdict(None, None, "What")[0] == "none"


def test_scores_and_points_read_naturally():
    assert workshop.score_sentence(2, 3) == "Your score: 2 of 3 right"
    assert workshop.score_sentence(2, 3, 2.0) == "Your score: 2 of 3 right"
    assert workshop.score_sentence(2, 3, 2.35) == (
        "Your score: 2 of 3 right (2.4 points with the speed bonus)"
    )
    assert workshop.share_text(3, 4) == "75% (3 of 4)"
    assert workshop.share_text(0, 0) == "no answers"
    assert workshop.room_score_sentence(0, 0) == "Nobody answered a question in this room."
    assert workshop.room_score_sentence(7, 9) == "The room got 78% right: 7 of 9 answers."


def test_the_tables_escape_nicknames_and_order_concepts_weakest_first():
    standings = [SimpleNamespace(nickname="**x**", correct=2, points=2.25, answered=2)]
    assert workshop.leaderboard_rows(standings, speed_bonus=True) == [
        {"Rank": "1", "Nickname": r"\*\*x\*\*", "Right": "2", "Points": "2.2"}
    ]
    assert "Points" not in workshop.leaderboard_rows(standings, speed_bonus=False)[0]
    concepts = [
        SimpleNamespace(tag="data", answered=4, correct=4),
        SimpleNamespace(tag="metrics", answered=4, correct=1),
        SimpleNamespace(tag="unasked", answered=0, correct=0),
    ]
    assert [row["Concept"] for row in workshop.concept_rows(concepts)] == [
        "metrics",
        "data",
        "unasked",
    ]
    summaries = [
        SimpleNamespace(index=0, statement="S1", answer="What", answered=4, correct=1),
        SimpleNamespace(index=1, statement="S2", answer="How", answered=0, correct=0),
    ]
    assert workshop.question_rows(summaries)[0] == {
        "Question": "1",
        "Statement": "S1",
        "Answer": "What",
        "Right": "25% (1 of 4)",
    }
    assert workshop.hardest_markdown(summaries) == ("1. S1 (answer: **What**; right: 25% (1 of 4))")
    assert workshop.hardest_markdown([]).startswith("Nobody answered")
    perfect = [SimpleNamespace(index=0, statement="S1", answer="What", answered=4, correct=4)]
    assert workshop.hardest_markdown(perfect) == "Everyone who answered got every question right."


# ---------------------------------------------------------------- the results chart


def test_the_answers_chart_marks_the_right_answer_by_more_than_colour():
    figure = room_results.answers_figure(["What", "How"], {"What": 5, "How": 2}, "What")
    bar = figure.data[0]
    assert list(bar.x) == ["✓ What (right answer)", "How"]
    assert list(bar.y) == [5, 2]
    assert list(bar.text) == ["5", "2"]
    assert list(bar.marker.color) == [RIGHT_COLOUR, WRONG_COLOUR]
    assert list(bar.marker.pattern.shape) == ["", "/"]  # the wrong bars are hatched


def test_the_answers_chart_draws_an_empty_room_and_unknown_choices():
    figure = room_results.answers_figure(["PM", "DS", "Dev", "QA"], {}, "QA")
    assert list(figure.data[0].y) == [0, 0, 0, 0]
    assert figure.layout.yaxis.range[1] > 0


def test_the_chart_in_words_gives_every_count_and_the_right_answer():
    assert room_results.answers_sentence(["What", "How"], {"What": 5, "How": 1}, "How", 8) == (
        "In words: What: 5 answers; How (the right answer): 1 answer. 6 of 8 people answered."
    )
    assert room_results.answers_sentence(["A", "B"], {"A": 1}, "A") == (
        "In words: A (the right answer): 1 answer; B: 0 answers. 1 answer in all."
    )


# ---------------------------------------------------------------- navigation


def test_the_workshop_pages_come_after_practise_and_before_reference():
    assert SECTIONS.index("Practise") < SECTIONS.index("Workshop") < SECTIONS.index("Reference")
    assert "Workshop" in SECTION_INVITATIONS
    paths = [spec.url_path for spec in site_pages(load_site())]
    assert paths.index("quiz") < paths.index("workshop") < paths.index("join")
    assert paths.index("join") < paths.index("glossary")
