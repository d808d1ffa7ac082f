"""The worked example in headless Chromium, on a phone: it fits, nothing is cut off,
axe finds nothing, every section a link points at is a heading, every document shows,
and every figure shows as a number, never as its placeholder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from teamroles.content.example import URL_PATH
from teamroles.content.site import load_site
from tests import browser
from tests.test_browser_reader import _OVERFLOW_JS

SITE = load_site()  # what the test server shows: $TEAMROLES_CONTENT or content/

pytestmark = pytest.mark.browser


def test_the_example_reads_on_a_phone(chromium, server_url):
    context = browser.phone_context(chromium)
    page = context.new_page()
    browser.open_page(page, f"{server_url}/{URL_PATH}")
    example = SITE.example
    expect(page.locator("h1").first).to_contain_text(example.title)
    seen = page.evaluate(_OVERFLOW_JS)
    assert seen["scrollWidth"] <= seen["width"] and seen["found"] == [], seen
    assert browser.axe_violations(page) == []
    # Every anchor the content links to (journey stages, quiz answers) is a heading here.
    ids = set(page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
    assert set(example.anchors()) - ids == set()
    # Each hand-off document is drawn in its own box, as wide as the text column at most.
    width = page.evaluate("document.documentElement.clientWidth")
    for document in example.documents:
        box = page.locator(f".st-key-document-{document.id}")
        expect(box).to_contain_text(document.title)
        box.scroll_into_view_if_needed()
        expect(box).to_be_visible()
        bounds = box.bounding_box()
        assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= width, document.id
    # The figures are filled in: the flag share the alerts are set around reads as a number.
    text = page.locator("body").inner_text()
    assert not re.search(r"\{\w+(:[^{}\s]*)?\}", text), "a placeholder is shown as written"
    if "flag_share" in example.figures:
        alerts = page.locator(".st-key-document-monitoring-alerts")
        if alerts.count():
            expect(alerts).to_contain_text(f"{example.figures['flag_share']:.0%}")
    context.close()


def test_a_stage_link_from_the_journey_lands_on_its_section(chromium, server_url):
    example = SITE.example
    stage = example.stages[len(example.stages) // 2]
    context = browser.phone_context(chromium)
    page = context.new_page()
    browser.open_page(page, f"{server_url}{example.href(stage.stage)}")
    heading = page.locator(f"[id='{example.anchor(stage)}']")
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text(example.heading(stage))
    context.close()
