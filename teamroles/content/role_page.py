"""What a role page shows, section by section: defined once, here.

The page (`app_pages/role.py`) draws these sections in this order, and the
quiz's "read more" links (`teamroles.content.quizbank`) point at their anchors, so a
link can only name a section the page really draws. No Streamlit here.

Every section but the related roles (page links) is one Markdown text, `text()`:
a page costs a little for each element it sends (docs/performance.md). A heading
in Markdown gets the anchor `slugify` computes from its text, so that is each
section's anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from teamroles.content.markdown_files import slugify
from teamroles.content.roles import Role, RoleIndex

_BODY_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)

Kind = Literal["list", "handoffs", "specialties", "misunderstandings", "related"]


@dataclass(frozen=True)
class Section:
    """One section of a role page: its heading and the Role field it shows."""

    heading: str
    field: str
    kind: Kind

    @property
    def anchor(self) -> str:
        return slugify(self.heading)


SECTIONS: tuple[Section, ...] = (
    Section("Responsible for", "responsibilities", "list"),
    Section("Measured by", "measured_by", "list"),
    Section("Concerned with", "concerns", "list"),
    Section("Receives from", "receives_from", "handoffs"),
    Section("Hands to", "hands_to", "handoffs"),
    Section("Specialties", "specialties", "specialties"),
    Section("Common misunderstandings", "misunderstandings", "misunderstandings"),
    Section("Related roles", "related", "related"),
)


def sections(role: Role) -> list[tuple[Section, list]]:
    """The sections this role's page shows (those with content), with their items."""
    return [
        (section, items) for section in SECTIONS if (items := list(getattr(role, section.field)))
    ]


def anchors(role: Role) -> dict[str, str]:
    """Every place on the role's page a link can point at, as anchor -> heading:
    the `##` headings of its body, its sections, then each specialty's own heading."""
    found = {slugify(heading): heading for heading in _BODY_HEADING.findall(role.body)}
    found |= {section.anchor: section.heading for section, _ in sections(role)}
    for specialty in role.specialties:
        found[specialty.anchor] = specialty.name
    return found


def text(role: Role, roles: RoleIndex) -> str:
    """The role's body and every section but the related roles, as one Markdown text."""
    parts = [role.body]
    for section, items in sections(role):
        if section.kind == "list":
            body = "\n".join(f"- {item}" for item in items)
        elif section.kind == "handoffs":
            body = "\n".join(f"- **{roles.get(h.role).title}**: {h.what}" for h in items)
        elif section.kind == "specialties":
            body = "\n\n".join(f"### {item.name}\n\n{item.focus}" for item in items)
        elif section.kind == "misunderstandings":
            body = "\n\n".join(f"**Myth:** {m.myth}  \n**In fact:** {m.fact}" for m in items)
        else:
            continue  # drawn as page links
        parts.append(f"## {section.heading}\n\n{body}")
    return "\n\n".join(parts)
