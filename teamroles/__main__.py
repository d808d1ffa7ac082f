"""Command line: `python -m teamroles check [--content DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from teamroles.site import load_site


def check(content_dir: Path | None) -> int:
    """Print every content problem as `path: field: message`; 1 if there are any."""
    site = load_site(content_dir)
    for problem in site.problems:
        print(problem)
    if site.problems:
        print(f"{len(site.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"Content OK: {summary(site)}.")
    return 0


def summary(site) -> str:
    parts = [f"{len(site.roles)} roles"]
    if site.glossary:
        parts.append(f"{len(site.glossary.terms)} glossary terms")
    if site.workflow:
        parts.append(f"{len(site.workflow.stages)} workflow stages")
    if site.debt_figure:
        parts.append(f"{len(site.debt_figure.boxes)} hidden-debt boxes")
    if site.responsibilities:
        parts.append(f"{len(site.responsibilities.activities)} activities in the matrix")
    for quiz in site.quizzes:
        parts.append(f"quiz {quiz.id!r}: {len(quiz.questions)} questions")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m teamroles")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate all content files")
    check_parser.add_argument(
        "--content",
        type=Path,
        help="content folder (default: $TEAMROLES_CONTENT, else the shipped content/ folder)",
    )
    args = parser.parse_args(argv)
    return check(args.content)


if __name__ == "__main__":
    sys.exit(main())
