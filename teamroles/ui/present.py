"""Draws /present: a deck on the projector, its speaker view, the keys and the sync.

The deck itself (which slides, what each holds) is decided in `teamroles.content.deck`; this
module only draws. The slide on screen lives in the session and in the URL
(`?deck=the-team&slide=7`), so a link opens that slide and a reload keeps it.

- Keys: a small component (`st.components.v2`, no iframe) listens to the page's
  keydown (arrows, Page Up/Down, space, Home/End: what presentation clickers send)
  and reports a move; a move reruns only the deck's fragment.
- Two windows of one presenter (the projected view and the speaker view) follow each
  other through the browser's own storage: each window writes the slide it shows,
  and the other hears the `storage` event and moves there. Nothing goes through the
  server, so two presenters on one server never move each other's decks.
"""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

import streamlit as st

from teamroles.content.deck.model import Deck, Slide, parse_slide_param, slide_at
from teamroles.content.site import Site
from teamroles.deck_export import export_html
from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import style
from teamroles.figures.slides import slide_figure
from teamroles.room import RoomError
from teamroles.room import screens as workshop
from teamroles.ui import diagrams as diagram_views
from teamroles.ui import host as workshop_ui
from teamroles.ui import room as room_ui
from teamroles.ui import shell as ui

VIEWS = ("projector", "speaker")
KEYS = "present-keys"  # the key of the keys-and-sync component
NUMBER = "present_slide"  # session: {deck id: slide number on screen}
LEAVING = "present_leaving"  # set by "Leave the deck": the next run is the landing page
LINKED = "present_linked"  # session: {deck id: the slide= this session last put in the URL}
STARTED = "present_started"  # session: when the speaker view's clock started (epoch ms)
ROOMS = "present_rooms"  # session: {(deck id, slide number): (room code, host token)}
# The address: one `live=CODE.TOKEN` per live slide with a room, the host link of each
# (see _live_room); and the session's record of the values it has already checked.
LIVE = "live"
LIVE_CHECKED = "present_live_checked"
ROOM_ERROR = "present_room_error"
CHART_FONT_PX = 24  # chart text on a slide: at least 24 px
# A chart's height: as tall as a 1920x1080 screen leaves it beside or under the words.
CHART_HEIGHT_PX = {"journey": 930, "matrix": 930, "debt": 760}
QUESTIONS = ("question", "live")  # slides whose body is a statement for the room
# How a slide uses the frame (the key of its inner container, `st-key-slide-<layout>`):
# the title slide centred; words alone across the whole width, in larger type; words
# beside a chart; the debt figure across the width with its words beside it.
LAYOUTS = ("cover", "text", "chart", "debt")

