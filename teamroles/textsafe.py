"""Text that people typed, made safe to put inside Markdown. No Streamlit here.

A nickname is data: `**bold**` must show with its stars and `<img src=x onerror=...>`
as those very characters. Streamlit's Markdown would turn the first into bold text,
drop the second (raw HTML is not rendered without `unsafe_allow_html`), draw
`:material/home:` as an icon, `:smile:` as an emoji and `$x$` as maths.

CommonMark lets a backslash escape every ASCII punctuation character, so `plain`
escapes all of them: what is left is letters, digits and spaces, which Markdown
shows as they are. Checked in a browser against Streamlit 1.67 (the icon and emoji
short codes only match with their colons and slash unescaped).
"""

from __future__ import annotations

import string

_ESCAPES = {ord(char): "\\" + char for char in string.punctuation}


def plain(text: str) -> str:
    """`text` escaped so that `st.markdown` shows exactly these characters, on one line.

    Runs of whitespace become one space (as the browser would draw them anyway), so
    that no line break, indented code block or hard break can come from the text.
    """
    return " ".join(str(text).split()).translate(_ESCAPES)
