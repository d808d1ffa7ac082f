"""The three diagrams as Plotly figures, plus the same facts in words.

Pure functions: content in, `plotly.graph_objects.Figure` (or Markdown text)
out, no Streamlit. Every figure has a text twin built from the same data, shown
under the chart for screen readers and print. Roles are drawn in the colour from
their front matter (Okabe-Ito, safe for colour-blind readers) and always with a
second cue (shape, fill or words), so colour never carries meaning alone.
Text uses the theme's font colour, so the figures work in light and dark themes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from teamroles.hidden_debt import DebtBox, DebtFigure
from teamroles.responsibilities import LEVELS, Activity, Responsibilities
from teamroles.roles import Role, RoleIndex
from teamroles.workflow import Loop, Stage, Workflow

# Greys that read on both the light and the dark background.
NEUTRAL = "#8c8c8c"
ML_CODE_FILL = "#333333"
FONT_SIZE = 13
SMALL_FONT_SIZE = 11

# The journey: one row per stage, loops drawn as arcs on the left.
_STAGE_ROW_PX = 78
_LOOP_STEP = 0.32
_TEXT_WIDTH = 34

# The matrix: marker shape per level, so the level never depends on colour alone.
_LEVEL_MARKERS = {
    "lead": {"symbol": "circle", "size": 22},
    "contributes": {"symbol": "circle-open", "size": 17, "line": {"width": 3}},
    "informed": {"symbol": "circle", "size": 8},
}
LEVEL_SHAPES = {"lead": "filled circle", "contributes": "open ring", "informed": "small grey dot"}
_MATRIX_ROW_PX = 44


# ---------------------------------------------------------------- shared helpers


def short_name(role: Role) -> str:
    """The role's shortest everyday name: its first alias (PM, DS, Dev, QA)."""
    return role.aliases[0] if role.aliases else role.title


def role_color(role: Role | None) -> str:
    return role.color if role and role.color else NEUTRAL


def _rgba(hex_color: str, alpha: float) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _names(roles: RoleIndex, names: Sequence[str], short: bool = True) -> list[str]:
    found = [roles.find(name) for name in names]
    return [short_name(role) if short else role.title for role in found if role]


def the(role: Role) -> str:
    """'the Data Scientist', but 'QA': an acronym takes no article."""
    return role.title if role.title.isupper() else f"the {role.title}"


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _bare_figure(height: int) -> go.Figure:
    """A figure with hidden, fixed axes: a diagram, not a plot."""
    figure = go.Figure()
    hidden = {"visible": False, "fixedrange": True}
    figure.update_layout(
        height=height,
        margin={"l": 4, "r": 4, "t": 8, "b": 8},
        showlegend=False,
        dragmode=False,
        clickmode="event+select",
        hovermode="closest",
        font={"size": FONT_SIZE},
        hoverlabel={"font": {"size": FONT_SIZE}},
        xaxis=hidden,
        yaxis=hidden,
    )
    return figure


# ---------------------------------------------------------------- the journey


def stage_roles(stage: Stage, roles: RoleIndex) -> tuple[Role | None, list[Role]]:
    """The stage's lead and its contributors, as Role objects."""
    contributors = [roles.find(name) for name in stage.contributors]
    return roles.find(stage.lead), [role for role in contributors if role]


def involvement(stage: Stage, roles: RoleIndex, role_id: str) -> str | None:
    """'lead', 'contributes' or None: how the role takes part in the stage."""
    lead, contributors = stage_roles(stage, roles)
    if lead and lead.id == role_id:
        return "lead"
    if any(role.id == role_id for role in contributors):
        return "contributes"
    return None


def _loop_depths(workflow: Workflow) -> dict[str, float]:
    """How far left each loop's arc reaches: short loops inside, long ones outside."""
    index = {stage.id: i for i, stage in enumerate(workflow.stages)}
    by_span = sorted(
        workflow.loops, key=lambda loop: abs(index[loop.from_stage] - index[loop.to_stage])
    )
    return {loop.id: 0.45 + _LOOP_STEP * rank for rank, loop in enumerate(by_span)}


