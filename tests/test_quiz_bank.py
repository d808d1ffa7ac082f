"""Question banks: the shipped quizzes, and clear messages for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from teamroles.cli import main
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.markdown_files import slugify
from teamroles.content.quizbank import HOME_URL_PATH, home_anchors, resolve_see, see_target
from teamroles.content.site import load_site
from tests.content_variants import as_shipped


def quiz_problems(site) -> list[str]:
    """The quiz files' problems, as they read for the shipped folder."""
    shown = [as_shipped(site, p) for p in site.problems]
    return [p for p in shown if p.startswith("content/quizzes/")]


def edit_bank(content: Path, name: str, change) -> None:
    """Load a shipped bank, let `change` edit the data, write it back."""
    path = content / "quizzes" / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@pytest.fixture(scope="module")
def site():
    return load_site()


def test_the_shipped_banks_are_clean_and_big_enough(site):
    assert quiz_problems(site) == []
    quizzes = {quiz.id: quiz for quiz in site.quizzes}
    what_how, who = quizzes["what-vs-how"], quizzes["who-does-this"]
    assert what_how.choices == ["What", "How"]
    assert who.choices == ["PM", "DS", "Dev", "QA"]
    assert len(what_how.questions) >= 40
    assert len(who.questions) >= 20
    for quiz in (what_how, who):
        tricky = sum(q.tricky for q in quiz.questions)
        assert tricky * 3 >= len(quiz.questions) * 0.9, f"{quiz.id}: only {tricky} tricky"
        for choice in quiz.choices:
            assert any(q.answer == choice for q in quiz.questions), f"{quiz.id}: no {choice}"


def test_every_question_teaches_and_links_to_a_page(site):
    page_ids = {role.id for role in site.roles} | {"glossary"}
    if site.example:
        page_ids.add(EXAMPLE_PAGE)
    if site.home:
        page_ids.add(HOME_URL_PATH)
    for quiz in site.quizzes:
        statements = [q.statement.lower() for q in quiz.questions]
        assert len(set(statements)) == len(statements), f"{quiz.id} repeats a statement"
        for question in quiz.questions:
            assert len(question.explanation.split()) >= 12, question.id
            assert question.see, f"{question.id}: check reports a question without `see`"
            target = see_target(question, site.roles, site.glossary, site.example, site.home)
            assert target is not None and target.url_path in page_ids, question.id


def test_the_role_ids_of_the_who_quiz_resolve_to_the_four_role_pages(site):
    found = {name: site.roles.find(name).id for name in ("PM", "DS", "Dev", "QA")}
    assert found == {
        "PM": "product-manager",
        "DS": "data-scientist",
        "Dev": "dev-team",
        "QA": "qa",
    }


def test_see_targets_name_the_section(site):
    target = resolve_see("Dev#ml-ops", site.roles, site.glossary)
    assert (target.url_path, target.anchor, target.label) == (
        "dev-team",
        "ml-ops",
        f"{site.roles.get('Dev').title}: MLOps",
    )
    assert target.href == "/dev-team#ml-ops"
    glossary = resolve_see("glossary#verification", site.roles, site.glossary)
    assert (glossary.url_path, glossary.section) == ("glossary", "Verification")
    with pytest.raises(ValueError, match="no section 'nowhere'"):
        resolve_see("qa#nowhere", site.roles, site.glossary)
    with pytest.raises(ValueError, match="'designer' is neither a role"):
        resolve_see("designer", site.roles, site.glossary)


def test_a_see_link_can_name_a_section_of_the_home_page(site):
    """The home page is Streamlit's default page: its address is `/`, so a link to one
    of home.md's `##` sections is `/#<anchor>`."""
    heading = next(line[3:] for line in site.home.body.splitlines() if line.startswith("## "))
    anchor = slugify(heading)
    target = resolve_see(f"home#{anchor}", site.roles, site.glossary, site.example, site.home)
    assert (target.url_path, target.anchor, target.section) == (HOME_URL_PATH, anchor, heading)
    assert target.href == f"/#{anchor}" and target.is_home
    assert target.label == f"{site.home.title}: {heading}"
    assert anchor in home_anchors(site.home)
    with pytest.raises(ValueError, match="the home page has no section 'nowhere'"):
        resolve_see("home#nowhere", site.roles, site.glossary, site.example, site.home)
    with pytest.raises(ValueError, match="there is no home page"):
        resolve_see(f"home#{anchor}", site.roles, site.glossary, site.example)


def wreck_question(index, **fields):
    def change(data):
        data["questions"][index].update(fields)

    return change


LEFT_OUT = "this question is left out"


