"""The reads many phones repeat, kept for a moment and shared by every session of a process.

A caller that passes a `max_age` to `RoomService.state`, `question` or `my_score` may
get what another caller read that many seconds ago: a room's state, a question, the
room's standings. A change this process makes to a room clears that room's entries
at once, so only another server's changes can wait `max_age` to be seen.

A read that began before such a change must not store what it read: it would refill
the cache the change has just cleared with the room as it was. Each room has a
generation, bumped by every change; a read notes it before it starts, and what it read
is stored only if the generation is still the same (one step, under the lock, against
"bump, then clear").
"""

from __future__ import annotations

import threading
import time

from teamroles.room.values import RoomQuestion, RoomState, Standing

# The caches are pruned of reads older than CACHE_KEEP_SECONDS once they hold CACHE_ROOMS
# entries: a server that runs rooms for months keeps only the live ones.
CACHE_ROOMS = 1000
CACHE_KEEP_SECONDS = 60.0


class RoomCache:
    """code -> (when read, state); (code, index) -> (when read, question);
    code -> (when read, room version, standings by participant id)."""

    def __init__(self) -> None:
        self._states: dict[str, tuple[float, RoomState]] = {}
        self._questions: dict[tuple[str, int], tuple[float, RoomQuestion]] = {}
        self._scores: dict[str, tuple[float, int, dict[int, Standing]]] = {}
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()

    def generation(self, code: str) -> int:
        """Note this before a read begins; hand it to `keep_*` with what was read."""
        return self._generations.get(code, 0)

    def state(self, code: str, max_age: float) -> RoomState | None:
        if max_age > 0:
            cached = self._states.get(code)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                return cached[1]
        return None

    def keep_state(self, code: str, generation: int, read_at: float, state: RoomState) -> None:
        self._keep(self._states, code, generation, (read_at, state))

    def question(self, code: str, index: int, max_age: float) -> RoomQuestion | None:
        cached = self._questions.get((code, index))
        if max_age > 0 and cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        return None

    def keep_question(
        self, code: str, index: int, generation: int, read_at: float, question: RoomQuestion
    ) -> None:
        self._keep(self._questions, (code, index), generation, (read_at, question))

    def standing(self, code: str, version: int, person_id: int, max_age: float) -> Standing | None:
        """A participant's standing, if the room's standings were read while the room
        was at `version` (answers are only taken before a reveal, which changes it)."""
        cached = self._scores.get(code)
        if (
            max_age > 0
            and cached is not None
            and cached[1] == version
            and time.monotonic() - cached[0] < max_age
            and person_id in cached[2]
        ):
            return cached[2][person_id]
        return None

    def keep_standings(
        self,
        code: str,
        generation: int,
        read_at: float,
        version: int,
        standings: dict[int, Standing],
    ) -> None:
        self._keep(self._scores, code, generation, (read_at, version, standings))

    def _keep(self, cache: dict, key, generation: int, value) -> None:
        """Store a read in a cache, unless this service changed the room since the read
        began (its `generation` then differs): that change cleared the cache, and the
        read may have seen the room before it. Old entries go when the cache is big."""
        code = key if isinstance(key, str) else key[0]
        with self._lock:
            if self._generations.get(code, 0) != generation:
                return
            if len(cache) >= CACHE_ROOMS:
                _prune(cache, time.monotonic() - CACHE_KEEP_SECONDS)
            cache[key] = value

    def changed(self, code: str, gone: bool = False) -> None:
        """This service changed the room: the next read of it goes to the database.
        `gone`: the room was deleted, so its questions go too."""
        with self._lock:
            self._generations[code] = self._generations.get(code, 0) + 1
            self._states.pop(code, None)
            self._scores.pop(code, None)
            if gone:
                for key in [key for key in self._questions if key[0] == code]:
                    del self._questions[key]

    def clear(self) -> None:
        """Any room may have gone (a purge): forget every read."""
        with self._lock:
            for code in {*self._states, *self._scores, *(key[0] for key in self._questions)}:
                self._generations[code] = self._generations.get(code, 0) + 1
            self._states.clear()
            self._scores.clear()
            self._questions.clear()


def _prune(cache: dict, before: float) -> None:
    """Drop the entries read before `before` (each cache's value starts with its read
    time); all of them if none is that old."""
    old = [key for key, (read_at, *_) in cache.items() if read_at < before]
    for key in old or list(cache):
        del cache[key]
