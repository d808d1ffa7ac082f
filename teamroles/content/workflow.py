"""The journey of a feature, stage by stage, from `content/workflow.yaml`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from teamroles.content.model import ID_PATTERN, ContentModel, by_id
from teamroles.content.problems import (
    FirstUse,
    Problem,
    duplicate_id,
    known_roles,
    read_yaml_mapping,
    unknown_role,
    validate_file,
)
from teamroles.content.responsibilities import Responsibilities
from teamroles.content.roles import RoleIndex


class Stage(ContentModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    contributors: list[str] = []
    artifact: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    details: str = Field(min_length=1)
    # Ids of responsibilities.yaml's activities done at this stage. The lead must lead one
    # of them and each contributor take part in one: the journey and the matrix agree.
    activities: list[str] = []


class Loop(ContentModel):
    """A way back: a later stage sends the work to an earlier one."""

    id: str = Field(pattern=ID_PATTERN)
    from_stage: str = Field(alias="from", min_length=1)
    to_stage: str = Field(alias="to", min_length=1)
    # What sends the work back, as the text says it: "QA finds a defect".
    trigger: str = Field(min_length=1)
    # The words on the loop's arrow in the figure, a word or two: "Defect".
    label: str | None = Field(default=None, min_length=1, max_length=24)
    description: str = Field(min_length=1)

    @property
    def arrow_label(self) -> str:
        return self.label or self.trigger


class Workflow(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    stages: list[Stage] = Field(min_length=2)
    loops: list[Loop] = []
    source: str

    def stage(self, stage_id: str) -> Stage:
        return by_id(self.stages, stage_id, "stage")


def load_workflow(
    content_dir: Path, roles: RoleIndex, matrix: Responsibilities | None = None
) -> tuple[Workflow | None, list[Problem]]:
    """The journey, leaving out each stage, contributor or loop with a bad reference, and
    each contributor or activity that contradicts the who-owns-what matrix."""
    workflow, problems = validate_file(content_dir / "workflow.yaml", Workflow, read_yaml_mapping)
    if workflow is None:
        return None, problems
    path = workflow.source
    stages: list[Stage] = []
    stage_ids = FirstUse()
    for i, stage in enumerate(workflow.stages):
        where = f"stages[{i}]"
        left_out = f"stage '{stage.id}'"
        first = stage_ids.claim(stage.id, where)
        if first:
            problems.append(duplicate_id(path, f"{where}.id", stage.id, first, left_out))
            continue
        if roles.find(stage.lead) is None:
            problems.append(unknown_role(path, f"{where}.lead", stage.lead, roles, left_out))
            continue
        field = f"{where}.contributors"
        contributors = known_roles(path, field, stage.contributors, roles, problems)
        stage = stage.model_copy(update={"contributors": contributors})
        stages.append(_agreeing(path, where, stage, roles, matrix, problems))
    kept = {stage.id for stage in stages}
    loops = []
    for i, loop in enumerate(workflow.loops):
        bad = [
            Problem(path, f"loops[{i}].{field}", _unknown_stage(stage_id, stage_ids, kept))
            for field, stage_id in (("from", loop.from_stage), ("to", loop.to_stage))
            if stage_id not in kept
        ]
        problems += bad
        if not bad:
            loops.append(loop)
    if not stages:
        problems.append(Problem(path, "stages", "no valid stage left: the journey is hidden"))
        return None, problems
    return workflow.model_copy(update={"stages": stages, "loops": loops}), problems


def _agreeing(
    path: str,
    where: str,
    stage: Stage,
    roles: RoleIndex,
    matrix: Responsibilities | None,
    problems: list[Problem],
) -> Stage:
    """The stage, agreeing with the matrix: an unknown activity, or every activity when
    the stage's lead leads none of them, is left out; so is a contributor who takes part
    in none of them. Nothing is checked without the matrix or without activities."""
    if matrix is None or not stage.activities:
        return stage
    activities = []
    for i, activity_id in enumerate(stage.activities):
        if activity_id not in {a.id for a in matrix.activities}:
            message = matrix.disagreement(activity_id, "", "lead")
            problems.append(
                Problem(path, f"{where}.activities[{i}]", f"{message}; this entry is left out")
            )
        else:
            activities.append(activity_id)
    lead = roles.find(stage.lead).id
    if activities and all(matrix.disagreement(a, lead, "lead") for a in activities):
        message = (
            f"{stage.lead} leads this stage but, in responsibilities.yaml, none of its "
            f"activities ({', '.join(activities)}); the stage's activities are left out"
        )
        problems.append(Problem(path, f"{where}.activities", message))
        return stage.model_copy(update={"activities": []})
    contributors = []
    for i, name in enumerate(stage.contributors):
        role_id = roles.find(name).id
        if activities and all(matrix.disagreement(a, role_id, "takes part") for a in activities):
            message = (
                f"in responsibilities.yaml, {name} takes part in none of this stage's "
                f"activities ({', '.join(activities)}); this contributor is left out"
            )
            problems.append(Problem(path, f"{where}.contributors[{i}]", message))
        else:
            contributors.append(name)
    return stage.model_copy(update={"activities": activities, "contributors": contributors})


def _unknown_stage(stage_id: str, stage_ids: FirstUse, kept: set[str]) -> str:
    where = stage_ids.where(stage_id)
    if where and stage_id not in kept:
        return f"stage '{stage_id}' is not available (see {where}); this loop is left out"
    return f"unknown stage '{stage_id}' (no stage has this id); this loop is left out"
