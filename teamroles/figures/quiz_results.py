"""The quiz's results: right and wrong answers per correct answer, as bars and in words.

Built from `teamroles.quiz.breakdown(...)` rows, in the quiz's choice order. The
wrong bars are orange and hatched, so right and wrong differ by more than colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from teamroles.figures.style import RIGHT_COLOUR, WRONG_COLOUR
from teamroles.quiz import BreakdownRow

# The second cue beside colour: white diagonal hatching over the wrong bars.
WRONG_PATTERN = {"shape": "/", "fillmode": "overlay", "fgcolor": "#FFFFFF", "solidity": 0.2}


def results_figure(rows: Sequence[BreakdownRow]) -> go.Figure:
    """One stacked horizontal bar per correct answer: right (blue), then wrong (hatched)."""
    labels = [row.label for row in rows]
    figure = go.Figure(
        [
            go.Bar(
                name="Right",
                y=labels,
                x=[row.correct for row in rows],
                orientation="h",
                marker={"color": RIGHT_COLOUR},
                text=[row.correct or "" for row in rows],
                textposition="inside",
            ),
            go.Bar(
                name="Wrong",
                y=labels,
                x=[row.wrong for row in rows],
                orientation="h",
                marker={"color": WRONG_COLOUR, "pattern": WRONG_PATTERN},
                text=[row.wrong or "" for row in rows],
                textposition="inside",
                textfont={"color": "#000000"},
            ),
        ]
    )
    figure.update_layout(
        barmode="stack",
        height=120 + 45 * len(rows),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"autorange": "reversed", "title": "Correct answer"},
        xaxis={"title": "Questions", "dtick": 1},
        legend={
            "traceorder": "normal",
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "xanchor": "left",
            "yanchor": "bottom",
        },
    )
    return figure


def results_sentence(rows: Sequence[BreakdownRow]) -> str:
    """The chart in words: 'In words: What: 3 of 4 right; How: 2 of 2 right.'"""
    sentence = "; ".join(f"{row.label}: {row.correct} of {row.total} right" for row in rows)
    return f"In words: {sentence}."
