"""Loading and validating content: every shipped file, and one broken file per kind of problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from teamroles.cli import main
from teamroles.content import role_page
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.markdown_files import slugify
from teamroles.content.model import UnknownId
from teamroles.content.quizbank import home_anchors, see_target
from teamroles.content.site import EXPECTED_FILES, load_site
from teamroles.navigation import site_pages
from tests.content_variants import NEW_STAGE, as_shipped, grow

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


# ---------------------------------------------------------------- the worked example and links


def test_a_journey_stage_the_example_lacks_is_named_by_check(content_copy, capsys):
    """An author adds a stage to the journey only: check names the example's gap."""
    path = content_copy / "workflow.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    new = {**NEW_STAGE, "id": "retrospective", "title": "Retrospective"}
    data["stages"].append(new)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_site(content_copy)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages: the worked example has no stage 'retrospective' (Retrospective): "
        "add one, in the journey's order; until then that stage of the journey links to no "
        "example"
    ]
    assert site.example.href("retrospective") is None
    assert main(["check", "--content", str(content_copy)]) == 1


def test_content_grown_with_a_stage_and_its_example_section_is_clean(content_copy, capsys):
    grow(content_copy)
    site = load_site(content_copy)
    assert [str(p) for p in site.problems] == []
    new_stage = site.workflow.stages[-1]
    assert site.example.for_stage(new_stage.id) is not None


def test_an_example_stage_out_of_the_journeys_order_is_left_out(content_copy):
    shipped = SHIPPED.example.stages
    middle = len(shipped) // 2

    def swap(data):
        stages = data["stages"]
        stages[middle], stages[middle + 1] = stages[middle + 1], stages[middle]

    _edit_example(content_copy, swap)
    site = load_site(content_copy)
    moved, before = shipped[middle].stage, shipped[middle + 1].stage
    journey = ", ".join(stage.id for stage in SHIPPED.workflow.stages)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{middle + 1}].stage: '{moved}' comes after '{before}' here but "
        f"before it in the journey ({journey}); the example's stage '{moved}' is left out"
    ]
    assert [s.stage for s in site.example.stages] == [s.stage for s in shipped if s.stage != moved]
    assert site.example.href(moved) is None


def test_a_document_handed_on_twice_is_shown_once(content_copy):
    first = next(i for i, s in enumerate(SHIPPED.example.stages) if s.hands_on)
    doc_id = SHIPPED.example.stages[first].hands_on[0]
    last = len(SHIPPED.example.stages) - 1
    _edit_example(content_copy, _stage_edit("hands_on", lambda s: [*s["hands_on"], doc_id], last))
    site = load_site(content_copy)
    index = len(SHIPPED.example.stages[last].hands_on)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{last}].hands_on[{index}]: '{doc_id}' is already used by "
        f"stages[{first}].hands_on[0]; this entry is left out"
    ]
    assert site.example.stages[last].hands_on == SHIPPED.example.stages[last].hands_on


def test_a_heading_inside_a_document_leaves_the_document_out(content_copy):
    doc = SHIPPED.example.documents[0]
    path = content_copy / "example" / "documents" / f"{doc.id}.md"
    text = path.read_text(encoding="utf-8")
    write(path, text + "\n## A heading\n\nMore text.\n")
    site = load_site(content_copy)
    line = len(doc.body.splitlines()) + 2
    [problem] = problems_in(site, f"example/documents/{doc.id}.md")
    assert problem == (
        f"content/example/documents/{doc.id}.md: body: line {line} of the document is a '#' "
        "heading, which would break the page's sections: use a bold label (**Label.**); "
        f"document '{doc.id}' is left out"
    )
    assert doc.id not in {d.id for d in site.example.documents}


