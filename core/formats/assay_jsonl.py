"""Assay JSONL: lossless, one article a line with its spans (origin, kb id) and claims.

``core.formats.importers`` reads it back (spans, claims, verdicts), so a project can be
rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink, dump
from core.models import Reviewed
from core.store.claims import claim_payload


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for rec in records:
        a = rec.article
        fh.write(dump({
            "id": a.id, "text": a.text, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published, "status": a.status, "reviewed_by": a.reviewed_by,
            "reviewed_at": a.reviewed_at, "note": a.note,
            "spans": [{"start": s.start, "end": s.end, "label": s.label, "text": s.text,
                       "origin": s.origin, "state": s.state, "kb_id": s.kb_id}
                      for s in rec.spans],
            "claims": [claim_payload(c, a.text) for c in rec.claims],
        }))


EXPORT = ExportFormat("assay", "Assay JSONL (lossless)", ".jsonl", write,
                      "spans with origin and kb ids, claims with verdicts, reviewer",
                      claims=True)
