"""The hidden technical debt figure (Sculley et al. 2015, Figure 1), from
`content/hidden_debt.yaml`: each box with its place, size, owning role and debt."""

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
from teamroles.content.roles import RoleIndex

FILE_NAME = "hidden_debt.yaml"


class DebtBox(ContentModel):
    """One box of the figure. `x`, `y` is its top-left corner; y grows downwards."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    is_ml_code: bool = False
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    owner: str = Field(min_length=1)
    also: list[str] = []
    # Why this role owns the box, where the owner is the app's judgement (the paper
    # gives no owners): shown with the box.
    owner_note: str | None = Field(default=None, min_length=1)
    what: str = Field(min_length=1)
    prone_to: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)
    # The label's lines where the figure is narrow (a phone), a long word broken with a
    # hyphen: [Config-, uration]. Without it, one word a line.
    narrow_lines: list[str] = []

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def label_lines(self) -> list[str]:
        """The label one word a line: how it is drawn where the figure is wide."""
        return self.label.split()

    @property
    def narrow_label_lines(self) -> list[str]:
        """The label's lines where the figure is narrow."""
        return self.narrow_lines or self.label_lines


def spelled(lines: list[str]) -> str:
    """The words the lines spell: 'Config-', 'uration' -> 'Configuration'."""
    text = ""
    for line in lines:
        text += line[:-1] if line.endswith("-") else line + " "
    return text.strip()


class DebtFigure(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    citation_url: str = Field(pattern=r"^https://")
    caption_quote: str = Field(min_length=1)
    layout_note: str = Field(min_length=1)
    # How the boxes' owners were chosen (the paper names no roles), shown on the page.
    ownership_note: str | None = Field(default=None, min_length=1)
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    boxes: list[DebtBox] = Field(min_length=1)
    source: str

    @property
    def ml_code(self) -> DebtBox:
        return next(box for box in self.boxes if box.is_ml_code)

    @property
    def total_area(self) -> float:
        return sum(box.area for box in self.boxes)

    def share(self, box: DebtBox) -> float:
        """The box's share of the total box area, between 0 and 1: the one source for
        every percentage the page shows."""
        return box.area / self.total_area

    @property
    def ml_code_share(self) -> float:
        """The ML Code box's share of the total box area, between 0 and 1."""
        return self.share(self.ml_code)

    def box(self, box_id: str) -> DebtBox:
        return by_id(self.boxes, box_id, "box")


def load_debt_figure(
    content_dir: Path, roles: RoleIndex
) -> tuple[DebtFigure | None, list[Problem]]:
    """The figure without the boxes that have a problem (each one named), or None
    (with the reasons) if the file is missing or broken, or no single ML Code box is left."""
    figure, problems = validate_file(content_dir / FILE_NAME, DebtFigure, read_yaml_mapping)
    if figure is None:
        return None, problems
    path = figure.source
    boxes: list[DebtBox] = []
    ids = FirstUse()
    for i, box in enumerate(figure.boxes):
        where, left_out = f"boxes[{i}]", f"box '{box.id}'"
        first = ids.claim(box.id, where)
        if first:
            problems.append(duplicate_id(path, f"{where}.id", box.id, first, left_out))
            continue
        if roles.find(box.owner) is None:
            problems.append(unknown_role(path, f"{where}.owner", box.owner, roles, left_out))
            continue
        if box.x + box.width > figure.width or box.y + box.height > figure.height:
            message = (
                f"box '{box.id}' reaches outside the figure ({figure.width:g} wide, "
                f"{figure.height:g} high); {left_out} is left out"
            )
            problems.append(Problem(path, where, message))
            continue
        also = known_roles(path, f"{where}.also", box.also, roles, problems)
        narrow_lines = box.narrow_lines
        if narrow_lines and spelled(narrow_lines) != box.label:
            message = (
                f"the lines spell '{spelled(narrow_lines)}', not the label '{box.label}'; "
                "they are left out (the label is drawn one word a line)"
            )
            problems.append(Problem(path, f"{where}.narrow_lines", message))
            narrow_lines = []
        boxes.append(box.model_copy(update={"also": also, "narrow_lines": narrow_lines}))
    ml_boxes = sum(box.is_ml_code for box in boxes)
    if ml_boxes != 1:
        written = [i for i, box in enumerate(figure.boxes) if box.is_ml_code]
        if ml_boxes == 0 and len(written) == 1:
            message = f"the figure is hidden: its ML Code box is left out (see boxes[{written[0]}])"
        else:
            message = (
                f"exactly one box needs `is_ml_code: true`, found {len(written)}: "
                "the figure is hidden"
            )
        return None, [*problems, Problem(path, "boxes", message)]
    return figure.model_copy(update={"boxes": boxes}), problems