# The projected screen: no menu, no header, the whole width; type that reads from the
# back of a room. Sizes are in `--u`, a hundredth of the 16:9 frame's width (19.2 px at
# 1920x1080, 12.8 px at 1280x720), as reveal.js scales a slide to its window; scoped to
# the slide's container (`st-key-slide`).
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
  max-width: none !important; padding: 1rem 3.5rem 0.75rem 3.5rem !important;
}
.st-key-slide {
  --u: min(1vw, calc((100vh - 5rem) * 16 / 900));
  min-height: calc(100vh - 6.5rem); justify-content: center;
}
.st-key-slide [data-testid="stMarkdownContainer"] :is(p, li, td, th) {
  font-size: calc(var(--u) * 1.9) !important; line-height: 1.3;
}
.st-key-slide [data-testid="stMarkdownContainer"] li { margin-bottom: 0.3em; }
.st-key-slide h1 {
  font-size: calc(var(--u) * 3.6) !important; line-height: 1.1; padding: 0 0 0.4em 0;
}
.st-key-slide h3 { font-size: calc(var(--u) * 2.6) !important; }
.st-key-slide-label [data-testid="stMarkdownContainer"] p {
  font-size: calc(var(--u) * 1.25) !important; text-transform: uppercase;
  letter-spacing: 0.08em; opacity: 0.85; margin: 0;
}
.st-key-slide-statement [data-testid="stMarkdownContainer"] p {
  font-size: calc(var(--u) * 3.1) !important; font-weight: 600; line-height: 1.2;
}
/* Words alone: the whole frame, larger type. */
.st-key-slide-text h1 { font-size: calc(var(--u) * 4) !important; }
.st-key-slide-text [data-testid="stMarkdownContainer"] :is(p, li) {
  font-size: calc(var(--u) * 2.25) !important;
}
.st-key-slide-text .st-key-slide-statement [data-testid="stMarkdownContainer"] p {
  font-size: calc(var(--u) * 3.4) !important;
}
/* What vs How: the two definitions side by side. */
.st-key-slide-body-what-vs-how [data-testid="stMarkdownContainer"] {
  display: grid; grid-template-columns: 1fr 1fr; grid-auto-flow: column;
  grid-template-rows: auto 1fr; column-gap: calc(var(--u) * 4);
}
/* The title slide: large type, centred. */
.st-key-slide-cover { text-align: center; align-items: center; }
.st-key-slide-cover h1 {
  font-size: calc(var(--u) * 7.5) !important; line-height: 1.05; padding-bottom: 0.25em;
}
.st-key-slide-cover [data-testid="stMarkdownContainer"] p {
  font-size: calc(var(--u) * 3.2) !important; opacity: 0.85;
}
.st-key-slide-cover [data-testid="stMarkdownContainer"] { text-align: center; }
.st-key-slide-bar button { min-height: 2.75rem; }
.st-key-slide-bar [data-testid="stMarkdownContainer"] p { font-size: 1.25rem !important; }
.st-key-slide-count [data-testid="stMarkdownContainer"] p {
  font-size: 1.4rem !important; font-variant-numeric: tabular-nums;
}
[data-testid="stElementContainer"]:has(> [data-testid="stBidiComponent"]) { display: none; }
</style>"""


_KEYS_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data) return;
  const name = "teamroles.present." + data.deck;
  try {
    if (localStorage.getItem(name) !== String(data.slide)) {
      localStorage.setItem(name, String(data.slide));
    }
  } catch (e) { /* no storage: the windows just do not follow each other */ }
  const moves = {
    ArrowRight: "next", ArrowDown: "next", PageDown: "next", " ": "next",
    ArrowLeft: "previous", ArrowUp: "previous", PageUp: "previous",
    Home: "first", End: "last",
  };
  const onKey = (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (target && (target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) ||
        (target.closest && target.closest('[role="radiogroup"], [role="listbox"]')))) return;
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    setTriggerValue("move", move);
  };
  const onStorage = (event) => {
    if (event.key !== name || event.newValue === null) return;
    const number = parseInt(event.newValue, 10);
    if (number && number !== data.slide) setTriggerValue("move", "to:" + number);
  };
  window.addEventListener("keydown", onKey);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener("keydown", onKey);
    window.removeEventListener("storage", onStorage);
  };
}
"""

_CLOCK_JS = """
export default function (component) {
  const { data, parentElement } = component;
  let face = parentElement.querySelector("output");
  if (!face) {
    face = document.createElement("output");
    face.setAttribute("aria-label", "Time since you started presenting");
    parentElement.appendChild(face);
  }
  const show = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - data.start) / 1000));
    const minutes = Math.floor(seconds / 60);
    face.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
  };
  show();
  const timer = setInterval(show, 1000);
  return () => clearInterval(timer);
}
"""
_CLOCK_CSS = """
output { font-size: 2.5rem; font-weight: 700; font-variant-numeric: tabular-nums;
         color: var(--st-text-color); font-family: var(--st-font); }
"""

_keys = st.components.v2.component("teamroles.present_keys", js=_KEYS_JS)
_clock = st.components.v2.component("teamroles.present_clock", js=_CLOCK_JS, css=_CLOCK_CSS)


