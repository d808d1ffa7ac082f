"""Every page through AppTest: it runs, shows what its content file says, and links on.

Expectations come from the loaded content (`load_site`), never from copies of
it, and the page tests that count things run on the shipped content and on a
copy grown by one of each thing (the `on_content` fixture).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teamroles.content import role_page
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.markdown_files import slugify
from teamroles.content.roles import Role
from teamroles.content.site import load_site
from teamroles.navigation import SECTION_INVITATIONS, first_page_of_each_section, site_pages
from tests.apptest import open_app, open_url

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = load_site(ROOT / "content")


def link_labels(at) -> list[str]:
    return [link.label for link in at.get("page_link")]


def main_links(at) -> list[str]:
    """Links in the page body, not the sidebar."""
    return [link.label for link in at.main.get("page_link")]


def markdown(at) -> str:
    return "\n".join(element.value for element in at.main.markdown)


def headings(at) -> dict[str, str]:
    """anchor -> text of every heading on the page: headers, subheaders and the
    headings inside Markdown (the browser gives those the anchor `slugify` computes)."""
    found = {}
    for element in [*at.header, *at.subheader]:
        found[element.proto.anchor] = element.value
    for element in at.main.markdown:
        for line in element.value.splitlines():
            if heading := re.match(r"#{1,6} (.+)", line):
                found[slugify(heading[1])] = heading[1]
    return found


def test_every_page_runs_and_shows_its_title(on_content):
    at = open_app()
    assert not at.warning, "the content must have no problems"
    for spec in site_pages(load_site(on_content)):
        open_url(at, spec.url_path)
        assert not at.exception, (spec.url_path, [e.value for e in at.exception])
        assert spec.title in at.title[0].value


def test_each_page_links_to_the_previous_and_next_in_reading_order(on_content):
    pages = site_pages(load_site(on_content))
    at = open_app()
    for i, spec in enumerate(pages):
        labels = main_links(open_url(at, spec.url_path))
        previous = [label for label in labels if label.startswith("Previous:")]
        following = [label for label in labels if label.startswith("Next:")]
        assert previous == ([f"Previous: {pages[i - 1].title}"] if i > 0 else [])
        assert following == ([f"Next: {pages[i + 1].title}"] if i + 1 < len(pages) else [])


# ---------------------------------------------------------------- home


def test_the_shipped_home_page_has_its_file():
    """Without home.md the home page loses its introduction (and the check says so)."""
    assert SHIPPED.home is not None


def test_home_shows_its_file_the_roles_the_journey_and_where_to_go_next(on_content):
    site = load_site(on_content)
    at = open_app()
    assert at.title[0].value == site.home.title
    text = markdown(at)
    assert f"**{site.home.summary}**" in text
    assert site.home.body in text
    cards = headings(at).values()
    for role in site.roles:
        assert any(role.title in card for card in cards), role.title
        assert role.summary in text
        if role.key_question:
            assert role.key_question in text
        assert f"About the {role.title}" in main_links(at)
    assert site.workflow.summary in text
    for number, stage in enumerate(site.workflow.stages, start=1):
        lead = site.roles.get(stage.lead)
        assert f"{number}. **{stage.title}**: {stage.summary}" in text
        assert f"Led by {lead.title}; hands on: *{stage.artifact}*" in text
    for spec in first_page_of_each_section(site_pages(site)):
        assert f"{SECTION_INVITATIONS[spec.section]}: {spec.title}" in main_links(at)


# ---------------------------------------------------------------- role pages

# Role fields that a reader does not see as text of their own.
NOT_SHOWN = {"id", "order", "icon", "color", "aliases", "source"}


def _role_expectations(role: Role, site) -> dict[str, list[tuple[str, str]]]:
    """For each content field of the role: (where on the page, text) pairs a reader sees."""
    titles = {r.id: r.title for r in site.roles}

    def handoffs(items):
        return [("markdown", f"**{titles[site.roles.get(h.role).id]}**: {h.what}") for h in items]

    return {
        "title": [("title", role.title)],
        "summary": [("markdown", f"**{role.summary}**")],
        "key_question": [("info", role.key_question)] if role.key_question else [],
        "body": [("markdown", role.body)],
        "responsibilities": [("markdown", f"- {item}") for item in role.responsibilities],
        "measured_by": [("markdown", f"- {item}") for item in role.measured_by],
        "concerns": [("markdown", f"- {item}") for item in role.concerns],
        "receives_from": handoffs(role.receives_from),
        "hands_to": handoffs(role.hands_to),
        "specialties": [
            pair for s in role.specialties for pair in (("heading", s.name), ("markdown", s.focus))
        ],
        "misunderstandings": [
            pair
            for m in role.misunderstandings
            for pair in (
                ("markdown", f"**Myth:** {m.myth}"),
                ("markdown", f"**In fact:** {m.fact}"),
            )
        ],
        "related": [("link", titles[site.roles.get(name).id]) for name in role.related],
    }


def test_every_field_of_a_role_file_is_either_checked_or_known_to_be_hidden():
    """A new Role field must be shown on the page and checked below, or listed in NOT_SHOWN."""
    role = next(iter(SHIPPED.roles))
    assert set(_role_expectations(role, SHIPPED)) | NOT_SHOWN == set(Role.model_fields)


@pytest.fixture(scope="module")
def shipped_app():
    return open_app()


@pytest.mark.parametrize("role_id", [role.id for role in SHIPPED.roles])
def test_a_role_page_shows_every_section_of_its_file(shipped_app, role_id):
    role = SHIPPED.roles.get(role_id)
    at = open_url(shipped_app, role_id)
    assert not at.exception
    where = {
        "title": at.title[0].value,
        "markdown": markdown(at),
        "info": " ".join(element.value for element in at.info),
        "heading": list(headings(at).values()),
        "link": main_links(at),
    }
    missing = []
    for field, expected in _role_expectations(role, SHIPPED).items():
        for place, text in expected:
            if text not in where[place]:
                missing.append(f"{field}: {text[:60]!r} not in the page's {place}")
    assert missing == []
    # Each section with content has its heading, at the anchor the quiz links use.
    shown = headings(at)
    for section, _ in role_page.sections(role):
        assert shown.get(section.anchor) == section.heading
    for anchor, heading in role_page.anchors(role).items():
        assert shown.get(anchor) == heading


def test_every_shipped_role_file_fills_the_sections_a_reader_relies_on():
    """Each role page has what it is responsible for, how it is measured, what it
    receives and hands on, and the myths about it."""
    for role in SHIPPED.roles:
        filled = {section.field for section, _ in role_page.sections(role)}
        wanted = {"responsibilities", "measured_by", "receives_from", "hands_to"}
        assert wanted | {"misunderstandings"} <= filled, role.id


# ---------------------------------------------------------------- sidebar, glossary


def test_the_menu_marks_the_pages_this_reader_has_visited():
    roles = list(SHIPPED.roles)
    at = open_app()
    open_url(at, roles[0].id)
    open_url(at, roles[-1].id)
    open_url(at, "glossary")
    # What Streamlit's navigation menu is given (the browser test sees it drawn).
    titles = {path: page.title for path, page in at.session_state["nav"].pages.items()}
    assert titles[roles[0].id] == f"{roles[0].title} ✓"
    assert titles[roles[-1].id] == f"{roles[-1].title} ✓"
    assert titles[roles[1].id] == roles[1].title  # not visited, not marked
    total = len(site_pages(SHIPPED))
    assert any(f"Read 4 of {total} pages" in caption.value for caption in at.sidebar.caption)


def test_the_glossary_shows_every_term_and_search_narrows_them():
    glossary = SHIPPED.glossary
    at = open_url(open_app(), "glossary")
    shown = headings(at)
    assert [heading for heading in shown.values() if heading != glossary.title] == [
        term.term for term in glossary.terms
    ]
    for term in glossary.terms:
        assert shown[term.anchor] == term.term  # where the quiz's links land
    text = markdown(at)
    for term in glossary.terms:
        before_see_also = term.definition.split("See also ")[0]
        assert before_see_also in text
        for name in term.see_also:  # each related term is a link to its heading on the page
            target = next(t for t in glossary.terms if t.term.lower() == name.lower())
            assert f"[{name}](#{target.anchor})" in text
            assert shown[target.anchor] == target.term
    assert any(term.see_also for term in glossary.terms)
    word = glossary.terms[0].term.split()[0]
    at.text_input[0].input(word).run()
    found = list(headings(at).values())
    assert found == [term.term for term in glossary.search(word)]
    assert glossary.terms[0].term in found
    at.text_input[0].input("zzzz no such words").run()
    assert at.info and not headings(at)


# ---------------------------------------------------------------- content changes


def test_a_broken_file_is_named_and_every_other_page_keeps_working(monkeypatch, content_copy):
    path = content_copy / "roles" / "data-scientist.md"
    path.write_text("---\ntitle: DS\n---\nBody\n")
    at = open_app(monkeypatch, content_copy)
    assert not at.exception
    problems = at.code[0].value
    site = load_site(content_copy)
    for problem in site.problems[:10]:
        assert str(problem) in problems
    assert f"{site.path_of('roles/data-scientist.md')}: summary: required field is missing" in (
        problems
    )
    for spec in site_pages(site):
        assert not open_url(at, spec.url_path).exception, spec.url_path
    assert "data-scientist" not in {spec.url_path for spec in site_pages(site)}


def test_deleting_home_md_is_named_and_the_home_page_still_shows_the_roles(
    monkeypatch, content_copy
):
    (content_copy / "home.md").unlink()
    at = open_app(monkeypatch, content_copy)
    assert not at.exception
    assert f"{load_site(content_copy).path_of('home.md')}: (file): " in at.code[0].value
    for role in SHIPPED.roles:
        assert f"About the {role.title}" in main_links(at)


def test_a_new_role_file_appears_as_a_page(monkeypatch, content_copy):
    (content_copy / "roles" / "ux-designer.md").write_text(
        "---\ntitle: UX Designer\nsummary: Makes it usable.\norder: 5\n---\nOwns usability.\n"
    )
    at = open_app(monkeypatch, content_copy)
    menu = {path: page.title for path, page in at.session_state["nav"].pages.items()}
    assert menu["ux-designer"] == "UX Designer"
    assert "About the UX Designer" in link_labels(at)
    at = open_url(at, "ux-designer")
    assert at.title[0].value == "UX Designer"
    assert "**Makes it usable.**" in markdown(at)
    assert "Owns usability." in markdown(at)


def test_open_url_names_the_pages_when_one_does_not_exist():
    at = open_app()
    with pytest.raises(AssertionError, match="no page at /no-such-page"):
        open_url(at, "no-such-page")


# ---------------------------------------------------------------- the worked example


def test_the_example_page_shows_every_stage_and_every_hand_off_document(on_content):
    site = load_site(on_content)
    example = site.example
    at = open_url(open_app(), EXAMPLE_PAGE)
    assert not at.exception
    assert at.title[0].value == example.title
    text = markdown(at)
    shown = headings(at)
    for stage in example.stages:
        assert shown.get(example.anchor(stage)) == example.heading(stage), stage.stage
        assert stage.story in text
        for part in stage.who:
            assert f"**{site.roles.get(part.role).title}**: {part.does}" in text
        for decision in stage.decisions:
            assert decision.decides in text
        for need in stage.needs:
            assert f"**{need.need}**: {need.how}" in text
        for overstep in stage.oversteps:
            assert overstep.cost in text
    # Each document after the stage that hands it on.
    for doc in example.documents:
        assert shown.get(doc.anchor) == doc.title, doc.id
        assert doc.body in text, doc.id
        assert doc.summary in text
    order = [line for line in text.splitlines() if line.startswith(("## ", "#### "))]
    expected = []
    for stage in example.stages:
        expected.append(f"## {example.heading(stage)}")
        expected += [f"#### {example.document(doc_id).title}" for doc_id in stage.hands_on]
    assert [line for line in order if line in expected] == expected
    for case in example.disagreements:
        assert f"**{case.title}.** {case.case}" in text
        assert case.why in text
    # The page's contents link to each stage on the page.
    for stage in example.stages:
        assert f"(#{example.anchor(stage)})" in text


def test_home_journey_and_role_pages_link_to_the_example(on_content):
    site = load_site(on_content)
    example = site.example
    at = open_app()
    assert any(example.feature in label for label in main_links(at)), "home links to it"
    open_url(at, "journey")
    assert any(example.title in label for label in main_links(at))
    # The stage shown first in the journey links to its section of the example.
    first = site.workflow.stages[0]
    assert f"]({example.href(first.id)})" in markdown(at)
    for role in site.roles:
        parts = example.role_parts(role.id, site.roles)
        if not parts:
            continue
        open_url(at, role.id)
        text = markdown(at)
        assert any(h.proto.anchor == "worked-example" for h in at.header), role.id
        for stage, does in parts:
            assert f"(/{EXAMPLE_PAGE}#{example.anchor(stage)}): {does}" in text


def test_without_the_example_its_page_says_so_and_the_others_do_not_link_to_it(
    monkeypatch, content_copy
):
    (content_copy / "example" / "example.yaml").unlink()
    at = open_app(monkeypatch, content_copy)
    assert not any("Follow one feature" in label for label in main_links(at))
    open_url(at, EXAMPLE_PAGE)
    assert not at.exception
    assert any("worked example is not shown" in info.value for info in at.info)
    open_url(at, "journey")
    assert f"/{EXAMPLE_PAGE}#" not in markdown(at)
