"""The live workshop room: a facilitator runs a quiz, a room of phones answers.

No Streamlit here: the pages in `app_pages/` import what is listed below, and
the CLI (`python -m teamroles room ...`) uses the same service.
"""

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
from teamroles.room.service import RoomService, open_service
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
