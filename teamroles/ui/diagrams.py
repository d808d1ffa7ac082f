"""Streamlit drawing for the three diagrams; `teamroles.figures` builds them.

Each diagram runs in a fragment, so its widgets rerun only the diagram. Every
choice a click on the chart makes can also be made with a widget (keyboard,
screen readers and AppTest cannot click a Plotly point). Figures are cached per
content version (`Site.version`) and choice, so a rerun does not rebuild them.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from teamroles.content.roles import Role
from teamroles.content.site import Site
from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import matrix as matrix_fig
from teamroles.figures import style
from teamroles.ui import assets
from teamroles.ui import shell as ui

PLAY_SECONDS = 2.5
NO_STAGE = ""  # the journey with no stage selected
# Plotly's own text grey is too faint for small text (3.8:1); the page's text colour
# (`currentColor`) follows the light or dark theme. The debt figure draws two sets of
# box labels (its first two scatter traces): whole words where the chart is wide, lines
# with hyphenated words where it is narrow (a phone). A container query on the chart's
# own width picks one, so a sidebar that narrows the page counts too. Each box is
# clickable as a whole, and the pointer says so.
CHART_CSS = assets.style(
    "css/charts.css",
    wide_trace=debt_fig.WIDE_LABELS_TRACE,
    narrow_trace=debt_fig.NARROW_LABELS_TRACE,
    narrow_chart_px=debt_fig.NARROW_CHART_PX,
)
# Plotly selects the point under the last hover. A tap comes without a hover, so on a
# phone the first tap only hovered (a tooltip) and a second tap selected. This hovers
# where a finger touches a chart first, so one tap selects. Installed once per browser
# tab; passive, so it never holds up scrolling.
TAP_JS = assets.script("js/tap-selects.js")


@st.cache_resource(max_entries=256, show_spinner=False)
def _journey_figure(version: str, _site: Site, current: str, highlight: str | None) -> go.Figure:
    return style.finished(
        journey_fig.journey_figure(_site.workflow, _site.roles, current, highlight)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _debt_figure(version: str, _site: Site, by_role: bool, selected: str | None) -> go.Figure:
    return style.finished(debt_fig.debt_figure(_site.debt_figure, _site.roles, by_role, selected))


@st.cache_resource(max_entries=256, show_spinner=False)
def _matrix_figure(
    version: str, _site: Site, role: str | None, activities: tuple[str, ...]
) -> go.Figure:
    return style.finished(
        matrix_fig.matrix_figure(_site.responsibilities, _site.roles, role, activities)
    )


def _missing(site: Site, file_name: str) -> None:
    st.info(
        f"This diagram is not shown: `{site.path_of(file_name)}` is missing or has a problem "
        "(listed at the top of the page).",
        icon=":material/info:",
    )


def chart_style() -> None:
    """The charts' style and tap script, one element once per page, outside the diagrams'
    fragments: a click that reruns a fragment then sends only what changed
    (docs/performance.md). The element takes no room (CHART_CSS hides it)."""
    st.html(CHART_CSS + TAP_JS, unsafe_allow_javascript=True)


def _chart(figure: go.Figure, key: str, alt: str, on_click=None) -> None:
    """A diagram; `on_click` makes its points selectable. The page draws `chart_style()`."""
    clicks = {"on_select": on_click, "selection_mode": "points"} if on_click else {}
    st.plotly_chart(figure, key=f"diagram-{key}", config=style.CHART_CONFIG, alt=alt, **clicks)


def _in_words(markdown: str) -> None:
    """The chart's text alternative, always shown: screen readers and print get it too."""
    st.markdown(f"**The chart in words**\n\n{markdown}")


def _selected_point(chart_key: str) -> str | None:
    """The customdata of the point the reader clicked, if any."""
    points = st.session_state[chart_key].selection.points
    return str(points[0]["customdata"]) if points and "customdata" in points[0] else None


def _role_choice(
    site: Site, label: str, key: str, default: str | None, on_change=None
) -> str | None:
    """A role id, or None for all roles. A radio, not pills: a selected pill's
    primary-coloured text misses the AA contrast ratio in our theme."""
    options = [None, *(role.id for role in site.roles)]
    return st.radio(
        label,
        options,
        index=options.index(default),
        format_func=lambda role_id: site.roles.get(role_id).title if role_id else "All roles",
        horizontal=True,
        key=key,
        on_change=on_change,
    )


# ---------------------------------------------------------------- the journey


def journey(site: Site, key: str = "journey", role_id: str | None = None) -> None:
    """The journey, one stage at a time: previous, play, next, or pick a stage."""
    if site.workflow is None:
        _missing(site, "workflow.yaml")
        return
    ticking = st.session_state.get(f"{key}_playing", False)
    chart_style()
    # run_every is fixed when the fragment is defined: a full rerun starts or stops it.
    st.fragment(run_every=PLAY_SECONDS if ticking else None)(_journey_body)(
        site, key, role_id, ticking
    )
    _in_words(journey_fig.journey_text(site.workflow, site.roles))  # the same for every stage