def page() -> None:
    """/present: the list of decks; with `?deck=` the deck itself, in the view it names."""
    site = ui.site()
    decks = {deck.id: deck for deck in site.decks}
    params = st.query_params
    wanted = params.get("deck")
    if not wanted or wanted not in decks:
        landing(site, wanted)
        return
    deck = decks[wanted]
    view = params.get("view") if params.get("view") in VIEWS else "projector"
    numbers = st.session_state.setdefault(NUMBER, {})
    linked = st.session_state.setdefault(LINKED, {})
    # The URL's slide counts when the session starts or when it is not the one this
    # session put there (a link typed or pasted); otherwise the session's slide holds.
    if deck.id not in numbers or params.get("slide") not in (None, linked.get(deck.id)):
        numbers[deck.id] = slide_at(deck, params.get("slide")).number
    st.set_page_config(page_title=f"{deck.title} · Presenting · The Team", layout="wide")
    # Style only (so it takes no room): this page's and the diagrams' (text colour, the
    # debt figure's label sets). The diagrams' tap script is for phones, not projectors.
    st.html(PRESENT_CSS + diagram_views.CHART_CSS)
    _deck(deck.id, view)


def landing(site: Site, wanted: str | None) -> None:
    """What a facilitator sees first: each deck, how to present it, and the file."""
    st.title(ui.current_page().title)
    if wanted:
        st.warning(
            f"There is no deck '{wanted}'."
            + (f" Decks: {', '.join(deck.id for deck in site.decks)}." if site.decks else ""),
            icon=":material/warning:",
        )
    if not site.decks:
        st.info(
            "There is no deck to present yet. A deck is a file in `content/decks/`: see "
            "docs/presenting.md.",
            icon=":material/info:",
        )
        ui.reading_links()
        return
    st.markdown(
        "Present the explainer itself to a room, one idea per slide, full screen. "
        "Move with the arrow keys, Page Up/Down or space (what a presentation clicker "
        "sends) or the buttons. The speaker view, in a second window on your laptop, shows "
        "the notes, the next slide and a clock, and both windows follow each other."
    )
    here = ui.nav().page(ui.current_page().url_path)
    for deck in site.decks:
        with st.container(border=True, key=f"deck-{deck.id}"):
            st.markdown(
                f"### {deck.title}\n\n{deck.summary}\n\n{len(deck)} slides · `{deck.source}`"
            )
            with st.container(horizontal=True):
                st.page_link(
                    here,
                    label="Present on this screen",
                    icon=":material/slideshow:",
                    query_params={"deck": deck.id},
                )
                st.page_link(
                    here,
                    label="Speaker view",
                    icon=":material/speaker_notes:",
                    query_params={"deck": deck.id, "view": "speaker"},
                )
                export_button(deck, "Download as one HTML file", f"deck-export-{deck.id}")
    ui.reading_links()


def _number(deck: Deck) -> int:
    return st.session_state[NUMBER][deck.id]


def _go(deck: Deck, move: str) -> None:
    """Move the deck: next, previous, first, last or to:N (from the other window)."""
    here = _number(deck)
    if move.startswith("to:"):
        wanted = parse_slide_param(move[3:]) or here
    else:
        wanted = {"next": here + 1, "previous": here - 1, "first": 1, "last": len(deck)}.get(
            move, here
        )
    st.session_state[NUMBER][deck.id] = slide_at(deck, wanted).number


def _on_key(deck_id: str) -> None:
    move = (st.session_state.get(KEYS) or {}).get("move")
    deck = _find(deck_id)
    if move and deck is not None:
        _go(deck, str(move))


def _find(deck_id: str) -> Deck | None:
    return next((deck for deck in ui.site().decks if deck.id == deck_id), None)


