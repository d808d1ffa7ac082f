"""The diagram builders (`teamroles.figures`) and their content files, without a running app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import yaml

from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import matrix as matrix_fig
from teamroles.figures import style
from teamroles.site import load_site
from tests.content_variants import as_shipped

PAPER_LABELS = {
    "Configuration",
    "Data Collection",
    "Data Verification",
    "Feature Extraction",
    "ML Code",
    "Machine Resource Management",
    "Analysis Tools",
    "Process Management Tools",
    "Serving Infrastructure",
    "Monitoring",
}


@pytest.fixture(scope="module")
def site():
    loaded = load_site()
    assert loaded.problems == []
    return loaded


def _trace(figure: go.Figure, name: str) -> go.Scatter:
    return next(trace for trace in figure.data if trace.name == name)


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _problems(content: Path) -> list[str]:
    """The problems as they read for the shipped folder (`content/...`)."""
    site = load_site(content)
    return [as_shipped(site, problem) for problem in site.problems]


# ---------------------------------------------------------------- hidden technical debt


def test_debt_figure_has_the_papers_ten_boxes_with_ml_code_the_smallest(site):
    content = site.debt_figure
    figure = debt_fig.debt_figure(content, site.roles)
    box_traces = [trace for trace in figure.data if trace.fill == "toself"]
    assert sorted(trace.name for trace in box_traces) == sorted(box.label for box in content.boxes)
    assert {box.label for box in content.boxes} >= PAPER_LABELS, "every box of the paper is drawn"
    smallest = min(content.boxes, key=lambda box: box.area)
    largest = max(content.boxes, key=lambda box: box.area)
    assert smallest.label == "ML Code" and smallest.is_ml_code
    assert largest.label == "Serving Infrastructure"
    assert content.ml_code_share < 0.01


def test_ml_code_sits_in_the_middle_with_configuration_far_left_and_monitoring_far_right(site):
    content = site.debt_figure
    centre = {box.label: (box.x + box.width / 2) / content.width for box in content.boxes}
    assert 0.3 < centre["ML Code"] < 0.5
    assert centre["Configuration"] == min(centre.values())
    assert centre["Monitoring"] == max(centre.values())


def test_share_sentence_states_the_ml_code_share(site):
    sentence = debt_fig.ml_code_share_sentence(site.debt_figure)
    assert "ML Code" in sentence and "0.8%" in sentence


def test_colouring_by_role_fills_each_box_in_its_owners_colour(site):
    content, roles = site.debt_figure, site.roles
    plain = debt_fig.debt_figure(content, roles, by_role=False)
    coloured = debt_fig.debt_figure(content, roles, by_role=True)
    role_colours = {style.rgba(role.color, 0.4) for role in roles if role.color}
    assert not role_colours & {trace.fillcolor for trace in plain.data}
    configuration = _trace(coloured, "Configuration")
    owner = roles.get(content.box("configuration").owner)
    assert configuration.fillcolor == style.rgba(owner.color, 0.4)
    legend = [trace.name for trace in coloured.data if trace.showlegend is not False]
    assert "Dev Team" in legend and "Data Scientist" in legend


def test_selected_box_gets_a_thicker_outline_and_its_details(site):
    figure = debt_fig.debt_figure(site.debt_figure, site.roles, selected="monitoring")
    assert _trace(figure, "Monitoring").line.width > _trace(figure, "Configuration").line.width
    details = debt_fig.box_details(site.debt_figure, site.roles, "monitoring")
    assert "Dev Team" in details and "Feedback loops" in details


def test_every_box_can_be_clicked_and_hovered(site):
    figure = debt_fig.debt_figure(site.debt_figure, site.roles)
    points = _trace(figure, "boxes")
    assert sorted(points.customdata) == sorted(box.id for box in site.debt_figure.boxes)
    assert all("Usually owned by" in text for text in points.hovertext)


def test_debt_text_names_every_box_with_owner_and_debt(site):
    text = debt_fig.debt_text(site.debt_figure, site.roles)
    for box in site.debt_figure.boxes:
        assert f"**{box.label}**" in text
    assert "Configuration debt" in text


def test_a_box_with_an_unknown_owner_is_reported_and_left_out(content_copy):
    def break_owner(data):
        data["boxes"][2]["owner"] = "Marketing"

    _edit_yaml(content_copy / "hidden_debt.yaml", break_owner)
    site = load_site(content_copy)
    shipped = load_site().debt_figure.boxes
    assert (
        "content/hidden_debt.yaml: boxes[2].owner: unknown role 'Marketing' (no role has this "
        f"id or alias); box '{shipped[2].id}' is left out" in _problems(content_copy)
    )
    assert [box.id for box in site.debt_figure.boxes] == [
        box.id for box in shipped if box is not shipped[2]
    ]
    assert site.workflow is not None and site.responsibilities is not None


def test_two_ml_code_boxes_are_reported(content_copy):
    def second_ml_code(data):
        data["boxes"][0]["is_ml_code"] = True

    _edit_yaml(content_copy / "hidden_debt.yaml", second_ml_code)
    assert (
        "content/hidden_debt.yaml: boxes: exactly one box needs `is_ml_code: true`, found 2: "
        "the figure is hidden" in _problems(content_copy)
    )
    assert load_site(content_copy).debt_figure is None


# ---------------------------------------------------------------- the journey


def test_journey_shows_every_stage_and_every_loop(site):
    workflow = site.workflow
    figure = journey_fig.journey_figure(workflow, site.roles, current=workflow.stages[0].id)
    stages = _trace(figure, "stages")
    assert list(stages.customdata) == [stage.id for stage in workflow.stages]
    labels = _trace(figure, "stage labels")
    assert list(labels.customdata) == list(stages.customdata)
    for stage, text in zip(workflow.stages, labels.text, strict=True):
        assert stage.title in text and stage.artifact.split()[0] in text
    loop_names = {trace.name for trace in figure.data}
    assert {loop.trigger for loop in workflow.loops} <= loop_names
    assert len(workflow.loops) >= 3


def test_the_content_has_the_loops_the_issue_asks_for(site):
    workflow = site.workflow
    pairs = {
        (workflow.stage(loop.from_stage).lead, workflow.stage(loop.to_stage).lead)
        for loop in workflow.loops
    }
    leads = {(site.roles.get(a).id, site.roles.get(b).id) for a, b in pairs}
    assert ("qa", "dev-team") in leads  # QA finds a defect, back to Dev
    assert ("dev-team", "data-scientist") in leads  # monitoring finds drift, back to the DS
    assert ("dev-team", "product-manager") in leads  # customer feedback, back to the PM


def test_stepping_moves_the_bold_title_and_the_ring(site):
    workflow = site.workflow
    first, second = workflow.stages[0], workflow.stages[1]
    one = journey_fig.journey_figure(workflow, site.roles, current=first.id)
    two = journey_fig.journey_figure(workflow, site.roles, current=second.id)
    assert (
        "<b>" in _trace(one, "stage labels").text[0]
        and "<b>" not in _trace(one, "stage labels").text[1]
    )
    assert (
        "<b>" in _trace(two, "stage labels").text[1]
        and "<b>" not in _trace(two, "stage labels").text[0]
    )
    assert _trace(one, "current stage").y != _trace(two, "current stage").y


def test_highlighting_a_role_colours_only_its_stages(site):
    workflow, roles = site.workflow, site.roles
    scientist = roles.get("DS")
    figure = journey_fig.journey_figure(workflow, roles, workflow.stages[0].id, scientist.id)
    markers = _trace(figure, "stages").marker
    for i, stage in enumerate(workflow.stages):
        level = journey_fig.involvement(stage, roles, scientist.id)
        if level is None:
            assert markers.color[i] == style.NEUTRAL and markers.size[i] < 20
        else:
            assert markers.line.color[i] == scientist.color
        assert (markers.symbol[i] == "circle-open") == (level == "contributes")
    sentence = journey_fig.role_in_journey(workflow, roles, scientist.id)
    leads = [s.title for s in workflow.stages if roles.get(s.lead).id == scientist.id]
    assert sentence.startswith(f"The Data Scientist leads {len(leads)} stage")
    assert all(title in sentence for title in leads)


def test_stage_details_tell_who_leads_what_is_handed_on_and_the_loops(site):
    details = journey_fig.stage_details(site.workflow, site.roles, "verify")
    assert "**Leads:** QA" in details
    assert "Test report" in details
    assert "Back to Implementation" in details and "QA finds a defect" in details


def test_journey_text_lists_every_stage_and_loop(site):
    text = journey_fig.journey_text(site.workflow, site.roles)
    for stage in site.workflow.stages:
        assert stage.title in text
    for loop in site.workflow.loops:
        assert loop.trigger in text


def test_a_broken_workflow_names_file_and_field(content_copy):
    def break_it(data):
        data["loops"][0]["to"] = "nowhere"
        del data["stages"][1]["artifact"]

    _edit_yaml(content_copy / "workflow.yaml", break_it)
    problems = _problems(content_copy)
    assert "content/workflow.yaml: stages[1].artifact: required field is missing" in problems
    assert load_site(content_copy).workflow is None

    def only_the_loop(data):
        data["stages"][1]["artifact"] = "Specification"

    _edit_yaml(content_copy / "workflow.yaml", only_the_loop)
    assert (
        "content/workflow.yaml: loops[0].to: unknown stage 'nowhere' (no stage has this id); "
        "this loop is left out" in _problems(content_copy)
    )
    workflow = load_site(content_copy).workflow
    assert len(workflow.loops) == len(load_site().workflow.loops) - 1


# ---------------------------------------------------------------- who owns what


def test_every_activity_has_exactly_one_lead(site):
    matrix = site.responsibilities
    assert len(matrix.activities) >= 10
    for activity in matrix.activities:
        assert list(activity.roles.values()).count("lead") == 1, activity.id


def test_matrix_covers_the_activities_the_issue_names(site):
    titles = {activity.title for activity in site.responsibilities.activities}
    for title in (
        "Define the problem",
        "Write acceptance criteria",
        "Explore the data",
        "Design and validate the model",
        "Build the data pipeline",
        "Implement the feature",
        "Deploy to production",
        "Test against the acceptance criteria",
        "Monitor in production",
        "Decide to ship",
    ):
        assert title in titles


def _lead_points(figure: go.Figure) -> int:
    return sum(len(trace.x) for trace in figure.data if trace.name == "Leads" and trace.x[0])


def test_matrix_figure_has_one_lead_marker_per_row(site):
    matrix = site.responsibilities
    figure = matrix_fig.matrix_figure(matrix, site.roles)
    assert _lead_points(figure) == len(matrix.activities)
    assert len(figure.layout.yaxis.categoryarray) == len(matrix.activities)


def test_role_filter_keeps_the_rows_where_the_role_leads_or_contributes(site):
    matrix, roles = site.responsibilities, site.roles
    figure = matrix_fig.matrix_figure(matrix, roles, role="qa")
    rows = matrix_fig.visible_activities(matrix, "qa")
    assert 0 < len(rows) < len(matrix.activities)
    assert all(activity.level("qa") in ("lead", "contributes") for activity in rows)
    assert len(figure.layout.yaxis.categoryarray) == len(rows)
    caption = matrix_fig.matrix_caption(matrix, roles, "qa")
    assert caption.startswith(f"Showing the {len(rows)} activities of {len(matrix.activities)}")
    text = matrix_fig.matrix_text(matrix, roles, "qa")
    assert "Test against the acceptance criteria" in text and "Explore the data" not in text


def test_activity_filter_keeps_only_the_chosen_rows(site):
    figure = matrix_fig.matrix_figure(site.responsibilities, site.roles, activity_ids=("deploy",))
    assert list(figure.layout.yaxis.categoryarray) == ["Deploy to production"]
    assert "Dev Team" in matrix_fig.matrix_text(
        site.responsibilities, site.roles, None, ("deploy",)
    )


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ({"PM": "lead", "DS": "lead"}, "needs exactly one lead, found 2 (PM, DS)"),
        ({"PM": "contributes", "DS": "informed"}, "needs exactly one lead, found none"),
    ],
)
def test_an_activity_without_exactly_one_lead_is_rejected(content_copy, roles, message):
    def set_roles(data):
        data["activities"][0]["roles"] = roles

    _edit_yaml(content_copy / "responsibilities.yaml", set_roles)
    site = load_site(content_copy)
    assert (
        f"content/responsibilities.yaml: activities[0].roles: 'Define the problem' {message}; "
        "activity 'define-problem' is left out" in _problems(content_copy)
    )
    kept = [activity.id for activity in site.responsibilities.activities]
    assert "define-problem" not in kept and "deploy" in kept


def test_an_unknown_role_or_level_in_the_matrix_names_the_field(content_copy):
    def break_it(data):
        data["activities"][1]["roles"]["Sales"] = "informed"
        data["activities"][2]["roles"]["QA"] = "approves"

    _edit_yaml(content_copy / "responsibilities.yaml", break_it)
    problems = _problems(content_copy)
    assert any(
        p.startswith("content/responsibilities.yaml: activities[2].roles.QA:") for p in problems
    )
    assert load_site(content_copy).responsibilities is None

    def only_the_role(data):
        data["activities"][2]["roles"]["QA"] = "contributes"

    _edit_yaml(content_copy / "responsibilities.yaml", only_the_role)
    assert (
        "content/responsibilities.yaml: activities[1].roles.Sales: "
        "unknown role 'Sales' (no role has this id or alias); this entry is left out"
        in _problems(content_copy)
    )
    shipped = load_site().responsibilities.activities
    assert load_site(content_copy).responsibilities.activities == shipped


def test_a_yaml_syntax_error_names_the_file_and_line(content_copy):
    path = content_copy / "responsibilities.yaml"
    path.write_text(path.read_text().replace("title: Who owns what", "title: [Who owns what"))
    problems = _problems(content_copy)
    assert any(
        p.startswith("content/responsibilities.yaml: yaml: YAML does not parse at line")
        for p in problems
    )


# ---------------------------------------------------------------- the package


def test_the_figures_package_never_imports_streamlit():
    """In a fresh interpreter: this test process has Streamlit loaded already."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import teamroles.figures as package\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        "    importlib.import_module(f'teamroles.figures.{module.name}')\n"
        "sys.exit('streamlit' in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_a_finished_figure_sends_the_browser_exactly_what_the_figure_holds(site):
    """The app serialises cached figures once (style.finished); the chart must not change."""
    figures = [
        journey_fig.journey_figure(site.workflow, site.roles, site.workflow.stages[-1].id, None),
        debt_fig.debt_figure(site.debt_figure, site.roles, True, site.debt_figure.boxes[0].id),
        matrix_fig.matrix_figure(site.responsibilities, site.roles, None, ()),
    ]
    for figure in figures:
        finished = style.finished(figure)
        sent = json.loads(pio.to_json(finished, validate=False))
        assert sent == json.loads(pio.to_json(figure, validate=False))
        assert json.loads(pio.to_json(finished, validate=False)) == sent  # and again