def _journey_body(site: Site, key: str, role_id: str | None, ticking: bool) -> None:
    workflow, roles = site.workflow, site.roles
    ids = [stage.id for stage in workflow.stages]
    stage_key, play_key, hold_key = f"{key}_stage", f"{key}_playing", f"{key}_hold"
    if st.session_state.get(stage_key) not in ids:
        st.session_state[stage_key] = ids[0]
    playing = st.session_state.get(play_key, False)
    if playing != ticking:
        st.rerun()
    if playing and not st.session_state.pop(hold_key, False):
        position = ids.index(st.session_state[stage_key]) + 1
        st.session_state[stage_key] = ids[min(position, len(ids) - 1)]
        if position >= len(ids) - 1:
            st.session_state[play_key] = False
    position = ids.index(st.session_state[stage_key])

    def hold() -> None:
        st.session_state[hold_key] = True

    def step(offset: int) -> None:
        st.session_state[play_key] = False
        st.session_state[stage_key] = ids[ids.index(st.session_state[stage_key]) + offset]

    def toggle_play() -> None:
        hold()
        if not st.session_state.get(play_key) and st.session_state[stage_key] == ids[-1]:
            st.session_state[stage_key] = ids[0]
        st.session_state[play_key] = not st.session_state.get(play_key, False)

    def chart_clicked() -> None:
        stage_id = _selected_point(f"diagram-{key}")
        if stage_id in ids:
            st.session_state[play_key] = False
            st.session_state[stage_key] = stage_id

    with st.container(horizontal=True, key=f"{key}_controls"):
        st.button(
            "Previous",
            icon=":material/arrow_back:",
            key=f"{key}_previous",
            disabled=position == 0,
            on_click=step,
            args=(-1,),
        )
        st.button(
            "Pause" if playing else "Play",
            icon=":material/pause:" if playing else ":material/play_arrow:",
            key=f"{key}_play",
            on_click=toggle_play,
            help="Step through every stage on its own",
        )
        st.button(
            "Next",
            icon=":material/arrow_forward:",
            key=f"{key}_next",
            disabled=position == len(ids) - 1,
            on_click=step,
            args=(1,),
        )
    st.selectbox(
        "Stage",
        ids,
        format_func=lambda stage_id: f"{ids.index(stage_id) + 1}. {workflow.stage(stage_id).title}",
        key=stage_key,
        on_change=lambda: st.session_state.update({play_key: False}),
    )
    highlight = _role_choice(site, "Highlight a role", f"{key}_role", role_id, on_change=hold)
    current = st.session_state[stage_key]
    _chart(
        _journey_figure(site.version, site, current, highlight),
        key,
        alt=journey_fig.alt_text(workflow, position + 1),
        on_click=chart_clicked,
    )
    example_href = site.example.href(current) if site.example else None
    details = journey_fig.stage_details(workflow, roles, current, example_href)
    if highlight:
        details = f"{journey_fig.role_in_journey(workflow, roles, highlight)}\n\n{details}"
    with st.container(key=f"{key}_details"):
        st.markdown(details)


# ---------------------------------------------------------------- the debt figure


def hidden_debt(site: Site, key: str = "debt") -> None:
    """The paper's figure, box by box: hover, click or pick a box to read about it."""
    if site.debt_figure is None:
        _missing(site, "hidden_debt.yaml")
        return
    chart_style()
    st.fragment(_debt_body)(site, key)
    content = site.debt_figure  # what follows is the same whichever box is picked
    ownership = f"\n\n{content.ownership_note}" if content.ownership_note else ""
    st.markdown(f"**{debt_fig.ml_code_share_sentence(content)}**{ownership}")
    # A link inside a caption is drawn at 60% opacity and fails the contrast check.
    st.caption(f"{content.caption_quote} Figure after {content.citation} {content.layout_note}")
    st.markdown(f"[Read the paper]({content.citation_url})")
    _in_words(debt_fig.debt_text(content, site.roles))


def _debt_body(site: Site, key: str) -> None:
    content, roles = site.debt_figure, site.roles
    ids = [box.id for box in content.boxes]
    box_key, reveal_key = f"{key}_box", f"{key}_reveal"

    def reveal() -> None:
        """Bring the description into view on the run this choice makes (none if the
        reader cleared the choice)."""
        if st.session_state.get(box_key) is None:
            return
        st.session_state[reveal_key] = st.session_state.get(f"{reveal_key}_count", 0) + 1
        st.session_state[f"{reveal_key}_count"] = st.session_state[reveal_key]

    def chart_clicked() -> None:
        box_id = _selected_point(f"diagram-{key}")
        if box_id in ids:
            st.session_state[box_key] = box_id
            reveal()

    by_role = st.toggle("Colour the boxes by owning role", key=f"{key}_by_role")
    selected = st.selectbox(
        "Pick a part of the system",
        ids,
        index=None,
        format_func=lambda box_id: content.box(box_id).label,
        placeholder="Choose a box to read about it",
        key=box_key,
        on_change=reveal,
    )
    _chart(
        _debt_figure(site.version, site, by_role, selected),
        key,
        alt=debt_fig.alt_text(content),
        on_click=chart_clicked,
    )
    details_key = f"{key}_details"
    with st.container(key=details_key):
        if selected:
            st.markdown(debt_fig.box_details(content, roles, selected))
            shown = st.session_state.pop(reveal_key, None)
            if shown:
                _reveal(details_key, shown)