@pytest.mark.parametrize(
    ("change", "expected", "kept"),
    [
        (
            wreck_question(3, answer="Maybe"),
            "content/quizzes/what-vs-how.yaml: questions[3] (wh-04).answer: "
            f"'Maybe' is not one of the choices What, How; {LEFT_OUT}",
            False,
        ),
        (
            wreck_question(5, id="wh-01"),
            "content/quizzes/what-vs-how.yaml: questions[5] (wh-01).id: "
            f"'wh-01' is already used by questions[0]; {LEFT_OUT}",
            False,
        ),
        (
            wreck_question(2, role="Designer"),
            "content/quizzes/what-vs-how.yaml: questions[2] (wh-03).role: "
            f"unknown role 'Designer' (no role has this id or alias); {LEFT_OUT}",
            False,
        ),
        (
            wreck_question(7, statement="   "),
            "content/quizzes/what-vs-how.yaml: questions[7] (wh-08).statement: "
            "String should have at least 1 character",
            False,
        ),
        (
            wreck_question(0, see="dev-team#astrology"),
            "content/quizzes/what-vs-how.yaml: questions[0] (wh-01).see: "
            "the Dev team page has no section 'astrology' (it has: ",
            True,
        ),
        (
            wreck_question(0, see=None),
            "content/quizzes/what-vs-how.yaml: questions[0] (wh-01).see: "
            "missing: name the section that teaches this",
            True,
        ),
        (
            wreck_question(0, activity="astrology"),
            "content/quizzes/what-vs-how.yaml: questions[0] (wh-01).activity: "
            "unknown activity 'astrology' in responsibilities.yaml (it has: ",
            False,
        ),
        (
            wreck_question(1, explaination="typo"),
            "content/quizzes/what-vs-how.yaml: questions[1] (wh-02).explaination: "
            "unknown field (check its spelling)",
            False,
        ),
    ],
)
def test_a_broken_question_is_named_and_the_rest_keeps_working(
    content_copy, change, expected, kept
):
    """The smallest unit with the problem is left out: the question, or only its `see` link."""
    edit_bank(content_copy, "what-vs-how.yaml", change)
    site = load_site(content_copy)
    problems = quiz_problems(site)
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    quizzes = {quiz.id: quiz for quiz in site.quizzes}
    shipped = {quiz.id: quiz for quiz in load_site().quizzes}
    left = len(shipped["what-vs-how"].questions) - (0 if kept else 1)
    assert len(quizzes["what-vs-how"].questions) == left
    assert quizzes["who-does-this"].questions == shipped["who-does-this"].questions


def test_a_bad_see_link_is_dropped_and_the_answer_links_to_the_role_page(content_copy):
    edit_bank(content_copy, "what-vs-how.yaml", wreck_question(0, see="dev-team#astrology"))
    site = load_site(content_copy)
    [problem] = quiz_problems(site)
    assert problem.endswith("this link is left out (the answer links to the role's page)")
    question = next(q for q in site.quizzes if q.id == "what-vs-how").question("wh-01")
    assert question.see is None
    target = see_target(question, site.roles, site.glossary)
    assert target.url_path == site.roles.get(question.role).id and target.anchor is None


def test_every_section_a_quiz_links_to_is_drawn_on_its_page(site):
    """A `see: role#section` link lands on a heading the role page really shows,
    `see: example#section` on a heading of the worked example and `see: home#section`
    on one of home.md's sections."""
    from teamroles.content import role_page

    for quiz in site.quizzes:
        for question in quiz.questions:
            target = see_target(question, site.roles, site.glossary, site.example, site.home)
            if target.anchor and target.url_path == EXAMPLE_PAGE:
                assert target.anchor in site.example.anchors(), question.id
            elif target.anchor and target.is_home:
                assert target.anchor in home_anchors(site.home), question.id
            elif target.anchor and target.url_path != "glossary":
                role = site.roles.get(target.url_path)
                assert target.anchor in role_page.anchors(role), question.id


