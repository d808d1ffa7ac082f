"""Helpers for AppTest: open the app, and open a page by its URL path."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

ROOT = Path(__file__).resolve().parent.parent


def open_app(monkeypatch=None, content_dir: Path | None = None) -> AppTest:
    """Run app.py once (on `content_dir` if given) and return the AppTest."""
    if content_dir is not None:
        monkeypatch.setenv("TEAMROLES_CONTENT", str(content_dir))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()


def open_url(at: AppTest, url_path: str) -> AppTest:
    """Go to the page registered at `/url_path`, as a browser would.

    `switch_page` takes a file path, and one file (app_pages/role.py) serves
    every role; st.Page identifies a page by the hash of its URL path.
    """
    at._page_hash = calc_hash(url_path)
    return at.run()
