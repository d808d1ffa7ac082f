"""The diagram builders (`teamroles.figures`) and their content files, without a running app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import yaml

from teamroles.content.hidden_debt import spelled
from teamroles.content.site import load_site
from teamroles.figures import debt as debt_fig
from teamroles.figures import journey as journey_fig
from teamroles.figures import matrix as matrix_fig
from teamroles.figures import style
from tests.content_variants import as_shipped

PAPER_LABELS = {
    "Configuration",
    "Data Collection",
    "Data Verification",
    "Feature Extraction",
    "ML Code",
    "Machine Resource Management",
    "Analysis Tools",
    "Process Management Tools",
    "Serving Infrastructure",
    "Monitoring",
}


@pytest.fixture(scope="module")
def site():
    loaded = load_site()
    assert loaded.problems == []
    return loaded


def _trace(figure: go.Figure, name: str) -> go.Scatter:
    return next(trace for trace in figure.data if trace.name == name)


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _problems(content: Path) -> list[str]:
    """The problems as they read for the shipped folder (`content/...`)."""
    site = load_site(content)
    return [as_shipped(site, problem) for problem in site.problems]


# ---------------------------------------------------------------- hidden technical debt


def _boxes_trace(figure: go.Figure) -> go.Bar:
    return _trace(figure, "boxes")


def _drawn_boxes(figure: go.Figure) -> dict[str, tuple[float, float, float, float]]:
    """Box id -> (left, top, right, bottom) of the area a click on that box lands in."""
    bars = _boxes_trace(figure)
    return {
        box_id: (base, y - thick / 2, base + length, y + thick / 2)
        for box_id, base, length, y, thick in zip(
            bars.customdata, bars.base, bars.x, bars.y, bars.width, strict=True
        )
    }


def test_debt_figure_has_the_papers_ten_boxes_with_ml_code_the_smallest(site):
    content = site.debt_figure
    figure = debt_fig.debt_figure(content, site.roles)
    drawn = _drawn_boxes(figure)
    assert sorted(drawn) == sorted(box.id for box in content.boxes)
    assert {box.label for box in content.boxes} >= PAPER_LABELS, "every box of the paper is drawn"
    smallest = min(content.boxes, key=lambda box: box.area)
    largest = max(content.boxes, key=lambda box: box.area)
    assert smallest.label == "ML Code" and smallest.is_ml_code
    assert largest.label == "Serving Infrastructure"
    assert content.ml_code_share < 0.01


def test_every_box_is_one_clickable_point_covering_its_whole_area(site):
    """A tap anywhere inside a box lands on that box's point: the box is the point."""
    content = site.debt_figure
    figure = debt_fig.debt_figure(content, site.roles)
    bars = _boxes_trace(figure)
    assert bars.type == "bar" and bars.orientation == "h"
    for box in content.boxes:
        assert _drawn_boxes(figure)[box.id] == pytest.approx(
            (box.x, box.y, box.x + box.width, box.y + box.height)
        ), box.id
    # Nothing else answers a click or draws a tooltip over the figure.
    assert bars.hoverinfo == "none", "hover events still fire (a click selects), no tooltip"
    assert all(trace.hoverinfo == "skip" for trace in figure.data if trace is not bars)
    assert "select" in figure.layout.clickmode
    # Plotly would fade the boxes a click did not select; the outline marks the choice.
    assert bars.unselected.marker.opacity == 1


def test_the_ml_code_share_reads_the_same_in_the_headline_and_the_list(site):
    content = site.debt_figure
    headline = debt_fig.ml_code_share_sentence(content)
    text = debt_fig.debt_text(content, site.roles)
    ml_line = next(line for line in text.splitlines() if f"**{content.ml_code.label}**" in line)
    share = debt_fig.percent(content.ml_code_share)
    assert share == f"{content.ml_code.area / sum(b.area for b in content.boxes) * 100:.1f}%"
    assert re.findall(r"[\d.]+%", headline)[0] == share
    assert re.findall(r"[\d.]+%", ml_line) == [share]
    assert headline in text, "the text alternative starts with the same headline"


@pytest.mark.parametrize(
    ("share", "written"), [(0.00781, "0.8%"), (0.2034, "20.3%"), (1, "100.0%")]
)
def test_shares_are_written_one_way(share, written):
    assert debt_fig.percent(share) == written


