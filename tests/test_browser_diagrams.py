"""The three diagrams in headless Chromium: stepping, clicking, filtering, axe, sizes.

Every number and name the tests expect comes from the shipped content, so adding a
stage, an activity or a box changes what they expect, not whether they pass.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from teamroles.content.site import load_site
from teamroles.figures.style import NEUTRAL
from tests import browser

PROJECTOR = {"width": 1920, "height": 1080}
# The figures' neutral grey as the browser writes it in a style: "rgb(140, 140, 140)".
GREY_STYLE = re.compile(re.escape("rgb({}, {}, {})".format(*bytes.fromhex(NEUTRAL[1:]))))
WAIT_MS = 15_000

SITE = load_site()  # what the test server shows: $TEAMROLES_CONTENT or content/
ROLES = SITE.roles
STAGES = SITE.workflow.stages
ACTIVITIES = SITE.responsibilities.activities
DEBT = SITE.debt_figure

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------- the content


def _role_ids(names: list[str]) -> set[str]:
    return {role.id for role in map(ROLES.find, names) if role}


def _stage_line(number: int) -> str:
    """The heading of the details below the journey, e.g. 'Stage 2 of 7: Specification'."""
    return f"Stage {number} of {len(STAGES)}: {STAGES[number - 1].title}"


def _highlighted_role():
    """A role that leads a stage and takes no part in another: both looks can be checked."""
    for role in ROLES:
        leads = [s for s in STAGES if _role_ids([s.lead]) == {role.id}]
        absent = [s for s in STAGES if role.id not in _role_ids([s.lead, *s.contributors])]
        if leads and absent:
            return role, leads, absent
    raise AssertionError("no role both leads a stage and is absent from another")


def _filtered_role():
    """A role whose matrix filter leaves some activities but not all."""
    for role in ROLES:
        rows = [a for a in ACTIVITIES if a.level(role.id) in ("lead", "contributes")]
        if 0 < len(rows) < len(ACTIVITIES):
            return role, rows
    raise AssertionError("no role's filter shows some activities but not all")


def _labelled_boxes():
    """The boxes labelled inside the figure (ML Code is labelled under it), in drawing order."""
    return [box for box in DEBT.boxes if not box.is_ml_code]


# ---------------------------------------------------------------- the page


def _bold_stage(page):
    """The titles the journey chart shows in bold: the current stage. Expect them as a
    list of one: while Plotly redraws, the old and the new title can both be bold for a
    moment, and a list expectation waits that out where a single one would fail."""
    return page.locator(".st-key-diagram-journey .textpoint tspan[style*='bold']")


def _details(page, key: str):
    return page.locator(f".st-key-{key}_details")


def _stage_markers(page):
    """The journey's stage markers; the first .point is the ring around the current one."""
    return page.locator(".st-key-diagram-journey .scatterlayer path.point")


def _stage_marker(page, stage) -> object:
    return _stage_markers(page).nth(1 + STAGES.index(stage))


def _matrix_rows(page):
    return page.locator(".st-key-diagram-matrix .ytick")


def _wait_for_chart(page, key: str) -> None:
    page.wait_for_selector(f".st-key-diagram-{key} .main-svg", timeout=20_000)


