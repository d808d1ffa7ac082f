"""The journey of a feature: the stages top to bottom, the loops back as arcs.

`journey_figure` draws it; `stage_details`, `role_in_journey` and `journey_text`
say the same in words.
"""

from __future__ import annotations

import plotly.graph_objects as go

from teamroles.content.roles import Role, RoleIndex
from teamroles.content.workflow import Loop, Stage, Workflow
from teamroles.figures.style import (
    NEUTRAL,
    SMALL_FONT_SIZE,
    bare_figure,
    capitalised,
    count,
    join_words,
    role_color,
    short_name,
    the,
    wrap,
)

# One row per stage, loops drawn as arcs on the left.
_STAGE_ROW_PX = 78
_LOOP_STEP = 0.45  # room between two arcs for a label
_TEXT_WIDTH = 34
_LABEL_ROOM = _LOOP_STEP  # left of the outermost loop, for its label
_LEGEND_PX = 64  # above the stages, for the legend (two rows on a phone)
LOOP_LINE = "Work sent back"
LOOP_LABEL_FONT_SIZE = 10


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
    left = -(max(depths.values(), default=0.3) + _LABEL_ROOM)
    figure = bare_figure(height=_STAGE_ROW_PX * len(stages) + 24 + _LEGEND_PX)
    figure.update_xaxes(range=[left, 5.8])
    figure.update_yaxes(range=[-(len(stages) - 1) - 0.55, 0.55])
    _add_legend(figure, workflow, roles, highlight)

    figure.add_trace(
        go.Scatter(
            x=[0, 0],
            y=[0, -(len(stages) - 1)],
            mode="lines",
            line={"color": NEUTRAL, "width": 2},
            hoverinfo="skip",
            showlegend=False,
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
                showlegend=False,
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
            showlegend=False,
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
            showlegend=False,
        )
    )
    return figure


def legend_entries(
    workflow: Workflow, roles: RoleIndex, highlight: str | None = None
) -> list[tuple[str, dict]]:
    """What the colours and shapes mean, as (name, marker) pairs, in reading order.

    Without a highlight: each role that leads a stage, in its colour. With one: that
    role's three looks (leads, contributes, takes no part)."""
    if highlight:
        role = roles.get(highlight)
        color = role_color(role)
        return [
            (f"{role.title} leads", {"symbol": "circle", "size": 12, "color": color}),
            (
                f"{role.title} contributes",
                {"symbol": "circle-open", "size": 12, "color": color, "line": {"width": 3}},
            ),
            ("Takes no part", {"symbol": "circle", "size": 7, "color": NEUTRAL}),
        ]
    leading = {lead.id for lead in (stage_roles(s, roles)[0] for s in workflow.stages) if lead}
    return [
        (f"{role.title} leads", {"symbol": "circle", "size": 12, "color": role_color(role)})
        for role in roles
        if role.id in leading
    ]


def _add_legend(
    figure: go.Figure, workflow: Workflow, roles: RoleIndex, highlight: str | None
) -> None:
    """A key above the stages: the colours (or, with a highlight, the shapes), and the
    dotted line of the loops. Legend-only traces: they draw nothing in the chart."""
    for name, marker in legend_entries(workflow, roles, highlight):
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, marker=marker))
    if workflow.loops:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=LOOP_LINE,
                line={"color": NEUTRAL, "width": 2, "dash": "dot"},
            )
        )
    figure.update_layout(
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": SMALL_FONT_SIZE + 1},
            # A key, not a switch: a click on an entry must not hide anything.
            "itemclick": False,
            "itemdoubleclick": False,
        },
        margin={"t": _LEGEND_PX},
    )


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
            showlegend=False,
        )
    )
    # What sends the work back, along the arc, read upwards as the work goes: halfway
    # between this arc and the next one out.
    figure.add_annotation(
        x=-depth - _LOOP_STEP / 2,
        y=(start + end) / 2,
        xref="x",
        yref="y",
        text=loop.arrow_label,
        textangle=-90,
        showarrow=False,
        font={"size": LOOP_LABEL_FONT_SIZE},
        name=f"loop label {loop.id}",
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


def alt_text(workflow: Workflow, current: int | None = None) -> str:
    """The figure's one-line text alternative; `current`: the selected stage's number."""
    selected = f"; stage {current} is selected" if current else ""
    return (
        f"{workflow.title}: a flow chart of {len(workflow.stages)} stages with "
        f"{len(workflow.loops)} loops back{selected}."
    )


def stage_details(
    workflow: Workflow, roles: RoleIndex, stage_id: str, example_href: str | None = None
) -> str:
    """Markdown for the stage the reader picked: who, what it hands on, the loops.

    A loop's trigger leads its paragraph as a run-in heading ("**↺ QA finds a
    defect.**"), never inside a sentence: a trigger written as a clause and one written
    as a noun ("Customer feedback") both read well there."""
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
        lines += [
            "",
            f"**↺ {_run_in(loop.trigger)}** The work goes back to {back_to}. {loop.description}",
        ]
    for loop in loops_into(workflow, stage_id):
        came_from = workflow.stage(loop.from_stage).title
        lines += ["", f"**↺ {_run_in(loop.trigger)}** Work can come back here from {came_from}."]
    if example_href:
        lines += [
            "",
            f"[See this stage in the worked example]({example_href}) (opens in a new tab): "
            "who does what, what they decide and the documents they hand on.",
        ]
    return "\n".join(lines)


def _run_in(text: str) -> str:
    """A trigger as a run-in heading: a capital first and a full stop last."""
    text = capitalised(text.strip())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lower_first(text: str) -> str:
    """Inside a sentence: 'Test report' becomes 'test report'; 'QA report' stays."""
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
        who = the(lead) if lead else stage.lead
        if contributors:
            who += f", with {join_words([the(role) for role in contributors])},"
        lines.append(
            f"{i}. **{_run_in(stage.title)}** {capitalised(who)} leads and hands on the "
            f"{_lower_first(stage.artifact)}."
        )
    if workflow.loops:
        ways = count(workflow.loops, "way")
        lines += ["", f"The work can go back to an earlier stage in {ways}.", ""]
        for loop in workflow.loops:
            lines.append(
                f"- **{_run_in(loop.trigger)}** The work goes from "
                f"{workflow.stage(loop.from_stage).title} back to "
                f"{workflow.stage(loop.to_stage).title}."
            )
    return "\n".join(lines)
