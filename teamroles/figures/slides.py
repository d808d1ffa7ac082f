"""A slide's figure, built by the same builders as the diagram pages (`teamroles.figures`).

The app's presenter page and the HTML export both call `slide_figure`; the export then
fixes its size and scales it to the slide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import matrix as matrix_fig

if TYPE_CHECKING:
    from teamroles.content.deck.model import Slide
    from teamroles.content.site import Site

NO_STAGE = ""  # the journey with no stage marked (as on the diagram page)


def slide_figure(slide: Slide, site: Site) -> go.Figure | None:
    """The slide's chart: the journey (with `stage_id` marked as the current stage), the
    hidden-debt figure or the who-owns-what matrix; None for a slide without one, or
    when the content behind it is gone (the loader then left the slide out anyway)."""
    if slide.figure == "journey" and site.workflow is not None:
        return journey_fig.journey_figure(
            site.workflow, site.roles, slide.stage_id or NO_STAGE, None
        )
    if slide.figure == "debt" and site.debt_figure is not None:
        return debt_fig.debt_figure(site.debt_figure, site.roles, False, None)
    if slide.figure == "matrix" and site.responsibilities is not None:
        return matrix_fig.matrix_figure(site.responsibilities, site.roles, None, ())
    return None