@st.fragment
def _deck(deck_id: str, view: str) -> None:
    deck = _find(deck_id)
    if deck is None or st.session_state.pop(LEAVING, False):
        st.rerun()  # left, or the file was removed or broke since: the full page says so
    slide = slide_at(deck, _number(deck))
    st.session_state.setdefault(LINKED, {})[deck.id] = str(slide.number)
    st.query_params.update({"deck": deck.id, "slide": str(slide.number)})
    if view == "speaker":
        _speaker(deck, slide)
    else:
        with st.container(key="slide"):
            draw_slide(ui.site(), deck, slide)
        _bar(deck, slide)
    _keys(
        key=KEYS,
        data={"deck": deck.id, "slide": slide.number},
        on_move_change=lambda: _on_key(deck.id),
    )


def layout_of(slide: Slide) -> str:
    """How the slide uses the frame: one of LAYOUTS."""
    if slide.kind == "title":
        return "cover"
    if slide.figure == "debt":
        return "debt"
    return "chart" if slide.figure else "text"


def draw_slide(site: Site, deck: Deck, slide: Slide, compact: bool = False) -> None:
    """One slide: its label, title, body, and its chart or live room.

    On the projector (not `compact`), the slide's layout (`layout_of`) decides how it
    uses the frame: a chart slide puts its words on the left and the chart, as tall as
    the screen allows, on the right; the debt figure is wide, so its words go beside it;
    words alone take the whole width; the title slide is centred."""
    if compact:
        _words(deck, slide, compact=True)
        if slide.is_live and _live_room(deck.id, slide) is not None:
            _live_note(deck.id, slide)
        return
    layout = layout_of(slide)
    with st.container(key=f"slide-{layout}"):
        if layout == "chart":
            words, chart = st.columns(2, gap="large")
        else:
            words = chart = st.container()
        with words:
            _words(deck, slide, compact=False)
        if slide.is_live:
            _live(site, deck, slide)
        elif slide.figure == "debt" and site.debt_figure is not None:
            _debt_slide(site, slide)
        elif slide.figure == "journey" and not slide.stage_id and site.workflow is not None:
            _journey_slide(site, slide, words, chart)
        elif slide.figure:
            figure = _slide_chart(site.version, site, deck.id, slide.number)
            if figure is not None:
                with chart:
                    _figure(figure, f"slide-chart-{slide.number}", slide.alt)


def _words(deck: Deck, slide: Slide, compact: bool) -> None:
    """The slide's label, title and body (the debt slide says its words beside the figure;
    a running room shows the question itself)."""
    if slide.label:
        with st.container(key="slide-label" if not compact else None):
            st.markdown(slide.label)
    st.markdown(f"# {slide.title}" if not compact else f"### {slide.title}")
    running = slide.is_live and _live_room(deck.id, slide) is not None
    elsewhere = not compact and (slide.figure == "debt" or running)
    if not slide.body or elsewhere:
        return
    key = None
    if not compact and slide.kind in QUESTIONS:
        key = "slide-statement"
    elif not compact and slide.kind == "what-vs-how":
        key = "slide-body-what-vs-how"
    with st.container(key=key):
        st.markdown(slide.body)


def _figure(figure, key: str, alt: str, on_select=None) -> None:
    """A chart in its box (`slide-chart-box`), at its slide height (CHART_HEIGHT_PX)."""
    clicks = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    with st.container(key="slide-chart-box"):
        st.plotly_chart(figure, key=key, config=style.CHART_CONFIG, alt=alt, **clicks)


def slide_sized(figure, height: int | None = None):
    """A chart's text at slide size (CHART_FONT_PX), and its height for a slide."""
    figure.update_layout(font={"size": CHART_FONT_PX}, legend={"font": {"size": CHART_FONT_PX}})
    for trace in figure.data:
        if trace.type == "scatter" and trace.mode and "text" in trace.mode:
            trace.textfont.size = max(trace.textfont.size or 0, CHART_FONT_PX)
    for annotation in figure.layout.annotations:
        annotation.font.size = max(annotation.font.size or 0, CHART_FONT_PX)
    figure.update_xaxes(tickfont={"size": CHART_FONT_PX})
    figure.update_yaxes(tickfont={"size": CHART_FONT_PX})
    if height:
        figure.update_layout(height=height)
    return style.finished(figure)