def journey_figure(
    workflow: Workflow, roles: RoleIndex, current: str, highlight: str | None = None
) -> go.Figure:
    """The stages top to bottom, the loops back as arcs on the left.

    `current` (a stage id) gets a ring and bold title; with `highlight` (a role
    id) the stages where that role leads are filled in its colour, those where
    it contributes get an open ring, and the others turn small and grey.
    """
    stages = workflow.stages
    row = {stage.id: -i for i, stage in enumerate(stages)}
    depths = _loop_depths(workflow)
    left = -(max(depths.values(), default=0.3) + 0.15)
    figure = _bare_figure(height=_STAGE_ROW_PX * len(stages) + 24)
    figure.update_xaxes(range=[left, 6.2])
    figure.update_yaxes(range=[-(len(stages) - 1) - 0.55, 0.55])

    figure.add_trace(
        go.Scatter(
            x=[0, 0],
            y=[0, -(len(stages) - 1)],
            mode="lines",
            line={"color": NEUTRAL, "width": 2},
            hoverinfo="skip",
        )
    )
    for loop in workflow.loops:
        _add_loop(figure, loop, workflow, roles, row, depths[loop.id], current)

    lead_colors, symbols, sizes, line_colors, texts, hovers = [], [], [], [], [], []
    for i, stage in enumerate(stages):
        lead, contributors = stage_roles(stage, roles)
        level = involvement(stage, roles, highlight) if highlight else "lead"
        color = role_color(roles.find(highlight) if highlight else lead)
        lead_colors.append(color if level == "lead" else NEUTRAL if level is None else color)
        symbols.append("circle-open" if level == "contributes" else "circle")
        sizes.append(12 if level is None else 24)
        line_colors.append(color if level else NEUTRAL)
        title = f"{i + 1}. {stage.title}"
        who = f"{short_name(lead) if lead else stage.lead} leads"
        if contributors:
            who += f" · with {', '.join(short_name(role) for role in contributors)}"
        texts.append(
            f"{'<b>' + title + '</b>' if stage.id == current else title}"
            f"<br>{who}<br><i>→ {_wrap(stage.artifact, _TEXT_WIDTH)}</i>"
        )
        hovers.append(f"<b>{stage.title}</b><br>{_wrap(stage.summary, 40)}")

    current_row = row.get(current)
    if current_row is not None:
        figure.add_trace(
            go.Scatter(
                x=[0],
                y=[current_row],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 40,
                    "color": NEUTRAL,
                    "line": {"width": 3},
                },
                hoverinfo="skip",
                name="current stage",
            )
        )
    ys = [row[stage.id] for stage in stages]
    ids = [stage.id for stage in stages]
    figure.add_trace(
        go.Scatter(
            x=[0] * len(stages),
            y=ys,
            mode="markers",
            name="stages",
            marker={
                "symbol": symbols,
                "size": sizes,
                "color": lead_colors,
                "opacity": 1,
                "line": {"color": line_colors, "width": 4},
            },
            customdata=ids,
            hovertext=hovers,
            hoverinfo="text",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[0.42] * len(stages),
            y=ys,
            mode="text",
            name="stage labels",
            text=texts,
            textposition="middle right",
            textfont={"size": SMALL_FONT_SIZE + 1},
            customdata=ids,
            hovertext=hovers,
            hoverinfo="text",
        )
    )
    return figure


def _add_loop(
    figure: go.Figure,
    loop: Loop,
    workflow: Workflow,
    roles: RoleIndex,
    row: dict[str, int],
    depth: float,
    current: str,
) -> None:
    start, end = row[loop.from_stage], row[loop.to_stage]
    receiver = roles.find(workflow.stage(loop.to_stage).lead)
    color = role_color(receiver)
    active = current in (loop.from_stage, loop.to_stage)
    figure.add_trace(
        go.Scatter(
            x=[-0.25, -depth + 0.08, -depth, -depth, -depth + 0.08, -0.25],
            y=[start, start, start + 0.12, end - 0.12, end, end],
            mode="lines",
            line={"color": color, "width": 3 if active else 2, "dash": "dot"},
            opacity=1 if active else 0.45,
            name=loop.trigger,
            hovertext=(f"<b>↺ {loop.trigger}</b><br>back to {workflow.stage(loop.to_stage).title}"),
            hoverinfo="text",
        )
    )
    figure.add_annotation(
        x=-0.27,
        y=end,
        ax=-depth + 0.1,
        ay=end,
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text="",
        showarrow=True,
        arrowhead=2,
        arrowsize=1.2,
        arrowwidth=2,
        arrowcolor=color,
        opacity=1 if active else 0.45,
    )


def loops_into(workflow: Workflow, stage_id: str) -> list[Loop]:
    return [loop for loop in workflow.loops if loop.to_stage == stage_id]


def loops_out_of(workflow: Workflow, stage_id: str) -> list[Loop]:
    return [loop for loop in workflow.loops if loop.from_stage == stage_id]


