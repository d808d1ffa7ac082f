"""Content as an author changes it: the shipped folder grown by one of each thing.

`grow` adds a workflow stage, a matrix activity, a debt-figure box, a quiz question,
and the worked example's section for the new stage with one more hand-off document,
by editing files only, the promised no-code change. Page tests run on
the grown copy as well as on the shipped content, so no test may depend on
today's counts.
"""

from __future__ import annotations

from pathlib import Path

import yaml

NEW_STAGE = {
    "id": "retire",
    "title": "Retirement",
    "lead": "DS",
    "contributors": ["Dev", "PM"],
    "artifact": "Retirement note",
    "summary": "The model that no longer earns its keep is switched off on purpose.",
    "details": "The data scientist shows the model has stopped helping; the Dev team removes it.",
}
NEW_ACTIVITY = {
    "id": "retire-model",
    "title": "Retire an old model",
    "roles": {"DS": "lead", "Dev": "contributes", "PM": "informed"},
}
NEW_BOX = {
    "id": "glue-code",
    "label": "Glue Code",
    "x": 380,
    "y": 270,
    "width": 60,
    "height": 30,
    "owner": "Dev",
    "what": "Code that only moves data between general-purpose packages.",
    "prone_to": ["Glue code"],
    "why": "It freezes the system around the packages it glues together.",
}
NEW_QUESTION = {
    "id": "wh-99",
    "statement": "The model must be switched off when it stops helping customers.",
    "answer": "What",
    "explanation": "It states an outcome the customer cares about, not a way to build it.",
    "role": "PM",
    "see": "glossary#what",
}
NEW_DOCUMENT = (
    "---\ntitle: Retirement note\nauthor: DS\nto: [Dev, PM]\n"
    "summary: Why the model is switched off.\n---\n"
    "**Why.** The flag no longer beats the simple rule, so it is switched off.\n"
)


def _example_stage(stage_id: str, document_id: str) -> dict:
    return {
        "stage": stage_id,
        "story": "The data scientist shows that the flag has stopped helping owners.",
        "who": [{"role": "DS", "does": "Shows that the model no longer earns its keep."}],
        "hands_on": [document_id],
    }


def _append_new(items: list, item: dict) -> None:
    """Append `item`, with its id made unique among `items` (the content may have grown)."""
    taken = {existing["id"] for existing in items}
    new_id, n = item["id"], 2
    while new_id in taken:
        new_id, n = f"{item['id']}-{n}", n + 1
    items.append({**item, "id": new_id})


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def grow(content_dir: Path) -> Path:
    """Add one stage, activity, box and question to the content copy in `content_dir`."""
    _edit_yaml(content_dir / "workflow.yaml", lambda d: _append_new(d["stages"], NEW_STAGE))
    _edit_yaml(
        content_dir / "responsibilities.yaml",
        lambda d: _append_new(d["activities"], NEW_ACTIVITY),
    )
    _edit_yaml(content_dir / "hidden_debt.yaml", lambda d: _append_new(d["boxes"], NEW_BOX))
    _edit_yaml(
        content_dir / "quizzes" / "what-vs-how.yaml",
        lambda d: _append_new(d["questions"], NEW_QUESTION),
    )
    example = content_dir / "example" / "example.yaml"
    if example.exists():
        new_stage = yaml.safe_load((content_dir / "workflow.yaml").read_text())["stages"][-1]
        documents = example.parent / "documents"
        document_id, n = "retirement-note", 2
        while (documents / f"{document_id}.md").exists():
            document_id, n = f"retirement-note-{n}", n + 1
        documents.mkdir(exist_ok=True)
        (documents / f"{document_id}.md").write_text(NEW_DOCUMENT, encoding="utf-8")
        _edit_yaml(
            example, lambda d: d["stages"].append(_example_stage(new_stage["id"], document_id))
        )
    return content_dir


def as_shipped(site, problem) -> str:
    """A problem as it reads for the shipped folder (`content/roles/qa.md: ...`), whatever
    the real path of the copy it was found in: tests compare messages, not temp folders."""
    return str(problem).replace(site.path_of(""), "content", 1)
