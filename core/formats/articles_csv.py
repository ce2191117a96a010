"""A CSV of articles: one row per article with its metadata, its decision, how many
entities it has and its topics (``topics``: the accepted names joined by ``"; "`` in
the scheme's order). The table a spreadsheet filters by topic; every text cell is
guarded against formula injection (``core.formats.csv_cells``)."""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.formats.entities_csv import joined_topics
from core.models import Reviewed

COLUMNS = ("article_id", "title", "source", "url", "published", "status", "reviewed_by",
           "reviewed_at", "entities", "topics")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    for rec in records:
        a = rec.article
        writer.writerow([a.id, a.title, a.source, a.url, a.published, a.status,
                         a.reviewed_by or "", a.reviewed_at or "", len(rec.spans),
                         joined_topics(rec)])
        sink.report.rows += 1


EXPORT = ExportFormat("articles", "CSV of articles", ".csv", write,
                      "one row per article: metadata, decision, entities, topics",
                      topics=True, unit="article(s)")
