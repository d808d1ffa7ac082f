"""Helpers for AppTest: open the app, open a page by its URL path, read downloads."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from teamroles.navigation import HOME

ROOT = Path(__file__).resolve().parent.parent

# AppTest has no public way to open a page by URL: `switch_page` takes a file
# path, and one file (app_pages/role.py) serves every role. `open_url` is the one
# place that uses AppTest's private page registry; if Streamlit changes it, this
# message says where to look instead of letting page tests fail obscurely.
STREAMLIT_CHANGED = (
    "tests/apptest.py:open_url relies on AppTest's private `_registered_pages`, "
    "`_page_hash` and `_finished_page_script_hash` (streamlit/testing/v1/app_test.py, "
    "read in Streamlit 1.67). The installed Streamlit no longer has them or no longer "
    "honours them: update open_url to the new way AppTest selects a page."
)


def open_app(monkeypatch=None, content_dir: Path | None = None) -> AppTest:
    """Run menu.py (every page's script) once, on `content_dir` if given; return the AppTest."""
    if content_dir is not None:
        monkeypatch.setenv("TEAMROLES_CONTENT", str(content_dir))
    return AppTest.from_file(str(ROOT / "menu.py"), default_timeout=30).run()


def registered_urls(at: AppTest) -> dict[str, str]:
    """URL path -> page hash of every page the last run registered with st.navigation."""
    registry = getattr(at, "_registered_pages", None)
    if not isinstance(registry, dict) or not hasattr(at, "_page_hash"):
        raise AssertionError(STREAMLIT_CHANGED)
    return {info.get("url_pathname") or HOME: page_hash for page_hash, info in registry.items()}


def open_url(at: AppTest, url_path: str) -> AppTest:
    """Go to the page registered at `/url_path` (`home` for the default page), as a
    browser would, and run it."""
    urls = registered_urls(at)
    if url_path not in urls:
        raise AssertionError(f"the app has no page at /{url_path}; it has: {sorted(urls)}")
    at._page_hash = urls[url_path]
    at.run()
    if getattr(at, "_finished_page_script_hash", None) != urls[url_path]:
        raise AssertionError(STREAMLIT_CHANGED)
    return at


def record_downloads(monkeypatch) -> list[tuple[str | None, str]]:
    """From now on, every file a download button offers, as (file name, text), in a
    list that fills as the app runs (undone with the test's monkeypatch)."""
    files: list[tuple[str | None, str]] = []
    original = MediaFileManager.add

    def add(self, path_or_data, mimetype, coordinates, file_name=None, *args, **kwargs):
        data = path_or_data.decode() if isinstance(path_or_data, bytes) else path_or_data
        files.append((file_name, data))
        return original(self, path_or_data, mimetype, coordinates, file_name, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", add)
    return files