def _click_in_chart(page, locator) -> None:
    """Click where the element is drawn: Plotly catches clicks on a layer above its marks."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _done(page, change) -> None:
    """Wait for the change a click makes (an auto-waiting `expect`), then for the rerun
    to finish. The change comes first: right after a click the app may not have begun
    its rerun yet, so "not running" alone would pass too soon."""
    change()
    browser.wait_for_app(page)


def _contains(locator, text: str):
    return lambda: expect(locator).to_contain_text(text, timeout=WAIT_MS)


# ---------------------------------------------------------------- the tests


def test_stepping_through_the_journey_moves_the_highlight_and_the_description(server_url, page):
    # Click a stage that leaves two more before the last, so playing is still on
    # when the test pauses it.
    clicked = min(3, len(STAGES) - 4)
    assert clicked >= 2, "the journey needs six stages for this test"
    browser.open_page(page, f"{server_url}/journey")
    _wait_for_chart(page, "journey")
    expect(_bold_stage(page)).to_have_text([f"1. {STAGES[0].title}"])
    expect(_details(page, "journey")).to_contain_text(_stage_line(1))

    page.get_by_role("button", name="Next").click()
    _done(page, _contains(_details(page, "journey"), _stage_line(2)))
    expect(_bold_stage(page)).to_have_text([f"2. {STAGES[1].title}"], timeout=WAIT_MS)

    _click_in_chart(page, _stage_markers(page).nth(1 + clicked))
    _done(page, _contains(_details(page, "journey"), _stage_line(clicked + 1)))
    expect(_bold_stage(page)).to_have_text([f"{clicked + 1}. {STAGES[clicked].title}"])

    page.get_by_role("button", name="Play").click()
    played = clicked + 2
    expect(_bold_stage(page)).to_have_text(
        [f"{played}. {STAGES[played - 1].title}"], timeout=WAIT_MS
    )
    expect(_details(page, "journey")).to_contain_text(_stage_line(played), timeout=WAIT_MS)
    page.get_by_role("button", name="Pause").click()
    _done(page, lambda: expect(page.get_by_role("button", name="Play")).to_have_count(1))
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)


def test_highlighting_a_role_greys_out_the_stages_it_takes_no_part_in(server_url, page):
    role, leads, absent = _highlighted_role()
    browser.open_page(page, f"{server_url}/journey")
    _wait_for_chart(page, "journey")
    expect(_stage_marker(page, absent[0])).not_to_have_attribute("style", GREY_STYLE)

    page.locator(".st-key-journey_role").get_by_text(role.title, exact=True).click()
    led = f"leads {len(leads)} stage{'s' if len(leads) > 1 else ''}"
    _done(page, _contains(_details(page, "journey"), led))
    details = _details(page, "journey").inner_text()
    assert all(stage.title in details for stage in leads)
    for stage in absent:
        expect(_stage_marker(page, stage)).to_have_attribute("style", GREY_STYLE)
    for stage in leads:
        expect(_stage_marker(page, stage)).not_to_have_attribute("style", GREY_STYLE)
    assert browser.axe_violations(page) == []


def test_the_role_filter_changes_the_matrix(server_url, page):
    role, rows = _filtered_role()
    total = len(ACTIVITIES)
    browser.open_page(page, f"{server_url}/who-owns-what")
    _wait_for_chart(page, "matrix")
    expect(_matrix_rows(page)).to_have_count(total)

    page.locator(".st-key-matrix_role").get_by_text(role.title, exact=True).click()
    _done(page, lambda: expect(_matrix_rows(page)).to_have_count(len(rows), timeout=WAIT_MS))
    noun = "activity" if len(rows) == 1 else "activities"
    expect(page.get_by_text(f"Showing the {len(rows)} {noun} of {total} where")).to_have_count(1)
    assert browser.axe_violations(page) == []


def _box_shape(page, box):
    """The drawn rectangle of a debt box (a bar), in the content's order."""
    return page.locator(".st-key-diagram-debt .bars path").nth(DEBT.boxes.index(box))


def test_a_box_of_the_debt_figure_tells_its_owner_and_debt(server_url, page):
    labelled = _labelled_boxes()
    box = max(labelled, key=lambda b: b.area)
    owner = ROLES.find(box.owner)
    owners = _role_ids([b.owner for b in DEBT.boxes])
    browser.open_page(page, f"{server_url}/hidden-technical-debt")
    _wait_for_chart(page, "debt")
    expect(page.locator(".st-key-diagram-debt .bars path")).to_have_count(len(DEBT.boxes))
    # One label a labelled box shows at this width (the narrow set is hidden).
    expect(page.locator(".st-key-diagram-debt .textpoint:visible")).to_have_count(len(labelled))
    expect(page.locator(".st-key-diagram-debt .annotation-text")).to_contain_text(
        DEBT.ml_code.label
    )

    page.get_by_text("Colour the boxes by owning role").click()
    legend = page.locator(".st-key-diagram-debt .legend .traces")
    _done(page, lambda: expect(legend).to_have_count(len(owners), timeout=WAIT_MS))

    _click_in_chart(page, _box_shape(page, box))
    _done(page, _contains(_details(page, "debt"), box.label))
    details = _details(page, "debt")
    expect(details).to_contain_text(f"Usually owned by: {owner.title}")
    for debt in box.prone_to:
        expect(details).to_contain_text(debt)
    assert browser.axe_violations(page) == []


@pytest.mark.parametrize(("viewport", "size"), [("phone", browser.PHONE), ("projector", PROJECTOR)])
def test_the_diagrams_fit_a_phone_and_a_projector(chromium, server_url, viewport, size):
    """No sideways scrolling, each chart inside the screen; screenshots for docs/."""
    context = chromium.new_context(viewport=size)
    tab = context.new_page()
    for url_path, key in (
        ("journey", "journey"),
        ("hidden-technical-debt", "debt"),
        ("who-owns-what", "matrix"),
    ):
        browser.open_page(tab, f"{server_url}/{url_path}")
        _wait_for_chart(tab, key)
        chart = tab.locator(f".st-key-diagram-{key}")
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
        assert tab.evaluate("document.documentElement.scrollWidth") <= size["width"]
        browser.save_screenshot(chart, f"diagram-{url_path}-{viewport}")
    context.close()
