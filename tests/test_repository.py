"""The repository itself: CI runs README's test command, pins are complete, docs links resolve."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [
    path
    for path in [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        *sorted((ROOT / "docs").rglob("*.md")),
    ]
    if path.is_file()
]
SCREENSHOTS = ROOT / "docs" / "screenshots"

# A fenced code block, an inline code span: their text is code, not links.
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
# [text](target "title") and ![alt](target), reference definitions, and HTML src/href.
_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML = re.compile(r"""<(?:img|a|source)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _fenced_block(markdown: str, heading: str) -> str:
    """The first fenced code block under a `## heading`."""
    section = markdown.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"^```[^\n]*\n(.*?)\n```", section, re.MULTILINE | re.DOTALL)
    assert match, f"no fenced code block under '## {heading}'"
    return match.group(1).strip()


def _targets(doc: Path) -> list[str]:
    """Every link and image target in a Markdown file, code left out."""
    text = _CODE.sub("", doc.read_text(encoding="utf-8"))
    return [m.group(1) for pattern in (_INLINE, _REFERENCE, _HTML) for m in pattern.finditer(text)]


def _local_targets(doc: Path) -> list[tuple[str, Path]]:
    """(as written, resolved path) for each link to a file: web links and anchors left out."""
    found = []
    for target in _targets(doc):
        if target.startswith("#") or (_SCHEME.match(target) and not target.startswith("file:")):
            continue
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        found.append((target, (doc.parent / path).resolve()))
    return found


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_ci_runs_the_test_command_from_the_readme_verbatim():
    command = _fenced_block((ROOT / "README.md").read_text(encoding="utf-8"), "Test it")
    assert "\n" not in command, "README's test command should be one line"
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci_lines


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-test.txt"])
def test_every_requirement_is_pinned(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    requirements = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    unpinned = [
        line
        for line in requirements
        if not line.startswith("-r ") and not re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.+!-]+", line)
    ]
    assert unpinned == []


def test_no_package_is_pinned_twice():
    names = []
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.startswith("#"):
                names.append(re.sub(r"[-_.]+", "-", line.split("==")[0]).lower())
    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("doc", DOCS, ids=_relative)
def test_every_relative_link_and_image_resolves_to_a_file_in_the_repository(doc):
    outside = [target for target, path in _local_targets(doc) if not path.is_relative_to(ROOT)]
    assert outside == [], "links to paths outside the repository"
    absolute = [target for target, _ in _local_targets(doc) if target.startswith(("/", "file:"))]
    assert absolute == [], "use links relative to the document"
    missing = [target for target, path in _local_targets(doc) if not path.exists()]
    assert missing == []


def test_every_screenshot_is_shown_by_a_document():
    shown = {path for doc in DOCS for _, path in _local_targets(doc)}
    screenshots = sorted(SCREENSHOTS.iterdir())
    assert screenshots, "docs/screenshots is empty"
    assert [_relative(p) for p in screenshots if p.resolve() not in shown] == []


def test_the_link_finder_sees_links_and_images_and_skips_code(tmp_path):
    """The checks above are only as good as the parser: this is what it must find."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        'See [a](a.md#part), ![b](img/b.png "B"), [web](https://example.org), [top](#top).\n'
        '<img src="c.png" width="300">\n'
        "[ref]: ../d.md\n"
        "`[not](code.md)`\n"
        "```\n[not](block.md)\n```\n",
        encoding="utf-8",
    )
    assert _targets(doc) == [
        "a.md#part",
        "img/b.png",
        "https://example.org",
        "#top",
        "../d.md",
        "c.png",
    ]
    local = [target for target, _ in _local_targets(doc)]
    assert local == ["a.md#part", "img/b.png", "../d.md", "c.png"]
