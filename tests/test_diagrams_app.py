"""The three diagram pages and the role pages' diagrams, run with AppTest."""

from __future__ import annotations

import pytest
import yaml

from tests.apptest import open_app, open_url


@pytest.fixture(scope="module")
def app():
    return open_app()


def _markdown(at) -> str:
    return "\n".join(element.value for element in at.markdown)


def _charts(at) -> int:
    return len(at.get("plotly_chart"))


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("journey", "The journey of a feature"),
        ("hidden-technical-debt", "Hidden technical debt in ML systems"),
        ("who-owns-what", "Who owns what"),
    ],
)
def test_each_diagram_page_runs_with_its_chart_and_its_text_alternative(app, url, title):
    at = open_url(app, url)
    assert not at.exception
    assert at.title[0].value == title
    assert _charts(at) == 1
    assert "**The chart in words**" in _markdown(at)


def test_stepping_through_the_journey_changes_the_stage_described(app):
    at = open_url(app, "journey")
    assert at.button(key="journey_previous").disabled
    assert "Stage 1 of 7: Customer problem" in _markdown(at)
    at.button(key="journey_next").click().run()
    assert at.selectbox(key="journey_stage").value == "specify"
    assert "Stage 2 of 7: Specification" in _markdown(at)
    at.button(key="journey_previous").click().run()
    assert "Stage 1 of 7: Customer problem" in _markdown(at)
    at.selectbox(key="journey_stage").set_value("verify").run()
    text = _markdown(at)
    assert "Stage 5 of 7: Verification" in text and "QA finds a defect" in text


def test_play_turns_into_pause_and_back(app):
    at = open_url(app, "journey")
    at.button(key="journey_play").click().run()
    assert at.session_state["journey_playing"]
    assert at.button(key="journey_play").label == "Pause"
    at.button(key="journey_play").click().run()
    assert not at.session_state["journey_playing"]
    assert at.button(key="journey_play").label == "Play"


def test_highlighting_a_role_says_where_it_takes_part(app):
    at = open_url(app, "journey")
    at.radio(key="journey_role").set_value("qa").run()
    assert "QA leads 1 stage (Verification)" in _markdown(at)


def test_picking_a_box_tells_what_it_is_who_owns_it_and_its_debt(app):
    at = open_url(app, "hidden-technical-debt")
    text = _markdown(at)
    assert "0.8% of the area" in text
    assert any("Sculley" in caption.value for caption in at.caption)
    at.selectbox(key="debt_box").set_value("configuration").run()
    at.toggle(key="debt_by_role").set_value(True).run()
    text = _markdown(at)
    assert "#### Configuration" in text
    assert "**Usually owned by:** Dev Team" in text and "Configuration debt" in text
    assert not at.exception


def test_the_role_filter_narrows_the_matrix(app):
    at = open_url(app, "who-owns-what")
    assert any("Showing 14 of 14 activities" in c.value for c in at.caption)
    at.radio(key="matrix_role").set_value("qa").run()
    assert any("Showing the 4 activities of 14 where QA leads" in c.value for c in at.caption)
    assert "Explore the data" not in _markdown(at)
    at.multiselect(key="matrix_activities").select("deploy").run()
    assert any("Showing the 0 activities" in c.value for c in at.caption)
    assert _charts(at) == 0
    assert "No activity matches this filter." in _markdown(at)


def test_a_role_page_shows_its_journey_and_what_it_owns(app):
    at = open_url(app, "data-scientist")
    assert not at.exception
    text = _markdown(at)
    assert "The Data Scientist leads 1 stage (Exploration and model)" in text
    assert any("where the Data Scientist leads" in c.value for c in at.caption)
    assert _charts(at) == 2


def test_a_broken_matrix_leaves_a_message_and_the_other_diagrams_work(monkeypatch, content_copy):
    path = content_copy / "responsibilities.yaml"
    data = yaml.safe_load(path.read_text())
    for activity in data["activities"]:
        activity["roles"] = {name: "informed" for name in activity["roles"]}
    path.write_text(yaml.safe_dump(data))
    at = open_url(open_app(monkeypatch, content_copy), "who-owns-what")
    assert not at.exception
    assert any("content/responsibilities.yaml" in info.value for info in at.info)
    assert "activities[0].roles" in at.code[0].value
    at = open_url(at, "journey")
    assert not at.exception and _charts(at) == 1
