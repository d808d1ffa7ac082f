"""All content of the app, loaded and validated together.

`load_site` parses the content folder once per content version: it stats the
files (at most once a second when the app asks) and parses again only when one
was added, removed or changed, so an author sees an edit on the next rerun
without a restart.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from teamroles.content.deck import Deck, load_decks
from teamroles.content.example import Example, load_example
from teamroles.content.glossary import Glossary, load_glossary
from teamroles.content.hidden_debt import DebtFigure, load_debt_figure
from teamroles.content.markdown_files import TextPage, load_text_page
from teamroles.content.model import by_id
from teamroles.content.problems import Problem, display_path
from teamroles.content.quizbank import Quiz, load_quizzes
from teamroles.content.responsibilities import Responsibilities, load_responsibilities
from teamroles.content.roles import RoleIndex, load_roles
from teamroles.content.workflow import Workflow, load_workflow

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
CONTENT_ENV = "TEAMROLES_CONTENT"
# The site's fixed files, and what a reader loses when one is missing.
EXPECTED_FILES = {
    "home.md": "the home page shows only the roles and the journey",
    "glossary.md": "there is no glossary page",
    "workflow.yaml": "the journey of a feature is not shown",
    "hidden_debt.yaml": "the hidden technical debt figure is not shown",
    "responsibilities.yaml": "the who-owns-what matrix is not shown",
    "example/example.yaml": "the worked example (one feature, start to finish) is not shown",
}


@dataclass(frozen=True)
class Site:
    home: TextPage | None
    roles: RoleIndex
    glossary: Glossary | None
    workflow: Workflow | None
    quizzes: list[Quiz] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    version: str = ""
    debt_figure: DebtFigure | None = None
    responsibilities: Responsibilities | None = None
    content_dir: Path = CONTENT_DIR
    # Presentation decks from `decks/` (docs/presenting.md), by id; none without the folder.
    decks: list[Deck] = field(default_factory=list)
    # The worked example from `example/` (teamroles/content/example.py); None without it.
    example: Example | None = None

    def deck(self, deck_id: str) -> Deck:
        """The deck with this id; UnknownId (a KeyError) naming it and the ids that exist."""
        return by_id(self.decks, deck_id, "deck")

    def path_of(self, name: str) -> str:
        """A content file's path as an author can open it, e.g. `content/workflow.yaml`."""
        return display_path(self.content_dir / name)


def content_version(content_dir: Path) -> str:
    """A fingerprint of every file under the content folder (names, times, sizes).

    It runs on every script run, so it uses os.scandir: several times cheaper
    than pathlib's rglob under load.
    """
    stats = []
    folders = [str(content_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    folders.append(entry.path)
                else:
                    stat = entry.stat()
                    stats.append((entry.path, stat.st_mtime_ns, stat.st_size))
    return str(hash(tuple(sorted(stats))))


# How old the fingerprint may be when the app asks: an author's edit shows within a second.
APP_MAX_AGE_SECONDS = 1.0
# content folder -> (when its files were last looked at, their fingerprint)
_checked: dict[Path, tuple[float, str]] = {}


def load_site(content_dir: Path | None = None, max_age: float = 0.0) -> Site:
    """The site from `content_dir`, else $TEAMROLES_CONTENT, else the shipped content.

    `max_age`: seconds a fingerprint of the files may be reused. The app passes one
    second: every page run would otherwise stat every file, and each system call
    lets another thread take the interpreter under load.
    """
    content_dir = _resolved(str(content_dir or os.environ.get(CONTENT_ENV) or CONTENT_DIR))
    now = time.monotonic()
    checked = _checked.get(content_dir)
    if checked is None or now - checked[0] >= max_age:
        checked = _checked[content_dir] = (now, content_version(content_dir))
    return _parse_site(content_dir, checked[1])


@functools.lru_cache(maxsize=64)
def _resolved(content_dir: str) -> Path:
    return Path(content_dir).resolve()


@functools.lru_cache(maxsize=8)
def _parse_site(content_dir: Path, version: str) -> Site:
    roles, role_problems = load_roles(content_dir)
    home, home_problems = load_text_page(content_dir / "home.md")
    glossary, glossary_problems = load_glossary(content_dir)
    # The matrix first: the journey, the example and the quizzes are checked against it.
    responsibilities, responsibility_problems = load_responsibilities(content_dir, roles)
    workflow, workflow_problems = load_workflow(content_dir, roles, responsibilities)
    example, example_problems = load_example(content_dir, roles, workflow, responsibilities)
    quizzes, quiz_problems = load_quizzes(
        content_dir, roles, glossary, example, responsibilities, home
    )
    debt_figure, debt_problems = load_debt_figure(content_dir, roles)
    site = Site(
        home=home,
        roles=roles,
        glossary=glossary,
        workflow=workflow,
        quizzes=quizzes,
        debt_figure=debt_figure,
        responsibilities=responsibilities,
        example=example,
        # Roles first: the other files refer to them, so a broken role file
        # explains the problems listed after it.
        problems=[
            *_missing_files(content_dir, roles),
            *sorted(role_problems),
            *sorted(
                home_problems
                + glossary_problems
                + workflow_problems
                + example_problems
                + quiz_problems
                + debt_problems
                + responsibility_problems
            ),
        ],
        version=version,
        content_dir=content_dir,
    )
    # Decks name all the other content, so they are read last, against the site loaded so
    # far, and their problems come last: a problem above may explain one of theirs.
    decks, deck_problems = load_decks(content_dir, site)
    problems = site.problems + sorted(deck_problems)
    return dataclasses.replace(site, decks=decks, problems=problems)


def _missing_files(content_dir: Path, roles: RoleIndex) -> list[Problem]:
    """A deleted file is named too: the app works without it, but a reader loses something."""
    problems = [
        Problem(display_path(content_dir / name), "(file)", f"missing: {loss}")
        for name, loss in EXPECTED_FILES.items()
        if not (content_dir / name).exists()
    ]
    if not len(roles) and not any((content_dir / "roles").glob("*.md")):
        problems.append(
            Problem(display_path(content_dir / "roles"), "(folder)", "no role files: add one")
        )
    return problems
