"""The worked example's figures and who-does-what, as a reader and check see them.

The derived figures are recomputed here from the raw `figures:` block, independently of
the loader, and the text the reader sees must carry the recomputed numbers. Every rule
check applies to the figures, the activities and the placeholders has a refusal test.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from teamroles.cli import main
from teamroles.content import example as ex
from teamroles.content.site import load_site

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "example"
RAW = yaml.safe_load((FOLDER / "example.yaml").read_text(encoding="utf-8"))
FIGURES = RAW["figures"]
SHIPPED = load_site(ROOT / "content")
EXAMPLE = "content/example/example.yaml"
PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}\s]*))?\}")


def recomputed(f: dict) -> dict:
    """The derived figures, worked out here from their definitions."""
    months = (f["snapshot"].year - f["data_from"].year) * 12
    months += f["snapshot"].month - f["data_from"].month
    return {
        **f,
        "flag_share": f["late_share"] * f["recall"] / f["precision"],
        "months": months,
        "invoices_per_business_month": f["invoices"] / f["businesses"] / months,
        "label_cutoff": f["snapshot"] - timedelta(days=f["late_days"]),
        "label_lag_days": f["payment_terms"] + f["late_days"],
        "projected_cost": f["pilot_cost"] * f["businesses"] / f["pilot"],
        "longest_wait": f["batch_minutes"] + f["longest_run"],
        "bank_feed_gain": f["bank_feed_precision"] - f["precision"],
    }


VALUES = recomputed(FIGURES)


def shown(value, spec: str) -> str:
    """A figure as a reader should see it (docs/authoring.md's formats)."""
    if hasattr(value, "year"):
        day, month = f"{value.day} {value:%B}", f"{value:%B %Y}"
        return {"": f"{day} {value.year}", "month": month, "day": day}[spec]
    if spec == "%":
        return f"{round(value * 100)}%"
    if spec:
        return f"{value:,.{spec}f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def raw_and_shown_texts():
    """(where, the text as written, the text as the reader sees it) for every text that
    may cite a figure: the stages and cases of example.yaml, and each document."""
    example = SHIPPED.example
    pairs = []
    for raw, stage in zip(RAW["stages"], example.stages, strict=True):
        pairs += [(stage.stage, raw["story"], stage.story)]
        for key, field in (("who", "does"), ("decisions", "decides"), ("needs", "how")):
            for raw_entry, entry in zip(raw.get(key, []), getattr(stage, key), strict=True):
                pairs.append((f"{stage.stage}.{key}", raw_entry[field], getattr(entry, field)))
    for raw, case in zip(RAW["disagreements"], example.disagreements, strict=True):
        pairs += [(case.id, raw["case"], case.case), (case.id, raw["why"], case.why)]
    for document in example.documents:
        text = (FOLDER / "documents" / f"{document.id}.md").read_text(encoding="utf-8")
        body = text.split("---", 2)[2].strip()
        pairs.append((document.id, body, document.body))
    return pairs


def page_text() -> str:
    example, site = SHIPPED.example, SHIPPED
    parts = [ex.stage_markdown(example, s, site.workflow, site.roles) for s in example.stages]
    parts += [ex.document_markdown(d, site.roles) for d in example.documents]
    return "\n".join([*parts, ex.disagreements_markdown(example, site.roles)])


# ---------------------------------------------------------------- the shipped figures


def test_the_flag_share_at_launch_fits_the_expected_band_and_does_not_fire_the_alert():
    share = VALUES["flag_share"]
    assert VALUES["expected_low"] <= share <= VALUES["expected_high"]
    assert VALUES["alert_low"] <= share <= VALUES["alert_high"], "the alert would fire at launch"
    drift = VALUES["drift_flag_share"]
    assert not VALUES["alert_low"] <= drift <= VALUES["alert_high"], "the drift must fire it"


def test_the_other_derived_figures_agree_with_what_the_story_claims():
    assert VALUES["invoices_per_business_month"] > VALUES["segment_min_invoices"]
    assert VALUES["projected_cost"] <= VALUES["cost_cap"]
    assert VALUES["longest_wait"] <= VALUES["freshness_minutes"]
    # Labels exist for the whole test set, and the split runs forward in time.
    assert VALUES["test_to"] <= VALUES["label_cutoff"]
    assert VALUES["data_from"] < VALUES["validation_from"] < VALUES["test_from"]
    for measured in ("", "test_"):
        assert VALUES[f"{measured}precision"] >= VALUES["precision_target"]
        assert VALUES[f"{measured}recall"] >= VALUES["recall_target"]


def test_the_text_a_reader_sees_carries_the_recomputed_numbers():
    pairs = raw_and_shown_texts()
    cited = set()
    for where, raw, text in pairs:
        for name, spec in PLACEHOLDER.findall(raw):
            cited.add(name)
            assert shown(VALUES[name], spec) in text, (where, name)
    # The derived figures a reader relies on are cited somewhere.
    assert {"flag_share", "invoices_per_business_month", "label_cutoff"} <= cited
    assert {"projected_cost", "longest_wait"} <= cited
    assert not PLACEHOLDER.search(page_text()), "a placeholder is shown as written"


def test_the_flag_share_is_shown_where_the_reader_checks_it_against_the_alert():
    alerts = SHIPPED.example.document("monitoring-alerts")
    share = shown(VALUES["flag_share"], "%")
    band = f"{shown(VALUES['alert_low'], '%')} to {shown(VALUES['alert_high'], '%')}"
    assert share in alerts.body and band in alerts.body


# ---------------------------------------------------------------- refusals


def edit_figures(content: Path, **changes) -> None:
    path = content / "example" / "example.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["figures"].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_example(content: Path, change) -> None:
    path = content / "example" / "example.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problems_in(site, relative: str) -> list[str]:
    shown_problems = [str(p).replace(site.path_of(""), "content") for p in site.problems]
    return [p for p in shown_problems if p.startswith(f"content/{relative}: ")]


CONTRADICTIONS = {
    "the alert fires at launch": (
        {"alert_high": 0.09},
        "figures.alert_low",
        "is outside the alert band 5% to 9% (alert_low, alert_high): the alert would fire at "
        "launch; alert_low and alert_high are left out",
    ),
    "outside the expected band": (
        {"late_share": 0.16},
        "figures.expected_low",
        "is outside the expected band 8% to 12% (expected_low, expected_high); expected_low "
        "and expected_high are left out",
    ),
    "the drift does not fire the alert": (
        {"drift_flag_share": 0.14},
        "figures.drift_flag_share",
        "the alert the story relies on would not fire; drift_flag_share is left out",
    ),
    "too few invoices for the segment": (
        {"invoices": 1_500_000},
        "figures.segment_min_invoices",
        "invoices a business a month, not more than the segment's 20 (segment_min_invoices); "
        "segment_min_invoices is left out",
    ),
    "validation misses the target": (
        {"recall": 0.48},
        "figures.precision",
        "do not meet the targets 0.6 and 0.5; precision and recall are left out",
    ),
    "the test set misses the target": (
        {"test_precision": 0.58},
        "figures.test_precision",
        "on the test set, precision 0.58 and recall",
    ),
    "over the cost cap": (
        {"pilot_cost": 30},
        "figures.pilot_cost",
        "pilot_cost × businesses ÷ pilot = 310 a month, above the cost cap of 300; pilot_cost "
        "is left out",
    ),
    "slower than the freshness limit": (
        {"longest_run": 50},
        "figures.longest_run",
        "longer than the freshness limit of 60 minutes; longest_run is left out",
    ),
    "a test set without labels": (
        {"test_to": (FIGURES["snapshot"] - timedelta(days=1))},
        "figures.test_to",
        "invoices due later have no label yet; test_to is left out",
    ),
    "a split out of time order": (
        {"test_from": FIGURES["validation_from"] - timedelta(days=30)},
        "figures.validation_from",
        "the split is not in time order",
    ),
}


@pytest.mark.parametrize("case", CONTRADICTIONS)
def test_check_refuses_figures_that_contradict_each_other(content_copy, case, capsys):
    changes, field, words = CONTRADICTIONS[case]
    edit_figures(content_copy, **changes)
    site = load_site(content_copy)
    named = [p for p in problems_in(site, "example/example.yaml") if f": {field}: " in p]
    assert len(named) == 1 and words in named[0], problems_in(site, "example/example.yaml")
    # Whatever cited a left-out figure is left out too, and says where to look.
    follow_ons = [p for p in site.problems if f"(see {field})" in p.message]
    assert follow_ons, "some text cited the figure"
    assert all(p.message.endswith("is left out") for p in follow_ons)
    assert main(["check", "--content", str(content_copy)]) == 1


def test_the_alert_band_left_out_takes_the_alerts_document_with_it(content_copy):
    edit_figures(content_copy, alert_low=0.11)
    site = load_site(content_copy)
    assert "monitoring-alerts" not in {d.id for d in site.example.documents}
    assert problems_in(site, "example/documents/monitoring-alerts.md") == [
        "content/example/documents/monitoring-alerts.md: body: figure 'alert_low' is not "
        "available (see figures.alert_low); document 'monitoring-alerts' is left out"
    ]


def _story_of(index: int, text: str):
    def change(data):
        data["stages"][index]["story"] += text

    return change


def test_an_unknown_figure_in_a_story_names_the_field_and_leaves_the_stage_out(content_copy):
    index = len(SHIPPED.example.stages) // 2
    stage = SHIPPED.example.stages[index].stage
    edit_example(content_copy, _story_of(index, " About {late_shar:%} are late."))
    site = load_site(content_copy)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{index}].story: '{{late_shar:%}}': unknown figure 'late_shar' (no "
        "figure of example.yaml has this name; did you mean 'late_share'?); the example's "
        f"stage '{stage}' is left out"
    ]
    assert site.example.for_stage(stage) is None
    assert main(["check", "--content", str(content_copy)]) == 1


