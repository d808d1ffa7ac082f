"""Loading and validating content: every shipped file, and one broken file per kind of problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from teamroles.__main__ import main
from teamroles.content_model import UnknownId
from teamroles.markdown_files import slugify
from teamroles.navigation import site_pages
from teamroles.site import EXPECTED_FILES, load_site
from tests.content_variants import as_shipped

ROOT = Path(__file__).resolve().parent.parent
ROLE_FILES = sorted((ROOT / "content" / "roles").glob("*.md"))
SHIPPED = load_site(ROOT / "content")
# The shipped roles in reading order (by `order`), as file names.
READING_ORDER = [Path(role.source).stem for role in SHIPPED.roles]


def problems_of(site, relative: str) -> list[str]:
    """The problems of one file, as they read for the shipped folder."""
    shown = [as_shipped(site, p) for p in site.problems]
    return [p for p in shown if p.startswith(f"content/{relative}: ")]


def test_shipped_content_has_no_problems():
    site = load_site(ROOT / "content")
    assert site.problems == []


def test_the_shipped_content_has_every_file_a_reader_relies_on():
    assert SHIPPED.home and SHIPPED.glossary and SHIPPED.workflow
    assert SHIPPED.debt_figure and SHIPPED.responsibilities and SHIPPED.quizzes
    assert sorted(READING_ORDER) == [path.stem for path in ROLE_FILES]


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_a_deleted_file_is_named_with_what_the_reader_loses(content_copy, name, capsys):
    (content_copy / name).unlink()
    site = load_site(content_copy)
    assert problems_of(site, name) == [f"content/{name}: (file): missing: {EXPECTED_FILES[name]}"]
    assert main(["check", "--content", str(content_copy)]) == 1
    assert len(site.roles) == len(ROLE_FILES)


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
    ids = [stage.id for stage in workflow.stages]
    monitoring = next(i for i, stage_id in enumerate(ids) if "monitor" in stage_id)
    assert monitoring > ids.index("verify"), "monitoring comes after QA's verification"


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
    problem = next(p for p in site.problems if p.path == site.path_of(f"roles/{case}.md"))
    assert problem.field == field
    assert words.lower() in problem.message.lower()
    shipped = [role.id for role in site.roles if role.source != problem.path]
    assert shipped == READING_ORDER


def test_two_roles_sharing_an_order_are_both_named_and_both_kept(content_copy):
    write(content_copy / "roles" / "ux-designer.md", VALID_ROLE.replace("order: 9", "order: 2"))
    site = load_site(content_copy)
    second = SHIPPED.roles.roles[1]
    assert sorted(as_shipped(site, p).split(": order")[0] for p in site.problems) == [
        f"content/roles/{Path(second.source).name}",
        "content/roles/ux-designer.md",
    ]
    assert len(site.roles) == len(ROLE_FILES) + 1


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
    assert problems_of(site, "glossary.md") == [
        "content/glossary.md: body: What: the definition is empty; this term is left out"
    ]
    assert [term.term for term in site.glossary.terms] == ["How"]
    assert len(site.roles) == len(ROLE_FILES)


def test_every_see_also_in_the_glossary_names_one_of_its_terms():
    glossary = SHIPPED.glossary
    names = {term.term.lower() for term in glossary.terms}
    named = [(term.term, name) for term in glossary.terms for name in term.see_also]
    assert named, "the glossary's entries point the reader to related terms"
    assert [pair for pair in named if pair[1].lower() not in names] == []


def test_a_see_also_naming_no_term_is_reported_and_shown_as_plain_text(content_copy):
    write(
        content_copy / "glossary.md",
        "---\ntitle: Glossary\nsummary: s\n---\n## What\nThe need. See also How, Why.\n\n"
        "## How\nBuilt. See also What.\n",
    )
    site = load_site(content_copy)
    assert problems_of(site, "glossary.md") == [
        "content/glossary.md: body: What: 'See also Why' names no term of this glossary; "
        "it is shown as plain text"
    ]
    what, how = site.glossary.terms
    assert what.see_also == ["How", "Why"]
    shown = site.glossary.markdown([what, how])
    assert "See also [How](#how), Why." in shown
    assert "See also [What](#what)." in shown
    # A term filtered out by a search is named, not linked to a heading that is not there.
    assert "See also How, Why." in site.glossary.markdown([what])


def test_a_stage_led_by_an_unknown_role_is_left_out_with_its_loops(content_copy):
    path = content_copy / "workflow.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = len(data["stages"]) // 2
    stage = data["stages"][index]
    stage["lead"] = "Tester"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_site(content_copy)
    problems = sorted(problems_of(site, "workflow.yaml"), key=lambda p: "loops" in p)
    assert problems[0] == (
        f"content/workflow.yaml: stages[{index}].lead: unknown role 'Tester' (no role has this "
        f"id or alias); stage '{stage['id']}' is left out"
    )
    touching = [
        i
        for i, loop in enumerate(data.get("loops", []))
        if stage["id"] in (loop["from"], loop["to"])
    ]
    assert [p.split(": ")[1].split(".")[0] for p in problems[1:]] == [
        f"loops[{i}]" for i in touching
    ]
    for problem in problems[1:]:
        assert f"stage '{stage['id']}' is not available (see stages[{index}])" in problem
    kept = [s.id for s in site.workflow.stages]
    assert kept == [s["id"] for s in data["stages"] if s is not stage]
    assert len(site.workflow.loops) == len(data.get("loops", [])) - len(touching)


def test_a_bad_reference_in_a_list_drops_only_that_entry(content_copy):
    """One policy for every file: the smallest unit that holds the bad reference goes."""
    first_role = ROLE_FILES[0]
    text = first_role.read_text(encoding="utf-8").replace("related: [", "related: [Astrologer, ", 1)
    write(content_copy / "roles" / first_role.name, text)
    edits = {
        "workflow.yaml": lambda d: (
            d["stages"][0].setdefault("contributors", []).append("Astrologer")
        ),
        "hidden_debt.yaml": lambda d: d["boxes"][0].setdefault("also", []).append("Astrologer"),
        "responsibilities.yaml": lambda d: d["activities"][0]["roles"].update(
            {"Astrologer": "informed"}
        ),
    }
    for name, change in edits.items():
        path = content_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_site(content_copy)
    fields = {
        f"roles/{first_role.name}": "related[0]",
        "workflow.yaml": f"stages[0].contributors[{len(SHIPPED.workflow.stages[0].contributors)}]",
        "hidden_debt.yaml": f"boxes[0].also[{len(SHIPPED.debt_figure.boxes[0].also)}]",
        "responsibilities.yaml": "activities[0].roles.Astrologer",
    }
    for name, field in fields.items():
        [problem] = problems_of(site, name)
        assert problem.startswith(f"content/{name}: {field}: unknown role 'Astrologer'"), problem
        assert problem.endswith("is left out")
    role = site.roles.get(first_role.stem)
    assert role.related == SHIPPED.roles.get(first_role.stem).related
    assert site.workflow.stages == SHIPPED.workflow.stages
    assert site.debt_figure.boxes == SHIPPED.debt_figure.boxes
    assert site.responsibilities.activities == SHIPPED.responsibilities.activities


def test_a_repeated_id_leaves_out_the_second_use_in_every_file(content_copy):
    edits = {
        "workflow.yaml": ("stages", "stage"),
        "hidden_debt.yaml": ("boxes", "box"),
        "responsibilities.yaml": ("activities", "activity"),
    }
    for name, (key, _) in edits.items():
        path = content_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[key][1]["id"] = data[key][0]["id"]
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_site(content_copy)
    for name, (key, kind) in edits.items():
        [problem] = [p for p in problems_of(site, name) if f"{key}[1].id" in p]
        shipped_items = getattr(
            SHIPPED, {"stages": "workflow", "boxes": "debt_figure"}.get(key, "responsibilities")
        )
        first = getattr(shipped_items, key)[0].id
        assert problem == (
            f"content/{name}: {key}[1].id: '{first}' is already used by {key}[0]; "
            f"{kind} '{first}' is left out"
        )


@pytest.mark.parametrize(
    ("kind", "lookup"),
    [
        ("stage", lambda site: site.workflow.stage),
        ("box", lambda site: site.debt_figure.box),
        ("activity", lambda site: site.responsibilities.activity),
        ("question", lambda site: site.quizzes[0].question),
        ("role", lambda site: site.roles.get),
    ],
)
def test_looking_up_an_unknown_id_names_it_the_same_way_everywhere(kind, lookup):
    with pytest.raises(UnknownId, match=f"no {kind} has the id 'no-such-id'") as raised:
        lookup(SHIPPED)("no-such-id")
    assert isinstance(raised.value, KeyError)
    assert raised.value.known, "the message lists the ids that do exist"


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
    out = capsys.readouterr().out
    assert (
        f"Content OK: {len(ROLE_FILES)} roles, {len(SHIPPED.glossary.terms)} glossary terms" in out
    )
    for quiz in SHIPPED.quizzes:
        assert f"quiz '{quiz.id}': {len(quiz.questions)} questions" in out


def test_check_command_prints_every_problem_and_fails(content_copy, capsys):
    write(content_copy / "roles" / "a.md", BROKEN_ROLES["missing-field"][0])
    write(content_copy / "roles" / "b.md", BROKEN_ROLES["not-utf8"][0])
    assert main(["check", "--content", str(content_copy)]) == 1
    site = load_site(content_copy)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{site.path_of('roles/a.md')}: summary: required field is missing"
    assert lines[1].startswith(f"{site.path_of('roles/b.md')}: encoding: the file is not UTF-8")


def test_a_bad_colour_reads_as_a_plain_sentence(content_copy):
    write(content_copy / "roles" / "ux.md", VALID_ROLE.replace("order: 9", "order: 9\ncolor: blue"))
    [problem] = problems_of(load_site(content_copy), "roles/ux.md")
    assert problem == "content/roles/ux.md: color: must be a colour like '#0072B2'"


def test_references_to_a_broken_role_point_at_the_broken_file(content_copy):
    path = content_copy / "roles" / "data-scientist.md"
    write(path, path.read_text(encoding="utf-8").replace("order: 2", "order: two", 1))
    site = load_site(content_copy)
    own = [p for p in site.problems if p.path == site.path_of("roles/data-scientist.md")]
    assert [p.field for p in own] == ["order"]
    follow_ons = [p for p in site.problems if p not in own]
    assert follow_ons, "the other files name the Data Scientist, which is now missing"
    for problem in follow_ons:
        # Each names the broken file, or the line of its own file that does.
        named = f"{site.path_of('roles/data-scientist.md')} has a problem" in problem.message
        assert named or "(see " in problem.message, problem
    broken = f"{site.path_of('roles/data-scientist.md')} has a problem"
    assert sum(broken in p.message for p in follow_ons) >= len(follow_ons) / 2


def test_an_edit_is_seen_once_the_fingerprint_may_be_a_second_old(content_copy):
    """The app reuses a fingerprint of the files for up to a second (site.APP_MAX_AGE_SECONDS)."""
    first = load_site(content_copy, max_age=60)
    path = content_copy / "home.md"
    path.write_text(path.read_text().replace(first.home.title, "Edited title"))
    assert load_site(content_copy, max_age=60).home.title == first.home.title
    assert load_site(content_copy, max_age=0).home.title == "Edited title"
    assert load_site(content_copy, max_age=60).home.title == "Edited title"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("DevOps", "dev-ops"),
        ("MLOps", "ml-ops"),
        ("The customer's voice on the team", "the-customers-voice-on-the-team"),
        ("Iteration (phased delivery)", "iteration-phased-delivery"),
    ],
)
def test_an_anchor_is_what_the_browser_gives_the_heading(heading, anchor):
    """As Streamlit's browser code does (the browser test checks every content anchor)."""
    assert slugify(heading) == anchor
