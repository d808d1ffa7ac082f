"""Who owns what: activities against roles, from `content/responsibilities.yaml`.

Each activity maps roles (id or alias) to a level: lead, contributes or informed.
A role left out takes no part. Every activity has exactly one lead; an activity
that breaks a rule is reported and left out, the others are still shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from teamroles.content_model import ID_PATTERN, ContentModel
from teamroles.problems import Problem, read_yaml_mapping, validate_file
from teamroles.roles import RoleIndex

FILE_NAME = "responsibilities.yaml"
LEVELS = ("lead", "contributes", "informed")
Level = Literal["lead", "contributes", "informed"]


class LevelDescriptions(ContentModel):
    lead: str = Field(min_length=1)
    contributes: str = Field(min_length=1)
    informed: str = Field(min_length=1)


class Activity(ContentModel):
    """One row of the matrix. After loading, `roles` is keyed by role id."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    roles: dict[str, Level] = Field(min_length=1)
    note: str | None = None

    @property
    def lead(self) -> str:
        return next(role for role, level in self.roles.items() if level == "lead")

    def level(self, role_id: str) -> Level | None:
        return self.roles.get(role_id)


class Responsibilities(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    levels: LevelDescriptions
    activities: list[Activity] = Field(min_length=1)
    source: str

    def activity(self, activity_id: str) -> Activity:
        return next(activity for activity in self.activities if activity.id == activity_id)


def load_responsibilities(
    content_dir: Path, roles: RoleIndex
) -> tuple[Responsibilities | None, list[Problem]]:
    matrix, problems = validate_file(
        content_dir / FILE_NAME, content_dir, Responsibilities, read_yaml_mapping
    )
    if matrix is None:
        return None, problems
    kept: list[Activity] = []
    seen: set[str] = set()
    for i, activity in enumerate(matrix.activities):
        found = _activity_problems(matrix.source, i, activity, roles, seen)
        seen.add(activity.id)
        if found:
            problems.extend(found)
        else:
            kept.append(_with_role_ids(activity, roles))
    if not kept:
        return None, problems
    return matrix.model_copy(update={"activities": kept}), problems


def _activity_problems(
    path: str, i: int, activity: Activity, roles: RoleIndex, seen: set[str]
) -> list[Problem]:
    where = f"activities[{i}]"
    problems = []
    if activity.id in seen:
        problems.append(Problem(path, f"{where}.id", f"'{activity.id}' is used twice"))
    ids: dict[str, str] = {}
    for name in activity.roles:
        role = roles.find(name)
        if role is None:
            problems.append(Problem(path, f"{where}.roles.{name}", roles.unknown(name)))
        elif role.id in ids:
            problems.append(
                Problem(
                    path,
                    f"{where}.roles.{name}",
                    f"'{name}' and '{ids[role.id]}' are the same role",
                )
            )
        else:
            ids[role.id] = name
    leads = [name for name, level in activity.roles.items() if level == "lead"]
    if len(leads) != 1:
        found = "none" if not leads else f"{len(leads)} ({', '.join(leads)})"
        problems.append(
            Problem(
                path,
                f"{where}.roles",
                f"'{activity.title}' needs exactly one lead, found {found}",
            )
        )
    return problems


def _with_role_ids(activity: Activity, roles: RoleIndex) -> Activity:
    return activity.model_copy(
        update={"roles": {roles.get(name).id: level for name, level in activity.roles.items()}}
    )
