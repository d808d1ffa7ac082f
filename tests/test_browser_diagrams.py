"""The three diagrams in headless Chromium: stepping, clicking, filtering, axe, sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
PROJECTOR = {"width": 1920, "height": 1080}
GREY = "rgb(140, 140, 140)"  # diagrams.NEUTRAL as the browser reports it

pytestmark = pytest.mark.browser


def _bold_stage(page) -> str:
    """The title the journey chart shows in bold: the current stage."""
    return page.locator(".st-key-diagram-journey .textpoint tspan[style*='bold']").text_content()


def _details(page, key: str) -> str:
    return page.locator(f".st-key-{key}_details").inner_text()


def _stage_markers(page):
    """The journey's stage markers; the first .point is the ring around the current one."""
    return page.locator(".st-key-diagram-journey .scatterlayer path.point")


def _matrix_rows(page) -> int:
    return page.locator(".st-key-diagram-matrix .ytick").count()


def _wait_for_chart(page, key: str) -> None:
    page.wait_for_selector(f".st-key-diagram-{key} .main-svg", timeout=20_000)


def _click_in_chart(page, locator) -> None:
    """Click where the element is drawn: Plotly catches clicks on a layer above its marks."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _settle(page) -> None:
    page.wait_for_timeout(300)
    browser.wait_for_app(page)


def test_stepping_through_the_journey_moves_the_highlight_and_the_description(server_url, page):
    browser.open_page(page, f"{server_url}/journey")
    _wait_for_chart(page, "journey")
    assert _bold_stage(page) == "1. Customer problem"
    assert "Stage 1 of 7: Customer problem" in _details(page, "journey")

    page.get_by_role("button", name="Next").click()
    _settle(page)
    assert _bold_stage(page) == "2. Specification"
    assert "Stage 2 of 7: Specification" in _details(page, "journey")

    _click_in_chart(page, _stage_markers(page).nth(1 + 3))  # stage 4, in the chart
    page.wait_for_function(
        "() => document.querySelector('.st-key-journey_details').innerText.includes('Stage 4 of 7')"
    )
    assert _bold_stage(page) == "4. Implementation"

    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-diagram-journey tspan')]"
        ".some(t => t.style.fontWeight === 'bold' && t.textContent.startsWith('5.'))",
        timeout=15_000,
    )
    page.wait_for_function(
        "() => document.querySelector('.st-key-journey_details').innerText"
        ".includes('Stage 5 of 7: Verification')"
    )
    page.get_by_role("button", name="Pause").click()
    _settle(page)
    assert page.get_by_role("button", name="Play").count() == 1


def test_highlighting_a_role_greys_out_the_stages_it_takes_no_part_in(server_url, page):
    browser.open_page(page, f"{server_url}/journey")
    _wait_for_chart(page, "journey")
    first_stage = _stage_markers(page).nth(1)
    assert GREY not in first_stage.get_attribute("style")
    page.locator(".st-key-journey_role").get_by_text("QA", exact=True).click()
    _settle(page)
    assert "QA leads 1 stage (Verification)" in _details(page, "journey")
    assert GREY in _stage_markers(page).nth(1).get_attribute("style")  # PM's customer problem
    assert GREY not in _stage_markers(page).nth(5).get_attribute("style")  # QA's verification
    assert browser.axe_violations(page) == []


def test_the_role_filter_changes_the_matrix(server_url, page):
    browser.open_page(page, f"{server_url}/who-owns-what")
    _wait_for_chart(page, "matrix")
    assert _matrix_rows(page) == 14
    page.locator(".st-key-matrix_role").get_by_text("Data Scientist", exact=True).click()
    _settle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-diagram-matrix .ytick').length < 14"
    )
    rows = _matrix_rows(page)
    assert 0 < rows < 14
    assert page.get_by_text(f"Showing the {rows} activities of 14").count() == 1
    assert browser.axe_violations(page) == []


def test_a_box_of_the_debt_figure_tells_its_owner_and_debt(server_url, page):
    browser.open_page(page, f"{server_url}/hidden-technical-debt")
    _wait_for_chart(page, "debt")
    labels = page.locator(".st-key-diagram-debt .textpoint text")
    assert labels.count() == 9  # every box but ML Code, which is labelled under the figure
    assert "ML Code" in page.locator(".st-key-diagram-debt .annotation-text").text_content()
    page.get_by_text("Colour the boxes by owning role").click()
    _settle(page)
    monitoring = page.locator(".st-key-diagram-debt .textpoint", has_text="Monitoring")
    _click_in_chart(page, monitoring)
    page.wait_for_function(
        "() => document.querySelector('.st-key-debt_details')?.innerText.includes('Monitoring')"
    )
    details = _details(page, "debt")
    assert "Usually owned by: Dev Team" in details and "Feedback loops" in details
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
