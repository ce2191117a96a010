"""Assay JSONL: a project's reviewed articles with every decision, to rebuild it elsewhere.

One article a line: its text and metadata, its id, its decision (status, reviewer, time,
seconds spent, note), its accepted spans (``spans``: label, origin, link, who and when) and
claims (``claims``: verdict, evidence, note, who and when), as the other formats write
them, and beside them the suggested and rejected spans (``other_spans``) and the suggested
and dismissed claims (``other_claims``), each with its state. The first line also carries
the label scheme (``"assay_scheme": {"labels": [...]}``: names, colours, keys,
descriptions, in order) and the relation types (``"relations": [...]``: name, head and
tail labels, symmetric, colour, key, description; the bundled schemes' shape), so every
line is still one article.

Relations (``relations``, every state, in the order they were made) name their ends twice:
by the span's ``id`` in this file (each span carries its ``id``) and by its offsets::

    {"id": 7, "head": 12, "tail": 15, "head_span": [0, 5], "tail_span": [14, 21],
     "type": "SUPPLIES", "state": "accepted", "origin": "reviewer", "model": null,
     "updated_by": "ann", "updated_at": "2026-12-07T05:00:00"}

A reader that drops the ids can still find the ends by their offsets; Assay's importer
maps them by offsets (the id decides only between two spans at the same place).

Topics: the scheme line lists them (``"topics": [...]``: name, colour, key, description,
in order) and each article its own in every state, in the scheme's order::

    {"topic": "export controls", "state": "accepted", "origin": "model",
     "model": "topics-v1", "score": 0.91, "updated_by": "ann", "updated_at": "..."}

``assay-cli import`` reads it back (``core.formats.read_records``): into a new project,
exporting again gives the same file byte for byte. Imported decisions keep their reviewers'
names and times, and the importing project's audit log records each one as imported
(``article.imported``), so nothing looks decided in this project that was decided
elsewhere. Span and relation ids are kept where the importing project has them free.
An article made from a PDF carries ``pages``, each page's start offset in its text (absent
for others). Not carried: reviewers' versions of a team project, the
audit log itself, reviewers' own canonical entries (links to them are kept as ids), and
which pre-annotator made each suggestion (the article's last one is kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.formats.base import ExportFormat, Sink, dump
from core.models import ArticleTopic, Relation, Reviewed, Span
from core.store.claims import claim_payload

SCHEME_KEY = "assay_scheme"  # on the first line: the file is an Assay JSONL export


def scheme_line(sink: Sink) -> dict[str, Any]:
    return {SCHEME_KEY: {"labels": [
        {"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
         "description": lb.description} for lb in sink.scheme],
        "relations": [
            {"name": t.name, "head": list(t.head_labels), "tail": list(t.tail_labels),
             "symmetric": t.symmetric, "color": t.color, "hotkey": t.hotkey,
             "description": t.description} for t in sink.relation_types],
        "topics": [
            {"name": t.name, "color": t.color, "hotkey": t.hotkey,
             "description": t.description} for t in sink.topics]}}


def topic_payload(t: ArticleTopic) -> dict[str, Any]:
    return {"topic": t.topic, "state": t.state, "origin": t.origin, "model": t.model,
            "score": t.score, "updated_by": t.updated_by, "updated_at": t.updated_at}


def span_payload(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "label": s.label, "text": s.text,
            "origin": s.origin, "state": s.state, "kb_id": s.kb_id,
            "updated_by": s.updated_by, "updated_at": s.updated_at}


def _in_order(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [{"id": s.id, **span_payload(s)}
            for s in sorted(spans, key=lambda s: (s.start, s.end, s.id))]


def relation_payload(rel: Relation, spans: dict[int, Span]) -> dict[str, Any]:
    """One relation, its ends by span id and by offsets (``spans``: the article's, by id)."""
    head, tail = spans[rel.head_id], spans[rel.tail_id]
    return {"id": rel.id, "head": rel.head_id, "tail": rel.tail_id,
            "head_span": [head.start, head.end], "tail_span": [tail.start, tail.end],
            "type": rel.type, "state": rel.state, "origin": rel.origin, "model": rel.model,
            "updated_by": rel.updated_by, "updated_at": rel.updated_at}


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for i, rec in enumerate(records):
        a = rec.article
        claims = [{**claim_payload(c, a.text), "state": c.state, "reason": c.reason}
                  for c in rec.claims]
        ends = {s.id: s for s in (*rec.spans, *rec.suggestions)}
        line = {
            "id": a.id, "text": a.text, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published, "status": a.status, "reviewed_by": a.reviewed_by,
            "reviewed_at": a.reviewed_at, "review_seconds": a.review_seconds, "note": a.note,
            "model": a.model,
            "spans": _in_order(rec.spans),
            "claims": [c for c in claims if c["state"] == "accepted"],
            "other_spans": _in_order(rec.suggestions),
            "other_claims": [c for c in claims if c["state"] != "accepted"],
            "relations": [relation_payload(r, ends) for r in rec.relations],
            "topics": [topic_payload(t) for t in rec.topics],
        }
        if a.page_starts:  # an article made from a PDF: where each page starts in its text
            line["pages"] = list(a.page_starts)
        if not i:
            line.update(scheme_line(sink))
        fh.write(dump(line))


EXPORT = ExportFormat("assay", "Assay JSONL (every decision)", ".jsonl", write,
                      "the scheme; each article's decision, spans, claims, relations, topics in "
                      "every state, who, when; imports back as it was",
                      claims=True, decisions=True, relations=True, topics=True)
