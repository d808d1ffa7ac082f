"""Helpers for the browser tests: a real Streamlit server (started by the bench's
launcher, `bench/server.py`), Chromium (`bench/chromium.py`: also the first-visit
benchmark's) and axe-core."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Locator, Page

from bench.chromium import (
    CHROMIUM_ARGS,
    PHONE,
    PHONE_USER_AGENT,
    launch_chromium,
    phone_context,
    wait_for_app,
)
from bench.server import Server, run_server

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"

__all__ = [
    "CHROMIUM_ARGS",
    "PHONE",
    "PHONE_USER_AGENT",
    "launch_chromium",
    "phone_context",
    "wait_for_app",
]


@contextlib.contextmanager
def streamlit_server(
    content_dir: Path | None = None, app: str = "app.py", env: dict[str, str] | None = None
):
    """Start `streamlit run <app>` on a free port; yield its URL; stop it.

    `env` adds to (or overrides) the server's environment variables."""
    with server_process(content_dir, app, env) as server:
        yield server.url


@contextlib.contextmanager
def server_process(
    content_dir: Path | None = None,
    app: str = "app.py",
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """As `streamlit_server`, but yield the `Server`, process and all; `port` picks the
    port (a restart on the same address), else a free one. The bench's launcher starts
    it: one way to run a server, for the tests and the measurements."""
    content = {} if content_dir is None else {"TEAMROLES_CONTENT": str(content_dir)}
    with run_server(app, env={**(env or {}), **content}, port=port) as server:
        yield server


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations that axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


# Whether the app is drawn in its dark theme: a dark page background.
_IS_DARK_JS = """() => getComputedStyle(document.querySelector('[data-testid=stApp]'))
    .backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)
    .reduce((a, b) => a + b) / 3 < 128"""


def is_dark(page: Page) -> bool:
    """Whether the app is drawn in its dark theme (a dark page background)."""
    return page.evaluate(_IS_DARK_JS)


def wait_for_theme(page: Page, dark: bool, timeout: float = 10_000) -> None:
    """Wait until the app is drawn dark (or light), e.g. after a choice in the app menu."""
    expected = "true" if dark else "false"
    page.wait_for_function(f"() => ({_IS_DARK_JS})() === {expected}", timeout=timeout)


def save_screenshot(target: Page | Locator, name: str) -> None:
    """Refresh docs/screenshots/<name>.png, only when UPDATE_SCREENSHOTS=1.

    PNG bytes change from run to run, so ordinary test runs leave docs/ alone.
    """
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target.screenshot(path=SCREENSHOTS / f"{name}.png")
