"""Assay JSONL: a project's reviewed articles with every decision, to rebuild it elsewhere.

The first line is the label scheme (``{"assay_scheme": {"labels": [...]}}``: names,
colours, keys, descriptions, in order); then one article a line: its text and metadata,
its id, its decision (status, reviewer, time, seconds spent, note), every span whatever
its state (suggested, accepted, rejected: label, origin, link, who and when) and every
claim whatever its state (verdict, evidence, note, origin, reason, who and when).

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

SCHEME_KEY = "assay_scheme"  # the first line's only key: no article has it


def scheme_line(sink: Sink) -> dict[str, Any]:
    return {SCHEME_KEY: {"labels": [
        {"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
         "description": lb.description} for lb in sink.scheme]}}


def span_payload(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "label": s.label, "text": s.text,
            "origin": s.origin, "state": s.state, "kb_id": s.kb_id,
            "updated_by": s.updated_by, "updated_at": s.updated_at}


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    fh.write(dump(scheme_line(sink)))
    for rec in records:
        a = rec.article
        spans = sorted([*rec.spans, *rec.suggestions], key=lambda s: (s.start, s.end, s.id))
        fh.write(dump({
            "id": a.id, "text": a.text, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published, "status": a.status, "reviewed_by": a.reviewed_by,
            "reviewed_at": a.reviewed_at, "review_seconds": a.review_seconds, "note": a.note,
            "model": a.model,
            "spans": [span_payload(s) for s in spans],
            "claims": [{**claim_payload(c, a.text), "state": c.state, "reason": c.reason}
                       for c in rec.claims],
        }))


EXPORT = ExportFormat("assay", "Assay JSONL (every decision)", ".jsonl", write,
                      "the scheme, then each article's decision and every span and claim "
                      "with its state, who and when; imports back as it was",
                      claims=True, decisions=True)
