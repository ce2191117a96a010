"""Label Studio JSON: tasks with ``data.text``, reviewers' spans as ``annotations``, and
suggestions as ``predictions`` (import and export), with the relations between them.

A NER result item is ``{id, from_name, to_name, type: "labels", value: {start, end,
text, labels: [label]}}`` with code-point offsets, which are Python's; a relation is a
result item ``{from_id, to_id, type: "relation", direction, labels: [TYPE]}`` beside the
regions whose ``id``s it names (``direction`` is ``right`` from head to tail, ``bi`` for a
symmetric type). Label Studio needs a labelling config naming the labels and the relation
types (``<Relations>``); the export writes one next to the tasks (``<stem>-config.xml``),
to paste into the project's *Labeling Interface* settings.

Topics are a ``choices`` result beside the labels (``{from_name: "topic", to_name: "text",
type: "choices", value: {choices: [...]}}``): the accepted ones in the annotation, the
suggested ones in the prediction, and the config gains ``<Choices name="topic"
toName="text" choice="multiple">`` naming every topic of the scheme.

Export: an accepted relation between accepted entities is part of the annotation; any
other live one (suggested, or with a suggested end) is part of the prediction, which
then also holds the regions of its accepted ends (a prediction's relations can only name
its own regions).

On import, the first annotation that was not cancelled gives accepted spans and
relations, and the first prediction gives suggestions; a prediction that overlaps an
annotated span is left out (the reviewer's decision wins), and its relations go with it
unless it marks exactly the annotated span, whose relations they then become. A region
with several labels takes the first; a relation with several types is one relation per
type; ``left`` runs from ``to_id`` to ``from_id``. The same checks as every import then
apply (offsets fit, quoted text matches, the relation's type is the project's and fits
its ends' labels).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from core.formats.base import ExportFormat, Sink
from core.models import Relation, RelationIn, RelationType, Reviewed, Span, TopicIn
from core.text.json_lines import json_line

FROM_NAME, TO_NAME = "label", "text"
TOPIC_NAME = "topic"  # the <Choices> of the topics
# A Label Studio export of a whole project is one JSON array; allow big ones.
MAX_FILE_BYTES = 2 * 2**30


def labeling_config(labels: Sequence[tuple[str, str]],
                    relation_types: Sequence[RelationType] = (),
                    topics: Sequence[str] = ()) -> str:
    """The ``<View>`` Label Studio needs for these ``(name, colour)`` labels, relation
    types (its ``<Relations>``) and topics (its ``<Choices>``), each left out when there
    are none."""
    items = "\n".join(f"    <Label value={quoteattr(name)} background={quoteattr(color)}/>"
                      for name, color in labels)
    kinds = "\n".join(f"    <Relation value={quoteattr(t.name)} background={quoteattr(t.color)}/>"
                      for t in relation_types)
    relations = f"  <Relations>\n{kinds}\n  </Relations>\n" if kinds else ""
    choices = "\n".join(f"    <Choice value={quoteattr(name)}/>" for name in topics)
    about = (f'  <Choices name="{TOPIC_NAME}" toName="{TO_NAME}" choice="multiple">\n'
             f'{choices}\n  </Choices>\n' if choices else "")
    return (f'<View>\n{relations}  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n'
            f'  </Labels>\n  <Text name="{TO_NAME}" value="$text"/>\n{about}</View>\n')


def region_id(span_id: int) -> str:
    """A span's region id, stable across exports: what relation items name."""
    return f"s{span_id}"


def result_item(span: Span) -> dict[str, Any]:
    return {"id": region_id(span.id), "from_name": FROM_NAME, "to_name": TO_NAME,
            "type": "labels", "origin": "manual" if span.origin == "reviewer" else "prediction",
            "value": {"start": span.start, "end": span.end, "text": span.text,
                      "labels": [span.label]}}


def topics_item(article_id: int, names: Sequence[str], origin: str) -> dict[str, Any]:
    """The article's topics as one ``choices`` result."""
    return {"id": f"t{article_id}", "from_name": TOPIC_NAME, "to_name": TO_NAME,
            "type": "choices", "origin": origin, "value": {"choices": list(names)}}


def relation_item(rel: Relation, symmetric: bool) -> dict[str, Any]:
    return {"from_id": region_id(rel.head_id), "to_id": region_id(rel.tail_id),
            "type": "relation", "direction": "bi" if symmetric else "right",
            "labels": [rel.type]}


