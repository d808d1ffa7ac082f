"""What can go wrong in a workshop room, each as a sentence a reader can be shown.

Every error subclasses `RoomError`, so a page (or the CLI) can catch that one class
and print `str(error)` without a traceback: the message is the whole explanation.
"""

from __future__ import annotations


class RoomError(Exception):
    """Something a facilitator or participant did that the room cannot do."""


class RoomNotFound(RoomError):
    def __init__(self, code: str):
        super().__init__(f"There is no room with the code {code}. Check the code and try again.")


class RoomEnded(RoomError):
    def __init__(self, code: str):
        super().__init__(f"Room {code} has ended: it takes no more players or answers.")


class RoomFull(RoomError):
    def __init__(self, code: str, limit: int):
        super().__init__(f"Room {code} is full: it takes at most {limit} players.")


class NicknameTaken(RoomError):
    def __init__(self, nickname: str):
        super().__init__(f"Someone in this room already goes by '{nickname}'. Pick another name.")


class BadNickname(RoomError):
    """The nickname is empty or too long once invisible characters are gone."""


class NotHost(RoomError):
    def __init__(self, code: str):
        super().__init__(f"This link does not control room {code}.")


class NotParticipant(RoomError):
    """An unknown participant token, or a participant the host removed."""


class NotAccepting(RoomError):
    """An answer while no question is open (lobby, revealed, ended, or time is up)."""


class QuestionClosed(NotAccepting):
    """An answer for a question that is no longer (or not yet) the open one: the phone
    still showed it when the host moved on. `version` is the room's version now, so
    the phone can say so on the screen it draws next."""

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.version = version


class BadChoice(RoomError):
    def __init__(self, choice: str, choices: list[str]):
        super().__init__(f"'{choice}' is not one of the choices: {', '.join(choices)}.")


class UnknownQuiz(RoomError):
    def __init__(self, quiz_id: str, known: list[str]):
        shown = ", ".join(known) or "none"
        super().__init__(f"There is no quiz '{quiz_id}' (the quizzes are: {shown}).")


class BadSettings(RoomError):
    """A room setting out of range: no questions, no seats, a countdown under a second."""