def test_share_sentence_states_the_ml_code_share_as_a_share_of_the_drawing(site):
    content = site.debt_figure
    sentence = debt_fig.ml_code_share_sentence(content)
    assert content.ml_code.label in sentence
    assert debt_fig.percent(content.ml_code_share) in sentence
    # An area in a schematic, not a share of code: the sentence says which measure it is.
    assert "drawing" in sentence and "area" in sentence


def test_colouring_by_role_fills_each_box_in_its_owners_colour(site):
    content, roles = site.debt_figure, site.roles
    plain = _boxes_trace(debt_fig.debt_figure(content, roles, by_role=False))
    coloured = debt_fig.debt_figure(content, roles, by_role=True)
    role_colours = {style.rgba(role.color, 0.4) for role in roles if role.color}
    assert not role_colours & set(plain.marker.color)
    bars = _boxes_trace(coloured)
    fills = dict(zip(bars.customdata, bars.marker.color, strict=True))
    for box in content.boxes:
        if not box.is_ml_code:
            assert fills[box.id] == style.rgba(roles.find(box.owner).color, 0.4), box.id
    legend = [trace.name for trace in coloured.data if trace.showlegend is not False]
    owners = {roles.find(box.owner).title for box in content.boxes}
    assert set(legend) == owners
    assert coloured.layout.legend.itemclick is False, "the key never hides boxes"


def test_selected_box_gets_a_thicker_outline_and_its_details(site):
    content = site.debt_figure
    box = content.boxes[-1]
    figure = debt_fig.debt_figure(content, site.roles, selected=box.id)
    bars = _boxes_trace(figure)
    widths = dict(zip(bars.customdata, bars.marker.line.width, strict=True))
    assert widths[box.id] > max(w for box_id, w in widths.items() if box_id != box.id)
    details = debt_fig.box_details(content, site.roles, box.id)
    assert site.roles.find(box.owner).title in details
    assert all(debt in details for debt in box.prone_to)


def _label_traces(figure: go.Figure) -> list[go.Scatter]:
    """The scatter traces in drawing order: the page's style shows or hides the first
    two (box labels, wide and narrow) by their place (diagram_views.CHART_CSS)."""
    return [trace for trace in figure.data if trace.type == "scatter"]


def test_every_labelled_box_has_a_wide_and_a_narrow_label_in_its_centre(site):
    content = site.debt_figure
    figure = debt_fig.debt_figure(content, site.roles, by_role=True)
    scatters = _label_traces(figure)
    wide = scatters[debt_fig.WIDE_LABELS_TRACE - 1]
    narrow = scatters[debt_fig.NARROW_LABELS_TRACE - 1]
    labelled = [box for box in content.boxes if not box.is_ml_code]
    for trace in (wide, narrow):
        assert trace.mode == "text"
        centres = list(zip(trace.x, trace.y, strict=True))
        assert centres == [(b.x + b.width / 2, b.y + b.height / 2) for b in labelled]
    for box, wide_text, narrow_text in zip(labelled, wide.text, narrow.text, strict=True):
        assert wide_text.replace("<br>", " ") == box.label
        assert spelled(narrow_text.split("<br>")) == box.label, "the phone shows the same words"
    assert narrow.textfont.size <= wide.textfont.size
    # Whether they fit their boxes is measured in a browser (test_browser_diagrams_phone).


def test_narrow_lines_that_misspell_the_label_are_reported_and_left_out(content_copy):
    def misspell(data):
        data["boxes"][0]["narrow_lines"] = ["Conf-", "iguraton"]

    _edit_yaml(content_copy / "hidden_debt.yaml", misspell)
    site = load_site(content_copy)
    box = load_site().debt_figure.boxes[0]
    assert (
        "content/hidden_debt.yaml: boxes[0].narrow_lines: the lines spell 'Configuraton', not "
        f"the label '{box.label}'; they are left out (the label is drawn one word a line)"
    ) in _problems(content_copy)
    assert site.debt_figure.boxes[0].narrow_label_lines == box.label.split()


def test_debt_text_names_every_box_with_its_share_owner_and_debt(site):
    content, roles = site.debt_figure, site.roles
    text = debt_fig.debt_text(content, roles)
    for box in content.boxes:
        [line] = [line for line in text.splitlines() if f"**{box.label}**" in line]
        assert debt_fig.percent(content.share(box)) in line
        assert roles.find(box.owner).title in line
        assert all(debt.lower() in line.lower() for debt in box.prone_to)


