"""The first-run sample project says which model suggested its entities (issue 25: its
status bar said "Model: not annotated" beside highlighted suggestions)."""

from __future__ import annotations

import json

from core.resources import resource_path
from core.sample import ensure_sample_project
from tests.gui_helpers import open_window


def test_the_sample_names_the_model_that_made_its_suggestions(qtbot, tmp_path):
    records = [json.loads(line) for line in
               resource_path("sample", "sample.jsonl").read_text("utf-8").splitlines()]
    made_by = {r["model"] for r in records}
    assert len(made_by) == 1 and "" not in made_by
    win = open_window(qtbot, tmp_path, ensure_sample_project(tmp_path / "data"))
    assert win.session.spans and all(s.state == "suggested" for s in win.session.spans)
    assert win.status_parts.model.text() == f"Model: {made_by.pop()}"
