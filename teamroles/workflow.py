"""The journey of a feature, stage by stage, from `content/workflow.yaml`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from teamroles.content_model import ID_PATTERN, ContentModel
from teamroles.problems import Problem, read_yaml_mapping, validate_file
from teamroles.roles import RoleIndex


class Stage(ContentModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    contributors: list[str] = []
    artifact: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    details: str = Field(min_length=1)


class Loop(ContentModel):
    """A way back: a later stage sends the work to an earlier one."""

    id: str = Field(pattern=ID_PATTERN)
    from_stage: str = Field(alias="from", min_length=1)
    to_stage: str = Field(alias="to", min_length=1)
    trigger: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Workflow(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    stages: list[Stage] = Field(min_length=2)
    loops: list[Loop] = []
    source: str

    def stage(self, stage_id: str) -> Stage:
        return next(stage for stage in self.stages if stage.id == stage_id)


def load_workflow(content_dir: Path, roles: RoleIndex) -> tuple[Workflow | None, list[Problem]]:
    workflow, problems = validate_file(
        content_dir / "workflow.yaml", content_dir, Workflow, read_yaml_mapping
    )
    if workflow is None:
        return None, problems
    problems = _reference_problems(workflow, roles)
    return (None if problems else workflow), problems


def _reference_problems(workflow: Workflow, roles: RoleIndex) -> list[Problem]:
    problems = []
    stage_ids: set[str] = set()
    for i, stage in enumerate(workflow.stages):
        if stage.id in stage_ids:
            problems.append(
                Problem(workflow.source, f"stages[{i}].id", f"'{stage.id}' is used twice")
            )
        stage_ids.add(stage.id)
        names = [("lead", stage.lead)] + [
            (f"contributors[{j}]", name) for j, name in enumerate(stage.contributors)
        ]
        for field, name in names:
            if roles.find(name) is None:
                problems.append(
                    Problem(workflow.source, f"stages[{i}].{field}", roles.unknown(name))
                )
    for i, loop in enumerate(workflow.loops):
        for field, stage_id in (("from", loop.from_stage), ("to", loop.to_stage)):
            if stage_id not in stage_ids:
                problems.append(
                    Problem(workflow.source, f"loops[{i}].{field}", f"unknown stage '{stage_id}'")
                )
    return problems
