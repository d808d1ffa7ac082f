"""The hidden-technical-debt figure: the paper's boxes, each as large as in the paper.

`debt_figure` draws it; `ml_code_share_sentence`, `box_details` and `debt_text`
say the same in words.
"""

from __future__ import annotations

import plotly.graph_objects as go

from teamroles.figures.style import (
    FONT_SIZE,
    ML_CODE_FILL,
    NEUTRAL,
    SMALL_FONT_SIZE,
    bare_figure,
    join_words,
    rgba,
    role_color,
    role_names,
    wrap,
)
from teamroles.hidden_debt import DebtBox, DebtFigure
from teamroles.roles import RoleIndex


def debt_figure(
    figure_content: DebtFigure,
    roles: RoleIndex,
    by_role: bool = False,
    selected: str | None = None,
) -> go.Figure:
    """The boxes where the paper put them, each as large as in the paper.

    With `by_role` each box is filled in its owning role's colour. The selected
    box gets a thick outline. The ML Code box is too small for its label, which
    sits under the figure with an arrow, as in the paper's redraws.
    """
    content = figure_content
    figure = bare_figure(height=400)
    figure.update_xaxes(range=[0, content.width])
    figure.update_yaxes(range=[content.height + 42, 0])
    for box in content.boxes:
        figure.add_trace(_box_trace(box, roles, by_role, box.id == selected))

    labelled = [box for box in content.boxes if not box.is_ml_code]
    ml_code = content.ml_code
    points = [*labelled, ml_code]
    owners = [roles.find(box.owner) for box in points]
    figure.add_trace(
        go.Scatter(
            x=[box.x + box.width / 2 for box in points],
            y=[box.y + box.height / 2 for box in points],
            mode="markers+text",
            name="boxes",
            showlegend=False,
            text=[_words_per_line(box.label) for box in labelled] + [""],
            textfont={"size": SMALL_FONT_SIZE},
            marker={"size": 26, "opacity": 0, "color": [role_color(r) for r in owners]},
            customdata=[box.id for box in points],
            hovertext=[_box_hover(box, roles) for box in points],
            hoverinfo="text",
        )
    )
    if by_role:
        _add_owner_legend(figure, content, roles)
    figure.add_annotation(
        x=ml_code.x + ml_code.width / 2,
        y=ml_code.y + ml_code.height,
        ax=ml_code.x + ml_code.width / 2 + 10,
        ay=content.height + 26,
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text=f"<b>{ml_code.label}</b>",
        showarrow=True,
        arrowhead=2,
        arrowwidth=1.5,
        arrowcolor=NEUTRAL,
        font={"size": FONT_SIZE},
    )
    return figure


def _box_trace(box: DebtBox, roles: RoleIndex, by_role: bool, selected: bool) -> go.Scatter:
    owner = roles.find(box.owner)
    color = role_color(owner)
    if box.is_ml_code:
        fill = color if by_role else ML_CODE_FILL
    else:
        fill = rgba(color, 0.4) if by_role else rgba(NEUTRAL, 0.08)
    x0, y0, x1, y1 = box.x, box.y, box.x + box.width, box.y + box.height
    return go.Scatter(
        x=[x0, x1, x1, x0, x0],
        y=[y0, y0, y1, y1, y0],
        mode="lines",
        fill="toself",
        fillcolor=fill,
        line={"color": color if selected and by_role else NEUTRAL, "width": 5 if selected else 1.5},
        name=box.label,
        showlegend=False,
        hoveron="fills",
        text=_box_hover(box, roles),
        hoverinfo="text",
    )


def _add_owner_legend(figure: go.Figure, content: DebtFigure, roles: RoleIndex) -> None:
    """One legend entry per owning role, in reading order."""
    owners = {roles.find(box.owner).id for box in content.boxes if roles.find(box.owner)}
    for role in roles:
        if role.id in owners:
            figure.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=role.title,
                    marker={"symbol": "square", "size": 14, "color": rgba(role_color(role), 0.6)},
                    hoverinfo="skip",
                )
            )
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        margin={"b": 40},
        height=figure.layout.height + 32,
    )


def _words_per_line(label: str) -> str:
    return "<br>".join(label.split())


def _box_hover(box: DebtBox, roles: RoleIndex) -> str:
    owner = roles.find(box.owner)
    return (
        f"<b>{box.label}</b><br>{wrap(box.what, 44)}"
        f"<br><br>Usually owned by: {owner.title if owner else box.owner}"
        f"<br>Prone to: {join_words(box.prone_to)}"
    )


def ml_code_share_sentence(content: DebtFigure) -> str:
    """The line under the figure: how much of the system is ML code."""
    share = content.ml_code_share * 100
    largest = max(content.boxes, key=lambda box: box.area)
    times = largest.area / content.ml_code.area
    return (
        f"The {content.ml_code.label} box covers only {share:.1f}% of the area of all "
        f"{len(content.boxes)} boxes; {largest.label} alone is about {times:.0f} times "
        f"as large."
    )


def box_details(content: DebtFigure, roles: RoleIndex, box_id: str) -> str:
    """Markdown for the box the reader picked."""
    box = content.box(box_id)
    owner = roles.find(box.owner)
    helpers = role_names(roles, box.also, short=False)
    lines = [
        f"#### {box.label}",
        box.what,
        "",
        f"**Usually owned by:** {owner.title if owner else box.owner}"
        + (f", with the {join_words(helpers)}" if helpers else "")
        + "  ",
        f"**Prone to:** {join_words(box.prone_to)}. {box.why}",
    ]
    return "\n".join(lines)


def debt_text(content: DebtFigure, roles: RoleIndex) -> str:
    """Every box in words, biggest first, with owner and debt."""
    total = sum(box.area for box in content.boxes)
    lines = []
    for box in sorted(content.boxes, key=lambda box: box.area, reverse=True):
        owner = roles.find(box.owner)
        lines.append(
            f"- **{box.label}** ({box.area / total * 100:.0f}% of the area): "
            f"{owner.title if owner else box.owner} usually owns it; "
            f"prone to {join_words(box.prone_to)}."
        )
    return "\n".join([ml_code_share_sentence(content), "", *lines])
