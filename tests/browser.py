"""Helpers for the browser tests: a real Streamlit server (started by the bench's
launcher, `bench/server.py`), Chromium and axe-core."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Locator, Page, sync_playwright

from bench.server import Server, run_server

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
# A phone's browser says so: Streamlit closes its menu after a choice only on a mobile device.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SCREENSHOTS = ROOT / "docs" / "screenshots"


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


@contextlib.contextmanager
def launch_chromium():
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed: run `apt-get install chromium`")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def phone_context(chromium, **options):
    """A browser context that is a phone: 375x812, touch, a mobile browser's user agent."""
    return chromium.new_context(
        viewport=PHONE, user_agent=PHONE_USER_AGENT, is_mobile=True, has_touch=True, **options
    )


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout
    )
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached", timeout=timeout)


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
