"""Who owns what: activities against roles, from `content/responsibilities.yaml`.

Each activity maps roles (id or alias) to a level: lead, contributes or informed.
A role left out takes no part. Every activity has exactly one lead. As in every
content file, the smallest unit with a problem is left out and named: an entry
naming an unknown role (the whole activity when that entry was its lead), an
activity without exactly one lead, a repeated activity id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from teamroles.content.model import ID_PATTERN, ContentModel, by_id
from teamroles.content.problems import (
    FirstUse,
    Problem,
    duplicate_id,
    read_yaml_mapping,
    unknown_role,
    validate_file,
)
from teamroles.content.roles import RoleIndex

FILE_NAME = "responsibilities.yaml"
LEVELS = ("lead", "contributes", "informed")
Level = Literal["lead", "contributes", "informed"]
Part = Literal["lead", "takes part"]


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
    # Activities left out for a problem, by id -> where (`content/...: activities[3]`), so
    # that a reference to one points at the cause instead of calling it unknown.
    left_out: dict[str, str] = {}

    def activity(self, activity_id: str) -> Activity:
        return by_id(self.activities, activity_id, "activity")

    def disagreement(self, activity_id: str, role_id: str, part: Part) -> str | None:
        """Why content that gives `role_id` this `part` in an activity contradicts the
        matrix, or None when it agrees. `part` is "lead" (the role must lead it) or
        "takes part" (the role must lead it or contribute to it).

        The one check behind every cross-file rule of who does what: a quiz answer,
        a journey stage's lead and contributors, the worked example's roles and
        decisions (docs/authoring.md, "One story").
        """
        activity = next((a for a in self.activities if a.id == activity_id), None)
        if activity is None and activity_id in self.left_out:
            return f"activity '{activity_id}' is not available (see {self.left_out[activity_id]})"
        if activity is None:
            known = ", ".join(a.id for a in self.activities)
            return f"unknown activity '{activity_id}' in {FILE_NAME} (it has: {known})"
        level = activity.level(role_id)
        if part == "lead" and level != "lead":
            return f"{FILE_NAME} says '{activity.title}' is led by {activity.lead}, not {role_id}"
        if part == "takes part" and level not in ("lead", "contributes"):
            shown = f"is only {level}" if level else "takes no part"
            return f"in {FILE_NAME}, {role_id} {shown} in '{activity.title}'"
        return None


def load_responsibilities(
    content_dir: Path, roles: RoleIndex
) -> tuple[Responsibilities | None, list[Problem]]:
    matrix, problems = validate_file(content_dir / FILE_NAME, Responsibilities, read_yaml_mapping)
    if matrix is None:
        return None, problems
    kept: list[Activity] = []
    left_out: dict[str, str] = {}
    ids = FirstUse()
    for i, activity in enumerate(matrix.activities):
        where = f"activities[{i}]"
        first = ids.claim(activity.id, where)
        if first:
            problems.append(
                duplicate_id(
                    matrix.source, f"{where}.id", activity.id, first, f"activity '{activity.id}'"
                )
            )
            continue
        row, found = _checked_row(matrix.source, where, activity, roles)
        problems += found
        if row is not None:
            kept.append(row)
        else:
            left_out[activity.id] = f"{matrix.source}: {where}"
    if not kept:
        problems.append(
            Problem(matrix.source, "activities", "no valid activity left: the matrix is hidden")
        )
        return None, problems
    return matrix.model_copy(update={"activities": kept, "left_out": left_out}), problems


def _checked_row(
    path: str, where: str, activity: Activity, roles: RoleIndex
) -> tuple[Activity | None, list[Problem]]:
    """The activity keyed by role id without its bad entries, or None if it cannot stay."""
    problems: list[Problem] = []
    row_out = f"activity '{activity.id}'"
    cells: dict[str, Level] = {}
    names: dict[str, str] = {}
    for name, level in activity.roles.items():
        field = f"{where}.roles.{name}"
        role = roles.find(name)
        if role is None:
            left_out = row_out if level == "lead" else "this entry"
            problems.append(unknown_role(path, field, name, roles, left_out))
            if level == "lead":
                return None, problems
        elif role.id in cells:
            message = f"'{name}' and '{names[role.id]}' are the same role; this entry is left out"
            problems.append(Problem(path, field, message))
        else:
            cells[role.id], names[role.id] = level, name
    leads = [names[role_id] for role_id, level in cells.items() if level == "lead"]
    if len(leads) != 1:
        found = "none" if not leads else f"{len(leads)} ({', '.join(leads)})"
        message = f"'{activity.title}' needs exactly one lead, found {found}; {row_out} is left out"
        return None, [*problems, Problem(path, f"{where}.roles", message)]
    return activity.model_copy(update={"roles": cells}), problems
