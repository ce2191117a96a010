"""Every reviewer's version, one JSON line each (for agreement studies outside Assay).

A team project's merged versions (``core.teams.merge``): the article's text and id, the
reviewer, their decision, note and seconds, their spans with states and their claims. The
curated data is what the other formats write; this one writes what each person decided.
Use ``--status all``: the project's own status is the curated one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from core.formats.base import ExportFormat, Sink, dump
from core.models import Reviewed


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for rec in records:
        a = rec.article
        for v in rec.versions:
            fh.write(dump({
                "article_id": a.id, "text": a.text, "title": a.title, "reviewer": v.reviewer,
                "status": v.status, "note": v.note, "review_seconds": v.review_seconds,
                "reviewed_at": v.reviewed_at,
                "spans": [{**asdict(s), "text": a.text[s.start:s.end]} for s in v.spans],
                "claims": [{**asdict(c), "text": a.text[c.start:c.end]} for c in v.claims],
            }))
            sink.report.rows += 1


EXPORT = ExportFormat("versions", "Reviewers' versions (JSONL)", ".jsonl", write,
                      "every reviewer's version: decision, spans with states, claims",
                      versions=True, unit="versions")