def _content_links(site) -> list[tuple[str, str, bool]]:
    """Every link from one piece of content to another, as (from, to, resolves)."""
    links = []
    anchors = site.example.anchors() if site.example else {}
    for stage in site.workflow.stages:  # the journey's stage -> the example's section
        href = site.example.href(stage.id)
        links.append(
            (
                f"stage {stage.id}",
                str(href),
                href is not None and (href.removeprefix(f"/{EXAMPLE_PAGE}#") in anchors),
            )
        )
    journey = {stage.id for stage in site.workflow.stages}
    for stage in site.example.stages:  # the example's stage -> the journey's stage
        links.append((f"example {stage.stage}", f"stage {stage.stage}", stage.stage in journey))
        for name in [part.role for part in stage.who] + [d.role for d in stage.decisions]:
            links.append((f"example {stage.stage}", f"role {name}", bool(site.roles.find(name))))
        for doc_id in stage.hands_on:
            known = {doc.id for doc in site.example.documents}
            links.append((f"example {stage.stage}", f"document {doc_id}", doc_id in known))
    for quiz in site.quizzes:  # a question's `see` -> a heading on its page
        for question in quiz.questions:
            target = see_target(question, site.roles, site.glossary, site.example, site.home)
            if target is None or not target.anchor:
                links.append((question.id, str(question.see), target is not None))
                continue
            if target.url_path == EXAMPLE_PAGE:
                on_page = anchors
            elif target.is_home:
                on_page = home_anchors(site.home)
            elif target.url_path == "glossary":
                on_page = {term.anchor: term.term for term in site.glossary.terms}
            else:
                on_page = role_page.anchors(site.roles.get(target.url_path))
            links.append((question.id, target.href, target.anchor in on_page))
    for role in site.roles:  # a role -> the roles it names
        names = [*role.related, *(h.role for h in [*role.receives_from, *role.hands_to])]
        for name in names:
            links.append((f"role {role.id}", f"role {name}", bool(site.roles.find(name))))
    return links


def test_every_link_between_shipped_content_resolves():
    links = _content_links(SHIPPED)
    assert [link for link in links if not link[2]] == []
    kinds = {link[1].split(" ")[0].split("#")[0] for link in links}
    # Each kind of link is there to check: to the example, to stages, roles, documents, pages.
    assert {f"/{EXAMPLE_PAGE}", "stage", "role", "document", "/glossary"} <= kinds
    assert any(link[0].startswith("role ") for link in links)


def test_the_example_is_linked_from_every_journey_stage_it_covers_and_the_quiz():
    example = SHIPPED.example
    for stage in SHIPPED.workflow.stages:
        assert (
            example.href(stage.id)
            == f"/{EXAMPLE_PAGE}#{example.anchor(example.for_stage(stage.id))}"
        )
    sees = [q.see for quiz in SHIPPED.quizzes for q in quiz.questions if q.see]
    assert any(see.startswith(f"{EXAMPLE_PAGE}#") for see in sees)
    quiz = next(
        quiz
        for quiz in SHIPPED.quizzes
        if all((q.see or "").startswith(f"{EXAMPLE_PAGE}#") for q in quiz.questions)
    )
    assert len(quiz.questions) >= 10, "a quiz bank about the worked example"


def problems_in(site, relative: str) -> list[str]:
    """As `problems_of`, with every path inside the messages as it reads for the shipped
    folder too (a message may name another file: `(see content/workflow.yaml: ...)`)."""
    shown = [str(p).replace(site.path_of(""), "content") for p in site.problems]
    return [p for p in shown if p.startswith(f"content/{relative}: ")]


def _edit_example(content: Path, change) -> None:
    path = content / "example" / "example.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _stage_edit(field, value, index=1):
    def change(data):
        data["stages"][index][field] = value(data["stages"][index]) if callable(value) else value

    return change


EXAMPLE = "content/example/example.yaml"


def _no_stage(stage_id: str) -> str:
    title = SHIPPED.workflow.stage(stage_id).title
    return (
        f"{EXAMPLE}: stages: the worked example has no stage '{stage_id}' ({title}): add one, "
        "in the journey's order; until then that stage of the journey links to no example"
    )


BROKEN_EXAMPLES = {
    "unknown stage": (
        _stage_edit("stage", "astrology"),
        lambda shipped: [
            f"{EXAMPLE}: stages[1].stage: unknown stage 'astrology' (no stage of "
            "content/workflow.yaml has this id); this stage of the example is left out",
            _no_stage(shipped.stages[1].stage),
        ],
        lambda shipped: [s.stage for i, s in enumerate(shipped.stages) if i != 1],
    ),
    "repeated stage": (
        _stage_edit("stage", lambda s: SHIPPED.example.stages[0].stage),
        lambda shipped: [
            f"{EXAMPLE}: stages[1].stage: '{shipped.stages[0].stage}' is already "
            f"used by stages[0]; the example's stage '{shipped.stages[0].stage}' is left out",
            _no_stage(shipped.stages[1].stage),
        ],
        lambda shipped: [s.stage for i, s in enumerate(shipped.stages) if i != 1],
    ),
    "unknown role in who": (
        _stage_edit("who", lambda s: [*s["who"], {"role": "Astrologer", "does": "Reads stars."}]),
        lambda shipped: (
            f"{EXAMPLE}: stages[1].who[{len(shipped.stages[1].who)}].role: unknown "
            "role 'Astrologer' (no role has this id or alias); this entry is left out"
        ),
        lambda shipped: [s.stage for s in shipped.stages],
    ),
    "unknown document": (
        _stage_edit("hands_on", lambda s: [*s["hands_on"], "horoscope"]),
        lambda shipped: (
            f"{EXAMPLE}: stages[1].hands_on[{len(shipped.stages[1].hands_on)}]: "
            "unknown document 'horoscope' (no file content/example/documents/horoscope.md); "
            "this entry is left out"
        ),
        lambda shipped: [s.stage for s in shipped.stages],
    ),
    "unknown decider": (
        lambda data: data["disagreements"][0].update(decides="Astrologer"),
        lambda shipped: (
            f"{EXAMPLE}: disagreements[0].decides: unknown role 'Astrologer' (no "
            f"role has this id or alias); case '{shipped.disagreements[0].id}' is left out"
        ),
        lambda shipped: [s.stage for s in shipped.stages],
    ),
}


