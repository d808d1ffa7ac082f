"""Every page through AppTest: it runs, shows its title, and links on in reading order."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamroles.navigation import site_pages
from teamroles.site import load_site
from tests.apptest import open_app, open_url

ROOT = Path(__file__).resolve().parent.parent
PAGES = site_pages(load_site(ROOT / "content"))


def link_labels(at) -> list[str]:
    return [link.label for link in at.get("page_link")]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_every_page_runs_and_shows_its_title(spec):
    at = open_url(open_app(), spec.url_path)
    assert not at.exception
    assert spec.title in at.title[0].value
    assert not at.warning, "the shipped content must have no problems"


def test_home_shows_the_four_roles_and_the_journey():
    at = open_app()
    assert at.title[0].value == "The Team"
    labels = link_labels(at)
    for role in load_site(ROOT / "content").roles:
        assert f"About the {role.title}" in labels
    markdown = " ".join(element.value for element in at.markdown)
    for stage in load_site(ROOT / "content").workflow.stages:
        assert stage.title in markdown


def test_each_page_links_to_the_previous_and_next_in_reading_order():
    at = open_app()
    for i, spec in enumerate(PAGES):
        labels = link_labels(open_url(at, spec.url_path))
        previous = [label for label in labels if label.startswith("Previous:")]
        following = [label for label in labels if label.startswith("Next:")]
        assert previous == ([f"Previous: {PAGES[i - 1].title}"] if i > 0 else [])
        assert following == ([f"Next: {PAGES[i + 1].title}"] if i + 1 < len(PAGES) else [])


def test_the_sidebar_marks_the_pages_this_reader_has_visited():
    at = open_app()
    open_url(at, "product-manager")
    open_url(at, "qa")
    labels = link_labels(at)
    assert "Product Manager ✓" in labels
    assert "QA ✓" in labels
    assert "Data Scientist" in labels  # not visited, not marked
    assert any("Read 3 of" in caption.value for caption in at.sidebar.caption)


def test_the_dev_team_page_shows_its_specialties_and_concerns():
    at = open_url(open_app(), "dev-team")
    subheaders = [element.value for element in at.subheader]
    assert {"Front end", "MLOps", "ML engineer"} <= set(subheaders)
    assert "Concerned with" in [element.value for element in at.header]


def test_glossary_search_narrows_the_terms():
    at = open_url(open_app(), "glossary")
    everything = len(at.subheader)
    at.text_input[0].input("acceptance").run()
    found = [element.value for element in at.subheader]
    assert "Acceptance criteria" in found
    assert 0 < len(found) < everything
    at.text_input[0].input("zzzz").run()
    assert at.info and not at.subheader


def test_a_broken_file_is_named_and_every_other_page_keeps_working(monkeypatch, content_copy):
    (content_copy / "roles" / "data-scientist.md").write_text("---\ntitle: DS\n---\nBody\n")
    at = open_app(monkeypatch, content_copy)
    assert not at.exception
    problems = at.code[0].value
    assert "content/roles/data-scientist.md: summary: required field is missing" in problems
    assert "content/roles/data-scientist.md: order: required field is missing" in problems
    for url_path in ("product-manager", "dev-team", "qa", "glossary"):
        assert not open_url(at, url_path).exception
    assert "Data Scientist" not in link_labels(at)


def test_a_new_role_file_appears_as_a_page(monkeypatch, content_copy):
    (content_copy / "roles" / "ux-designer.md").write_text(
        "---\ntitle: UX Designer\nsummary: Makes it usable.\norder: 5\n---\nOwns usability.\n"
    )
    at = open_app(monkeypatch, content_copy)
    assert "UX Designer" in link_labels(at)
    at = open_url(at, "ux-designer")
    assert at.title[0].value == "UX Designer"
    assert "Makes it usable." in at.markdown[0].value