def test_a_yaml_error_hides_that_quiz_only(content_copy):
    path = content_copy / "quizzes" / "what-vs-how.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, "broken: [unclosed", ""]))
    site = load_site(content_copy)
    [problem] = quiz_problems(site)
    assert problem.startswith(
        f"content/quizzes/what-vs-how.yaml: yaml: YAML does not parse at line {len(lines) + 2}"
    )
    others = [quiz.id for quiz in load_site().quizzes if quiz.id != "what-vs-how"]
    assert [quiz.id for quiz in site.quizzes] == others


def test_a_quiz_without_valid_questions_is_hidden_with_a_reason(content_copy):
    (content_copy / "quizzes" / "tiny.yaml").write_text(
        "id: tiny\ntitle: Tiny\ndescription: x\nchoices: ['Yes', 'No']\n"
        "questions:\n  - id: t-1\n    statement: s\n    answer: Perhaps\n"
        "    explanation: e\n    role: QA\n"
    )
    site = load_site(content_copy)
    assert sorted(quiz_problems(site)) == sorted(
        [
            "content/quizzes/tiny.yaml: questions[0] (t-1).answer: "
            f"'Perhaps' is not one of the choices Yes, No; {LEFT_OUT}",
            "content/quizzes/tiny.yaml: questions: no valid question left: the quiz is hidden",
        ]
    )
    assert "tiny" not in {quiz.id for quiz in site.quizzes}


def test_adding_a_file_adds_a_quiz_with_no_code_change(content_copy, capsys):
    (content_copy / "quizzes" / "extra.yaml").write_text(
        "id: extra\ntitle: Extra\ndescription: One more.\nchoices: [PM, QA]\n"
        "questions:\n  - id: x-1\n    statement: Check the fix.\n    answer: QA\n"
        "    explanation: QA confirms fixes.\n    role: qa\n    see: qa#responsible-for\n"
    )
    site = load_site(content_copy)
    assert quiz_problems(site) == []
    assert "extra" in {quiz.id for quiz in site.quizzes}
    assert main(["check", "--content", str(content_copy)]) == 0
    assert "quiz 'extra': 1 questions" in capsys.readouterr().out


def test_check_command_prints_the_problem_and_fails(content_copy, capsys):
    edit_bank(content_copy, "who-does-this.yaml", wreck_question(0, answer="Designer"))
    assert main(["check", "--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    assert "content/quizzes/who-does-this.yaml: questions[0] (who-01).answer: " in out
    assert "'Designer' is not one of the choices PM, DS, Dev, QA" in out


def test_unquoted_yes_and_no_get_a_hint_about_yaml(content_copy):
    (content_copy / "quizzes" / "yesno.yaml").write_text(
        "id: yesno\ntitle: Yes or no\ndescription: x\nchoices: [Yes, No]\n"
        "questions:\n  - id: y-1\n    statement: s\n    answer: 'Yes'\n"
        "    explanation: e\n    role: QA\n"
    )
    [problem] = quiz_problems(load_site(content_copy))
    assert problem.startswith("content/quizzes/yesno.yaml: choices: ")
    assert "YAML read this as true: put the word in quotes" in problem


# `activity`: the quiz and the who-owns-what matrix tell one story (docs/quiz.md).


def role_quiz_case(site):
    """A who-does-this question with an activity, and an activity it does not lead."""
    quiz = next(q for q in site.quizzes if q.id == "who-does-this")
    index, question = next((i, q) for i, q in enumerate(quiz.questions) if q.activity)
    answer = site.roles.find(question.answer).id
    other = next(a for a in site.responsibilities.activities if a.lead != answer)
    return quiz, index, question, answer, other


def test_a_role_quiz_answer_that_does_not_lead_its_activity_is_refused(site, content_copy):
    quiz, index, question, answer, other = role_quiz_case(site)
    edit_bank(content_copy, f"{quiz.id}.yaml", wreck_question(index, activity=other.id))
    changed = load_site(content_copy)
    assert quiz_problems(changed) == [
        f"content/quizzes/{quiz.id}.yaml: questions[{index}] ({question.id}).activity: "
        f"responsibilities.yaml says '{other.title}' is led by {other.lead}, not {answer}; "
        f"{LEFT_OUT}"
    ]
    kept = next(q for q in changed.quizzes if q.id == quiz.id)
    assert question.id not in kept.question_ids
    assert len(kept.questions) == len(quiz.questions) - 1


def test_a_role_quiz_answer_that_leads_its_activity_passes(site, content_copy):
    """The same item, pointed at another activity its answer leads, is clean: the rule
    is about the matrix, not about the activity the bank happens to name."""
    quiz, index, question, answer, _ = role_quiz_case(site)
    led = [a.id for a in site.responsibilities.activities if a.lead == answer]
    other = next(a for a in led if a != question.activity)
    edit_bank(content_copy, f"{quiz.id}.yaml", wreck_question(index, activity=other))
    changed = load_site(content_copy)
    assert quiz_problems(changed) == []
    kept = next(q for q in changed.quizzes if q.id == quiz.id)
    assert kept.question(question.id).activity == other


def test_a_what_how_item_whose_role_takes_no_part_in_its_activity_is_refused(site, content_copy):
    quiz = next(q for q in site.quizzes if q.id == "what-vs-how")
    index, question = next((i, q) for i, q in enumerate(quiz.questions) if q.activity)
    role = site.roles.find(question.role).id
    elsewhere = next(
        a for a in site.responsibilities.activities if a.level(role) not in ("lead", "contributes")
    )
    level = elsewhere.level(role)
    edit_bank(content_copy, "what-vs-how.yaml", wreck_question(index, activity=elsewhere.id))
    [problem] = quiz_problems(load_site(content_copy))
    shown = f"is only {level}" if level else "takes no part"
    assert problem == (
        f"content/quizzes/what-vs-how.yaml: questions[{index}] ({question.id}).activity: "
        f"in responsibilities.yaml, {role} {shown} in '{elsewhere.title}'; {LEFT_OUT}"
    )


def test_a_what_how_item_whose_role_contributes_to_its_activity_passes(site, content_copy):
    """In a What/How quiz the role need not lead: a contributor's How is still a How."""
    quiz = next(q for q in site.quizzes if q.id == "what-vs-how")
    index, question = next((i, q) for i, q in enumerate(quiz.questions) if q.activity)
    role = site.roles.find(question.role).id
    helped = next(a for a in site.responsibilities.activities if a.level(role) == "contributes")
    edit_bank(content_copy, "what-vs-how.yaml", wreck_question(index, activity=helped.id))
    assert quiz_problems(load_site(content_copy)) == []
