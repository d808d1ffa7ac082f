"""The links a room hands out, and the QR code a room of phones scans to join.

The QR code is drawn locally by segno: nothing about a room leaves the machine.
"""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode

import segno

# Where the app runs when nobody says (`streamlit run app.py` on this computer): the
# links' base when none is given, the CLI's default, the pages' in AppTest.
DEFAULT_BASE_URL = "http://localhost:8501"


def _base(base_url: str) -> str:
    return (base_url or DEFAULT_BASE_URL).rstrip("/")


def join_url(base_url: str, code: str) -> str:
    """Where a participant joins: `{base}/join?room=CODE`."""
    return f"{_base(base_url)}/join?{urlencode({'room': code}, quote_via=quote)}"


def host_url(base_url: str, code: str, host_token: str) -> str:
    """The facilitator's link: whoever has it controls the room, so share it with no one."""
    query = urlencode({"room": code, "host": host_token}, quote_via=quote)
    return f"{_base(base_url)}/workshop?{query}"


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG of the QR code for `url`: error correction M, a 4-module quiet zone,
    black on white (some phone cameras fail on inverted or transparent codes)."""
    qr = segno.make(url, error="m", boost_error=False, micro=False)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return out.getvalue()
