"""Write reviewed articles out: Assay, spaCy, Prodigy, doccano, CoNLL, CSV, claims, facts.

Three rules hold for every format:

* Only articles matching the filter (approved ones by default) and only spans
  whose state is ``accepted`` are written.
* Every exported span is checked against its text before anything is written
  (inside the text, quoting it exactly, no overlaps); one bad span refuses the
  whole export with an :class:`AssayError` listing the bad ones.
* Files are written under a temporary ``.partial`` name in the destination
  folder and renamed at the end, so a cancel, a crash or an error never leaves
  a half-written file under the final name.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from core.errors import AssayError
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Article, Claim, Span
from core.nlp.linking import Linker, country_of
from core.store import ArticleFilter, Project
from core.store.claims import claim_payload
from core.store.files import check_destination
from core.text.sentences import SentenceIndex, sentence_bounds
from core.text.tokens import export_words

FORMATS = ("assay", "spacy", "prodigy", "doccano", "conll", "csv", "claims", "facts")
SUFFIXES = {"assay": ".jsonl", "spacy": ".spacy", "prodigy": ".jsonl", "doccano": ".jsonl",
            "conll": ".conll", "csv": ".csv", "claims": ".csv", "facts": ".csv"}
CSV_COLUMNS = ("article_id", "title", "start", "end", "text", "label", "kb_id", "kb_name")
CLAIM_COLUMNS = ("article_id", "title", "start", "end", "text", "verdict", "evidence_url",
                 "note", "origin", "reviewer", "updated_at")
FACT_COLUMNS = ("article_id", "title", "sentence_start", "sentence_end", "sentence",
                "country", "country_label", "country_id", "place_id", "mineral", "mineral_id")
COUNTRY_LABELS = ("GPE", "NORP")
# Formats that carry claims (only accepted claims are exported).
WITH_CLAIMS = ("assay", "claims")
# Formats written from Assay's tokens (core.text.tokens), split at every span edge.
TOKEN_FORMATS = ("spacy", "prodigy", "conll")
DOCSTART = "-DOCSTART- -X- O O"  # what spacy convert's CoNLL reader splits documents on
# How many bad spans an error message lists before "and N more".
MAX_LISTED = 20

Progress = Callable[[int, int], None]


@dataclass
class ExportReport:
    """What one :func:`export` call wrote."""

    articles: int = 0
    spans: int = 0
    files: list[Path] = field(default_factory=list)
    cancelled: bool = False
    fmt: str = ""
    rows: int = 0  # rows of the claims and facts CSVs

    def summary(self) -> str:
        """What was written, in the unit of the format: "8 article(s), 12 claim(s)"."""
        unit = {"claims": "claim(s)", "facts": "fact row(s)"}.get(self.fmt)
        counted = f"{self.rows} {unit}" if unit else f"{self.spans} entities"
        return f"{self.articles} article(s), {counted}"


@dataclass(frozen=True)
class _Record:
    article: Article
    spans: list[Span]
    claims: list[Claim]
    tokens: list[tuple[int, int]] | None = None  # stored by pre-annotation, for token formats


class _Cancelled(Exception):
    pass


# --------------------------------------------------------------------------- public API


def export(
    project: Project,
    fmt: str,
    dest: str | Path,
    *,
    flt: ArticleFilter | None = None,
    labels: Iterable[str] | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    split: float | None = None,
    seed: int = 0,
) -> ExportReport:
    """Export the articles matching ``flt`` (default: approved) to ``dest`` in format ``fmt``.

    ``labels`` keeps only entities with those labels. ``split`` (spaCy only) is
    the share of articles written to ``<stem>-train.spacy``; the rest, chosen
    by a seeded shuffle, go to ``<stem>-dev.spacy``.
    """
    if fmt not in FORMATS:
        raise AssayError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if split is not None:
        if fmt != "spacy":
            raise AssayError("A train/dev split is only available for the spaCy format.")
        if not 0.0 < split < 1.0:
            raise AssayError(f"The split must be between 0 and 1 (got {split}).")
    dest = Path(dest)
    targets = [check_destination(t, [project.path]) for t in _targets(dest, fmt, split)]
    keep = set(labels) if labels else None
    if keep is not None:
        unknown = sorted(keep - project.label_names())
        if unknown:
            raise AssayError("Unknown label(s): " + ", ".join(unknown))
    flt = flt if flt is not None else ArticleFilter(status="approved")
    ids = project.article_ids(flt)
    cancelled = should_cancel or (lambda: False)

    def records() -> Iterator[_Record]:
        for article_id in ids:
            if cancelled():
                raise _Cancelled
            article = project.article(article_id)
            spans = _accepted_spans(project, article_id, keep)
            claims = (project.claims(article_id, states=("accepted",))
                      if fmt in WITH_CLAIMS else [])
            tokens = project.tokens(article_id) if fmt in TOKEN_FORMATS else None
            yield _Record(article, spans, claims, tokens)

    report = ExportReport(fmt=fmt)
    try:
        _validate(records(), spaces_allowed=fmt != "conll")
    except _Cancelled:
        report.cancelled = True
        return report
    temps = [t.with_name(t.name + ".partial") for t in targets]
    total = len(ids)

    def tracked() -> Iterator[_Record]:
        if progress:
            progress(0, total)
        for done, record in enumerate(records(), 1):
            yield record
            report.articles += 1
            report.spans += len(record.spans)
            if progress:
                progress(done, total)

    try:
        targets[0].parent.mkdir(parents=True, exist_ok=True)
        if fmt == "spacy":
            _write_spacy(tracked(), temps, total, split, seed, report)
        else:
            with temps[0].open("w", encoding="utf-8", newline="") as fh:
                write = _TEXT_WRITERS[fmt]
                if fmt == "csv":
                    write = partial(_write_csv, linker=project.linker())
                write(tracked(), fh, report)
                fh.flush()
                os.fsync(fh.fileno())
    except _Cancelled:
        _remove(temps)
        return ExportReport(cancelled=True)
    except OSError as exc:
        _remove(temps)
        raise AssayError(f"Cannot write {dest}: {exc.strerror or exc}. Nothing was "
                         "written.") from exc
    except BaseException:
        _remove(temps)
        raise
    for temp, target in zip(temps, targets, strict=True):
        os.replace(temp, target)
    report.files = targets
    return report


def default_suffix(fmt: str) -> str:
    """The usual file suffix of a format (``.jsonl``, ``.spacy``, …)."""
    return SUFFIXES[fmt]


# --------------------------------------------------------------------------- checks


def _validate(records: Iterable[_Record], spaces_allowed: bool = True) -> None:
    """Refuse the export if any span does not fit its text or overlaps another.

    CoNLL writes no space tokens, so there a span that begins or ends with a space
    (possible only in imported data: the window snaps to tokens) is refused too
    rather than narrowed."""
    problems: list[str] = []
    for record in records:
        text = record.article.text
        where = f"article {record.article.id}"
        previous: Span | None = None
        for span in sorted(record.spans, key=lambda s: (s.start, s.end)):
            desc = f"{where}, span {span.id} {span.label} [{span.start}, {span.end})"
            if not 0 <= span.start < span.end <= len(text):
                problems.append(f"{desc} does not fit the text (length {len(text)})")
            elif text[span.start:span.end] != span.text:
                problems.append(f"{desc} says {span.text!r} but the text there is "
                                f"{text[span.start:span.end]!r}")
            elif not spaces_allowed and span.text != span.text.strip():
                problems.append(f"{desc} begins or ends with a space, which CoNLL (it has no "
                                "space tokens) cannot hold")
            if previous is not None and span.start < previous.end:
                problems.append(f"{desc} overlaps span {previous.id} {previous.label} "
                                f"[{previous.start}, {previous.end})")
            if previous is None or span.end > previous.end:
                previous = span
        for claim in record.claims:
            if not 0 <= claim.start < claim.end <= len(text):
                problems.append(f"{where}, claim {claim.id} [{claim.start}, {claim.end}) does "
                                f"not fit the text (length {len(text)})")
    if problems:
        listed = problems[:MAX_LISTED]
        more = len(problems) - len(listed)
        message = (f"Export refused: {len(problems)} span(s) do not fit their text or this "
                   "format; nothing was written.\n  " + "\n  ".join(listed))
        if more:
            message += f"\n  … and {more} more"
        raise AssayError(message)


_SPANS_SQL = (
    'SELECT id, article_id, start, "end", label, text, origin, state, kb_id, updated_by, '
    "updated_at FROM spans WHERE article_id = ? AND state = 'accepted' "
    'ORDER BY start, "end", id'
)


def _accepted_spans(project: Project, article_id: int, keep: set[str] | None) -> list[Span]:
    """Accepted spans of one article (a direct query: ``Project.spans`` is slower per row)."""
    rows = project.conn.execute(_SPANS_SQL, (article_id,)).fetchall()
    return [Span(*row) for row in rows if keep is None or row[4] in keep]


def _targets(dest: Path, fmt: str, split: float | None) -> list[Path]:
    if fmt == "spacy" and split is not None:
        suffix = dest.suffix or ".spacy"
        return [dest.with_name(f"{dest.stem}-train{suffix}"),
                dest.with_name(f"{dest.stem}-dev{suffix}")]
    return [dest]


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink()


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- JSONL and CSV


def _write_assay(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    for rec in records:
        a = rec.article
        fh.write(_dump({
            "id": a.id, "text": a.text, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published, "status": a.status, "reviewed_by": a.reviewed_by,
            "reviewed_at": a.reviewed_at, "note": a.note,
            "spans": [{"start": s.start, "end": s.end, "label": s.label, "text": s.text,
                       "origin": s.origin, "state": s.state, "kb_id": s.kb_id}
                      for s in rec.spans],
            "claims": [claim_payload(c, a.text) for c in rec.claims],
        }))


def _write_doccano(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    """doccano's sequence-labelling JSONL; the other keys are kept by doccano's importer as
    the example's ``meta``, so records exported from doccano can be joined back by id."""
    for rec in records:
        a = rec.article
        fh.write(_dump({"text": a.text, "label": [[s.start, s.end, s.label] for s in rec.spans],
                        "article_id": a.id, "title": a.title, "source": a.source,
                        "url": a.url, "published": a.published}))


