"""Helpers for the browser tests: a real Streamlit server, Chromium and axe-core."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Locator, Page, sync_playwright

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `streamlit run`: its URL and its process (to kill it, say)."""

    url: str
    process: subprocess.Popen


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
    port (a restart on the same address), else a free one."""
    port = port or free_port()
    environment = {**os.environ, **(env or {})}
    if content_dir is not None:
        environment["TEAMROLES_CONTENT"] = str(content_dir)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                app,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, log)
            yield Server(url, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_healthy(url: str, process: subprocess.Popen, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"streamlit exited: {log.read().decode(errors='replace')}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.read().decode().strip() == "ok":
                return
        time.sleep(0.2)
    raise TimeoutError(f"streamlit at {url} did not become healthy")


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
