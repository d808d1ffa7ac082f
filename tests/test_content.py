"""Loading and validating content: every shipped file, and one broken file per kind of problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from teamroles.__main__ import main
from teamroles.navigation import site_pages
from teamroles.site import load_site

ROOT = Path(__file__).resolve().parent.parent
ROLE_FILES = sorted((ROOT / "content" / "roles").glob("*.md"))


def test_shipped_content_has_no_problems():
    site = load_site(ROOT / "content")
    assert site.problems == []


@pytest.mark.parametrize("path", ROLE_FILES, ids=lambda path: path.name)
def test_every_role_file_becomes_a_role_with_a_body(path):
    site = load_site(ROOT / "content")
    role = site.roles.get(path.stem)
    assert role.title and role.summary and len(role.body) > 200
    assert role.responsibilities and role.measured_by and role.misunderstandings
    assert role.receives_from and role.hands_to


def test_the_short_names_used_by_quizzes_resolve_to_the_four_roles():
    roles = load_site(ROOT / "content").roles
    assert [roles.get(name).id for name in ("PM", "DS", "Dev", "QA")] == [
        "product-manager",
        "data-scientist",
        "dev-team",
        "qa",
    ]


def test_dev_team_covers_its_specialties_and_the_articles_concerns():
    dev = load_site(ROOT / "content").roles.get("Dev")
    names = {specialty.name.lower() for specialty in dev.specialties}
    assert names >= {"front end", "back end", "devops", "data engineer", "mlops", "ml engineer"}
    concerns = " ".join(dev.concerns).lower()
    for concern in (
        "performance",
        "error",
        "reusable",
        "testable",
        "maintainable",
        "monitor",
        "security",
    ):
        assert concern in concerns


def test_glossary_defines_the_core_terms():
    glossary = load_site(ROOT / "content").glossary
    terms = {term.term.lower() for term in glossary.terms}
    for term in (
        "what",
        "how",
        "acceptance criteria",
        "verification",
        "validation",
        "mlops",
        "technical debt",
    ):
        assert term in terms
    assert {"Acceptance criteria", "Verification"} <= {
        t.term for t in glossary.search("acceptance")
    }
    assert glossary.search("no such words here") == []


def test_workflow_goes_from_the_customer_problem_to_monitoring():
    workflow = load_site(ROOT / "content").workflow
    assert workflow.stages[0].lead == "PM"
    assert "monitor" in workflow.stages[-1].id


def write(path: Path, text: str | bytes) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


VALID_ROLE = """---
title: UX Designer
summary: Makes the feature easy to use.
order: 9
related: [PM]
---
The designer owns usability.
"""

BROKEN_ROLES = {
    "yaml-error": ("---\ntitle: [unclosed\norder: 9\n---\nBody\n", "front matter", "YAML"),
    "no-front-matter": ("# Just Markdown\n\nNo fields here.\n", "front matter", "missing"),
    "missing-field": ("---\ntitle: X\norder: 9\n---\nBody\n", "summary", "required"),
    "wrong-type": ("---\ntitle: X\nsummary: Y\norder: first\n---\nBody\n", "order", "integer"),
    "empty-body": ("---\ntitle: X\nsummary: Y\norder: 9\n---\n\n  \n", "body", "empty"),
    "unknown-role": (VALID_ROLE.replace("[PM]", "[designer-lead]"), "related[0]", "designer-lead"),
    "duplicate-order": (VALID_ROLE.replace("order: 9", "order: 1"), "order", "also used by"),
    "duplicate-id": (VALID_ROLE.replace("order: 9", "id: qa\norder: 9"), "id", "already used"),
    "not-utf8": (VALID_ROLE.encode("utf-8").replace(b"easy", b"\xff\xfe"), "encoding", "UTF-8"),
}


@pytest.mark.parametrize("case", BROKEN_ROLES, ids=str)
def test_a_broken_role_file_names_file_and_field_and_the_rest_loads(content_copy, case):
    text, field, words = BROKEN_ROLES[case]
    write(content_copy / "roles" / f"{case}.md", text)
    site = load_site(content_copy)
    problem = next(p for p in site.problems if p.path == f"content/roles/{case}.md")
    assert problem.field == field
    assert words.lower() in problem.message.lower()
    shipped = [role.id for role in site.roles if role.source != problem.path]
    assert shipped == [path.stem for path in _reading_order()]


def test_two_roles_sharing_an_order_are_both_named_and_both_kept(content_copy):
    write(content_copy / "roles" / "ux-designer.md", VALID_ROLE.replace("order: 9", "order: 2"))
    site = load_site(content_copy)
    assert sorted(str(p).split(": order")[0] for p in site.problems) == [
        "content/roles/data-scientist.md",
        "content/roles/ux-designer.md",
    ]
    assert len(site.roles) == 5


def _reading_order():
    order = {"product-manager": 1, "data-scientist": 2, "dev-team": 3, "qa": 4}
    return sorted(ROLE_FILES, key=lambda path: order[path.stem])


def test_a_new_role_file_adds_a_page_and_deleting_one_removes_it(content_copy):
    write(content_copy / "roles" / "ux-designer.md", VALID_ROLE)
    (content_copy / "roles" / "qa.md").unlink()
    pages = [page.url_path for page in site_pages(load_site(content_copy))]
    assert "ux-designer" in pages
    assert "qa" not in pages
    assert pages.index("ux-designer") > pages.index("dev-team")


def test_a_broken_glossary_is_reported_and_the_roles_still_load(content_copy):
    write(
        content_copy / "glossary.md",
        "---\ntitle: Glossary\nsummary: s\n---\n## What\n\n## How\nBuilt.\n",
    )
    site = load_site(content_copy)
    assert [str(p) for p in site.problems if p.path == "content/glossary.md"] == [
        "content/glossary.md: body: What: the definition is empty"
    ]
    assert len(site.roles) == 4


def test_a_workflow_naming_an_unknown_role_is_reported(content_copy):
    path = content_copy / "workflow.yaml"
    write(path, path.read_text(encoding="utf-8").replace("lead: QA", "lead: Tester", 1))
    problems = [p for p in load_site(content_copy).problems if p.path == "content/workflow.yaml"]
    assert len(problems) == 1
    assert problems[0].field.endswith(".lead")
    assert "Tester" in problems[0].message


def test_content_is_parsed_once_per_version(content_copy):
    first = load_site(content_copy)
    assert load_site(content_copy) is first
    path = content_copy / "roles" / "qa.md"
    write(
        path, path.read_text(encoding="utf-8").replace("title: QA", "title: Quality Assurance", 1)
    )
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_site(content_copy)
    assert second is not first
    assert second.roles.get("qa").title == "Quality Assurance"


def test_check_command_exits_zero_on_the_shipped_content(capsys):
    assert main(["check", "--content", str(ROOT / "content")]) == 0
    assert "Content OK: 4 roles" in capsys.readouterr().out


def test_check_command_prints_every_problem_and_fails(content_copy, capsys):
    write(content_copy / "roles" / "a.md", BROKEN_ROLES["missing-field"][0])
    write(content_copy / "roles" / "b.md", BROKEN_ROLES["not-utf8"][0])
    assert main(["check", "--content", str(content_copy)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "content/roles/a.md: summary: required field is missing"
    assert lines[1].startswith("content/roles/b.md: encoding: the file is not UTF-8 text")


def test_a_bad_colour_reads_as_a_plain_sentence(content_copy):
    write(content_copy / "roles" / "ux.md", VALID_ROLE.replace("order: 9", "order: 9\ncolor: blue"))
    [problem] = [p for p in load_site(content_copy).problems if p.path == "content/roles/ux.md"]
    assert str(problem) == "content/roles/ux.md: color: must be a colour like '#0072B2'"


def test_references_to_a_broken_role_point_at_the_broken_file(content_copy):
    path = content_copy / "roles" / "data-scientist.md"
    write(path, path.read_text(encoding="utf-8").replace("order: 2", "order: two", 1))
    problems = load_site(content_copy).problems
    own = [p for p in problems if p.path == "content/roles/data-scientist.md"]
    assert [p.field for p in own] == ["order"]
    follow_ons = [p for p in problems if p not in own]
    assert follow_ons, "the other files name DS, which is now missing"
    for problem in follow_ons:
        if "'DS'" in problem.message:
            assert "content/roles/data-scientist.md has a problem" in problem.message
