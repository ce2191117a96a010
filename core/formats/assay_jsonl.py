"""Assay JSONL: a project's reviewed articles with every decision, to rebuild it elsewhere.

One article a line: its text and metadata, its id, its decision (status, reviewer, time,
seconds spent, note), its accepted spans (``spans``: label, origin, link, who and when) and
claims (``claims``: verdict, evidence, note, who and when), as the other formats write
them, and beside them the suggested and rejected spans (``other_spans``) and the suggested
and dismissed claims (``other_claims``), each with its state. The first line also carries
the label scheme (``"assay_scheme": {"labels": [...]}``: names, colours, keys,
descriptions, in order), so every line is still one article.

``assay-cli import`` reads it back (``core.formats.read_records``): into a new project,
exporting again gives the same file byte for byte. Imported decisions keep their reviewers'
names and times, and the importing project's audit log records each one as imported
(``article.imported``), so nothing looks decided in this project that was decided
elsewhere. Not carried: relations, topics, reviewers' versions of a team project, the
audit log itself, reviewers' own canonical entries (links to them are kept as ids), and
which pre-annotator made each suggestion (the article's last one is kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.formats.base import ExportFormat, Sink, dump
from core.models import Reviewed, Span
from core.store.claims import claim_payload

SCHEME_KEY = "assay_scheme"  # on the first line: the file is an Assay JSONL export


def scheme_line(sink: Sink) -> dict[str, Any]:
    return {SCHEME_KEY: {"labels": [
        {"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
         "description": lb.description} for lb in sink.scheme]}}


def span_payload(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "label": s.label, "text": s.text,
            "origin": s.origin, "state": s.state, "kb_id": s.kb_id,
            "updated_by": s.updated_by, "updated_at": s.updated_at}


def _in_order(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [span_payload(s) for s in sorted(spans, key=lambda s: (s.start, s.end, s.id))]


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for i, rec in enumerate(records):
        a = rec.article
        claims = [{**claim_payload(c, a.text), "state": c.state, "reason": c.reason}
                  for c in rec.claims]
        line = {
            "id": a.id, "text": a.text, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published, "status": a.status, "reviewed_by": a.reviewed_by,
            "reviewed_at": a.reviewed_at, "review_seconds": a.review_seconds, "note": a.note,
            "model": a.model,
            "spans": _in_order(rec.spans),
            "claims": [c for c in claims if c["state"] == "accepted"],
            "other_spans": _in_order(rec.suggestions),
            "other_claims": [c for c in claims if c["state"] != "accepted"],
        }
        if not i:
            line.update(scheme_line(sink))
        fh.write(dump(line))


EXPORT = ExportFormat("assay", "Assay JSONL (every decision)", ".jsonl", write,
                      "the scheme, then each article's decision and every span and claim "
                      "with its state, who and when; imports back as it was",
                      claims=True, decisions=True)
