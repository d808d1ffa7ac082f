"""Who owns what: activities down, roles across, the marker's shape gives the level.

`matrix_figure` draws it; `matrix_caption` and `matrix_text` say the same in words.
`LEVELS` (from `teamroles.content.responsibilities`) is importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from teamroles.content.responsibilities import LEVELS, Activity, Responsibilities
from teamroles.content.roles import RoleIndex
from teamroles.figures.style import (
    FONT_SIZE,
    NEUTRAL,
    SMALL_FONT_SIZE,
    bare_figure,
    capitalised,
    count,
    join_words,
    rgba,
    role_color,
    short_name,
    the,
    wrap,
)

__all__ = [
    "LEVELS",
    "LEVEL_SHAPES",
    "level_name",
    "matrix_caption",
    "matrix_figure",
    "matrix_text",
    "visible_activities",
]

# The matrix: marker shape per level, so the level never depends on colour alone.
_LEVEL_MARKERS = {
    "lead": {"symbol": "circle", "size": 22},
    "contributes": {"symbol": "circle-open", "size": 17, "line": {"width": 3}},
    "informed": {"symbol": "circle", "size": 8},
}
# "the PM leads", "the Dev team and QA contribute": the verb for one role, for several.
_LEVEL_VERBS = {
    "lead": ("leads", "lead"),
    "contributes": ("contributes", "contribute"),
    "informed": ("is kept informed", "are kept informed"),
}
LEVEL_SHAPES = {"lead": "filled circle", "contributes": "open ring", "informed": "small grey dot"}
_MATRIX_ROW_PX = 44


def visible_activities(
    matrix: Responsibilities, role: str | None = None, activity_ids: Sequence[str] = ()
) -> list[Activity]:
    """The rows to show: the chosen activities (all if none), and with a role
    only those where it leads or contributes."""
    rows = [a for a in matrix.activities if not activity_ids or a.id in activity_ids]
    if role:
        rows = [a for a in rows if a.level(role) in ("lead", "contributes")]
    return rows


def level_name(level: str) -> str:
    return {"lead": "Leads", "contributes": "Contributes", "informed": "Kept informed"}[level]


def matrix_figure(
    matrix: Responsibilities,
    roles: RoleIndex,
    role: str | None = None,
    activity_ids: Sequence[str] = (),
) -> go.Figure:
    """Activities down, roles across; the marker's shape gives the level."""
    rows = visible_activities(matrix, role, activity_ids)
    columns = list(roles)
    column_names = [short_name(r) for r in columns]
    row_names = [wrap(a.title, 22) for a in rows]
    figure = bare_figure(height=_MATRIX_ROW_PX * max(len(rows), 1) + 90)
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "top", "yref": "container"},
        margin={"l": 4, "r": 4, "t": 70, "b": 8},
    )
    figure.update_xaxes(
        visible=True,
        side="top",
        type="category",
        categoryorder="array",
        categoryarray=column_names,
        range=[-0.5, len(columns) - 0.5],
        showgrid=False,
        tickfont={"size": FONT_SIZE},
    )
    figure.update_yaxes(
        visible=True,
        type="category",
        categoryorder="array",
        categoryarray=row_names,
        range=[len(rows) - 0.5, -0.5],
        showgrid=True,
        gridcolor=rgba(NEUTRAL, 0.25),
        tickfont={"size": SMALL_FONT_SIZE + 1},
    )
    for level in LEVELS:
        cells = [
            (activity, row_name, column, column_name)
            for activity, row_name in zip(rows, row_names, strict=True)
            for column, column_name in zip(columns, column_names, strict=True)
            if activity.level(column.id) == level
        ]
        figure.add_trace(_level_legend(level))
        if not cells:
            continue
        colors = [NEUTRAL if level == "informed" else role_color(c) for _, _, c, _ in cells]
        figure.add_trace(
            go.Scatter(
                x=[name for _, _, _, name in cells],
                y=[name for _, name, _, _ in cells],
                mode="markers",
                name=level_name(level),
                showlegend=False,
                marker={
                    **_LEVEL_MARKERS[level],
                    "color": colors,
                    "opacity": [1 if not role or c.id == role else 0.3 for _, _, c, _ in cells],
                },
                customdata=[f"{a.id}/{c.id}" for a, _, c, _ in cells],
                hovertext=[
                    f"<b>{a.title}</b><br>{c.title}: {level_name(level).lower()}"
                    + (f"<br>{wrap(a.note, 44)}" if a.note else "")
                    for a, _, c, _ in cells
                ],
                hoverinfo="text",
            )
        )
    return figure


def _level_legend(level: str) -> go.Scatter:
    """A grey legend entry, so the legend explains shapes, not role colours."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=level_name(level),
        marker={**_LEVEL_MARKERS[level], "color": NEUTRAL},
        hoverinfo="skip",
    )


def matrix_text(
    matrix: Responsibilities,
    roles: RoleIndex,
    role: str | None = None,
    activity_ids: Sequence[str] = (),
) -> str:
    """The rows on show, one sentence each: who leads, who contributes, who is informed."""
    lines = []
    for activity in visible_activities(matrix, role, activity_ids):
        parts = []
        for level in LEVELS:
            who = [r for r in roles if activity.level(r.id) == level]
            if who:
                names = join_words([the(r) for r in who])
                parts.append(f"{names} {_LEVEL_VERBS[level][len(who) > 1]}")
        lines.append(f"- **{activity.title}.** {capitalised(_clauses(parts))}.")
    return "\n".join(lines) or "No activity matches this filter."


def _clauses(parts: list[str]) -> str:
    """Clauses joined with commas, as they may hold an 'and' of their own:
    'a leads, b contributes, and c and d are kept informed'."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])}, and {parts[-1]}"


def matrix_caption(
    matrix: Responsibilities,
    roles: RoleIndex,
    role: str | None = None,
    activity_ids: Sequence[str] = (),
) -> str:
    """What the filter shows, in one sentence."""
    shown = visible_activities(matrix, role, activity_ids)
    total = len(matrix.activities)
    if role:
        leads = sum(a.level(role) == "lead" for a in shown)
        return (
            f"Showing the {count(shown, 'activity', 'activities')} "
            f"of {total} where {the(roles.get(role))} leads ({leads}) or contributes "
            f"({len(shown) - leads})."
        )
    return f"Showing {len(shown)} of {total} activities."