def test_a_box_with_an_unknown_owner_is_reported_and_left_out(content_copy):
    def break_owner(data):
        data["boxes"][2]["owner"] = "Marketing"

    _edit_yaml(content_copy / "hidden_debt.yaml", break_owner)
    site = load_site(content_copy)
    shipped = load_site().debt_figure.boxes
    assert (
        "content/hidden_debt.yaml: boxes[2].owner: unknown role 'Marketing' (no role has this "
        f"id or alias); box '{shipped[2].id}' is left out" in _problems(content_copy)
    )
    assert [box.id for box in site.debt_figure.boxes] == [
        box.id for box in shipped if box is not shipped[2]
    ]
    assert site.workflow is not None and site.responsibilities is not None


def test_two_ml_code_boxes_are_reported(content_copy):
    def second_ml_code(data):
        data["boxes"][0]["is_ml_code"] = True

    _edit_yaml(content_copy / "hidden_debt.yaml", second_ml_code)
    assert (
        "content/hidden_debt.yaml: boxes: exactly one box needs `is_ml_code: true`, found 2: "
        "the figure is hidden" in _problems(content_copy)
    )
    assert load_site(content_copy).debt_figure is None


# ---------------------------------------------------------------- the journey


def test_journey_shows_every_stage_and_every_loop(site):
    workflow = site.workflow
    figure = journey_fig.journey_figure(workflow, site.roles, current=workflow.stages[0].id)
    stages = _trace(figure, "stages")
    assert list(stages.customdata) == [stage.id for stage in workflow.stages]
    labels = _trace(figure, "stage labels")
    assert list(labels.customdata) == list(stages.customdata)
    for stage, text in zip(workflow.stages, labels.text, strict=True):
        assert stage.title in text and stage.artifact.split()[0] in text
    loop_names = {trace.name for trace in figure.data}
    assert {loop.trigger for loop in workflow.loops} <= loop_names
    assert len(workflow.loops) >= 3


def test_the_content_has_the_loops_the_issue_asks_for(site):
    workflow = site.workflow
    pairs = {
        (workflow.stage(loop.from_stage).lead, workflow.stage(loop.to_stage).lead)
        for loop in workflow.loops
    }
    leads = {(site.roles.get(a).id, site.roles.get(b).id) for a, b in pairs}
    assert ("qa", "dev-team") in leads  # QA finds a defect, back to Dev
    assert ("dev-team", "data-scientist") in leads  # monitoring finds drift, back to the DS
    assert ("dev-team", "product-manager") in leads  # customer feedback, back to the PM


def test_stepping_moves_the_bold_title_and_the_ring(site):
    workflow = site.workflow
    first, second = workflow.stages[0], workflow.stages[1]
    one = journey_fig.journey_figure(workflow, site.roles, current=first.id)
    two = journey_fig.journey_figure(workflow, site.roles, current=second.id)
    assert (
        "<b>" in _trace(one, "stage labels").text[0]
        and "<b>" not in _trace(one, "stage labels").text[1]
    )
    assert (
        "<b>" in _trace(two, "stage labels").text[1]
        and "<b>" not in _trace(two, "stage labels").text[0]
    )
    assert _trace(one, "current stage").y != _trace(two, "current stage").y


def test_highlighting_a_role_colours_only_its_stages(site):
    workflow, roles = site.workflow, site.roles
    scientist = roles.get("DS")
    figure = journey_fig.journey_figure(workflow, roles, workflow.stages[0].id, scientist.id)
    markers = _trace(figure, "stages").marker
    for i, stage in enumerate(workflow.stages):
        level = journey_fig.involvement(stage, roles, scientist.id)
        if level is None:
            assert markers.color[i] == style.NEUTRAL and markers.size[i] < 20
        else:
            assert markers.line.color[i] == scientist.color
        assert (markers.symbol[i] == "circle-open") == (level == "contributes")
    sentence = journey_fig.role_in_journey(workflow, roles, scientist.id)
    leads = [s.title for s in workflow.stages if roles.get(s.lead).id == scientist.id]
    assert sentence.startswith(f"The Data Scientist leads {len(leads)} stage")
    assert all(title in sentence for title in leads)


