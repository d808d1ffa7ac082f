"""One engine per database URL for the whole process, its schema brought up to date once.

The pages, the CLI and the bench call `open_service`; each call gets a `RoomService`
on the process's one engine (one connection pool) for that URL.
"""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine

from teamroles.room.database import database_url
from teamroles.room.rows import QuizSource
from teamroles.room.service import RoomService
from teamroles.room.store import make_engine, upgrade

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def open_service(url: str | None = None, quizzes: QuizSource | None = None) -> RoomService:
    """The service on `url` (default: `database_url()`), its schema brought up to date.

    The engine, and the upgrade, happen once per URL in a process; the quizzes
    default to the site's, looked up at each call so that content edits are seen.
    """
    url = url or database_url()
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            upgrade(engine)
            _engines[url] = engine
    return RoomService(engine, quizzes)


def close_services() -> None:
    """Close every engine `open_service` opened (tests; a clean shutdown)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
