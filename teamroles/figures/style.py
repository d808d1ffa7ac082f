"""Shared colours, sizes, the Plotly config and small helpers for every figure.

Text uses the theme's font colour, so the figures work in light and dark themes;
the greys here read on both backgrounds.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from teamroles.content.roles import Role, RoleIndex

# Greys that read on both the light and the dark background.
NEUTRAL = "#8c8c8c"
ML_CODE_FILL = "#333333"
FONT_SIZE = 13
SMALL_FONT_SIZE = 11

# The quiz's results: Okabe-Ito blue and orange (the wrong bars are also hatched).
RIGHT_COLOUR, WRONG_COLOUR = "#0072B2", "#E69F00"

# Plotly's toolbar offers zoom and download buttons that our charts do not need.
CHART_CONFIG = {"displayModeBar": False, "scrollZoom": False, "responsive": True}


class FinishedFigure(go.Figure):
    """A figure that will not change again, so it is turned into a dict only once.

    `st.plotly_chart` calls `to_dict()` on every run, which walks and copies the
    whole figure; a cached figure drawn by many sessions pays that once.
    """

    def to_dict(self) -> dict:
        cached = self.__dict__.get("_finished_dict")
        if cached is None:
            cached = super().to_dict()
            self.__dict__["_finished_dict"] = cached
        return cached


def finished(figure: go.Figure) -> FinishedFigure:
    """The figure, serialised once from now on; do not change it afterwards."""
    return FinishedFigure(figure)


def short_name(role: Role) -> str:
    """The role's shortest everyday name: its first alias (PM, DS, Dev, QA)."""
    return role.aliases[0] if role.aliases else role.title


def role_color(role: Role | None) -> str:
    return role.color if role and role.color else NEUTRAL


def rgba(hex_color: str, alpha: float) -> str:
    """'#0072B2', 0.4 -> 'rgba(0,114,178,0.4)'."""
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def wrap(text: str, width: int) -> str:
    """The text in lines of at most `width` characters, joined by Plotly's <br>."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def role_names(roles: RoleIndex, names: Sequence[str], short: bool = True) -> list[str]:
    """The known roles among `names`, by short name (or title); unknown names are dropped."""
    found = [roles.find(name) for name in names]
    return [short_name(role) if short else role.title for role in found if role]


def the(role: Role) -> str:
    """'the Data Scientist', but 'QA': an acronym takes no article."""
    return role.title if role.title.isupper() else f"the {role.title}"


def capitalised(text: str) -> str:
    """The text with a capital first letter, to start a sentence: 'the PM' -> 'The PM'."""
    return text[:1].upper() + text[1:]


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def count(items: Sequence, noun: str, plural: str | None = None) -> str:
    """'1 stage', '3 stages', '2 activities' (with `plural`)."""
    return f"{len(items)} {noun if len(items) == 1 else plural or noun + 's'}"


def bare_figure(height: int) -> go.Figure:
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
