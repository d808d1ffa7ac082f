"""Which database the rooms live in, decided without importing SQLAlchemy.

A server's start and a page that only draws a form need the URL, not the engine
(teamroles/room/store.py makes that): the URL is $TEAMROLES_DATABASE_URL, else the
app's secrets (`[connections.rooms] url`), else a SQLite file under `data/`.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_ENV = "TEAMROLES_DATABASE_URL"
ROOT = Path(__file__).resolve().parent.parent.parent


def default_database_url() -> str:
    """`sqlite:///<repo>/data/rooms.sqlite3`, creating `data/` if needed."""
    folder = ROOT / "data"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'rooms.sqlite3'}"


def database_url(secrets_url: str | None = None) -> str:
    """$TEAMROLES_DATABASE_URL, else the app's secrets URL, else the SQLite default."""
    return os.environ.get(DATABASE_ENV) or secrets_url or default_database_url()


def is_postgresql(url: str) -> bool:
    """Whether `url` (`postgresql://`, `postgresql+psycopg://`, `postgres://`) names a
    PostgreSQL database: the only one whose servers tell each other of changes."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return scheme in ("postgresql", "postgres")
