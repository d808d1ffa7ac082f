"""Shared fixtures: a copy of the content to break, AppTest runs, a live server and a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import browser, content_variants

ROOT = Path(__file__).resolve().parent.parent
BROWSER_FIXTURES = {"chromium", "server_url", "page"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Refuse to run a browser test that lacks the `browser` marker.

    `pytest -m "not browser"` is the quick suite only if every test that starts a server
    or Chromium says so. Runs before `-m` deselects anything, so it sees every test.
    """
    unmarked = [
        item.nodeid
        for item in items
        if item.get_closest_marker("browser") is None
        and (
            BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
            or item.path.name.startswith("test_browser_")
        )
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use a browser fixture (chromium, server_url, page) or live in a "
            "test_browser_*.py file but lack the `browser` marker; add "
            "`pytestmark = pytest.mark.browser` to the file:\n  " + "\n  ".join(unmarked)
        )


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content folder."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture(scope="session")
def server_url():
    """One app server on the shipped content, shared by the browser tests."""
    with browser.streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    with browser.launch_chromium() as instance:
        yield instance


@pytest.fixture
def page(chromium):
    """A fresh browser tab (its own Streamlit session), desktop sized."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Every alert/confirm/prompt any tab of the test opened (there must be none)."""
    return []


@pytest.fixture
def tabs(chromium, dialogs):
    """tabs(viewport) -> a fresh tab in its own context (its own Streamlit session): a
    host and a room of phones are several of these."""
    contexts = []

    def open_tab(viewport=browser.PHONE):
        context = chromium.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(context)
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture(scope="module", params=["shipped", "grown"])
def content_dir(request, tmp_path_factory) -> Path:
    """The content a module's page tests run on: the shipped folder, then a copy grown
    by one stage, activity, debt box and question (tests/content_variants.py)."""
    if request.param == "shipped":
        return ROOT / "content"
    target = tmp_path_factory.mktemp("grown") / "content"
    shutil.copytree(ROOT / "content", target)
    return content_variants.grow(target)


@pytest.fixture(scope="module")
def on_content(content_dir):
    """Point the app at `content_dir` for the module's tests (as $TEAMROLES_CONTENT)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEAMROLES_CONTENT", str(content_dir))
        yield content_dir


# The workshop-room fixtures: room_db_url, room_engine and room_service, each test
# once on SQLite and once on PostgreSQL (see tests/room_fixtures.py).
from tests.room_fixtures import room_db_url, room_engine, room_service  # noqa: E402, F401
