"""A CSV of relation triples: one row per accepted relation between accepted entities.

Head and tail as the text names them with their canonical ids, the type, and the
evidence: the sentence that holds both ends (``core.text.sentences``, the rule claims and
the facts export use; from the first end's sentence to the last's when they are in two).
Then the article's id, title and date, and who decided the relation. Every text cell goes
through ``core.formats.csv_cells`` (a head ``=HYPERLINK(…)`` is written ``'=HYPERLINK(…)``).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed
from core.text.sentences import SentenceIndex

COLUMNS = ("head", "head_kb_id", "type", "tail", "tail_kb_id", "evidence", "article_id",
           "title", "date", "reviewer")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    for rec in records:
        if not rec.relations:
            continue
        a = rec.article
        spans = {s.id: s for s in rec.spans}
        index = SentenceIndex(a.text)
        for r in rec.relations:
            head, tail = spans[r.head_id], spans[r.tail_id]
            start, end = index.evidence((head.start, head.end), (tail.start, tail.end))
            writer.writerow([head.text, head.kb_id or "", r.type, tail.text, tail.kb_id or "",
                             a.text[start:end], a.id, a.title, a.published,
                             r.updated_by or ""])
            sink.report.rows += 1


EXPORT = ExportFormat("triples", "CSV of relation triples", ".csv", write,
                      "head, type, tail with kb ids; evidence sentence, article, reviewer",
                      relations=True, unit="relation(s)")
