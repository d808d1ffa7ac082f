"""The hidden technical debt figure (Sculley et al. 2015, Figure 1), from
`content/hidden_debt.yaml`: each box with its place, size, owning role and debt."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from teamroles.content_model import ID_PATTERN, ContentModel
from teamroles.problems import Problem, read_yaml_mapping, validate_file
from teamroles.roles import RoleIndex

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
    what: str = Field(min_length=1)
    prone_to: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)

    @property
    def area(self) -> float:
        return self.width * self.height


class DebtFigure(ContentModel):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    citation_url: str = Field(pattern=r"^https://")
    caption_quote: str = Field(min_length=1)
    layout_note: str = Field(min_length=1)
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    boxes: list[DebtBox] = Field(min_length=1)
    source: str

    @property
    def ml_code(self) -> DebtBox:
        return next(box for box in self.boxes if box.is_ml_code)

    @property
    def ml_code_share(self) -> float:
        """The ML Code box's share of the total box area, between 0 and 1."""
        return self.ml_code.area / sum(box.area for box in self.boxes)

    def box(self, box_id: str) -> DebtBox:
        return next(box for box in self.boxes if box.id == box_id)


def load_debt_figure(
    content_dir: Path, roles: RoleIndex
) -> tuple[DebtFigure | None, list[Problem]]:
    """The figure, or None (with the reasons) if the file is missing or broken."""
    figure, problems = validate_file(
        content_dir / FILE_NAME, content_dir, DebtFigure, read_yaml_mapping
    )
    if figure is None:
        return None, problems
    problems = _consistency_problems(figure, roles)
    return (None if problems else figure), problems


def _consistency_problems(figure: DebtFigure, roles: RoleIndex) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, box in enumerate(figure.boxes):
        where = f"boxes[{i}]"
        if box.id in seen:
            problems.append(Problem(figure.source, f"{where}.id", f"'{box.id}' is used twice"))
        seen.add(box.id)
        names = [("owner", box.owner)] + [(f"also[{j}]", name) for j, name in enumerate(box.also)]
        for field, name in names:
            if roles.find(name) is None:
                problems.append(Problem(figure.source, f"{where}.{field}", roles.unknown(name)))
        if box.x + box.width > figure.width or box.y + box.height > figure.height:
            problems.append(
                Problem(
                    figure.source,
                    where,
                    f"box '{box.id}' reaches outside the figure "
                    f"({figure.width:g} wide, {figure.height:g} high)",
                )
            )
    ml_boxes = sum(box.is_ml_code for box in figure.boxes)
    if ml_boxes != 1:
        problems.append(
            Problem(
                figure.source,
                "boxes",
                f"exactly one box needs `is_ml_code: true`, found {ml_boxes}",
            )
        )
    return problems
