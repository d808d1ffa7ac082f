"""Room codes and secret tokens.

A room code is read aloud and typed on a phone, so it avoids the look-alikes 0/O
and 1/I. Tokens are secrets in links: only their sha256 is stored, so a copy of
the database does not let anyone control a room or answer as someone else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5


def new_code() -> str:
    """Five characters from CODE_ALPHABET: 32**5, about 33 million codes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str:
    """What a person typed (` abcde `) as the stored form (`ABCDE`)."""
    return "".join((raw or "").split()).upper()


def new_host_token() -> str:
    """192 random bits, URL-safe: the facilitator's link to control the room."""
    return secrets.token_urlsafe(24)


def new_participant_token() -> str:
    """128 random bits, URL-safe: lets a reload return as the same participant."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    """The sha256 hex digest that is stored instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    """Whether `token` hashes to `stored_hash`, compared in constant time."""
    given = token_hash(token) if token else ""
    return bool(token) and hmac.compare_digest(given, stored_hash)