def stage_details(workflow: Workflow, roles: RoleIndex, stage_id: str) -> str:
    """Markdown for the stage the reader picked: who, what it hands on, the loops."""
    stage = workflow.stage(stage_id)
    number = [s.id for s in workflow.stages].index(stage_id) + 1
    lead, contributors = stage_roles(stage, roles)
    lines = [
        f"#### Stage {number} of {len(workflow.stages)}: {stage.title}",
        f"**Leads:** {lead.title if lead else stage.lead}  ",
        f"**Contributes:** {_join([role.title for role in contributors]) or 'nobody else'}  ",
        f"**Hands on:** {stage.artifact}",
        "",
        stage.details,
    ]
    for loop in loops_out_of(workflow, stage_id):
        back_to = workflow.stage(loop.to_stage).title
        lines += ["", f"**↺ Back to {back_to}** when {_lower_first(loop.trigger)}: "]
        lines[-1] += loop.description
    for loop in loops_into(workflow, stage_id):
        came_from = workflow.stage(loop.from_stage).title
        lines += ["", f"**↺ Work can return here from {came_from}** when "]
        lines[-1] += f"{_lower_first(loop.trigger)}."
    return "\n".join(lines)


def _lower_first(text: str) -> str:
    """'QA finds a defect' stays; 'Customer feedback' becomes 'customer feedback'."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def role_in_journey(workflow: Workflow, roles: RoleIndex, role_id: str) -> str:
    """One sentence: the stages where the role leads and where it contributes."""
    role = roles.get(role_id)
    leads = [s.title for s in workflow.stages if involvement(s, roles, role_id) == "lead"]
    helps = [s.title for s in workflow.stages if involvement(s, roles, role_id) == "contributes"]
    parts = []
    if leads:
        parts.append(f"leads {_count(leads, 'stage')} ({_join(leads)})")
    if helps:
        parts.append(f"contributes to {_count(helps, 'stage')} ({_join(helps)})")
    sentence = f"{the(role)} {' and '.join(parts) or 'takes no part in these stages'}."
    return sentence[0].upper() + sentence[1:]


def _count(items: Sequence, noun: str, plural: str | None = None) -> str:
    return f"{len(items)} {noun if len(items) == 1 else plural or noun + 's'}"


def journey_text(workflow: Workflow, roles: RoleIndex) -> str:
    """The whole journey in words: every stage in order, then every loop."""
    lines = []
    for i, stage in enumerate(workflow.stages, start=1):
        lead, contributors = stage_roles(stage, roles)
        who = f"{lead.title if lead else stage.lead} leads"
        if contributors:
            who += f", with the {_join([role.title for role in contributors])}"
        lines.append(f"{i}. **{stage.title}**: {who}. Hands on: {stage.artifact}.")
    if workflow.loops:
        lines.append("")
        lines.append("Where the work loops back:")
        lines.append("")
        for loop in workflow.loops:
            lines.append(
                f"- {loop.trigger}: from {workflow.stage(loop.from_stage).title} "
                f"back to {workflow.stage(loop.to_stage).title}."
            )
    return "\n".join(lines)


# ---------------------------------------------------------------- the debt figure


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
    figure = _bare_figure(height=400)
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
        fill = _rgba(color, 0.4) if by_role else _rgba(NEUTRAL, 0.08)
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
                    marker={"symbol": "square", "size": 14, "color": _rgba(role_color(role), 0.6)},
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
        f"<b>{box.label}</b><br>{_wrap(box.what, 44)}"
        f"<br><br>Usually owned by: {owner.title if owner else box.owner}"
        f"<br>Prone to: {_join(box.prone_to)}"
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
    helpers = _names(roles, box.also, short=False)
    lines = [
        f"#### {box.label}",
        box.what,
        "",
        f"**Usually owned by:** {owner.title if owner else box.owner}"
        + (f", with the {_join(helpers)}" if helpers else "")
        + "  ",
        f"**Prone to:** {_join(box.prone_to)}. {box.why}",
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
            f"prone to {_join(box.prone_to)}."
        )
    return "\n".join([ml_code_share_sentence(content), "", *lines])


# ---------------------------------------------------------------- who owns what


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
    row_names = [_wrap(a.title, 22) for a in rows]
    figure = _bare_figure(height=_MATRIX_ROW_PX * max(len(rows), 1) + 90)
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
        gridcolor=_rgba(NEUTRAL, 0.25),
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
                    + (f"<br>{_wrap(a.note, 44)}" if a.note else "")
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
    """The rows on show, one line each: who leads, who contributes, who is informed."""
    lines = []
    for activity in visible_activities(matrix, role, activity_ids):
        parts = []
        for level in LEVELS:
            names = [r.title for r in roles if activity.level(r.id) == level]
            if names:
                parts.append(f"{level_name(level).lower()}: {_join(names)}")
        lines.append(f"- **{activity.title}**: {'; '.join(parts)}.")
    return "\n".join(lines) or "No activity matches this filter."


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
            f"Showing the {_count(shown, 'activity', 'activities')} "
            f"of {total} where {the(roles.get(role))} leads ({leads}) or contributes "
            f"({len(shown) - leads})."
        )
    return f"Showing {len(shown)} of {total} activities."
