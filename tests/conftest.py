"""Shared fixtures: a copy of the content to break, AppTest runs, a live server and a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent


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
