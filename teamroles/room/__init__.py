"""The live workshop room: a facilitator runs a quiz, a room of phones answers.

No Streamlit here: the pages in `teamroles/ui/` import what is listed below, and
the CLI (`python -m teamroles room ...`) uses the same service.

Where things are: `service.py` the writes (and the look-ups a screen makes to act),
`reports.py` the reports (counts, standings, summary, CSV), `cache.py` the reads
shared between sessions, `rows.py` the SQL both share, `engines.py` one engine per
database, `store.py` the tables and migrations, `screens.py` what the pages decide.
"""

from teamroles.room.engines import close_services, open_service
from teamroles.room.errors import (
    BadChoice,
    BadNickname,
    BadSettings,
    NicknameTaken,
    NotAccepting,
    NotHost,
    NotParticipant,
    QuestionClosed,
    RoomEnded,
    RoomError,
    RoomFull,
    RoomNotFound,
    UnknownQuiz,
)
from teamroles.room.links import DEFAULT_BASE_URL, host_url, join_url, qr_png
from teamroles.room.nicknames import clean_nickname, nickname_key
from teamroles.room.service import RoomService
from teamroles.room.store import database_url, default_database_url, make_engine, upgrade
from teamroles.room.values import (
    ConceptSummary,
    CreatedRoom,
    Joined,
    MyAnswer,
    Person,
    QuestionSummary,
    RoomQuestion,
    RoomState,
    Standing,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "BadChoice",
    "BadNickname",
    "BadSettings",
    "ConceptSummary",
    "CreatedRoom",
    "Joined",
    "MyAnswer",
    "NicknameTaken",
    "NotAccepting",
    "NotHost",
    "NotParticipant",
    "Person",
    "QuestionClosed",
    "QuestionSummary",
    "RoomEnded",
    "RoomError",
    "RoomFull",
    "RoomNotFound",
    "RoomQuestion",
    "RoomService",
    "RoomState",
    "Standing",
    "UnknownQuiz",
    "clean_nickname",
    "close_services",
    "database_url",
    "default_database_url",
    "host_url",
    "join_url",
    "make_engine",
    "nickname_key",
    "open_service",
    "qr_png",
    "upgrade",
]
