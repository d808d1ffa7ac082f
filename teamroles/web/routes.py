"""The room's push route, `GET /rooms/{code}/changes`, and the broker behind it.

A listener in a live page (teamroles/ui/listener.py) asks

    GET /rooms/{code}/changes?after={version}[&seen={activity}]

- 200 `{"version": V, "activity": A}` (`Cache-Control: no-store`) at once when the
  room's version V is above `after`, or its activity A above `seen` (the host's
  listener passes `seen`; a phone's does not); otherwise the request is held until
  one of them is, or for `HOLD_SECONDS` (then the same answer with the values as
  they are: the listener asks again);
- 404 `{"error": "unknown room"}` for a code no room has (or a room deleted meanwhile);
- 503 with `Retry-After` when the broker holds as many requests as it may (per room
  or in all), or the database cannot be reached;
- 400 for an `after` or `seen` that is not a whole number.

The broker (teamroles/room/broker.py) is started by the server's lifespan, with, on
PostgreSQL, one connection listening for the other servers' changes
(teamroles/room/notify.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from teamroles.room import broker as room_broker
from teamroles.room import database as room_database
from teamroles.room.codes import normalize_code
from teamroles.room.errors import RoomNotFound

CHANGES_PATH = "/rooms/{code}/changes"
# A database that cannot be reached: the listener tries again after this.
DATABASE_RETRY_SECONDS = 2
NO_STORE = {"Cache-Control": "no-store"}

log = logging.getLogger(__name__)


def secrets_url(folders: list[Path] | None = None) -> str | None:
    """`[connections.rooms] url` from the app's `.streamlit/secrets.toml` (the project's,
    else the user's), as the pages read it through `st.secrets`."""
    for folder in folders or [Path.cwd() / ".streamlit", Path.home() / ".streamlit"]:
        path = folder / "secrets.toml"
        try:
            with path.open("rb") as file:
                return tomllib.load(file)["connections"]["rooms"]["url"]
        except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
            continue
    return None


def room_database_url() -> str:
    """The rooms' database, as the pages find it (teamroles/ui/room.py: service())."""
    return room_database.database_url(secrets_url())


def version_reader(url: str):
    """`codes -> {code: version}` on the rooms' database; the engine opens on first use
    (a database that is down when the server starts is tried again at each read), and
    SQLAlchemy is imported then, not at the server's start."""

    def read(codes: list[str]) -> dict[str, int]:
        import sqlalchemy as sa

        from teamroles.room.engines import open_service
        from teamroles.room.store import rooms

        engine = open_service(url).engine
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(rooms.c.code, rooms.c.version).where(rooms.c.code.in_(codes))
            ).all()
        return {row.code: row.version for row in rows}

    return read


def _number(raw: str | None) -> int | None:
    return None if raw in (None, "") else int(raw)


async def changes(request: Request) -> JSONResponse:
    """The long poll (see the module's docstring)."""
    broker = room_broker.current()
    if broker is None:
        return JSONResponse(
            {"error": "push is not running"},
            status_code=503,
            headers={"Retry-After": str(DATABASE_RETRY_SECONDS), **NO_STORE},
        )
    code = normalize_code(request.path_params["code"])
    try:
        after = _number(request.query_params.get("after"))
        seen = _number(request.query_params.get("seen"))
    except ValueError:
        return JSONResponse(
            {"error": "after and seen are whole numbers"}, status_code=400, headers=NO_STORE
        )
    if not code.isalnum() or len(code) > 8:
        return JSONResponse({"error": "unknown room"}, status_code=404, headers=NO_STORE)
    waiting = asyncio.ensure_future(broker.wait(code, -1 if after is None else after, seen))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({waiting, gone}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # the server is stopping
        waiting.cancel()
        raise
    finally:
        gone.cancel()
    if not waiting.done():  # the browser went away: free its place at once
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await waiting
        return JSONResponse({"error": "gone"}, status_code=499, headers=NO_STORE)
    try:
        version, activity = waiting.result()
    except RoomNotFound:
        return JSONResponse({"error": "unknown room"}, status_code=404, headers=NO_STORE)
    except room_broker.Busy as busy:
        return JSONResponse(
            {"error": "too many listeners"},
            status_code=503,
            headers={"Retry-After": str(busy.retry_after), **NO_STORE},
        )
    except Exception as error:  # the database is away: the listener retries
        log.warning("room changes: %s", error)
        return JSONResponse(
            {"error": "the room's database cannot be reached"},
            status_code=503,
            headers={"Retry-After": str(DATABASE_RETRY_SECONDS), **NO_STORE},
        )
    return JSONResponse({"version": version, "activity": activity}, headers=NO_STORE)


async def _disconnected(request: Request) -> None:
    """Returns when the client closes the request (nothing else comes on a GET)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def routes() -> list[Route]:
    return [Route(CHANGES_PATH, changes, methods=["GET"], name="room-changes")]


@contextlib.asynccontextmanager
async def push(url: str | None = None, **options) -> AsyncIterator[room_broker.Broker]:
    """The process's broker for the rooms' database at `url` (default: the pages'),
    and on PostgreSQL its listening connection; both stopped on the way out.
    `options` go to the `Broker` (tests)."""
    url = url or room_database_url()
    broker = room_broker.Broker(version_reader(url), **options)
    await broker.start()
    room_broker.install(broker)
    stop = asyncio.Event()
    listening = None
    if room_database.is_postgresql(url):  # SQLite has one server: nobody to hear
        from teamroles.room import notify

        target = notify.listen_url(url)
        if target is not None:
            listening = asyncio.ensure_future(notify.listen(target, broker, stop))
    try:
        yield broker
    finally:
        stop.set()
        room_broker.install(None)
        if listening is not None:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listening
        await broker.stop()
