"""The journey of a feature: the stages top to bottom, the loops back as arcs.

`journey_figure` draws it; `stage_details`, `role_in_journey` and `journey_text`
say the same in words.
"""

from __future__ import annotations

import plotly.graph_objects as go

from teamroles.figures.style import (
    NEUTRAL,
    SMALL_FONT_SIZE,
    bare_figure,
    count,
    join_words,
    role_color,
    short_name,
    the,
    wrap,
)
from teamroles.roles import Role, RoleIndex
from teamroles.workflow import Loop, Stage, Workflow

# One row per stage, loops drawn as arcs on the left.
_STAGE_ROW_PX = 78
_LOOP_STEP = 0.32
_TEXT_WIDTH = 34


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
    figure = bare_figure(height=_STAGE_ROW_PX * len(stages) + 24)
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
            f"<br>{who}<br><i>→ {wrap(stage.artifact, _TEXT_WIDTH)}</i>"
        )
        hovers.append(f"<b>{stage.title}</b><br>{wrap(stage.summary, 40)}")

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
        f"**Contributes:** {join_words([role.title for role in contributors]) or 'nobody else'}  ",
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
        parts.append(f"leads {count(leads, 'stage')} ({join_words(leads)})")
    if helps:
        parts.append(f"contributes to {count(helps, 'stage')} ({join_words(helps)})")
    sentence = f"{the(role)} {' and '.join(parts) or 'takes no part in these stages'}."
    return sentence[0].upper() + sentence[1:]


def journey_text(workflow: Workflow, roles: RoleIndex) -> str:
    """The whole journey in words: every stage in order, then every loop."""
    lines = []
    for i, stage in enumerate(workflow.stages, start=1):
        lead, contributors = stage_roles(stage, roles)
        who = f"{lead.title if lead else stage.lead} leads"
        if contributors:
            who += f", with the {join_words([role.title for role in contributors])}"
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
