"""A reader's progress as the browser keeps it: what to store, and how to read it back.

No Streamlit here. What comes back from a browser is untrusted: anything malformed,
unknown or oversized is dropped, never raised, so a reader with a stale or edited
store still gets every page.
"""

from __future__ import annotations

import json
from typing import Any

# What the browser keeps, one localStorage entry each (prefixed "teamroles.").
VISITED, QUIZ = "visited", "quiz"
NAMES: tuple[str, ...] = (VISITED, QUIZ)
MAX_CHARS = 20_000  # per entry: a whole quiz bank's answers fit many times over


def encode(value: Any) -> str:
    """How a value is stored: compact JSON."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def parse_report(raw: Any, token: str) -> dict[str, Any] | None:
    """The values a browser reported for this session's `token`, by name.

    None when the report is not for this token (an old one, or not a report at all);
    an entry that is not valid JSON, is too long or has an unknown name is left out.
    """
    if not isinstance(raw, str) or len(raw) > MAX_CHARS * (len(NAMES) + 1):
        return None
    try:
        report = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(report, dict) or report.get("read") != token:
        return None
    items = report.get("items")
    kept: dict[str, Any] = {}
    for name, text in (items if isinstance(items, dict) else {}).items():
        if name not in NAMES or not isinstance(text, str) or len(text) > MAX_CHARS:
            continue
        try:
            kept[name] = json.loads(text)
        except ValueError:
            continue
    return kept


def visited_pages(value: Any, known: set[str]) -> set[str]:
    """The pages a stored list names that still exist (the rest is ignored)."""
    if not isinstance(value, list):
        return set()
    return {path for path in value if isinstance(path, str) and path in known}
