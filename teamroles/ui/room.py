"""Streamlit pieces both workshop pages share: the one RoomService, links, errors.

`teamroles.room.screens` decides; `workshop_ui` (the host) and `join_ui` (a participant)
draw; this module opens the service and shows what goes wrong as sentences.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from teamroles.room import RoomError
from teamroles.room import database as room_database
from teamroles.room import links as room_links
from teamroles.room import screens as workshop
from teamroles.textsafe import plain

if TYPE_CHECKING:
    from teamroles.room import RoomService

DATABASE_URL_KEY = "room_database_url"
DATABASE_DOWN_TEXT = (
    "The room's database cannot be reached right now. This page tries again by itself; "
    "if it keeps failing, tell the facilitator."
)


@functools.lru_cache(maxsize=8)
def service_for(url: str) -> RoomService:
    """One service (one connection pool) per database URL for the whole process.

    A plain cache: every phone's timer asks for it, and st.cache_resource hashes
    its arguments on each call. The service (SQLAlchemy, Alembic, the quiz banks) is
    imported here, on a room's first use: a page that draws only a form never pays for it."""
    from teamroles.room.engines import open_service

    return open_service(url)


def database_trouble() -> tuple[type[Exception], ...]:
    """The database went away (a restart, a network hiccup): worth saying, and retrying.

    A function, for `except database_trouble():`, so that SQLAlchemy is imported only
    once an error is on its way (and then it is loaded already)."""
    from sqlalchemy import exc

    return (exc.OperationalError, exc.InterfaceError)


def secrets_url() -> str | None:
    """`[connections.rooms] url` from `.streamlit/secrets.toml`, if there is one."""
    try:
        return st.secrets["connections"]["rooms"]["url"]
    except (FileNotFoundError, KeyError, AttributeError, TypeError):
        return None  # no secrets file (Streamlit raises), or no such entry


def service() -> RoomService:
    """The process's RoomService, for $TEAMROLES_DATABASE_URL, the secrets' URL or the
    SQLite default (`teamroles.room.database.database_url`).

    The URL is worked out once per session: the live views call this on every tick."""
    url = st.session_state.get(DATABASE_URL_KEY)
    if url is None:
        url = st.session_state[DATABASE_URL_KEY] = room_database.database_url(secrets_url())
    return service_for(url)


def app_base_url() -> str:
    """The app's root URL as the browser sees it (behind a proxy too)."""
    try:
        page_url = st.context.url
    except Exception:  # outside a browser session (AppTest): the fallback
        page_url = None
    current = st.session_state.get("nav")
    url_path = current.current.url_path if current is not None else ""
    return workshop.base_url(page_url, url_path)


def join_url(code: str) -> str:
    return room_links.join_url(app_base_url(), code)


def host_url(code: str, host_token: str) -> str:
    return room_links.host_url(app_base_url(), code, host_token)


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(url: str) -> bytes:
    return room_links.qr_png(url)


T = TypeVar("T")


def run_action(
    error_key: str,
    action: Callable[..., T],
    *args,
    keep: Callable[[Exception, str], object] | None = None,
    **kwargs,
) -> T | None:
    """Run one room action (a button's callback): its result, or None when it failed.

    The one place where an action's failure becomes a sentence: a RoomError says
    why, a database that cannot be reached says so (DATABASE_DOWN_TEXT), and the
    sentence is stored in `st.session_state[error_key]` for the page's next run to
    show (`show_action_error`). `keep(error, sentence)` stores something else
    instead (a phone keys its message to the room's version). Any other error is a
    bug and is raised."""
    try:
        return action(*args, **kwargs)
    except RoomError as error:
        failure, sentence = error, str(error)
    except database_trouble() as error:
        failure, sentence = error, DATABASE_DOWN_TEXT
    st.session_state[error_key] = sentence if keep is None else keep(failure, sentence)
    return None


def show_action_error(error_key: str, icon: str = ":material/error:") -> None:
    """The sentence `run_action` stored, once, as text (it may quote a nickname)."""
    sentence = st.session_state.pop(error_key, None)
    if sentence:
        st.error(plain(sentence), icon=icon)


def show_error(error: Exception, icon: str = ":material/error:") -> None:
    """A RoomError's sentence (it may quote a nickname: shown as text, never Markdown)."""
    st.error(plain(str(error)), icon=icon)


@contextlib.contextmanager
def database_guard(retry: bool = False) -> Iterator[None]:
    """Say so, instead of a traceback, when the database cannot be reached.

    Inside a live fragment the next tick tries again; a page run (`retry=True`) sets a
    timer that reruns the page a few seconds later."""
    try:
        yield
    except database_trouble():
        st.warning(DATABASE_DOWN_TEXT, icon=":material/cloud_off:")
        if retry:
            st.session_state[RETRY_ARMED] = False
            st.fragment(run_every=RETRY_SECONDS)(_retry)()


RETRY_SECONDS = 5
RETRY_ARMED = "room_retry_armed"


def _retry() -> None:
    """The first (inline) run arms it; the timer's run reruns the whole page."""
    if st.session_state.get(RETRY_ARMED):
        st.session_state.pop(RETRY_ARMED, None)
        st.rerun()
    st.session_state[RETRY_ARMED] = True


__all__ = [
    "RoomError",
    "database_guard",
    "run_action",
    "service",
    "show_action_error",
    "show_error",
]
