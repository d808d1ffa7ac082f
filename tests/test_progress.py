"""What the browser keeps of a reader's progress, read back as untrusted input."""

from __future__ import annotations

import json

from teamroles import progress
from teamroles.content.site import load_site
from teamroles.navigation import site_pages

KNOWN = {spec.url_path for spec in site_pages(load_site())}


def report(token: str, items: dict) -> str:
    return json.dumps({"read": token, "items": items})


def test_a_report_for_this_session_gives_back_each_kept_value():
    visited = sorted(KNOWN)[:3]
    raw = report("t1", {progress.VISITED: progress.encode(visited), progress.QUIZ: '{"a":1}'})
    assert progress.parse_report(raw, "t1") == {progress.VISITED: visited, progress.QUIZ: {"a": 1}}
    assert progress.parse_report(report("t1", {}), "t1") == {}  # a new reader: nothing kept


def test_a_report_for_another_session_or_not_a_report_is_not_taken():
    assert progress.parse_report(report("old", {}), "t1") is None
    for raw in (None, 42, "", "{not json", "[]", json.dumps({"items": {}})):
        assert progress.parse_report(raw, "t1") is None, raw


def test_a_malformed_unknown_or_oversized_entry_is_left_out():
    long = progress.encode(["x" * progress.MAX_CHARS])
    raw = report(
        "t1",
        {progress.VISITED: "{broken", "other": "[]", progress.QUIZ: long},
    )
    assert progress.parse_report(raw, "t1") == {}
    assert progress.parse_report(report("t1", {progress.QUIZ: 7}), "t1") == {}


def test_only_pages_that_exist_are_marked_visited():
    page = sorted(KNOWN)[0]
    kept = [page, "no-such-page", 3, None, "<script>", page]
    assert progress.visited_pages(kept, KNOWN) == {page}
    assert progress.visited_pages({"home": True}, KNOWN) == set()
    assert progress.visited_pages(None, KNOWN) == set()


def test_what_is_stored_reads_back_the_same():
    value = {"quiz": "who", "answers": ["PM", "QA"], "cursor": 2}
    assert json.loads(progress.encode(value)) == value
