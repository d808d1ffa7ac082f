"""Role pages: one Markdown file per role in `content/roles/`."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from teamroles.content.markdown_files import markdown_fields, slugify
from teamroles.content.model import ID_PATTERN, ContentModel, UnknownId
from teamroles.content.problems import (
    ContentError,
    FirstUse,
    Problem,
    display_path,
    duplicate_id,
    known_roles,
    unknown_role,
    validate_file,
)

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Handoff(ContentModel):
    """What passes between this role and another one."""

    role: str = Field(min_length=1)
    what: str = Field(min_length=1)


class Misunderstanding(ContentModel):
    myth: str = Field(min_length=1)
    fact: str = Field(min_length=1)


class Specialty(ContentModel):
    """A specialty inside a role, such as MLOps inside the Dev team."""

    name: str = Field(min_length=1)
    focus: str = Field(min_length=1)

    @property
    def anchor(self) -> str:
        return slugify(self.name)


class Role(ContentModel):
    """A role's front matter plus its Markdown body."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    order: int
    icon: str | None = None
    color: str | None = None
    aliases: list[str] = []
    key_question: str | None = None
    responsibilities: list[str] = []
    measured_by: list[str] = []
    receives_from: list[Handoff] = []
    hands_to: list[Handoff] = []
    concerns: list[str] = []
    specialties: list[Specialty] = []
    misunderstandings: list[Misunderstanding] = []
    related: list[str] = []
    body: str
    source: str

    @field_validator("color")
    @classmethod
    def _hex_color(cls, value: str | None) -> str | None:
        if value is not None and not _COLOR.match(value):
            raise ValueError("must be a colour like '#0072B2'")
        return value


class RoleIndex:
    """Roles in reading order, found by id or alias (case-insensitive)."""

    def __init__(self, roles: list[Role], broken: dict[str, str] | None = None):
        self.roles = sorted(roles, key=lambda role: (role.order, role.id))
        self._broken = broken or {}  # names of role files that failed to load -> file
        self._by_name: dict[str, Role] = {}
        for role in self.roles:
            for name in (role.id, *role.aliases):
                self._by_name.setdefault(name.lower(), role)

    def __iter__(self):
        return iter(self.roles)

    def __len__(self) -> int:
        return len(self.roles)

    def find(self, name: str) -> Role | None:
        return self._by_name.get(name.strip().lower())

    def unknown(self, name: str) -> str:
        """Why `name` finds no role: a typo, or a role file that has a problem of its own."""
        source = self._broken.get(name.strip().lower())
        if source:
            return f"role '{name}' is not available: {source} has a problem (see its own line)"
        return f"unknown role '{name}' (no role has this id or alias)"

    def get(self, name: str) -> Role:
        """The role with this id or alias; UnknownId (a KeyError) naming it otherwise."""
        role = self.find(name)
        if role is None:
            raise UnknownId("role", name, [role.id for role in self.roles])
        return role


def _role_fields(path: Path) -> dict:
    """A role's fields; its id is the file name unless the front matter says otherwise."""
    return {"id": path.stem, **markdown_fields(path)}


def load_roles(content_dir: Path) -> tuple[RoleIndex, list[Problem]]:
    """Every valid role file, plus a Problem for each thing wrong.

    A file that cannot be read or validated is left out. When two files claim
    one id or alias, the file named after that id keeps it and the other is
    left out. A shared `order` is reported on both files and keeps both pages.
    A reference to an unknown role (in `related`, `receives_from`, `hands_to`)
    is reported and that entry is left out; the page keeps the rest.
    """
    problems: list[Problem] = []
    parsed: list[Role] = []
    broken: dict[str, str] = {}
    for path in sorted((content_dir / "roles").glob("*.md")):
        role, file_problems = validate_file(path, Role, _role_fields)
        problems += file_problems
        if role:
            parsed.append(role)
        else:
            source = display_path(path)
            broken.update({name.lower(): source for name in _names_in_broken_file(path)})
    roles, name_problems = _drop_name_clashes(parsed)
    names = RoleIndex(roles, broken)
    checked = [_without_unknown_references(role, names) for role in roles]
    reference_problems = [problem for _, found in checked for problem in found]
    roles = [role for role, _ in checked]
    return (
        RoleIndex(roles, broken),
        problems + name_problems + _order_problems(roles) + reference_problems,
    )


def _names_in_broken_file(path: Path) -> list[str]:
    """The id and aliases a broken role file was meant to have, as far as they can be read."""
    try:
        fields = _role_fields(path)
    except ContentError:
        return [path.stem]
    aliases = fields.get("aliases")
    aliases = [str(alias) for alias in aliases] if isinstance(aliases, list) else []
    return [str(fields["id"]), *aliases]


def _drop_name_clashes(parsed: list[Role]) -> tuple[list[Role], list[Problem]]:
    owners = FirstUse()
    kept: list[Role] = []
    problems: list[Problem] = []
    named_after_id_first = sorted(parsed, key=lambda r: (Path(r.source).stem != r.id, r.source))
    for role in named_after_id_first:
        names = [("id", role.id)] + [(f"aliases[{i}]", a) for i, a in enumerate(role.aliases)]
        clash = next(
            ((field, name, owners.where(name)) for field, name in names if owners.where(name)),
            None,
        )
        if clash:
            field, name, first = clash
            problems.append(duplicate_id(role.source, field, name, first, "this role file"))
            continue
        for _, name in names:
            owners.claim(name, role.source)
        kept.append(role)
    return kept, problems


def _order_problems(roles: list[Role]) -> list[Problem]:
    problems = []
    for role in roles:
        others = [r.source for r in roles if r.order == role.order and r is not role]
        if others:
            message = (
                f"{role.order} is also used by {', '.join(others)}; give each role its own place"
            )
            problems.append(Problem(role.source, "order", message))
    return problems


def _without_unknown_references(role: Role, roles: RoleIndex) -> tuple[Role, list[Problem]]:
    """The role without its entries that name no known role, and a problem for each."""
    problems: list[Problem] = []
    related = known_roles(role.source, "related", role.related, roles, problems)
    update: dict[str, list] = {"related": related}
    for key in ("receives_from", "hands_to"):
        kept = []
        for i, handoff in enumerate(getattr(role, key)):
            if roles.find(handoff.role) is None:
                problems.append(
                    unknown_role(role.source, f"{key}[{i}].role", handoff.role, roles, "this entry")
                )
            else:
                kept.append(handoff)
        update[key] = kept
    return (role.model_copy(update=update) if problems else role), problems