def task(rec: Reviewed, symmetric: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One task. An approved article always has an annotation, even with an empty result:
    "no entities here" is a decision, and a task without annotations looks unlabelled in
    Label Studio (and would be handed out again). A pending one has none unless spans
    were accepted. ``symmetric``: the names of the symmetric relation types."""
    a = rec.article
    chosen = [t.topic for t in rec.topics if t.state == "accepted"]
    guessed = [t.topic for t in rec.topics if t.state == "suggested"]
    decided = bool(rec.spans) or bool(chosen) or a.status == "approved"
    accepted = {s.id: s for s in rec.spans}
    annotated: list[Relation] = []
    predicted: list[Relation] = []
    for rel in rec.relations:
        decision = rel.state == "accepted" and rel.head_id in accepted and \
            rel.tail_id in accepted
        (annotated if decision else predicted).append(rel)
    out: dict[str, Any] = {
        "id": a.id,
        "data": {"text": a.text, "article_id": a.id, "title": a.title, "source": a.source,
                 "url": a.url, "published": a.published},
        "annotations": [{"result": [result_item(s) for s in rec.spans]
                         + [relation_item(r, r.type in symmetric) for r in annotated]
                         + ([topics_item(a.id, chosen, "manual")] if chosen else []),
                         "was_cancelled": False, "ground_truth": False,
                         "completed_by_name": a.reviewed_by or "",
                         "updated_at": a.reviewed_at or ""}] if decided else [],
    }
    if rec.suggestions or predicted or guessed:
        # A prediction's relations name its own regions: their accepted ends come along.
        ends = {end for r in predicted for end in (r.head_id, r.tail_id)}
        regions = rec.suggestions + [s for s in rec.spans if s.id in ends]
        models = sorted({s.updated_by or "" for s in rec.suggestions}
                        | {t.model or "" for t in rec.topics if t.state == "suggested"})
        out["predictions"] = [{"model_version": ", ".join(m for m in models if m) or "assay",
                               "result": [result_item(s) for s in regions]
                               + [relation_item(r, r.type in symmetric) for r in predicted]
                               + ([topics_item(a.id, guessed, "prediction")] if guessed
                                  else [])}]
    return out


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    """Tasks as one JSON array in ``paths[0]``, the labelling config in ``paths[1]``."""
    symmetric = frozenset(t.name for t in sink.relation_types if t.symmetric)
    with sink.paths[0].open("w", encoding="utf-8") as fh:
        fh.write("[")
        for i, rec in enumerate(records):
            fh.write(",\n" if i else "\n")
            fh.write(json_line(task(rec, symmetric)))
        fh.write("\n]\n")
    sink.paths[1].write_text(labeling_config(sink.labels, sink.relation_types,
                                             [t.name for t in sink.topics]),
                             encoding="utf-8")


EXPORT = ExportFormat("label-studio", "Label Studio JSON", ".json", write,
                      "tasks with annotations (accepted) and predictions (suggested), "
                      "relations, topics as choices, and the labelling config",
                      text_file=False, suggestions=True, relations=True, topics=True,
                      companions=("-config.xml",))


# ---------------------------------------------------------------- import


def _regions(items: Any, where: str) -> list[tuple[Any, dict[str, Any]]]:
    """Label results as ``(region id, Assay-style span object)`` (``start``, ``end``,
    ``label``, ``text``); the id is what relation items name (None when it has none)."""
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
        out.append((_hashable(item.get("id")), span))
    return out


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def _links(items: list[Any], where: str) -> list[tuple[Any, Any, str, bool]]:
    """The relation items of a result as ``(head region id, tail region id, type, either
    way)``, one per type it names (``bi``: either way round)."""
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") != "relation":
            continue
        kinds = item.get("labels")
        if not isinstance(kinds, list) or not kinds or not all(
                isinstance(k, str) and k.strip() for k in kinds):
            raise ValueError(f"{where}[{i}] is a relation without a type (its \"labels\")")
        head, tail = _hashable(item.get("from_id")), _hashable(item.get("to_id"))
        if item.get("direction") == "left":
            head, tail = tail, head
        both = item.get("direction") == "bi"
        out += [(head, tail, k.strip(), both) for k in dict.fromkeys(kinds)]
    return out


def _relations(links: list[tuple[Any, Any, str, bool]], index: dict[Any, int], where: str,
               state: str, origin: str, taken: set[tuple[int, int, str]]) -> list[RelationIn]:
    """``links`` as relations between the record's spans (``index``: region id → position
    in its spans; a region missing from it is a left-out prediction, and its relations
    go with it when ``state`` is suggested, else the file is wrong). One already
    ``taken`` (the annotation's, when reading the prediction) is not made twice."""
    out = []
    for head, tail, kind, both in links:
        h, t = index.get(head), index.get(tail)
        if h is None or t is None:
            if state == "suggested":
                continue
            raise ValueError(f"{where} has a {kind} relation to a region it does not label")
        keys = {(h, t, kind), (t, h, kind)} if both else {(h, t, kind)}
        if keys & taken:
            continue
        taken |= keys
        out.append(RelationIn(h, t, kind, state=state, origin=origin))
    return out


def task_record(item: Any) -> tuple[dict[str, Any], list[RelationIn]]:
    """One Label Studio task as the record ``core.formats.importers`` reads, and its
    relations between the record's spans, by position (raises ValueError with the reason
    when it is not a task)."""
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
    relations: list[RelationIn] = []
    made: set[tuple[int, int, str]] = set()  # (head, tail, type) of the relations made
    annotations = [a for a in item.get("annotations") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        where = "annotations[0].result"
        result = annotations[0].get("result", [])
        index: dict[Any, int] = {}
        for rid, s in _regions(result, where):
            index.setdefault(rid, len(spans))
            spans.append({**s, "state": "accepted", "origin": "imported"})
        index.pop(None, None)
        relations += _relations(_links(result, where), index, where, "accepted", "imported",
                                made)
    predictions = [p for p in item.get("predictions") or [] if isinstance(p, dict)]
    if predictions:
        where = "predictions[0].result"
        result = predictions[0].get("result", [])
        decided = {(s["start"], s["end"]): i for i, s in enumerate(spans)
                   if isinstance(s["start"], int) and isinstance(s["end"], int)}
        taken = list(decided)
        index = {}
        for rid, s in _regions(result, where):
            start, end = s["start"], s["end"]
            if not (isinstance(start, int) and isinstance(end, int)):
                continue
            if not any(start < e and end > b for b, e in taken):
                index.setdefault(rid, len(spans))
                spans.append({**s, "state": "suggested", "origin": "model"})
                taken.append((start, end))
            elif (start, end) in decided:  # the reviewer's span: its relations are theirs
                index.setdefault(rid, decided[start, end])
        index.pop(None, None)
        relations += _relations(_links(result, where), index, where, "suggested", "model",
                                made)
    record = {"text": text, "spans": spans}
    for key in ("title", "source", "url", "published"):
        if isinstance(data.get(key), str):
            record[key] = data[key]
    return record, relations


def _chosen(result: Any) -> list[str]:
    """The topics a result names: its ``choices`` items from the topics' ``<Choices>``."""
    out: list[str] = []
    for item in result if isinstance(result, list) else []:
        value = item.get("value") if isinstance(item, dict) else None
        if item.get("type") == "choices" and item.get("from_name") == TOPIC_NAME and \
                isinstance(value, dict) and isinstance(value.get("choices"), list):
            out += [c for c in value["choices"] if isinstance(c, str) and c not in out]
    return out


def task_topics(item: Any) -> tuple[TopicIn, ...]:
    """The topics of one task: the first annotation's (not cancelled) accepted, the first
    prediction's suggested (a topic the annotation chose stays accepted). Only the
    ``<Choices name="topic">`` the export writes are topics; other choices are not."""
    if not isinstance(item, dict):
        return ()
    annotations = [a for a in item.get("annotations") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    predictions = [p for p in item.get("predictions") or [] if isinstance(p, dict)]
    accepted = _chosen(annotations[0].get("result")) if annotations else []
    model = predictions[0].get("model_version") if predictions else None
    suggested = [t for t in (_chosen(predictions[0].get("result")) if predictions else [])
                 if t not in accepted]
    return (*(TopicIn(t) for t in accepted),
            *(TopicIn(t, "suggested", "model", model if isinstance(model, str) else None)
              for t in suggested))


def read_tasks(data: bytes) -> Iterator[tuple[int, Any]]:
    """``(task number, task)`` of a Label Studio JSON file (an array of tasks or one task)."""
    parsed = json.loads(data.decode("utf-8-sig"))
    tasks = parsed if isinstance(parsed, list) else [parsed]
    yield from enumerate(tasks, 1)


def file_too_large(path: Path) -> bool:
    return path.stat().st_size > MAX_FILE_BYTES