def test_stage_details_tell_who_leads_what_is_handed_on_and_the_loops(site):
    workflow = site.workflow
    for stage in workflow.stages:
        details = journey_fig.stage_details(workflow, site.roles, stage.id)
        assert f"**Leads:** {site.roles.find(stage.lead).title}" in details
        assert stage.artifact in details
        for loop in journey_fig.loops_out_of(workflow, stage.id):
            assert loop.trigger in details and loop.description in details
            assert f"back to {workflow.stage(loop.to_stage).title}" in details
        for loop in journey_fig.loops_into(workflow, stage.id):
            assert loop.trigger in details
            assert f"from {workflow.stage(loop.from_stage).title}" in details


def test_journey_text_lists_every_stage_and_loop(site):
    workflow = site.workflow
    text = journey_fig.journey_text(workflow, site.roles)
    for stage in workflow.stages:
        assert stage.title in text
        assert stage.artifact.lower() in text.lower()
    for loop in workflow.loops:
        [line] = [line for line in text.splitlines() if loop.trigger in line]
        assert workflow.stage(loop.from_stage).title in line
        assert workflow.stage(loop.to_stage).title in line


def _legend(figure: go.Figure) -> dict[str, go.Scatter]:
    return {trace.name: trace for trace in figure.data if trace.showlegend is not False}


def test_the_journey_has_a_legend_for_every_role_that_leads_a_stage(site):
    workflow, roles = site.workflow, site.roles
    figure = journey_fig.journey_figure(workflow, roles, workflow.stages[0].id)
    legend = _legend(figure)
    assert figure.layout.showlegend and figure.layout.legend.itemclick is False
    leads = {roles.find(stage.lead).id for stage in workflow.stages}
    for role in roles:
        entry = legend.get(f"{role.title} leads")
        if role.id in leads:
            assert entry is not None, role.title
            assert entry.marker.color == role.color
        else:
            assert entry is None, f"{role.title} leads no stage"
    # The stages' markers wear the colours the legend explains.
    markers = _trace(figure, "stages").marker
    for i, stage in enumerate(workflow.stages):
        assert markers.color[i] == legend[f"{roles.find(stage.lead).title} leads"].marker.color
    assert legend[journey_fig.LOOP_LINE].line.dash == "dot"


def test_with_a_role_highlighted_the_legend_explains_its_three_looks(site):
    workflow, roles = site.workflow, site.roles
    role = roles.get("DS")
    figure = journey_fig.journey_figure(workflow, roles, workflow.stages[0].id, role.id)
    legend = _legend(figure)
    assert legend[f"{role.title} leads"].marker.symbol == "circle"
    assert legend[f"{role.title} contributes"].marker.symbol == "circle-open"
    assert legend["Takes no part"].marker.color == style.NEUTRAL


def _loop_labels(figure: go.Figure) -> dict[str, object]:
    return {
        annotation.name.removeprefix("loop label "): annotation
        for annotation in figure.layout.annotations
        if (annotation.name or "").startswith("loop label ")
    }


def test_every_loop_back_arrow_is_labelled_from_the_content(site):
    workflow = site.workflow
    figure = journey_fig.journey_figure(workflow, site.roles, workflow.stages[0].id)
    labels = _loop_labels(figure)
    assert sorted(labels) == sorted(loop.id for loop in workflow.loops)
    row = {stage.id: -i for i, stage in enumerate(workflow.stages)}
    for loop in workflow.loops:
        label = labels[loop.id]
        assert label.text == (loop.label or loop.trigger)
        # Along its own arc: between the two stages it joins, left of the spine.
        low, high = sorted((row[loop.from_stage], row[loop.to_stage]))
        assert low < label.y < high and label.x < 0
        arc = _trace(figure, loop.trigger)
        assert min(arc.x) > label.x > figure.layout.xaxis.range[0], "outside its arc, on screen"
    xs = [label.x for label in labels.values()]
    assert len(set(xs)) == len(xs), "no two labels share a column"


def test_a_loop_without_a_label_shows_its_trigger_on_the_arrow(content_copy):
    def drop_labels(data):
        for loop in data["loops"]:
            loop.pop("label", None)

    _edit_yaml(content_copy / "workflow.yaml", drop_labels)
    site = load_site(content_copy)
    figure = journey_fig.journey_figure(site.workflow, site.roles, site.workflow.stages[0].id)
    labels = _loop_labels(figure)
    assert {labels[loop.id].text for loop in site.workflow.loops} == {
        loop.trigger for loop in site.workflow.loops
    }


