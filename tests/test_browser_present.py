"""Presentation mode in headless Chromium: every slide on a projector, the keys, the
speaker view following, a laptop's screen, and the offline file with the network off."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from teamroles.content.site import load_site
from teamroles.deck_export import export_html
from tests import browser

SITE = load_site()
DECK = SITE.decks[0]
PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 720}
BODY_PX, CHART_PX = 32, 24  # the smallest text a room must read at 1920x1080
TEXT_ONLY_PX = 40  # words alone on a slide are larger
TITLE_SLIDE_PX = 96  # the title slide's title
FRAME_SHARE = 0.85  # words alone span at least this share of the screen's width
SCREENSHOT_KINDS = ("title", "role", "journey", "stage", "debt", "question", "live", "markdown")
CLOCK = re.compile(r"^\d+:\d\d$")

pytestmark = pytest.mark.browser

# What a projected slide must not do: run past the screen's edges, cut its text off,
# or use type too small for the back of a room. Returns the offenders.
_SLIDE_CHECK_JS = """([bodyPx, chartPx]) => {
  const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
  const bad = [];
  const slide = document.querySelector('.st-key-slide');
  if (!slide) return ['no slide'];
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    if (el.closest('.js-plotly-plot') && !(el instanceof SVGTextElement)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const text = (el.textContent || '').trim().slice(0, 50);
    if (box.left < -1 || box.right > w + 1 || box.bottom > h + 1)
      bad.push(['off the screen', el.tagName, text, Math.round(box.right), Math.round(box.bottom)]);
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'hidden' && text)
      bad.push(['cut off', el.tagName, text]);
  }
  const body = '[data-testid=stMarkdownContainer] :is(p, li)';
  for (const p of slide.querySelectorAll(body)) {
    if (p.closest('.st-key-slide-label')) continue;  // the small kicker above the title
    const size = parseFloat(getComputedStyle(p).fontSize);
    if (size < bodyPx) bad.push(['small text', p.textContent.slice(0, 50), size]);
  }
  for (const t of slide.querySelectorAll('.js-plotly-plot text')) {
    const box = t.getBoundingClientRect();
    if (!t.textContent.trim() || box.width === 0) continue;
    if (t.closest('[style*="display: none"]') || getComputedStyle(t).display === 'none') continue;
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size < chartPx) bad.push(['small chart text', t.textContent.slice(0, 30), size]);
  }
  return bad;
}"""


# How the slide uses the frame: the title's size and centre, the width the words may take
# (the widest block of text), and their smallest type.
_FRAME_JS = """() => {
  const slide = document.querySelector('.st-key-slide');
  const h1 = slide.querySelector('h1');
  const box = h1.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(h1);
  const ink = range.getBoundingClientRect();
  const blocks = [...slide.querySelectorAll('[data-testid=stMarkdownContainer]')]
    .filter(el => !el.closest('.st-key-slide-label'));
  const texts = [...slide.querySelectorAll('[data-testid=stMarkdownContainer] :is(p, li)')]
    .filter(el => !el.closest('.st-key-slide-label') && !el.closest('.js-plotly-plot'));
  return {
    width: document.documentElement.clientWidth,
    titlePx: parseFloat(getComputedStyle(h1).fontSize),
    titleAlign: getComputedStyle(h1).textAlign,
    inkCentre: (ink.left + ink.right) / 2,
    wordsWidth: Math.max(...blocks.map(el => el.getBoundingClientRect().width)),
    smallestPx: Math.min(...texts.map(el => parseFloat(getComputedStyle(el).fontSize))),
  };
}"""


def deck_url(server_url: str, **params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in {"deck": DECK.id, **params}.items())
    return f"{server_url}/present?{query}"


def slide_title(page) -> str:
    return page.locator(".st-key-slide h1").first.inner_text().strip()


def wait_for_slide(page, number: int) -> None:
    page.wait_for_function(
        "n => new URLSearchParams(location.search).get('slide') === String(n)", arg=number
    )
    browser.wait_for_app(page)
    expect(page.locator(".st-key-slide h1").first).to_have_text(DECK.slides[number - 1].title)


def test_every_slide_fills_the_projector_readably_and_the_keys_move_the_deck(chromium, server_url):
    context = chromium.new_context(viewport=PROJECTOR)
    page = context.new_page()
    browser.open_page(page, deck_url(server_url))
    problems, violations = {}, {}
    for slide in DECK.slides:
        wait_for_slide(page, slide.number)
        if slide.figure:
            page.locator(".st-key-slide .js-plotly-plot svg").first.wait_for()
        found = page.evaluate(_SLIDE_CHECK_JS, [BODY_PX, CHART_PX])
        found += frame_problems(slide, page.evaluate(_FRAME_JS))
        if found:
            problems[slide.number] = found
        axe = browser.axe_violations(page)
        if axe:
            violations[slide.number] = axe
        if slide.kind in SCREENSHOT_KINDS and slide.kind not in {
            s.kind for s in DECK.slides[: slide.number - 1]
        }:
            browser.save_screenshot(page, f"present-{slide.kind}-projector")
        if slide.number < len(DECK):
            page.keyboard.press("ArrowRight" if slide.number % 2 else "PageDown")
    assert problems == {}
    assert violations == {}
    for key, number in (("Home", 1), ("End", len(DECK)), ("ArrowLeft", len(DECK) - 1)):
        page.keyboard.press(key)
        wait_for_slide(page, number)
    page.keyboard.press(" ")
    wait_for_slide(page, len(DECK))
    context.close()


def frame_problems(slide, frame: dict, scale: float = 1.0) -> list:
    """What a reader would notice about how the slide uses the screen (sizes at 1920x1080,
    times `scale` on a smaller screen)."""
    bad = []
    if slide.kind == "title":
        if frame["titlePx"] < TITLE_SLIDE_PX * scale:
            bad.append(["a small title on the title slide", frame["titlePx"]])
        if frame["titleAlign"] != "center" or abs(frame["inkCentre"] - frame["width"] / 2) > 8:
            bad.append(["the title slide is not centred", frame["inkCentre"]])
    elif not slide.figure:
        if frame["wordsWidth"] < FRAME_SHARE * frame["width"]:
            bad.append(["words alone squeezed into part of the screen", frame["wordsWidth"]])
        if frame["smallestPx"] < TEXT_ONLY_PX * scale:
            bad.append(["words alone in small type", frame["smallestPx"]])
    return bad


def test_the_speaker_view_follows_the_projected_view_and_the_other_way(chromium, server_url):
    context = chromium.new_context(viewport=PROJECTOR)  # one presenter: one browser
    projected = context.new_page()
    browser.open_page(projected, deck_url(server_url, slide="2"))
    speaker = context.new_page()
    browser.open_page(speaker, deck_url(server_url, slide="2", view="speaker"))
    notes = speaker.locator(".st-key-speaker-notes")
    expect(notes).to_contain_text("Notes")
    projected.bring_to_front()
    projected.keyboard.press("ArrowRight")
    wait_for_slide(projected, 3)
    speaker.wait_for_function("() => location.search.includes('slide=3')")
    expect(speaker.locator(".st-key-speaker-now")).to_contain_text(DECK.slides[2].title)
    expect(speaker.locator(".st-key-speaker-next-slide")).to_contain_text(DECK.slides[3].title)
    speaker.bring_to_front()
    speaker.get_by_role("button", name="Next", exact=True).click()
    wait_for_slide(projected, 4)
    assert projected.locator(".st-key-speaker-notes").count() == 0  # notes never projected
    expect(speaker.locator("output")).to_have_text(CLOCK)  # the clock ticks in the page
    context.close()


def test_the_deck_is_usable_on_a_laptop_screen(chromium, server_url):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    for slide in DECK.slides:
        browser.open_page(page, deck_url(server_url, slide=str(slide.number)))
        expect(page.locator(".st-key-slide h1").first).to_have_text(slide.title)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"], slide.number
        expect(page.get_by_role("button", name="Next", exact=True)).to_be_visible()
        if not slide.figure:  # charts keep their projector size: see docs/presenting.md
            # Type scales with the height the slide has above its bar (5rem, 80 px).
            scale = (LAPTOP["height"] - 80) / (PROJECTOR["height"] - 80)
            found = page.evaluate(_SLIDE_CHECK_JS, [BODY_PX * scale, CHART_PX])
            found += frame_problems(slide, page.evaluate(_FRAME_JS), scale)
            assert found == [], (slide.number, found)
    context.close()


def test_the_exported_deck_opens_offline_with_every_slide(chromium, tmp_path):
    path = tmp_path / f"{DECK.id}.html"
    path.write_text(export_html(DECK, SITE, notes=True), encoding="utf-8")
    context = chromium.new_context(viewport=PROJECTOR)
    requests = []

    def only_the_file(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    sections = page.locator("section.slide")
    expect(sections).to_have_count(len(DECK))
    for slide in DECK.slides:
        section = page.locator(f"#slide-{slide.number}")
        expect(section).to_contain_text(slide.title)
        expect(section).to_be_in_viewport()
        if slide.figure:
            expect(section.locator(".js-plotly-plot svg").first).to_be_attached()
        page.keyboard.press("ArrowRight")
    assert requests == [] and errors == []
    context.close()


def test_the_landing_page_downloads_the_deck_as_one_file(chromium, server_url):
    context = chromium.new_context(viewport=PROJECTOR, accept_downloads=True)
    page = context.new_page()
    browser.open_page(page, f"{server_url}/present")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as one HTML file").first.click()
    assert download.value.suggested_filename == f"{DECK.id}.html"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.count('<section class="slide') == len(DECK)
    assert all(html.escape(slide.title) in text for slide in DECK.slides)
    context.close()
