"""The three diagram pages and the role pages' diagrams, run with AppTest.

Every number and name expected here comes from the loaded content; the tests
run on the shipped content and on a copy grown by one stage, activity and box.
"""

from __future__ import annotations

import pytest
import yaml

from teamroles.content.site import load_site
from teamroles.figures.journey import involvement, loops_out_of
from tests.apptest import open_app, open_url


@pytest.fixture(scope="module")
def site(on_content):
    return load_site(on_content)


@pytest.fixture(scope="module")
def app(on_content):
    return open_app()


def _markdown(at) -> str:
    return "\n".join(element.value for element in at.main.markdown)


def _captions(at) -> str:
    return "\n".join(element.value for element in at.main.caption)


def _charts(at) -> int:
    return len(at.get("plotly_chart"))


def _in_words(at) -> str:
    """The text alternative: everything after the 'The chart in words' label."""
    label = "**The chart in words**"
    values = [element.value for element in at.main.markdown]
    start = next(i for i, value in enumerate(values) if value.startswith(label))
    return "\n".join([values[start].removeprefix(label), *values[start + 1 :]])


def test_the_journey_page_shows_its_chart_and_every_stage_in_words(app, site):
    at = open_url(app, "journey")
    assert not at.exception
    assert at.title[0].value == site.workflow.title
    assert _charts(at) == 1
    words = _in_words(at)
    lines = words.splitlines()
    for number, stage in enumerate(site.workflow.stages, start=1):
        [line] = [line for line in lines if line.startswith(f"{number}. **{stage.title}")]
        assert site.roles.find(stage.lead).title in line
        assert stage.artifact.lower() in line.lower()
    for loop in site.workflow.loops:
        [line] = [line for line in lines if loop.trigger in line]
        assert site.workflow.stage(loop.to_stage).title in line


def test_the_debt_page_shows_its_chart_the_ml_code_share_and_every_box_in_words(app, site):
    figure = site.debt_figure
    at = open_url(app, "hidden-technical-debt")
    assert not at.exception
    assert at.title[0].value == figure.title
    assert _charts(at) == 1
    share = f"{figure.ml_code_share * 100:.1f}%"
    boxes = f"all {len(figure.boxes)} boxes"
    headline = next(m.value for m in at.main.markdown if boxes in m.value)
    assert share in headline
    assert "Sculley" in _captions(at)
    words = _in_words(at)
    for box in figure.boxes:
        assert box.label in words
    # The ML Code share is written the same way in the headline and in the list.
    [ml_line] = [line for line in words.splitlines() if f"**{figure.ml_code.label}**" in line]
    assert share in ml_line
    assert at.selectbox(key="debt_box").options == [box.label for box in figure.boxes]


def test_the_matrix_page_shows_its_chart_and_every_activity_in_words(app, site):
    matrix = site.responsibilities
    at = open_url(app, "who-owns-what")
    assert not at.exception
    assert at.title[0].value == matrix.title
    assert _charts(at) == 1
    total = len(matrix.activities)
    assert f"Showing {total} of {total} activities" in _captions(at)
    lines = _in_words(at).splitlines()
    for activity in matrix.activities:
        lead = site.roles.get(activity.lead)
        [line] = [line for line in lines if line.startswith(f"- **{activity.title}")]
        assert f"{lead.title} leads" in line


def test_stepping_through_the_journey_changes_the_stage_described(app, site):
    stages = site.workflow.stages
    total = len(stages)
    at = open_url(app, "journey")
    assert at.button(key="journey_previous").disabled
    assert f"Stage 1 of {total}: {stages[0].title}" in _markdown(at)
    at.button(key="journey_next").click().run()
    assert at.selectbox(key="journey_stage").value == stages[1].id
    assert f"Stage 2 of {total}: {stages[1].title}" in _markdown(at)
    at.button(key="journey_previous").click().run()
    assert f"Stage 1 of {total}: {stages[0].title}" in _markdown(at)
    number, stage = next(
        (i, s) for i, s in enumerate(stages, 1) if loops_out_of(site.workflow, s.id)
    )
    at.selectbox(key="journey_stage").set_value(stage.id).run()
    text = _markdown(at)
    assert f"Stage {number} of {total}: {stage.title}" in text
    for loop in loops_out_of(site.workflow, stage.id):
        assert loop.trigger in text
    at.selectbox(key="journey_stage").set_value(stages[-1].id).run()
    assert at.button(key="journey_next").disabled
    assert f"Stage {total} of {total}: {stages[-1].title}" in _markdown(at)


def test_play_turns_into_pause_and_back(app):
    at = open_url(app, "journey")
    at.button(key="journey_play").click().run()
    assert at.session_state["journey_playing"]
    assert at.button(key="journey_play").label == "Pause"
    at.button(key="journey_play").click().run()
    assert not at.session_state["journey_playing"]
    assert at.button(key="journey_play").label == "Play"


