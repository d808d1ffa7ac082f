"""What a reader has done, kept in their own browser (localStorage), never on the server.

A small component (`st.components.v2`, no iframe, no network) reads the browser's
store once per session and reports it; until then nothing is written, so a reload
never overwrites what was kept. `kept(name)` gives back what the browser had under a
name when the session started; `keep(name, value)` stores a JSON-able value (None
forgets it). The sidebar's "Reset my progress" forgets everything.

Cost: a new tab sends one extra fragment run (the report); a returning reader whose
store held something gets one full rerun so that the menu shows their marks.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import streamlit as st

from teamroles import progress
from teamroles.ui import assets

TOKEN = "progress_token"  # this session's read token: a report must carry it
KEPT = "progress_kept"  # what the browser reported, by name (absent until it did)
VISITED = "visited_pages"  # set of url paths this reader has seen
FORGET = "progress_forget"  # names to remove from the store on the next sidebar run
RESET_DONE = "progress_reset_done"  # set by the reset button: the next run redraws the app
# What a reset forgets besides the visited pages: each feature that keeps a reader's
# state in the session hands over the function that drops its own keys (`on_reset`).
_forgetters: dict[str, Callable[[], None]] = {}

# The browser side: assets/js/progress.js.
_JS = "\n" + assets.read("js/progress.js")

_store = st.components.v2.component("teamroles.progress", js=_JS)


def visited() -> set[str]:
    """The url paths this reader has seen (this session, and before if the browser kept them)."""
    return st.session_state.setdefault(VISITED, set())


def reported() -> bool:
    return KEPT in st.session_state


def kept(name: str) -> Any | None:
    """The value this browser kept under `name`, as it was when the session started."""
    return st.session_state.get(KEPT, {}).get(name)


def keep(name: str, value: Any | None) -> None:
    """Store `value` (JSON-able) under `name` in this browser; None forgets it.

    Draws an empty component where it is called (inside a fragment, the fragment's
    rerun carries it). Before the browser has reported, nothing is written.
    """
    if reported():
        _write(f"progress-keep-{name}", {name: value})


def _write(key: str, values: dict[str, Any | None]) -> None:
    _store(key=key, data=write_data(values))


# The component's data is a mapping of plain values (text, numbers): a list or a mapping
# in it makes Streamlit look for data frames there, which imports pandas (about 0.3 s on
# the first page a server draws). So what is nested travels as JSON text.


def write_data(values: dict[str, Any | None]) -> dict[str, str]:
    """What the store writes: each name's encoded value, or None to forget it."""
    encoded = {name: None if v is None else progress.encode(v) for name, v in values.items()}
    return {"write": json.dumps(encoded)}


def read_data(token: str) -> dict[str, str]:
    """What the store reads and reports, with this session's read token."""
    return {"read": token, "names": json.dumps(list(progress.NAMES))}


def on_reset(forget: Callable[[], None]) -> None:
    """Have "Reset my progress" call `forget`, which drops its feature's session keys.
    Registered once per function (a module imported again replaces its own)."""
    _forgetters[f"{forget.__module__}.{forget.__qualname__}"] = forget


def sidebar(known: set[str]) -> None:
    """The store's reader and the visited pages' writer, with "Reset my progress"."""
    _sidebar(frozenset(known))


@st.fragment
def _sidebar(known: frozenset[str]) -> None:
    pages = visited()
    if not reported():
        token = st.session_state.setdefault(TOKEN, secrets.token_hex(6))
        result = _store(key="progress-read", data=read_data(token), on_kept_change=_noop)
        report = progress.parse_report(result.get("kept"), token)
        if report is not None:
            st.session_state[KEPT] = report
            before = len(pages)
            pages |= progress.visited_pages(report.get(progress.VISITED), set(known))
            if len(pages) > before or report.get(progress.QUIZ) is not None:
                # The menu's marks and the kept quiz are drawn by the full run.
                st.rerun(scope="app")
    if st.session_state.pop(RESET_DONE, False):
        st.rerun(scope="app")  # the menu's marks go too
    if not reported():
        return
    keep(progress.VISITED, sorted(pages))
    forget = st.session_state.pop(FORGET, ())
    if forget:
        _write("progress-forget", dict.fromkeys(forget))
    st.button(
        "Reset my progress",
        icon=":material/restart_alt:",
        type="tertiary",
        help="Forget, in this browser, the pages you visited and your unfinished quiz.",
        on_click=_reset,
        key="progress-reset",
    )


def _noop() -> None:
    """A state the component reports must have a callback; the fragment reads it."""


def _reset() -> None:
    for forget in list(_forgetters.values()):
        forget()
    st.session_state[VISITED] = set()
    st.session_state[KEPT] = {}
    st.session_state[FORGET] = [name for name in progress.NAMES if name != progress.VISITED]
    st.session_state[RESET_DONE] = True
    st.query_params.clear()
