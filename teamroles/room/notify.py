"""How a room's change reaches the brokers: this server's and, through PostgreSQL, every other's.

A write transaction that changes a room calls `written(connection, code, ...)`:
- on PostgreSQL it runs `SELECT pg_notify('teamroles_rooms', CODE)` in the same
  transaction, so the notification leaves only if the change is committed, and
  every server listening on the channel hears it;
- it notes the change on the connection; `publishing(connection)` (around the
  service's write transaction) hands it to this process's broker once the
  transaction has committed, and drops it if it rolled back.

`listen(url, broker)` is the one listening connection per server (psycopg's async
connection, autocommit), reconnecting with backoff after the database restarts;
after each reconnect it asks the broker to check every watched room, since
notifications sent meanwhile are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from teamroles.room import broker as room_broker
from teamroles.room.codes import normalize_code
from teamroles.room.database import is_postgresql

CHANNEL = "teamroles_rooms"
_PENDING = "teamroles_room_changes"  # connection.info: changes waiting for the commit
_NOTIFY = sa.text(f"SELECT pg_notify('{CHANNEL}', :code)")
# Reconnecting after the database went away: 0.5 s, doubling, at most this.
BACKOFF_MAX_SECONDS = 10.0

log = logging.getLogger(__name__)


def written(
    connection: sa.Connection, code: str, *, version: bool = True, activity: bool = False
) -> None:
    """Inside a write transaction: room `code` changes (`version`: a host action or a
    removal; `activity`: a join or an answer)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_NOTIFY, {"code": code})
    pending = connection.info.setdefault(_PENDING, {})
    was = pending.get(code, (False, False))
    pending[code] = (was[0] or version, was[1] or activity)


@contextlib.contextmanager
def publishing(connection: sa.Connection) -> Iterator[None]:
    """Around a write transaction: what `written` noted goes to the broker after the
    commit; nothing goes if the transaction failed."""
    connection.info.pop(_PENDING, None)
    try:
        yield
    except BaseException:
        connection.info.pop(_PENDING, None)
        raise
    for code, (version, activity) in connection.info.pop(_PENDING, {}).items():
        room_broker.publish(code, version=version, activity=activity)


def listen_url(url: str) -> str | None:
    """The psycopg connection string for a PostgreSQL room database URL (None: not one)."""
    if not is_postgresql(url):
        return None
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, broker: room_broker.Broker, stop: asyncio.Event) -> None:
    """Feed `broker` every room change any server notifies, until `stop` is set."""
    import psycopg

    delay = 0.5
    first = True
    while not stop.is_set():
        try:
            connection = await psycopg.AsyncConnection.connect(url, autocommit=True)
        except (psycopg.Error, OSError) as error:
            log.warning("room changes: cannot listen (%s); again in %.1f s", error, delay)
            await _sleep_or_stop(stop, delay)
            delay = min(delay * 2, BACKOFF_MAX_SECONDS)
            continue
        try:
            async with connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                broker.listening = True
                delay = 0.5
                if not first:  # notifications sent while away are lost: look now
                    with contextlib.suppress(Exception):
                        await broker.check()
                first = False
                while not stop.is_set():
                    async for notice in connection.notifies(timeout=1.0):
                        broker.publish(normalize_code(notice.payload), activity=True)
        except (psycopg.Error, OSError) as error:
            broker.listening = False
            log.warning("room changes: the listening connection broke (%s)", error)
            await _sleep_or_stop(stop, delay)
            delay = min(delay * 2, BACKOFF_MAX_SECONDS)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
