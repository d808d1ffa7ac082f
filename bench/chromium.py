"""Debian's Chromium through Playwright, as a phone or a laptop: the browser the tests
drive and the first-visit benchmark times (`tests/browser.py` builds on it).

`playwright install` cannot download browsers here, so the system's `chromium` is
launched, with the flags a headless machine without a GPU or a network needs.
"""

from __future__ import annotations

import contextlib
import shutil

from playwright.sync_api import Page, sync_playwright

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
