"""The live workshop room: a facilitator runs a quiz, a room of phones answers.

No Streamlit here: the pages in `teamroles/ui/` import what is listed below, and
the CLI (`python -m teamroles room ...`) uses the same service.

Where things are: `service.py` the writes (and the look-ups a screen makes to act),
`reports.py` the reports (counts, standings, summary, CSV), `cache.py` the reads
shared between sessions, `rows.py` the SQL both share, `engines.py` one engine per
database, `store.py` the tables and migrations, `screens.py` what the pages decide.

Importing this package imports nothing else: each name below is imported from its
module on first use (PEP 562), so a page or route that needs only the broker or the
codes does not pay for SQLAlchemy, Alembic and the quiz banks at a server's start.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "close_services": "teamroles.room.engines",
    "open_service": "teamroles.room.engines",
    "BadChoice": "teamroles.room.errors",
    "BadNickname": "teamroles.room.errors",
    "BadSettings": "teamroles.room.errors",
    "NicknameTaken": "teamroles.room.errors",
    "NotAccepting": "teamroles.room.errors",
    "NotHost": "teamroles.room.errors",
    "NotParticipant": "teamroles.room.errors",
    "QuestionClosed": "teamroles.room.errors",
    "RoomEnded": "teamroles.room.errors",
    "RoomError": "teamroles.room.errors",
    "RoomFull": "teamroles.room.errors",
    "RoomNotFound": "teamroles.room.errors",
    "UnknownQuiz": "teamroles.room.errors",
    "DEFAULT_BASE_URL": "teamroles.room.links",
    "host_url": "teamroles.room.links",
    "join_url": "teamroles.room.links",
    "qr_png": "teamroles.room.links",
    "clean_nickname": "teamroles.room.nicknames",
    "nickname_key": "teamroles.room.nicknames",
    "RoomService": "teamroles.room.service",
    "database_url": "teamroles.room.database",
    "default_database_url": "teamroles.room.database",
    "make_engine": "teamroles.room.store",
    "upgrade": "teamroles.room.store",
    "ConceptSummary": "teamroles.room.values",
    "CreatedRoom": "teamroles.room.values",
    "Joined": "teamroles.room.values",
    "MyAnswer": "teamroles.room.values",
    "Person": "teamroles.room.values",
    "QuestionSummary": "teamroles.room.values",
    "RoomQuestion": "teamroles.room.values",
    "RoomState": "teamroles.room.values",
    "Standing": "teamroles.room.values",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