_charts: dict[tuple, object] = {}  # (content version, ...) -> a finished figure


def _cached(key: tuple, build):
    if key not in _charts:
        if len(_charts) > 256:
            _charts.clear()
        _charts[key] = build()
    return _charts[key]


def _slide_chart(version: str, site: Site, deck_id: str, number: int):
    """The slide's chart in slide-sized type, built once per content version."""

    def build():
        deck = next(deck for deck in site.decks if deck.id == deck_id)
        slide = slide_at(deck, number)
        figure = slide_figure(slide, site)
        return None if figure is None else slide_sized(figure, CHART_HEIGHT_PX.get(slide.figure))

    return _cached((version, deck_id, number), build)


def _debt_slide(site: Site, slide: Slide) -> None:
    """The debt figure, live: a click on a box shows what it is, beside the figure."""
    content = site.debt_figure
    box_key = f"present-debt-{slide.number}"
    chart_key = "diagram-debt"  # the charts' style picks its labels by this key

    def clicked() -> None:
        points = st.session_state[chart_key].selection.points
        box_id = str(points[0].get("customdata")) if points else None
        if box_id in {box.id for box in content.boxes}:
            st.session_state[box_key] = box_id

    selected = st.session_state.get(box_key)
    figure = _cached(
        (site.version, "debt", selected),
        lambda: slide_sized(
            debt_fig.debt_figure(content, site.roles, True, selected), CHART_HEIGHT_PX["debt"]
        ),
    )
    chart, words = st.columns([3, 1], gap="large")
    with chart:
        _figure(figure, chart_key, slide.alt, on_select=clicked)
    with words:
        if selected:
            st.markdown(debt_fig.box_details(content, site.roles, selected))
        else:
            st.markdown(f"{slide.body}\n\n*Click a box: what it is, and who owns it.*")


def _journey_slide(site: Site, slide: Slide, words, chart) -> None:
    """The whole journey, stepped through stage by stage with two buttons."""
    stages = site.workflow.stages
    step_key = f"present-journey-{slide.number}"
    step = min(st.session_state.get(step_key, 0), len(stages) - 1)
    stage = stages[step]
    figure = _cached(
        (site.version, "journey", stage.id),
        lambda: slide_sized(
            journey_fig.journey_figure(site.workflow, site.roles, stage.id),
            CHART_HEIGHT_PX["journey"],
        ),
    )
    with chart:
        _figure(figure, f"slide-journey-{slide.number}", slide.alt)
    with words:
        st.markdown(f"**{step + 1}. {stage.title}**: {stage.summary}")
        with st.container(horizontal=True):
            st.button(
                "Previous stage",
                icon=":material/arrow_upward:",
                disabled=step == 0,
                on_click=lambda: st.session_state.update({step_key: step - 1}),
                key=f"{step_key}-previous",
            )
            st.button(
                "Next stage",
                icon=":material/arrow_downward:",
                disabled=step == len(stages) - 1,
                on_click=lambda: st.session_state.update({step_key: step + 1}),
                key=f"{step_key}-next",
            )


def _bar(deck: Deck, slide: Slide) -> None:
    """Previous, the counter, next; the speaker view and the way out, small."""
    with st.container(horizontal=True, key="slide-bar", vertical_alignment="center"):
        _step_buttons(deck, slide, "slide", counter=True)
        speaker = "?" + urlencode(
            [("deck", deck.id), ("slide", slide.number), ("view", "speaker"), *_live_params()]
        )
        st.markdown(f"[Speaker view]({speaker}) (opens a window) · Keys: ← → Page Up/Down, space")
        st.button("Leave the deck", icon=":material/close:", on_click=_leave, key="slide-leave")


