"""The hidden-technical-debt figure: the paper's boxes, each as large as in the paper.

`debt_figure` draws it; `ml_code_share_sentence`, `box_details` and `debt_text`
say the same in words.
"""

from __future__ import annotations

import plotly.graph_objects as go

from teamroles.content.hidden_debt import DebtBox, DebtFigure
from teamroles.content.roles import RoleIndex
from teamroles.figures.style import (
    FONT_SIZE,
    ML_CODE_FILL,
    NEUTRAL,
    SMALL_FONT_SIZE,
    bare_figure,
    capitalised,
    join_words,
    rgba,
    role_color,
    role_names,
    the,
)

# The box labels are the first two scatter traces, in this order: the page's style
# (diagram_views.CHART_CSS) shows the wide set where the chart is wide and the narrow
# set where it is narrow (a phone). Plotly.js draws each scatter trace as the n-th
# group of the scatter layer; Streamlit drops trace uids, so the order is the handle.
WIDE_LABELS_TRACE, NARROW_LABELS_TRACE = 1, 2
NARROW_FONT_SIZE = 10
# Below this chart width (px) the narrow labels are shown: the wide ones fit from here on.
NARROW_CHART_PX = 600
_OUTLINE_WIDTH, _SELECTED_OUTLINE_WIDTH = 1.5, 5


def debt_figure(
    figure_content: DebtFigure,
    roles: RoleIndex,
    by_role: bool = False,
    selected: str | None = None,
) -> go.Figure:
    """The boxes where the paper put them, each as large as in the paper.

    Each box is one point of a horizontal bar trace ("boxes"): a bar starts at the
    box's left edge (`base`), is as long as the box is wide and as thick as it is
    high, so a tap or click anywhere inside a box selects it. There is no tooltip
    to cover the figure: what a box is shows under it, once picked.

    With `by_role` each box is filled in its owning role's colour. The selected
    box gets a thick outline. The ML Code box is too small for its label, which
    sits under the figure with an arrow, as in the paper's redraws.
    """
    content = figure_content
    figure = bare_figure(height=400)
    figure.update_xaxes(range=[0, content.width])
    figure.update_yaxes(range=[content.height + 42, 0])
    boxes = content.boxes
    owners = [roles.find(box.owner) for box in boxes]
    is_selected = [box.id == selected for box in boxes]
    figure.add_trace(
        go.Bar(
            orientation="h",
            base=[box.x for box in boxes],
            x=[box.width for box in boxes],
            y=[box.y + box.height / 2 for box in boxes],
            width=[box.height for box in boxes],
            name="boxes",
            showlegend=False,
            marker={
                "color": [
                    _fill(box, owner, by_role) for box, owner in zip(boxes, owners, strict=True)
                ],
                "line": {
                    "color": [
                        role_color(owner) if chosen and by_role else NEUTRAL
                        for owner, chosen in zip(owners, is_selected, strict=True)
                    ],
                    "width": [
                        _SELECTED_OUTLINE_WIDTH if chosen else _OUTLINE_WIDTH
                        for chosen in is_selected
                    ],
                },
            },
            # Plotly dims the boxes a click did not select; the outline marks it instead.
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            customdata=[box.id for box in boxes],
            hoverinfo="none",
        )
    )
    labelled = [box for box in boxes if not box.is_ml_code]
    for name, lines, size in (
        ("box labels", lambda box: box.label_lines, SMALL_FONT_SIZE),
        ("box labels, narrow", lambda box: box.narrow_label_lines, NARROW_FONT_SIZE),
    ):
        figure.add_trace(
            go.Scatter(
                x=[box.x + box.width / 2 for box in labelled],
                y=[box.y + box.height / 2 for box in labelled],
                mode="text",
                name=name,
                showlegend=False,
                text=["<br>".join(lines(box)) for box in labelled],
                textfont={"size": size},
                hoverinfo="skip",
            )
        )
    if by_role:
        _add_owner_legend(figure, content, roles)
    ml_code = content.ml_code
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


def _fill(box: DebtBox, owner, by_role: bool) -> str:
    color = role_color(owner)
    if box.is_ml_code:
        return color if by_role else ML_CODE_FILL
    return rgba(color, 0.4) if by_role else rgba(NEUTRAL, 0.08)


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
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            # A key, not a switch: a click on an entry must not hide boxes.
            "itemclick": False,
            "itemdoubleclick": False,
        },
        margin={"b": 40},
        height=figure.layout.height + 32,
    )


def percent(share: float) -> str:
    """A share between 0 and 1 as the page writes it, to one decimal: 0.0078 -> '0.8%'.

    The one way the figure's percentages are written, in the headline and in the list."""
    return f"{share * 100:.1f}%"


def alt_text(content: DebtFigure) -> str:
    """The figure's one-line text alternative (its whole content in words: `debt_text`)."""
    return (
        f"A schematic of an ML system in {len(content.boxes)} labelled boxes, their sizes "
        f"drawn to suggest proportion rather than measured; {content.ml_code.label} is a "
        f"tiny box in the middle."
    )


def ml_code_share_sentence(content: DebtFigure) -> str:
    """The line under the figure: how much of the drawing is the ML code box (an area in a
    schematic, not a share of code: the paper's own figure for code is in `layout_note`)."""
    largest = max(content.boxes, key=lambda box: box.area)
    times = largest.area / content.ml_code.area
    return (
        f"In the drawing, the {content.ml_code.label} box covers only "
        f"{percent(content.ml_code_share)} of the area of all {len(content.boxes)} boxes; "
        f"{largest.label} alone is about {times:.0f} times as large."
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
        *([f"*Why this owner:* {box.owner_note}  "] if box.owner_note else []),
        f"**Prone to:** {join_words(box.prone_to)}. {box.why}",
    ]
    return "\n".join(lines)


def debt_text(content: DebtFigure, roles: RoleIndex) -> str:
    """Every box in words, biggest first, with owner and debt."""
    lines = []
    for box in sorted(content.boxes, key=lambda box: box.area, reverse=True):
        owner = roles.find(box.owner)
        lines.append(
            f"- The **{box.label}** box covers {percent(content.share(box))} of the area. "
            f"{capitalised(the(owner)) if owner else box.owner} usually owns it, and it is "
            f"prone to {join_words([_lower_first(debt) for debt in box.prone_to])}."
        )
    return "\n".join([ml_code_share_sentence(content), "", *lines])


def _lower_first(text: str) -> str:
    """A debt's name inside a sentence: 'Glue code' -> 'glue code'; 'CACE' stays."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]
