"""How a workshop room answered one question: a bar per choice, and the same in words.

Built from `RoomService.counts(...)` (choice -> number of answers) in the bank's
choice order. The right answer differs by more than colour: its bar is solid blue
with a tick and "right answer" under it; the other bars are orange and hatched.
Type is large: the host view is read from the back of a room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from teamroles.figures.quiz_results import WRONG_PATTERN
from teamroles.figures.style import RIGHT_COLOUR, WRONG_COLOUR

RIGHT_MARK = "✓"
PROJECTOR_FONT_SIZE = 26


def bar_label(choice: str, answer: str) -> str:
    """The label under a bar: 'What' or, for the right one, '✓ What (right answer)'."""
    return f"{RIGHT_MARK} {choice} (right answer)" if choice == answer else choice


def answers_figure(
    choices: Sequence[str],
    counts: Mapping[str, int],
    answer: str,
    font_size: int = PROJECTOR_FONT_SIZE,
    height: int = 440,
) -> go.Figure:
    """One bar per choice, its count on top; the right answer's bar solid blue, the others
    orange with white hatching."""
    values = [int(counts.get(choice, 0)) for choice in choices]
    right = [choice == answer for choice in choices]
    figure = go.Figure(
        go.Bar(
            x=[bar_label(choice, answer) for choice in choices],
            y=values,
            marker={
                "color": [RIGHT_COLOUR if r else WRONG_COLOUR for r in right],
                "pattern": {
                    "shape": ["" if r else WRONG_PATTERN["shape"] for r in right],
                    "fillmode": WRONG_PATTERN["fillmode"],
                    "fgcolor": WRONG_PATTERN["fgcolor"],
                    "solidity": WRONG_PATTERN["solidity"],
                },
                "line": {"color": ["#000000" if r else WRONG_COLOUR for r in right], "width": 3},
            },
            text=[str(v) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    top = max(values, default=0)
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30 + font_size, "b": 10},
        font={"size": font_size},
        showlegend=False,
        dragmode=False,
        bargap=0.35,
        yaxis={"visible": False, "fixedrange": True, "range": [0, max(1, top) * 1.2]},
        xaxis={"fixedrange": True, "tickfont": {"size": font_size}},
    )
    return figure


def answers_sentence(
    choices: Sequence[str], counts: Mapping[str, int], answer: str, joined: int | None = None
) -> str:
    """The chart in words: 'In words: What (the right answer): 12 answers; How: 5 answers.
    17 of 20 people answered.'"""
    parts = []
    for choice in choices:
        n = int(counts.get(choice, 0))
        name = f"{choice} (the right answer)" if choice == answer else choice
        parts.append(f"{name}: {n} answer{'' if n == 1 else 's'}")
    total = sum(int(counts.get(choice, 0)) for choice in choices)
    if joined is None:
        tail = f"{total} answer{'' if total == 1 else 's'} in all."
    else:
        tail = f"{total} of {joined} {'person' if joined == 1 else 'people'} answered."
    return f"In words: {'; '.join(parts)}. {tail}"
