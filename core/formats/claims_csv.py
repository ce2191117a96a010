"""A CSV of claims: one row per accepted claim with its verdict and evidence (the
fact-check log)."""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed

COLUMNS = ("article_id", "title", "start", "end", "text", "verdict", "evidence_url",
           "note", "origin", "reviewer", "updated_at")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    for rec in records:
        a = rec.article
        for c in rec.claims:
            writer.writerow([a.id, a.title, c.start, c.end, a.text[c.start:c.end], c.verdict,
                             c.evidence_url, c.note, c.origin, c.updated_by or "",
                             c.updated_at or ""])
            sink.report.rows += 1


EXPORT = ExportFormat("claims", "CSV of claims", ".csv", write,
                      "passage, verdict, evidence, note, who, when", claims=True,
                      unit="claim(s)")