def test_a_format_a_figure_does_not_take_is_refused(content_copy):
    edit_example(content_copy, _story_of(0, " Since {snapshot:%}."))
    [problem] = problems_in(load_site(content_copy), "example/example.yaml")
    assert problem.startswith(
        f"{EXAMPLE}: stages[0].story: '{{snapshot:%}}': unknown format '%' for a date"
    )


def test_an_unknown_figure_in_a_document_leaves_the_document_out(content_copy):
    doc = SHIPPED.example.documents[0]
    path = FOLDER.relative_to(ROOT) / "documents" / f"{doc.id}.md"
    file = content_copy.parent / path
    file.write_text(file.read_text(encoding="utf-8") + "\nCost: {costcap}.\n", encoding="utf-8")
    site = load_site(content_copy)
    assert problems_in(site, f"example/documents/{doc.id}.md") == [
        f"content/example/documents/{doc.id}.md: body: '{{costcap}}': unknown figure 'costcap' "
        "(no figure of example.yaml has this name; did you mean 'cost_cap'?); document "
        f"'{doc.id}' is left out"
    ]
    assert doc.id not in {d.id for d in site.example.documents}


def test_a_figure_of_the_wrong_kind_or_with_a_derived_name_is_left_out(content_copy):
    edit_figures(content_copy, pilot="three hundred", flag_share=0.2, late_days=FIGURES["snapshot"])
    problems = problems_in(load_site(content_copy), "example/example.yaml")
    assert (
        f"{EXAMPLE}: figures.late_days: {FIGURES['snapshot']} is a date, where the rules need "
        "a number; this figure is left out"
    ) in problems
    assert (
        f"{EXAMPLE}: figures.pilot: 'three hundred' is not a number or a date (2026-04-02); "
        "this figure is left out"
    ) in problems
    assert (
        f"{EXAMPLE}: figures.flag_share: 'flag_share' is computed (late_share × recall ÷ "
        "precision), not given; this figure is left out"
    ) in problems


