"""The layers: Streamlit is imported in one subpackage only, `teamroles/ui/`.

Every other module (content, quiz, room, figures, the CLI, the deck export) is plain
Python, importable and testable without a running app. This test imports each one in
a fresh interpreter and fails naming the module that pulls Streamlit in.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "teamroles"


def _modules_outside_ui() -> list[str]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        parts = relative.parts
        if parts[1] == "ui" or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    return modules


def test_no_module_outside_ui_imports_streamlit():
    modules = _modules_outside_ui()
    assert "teamroles.room.service" in modules and "teamroles.content.site" in modules
    code = (
        "import importlib, sys\n"
        "bad = []\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'streamlit' in sys.modules:\n"
        "        bad.append(name)\n"
        "        break\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"imports Streamlit outside teamroles/ui: {result.stdout}"


def test_the_ui_package_is_where_streamlit_is_imported():
    users = {
        path.relative_to(PACKAGE).parts[0]
        for path in PACKAGE.rglob("*.py")
        if "import streamlit" in path.read_text(encoding="utf-8")
        or "from streamlit" in path.read_text(encoding="utf-8")
    }
    assert users == {"ui"}, users


# The room's modules that talk to the database (or pull SQLAlchemy in).
DATABASE_MODULES = {"cache", "engines", "reports", "rows", "service", "store"}


def test_the_screens_logic_imports_nothing_that_reads_the_database():
    """`room/screens.py` decides what the workshop pages draw, "no database here"."""
    tree = ast.parse((PACKAGE / "room" / "screens.py").read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    database = {
        name
        for name in imported
        if name.split(".")[0] == "sqlalchemy"
        or (name.startswith("teamroles.room.") and name.split(".")[2] in DATABASE_MODULES)
    }
    assert not database, database


def test_every_page_script_is_one_call_into_the_ui():
    """`app_pages/` holds one convention: a docstring, one import from `teamroles.ui` and
    one call (`pages.<name>()` or a module's `page()`); the layout lives in the UI."""
    scripts = sorted((ROOT / "app_pages").glob("*.py"))
    assert len(scripts) >= 11
    for path in scripts:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        statements = [
            node
            for node in body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        ]
        kinds = [type(node).__name__ for node in statements]
        assert kinds == ["ImportFrom", "Expr"], (path.name, kinds)
        assert statements[0].module == "teamroles.ui", path.name
        assert isinstance(statements[1].value, ast.Call), path.name


# What a first visit must not wait for: data frames (pandas) and the database
# (SQLAlchemy, Alembic). A server imports a module on the first run that needs it,
# so each one here would be paid by the first reader or phone after every start.
HEAVY = ("pandas", "sqlalchemy", "alembic")
_FIRST_RUNS = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.apptest import ROOT, open_url

def loaded():
    return [name for name in {heavy!r} if name in sys.modules]

at = AppTest.from_file(str(ROOT / "menu.py"), default_timeout=60).run()
report = {{"home": loaded(), "errors": [str(e.value) for e in at.exception]}}
open_url(at, "join")
report["join"] = loaded()
at.query_params["room"] = "ABCD2345"
at.run()
report["join link"] = loaded()
at.query_params["me"] = "a-token"
at.run()
report["a phone that joined"] = loaded()
print(json.dumps(report))
"""


def test_a_first_visit_imports_the_database_and_data_frames_only_when_it_needs_them(tmp_path):
    """A reader's first page and a phone's join form (from the room's link or QR code,
    the code filled in) are drawn without pandas, SQLAlchemy or Alembic: the cold-start
    benchmark times what that saves. A phone that has joined (its link carries its
    token) needs the room, and loads the database then."""
    env = {**os.environ, "TEAMROLES_DATABASE_URL": f"sqlite:///{tmp_path / 'rooms.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_RUNS.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["home"] == [], f"the home page's first run imported {report['home']}"
    assert report["join"] == [], f"the join form's first run imported {report['join']}"
    assert report["join link"] == [], f"a join link's first run imported {report['join link']}"
    assert {"sqlalchemy", "alembic"} <= set(report["a phone that joined"])


def test_the_benchmark_imports_nothing_from_the_tests():
    """The tests build on `bench/` (its server launcher, Chromium, the cluster); a bench
    module that imported `tests/` would make the two depend on each other."""
    offenders = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(name == "tests" or name.startswith("tests.") for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], offenders