def test_highlighting_a_role_says_where_it_leads_and_contributes(app, site):
    at = open_url(app, "journey")
    for role in site.roles:
        at.radio(key="journey_role").set_value(role.id).run()
        details = at.main.get("markdown")
        sentence = next(m.value for m in details if m.value.startswith(("The ", role.title)))
        leads = [
            s.title for s in site.workflow.stages if involvement(s, site.roles, role.id) == "lead"
        ]
        helps = [
            s.title
            for s in site.workflow.stages
            if involvement(s, site.roles, role.id) == "contributes"
        ]
        if leads:
            assert f"leads {len(leads)} stage" in sentence
        if helps:
            assert f"contributes to {len(helps)} stage" in sentence
        for title in leads + helps:
            assert title in sentence


def test_picking_a_box_tells_what_it_is_who_owns_it_and_its_debt(app, site):
    figure = site.debt_figure
    box = max((b for b in figure.boxes if not b.is_ml_code), key=lambda b: b.area)
    at = open_url(app, "hidden-technical-debt")
    at.selectbox(key="debt_box").set_value(box.id).run()
    at.toggle(key="debt_by_role").set_value(True).run()
    assert not at.exception
    text = _markdown(at)
    assert f"#### {box.label}" in text
    assert f"**Usually owned by:** {site.roles.get(box.owner).title}" in text
    for debt in box.prone_to:
        assert debt in text
    assert box.why in text


def _scroll_scripts(at) -> list[str]:
    """The scripts that bring the box's description into view (drawn with st.html)."""
    return [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]


def test_picking_a_box_brings_its_description_into_view_once(app, site):
    """On a phone the description sits under a tall chart: the choice scrolls to it, and
    a later rerun (the colour toggle) leaves the page where the reader put it."""
    figure = site.debt_figure
    first, second = figure.boxes[0], figure.boxes[1]
    at = open_url(app, "hidden-technical-debt")
    assert _scroll_scripts(at) == []
    at.selectbox(key="debt_box").set_value(first.id).run()
    [script] = _scroll_scripts(at)
    assert ".st-key-debt_details" in script and 'block: "nearest"' in script
    at.toggle(key="debt_by_role").set_value(not at.toggle(key="debt_by_role").value).run()
    assert f"#### {first.label}" in _markdown(at)
    assert _scroll_scripts(at) == []
    at.selectbox(key="debt_box").set_value(second.id).run()
    [again] = _scroll_scripts(at)
    assert again != script, "a new script, so the browser runs it again"


def test_the_role_filter_narrows_the_matrix(app, site):
    matrix = site.responsibilities
    total = len(matrix.activities)
    at = open_url(app, "who-owns-what")
    role = min(site.roles, key=lambda r: sum(a.level(r.id) is not None for a in matrix.activities))
    involved = [a for a in matrix.activities if a.level(role.id) in ("lead", "contributes")]
    leads = [a for a in involved if a.level(role.id) == "lead"]
    outside = [a for a in matrix.activities if a not in involved]
    assert outside, "some activity must have no part for the least involved role"
    at.radio(key="matrix_role").set_value(role.id).run()
    caption = _captions(at)
    assert f"{len(involved)} activit" in caption and f"of {total} where" in caption
    assert f"leads ({len(leads)}) or contributes ({len(involved) - len(leads)})" in caption
    words = _in_words(at)
    for activity in involved:
        assert f"**{activity.title}.**" in words
    for activity in outside:
        assert f"**{activity.title}" not in words
    at.multiselect(key="matrix_activities").select(outside[0].id).run()
    assert "Showing the 0 activities" in _captions(at)
    assert _charts(at) == 0
    assert "No activity matches this filter." in _markdown(at)


def test_a_role_page_shows_its_journey_and_what_it_owns(app, site):
    for role in site.roles:
        at = open_url(app, role.id)
        assert not at.exception
        text = _markdown(at)
        for stage in site.workflow.stages:
            if involvement(stage, site.roles, role.id) == "lead":
                assert stage.title in text
        matrix = site.responsibilities
        in_matrix = any(a.level(role.id) in ("lead", "contributes") for a in matrix.activities)
        if in_matrix:
            assert f"where {role.title if role.title.isupper() else 'the ' + role.title} leads" in (
                _captions(at)
            )
        assert _charts(at) == 1 + in_matrix  # the journey, and the matrix if the role is in it
        # Still charts on a role page; the pages with the controls are one click away.
        links = [link.proto.label for link in at.main.get("page_link")]
        assert any(label.startswith("Step through the journey") for label in links), links
        assert any(label.startswith("Who owns what") for label in links), links


def test_a_broken_matrix_leaves_a_message_and_the_other_diagrams_work(monkeypatch, content_copy):
    path = content_copy / "responsibilities.yaml"
    data = yaml.safe_load(path.read_text())
    for activity in data["activities"]:
        activity["roles"] = {name: "informed" for name in activity["roles"]}
    path.write_text(yaml.safe_dump(data))
    site = load_site(content_copy)
    at = open_url(open_app(monkeypatch, content_copy), "who-owns-what")
    assert not at.exception
    assert any(site.path_of("responsibilities.yaml") in info.value for info in at.info)
    assert "activities[0].roles" in at.code[0].value
    at = open_url(at, "journey")
    assert not at.exception and _charts(at) == 1