def _leave() -> None:
    """Back to the list of decks: the address loses `?deck=`, and the page runs whole."""
    st.query_params.clear()
    st.session_state[LEAVING] = True


def _step_buttons(deck: Deck, slide: Slide, prefix: str, counter: bool = False) -> None:
    """Previous and Next (keys `<prefix>-previous`, `<prefix>-next`), the counter between."""
    st.button(
        "Previous",
        icon=":material/arrow_back:",
        disabled=slide.number == 1,
        on_click=_go,
        args=(deck, "previous"),
        key=f"{prefix}-previous",
    )
    if counter:
        with st.container(key="slide-count", width="content"):
            st.markdown(f"{slide.number} / {len(deck)}")
    st.button(
        "Next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=slide.number == len(deck),
        on_click=_go,
        args=(deck, "next"),
        key=f"{prefix}-next",
    )


def _speaker(deck: Deck, slide: Slide) -> None:
    """For the presenter's laptop: this slide, the next, the notes and a clock."""
    site = ui.site()
    following = slide_at(deck, slide.number + 1) if slide.number < len(deck) else None
    started = st.session_state.setdefault(STARTED, int(time.time() * 1000))
    st.markdown(f"## Speaker view · {deck.title} · slide {slide.number} of {len(deck)}")
    with st.container(horizontal=True, key="speaker-top", vertical_alignment="center"):
        _step_buttons(deck, slide, "speaker")
        _clock(key="speaker-clock", data={"start": started}, width="content")
        st.button(
            "Restart the clock",
            icon=":material/timer:",
            on_click=lambda: st.session_state.update({STARTED: int(time.time() * 1000)}),
            key="speaker-clock-restart",
        )
    now, then = st.columns([3, 2], gap="large")
    with now, st.container(border=True, key="speaker-now"):
        st.caption("On screen now")
        draw_slide(site, deck, slide, compact=True)
    with then, st.container(border=True, key="speaker-next-slide"):
        st.caption("Next")
        if following is None:
            st.markdown("*The end of the deck.*")
        else:
            draw_slide(site, deck, following, compact=True)
    with st.container(key="speaker-notes"):
        st.markdown("#### Notes")
        st.markdown(slide.notes or "*No notes for this slide.*")
    projector = "?" + urlencode([("deck", deck.id), ("slide", slide.number), *_live_params()])
    st.markdown(
        f"[Open the projected view]({projector}) in a second window and move it to the "
        "projector: both windows follow each other, from the keys or the buttons of either."
    )
    export_button(deck, "Download this deck as one HTML file, with notes", "speaker-export")


def export_button(deck: Deck, label: str, key: str) -> None:
    """The deck as one offline HTML file, with notes, built only when asked for."""
    st.download_button(
        label,
        # The site is bound now: the data is built later, outside this script run.
        data=functools.partial(_export, ui.site(), deck),
        file_name=f"{deck.id}.html",
        mime="text/html",
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )


def _export(site: Site, deck: Deck) -> str:
    """The file (about 5 MB: plotly.js is inline), built once per content version."""
    return _cached(("export", site.version, deck.id), lambda: export_html(deck, site, notes=True))


def _live(site: Site, deck: Deck, slide: Slide) -> None:
    """A live question: open a room for it, show the join code, then the room as it
    answers and the reveal, without leaving the deck."""
    with room_ui.database_guard():
        room = _live_room(deck.id, slide)
        if room is None:
            st.markdown(
                "Ask the room this question live: everyone answers on their phone, and the "
                "answers show here."
            )
            st.button(
                "Open a room for this question",
                icon=":material/co_present:",
                type="primary",
                on_click=_open_room,
                args=(deck.id, slide),
                key=f"slide-live-open-{slide.number}",
            )
            room_ui.show_action_error(ROOM_ERROR)
            return
        code, token = room
        try:
            state = room_ui.service().state(code)
        except RoomError as error:  # deleted (purged, say): the slide offers a new room
            room_ui.show_error(error)
            _forget_room(deck.id, slide)
            return
        st.html(workshop_ui.HOST_CSS)  # style only: the room's large code, counts and chart text
        ticking = state.phase != "ended"
        # The room's listener (in host_live) reruns this fragment when the room changes.
        st.fragment(workshop_ui.host_live)(
            code, token, ticking, functools.partial(_live_ending, deck.id, slide)
        )