# Scrolls the element into view only as far as needed ("nearest"): on a phone the
# description under a tall chart would otherwise be below the fold after a tap.
_REVEAL_JS = """<script>/* %s */
(() => {
  const target = document.querySelector(".st-key-%s");
  if (!target) return;
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.style.scrollMarginBottom = "1rem";
  requestAnimationFrame(() =>
    target.scrollIntoView({block: "nearest", behavior: still ? "auto" : "smooth"}));
})();
</script>"""


def _reveal(container_key: str, count: int) -> None:
    """Scroll the container into view, once: the script is drawn only on the run the
    reader's choice makes, and `count` makes each choice's script new to the browser."""
    st.html(_REVEAL_JS % (count, container_key), unsafe_allow_javascript=True)


# ---------------------------------------------------------------- who owns what


def who_owns_what(site: Site, key: str = "matrix", role_id: str | None = None) -> None:
    """The responsibility matrix, filtered by role or by activity."""
    if site.responsibilities is None:
        _missing(site, "responsibilities.yaml")
        return
    chart_style()
    st.fragment(_matrix_body)(site, key, role_id)


def _matrix_body(site: Site, key: str, role_id: str | None) -> None:
    matrix, roles = site.responsibilities, site.roles
    role = _role_choice(site, "Filter by role", f"{key}_role", role_id)
    chosen = tuple(
        st.multiselect(
            "Filter by activity",
            [activity.id for activity in matrix.activities],
            format_func=lambda activity_id: matrix.activity(activity_id).title,
            placeholder="All activities",
            key=f"{key}_activities",
        )
    )
    st.caption(matrix_fig.matrix_caption(matrix, roles, role, chosen))
    if matrix_fig.visible_activities(matrix, role, chosen):
        _chart(
            _matrix_figure(site.version, site, role, chosen),
            key,
            alt="A grid of activities against roles; the marker shows who leads, "
            "who contributes and who is kept informed.",
        )
    levels = matrix.levels
    st.markdown(
        "\n".join(
            f"- **{matrix_fig.level_name(level)}** ({matrix_fig.LEVEL_SHAPES[level]}): "
            f"{getattr(levels, level)}"
            for level in matrix_fig.LEVELS
        )
    )
    _in_words(matrix_fig.matrix_text(matrix, roles, role, chosen))


# ---------------------------------------------------------------- on a role page


def role_diagrams(site: Site, role: Role) -> None:
    """The journey with this role highlighted, and the matrix filtered to it.

    Drawn still, without the diagram pages' controls, with a link to each page
    that has them: a role page is read far more often than it is explored, and
    each control is one more element on every run (docs/performance.md).
    """
    st.header("Where this role takes part", anchor="diagrams")
    chart_style()
    workflow = site.workflow
    if workflow is None:
        _missing(site, "workflow.yaml")
    else:
        _chart(
            _journey_figure(site.version, site, NO_STAGE, role.id),
            f"{role.id}_journey",
            alt=f"{workflow.title}: a flow chart of {len(workflow.stages)} stages; the stages "
            f"where the {role.title} takes part are highlighted.",
        )
        _in_words(
            f"{journey_fig.role_in_journey(workflow, site.roles, role.id)}\n\n"
            f"{journey_fig.journey_text(workflow, site.roles)}"
        )
        _page_link("journey", "Step through the journey, stage by stage", ":material/route:")
    st.subheader("What this role owns", anchor="owns")
    matrix = site.responsibilities
    if matrix is None:
        _missing(site, "responsibilities.yaml")
        return
    st.caption(matrix_fig.matrix_caption(matrix, site.roles, role.id, ()))
    if matrix_fig.visible_activities(matrix, role.id, ()):
        _chart(
            _matrix_figure(site.version, site, role.id, ()),
            f"{role.id}_matrix",
            alt=f"A grid of the activities the {role.title} leads or contributes to; the "
            "marker shows who leads, who contributes and who is kept informed.",
        )
        _in_words(matrix_fig.matrix_text(matrix, site.roles, role.id, ()))
    _page_link("who-owns-what", "Who owns what, for every role", ":material/table:")


def _page_link(url_path: str, label: str, icon: str) -> None:
    ui.link(url_path, label=label, icon=icon)
