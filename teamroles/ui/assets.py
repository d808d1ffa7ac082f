"""The CSS and JavaScript the pages inject, kept as files under `assets/` so that they
are edited as CSS and JavaScript. Each file is read once per process.

A CSS file may hold `$name` placeholders (`string.Template`), filled from Python where
a number is the code's (a figure's trace order, a breakpoint).
"""

from __future__ import annotations

import functools
from pathlib import Path
from string import Template

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@functools.cache
def read(name: str) -> str:
    """The text of `assets/<name>` (for example `css/host.css`)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def style(*names: str, **values: object) -> str:
    """A `<style>` element with the named CSS files in order, `values` filled in."""
    css = "".join(read(name) for name in names)
    if values:
        css = Template(css).substitute(values)
    return f"<style>\n{css}</style>"


def script(name: str) -> str:
    """A `<script>` element with the named JavaScript file."""
    return f"<script>\n{read(name)}</script>"
