"""The diagrams on a phone (375x812, touch) and a projector (1920x1080), in Chromium.

One tap anywhere inside a box of the debt figure selects it and brings its description
into view; nothing on a diagram page is wider than a phone; each box label fits its box;
the journey's legend and loop labels show. Every name and number comes from the shipped
content.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from teamroles.content.site import load_site
from teamroles.figures.journey import LOOP_LINE
from tests import browser

PROJECTOR = {"width": 1920, "height": 1080}
WAIT_MS = 15_000
DIAGRAM_PAGES = (
    ("journey", "journey"),
    ("hidden-technical-debt", "debt"),
    ("who-owns-what", "matrix"),
)

SITE = load_site()
DEBT = SITE.debt_figure
WORKFLOW = SITE.workflow
ROLES = SITE.roles

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium):
    """A touch phone: taps, no mouse hover."""
    context = chromium.new_context(viewport=browser.PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def projector(chromium):
    context = chromium.new_context(viewport=PROJECTOR)
    yield context.new_page()
    context.close()


def _open(page, server_url: str, url_path: str, key: str) -> None:
    browser.open_page(page, f"{server_url}/{url_path}")
    page.wait_for_selector(f".st-key-diagram-{key} .main-svg", timeout=20_000)


def _box_shape(page, box):
    """The drawn rectangle of a debt box: one bar each, in the content's order."""
    return page.locator(".st-key-diagram-debt .bars path").nth(DEBT.boxes.index(box))


def _details(page):
    return page.locator(".st-key-debt_details")


def _corner(page, box) -> tuple[float, float]:
    """A point inside the box near its lower left corner, far from its centre (where the
    label and, before, the only clickable point were)."""
    shape = _box_shape(page, box)
    shape.scroll_into_view_if_needed()
    rect = shape.bounding_box()
    inset = min(6, rect["width"] / 4, rect["height"] / 4)
    return rect["x"] + inset, rect["y"] + rect["height"] - inset


def _chosen(page, box) -> None:
    """Wait until the box's description shows, then for the rerun to finish."""
    expect(_details(page)).to_contain_text(box.label, timeout=WAIT_MS)
    browser.wait_for_app(page)


def _described_in_view(page, box) -> None:
    details = _details(page)
    expect(details.get_by_role("heading", name=box.label)).to_be_in_viewport(ratio=1)
    owner = ROLES.find(box.owner)
    expect(details).to_contain_text(f"Usually owned by: {owner.title}")
    expect(details).to_be_in_viewport(ratio=1, timeout=WAIT_MS)


def _no_tooltip(page) -> None:
    expect(page.locator(".st-key-diagram-debt .hoverlayer .hovertext")).to_have_count(0)


def _tall_boxes():
    """Labelled boxes, tallest first: their corners lie far from their centres."""
    labelled = [box for box in DEBT.boxes if not box.is_ml_code]
    return sorted(labelled, key=lambda box: box.height, reverse=True)


# ---------------------------------------------------------------- one tap selects


def test_one_tap_near_a_corner_of_a_box_selects_it_on_a_phone(server_url, phone):
    first, second = _tall_boxes()[:2]
    _open(phone, server_url, "hidden-technical-debt", "debt")
    expect(_details(phone)).to_have_count(0)

    phone.touchscreen.tap(*_corner(phone, first))
    _chosen(phone, first)
    _no_tooltip(phone)
    _described_in_view(phone, first)
    expect(phone.get_by_role("combobox", name="Pick a part of the system")).to_have_value(
        first.label
    )

    phone.touchscreen.tap(*_corner(phone, second))
    _chosen(phone, second)
    _no_tooltip(phone)
    _described_in_view(phone, second)
    assert browser.axe_violations(phone) == []


def test_one_click_near_a_corner_of_a_box_selects_it_on_a_projector(server_url, projector):
    box = _tall_boxes()[0]
    _open(projector, server_url, "hidden-technical-debt", "debt")
    projector.mouse.click(*_corner(projector, box))
    _chosen(projector, box)
    _no_tooltip(projector)
    _described_in_view(projector, box)


def test_picking_a_box_in_the_list_also_brings_its_description_into_view(server_url, phone):
    box = _tall_boxes()[-1]
    _open(phone, server_url, "hidden-technical-debt", "debt")
    phone.locator(".st-key-debt_box").click()
    phone.get_by_role("option", name=box.label, exact=True).click()
    _chosen(phone, box)
    _described_in_view(phone, box)


