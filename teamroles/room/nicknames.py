"""Nicknames: what a participant types, cleaned so that two names that look the
same are the same, and nothing invisible can hide in one.

HTML and Markdown characters are kept: a nickname is data, and the pages show it
as text, never as markup.
"""

from __future__ import annotations

import unicodedata

from teamroles.room.errors import BadNickname

MAX_LENGTH = 24

# Unicode categories that draw nothing or cannot be shown: controls, format
# characters (zero-width spaces and joiners, bidi overrides and isolates, soft
# hyphen), surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Letters and marks that render as blank space or nothing at all.
_INVISIBLE = {
    "\u034f",  # combining grapheme joiner
    "\u115f",  # hangul choseong filler
    "\u1160",  # hangul jungseong filler
    "\u17b4",  # khmer vowel inherent aq
    "\u17b5",  # khmer vowel inherent aa
    "\u180b",  # mongolian free variation selectors
    "\u180c",
    "\u180d",
    "\u180f",
    "\u2800",  # braille pattern blank
    "\u3164",  # hangul filler
    "\uffa0",  # halfwidth hangul filler
}


def clean_nickname(raw: str) -> str:
    """`raw` as it will be stored and shown; BadNickname if nothing or too much is left.

    NFKC folds look-alike forms (full-width letters, ligatures, odd spaces) into
    one, invisible characters are dropped, and runs of whitespace become one space.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES and char not in _INVISIBLE:
            kept.append(char)
    name = " ".join("".join(kept).split())
    if not name:
        raise BadNickname("Please type a nickname: it cannot be empty.")
    if len(name) > MAX_LENGTH:
        raise BadNickname(
            f"A nickname can have at most {MAX_LENGTH} characters; this one has {len(name)}."
        )
    return name


def nickname_key(nickname: str) -> str:
    """The uniqueness key: 'Ana', 'ANA' and 'ana' are one name in a room."""
    return unicodedata.normalize("NFKC", nickname.casefold())