def test_a_broken_workflow_names_file_and_field(content_copy):
    def break_it(data):
        data["loops"][0]["to"] = "nowhere"
        del data["stages"][1]["artifact"]

    _edit_yaml(content_copy / "workflow.yaml", break_it)
    problems = _problems(content_copy)
    assert "content/workflow.yaml: stages[1].artifact: required field is missing" in problems
    assert load_site(content_copy).workflow is None

    def only_the_loop(data):
        data["stages"][1]["artifact"] = "Specification"

    _edit_yaml(content_copy / "workflow.yaml", only_the_loop)
    assert (
        "content/workflow.yaml: loops[0].to: unknown stage 'nowhere' (no stage has this id); "
        "this loop is left out" in _problems(content_copy)
    )
    workflow = load_site(content_copy).workflow
    assert len(workflow.loops) == len(load_site().workflow.loops) - 1


# ---------------------------------------------------------------- every sentence, proof-read

# A sentence may not end on these, and a field may not be left hanging on them.
DANGLING = {
    *("a", "an", "the", "and", "or", "but", "nor", "so", "because", "if", "when", "while"),
    *("whereas", "unless", "until", "since", "although", "though", "than", "that", "to"),
    *("of", "with", "from", "by", "for", "in", "on", "at", "as", "into", "about", "after"),
    *("before", "via", "like", "whether"),
}
# These open a clause: a verb (or a subject pronoun) must follow before the clause ends.
OPENS_A_CLAUSE = {"when", "because", "if", "unless", "until", "while", "although", "whereas"}
VERBISH = {
    *("is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "will"),
    *("would", "may", "might", "must", "should", "do", "does", "did", "go", "give", "get"),
    *("hear", "need", "see", "run", "make", "take", "i", "you", "he", "she", "it", "we"),
    *("they", "there"),
}
# What a missing or unformatted field leaves behind.
LEFTOVERS = ("  ", " .", " ,", " :", "..", ",.", "None", "{", "}", "()", "[]", "<", ">", "**")
FIELD = re.compile(r"^\*\*(?P<name>[^*]+):\*\* (?P<value>.*)$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[^a-z])")


def _plain(text: str) -> str:
    """What a reader sees of a Markdown line: no marks, no list number, no loop sign."""
    text = re.sub(r"^(#+ |- |\d+\. )", "", text.rstrip())
    return text.replace("**", "").replace("*", "").replace("↺ ", "").strip()


def _clause_without_verb(sentence: str) -> str | None:
    """The first 'when customer feedback' (a conjunction with no clause after it), or None."""
    words = re.findall(r"[\w'-]+|[,;:.!?()]", sentence)
    for i, word in enumerate(words):
        if word.lower() not in OPENS_A_CLAUSE:
            continue
        clause = []
        for following in words[i + 1 :]:
            if following in ",;:.!?()":
                break
            clause.append(following.lower())
        if not any(
            w in VERBISH or (len(w) > 3 and w.endswith(("s", "ed")) and not w.endswith("ss"))
            for w in clause
        ):
            return " ".join([word, *clause])
    return None


def sentence_problems(markdown: str) -> list[str]:
    """Everything a proof-reader would mark in generated text: each line is a heading,
    a field ('**Leads:** QA') or prose, and prose is full sentences."""
    found = []
    for raw in markdown.splitlines():
        if not raw.strip():
            continue
        line = raw.rstrip()
        found += [f"{token!r} in: {line}" for token in LEFTOVERS if token in _plain(line)]
        if line.startswith("#"):
            continue
        prose = _plain(line)
        field = FIELD.match(line.strip())
        if field:  # a name and a value; any sentences after a value's first full stop
            value, _, prose = _plain(field["value"]).partition(". ")
            if not value or value.split()[-1].strip(".,").lower() in DANGLING:
                found.append(f"empty or hanging field: {line}")
        for sentence in filter(None, SENTENCE_END.split(prose)):
            if not (sentence[0].isupper() or sentence[0] == '"'):
                found.append(f"no capital: {sentence}")
            if not re.search(r"[.!?][\"')]?$", sentence):
                found.append(f"no full stop: {sentence}")
            last = re.findall(r"[\w'-]+", sentence)
            if last and last[-1].lower() in DANGLING:
                found.append(f"ends on '{last[-1]}': {sentence}")
            hanging = _clause_without_verb(sentence)
            if hanging:
                found.append(f"'{hanging}' has no verb: {sentence}")
    return found


def every_generated_text(site) -> dict[str, str]:
    """Every text the diagrams generate, by where a reader meets it."""
    workflow, debt, matrix, roles = (
        site.workflow,
        site.debt_figure,
        site.responsibilities,
        site.roles,
    )
    texts = {
        "journey in words": journey_fig.journey_text(workflow, roles),
        "debt in words": debt_fig.debt_text(debt, roles),
        "debt headline": debt_fig.ml_code_share_sentence(debt),
        "matrix in words": matrix_fig.matrix_text(matrix, roles),
        "matrix caption": matrix_fig.matrix_caption(matrix, roles),
    }
    for stage in workflow.stages:
        texts[f"stage {stage.id}"] = journey_fig.stage_details(workflow, roles, stage.id)
    for role in roles:
        texts[f"role {role.id} in the journey"] = journey_fig.role_in_journey(
            workflow, roles, role.id
        )
        texts[f"matrix for {role.id}"] = matrix_fig.matrix_text(matrix, roles, role.id)
        texts[f"matrix caption for {role.id}"] = matrix_fig.matrix_caption(matrix, roles, role.id)
    for box in debt.boxes:
        texts[f"box {box.id}"] = debt_fig.box_details(debt, roles, box.id)
    return texts


def test_the_proof_reader_marks_the_sentences_the_issue_found():
    """The checker itself: it must catch what a reader caught."""
    assert sentence_problems("Work can return here from Monitoring when customer feedback.")
    assert sentence_problems("- **Monitoring**: the Dev team leads and.")
    assert sentence_problems("**Hands on:** None")
    assert sentence_problems("The model is {share} of the area.")
    assert sentence_problems("**Leads:**   ")
    assert sentence_problems("the PM leads")
    assert not sentence_problems(
        "**↺ Customer feedback.** Work can come back here from Monitoring.\n"
        "**Leads:** QA  \n#### Stage 1 of 7: Customer problem\n"
        "A bug is found only when the predictions go wrong."
    )


def test_every_generated_sentence_reads_as_a_full_sentence(site):
    problems = {
        where: found
        for where, text in every_generated_text(site).items()
        if (found := sentence_problems(text))
    }
    assert problems == {}


@pytest.mark.parametrize(
    "trigger", ["Customer feedback", "customer feedback", "QA finds a defect.", "Drift?"]
)
def test_a_trigger_written_as_a_noun_or_with_its_own_stop_still_reads_well(content_copy, trigger):
    """The issue's sentence came from a trigger written as a noun ('Customer feedback')."""
    shipped = load_site().workflow
    loop = shipped.loops[0]

    def rewrite(data):
        data["loops"][0]["trigger"] = trigger

    _edit_yaml(content_copy / "workflow.yaml", rewrite)
    site = load_site(content_copy)
    texts = every_generated_text(site)
    assert {where: sentence_problems(text) for where, text in texts.items()} == {
        where: [] for where in texts
    }
    came_from = shipped.stage(loop.from_stage).title
    back_to = shipped.stage(loop.to_stage).title
    shown = trigger[0].upper() + trigger[1:].rstrip(".")
    into = texts[f"stage {loop.to_stage}"]
    assert shown in into and f"from {came_from}" in into, "the reader still learns both"
    out_of = texts[f"stage {loop.from_stage}"]
    assert shown in out_of and f"back to {back_to}" in out_of and loop.description in out_of


# ---------------------------------------------------------------- who owns what


def test_every_activity_has_exactly_one_lead(site):
    matrix = site.responsibilities
    assert len(matrix.activities) >= 10
    for activity in matrix.activities:
        assert list(activity.roles.values()).count("lead") == 1, activity.id


def _lead_points(figure: go.Figure) -> int:
    return sum(len(trace.x) for trace in figure.data if trace.name == "Leads" and trace.x[0])


def test_matrix_figure_has_one_lead_marker_per_row(site):
    matrix = site.responsibilities
    figure = matrix_fig.matrix_figure(matrix, site.roles)
    assert _lead_points(figure) == len(matrix.activities)
    assert len(figure.layout.yaxis.categoryarray) == len(matrix.activities)


def test_role_filter_keeps_the_rows_where_the_role_leads_or_contributes(site):
    matrix, roles = site.responsibilities, site.roles
    figure = matrix_fig.matrix_figure(matrix, roles, role="qa")
    rows = matrix_fig.visible_activities(matrix, "qa")
    assert 0 < len(rows) < len(matrix.activities)
    assert all(activity.level("qa") in ("lead", "contributes") for activity in rows)
    assert len(figure.layout.yaxis.categoryarray) == len(rows)
    caption = matrix_fig.matrix_caption(matrix, roles, "qa")
    assert caption.startswith(f"Showing the {len(rows)} activities of {len(matrix.activities)}")
    text = matrix_fig.matrix_text(matrix, roles, "qa")
    assert "Test against the acceptance criteria" in text and "Explore the data" not in text


def test_activity_filter_keeps_only_the_chosen_rows(site):
    activity = site.responsibilities.activities[-1]
    figure = matrix_fig.matrix_figure(
        site.responsibilities, site.roles, activity_ids=(activity.id,)
    )
    shown = [label.replace("<br>", " ") for label in figure.layout.yaxis.categoryarray]
    assert shown == [activity.title]
    assert site.roles.get(activity.lead).title in matrix_fig.matrix_text(
        site.responsibilities, site.roles, None, (activity.id,)
    )


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ({"PM": "lead", "DS": "lead"}, "needs exactly one lead, found 2 (PM, DS)"),
        ({"PM": "contributes", "DS": "informed"}, "needs exactly one lead, found none"),
    ],
)
def test_an_activity_without_exactly_one_lead_is_rejected(content_copy, roles, message):
    def set_roles(data):
        data["activities"][0]["roles"] = roles

    _edit_yaml(content_copy / "responsibilities.yaml", set_roles)
    site = load_site(content_copy)
    assert (
        f"content/responsibilities.yaml: activities[0].roles: 'Define the problem' {message}; "
        "activity 'define-problem' is left out" in _problems(content_copy)
    )
    kept = [activity.id for activity in site.responsibilities.activities]
    assert "define-problem" not in kept and "deploy" in kept


