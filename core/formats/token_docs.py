"""Articles as Assay's tokens for the token formats (spaCy, Prodigy, CoNLL).

Tokens are split wherever a span's edge falls inside one (``core.text.tokens.
export_words``), so every entity covers exactly the accepted characters: an export
never widens, narrows or drops a reviewed span. Docs are built from words, not by
running a pipeline, so a text of any length fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from core.errors import AssayError
from core.models import Reviewed, Span
from core.text.tokens import blank_nlp, export_words


def words(rec: Reviewed) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags that rebuild the article's text exactly."""
    text = rec.article.text
    out, spaces = export_words(text, [s.start for s in rec.spans], [s.end for s in rec.spans],
                               rec.tokens)
    if sum(map(len, out)) + sum(spaces) != len(text):  # pragma: no cover - by construction
        raise AssayError(f"article {rec.article.id}: tokens do not rebuild the text; "
                         "nothing was written. Please report this.")
    return out, spaces


def not_on_tokens(rec: Reviewed, s: Span) -> AssayError:  # pragma: no cover - by construction
    return AssayError(f"article {rec.article.id}: {s.label} {s.text!r} [{s.start}, {s.end}) "
                      "is not on token boundaries; nothing was written. Please report this.")


def doc(rec: Reviewed, vocab: Any) -> tuple[Any, list[tuple[Any, Span]]]:
    """The article as a spaCy ``Doc`` of :func:`words`, and each span as its entity."""
    from spacy.tokens import Doc

    ws, spaces = words(rec)
    built = Doc(vocab, words=ws, spaces=spaces)
    pairs = []
    for s in rec.spans:
        ent = built.char_span(s.start, s.end, label=s.label, kb_id=s.kb_id or "",
                              alignment_mode="strict")
        if ent is None:  # pragma: no cover
            raise not_on_tokens(rec, s)
        pairs.append((ent, s))
    return built, pairs


def docs(records: Iterable[Reviewed]) -> Iterator[tuple[Reviewed, Any, list[tuple[Any, Span]]]]:
    vocab = blank_nlp().vocab
    for rec in records:
        built, pairs = doc(rec, vocab)
        yield rec, built, pairs