@pytest.mark.parametrize("case", BROKEN_EXAMPLES)
def test_a_bad_reference_in_the_example_leaves_out_the_smallest_unit(content_copy, case):
    change, expected, kept = BROKEN_EXAMPLES[case]
    _edit_example(content_copy, change)
    site = load_site(content_copy)
    wanted = expected(SHIPPED.example)
    wanted = wanted if isinstance(wanted, list) else [wanted]
    assert sorted(problems_in(site, "example/example.yaml")) == sorted(wanted)
    assert [s.stage for s in site.example.stages] == kept(SHIPPED.example)
    assert main(["check", "--content", str(content_copy)]) == 1


def test_a_document_with_an_unknown_author_is_left_out_and_named_where_it_is_used(content_copy):
    stage = next(s for s in SHIPPED.example.stages if s.hands_on)
    doc = SHIPPED.example.document(stage.hands_on[0])
    path = content_copy / "example" / "documents" / f"{doc.id}.md"
    write(path, path.read_text(encoding="utf-8").replace(f"author: {doc.author}", "author: Oracle"))
    site = load_site(content_copy)
    index = SHIPPED.example.stages.index(stage)
    assert problems_in(site, f"example/documents/{doc.id}.md") == [
        f"content/example/documents/{doc.id}.md: author: unknown role 'Oracle' (no role has this "
        f"id or alias); document '{doc.id}' is left out"
    ]
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{index}].hands_on[0]: document '{doc.id}' is not available (see "
        f"content/example/documents/{doc.id}.md); this entry is left out"
    ]
    assert doc.id not in {d.id for d in site.example.documents}
    assert len(site.example.stages) == len(SHIPPED.example.stages)


def test_a_document_no_stage_hands_on_is_named(content_copy):
    write(
        content_copy / "example" / "documents" / "orphan.md",
        "---\ntitle: Orphan\nauthor: PM\nsummary: Nobody hands it on.\n---\nText.\n",
    )
    assert problems_in(load_site(content_copy), "example/documents/orphan.md") == [
        "content/example/documents/orphan.md: (file): no stage of the example hands this "
        "document on (add its id to a stage's hands_on); it is not shown"
    ]


def test_an_example_stage_whose_journey_stage_was_left_out_points_at_it(content_copy):
    path = content_copy / "workflow.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["stages"][2]["lead"] = "Tester"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_site(content_copy)
    stage_id = data["stages"][2]["id"]
    index = [s.stage for s in SHIPPED.example.stages].index(stage_id)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{index}].stage: stage '{stage_id}' is not available (see "
        f"content/workflow.yaml: stages[2]); this stage of the example is left out"
    ]
    assert site.example.href(stage_id) is None


def test_a_quiz_link_to_a_missing_section_of_the_example_is_left_out(content_copy):
    path = content_copy / "quizzes" / "what-vs-how.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["see"] = f"{EXAMPLE_PAGE}#astrology"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    [problem] = problems_in(load_site(content_copy), "quizzes/what-vs-how.yaml")
    assert problem.startswith(
        f"content/quizzes/what-vs-how.yaml: questions[0] ({data['questions'][0]['id']}).see: "
        "the worked example has no section 'astrology' (it has: "
    )
    assert problem.endswith("this link is left out (the answer links to the role's page)")


def test_check_reports_the_worked_example(capsys):
    assert main(["check", "--content", str(ROOT / "content")]) == 0
    example = SHIPPED.example
    assert (
        f"worked example: {len(example.stages)} stages, {len(example.documents)} documents"
        in capsys.readouterr().out
    )
