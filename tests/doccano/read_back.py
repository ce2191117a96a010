"""Read a JSONL file with doccano's own importer and print what doccano stored, as JSON.

Run by the Python of the doccano environment (``make test-deps`` builds ``.venv-doccano``
from ``tests/doccano/requirements.txt``), never by Assay's: doccano 1.8.4 pins Django 4
and pandas 1, which Assay's own environment does not hold. It is doccano's import
pipeline as its upload task runs it (``data_import.celery_tasks.import_dataset``:
``load_dataset(task, format, files, project).save(user)``) on a throwaway SQLite
database, then doccano's models read back: each example's text and meta, its spans, its
relations (each end as the span's offsets and label) and its categories (document
labels; an *Intent detection and slot filling* project holds spans and categories).

    python read_back.py FILE.jsonl [RelationExtraction|SequenceLabeling|
                                    IntentDetectionAndSlotFilling]
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path


def main(path: str, task: str = "RelationExtraction") -> None:
    spec = importlib.util.find_spec("backend")
    assert spec is not None and spec.submodule_search_locations, "doccano is not installed"
    backend = Path(list(spec.submodule_search_locations)[0])
    sys.path.insert(0, str(backend))  # doccano's apps import each other by their own names
    work = tempfile.mkdtemp(prefix="doccano-")
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.base",
                       "DATABASE_URL": f"sqlite:///{work}/doccano.sqlite3",
                       "MEDIA_ROOT": work, "DEBUG": "False"})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from data_import.datasets import load_dataset
    from data_import.pipeline.catalog import create_file_format
    from data_import.pipeline.readers import FileName
    from examples.models import Example
    from projects.models import (
        IntentDetectionAndSlotFillingProject,
        ProjectType,
        SequenceLabelingProject,
    )

    user = get_user_model().objects.create(username="assay")
    if task == ProjectType.INTENT_DETECTION_AND_SLOT_FILLING:
        project = IntentDetectionAndSlotFillingProject.objects.create(
            name="assay", project_type=ProjectType.INTENT_DETECTION_AND_SLOT_FILLING,
            created_by=user)
    else:
        project = SequenceLabelingProject.objects.create(
            name="assay", project_type=ProjectType.SEQUENCE_LABELING, use_relation=True,
            created_by=user)
    files = [FileName(full_path=path, generated_name=Path(path).name,
                      upload_name=Path(path).name)]
    dataset = load_dataset(task, create_file_format("JSONL"), files, project)
    dataset.save(user)
    examples = []
    for example in Example.objects.filter(project=project).order_by("id"):
        spans = {s.id: [s.start_offset, s.end_offset, s.label.text]
                 for s in example.spans.all()}
        examples.append({
            "text": example.text, "meta": example.meta,
            "spans": sorted(spans.values()),
            "relations": sorted([spans[r.from_id_id], r.type.text, spans[r.to_id_id]]
                                for r in example.relations.all()),
            "categories": sorted(c.label.text for c in example.categories.all()),
        })
    print(json.dumps({"examples": examples, "errors": [e.dict() for e in dataset.errors]}))


if __name__ == "__main__":
    main(*sys.argv[1:])
