"""`python -m teamroles room ...`: what a facilitator sees in the terminal, and the files
it writes. Each test runs on SQLite and on PostgreSQL (`--database`)."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta

import pytest
import segno
from PIL import Image

from teamroles.cli import main
from teamroles.content.site import load_site
from teamroles.room import RoomService, join_url, make_engine, open_service
from teamroles.room.store import rooms

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def quiz():
    return load_site().quizzes[0]


def _create(capsys, url, *options) -> tuple[str, str, str]:
    """Run `room create`; returns (code, join link, host link) as printed."""
    assert main(["room", "create", "--database", url, *options]) == 0
    out = capsys.readouterr().out
    code = re.search(r"^Room ([A-Z0-9]{5}):", out, re.M).group(1)
    join = re.search(r"^Join: (\S+)$", out, re.M).group(1)
    host = re.search(r"^Host: (\S+)$", out, re.M).group(1)
    return code, join, host


def test_create_prints_the_code_and_both_links(capsys, room_db_url, quiz):
    options = ["--quiz", quiz.id, "--questions", "2", "--countdown", "15", "--speed-bonus"]
    code, join, host = _create(capsys, room_db_url, *options, "--base-url", "https://x.org/")
    assert join == f"https://x.org/join?room={code}"
    token = re.fullmatch(rf"https://x\.org/workshop\?room={code}&host=([\w-]+)", host).group(1)
    service = open_service(room_db_url)
    state = service.check_host(code, token)
    assert (state.quiz_id, state.total, state.countdown_seconds) == (quiz.id, 2, 15)
    assert state.speed_bonus and not state.leaderboard


def test_create_keeps_the_quiz_order_without_shuffle(capsys, room_db_url, quiz):
    code, join, _ = _create(capsys, room_db_url, "--quiz", quiz.id, "--no-shuffle")
    assert join.startswith("http://localhost:8501/join?room=")
    service = open_service(room_db_url)
    ids = [service.question(code, i).id for i in range(service.state(code).total)]
    assert ids == quiz.question_ids


def test_create_with_an_unknown_quiz_says_so_in_one_line(capsys, room_db_url):
    assert main(["room", "create", "--database", room_db_url, "--quiz", "nope"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("Error: There is no quiz 'nope'")
    assert "Traceback" not in captured.err


def test_qr_writes_a_png_of_the_join_link(capsys, room_db_url, quiz, tmp_path):
    code, join, _ = _create(capsys, room_db_url, "--quiz", quiz.id, "--base-url", "https://x.org")
    out = tmp_path / "join.png"
    assert main(["room", "qr", code.lower(), "--out", str(out), "--base-url", "https://x.org",
                 "--database", room_db_url]) == 0  # fmt: skip
    assert code in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    # Read the modules back from the pixels: they must be the QR code of the join link.
    expected = segno.make(join_url("https://x.org", code), error="m", boost_error=False)
    assert join == join_url("https://x.org", code)
    width = len(expected.matrix)
    scale, border = 10, 4
    image = Image.open(out).convert("L")
    assert image.size == ((width + 2 * border) * scale,) * 2
    modules = [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            < 128
            for x in range(width)
        ]
        for y in range(width)
    ]
    assert modules == [[bool(bit) for bit in row] for row in expected.matrix]
    assert image.getpixel((1, 1)) == 255, "a white quiet zone"


def test_qr_and_export_refuse_a_missing_room(capsys, room_db_url, tmp_path):
    out = tmp_path / "x"
    for command in ("qr", "export"):
        assert main(["room", command, "ZZZZZ", "--out", str(out), "--database", room_db_url]) == 1
        assert "There is no room with the code ZZZZZ" in capsys.readouterr().err
    assert not out.exists()


def test_export_writes_every_answer_as_csv(capsys, room_db_url, quiz, tmp_path):
    code, _, host = _create(capsys, room_db_url, "--quiz", quiz.id, "--no-shuffle")
    token = host.rsplit("host=", 1)[1]
    service = open_service(room_db_url)
    people = [service.join(code, name) for name in ("Ana", "Bob")]
    service.start(code, token)
    first = service.question(code, 0)
    for person in people:
        service.answer(code, person.token, first.answer, question_index=0)
    out = tmp_path / "answers.csv"
    assert main(["room", "export", code, "--out", str(out), "--database", room_db_url]) == 0
    assert f"Wrote 2 answer(s) of room {code}" in capsys.readouterr().out
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["nickname"], row["question_id"], row["correct"]) for row in rows] == [
        ("Ana", first.id, "yes"),
        ("Bob", first.id, "yes"),
    ]
    assert {row["statement"] for row in rows} == {first.statement}


def test_export_to_a_folder_that_does_not_exist_fails_in_one_line(capsys, room_db_url, quiz):
    code, _, _ = _create(capsys, room_db_url, "--quiz", quiz.id)
    out = "/nonexistent-folder/answers.csv"
    assert main(["room", "export", code, "--out", out, "--database", room_db_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: cannot write /nonexistent-folder/answers.csv")
    assert err.count("\n") == 1


def test_delete_removes_the_room(capsys, room_db_url, quiz):
    code, _, _ = _create(capsys, room_db_url, "--quiz", quiz.id)
    open_service(room_db_url).join(code, "Ana")
    assert main(["room", "delete", code, "--database", room_db_url]) == 0
    assert f"Deleted room {code}" in capsys.readouterr().out
    assert main(["room", "delete", code, "--database", room_db_url]) == 1
    assert f"There is no room with the code {code}" in capsys.readouterr().err


def test_purge_removes_only_old_rooms(capsys, room_db_url, quiz, monkeypatch):
    old, _, _ = _create(capsys, room_db_url, "--quiz", quiz.id)
    new, _, _ = _create(capsys, room_db_url, "--quiz", quiz.id)
    engine = make_engine(room_db_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                rooms.update()
                .where(rooms.c.code == old)
                .values(created_at=datetime.now(UTC) - timedelta(days=12))
            )
        monkeypatch.setenv("TEAMROLES_ROOM_RETENTION_DAYS", "30")
        assert main(["room", "purge", "--database", room_db_url]) == 0
        assert "Deleted 0 room(s) created more than 30 day(s) ago." in capsys.readouterr().out
        assert main(["room", "purge", "--days", "10", "--database", room_db_url]) == 0
        assert "Deleted 1 room(s) created more than 10 day(s) ago." in capsys.readouterr().out
        service = RoomService(engine, {})
        assert service.state(new).code == new
        assert main(["room", "qr", old, "--out", "x.png", "--database", room_db_url]) == 1
    finally:
        engine.dispose()


def test_the_database_comes_from_the_environment_without_the_option(
    capsys, room_db_url, quiz, monkeypatch
):
    monkeypatch.setenv("TEAMROLES_DATABASE_URL", room_db_url)
    assert main(["room", "create", "--quiz", quiz.id]) == 0
    code = re.search(r"^Room (\w{5}):", capsys.readouterr().out, re.M).group(1)
    assert open_service(room_db_url).state(code).quiz_id == quiz.id


def test_an_unusable_database_is_one_line_not_a_traceback(capsys, room_db_url):
    assert main(["room", "purge", "--database", "not a url"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: the room database cannot be used")
    assert "Traceback" not in err and err.count("\n") == 1


def test_check_still_validates_the_content(capsys, room_db_url):
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("Content OK:")
