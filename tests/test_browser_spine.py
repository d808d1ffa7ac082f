"""The real app in headless Chromium: reading order, deep links, accessibility, no network."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from teamroles.content import role_page
from teamroles.content.site import load_site
from teamroles.navigation import HOME, site_pages
from teamroles.ui import shell as ui
from tests import browser

PAGES = site_pages(load_site())  # what the test server shows: $TEAMROLES_CONTENT or content/

pytestmark = pytest.mark.browser


def url_of(server_url: str, url_path: str) -> str:
    return f"{server_url}/" if url_path == HOME else f"{server_url}/{url_path}"


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def test_a_newcomer_follows_next_from_home_through_every_page(server_url, page):
    browser.open_page(page, server_url)
    seen = [heading(page)]
    while page.get_by_role("link", name="Next:").count():
        page.get_by_role("link", name="Next:").click()
        browser.wait_for_app(page)
        page.wait_for_function(
            "previous => document.querySelector('h1') && "
            "!document.querySelector('h1').innerText.includes(previous)",
            arg=seen[-1],
        )
        seen.append(heading(page))
    assert len(seen) == len(PAGES)
    for spec, title in zip(PAGES, seen, strict=True):
        assert spec.title in title
    # Streamlit's own menu: every page left behind is marked visited.
    menu = page.get_by_test_id("stSidebarNav")
    for spec in PAGES[:-1]:
        assert menu.get_by_role("link", name=f"{spec.title} ✓").count() == 1, spec.title
    sidebar = page.get_by_test_id("stSidebar")
    assert f"Read {len(PAGES)} of {len(PAGES)} pages" in sidebar.inner_text()


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_a_deep_link_is_the_first_request_on_a_fresh_server(chromium, spec):
    with browser.streamlit_server() as fresh_url:
        context = chromium.new_context()
        tab = context.new_page()
        browser.open_page(tab, url_of(fresh_url, spec.url_path))
        assert spec.title in heading(tab)
        assert tab.title() == ui.page_title(spec)  # each tab and history entry says its page
        assert tab.get_by_test_id("stDialog").count() == 0
        assert "Page not found" not in tab.content()
        context.close()


@pytest.mark.parametrize(
    ("viewport", "scheme"), [("desktop", "light"), ("phone", "light"), ("desktop", "dark")]
)
def test_axe_finds_no_wcag_violation_on_any_page(chromium, server_url, viewport, scheme):
    size = browser.PHONE if viewport == "phone" else {"width": 1280, "height": 900}
    context = chromium.new_context(viewport=size, color_scheme=scheme)
    tab = context.new_page()
    found = {}
    for spec in PAGES:
        browser.open_page(tab, url_of(server_url, spec.url_path))
        assert browser.is_dark(tab) == (scheme == "dark")
        violations = browser.axe_violations(tab)
        if violations:
            found[spec.url_path] = violations
    context.close()
    assert found == {}


def test_the_app_makes_no_request_beyond_its_own_server(server_url, page):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    for spec in PAGES:
        browser.open_page(page, url_of(server_url, spec.url_path))
    assert hosts <= {"127.0.0.1", None}


def test_a_broken_role_file_is_named_in_the_browser_and_the_others_still_open(
    chromium, content_copy
):
    (content_copy / "roles" / "qa.md").write_bytes(b"---\ntitle: QA\xff\n---\nBody\n")
    with browser.streamlit_server(content_copy) as url:
        context = chromium.new_context()
        tab = context.new_page()
        browser.open_page(tab, url)
        assert "content/roles/qa.md: encoding: the file is not UTF-8 text" in tab.content()
        assert browser.axe_violations(tab) == []
        browser.open_page(tab, f"{url}/dev-team")
        assert "Dev" in heading(tab)
        context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_shows_its_title_at_desktop_and_phone_size(chromium, server_url, viewport):
    """Also refreshes docs/screenshots when UPDATE_SCREENSHOTS=1."""
    size = (
        {"width": 390, "height": 1400} if viewport == "phone" else {"width": 1280, "height": 1400}
    )
    context = chromium.new_context(viewport=size)
    tab = context.new_page()
    for spec in PAGES:
        browser.open_page(tab, url_of(server_url, spec.url_path))
        assert spec.title in heading(tab)
        browser.save_screenshot(tab, f"{spec.url_path}-{viewport}")
    context.close()


def test_a_reader_picks_dark_or_light_from_the_app_menu(server_url, page):
    """The main menu (top right) offers System, Light and Dark; the choice redraws the app."""
    browser.open_page(page, server_url)
    assert not browser.is_dark(page)  # the tab's system setting is light
    menu = page.get_by_test_id("stMainMenuPopover")
    for theme, dark in (("Dark", True), ("Light", False)):
        page.get_by_role("button", name="Main menu").click()
        choice = menu.get_by_role("menuitemradio", name=theme)
        choice.click()
        browser.wait_for_theme(page, dark=dark)
        if menu.count():
            page.keyboard.press("Escape")
        expect(menu).to_have_count(0)
        assert browser.axe_violations(page) == [], theme
    page.get_by_role("button", name="Main menu").click()
    expect(menu.get_by_role("menuitemradio")).to_contain_text(["System", "Light", "Dark"])
    expect(menu.get_by_role("menuitemradio", name="Light")).to_have_attribute(
        "aria-checked", "true"
    )


def test_every_anchor_the_content_links_to_is_a_heading_in_the_browser(server_url, page):
    """Headings drawn inside Markdown get their ids from Streamlit's browser code;
    `slugify` must compute the same ids, or the quiz's "read more" links land nowhere."""
    site = load_site()
    wanted = {role.id: set(role_page.anchors(role)) for role in site.roles}
    wanted["glossary"] = {term.anchor for term in site.glossary.terms}
    for url_path, anchors in wanted.items():
        browser.open_page(page, url_of(server_url, url_path))
        ids = set(page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
        assert anchors - ids == set(), url_path