def _live_ending(deck_id: str, slide: Slide) -> None:
    """The end of a live slide's room: ask the question again, and stay in the deck."""
    if st.button("Ask it again in a new room", icon=":material/replay:", key="slide-live-again"):
        _open_room(deck_id, slide)
        st.rerun()  # the whole deck: the slide's room is another one now


def _live_params() -> list[tuple[str, str]]:
    """The address's live rooms, for a link to the deck's other view."""
    return [(LIVE, value) for value in st.query_params.get_all(LIVE)]


def _live_room(deck_id: str, slide: Slide) -> tuple[str, str] | None:
    """The room (code, host token) this session runs for a live slide, or None.

    The session remembers it; the address keeps it as `live=CODE.TOKEN`, so a reload,
    another server or the other window (its link carries the address's rooms) finds
    the same room. A value from the address counts only if its token controls the room
    (`check_host`, as every host action checks it again) and the room asks this
    slide's one question: a forged or foreign link controls nothing."""
    rooms = st.session_state.setdefault(ROOMS, {})
    if (deck_id, slide.number) in rooms:
        return rooms[(deck_id, slide.number)]
    checked = st.session_state.setdefault(LIVE_CHECKED, set())
    for value in st.query_params.get_all(LIVE):
        if value in checked:
            continue
        code, _, token = value.partition(".")
        code = workshop.read_code(code)
        try:
            if code and token and _asks(room_ui.service(), code, token, slide):
                rooms[(deck_id, slide.number)] = (code, token)
                return code, token
        except room_ui.database_trouble():
            return None  # not checked: the next run tries again
        checked.add(value)
    return None


def _asks(service, code: str, token: str, slide: Slide) -> bool:
    """Whether `token` controls room `code` and that room asks the slide's question."""
    try:
        state = service.check_host(code, token)
        return (
            state.quiz_id == slide.quiz_id
            and state.total == 1
            and service.question(code, 0).id == slide.question_id
        )
    except RoomError:  # NotHost, or the room is gone
        return False


def _live_note(deck_id: str, slide: Slide) -> None:
    """The speaker view's line about the slide's room: the same one the projector runs."""
    code, _ = _live_room(deck_id, slide)
    with room_ui.database_guard():
        try:
            state = room_ui.service().state(code)
        except RoomError as error:
            room_ui.show_error(error)
            return
        where = {
            "lobby": "people are joining",
            "question": "the question is open",
            "revealed": "the answer is showing",
            "ended": "ended",
        }[state.phase]
        st.markdown(f"Live room {code}: {where}.")


def _open_room(deck_id: str, slide: Slide) -> None:
    """A new room for the slide (in place of its last one), in the session and the address."""
    created = room_ui.run_action(
        ROOM_ERROR,
        room_ui.service().create_room,
        slide.quiz_id,
        question_ids=(slide.question_id,),
        shuffle=False,
    )
    if created is None:
        return
    _forget_room(deck_id, slide)
    st.session_state.setdefault(ROOMS, {})[(deck_id, slide.number)] = (
        created.code,
        created.host_token,
    )
    st.query_params[LIVE] = [*st.query_params.get_all(LIVE), f"{created.code}.{created.host_token}"]


def _forget_room(deck_id: str, slide: Slide) -> None:
    """The slide has no room now: out of the session and the address."""
    room = st.session_state.setdefault(ROOMS, {}).pop((deck_id, slide.number), None)
    if room is not None:
        kept = [value for value in st.query_params.get_all(LIVE) if value != ".".join(room)]
        st.query_params[LIVE] = kept
