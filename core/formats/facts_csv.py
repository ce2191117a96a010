"""A CSV of facts: each sentence's co-mentioned (country, mineral) pairs, with their ids.

The raw material of a supply-chain graph: "Indonesia … nickel" in one sentence. What
counts as a fact is ``core.nlp.facts``' rule; a province's country is written as
``country_id`` and the province as ``place_id``.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed
from core.nlp.facts import facts

COLUMNS = ("article_id", "title", "sentence_start", "sentence_end", "sentence",
           "country", "country_label", "country_id", "place_id", "mineral", "mineral_id")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    for rec in records:
        a = rec.article
        for f in facts(a.text, rec.spans):
            c, m = f.country, f.mineral
            writer.writerow([a.id, a.title, f.start, f.end, a.text[f.start:f.end], c.text,
                             c.label, f.country_id, c.kb_id, m.text, m.kb_id or ""])
            sink.report.rows += 1


EXPORT = ExportFormat("facts", "CSV of facts (country × mineral)", ".csv", write,
                      "per sentence, every co-mentioned country and mineral with their ids",
                      unit="fact row(s)")
