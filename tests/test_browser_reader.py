"""A reader on a phone, and a reader who comes back: in headless Chromium.

The phone is a real phone's context (375x812, touch, a mobile browser's user agent).
What a reader has done is kept in their browser's localStorage, never on the server.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from teamroles import progress
from teamroles.content.site import load_site
from teamroles.navigation import HOME, VISITED_MARK, site_pages
from tests import browser

SITE = load_site()  # what the test server shows: $TEAMROLES_CONTENT or content/
PAGES = site_pages(SITE)
STORE = "teamroles."  # the localStorage prefix of every entry the app keeps

pytestmark = pytest.mark.browser

# Every element of the page body whose box runs past the viewport's edges, and every
# text that is cut off inside its own box (an ellipsis or a clipped label).
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    if (el.closest('.js-plotly-plot')) continue;  // the chart's own box is checked below
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const text = (el.innerText || '').trim().slice(0, 60);
    if (box.left < -0.5 || box.right > width + 0.5) found.push(['past the edge', text]);
    const style = getComputedStyle(el);
    const clips = style.overflowX === 'hidden' || style.textOverflow === 'ellipsis';
    if (clips && text && el.children.length === 0 && el.scrollWidth > el.clientWidth + 1)
      found.push(['cut off', text]);
  }
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const box = chart.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) found.push(['chart past the edge', '']);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: width, found: found};
}"""


def url_of(server_url: str, url_path: str) -> str:
    return f"{server_url}/" if url_path == HOME else f"{server_url}/{url_path}"


def menu_titles(page) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]


def marked(page) -> set[str]:
    """The titles of the pages the menu marks as visited."""
    return {
        title.removesuffix(VISITED_MARK).strip()
        for title in menu_titles(page)
        if title.endswith(VISITED_MARK)
    }


def stored(page, name: str):
    text = page.evaluate("name => localStorage.getItem(name)", STORE + name)
    return None if text is None else json.loads(text)


def wait_stored(page, name: str, predicate: str) -> None:
    """Wait until the browser's store holds `name` and `predicate` (JS, on `v`) is true."""
    page.wait_for_function(
        f"name => {{ const t = localStorage.getItem(name); if (t === null) return false;"
        f" const v = JSON.parse(t); return {predicate}; }}",
        arg=STORE + name,
    )


def test_on_a_phone_choosing_a_page_closes_the_menu_and_it_stays_closed(chromium, server_url):
    context = browser.phone_context(chromium)
    page = context.new_page()
    browser.open_page(page, server_url)
    sidebar = page.get_by_test_id("stSidebar")

    def menu_is_open() -> bool:
        box = sidebar.bounding_box()
        return box is not None and box["width"] > 0 and box["x"] + box["width"] > 0

    assert not menu_is_open()  # a phone starts with the menu closed
    page.get_by_test_id("stExpandSidebarButton").tap()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0"
    )
    target = PAGES[-1]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=target.title).tap()
    browser.wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text(target.title)
    page.wait_for_function(
        "() => { const b = document.querySelector('[data-testid=stSidebar]')"
        ".getBoundingClientRect(); return b.x + b.width <= 0; }"
    )
    page.reload()
    browser.wait_for_app(page)
    assert not menu_is_open()
    context.close()


def test_nothing_on_any_page_is_wider_than_a_phone_or_cut_off(chromium, server_url):
    context = browser.phone_context(chromium)
    page = context.new_page()
    problems = {}
    for spec in PAGES:
        browser.open_page(page, url_of(server_url, spec.url_path))
        seen = page.evaluate(_OVERFLOW_JS)
        if seen["scrollWidth"] > seen["width"] or seen["found"]:
            problems[spec.url_path] = seen
    context.close()
    assert problems == {}


def test_a_reader_who_reloads_or_comes_back_finds_their_pages_marked(chromium, server_url):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    browser.open_page(page, server_url)
    read = [PAGES[1], PAGES[-1]]  # a role page and the glossary, chosen from the menu
    for spec in read:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=spec.title).click()
        browser.wait_for_app(page)
        expect(page.locator("h1").first).to_contain_text(spec.title)
    wait_stored(page, progress.VISITED, f"v.includes({json.dumps(read[-1].url_path)})")
    expected = {PAGES[0].title} | {spec.title for spec in read}

    page.reload()
    browser.wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Read {len(expected)} of")
    assert marked(page) == expected
    page.close()

    later = context.new_page()  # the same browser, another day: a new tab on a deep link
    browser.open_page(later, url_of(server_url, PAGES[2].url_path))
    expected.add(PAGES[2].title)
    expect(later.get_by_test_id("stSidebar")).to_contain_text(f"Read {len(expected)} of")
    assert marked(later) == expected

    later.get_by_role("button", name="Reset my progress").click()
    browser.wait_for_app(later)
    expect(later.get_by_test_id("stSidebar")).to_contain_text("Read 1 of")
    # Nothing is marked; the page on screen counts as read (it is marked once left).
    assert marked(later) == set()
    wait_stored(later, progress.VISITED, "v.length === 1")
    assert stored(later, progress.VISITED) == [PAGES[2].url_path]
    assert stored(later, progress.QUIZ) is None
    context.close()


def test_a_tampered_store_is_ignored_and_every_page_still_works(chromium, server_url):
    context = chromium.new_context()
    context.add_init_script(
        f"""localStorage.setItem('{STORE}{progress.VISITED}',
              JSON.stringify(['no-such-page', '<img src=x onerror=alert(1)>', 42,
                              {json.dumps(PAGES[1].url_path)}]));
            localStorage.setItem('{STORE}{progress.QUIZ}', '{{not json');"""
    )
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser.open_page(page, server_url)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Read 2 of")
    assert marked(page) == {PAGES[0].title, PAGES[1].title}
    browser.open_page(page, f"{server_url}/quiz")
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()
    assert page.get_by_test_id("stException").count() == 0
    assert dialogs == []
    context.close()


def test_the_role_cards_follow_the_menu_and_line_up_on_a_laptop(chromium, server_url):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    browser.open_page(page, server_url)
    cards = page.locator(".st-key-role-cards > div")
    roles = [spec.title for spec in PAGES if spec.section == "Roles"]
    headings = [card.locator("h4").inner_text() for card in cards.all()]
    assert [[role for role in roles if role in text] for text in headings] == [[r] for r in roles]
    assert [title for title in menu_titles(page) if title in roles] == roles
    rows: dict[int, list[float]] = {}
    for box in (card.bounding_box() for card in cards.all()):
        rows.setdefault(round(box["y"]), []).append(box["height"])
    assert any(len(heights) > 1 for heights in rows.values())  # side by side on a laptop
    for heights in rows.values():
        assert max(heights) - min(heights) < 1, heights
    context.close()


def test_a_see_also_in_the_glossary_jumps_to_that_term_in_the_same_tab(chromium, server_url):
    context = browser.phone_context(chromium)
    page = context.new_page()
    browser.open_page(page, f"{server_url}/glossary")
    term = next(term for term in reversed(SITE.glossary.terms) if term.see_also)
    target = next(t for t in SITE.glossary.terms if t.term.lower() == term.see_also[0].lower())
    link = page.locator(f"p a[href='#{target.anchor}']").first  # not the heading's own
    link.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the top bar
    link.tap()
    heading = page.locator(f"[id='{target.anchor}']")
    expect(heading).to_be_in_viewport()
    assert page.url.endswith(f"/glossary#{target.anchor}")
    assert len(context.pages) == 1
    context.close()
