"""The sample project a first run opens, built from ``resources/sample/``.

The sample articles are text we wrote ourselves (see ``resources/sample/
README.md``); ``sample.jsonl`` carries them with suggestions made by our own
pipeline, so the first window shows highlighted entities without loading
spaCy.
"""

from __future__ import annotations

from pathlib import Path

from core.importers import import_paths
from core.resources import resource_path
from core.store import Project

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
    with Project.create(partial, name=SAMPLE_NAME) as project:
        import_paths(project, [resource_path("sample", "sample.jsonl")], reviewer="sample")
    partial.rename(path)  # a crash half-way leaves no half-built sample under the real name
    return path
