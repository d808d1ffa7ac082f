"""What a role page shows, section by section: defined once, here.

The page (`app_pages/role.py`) draws these sections in this order, and the
quiz's "read more" links (`teamroles.quizbank`) point at their anchors, so a
link can only name a section the page really draws. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from teamroles.roles import Role

Kind = Literal["list", "handoffs", "specialties", "misunderstandings", "related"]


@dataclass(frozen=True)
class Section:
    """One section of a role page: its heading, its anchor and the Role field it shows."""

    anchor: str
    heading: str
    field: str
    kind: Kind


SECTIONS: tuple[Section, ...] = (
    Section("responsible-for", "Responsible for", "responsibilities", "list"),
    Section("measured-by", "Measured by", "measured_by", "list"),
    Section("concerned-with", "Concerned with", "concerns", "list"),
    Section("receives-from", "Receives from", "receives_from", "handoffs"),
    Section("hands-to", "Hands to", "hands_to", "handoffs"),
    Section("specialties", "Specialties", "specialties", "specialties"),
    Section(
        "misunderstandings", "Common misunderstandings", "misunderstandings", "misunderstandings"
    ),
    Section("related", "Related roles", "related", "related"),
)


def sections(role: Role) -> list[tuple[Section, list]]:
    """The sections this role's page shows (those with content), with their items."""
    return [
        (section, items) for section in SECTIONS if (items := list(getattr(role, section.field)))
    ]


def anchors(role: Role) -> dict[str, str]:
    """Every place on the role's page a link can point at, as anchor -> heading:
    its sections, then each specialty's own heading."""
    found = {section.anchor: section.heading for section, _ in sections(role)}
    for specialty in role.specialties:
        found[specialty.anchor] = specialty.name
    return found
