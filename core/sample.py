"""The sample project a first run opens, built from ``resources/sample/``.

The sample articles are text we wrote ourselves (see ``resources/sample/
README.md``); ``sample.jsonl`` carries them with suggestions made by our own
pipeline and the name of the model that made them, so the first window shows
highlighted entities, and says which model suggested them, without loading spaCy.
"""

from __future__ import annotations

from pathlib import Path

from core.formats.importers import import_paths
from core.nlp.store_rules import store_rules
from core.resources import resource_path
from core.store import Project
from core.text.json_lines import json_line

SAMPLE_NAME = "Sample — critical minerals"


def ensure_sample_project(folder: Path) -> Path:
    """Create (once) and return the sample project in the user's data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sample.assay"
    if path.exists():
        return path
    partial = folder / "sample.assay.partial"
    for leftover in folder.glob("sample.assay.partial*"):
        leftover.unlink()
    with Project.create(partial, name=SAMPLE_NAME, rules=store_rules()) as project:
        import_paths(project, [resource_path("sample", "sample.jsonl")], reviewer="sample")
        for article_id in project.article_ids():  # so a first look shows claims to check
            project.suggest_claims(article_id, "sample")
    partial.rename(path)  # a crash half-way leaves no half-built sample under the real name
    return path


def write_sample_jsonl(out: Path | None = None) -> Path:
    """Rebuild ``resources/sample/sample.jsonl`` from ``texts/`` with our pipeline's suggestions.

    Run by hand (``python -m core.sample``) after editing the sample texts or
    the pipeline; the app itself only reads the result.
    """
    import tempfile

    from core.jobs.annotate import annotate_project
    from core.nlp.pipeline import load_annotator

    out = out or resource_path("sample", "sample.jsonl")
    with tempfile.TemporaryDirectory() as tmp, \
            Project.create(Path(tmp) / "s.assay", rules=store_rules()) as project:
        import_paths(project, [resource_path("sample", "texts")], reviewer="sample")
        annotate_project(project, load_annotator([lb.name for lb in project.labels()]))
        with out.open("w", encoding="utf-8") as fh:
            for article_id in project.article_ids():
                art = project.article(article_id)
                spans = [{"start": s.start, "end": s.end, "label": s.label, "origin": s.origin,
                          "state": s.state, "kb_id": s.kb_id}
                         for s in project.spans(article_id)]
                # The pre-annotator that made the suggestions, which the reader keeps as
                # the article's model: the status bar names it (not "not annotated").
                record = {"text": art.text, "title": art.title, "source": art.source,
                          "model": art.model, "spans": spans}
                fh.write(json_line(record) + "\n")
    return out


if __name__ == "__main__":
    print(write_sample_jsonl())