# ---------------------------------------------------------------- who does what


def _outsider(stage_id: str) -> str | None:
    """A role that takes part in none of the journey stage's activities, if any."""
    activities = SHIPPED.workflow.stage(stage_id).activities
    matrix = SHIPPED.responsibilities
    for role in SHIPPED.roles:
        if activities and all(matrix.disagreement(a, role.id, "takes part") for a in activities):
            return role.id
    return None


def test_a_role_in_who_that_takes_no_part_in_the_stages_activities_is_left_out(content_copy):
    index, role = next(
        (i, _outsider(s.stage)) for i, s in enumerate(SHIPPED.example.stages) if _outsider(s.stage)
    )
    stage = SHIPPED.example.stages[index]
    edit_example(
        content_copy,
        lambda d: d["stages"][index]["who"].append({"role": role, "does": "Joins in."}),
    )
    site = load_site(content_copy)
    activities = ", ".join(SHIPPED.workflow.stage(stage.stage).activities)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{index}].who[{len(stage.who)}].role: in responsibilities.yaml, "
        f"{role} takes part in none of this stage's activities ({activities}); this entry is "
        "left out"
    ]
    assert site.example.stages[index].who == stage.who


def _not_lead(activity_id: str) -> str:
    activity = SHIPPED.responsibilities.activity(activity_id)
    return next(role.id for role in SHIPPED.roles if role.id != activity.lead)


