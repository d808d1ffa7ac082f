"""The push broker: who is waiting for which room, and the moment a room changes.

One broker per server process, on its event loop (the web server's). A listener in
a browser asks `GET /rooms/{code}/changes?after=V` (teamroles/web/routes.py); the
route awaits `Broker.wait`, which answers at once when the room is newer than what
the page drew, or holds the request until the room changes or `hold_seconds` pass.
Waiting costs an open request and a future here: no script run, no database read.

What the broker knows about a room (`_Room`):
- `version`: the room's `version` column, bumped by every host action (and a
  removal). Read from the database once per change per server, never per waiter.
- `activity`: a counter that grows with every join and answer this server hears of.
  The host's listener passes the activity its view was drawn with (`seen`) and is
  woken when it grows, at most once per `activity_interval` per room (the counts
  are coalesced); a phone's listener passes no `seen` and sleeps through answers.
  Its values come from one counter for the whole process, so a room the broker
  forgot and read again never goes back below what a page has seen.

How it hears of changes:
- this process's writes: `publish(code, ...)`, from any thread (script threads hand
  it to the loop with `call_soon_threadsafe`);
- other servers' writes: PostgreSQL NOTIFY, fed in by `teamroles.room.notify`;
- anything else (the CLI's `room delete`, a missed notification): once a second,
  one query reads the versions of every room that has waiters.

The broker keeps only rooms someone is waiting for (or waited for recently).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from teamroles.room.errors import RoomNotFound

HOLD_ENV = "TEAMROLES_PUSH_HOLD_SECONDS"
MAX_PER_ROOM_ENV = "TEAMROLES_PUSH_MAX_PER_ROOM"
MAX_WAITERS_ENV = "TEAMROLES_PUSH_MAX_WAITERS"
HOLD_SECONDS = 25.0
# Waiters per room: a room of 1,000 phones (each may have a second tab) and its hosts.
MAX_PER_ROOM = 2000
MAX_WAITERS = 5000
# The host's counts: at most one wake-up per room this often (about 4 a second).
ACTIVITY_INTERVAL = 0.25
# The cheap check for changes nobody announced: this often, for rooms with waiters.
CHECK_INTERVAL = 1.0
# A room nobody has waited for this long is forgotten (read again when asked for).
KEEP_SECONDS = 30.0
# What a full server tells a listener: ask again in this many seconds.
RETRY_AFTER_SECONDS = 5

# Reads the versions of the given rooms: {code: version} for those that exist.
VersionReader = Callable[[list[str]], dict[str, int]]


class Busy(Exception):
    """A cap on waiters is reached: the listener asks again after `retry_after` seconds."""

    def __init__(self, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(f"too many listeners; retry after {retry_after} s")
        self.retry_after = retry_after


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass
class _Room:
    version: int
    activity: int
    # future -> the activity its page saw (None: a phone, woken only by a new version)
    waiters: dict[asyncio.Future, int | None] = field(default_factory=dict)
    idle_since: float = field(default_factory=time.monotonic)
    reading: bool = False  # a version read is under way
    stale: bool = False  # another change came in during that read: read again after it
    flush: asyncio.TimerHandle | None = None  # the next coalesced activity wake-up
    flushed_at: float = 0.0
    gone: bool = False


class Broker:
    """Waiters per room, woken by changes; see the module's docstring."""

    def __init__(
        self,
        read_versions: VersionReader,
        *,
        hold_seconds: float | None = None,
        max_per_room: int | None = None,
        max_waiters: int | None = None,
        activity_interval: float = ACTIVITY_INTERVAL,
        check_interval: float = CHECK_INTERVAL,
        keep_seconds: float = KEEP_SECONDS,
    ):
        self._read_versions = read_versions
        self.hold_seconds = (
            _env_number(HOLD_ENV, HOLD_SECONDS) if hold_seconds is None else hold_seconds
        )
        self.max_per_room = int(
            _env_number(MAX_PER_ROOM_ENV, MAX_PER_ROOM) if max_per_room is None else max_per_room
        )
        self.max_waiters = int(
            _env_number(MAX_WAITERS_ENV, MAX_WAITERS) if max_waiters is None else max_waiters
        )
        self.activity_interval = activity_interval
        self.check_interval = check_interval
        self.keep_seconds = keep_seconds
        self._rooms: dict[str, _Room] = {}
        self._loading: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Future] = set()
        self._ticks = itertools.count(1)  # activity values, one counter for every room
        self._waiting = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._checker: asyncio.Task | None = None
        self._reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="room-broker")
        self.database_reads = 0  # how many reads the broker made (tests, the bench)
        self.listening = False  # PostgreSQL: the LISTEN connection is up (notify.py)

    # --- life ---------------------------------------------------------------------

    async def start(self) -> None:
        """Bind to the running loop and start the once-a-second check."""
        self._loop = asyncio.get_running_loop()
        self._checker = self._loop.create_task(self._check_forever())

    async def stop(self) -> None:
        if self._checker is not None:
            self._checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checker
            self._checker = None
        for room in self._rooms.values():
            _wake(room, everyone=True)
        self._loop = None
        self._reads.shutdown(wait=False, cancel_futures=True)

    @property
    def waiting(self) -> int:
        """How many requests are held now."""
        return self._waiting

    # --- from any thread ----------------------------------------------------------

    def publish(self, code: str, *, version: bool = True, activity: bool = False) -> None:
        """Room `code` changed: `version` (a host action, a removal: its version is
        read again) and/or `activity` (a join, an answer). Safe from any thread;
        does nothing when the broker is not running."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._changed(code, version, activity)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._changed, code, version, activity)

    def activity(self, code: str) -> int:
        """The room's activity as this broker knows it now (0 if it is not watched):
        what a host view passes as `seen` when it draws. Safe from any thread."""
        room = self._rooms.get(code)
        return room.activity if room is not None else 0

    # --- on the loop --------------------------------------------------------------

    async def wait(self, code: str, after: int, seen: int | None = None) -> tuple[int, int]:
        """(version, activity) of room `code` once its version is above `after` (or its
        activity above `seen`, when given), or when `hold_seconds` have passed.

        RoomNotFound for a room that does not exist (or went while waiting); Busy
        when a cap is reached."""
        room = await self._room(code)
        if not _newer(room, after, seen):
            if len(room.waiters) >= self.max_per_room or self._waiting >= self.max_waiters:
                raise Busy()
            future = asyncio.get_running_loop().create_future()
            room.waiters[future] = seen
            self._waiting += 1
            try:
                await asyncio.wait_for(future, self.hold_seconds)
            except TimeoutError:
                pass
            finally:
                room.waiters.pop(future, None)
                self._waiting -= 1
                room.idle_since = time.monotonic()
        if room.gone:
            raise RoomNotFound(code)
        return room.version, room.activity

    async def _room(self, code: str) -> _Room:
        """The room's entry, read from the database the first time (one read shared
        by every request that comes in meanwhile)."""
        room = self._rooms.get(code)
        if room is not None and not room.gone:
            return room
        loading = self._loading.get(code)
        if loading is None:
            loading = asyncio.ensure_future(self._read([code]))
            self._loading[code] = loading
            loading.add_done_callback(lambda _: self._loading.pop(code, None))
        versions = await asyncio.shield(loading)
        room = self._rooms.get(code)
        if room is not None and not room.gone:
            return room
        if code not in versions:
            raise RoomNotFound(code)
        # A room read afresh counts as new activity: a host view drawn before the
        # broker watched it is woken once, then waits.
        room = self._rooms[code] = _Room(versions[code], next(self._ticks))
        return room

    async def _read(self, codes: list[str]) -> dict[str, int]:
        self.database_reads += 1
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reads, self._read_versions, codes)

    def _changed(self, code: str, version: bool, activity: bool) -> None:
        room = self._rooms.get(code)
        if room is None or room.gone:
            return  # nobody waits for it: the first request will read it
        if activity:
            room.activity = next(self._ticks)
            self._schedule_flush(room)
        if version:
            if room.reading:
                room.stale = True
            else:
                task = asyncio.ensure_future(self._refresh(code, room))
                self._tasks.add(task)  # kept until done (the loop holds tasks weakly)
                task.add_done_callback(self._tasks.discard)

    def _schedule_flush(self, room: _Room) -> None:
        """Wake the room's host listeners, at most once per `activity_interval`."""
        if room.flush is not None or not any(s is not None for s in room.waiters.values()):
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, room.flushed_at + self.activity_interval - loop.time())

        def flush() -> None:
            room.flush = None
            room.flushed_at = loop.time()
            _wake(room, everyone=False)

        room.flush = loop.call_later(delay, flush)

    async def _refresh(self, code: str, room: _Room) -> None:
        """Read the room's version (again while changes keep coming during a read)."""
        room.reading = True
        try:
            while True:
                room.stale = False
                try:
                    versions = await self._read([code])
                except Exception:
                    return  # the database is away: the once-a-second check retries
                self._apply(code, versions.get(code))
                if not room.stale or room.gone:
                    return
        finally:
            room.reading = False

    def _apply(self, code: str, version: int | None) -> None:
        """What a read found: a newer version wakes everyone; no row, the room went."""
        room = self._rooms.get(code)
        if room is None:
            return
        if version is None:
            room.gone = True
            del self._rooms[code]
            _wake(room, everyone=True)
        elif version > room.version:
            room.version = version
            _wake(room, everyone=True)

    async def _check_forever(self) -> None:
        while True:
            await asyncio.sleep(self.check_interval)
            with contextlib.suppress(Exception):  # the database is away: next second
                await self.check()

    async def check(self) -> None:
        """One read of every watched room's version; forget rooms idle too long."""
        now = time.monotonic()
        for code, room in list(self._rooms.items()):
            if not room.waiters and now - room.idle_since > self.keep_seconds:
                del self._rooms[code]
        codes = [code for code, room in self._rooms.items() if room.waiters]
        if not codes:
            return
        versions = await self._read(codes)
        for code in codes:
            self._apply(code, versions.get(code))


def _newer(room: _Room, after: int, seen: int | None) -> bool:
    return room.gone or room.version > after or (seen is not None and room.activity > seen)


def _wake(room: _Room, everyone: bool) -> None:
    """Answer the room's waiters: all of them, or the hosts whose seen activity is old."""
    for future, seen in list(room.waiters.items()):
        if future.done():
            continue
        if everyone or (seen is not None and room.activity > seen):
            future.set_result(None)


# ---------------------------------------------------------------- the process's broker

_current: Broker | None = None
_current_lock = threading.Lock()


def install(broker: Broker | None) -> None:
    """Make `broker` the process's broker (None: there is none)."""
    global _current
    with _current_lock:
        _current = broker


def current() -> Broker | None:
    """The process's running broker, if the web server started one."""
    return _current


def publish(code: str, *, version: bool = True, activity: bool = False) -> None:
    """Tell the process's broker, if any, that room `code` changed (any thread)."""
    broker = _current
    if broker is not None:
        broker.publish(code, version=version, activity=activity)


def seen_activity(code: str) -> int | None:
    """The activity a host view draws with (None without a broker in this process)."""
    broker = _current
    return broker.activity(code) if broker is not None else None
