"""A phone's first visit to the join page (issue 20): compressed, under a megabyte.

Chromium as a phone, an empty cache, the app on its own temporary database and a fresh
compression cache folder (so the files are compressed on this very visit). The bytes
are those on the wire (CDP's `encodedDataLength`), as in bench/firstvisit.py.
"""

from __future__ import annotations

import pytest

from bench.firstvisit import first_visits
from tests import browser
from tests.threads import on_own_thread

pytestmark = pytest.mark.browser

MEGABYTE = 1024 * 1024  # the unit: its table is in KB of 1,024 bytes


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    folder = tmp_path_factory.mktemp("first-visit")
    env = {
        "TEAMROLES_DATABASE_URL": f"sqlite:///{folder / 'rooms.sqlite3'}",
        "TEAMROLES_STATIC_CACHE": str(folder / "static-cache"),
    }
    with browser.streamlit_server(env=env) as url:
        # On a thread of its own: the session's Chromium already runs sync Playwright here.
        return on_own_thread(first_visits, url, ["join?room=K7MPQ"], throttled=False, second=True)[
            0
        ]


def test_a_phone_gets_the_join_pages_javascript_and_css_compressed(visits):
    first, _ = visits
    code = [t for t in first.transfers if t.kind in {"Script", "Stylesheet"}]
    assert len(code) > 10, "the join page loads Streamlit's scripts"
    # A file of a few dozen bytes is sent as it is: compressing it would not save 5%.
    plain = [(t.url, t.encoded) for t in code if t.encoding not in {"br", "gzip"}]
    plain = [(url, size) for url, size in plain if size > 1024]
    assert plain == [], plain


def test_a_phones_first_visit_to_the_join_page_stays_under_a_megabyte(visits):
    first, _ = visits
    assert first.bytes <= MEGABYTE, sorted(
        ((t.encoded, t.url) for t in first.transfers), reverse=True
    )[:10]


def test_a_second_visit_fetches_almost_nothing(visits):
    _, again = visits
    assert again.bytes <= 50 * 1024