# ---------------------------------------------------------------- nothing spills


# Every drawn element of the page; not Plotly's drag layer, an invisible input layer
# whose axis handles reach past the chart's edge and are clipped by its <svg>.
_TOO_WIDE_JS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('[data-testid=stMain] *')]
    .filter(el => !el.closest('.draglayer'))
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 0 && (r.left < -1 || r.right > width + 1))
    .map(([el, r]) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`
      + ` ${Math.round(r.left)}..${Math.round(r.right)}`)
    .slice(0, 10);
}"""


@pytest.mark.parametrize(("url_path", "key"), DIAGRAM_PAGES)
def test_nothing_on_a_diagram_page_is_wider_than_a_phone(server_url, phone, url_path, key):
    _open(phone, server_url, url_path, key)
    assert phone.evaluate("document.documentElement.scrollWidth") <= browser.PHONE["width"]
    assert phone.evaluate(_TOO_WIDE_JS) == []
    assert browser.axe_violations(phone) == []


# The visible label of each labelled box, paired with its box's drawn rectangle. Plotly
# draws one .textpoint per label in the content's order; the hidden set has no size.
_LABELS_IN_BOXES_JS = """() => {
  const chart = document.querySelector('.st-key-diagram-debt');
  const shapes = [...chart.querySelectorAll('.bars path')].map(p => p.getBoundingClientRect());
  const shown = [...chart.querySelectorAll('.scatterlayer .trace')]
    .filter(trace => getComputedStyle(trace).display !== 'none')
    .find(trace => trace.querySelector('.textpoint'));
  return [...shown.querySelectorAll('.textpoint')].map(point => {
    const r = point.getBoundingClientRect();
    return {text: point.textContent, label: [r.left, r.top, r.right, r.bottom]};
  }).concat([{shapes: shapes.map(r => [r.left, r.top, r.right, r.bottom])}]);
}"""


@pytest.mark.parametrize(
    "viewport",
    # A tablet with the sidebar open: a narrow chart on a wide screen.
    [browser.PHONE, {"width": 800, "height": 900}, PROJECTOR],
    ids=["phone", "tablet", "projector"],
)
def test_every_box_label_fits_inside_its_box(chromium, server_url, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    _open(page, server_url, "hidden-technical-debt", "debt")
    *labels, shapes = page.evaluate(_LABELS_IN_BOXES_JS)
    labelled = [box for box in DEBT.boxes if not box.is_ml_code]
    assert len(labels) == len(labelled)
    for box, label in zip(labelled, labels, strict=True):
        left, top, right, bottom = label["label"]
        box_left, box_top, box_right, box_bottom = shapes["shapes"][DEBT.boxes.index(box)]
        # The words, without the line breaks and hyphens of a narrow screen.
        assert label["text"].replace("-", "") == box.label.replace(" ", ""), box.label
        assert box_left <= left and right <= box_right, f"{box.label} spills sideways"
        assert box_top <= top and bottom <= box_bottom, f"{box.label} spills up or down"
        assert right - left > 0 and bottom - top > 0, f"{box.label} is not shown"
    context.close()


# ---------------------------------------------------------------- the journey's key


@pytest.mark.parametrize("viewport", [browser.PHONE, PROJECTOR], ids=["phone", "projector"])
def test_the_journey_shows_its_legend_and_loop_labels(chromium, server_url, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    _open(page, server_url, "journey", "journey")
    chart = page.locator(".st-key-diagram-journey")
    legend = chart.locator(".legend .traces")
    leads = [role for role in ROLES if any(ROLES.find(s.lead) == role for s in WORKFLOW.stages)]
    names = [f"{role.title} leads" for role in leads] + [LOOP_LINE]
    expect(legend).to_have_text(names)
    for loop in WORKFLOW.loops:
        expect(
            chart.locator(".annotation-text", has_text=loop.label or loop.trigger)
        ).to_be_visible()
    chart_box = chart.bounding_box()
    for entry in legend.all():
        entry_box = entry.bounding_box()
        assert chart_box["x"] <= entry_box["x"]
        assert entry_box["x"] + entry_box["width"] <= chart_box["x"] + chart_box["width"] + 1
    context.close()
