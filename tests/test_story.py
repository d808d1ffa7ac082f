"""One story of who does what: the journey agrees with the who-owns-what matrix.

`python -m teamroles check` refuses a journey stage whose lead leads none of the
stage's activities in responsibilities.yaml, a contributor who takes part in none of
them, and an activity that does not exist. Each refusal names the file and field and
leaves out the smallest unit, so the rest of the journey is still shown.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from teamroles.content.site import load_site


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _problems(site, field_start: str) -> list:
    return [p for p in site.problems if p.field.startswith(field_start)]


def _stage_with_activities(site):
    """The first journey stage that names activities, with its index."""
    return next((i, s) for i, s in enumerate(site.workflow.stages) if s.activities)


def test_the_shipped_journey_names_activities_and_agrees_with_the_matrix():
    site = load_site()
    assert site.problems == []
    matrix = site.responsibilities
    for stage in site.workflow.stages:
        lead = site.roles.get(stage.lead).id
        if stage.activities:
            assert any(matrix.disagreement(a, lead, "lead") is None for a in stage.activities)


def test_check_refuses_a_stage_whose_lead_leads_none_of_its_activities(content_copy):
    site = load_site(content_copy)
    i, stage = _stage_with_activities(site)
    matrix = site.responsibilities
    # An activity this stage's lead does not lead: the journey now contradicts the matrix.
    lead = site.roles.get(stage.lead).id
    other = next(a for a in matrix.activities if a.lead != lead)
    _edit(content_copy / "workflow.yaml", lambda d: d["stages"][i].update(activities=[other.id]))
    broken = load_site(content_copy)
    [problem] = _problems(broken, f"stages[{i}].activities")
    assert problem.path.endswith("workflow.yaml")
    assert stage.lead in problem.message and other.id in problem.message
    # The stage stays in the journey; only its contradicting activities are left out.
    assert broken.workflow.stage(stage.id).activities == []


def test_check_refuses_a_contributor_who_takes_part_in_none_of_the_stages_activities(content_copy):
    site = load_site(content_copy)
    matrix = site.responsibilities
    # A stage and a role that takes no part (informed or absent) in any of its activities.
    for i, stage in enumerate(site.workflow.stages):  # noqa: B007 (used after the loop)
        outsiders = [
            role.id
            for role in site.roles
            if role.id != site.roles.get(stage.lead).id
            and stage.activities
            and all(matrix.disagreement(a, role.id, "takes part") for a in stage.activities)
        ]
        if outsiders:
            break
    else:
        raise AssertionError("every role takes part in every stage: no outsider to add")
    _edit(
        content_copy / "workflow.yaml",
        lambda d: d["stages"][i].update(
            contributors=[*d["stages"][i]["contributors"], outsiders[0]]
        ),
    )
    broken = load_site(content_copy)
    [problem] = _problems(broken, f"stages[{i}].contributors")
    assert outsiders[0] in problem.message and "left out" in problem.message
    kept = broken.workflow.stage(stage.id).contributors
    assert outsiders[0] not in kept and kept == stage.contributors


def test_check_names_an_unknown_activity_and_the_ones_that_exist(content_copy):
    site = load_site(content_copy)
    i, stage = _stage_with_activities(site)
    _edit(
        content_copy / "workflow.yaml",
        lambda d: d["stages"][i].update(activities=[*stage.activities, "astrology"]),
    )
    broken = load_site(content_copy)
    [problem] = _problems(broken, f"stages[{i}].activities[")
    assert "unknown activity 'astrology'" in problem.message
    assert site.responsibilities.activities[0].id in problem.message
    assert broken.workflow.stage(stage.id).activities == stage.activities


def test_a_stage_naming_an_activity_left_out_of_the_matrix_points_at_the_cause(content_copy):
    site = load_site(content_copy)
    i, stage = _stage_with_activities(site)
    first = stage.activities[0]
    row = next(j for j, a in enumerate(site.responsibilities.activities) if a.id == first)
    # Two leads: the matrix leaves the row out, and the journey's reference says why.
    _edit(
        content_copy / "responsibilities.yaml",
        lambda d: d["activities"][row].update(roles={r.id: "lead" for r in site.roles}),
    )
    broken = load_site(content_copy)
    messages = [p.message for p in _problems(broken, f"stages[{i}].activities")]
    assert any(f"(see {broken.path_of('responsibilities.yaml')}" in m for m in messages), messages


def test_disagreement_words_each_part():
    matrix = load_site().responsibilities
    activity = matrix.activities[0]
    informed = next((r for r, level in activity.roles.items() if level == "informed"), None)
    assert matrix.disagreement(activity.id, activity.lead, "lead") is None
    assert matrix.disagreement(activity.id, activity.lead, "takes part") is None
    if informed:
        assert "only informed" in matrix.disagreement(activity.id, informed, "takes part")
        assert f"led by {activity.lead}" in matrix.disagreement(activity.id, informed, "lead")
