"""The alias rule (rule 6 of the conflict rule): names a text defines, labelled throughout it.

"Critical Raw Materials Act (CRMA)", 'Vireo Battery Materials GmbH ("Vireo")', "Perpetua"
for "Perpetua Resources Corp.", "Chalmers" for "Jim Chalmers". Two halves: per segment,
``defined_terms`` finds the definitions as the component runs and keeps them in
``doc.user_data``; per text, ``propagate_aliases`` gives every other exact mention their
label. It is the one rule that looks across segments (separate Docs), which is why it is
apart from the component and from the conflict rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from core.nlp.name_words import COMPANY_DESCRIPTORS, COMPANY_SUFFIXES, POST_NOMINALS, TITLE_WORDS
from core.nlp.pipeline.candidates import Candidate
from core.nlp.pipeline.words import NAME_LABELS_FOR_ALIASES, STOPLIST

ALIASES_KEY = "assay_aliases"


def defined_terms(doc: Doc, chosen: list[Candidate], gazetteer: list[Candidate]) -> list[Candidate]:
    """Rule 6: a short name in brackets right after a name is the same kind of name.

    "Critical Raw Materials Act (CRMA)", "Vireo Battery Materials GmbH ("Vireo")": the
    bracketed name gets the label of the name before it (as a separate span, label
    guide), replacing whatever the model said there, and is remembered in
    ``doc.user_data`` so that ``Annotator.annotate`` can label its other mentions in the
    same text.
    """
    aliases: dict[str, str] = doc.user_data.setdefault(ALIASES_KEY, {})
    listed = bytearray(len(doc))
    for g in gazetteer:
        listed[g.start : g.end] = b"\1" * g.size
    for cand in chosen:
        short = _short_company_name(doc, cand, listed)
        if short:
            aliases.setdefault(short, "ORG")
        surname = _surname(doc, cand, listed)
        if surname:
            aliases.setdefault(surname, "PERSON")
    out = list(chosen)
    for cand in chosen:
        if cand.label not in NAME_LABELS_FOR_ALIASES:
            continue
        inner = _bracketed_name(doc, cand.end)
        if inner is None:
            continue
        start, end = inner
        text = doc[start:end].text
        if text.casefold() in STOPLIST:
            continue
        rival = [c for c in out if c.start < end and start < c.end]
        if any((c.start, c.end) != (start, end) for c in rival):
            continue
        aliases[text] = cand.label
        if rival and rival[0].label == cand.label:
            continue  # already right ("MSP" from the gazetteer keeps its id)
        out = [c for c in out if c not in rival]
        out.append(Candidate(start, end, cand.label, cand.kb_id, "rules"))
    return out


def _short_company_name(doc: Doc, cand: Candidate, listed: bytearray) -> str | None:
    """"Perpetua" for "Perpetua Resources Corp.": the words of a company name with a legal
    suffix before its first descriptor ("Resources", a mineral), if none is in a gazetteer."""
    if cand.label != "ORG" or cand.size < 3 or doc[cand.end - 1].text not in COMPANY_SUFFIXES:
        return None
    stop = cand.start
    while stop < cand.end and doc[stop].text not in COMPANY_DESCRIPTORS and \
            doc[stop].text not in COMPANY_SUFFIXES and not listed[stop]:
        stop += 1
    if stop == cand.start or stop == cand.end or any(listed[cand.start : stop]):
        return None
    if doc[stop].text in COMPANY_SUFFIXES:
        return None  # nothing dropped but the suffix: "Acme Corp." is not "Acme" for sure
    words = doc[cand.start : stop]
    if not all(t.text[:1].isupper() and t.is_alpha for t in words) or len(words.text) < 3:
        return None
    return words.text


def _surname(doc: Doc, cand: Candidate, listed: bytearray) -> str | None:
    """"Chalmers" for "Jim Chalmers": the last word of a PERSON of two to four words, if it is
    a capitalised word of three letters or more that no gazetteer lists there (rule 6)."""
    if cand.label != "PERSON" or not 2 <= cand.size <= 4:
        return None
    last = doc[cand.end - 1]
    if listed[cand.end - 1] or not last.is_alpha or not last.is_title or len(last.text) < 3:
        return None
    if last.text in TITLE_WORDS or last.text in POST_NOMINALS:
        return None
    return last.text


def _bracketed_name(doc: Doc, end: int) -> tuple[int, int] | None:
    """The name in '(X)' or '("X")' right after token ``end`` (up to four words), if any."""
    if end >= len(doc) or doc[end].text != "(":
        return None
    i = end + 1
    quotes = {'"', "“", "”", "'", "‘", "’"}
    if i < len(doc) and doc[i].text in quotes:
        i += 1
    start = i
    while i < len(doc) and i - start < 4 and not doc[i].is_punct and doc[i].text[:1].isupper():
        i += 1
    stop = i
    if stop == start:
        return None
    if i < len(doc) and doc[i].text in quotes:
        i += 1
    if i >= len(doc) or doc[i].text not in (")", "or", ","):
        return None
    return start, stop


def propagate_aliases(docs: Sequence[Doc]) -> None:
    """Rule 6 across one text: a name defined in brackets ("CRMA", "Vireo") gets its label
    wherever else the text writes it exactly, unless a different span covers that place."""
    aliases: dict[str, str] = {}
    for doc in docs:
        aliases.update(doc.user_data.get(ALIASES_KEY, {}))
    if not aliases:
        return
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for text in aliases:
        words = tuple(text.split())
        by_first.setdefault(words[0], []).append(words)
    for doc in docs:
        ents = list(doc.ents)
        changed = False
        for i, token in enumerate(doc):
            for words in by_first.get(token.text, ()):
                end = i + len(words)
                if end > len(doc) or tuple(t.text for t in doc[i:end]) != words:
                    continue
                label = aliases[" ".join(words)]
                rivals = [e for e in ents if e.start < end and i < e.end]
                if any((e.start, e.end) != (i, end) for e in rivals):
                    continue
                if rivals and rivals[0].label_ == label:
                    continue
                if label == "PERSON" and rivals and rivals[0].kb_id_:
                    continue  # a surname never overrides a listed name ("Perth", "Ford")
                ents = [e for e in ents if e not in rivals]
                ents.append(Span(doc, i, end, label=label, span_id="rules"))
                changed = True
        if changed:
            doc.ents = sorted(ents, key=lambda e: e.start)