def _write_csv(records: Iterable[_Record], fh: TextIO, report: ExportReport,
               linker: Linker | None = None) -> None:
    """One row per entity, with its link and the linked entry's name (so a project's own
    ids, which live only in its file, can still be read)."""
    writer = SpreadsheetWriter(fh)
    writer.writerow(CSV_COLUMNS)
    for rec in records:
        a = rec.article
        for s in rec.spans:
            entry = linker.entry(s.label, s.kb_id) if linker and s.kb_id else None
            writer.writerow([a.id, a.title, s.start, s.end, s.text, s.label, s.kb_id or "",
                             entry.name if entry else ""])


def _write_claims(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    """One row per accepted claim, with its verdict and evidence: the fact-check log."""
    writer = SpreadsheetWriter(fh)
    writer.writerow(CLAIM_COLUMNS)
    for rec in records:
        a = rec.article
        for c in rec.claims:
            writer.writerow([a.id, a.title, c.start, c.end, a.text[c.start:c.end], c.verdict,
                             c.evidence_url, c.note, c.origin, c.updated_by or "",
                             c.updated_at or ""])
            report.rows += 1


def _write_facts(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    """Each sentence's co-mentioned (country, mineral) pairs, with their ids.

    The raw material of a supply-chain graph: "Indonesia … nickel" in one
    sentence. A GPE/NORP entity counts when it is linked to an ISO 3166 code:
    a country (``IDN``) or a province or state (``CD-LU``, whose country ``COD``
    is written as ``country_id`` and the province as ``place_id``). An unlinked
    place (a city such as "Kolwezi") would be a row nobody can join on and is
    left out. A pair is written once per sentence (by id, or by text for an
    unlinked mineral); spans that cross a sentence boundary are not paired.
    """
    writer = SpreadsheetWriter(fh)
    writer.writerow(FACT_COLUMNS)
    for rec in records:
        a = rec.article
        index = SentenceIndex(a.text)
        by_sentence: dict[int, tuple[list[Span], list[Span]]] = {}
        for s in rec.spans:
            if s.label != "MINERAL" and not (s.label in COUNTRY_LABELS and country_of(s.kb_id)):
                continue
            i = index.index_of(s.start, s.end)
            if i is not None:
                slot = by_sentence.setdefault(i, ([], []))
                slot[1 if s.label == "MINERAL" else 0].append(s)
        for i in sorted(by_sentence):
            countries, minerals = by_sentence[i]
            start, end = index.bounds[i]
            seen: set[tuple[str, str]] = set()
            for c in countries:
                for m in minerals:
                    key = (c.kb_id or c.text, m.kb_id or m.text)
                    if key in seen:
                        continue
                    seen.add(key)
                    writer.writerow([a.id, a.title, start, end, a.text[start:end], c.text,
                                     c.label, country_of(c.kb_id), c.kb_id, m.text,
                                     m.kb_id or ""])
                    report.rows += 1


# --------------------------------------------------------------------------- token formats


def _vocab() -> Any:
    from core.text.tokens import blank_nlp

    return blank_nlp().vocab


def _words(rec: _Record) -> tuple[list[str], list[bool]]:
    """Assay's tokens of the article, split wherever a span's edge falls inside one
    (``core.text.tokens.export_words``): every entity covers exactly the accepted characters,
    so an export never widens, narrows or drops a reviewed span."""
    text = rec.article.text
    words, spaces = export_words(text, [s.start for s in rec.spans], [s.end for s in rec.spans],
                                 rec.tokens)
    if sum(map(len, words)) + sum(spaces) != len(text):  # pragma: no cover - by construction
        raise AssayError(f"article {rec.article.id}: tokens do not rebuild the text; "
                         "nothing was written. Please report this.")
    return words, spaces


def _not_on_tokens(rec: _Record, s: Span) -> AssayError:  # pragma: no cover - by construction
    return AssayError(f"article {rec.article.id}: {s.label} {s.text!r} [{s.start}, {s.end}) "
                      "is not on token boundaries; nothing was written. Please report this.")


def _doc(rec: _Record, vocab: Any) -> tuple[Any, list[tuple[Any, Span]]]:
    """The article as a spaCy ``Doc`` of :func:`_words`, and each span as its entity. The
    doc is built from words, not by running a pipeline, so a text of any length fits."""
    from spacy.tokens import Doc

    words, spaces = _words(rec)
    doc = Doc(vocab, words=words, spaces=spaces)
    pairs = []
    for s in rec.spans:
        ent = doc.char_span(s.start, s.end, label=s.label, kb_id=s.kb_id or "",
                            alignment_mode="strict")
        if ent is None:  # pragma: no cover
            raise _not_on_tokens(rec, s)
        pairs.append((ent, s))
    return doc, pairs


def _docs(records: Iterable[_Record]) -> Iterator[tuple[_Record, Any, list[tuple[Any, Span]]]]:
    vocab = _vocab()
    for rec in records:
        doc, pairs = _doc(rec, vocab)
        yield rec, doc, pairs


def prodigy_hashes(text: str, spans: list[dict[str, Any]]) -> tuple[int, int]:
    """``_input_hash`` and ``_task_hash`` as Prodigy makes them: a 32-bit MurmurHash of the
    input (the text) and of the input hash with the task (the spans). Equal texts get
    equal input hashes, which is how Prodigy's ``review`` and agreement group them."""
    from murmurhash.mrmr import hash as murmur

    input_hash = murmur(json.dumps({"text": text}, sort_keys=True))
    task = [{"start": sp["start"], "end": sp["end"], "label": sp["label"]} for sp in spans]
    task_hash = murmur(json.dumps({"input_hash": input_hash, "spans": task}, sort_keys=True))
    return input_hash, task_hash


def _write_prodigy(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    """Prodigy's ``ner_manual`` records: tokens with offsets, spans with inclusive token
    ends. Built from :func:`_words` directly (no spaCy ``Doc`` needed)."""
    for rec in records:
        a = rec.article
        words, spaces = _words(rec)
        tokens = []
        first_of: dict[int, int] = {}
        last_of: dict[int, int] = {}
        position = 0
        for i, (word, space) in enumerate(zip(words, spaces, strict=True)):
            end = position + len(word)
            tokens.append({"text": word, "start": position, "end": end, "id": i, "ws": space})
            first_of[position] = i
            last_of[end] = i
            position = end + space
        spans = []
        for s in rec.spans:
            if s.start not in first_of or s.end not in last_of:  # pragma: no cover
                raise _not_on_tokens(rec, s)
            item = {"start": s.start, "end": s.end, "text": s.text, "label": s.label,
                    "token_start": first_of[s.start], "token_end": last_of[s.end]}
            if s.kb_id:
                item["kb_id"] = s.kb_id
            spans.append(item)
        input_hash, task_hash = prodigy_hashes(a.text, spans)
        fh.write(_dump({
            "text": a.text, "tokens": tokens, "spans": spans, "answer": "accept",
            "_input_hash": input_hash, "_task_hash": task_hash,
            "meta": {"article_id": a.id, "title": a.title, "source": a.source,
                     "url": a.url, "published": a.published},
        }))


def _write_conll(records: Iterable[_Record], fh: TextIO, report: ExportReport) -> None:
    """CoNLL-2003 style: ``token TAG`` (IOB2), a blank line after each sentence, and
    ``-DOCSTART- -X- O O`` before each article (spaCy's converter splits documents there).

    Sentences are ``core.text.sentences``' (the splitter claims use); a line break always
    ends one. A sentence never ends inside an entity. Space tokens are not written.
    """
    for rec, doc, pairs in _docs(records):
        tags = ["O"] * len(doc)
        for ent, _s in pairs:
            tags[ent.start] = f"B-{ent.label_}"
            for i in range(ent.start + 1, ent.end):
                tags[i] = f"I-{ent.label_}"
        sentence_starts = {start for start, _end in sentence_bounds(rec.article.text)}
        fh.write(DOCSTART + "\n\n")
        sentence: list[str] = []
        for tok, tag in zip(doc, tags, strict=True):
            inside = tag.startswith("I-")
            if tok.is_space:
                if "\n" in tok.text and not inside and sentence:
                    fh.write("\n".join(sentence) + "\n\n")
                    sentence = []
                continue
            if tok.idx in sentence_starts and not inside and sentence:
                fh.write("\n".join(sentence) + "\n\n")
                sentence = []
            sentence.append(f"{tok.text} {tag}")
        if sentence:
            fh.write("\n".join(sentence) + "\n\n")


def _write_spacy(records: Iterable[_Record], temps: list[Path], total: int,
                 split: float | None, seed: int, report: ExportReport) -> None:
    from spacy.tokens import DocBin

    train = DocBin(store_user_data=False)
    dev = DocBin(store_user_data=False)
    in_dev: set[int] = set()
    if split is not None:
        order = list(range(total))
        random.Random(seed).shuffle(order)
        n_train = round(total * split)
        if total >= 2:
            n_train = min(max(n_train, 1), total - 1)
        in_dev = set(order[n_train:])
    for index, (_rec, doc, pairs) in enumerate(_docs(records)):
        doc.set_ents([ent for ent, _s in pairs])
        (dev if index in in_dev else train).add(doc)
    train.to_disk(temps[0])
    if split is not None:
        dev.to_disk(temps[1])


_TEXT_WRITERS: dict[str, Callable[[Iterable[_Record], TextIO, ExportReport], None]] = {
    "assay": _write_assay,
    "prodigy": _write_prodigy,
    "doccano": _write_doccano,
    "conll": _write_conll,
    "csv": _write_csv,
    "claims": _write_claims,
    "facts": _write_facts,
}
