"""The table of export formats: one row per format module (spaCy's ``cli/convert.py`` has
one like it). Adding a format is a module with an ``EXPORT`` record and a line here."""

from __future__ import annotations

from core.formats import (
    articles_csv,
    assay_jsonl,
    brat,
    claimreview,
    claims_csv,
    conll,
    doccano,
    doccano_relations,
    doccano_topics,
    entities_csv,
    facts_csv,
    label_studio,
    prodigy,
    spacy_docbin,
    triples_csv,
    versions_jsonl,
)
from core.formats.base import ExportFormat

EXPORTS: dict[str, ExportFormat] = {f.name: f for f in (
    assay_jsonl.EXPORT,
    spacy_docbin.EXPORT,
    prodigy.EXPORT,
    doccano.EXPORT,
    doccano_relations.EXPORT,
    doccano_topics.EXPORT,
    conll.EXPORT,
    label_studio.EXPORT,
    brat.EXPORT,
    entities_csv.EXPORT,
    articles_csv.EXPORT,
    claims_csv.EXPORT,
    claimreview.EXPORT,
    facts_csv.EXPORT,
    triples_csv.EXPORT,
    versions_jsonl.EXPORT,
)}
FORMATS: tuple[str, ...] = tuple(EXPORTS)


def default_suffix(fmt: str) -> str:
    """The usual file suffix of a format (``.jsonl``, ``.spacy``, …)."""
    return EXPORTS[fmt].suffix
