"""Label Studio JSON: tasks with ``data.text``, reviewers' spans as ``annotations``, and
suggestions as ``predictions`` (import and export).

A NER result item is ``{id, from_name, to_name, type: "labels", value: {start, end,
text, labels: [label]}}`` with code-point offsets, which are Python's. Label Studio
needs a labelling config naming the labels; the export writes one next to the tasks
(``<stem>-config.xml``), to paste into the project's *Labeling Interface* settings.

On import, the first annotation that was not cancelled gives accepted spans and the
first prediction gives suggestions; a prediction that overlaps an annotated span is
left out (the reviewer's decision wins), and a region with several labels takes the
first. The same checks as every import then apply (offsets fit, quoted text matches).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from core.formats.base import ExportFormat, Sink
from core.models import Reviewed, Span
from core.text.json_lines import json_line

FROM_NAME, TO_NAME = "label", "text"
# A Label Studio export of a whole project is one JSON array; allow big ones.
MAX_FILE_BYTES = 2 * 2**30


def labeling_config(labels: Sequence[tuple[str, str]]) -> str:
    """The ``<View>`` Label Studio needs for these ``(name, colour)`` labels."""
    items = "\n".join(f"    <Label value={quoteattr(name)} background={quoteattr(color)}/>"
                      for name, color in labels)
    return (f'<View>\n  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n  </Labels>\n'
            f'  <Text name="{TO_NAME}" value="$text"/>\n</View>\n')


def result_item(span: Span) -> dict[str, Any]:
    return {"id": f"s{span.id}", "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
            "origin": "manual" if span.origin == "reviewer" else "prediction",
            "value": {"start": span.start, "end": span.end, "text": span.text,
                      "labels": [span.label]}}


def task(rec: Reviewed) -> dict[str, Any]:
    """One task. An approved article always has an annotation, even with an empty result:
    "no entities here" is a decision, and a task without annotations looks unlabelled in
    Label Studio (and would be handed out again). A pending one has none unless spans
    were accepted."""
    a = rec.article
    decided = bool(rec.spans) or a.status == "approved"
    out: dict[str, Any] = {
        "id": a.id,
        "data": {"text": a.text, "article_id": a.id, "title": a.title, "source": a.source,
                 "url": a.url, "published": a.published},
        "annotations": [{"result": [result_item(s) for s in rec.spans], "was_cancelled": False,
                         "ground_truth": False, "completed_by_name": a.reviewed_by or "",
                         "updated_at": a.reviewed_at or ""}] if decided else [],
    }
    if rec.suggestions:
        models = sorted({s.updated_by or "" for s in rec.suggestions})
        out["predictions"] = [{"model_version": ", ".join(m for m in models if m) or "assay",
                               "result": [result_item(s) for s in rec.suggestions]}]
    return out


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    """Tasks as one JSON array in ``paths[0]``, the labelling config in ``paths[1]``."""
    with sink.paths[0].open("w", encoding="utf-8") as fh:
        fh.write("[")
        for i, rec in enumerate(records):
            fh.write(",\n" if i else "\n")
            fh.write(json_line(task(rec)))
        fh.write("\n]\n")
    sink.paths[1].write_text(labeling_config(sink.labels), encoding="utf-8")


EXPORT = ExportFormat("label-studio", "Label Studio JSON", ".json", write,
                      "tasks with annotations (accepted) and predictions (suggested), and the "
                      "labelling config", text_file=False, suggestions=True,
                      companions=("-config.xml",))


# ---------------------------------------------------------------- import


def _regions(items: Any, where: str) -> list[dict[str, Any]]:
    """Label results as Assay-style span objects (``start``, ``end``, ``label``, ``text``)."""
    if not isinstance(items, list):
        raise ValueError(f"{where} is not a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") not in ("labels", "hypertextlabels"):
            continue  # choices, ratings, relations: not spans
        value = item.get("value")
        if not isinstance(value, dict):
            value = {}
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise ValueError(f"{where}[{i}] has no labels")
        span = {"start": value.get("start"), "end": value.get("end"), "label": labels[0]}
        if isinstance(value.get("text"), str):
            span["text"] = value["text"]
        out.append(span)
    return out


def task_record(item: Any) -> dict[str, Any]:
    """One Label Studio task as the record ``core.formats.importers`` reads (raises
    ValueError with the reason when it is not a task)."""
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        raise ValueError('not a Label Studio task (no "data" object)')
    data = item["data"]
    text = data.get("text")
    if not isinstance(text, str):
        strings = [v for v in data.values() if isinstance(v, str)]
        if len(strings) != 1:
            raise ValueError('no "data.text" string')
        text = strings[0]
    spans: list[dict[str, Any]] = []
    annotations = [a for a in item.get("annotations") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        spans += [{**s, "state": "accepted", "origin": "imported"}
                  for s in _regions(annotations[0].get("result", []), "annotations[0].result")]
    predictions = [p for p in item.get("predictions") or [] if isinstance(p, dict)]
    if predictions:
        taken = [(s["start"], s["end"]) for s in spans]
        for s in _regions(predictions[0].get("result", []), "predictions[0].result"):
            start, end = s["start"], s["end"]
            if isinstance(start, int) and isinstance(end, int) and not any(
                    start < e and end > b for b, e in taken):
                spans.append({**s, "state": "suggested", "origin": "model"})
                taken.append((start, end))
    record = {"text": text, "spans": spans}
    for key in ("title", "source", "url", "published"):
        if isinstance(data.get(key), str):
            record[key] = data[key]
    return record


def read_tasks(data: bytes) -> Iterator[tuple[int, Any]]:
    """``(task number, task)`` of a Label Studio JSON file (an array of tasks or one task)."""
    parsed = json.loads(data.decode("utf-8-sig"))
    tasks = parsed if isinstance(parsed, list) else [parsed]
    yield from enumerate(tasks, 1)


def file_too_large(path: Path) -> bool:
    return path.stat().st_size > MAX_FILE_BYTES
