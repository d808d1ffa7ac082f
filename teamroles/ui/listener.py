"""The room's listener: a live fragment reruns when its room changes, not on a timer.

`listen(...)` draws one small `st.components.v2` element (no iframe, nothing visible;
its JavaScript is `assets/js/listener.js`) inside the calling fragment. In the
browser it long-polls `GET /rooms/{code}/changes?after={version}[&seen={activity}]`
(teamroles/web/routes.py) and, when the room is newer than what the fragment drew,
sets its trigger value `changed`, which reruns that fragment only. A waiting phone
therefore costs no script run at all.

If the route keeps failing (404, 5xx, blocked by a proxy, offline) the element falls
back to firing its trigger every `fallback_ms` (2 s on a phone, 1 s on the host, as
the timers did), so the room never stalls; it keeps trying the route and goes back
to push when it answers. A countdown ticks in the browser (the text each second)
and reruns the fragment once when time is up. AppTest runs no JavaScript: the
fragment draws as on any run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from teamroles.room import RoomState
from teamroles.room import broker as room_broker

JS_PATH = Path(__file__).resolve().parents[2] / "assets" / "js" / "listener.js"
COMPONENT = "teamroles.listener"
TRIGGER = "changed"
KEY = "room-listener"
PHONE_FALLBACK_MS = 2000
HOST_FALLBACK_MS = 1000
# The host's view redraws at most this often for joins and answers.
HOST_MIN_INTERVAL_MS = 250

_listener = st.components.v2.component(
    COMPONENT, js=JS_PATH.read_text(encoding="utf-8"), isolate_styles=False
)


def host_seen(code: str) -> int:
    """The room's activity as this server's broker knows it: read it BEFORE the counts a
    host view draws, and pass it to `listen(seen=...)` (0 without a broker)."""
    return room_broker.seen_activity(code) or 0


def listen(
    code: str,
    version: int,
    *,
    seen: int | None = None,
    fallback_ms: int = PHONE_FALLBACK_MS,
    countdown_ms: int | None = None,
    key: str = KEY,
) -> None:
    """Rerun the enclosing fragment when room `code` is newer than `version` (or, with
    `seen`, when anyone joined or answered since). `countdown_ms`: how long the open
    question has left as drawn (the browser ticks it down)."""
    data = {
        "code": code,
        "version": version,
        "seen": seen,
        "fallback_ms": fallback_ms,
        "min_interval_ms": HOST_MIN_INTERVAL_MS,
    }
    if countdown_ms is not None:
        data["countdown_ms"] = max(int(countdown_ms), 0)
    _listener(key=key, data=data, on_changed_change=_rerun_fragment)


def countdown_ms(state: RoomState) -> int | None:
    """Milliseconds the open question has left, for `listen` (None: no countdown)."""
    if state.phase != "question" or state.deadline is None:
        return None
    return int((state.deadline - datetime.now(UTC)).total_seconds() * 1000)


def _rerun_fragment() -> None:
    """The trigger's callback: nothing to do, the fragment's rerun draws the room."""


def follow(state: RoomState, ticking: bool, fallback_ms: int, seen: int | None = None) -> None:
    """Keep a live fragment on its room: a room that ended (or a fragment drawn for an
    ended room that is live again) reruns the page, whose fragment is then of the right
    kind; a live room gets its listener (with the host's `seen`, None on a phone)."""
    if (state.phase != "ended") != ticking:
        st.rerun()
    if ticking:
        listen(
            state.code,
            state.version,
            seen=seen,
            fallback_ms=fallback_ms,
            countdown_ms=countdown_ms(state),
        )