def test_an_unknown_role_or_level_in_the_matrix_names_the_field(content_copy):
    def break_it(data):
        data["activities"][1]["roles"]["Sales"] = "informed"
        data["activities"][2]["roles"]["QA"] = "approves"

    _edit_yaml(content_copy / "responsibilities.yaml", break_it)
    problems = _problems(content_copy)
    assert any(
        p.startswith("content/responsibilities.yaml: activities[2].roles.QA:") for p in problems
    )
    assert load_site(content_copy).responsibilities is None

    def only_the_role(data):
        data["activities"][2]["roles"]["QA"] = "contributes"

    _edit_yaml(content_copy / "responsibilities.yaml", only_the_role)
    assert (
        "content/responsibilities.yaml: activities[1].roles.Sales: "
        "unknown role 'Sales' (no role has this id or alias); this entry is left out"
        in _problems(content_copy)
    )
    shipped = load_site().responsibilities.activities
    assert load_site(content_copy).responsibilities.activities == shipped


def test_a_yaml_syntax_error_names_the_file_and_line(content_copy):
    path = content_copy / "responsibilities.yaml"
    path.write_text(path.read_text().replace("title: Who owns what", "title: [Who owns what"))
    problems = _problems(content_copy)
    assert any(
        p.startswith("content/responsibilities.yaml: yaml: YAML does not parse at line")
        for p in problems
    )


# ---------------------------------------------------------------- the package


def test_a_finished_figure_sends_the_browser_exactly_what_the_figure_holds(site):
    """The app serialises cached figures once (style.finished); the chart must not change."""
    figures = [
        journey_fig.journey_figure(site.workflow, site.roles, site.workflow.stages[-1].id, None),
        debt_fig.debt_figure(site.debt_figure, site.roles, True, site.debt_figure.boxes[0].id),
        matrix_fig.matrix_figure(site.responsibilities, site.roles, None, ()),
    ]
    for figure in figures:
        finished = style.finished(figure)
        sent = json.loads(pio.to_json(finished, validate=False))
        assert sent == json.loads(pio.to_json(figure, validate=False))
        assert json.loads(pio.to_json(finished, validate=False)) == sent  # and again