def test_a_decision_by_a_role_that_does_not_lead_its_activity_is_left_out(content_copy):
    index, stage = next((i, s) for i, s in enumerate(SHIPPED.example.stages) if s.decisions)
    activity = SHIPPED.responsibilities.activities[0]
    role = _not_lead(activity.id)
    entry = {"role": role, "decides": "Everything.", "activity": activity.id}
    edit_example(content_copy, lambda d: d["stages"][index]["decisions"].append(entry))
    site = load_site(content_copy)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: stages[{index}].decisions[{len(stage.decisions)}].activity: "
        f"{SHIPPED.responsibilities.disagreement(activity.id, role, 'lead')}; this entry is "
        "left out"
    ]
    assert site.example.stages[index].decisions == stage.decisions


def test_a_decision_naming_an_unknown_activity_is_left_out(content_copy):
    index = next(i for i, s in enumerate(SHIPPED.example.stages) if s.decisions)
    edit_example(
        content_copy, lambda d: d["stages"][index]["decisions"][0].update(activity="astrology")
    )
    [problem] = problems_in(load_site(content_copy), "example/example.yaml")
    assert problem.startswith(
        f"{EXAMPLE}: stages[{index}].decisions[0].activity: unknown activity 'astrology' in "
        "responsibilities.yaml (it has: "
    )
    assert problem.endswith("this entry is left out")


def test_a_disagreement_decided_by_a_role_that_does_not_lead_its_activity_is_left_out(
    content_copy,
):
    case = SHIPPED.example.disagreements[0]
    activity = SHIPPED.responsibilities.activities[0]
    role = _not_lead(activity.id)
    edit_example(
        content_copy,
        lambda d: d["disagreements"][0].update(decides=role, activity=activity.id),
    )
    site = load_site(content_copy)
    assert problems_in(site, "example/example.yaml") == [
        f"{EXAMPLE}: disagreements[0].activity: "
        f"{SHIPPED.responsibilities.disagreement(activity.id, role, 'lead')}; case "
        f"'{case.id}' is left out"
    ]
    assert case.id not in {c.id for c in site.example.disagreements}
