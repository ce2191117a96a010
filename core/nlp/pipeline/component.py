"""The spaCy component ``assay_entities`` and its factory: our rules after the model's NER.

Why a module of its own: spaCy rebuilds a pipeline by the factory's name, so the
``@Language.factory`` registration below must run exactly once, when this module is first
imported (``core.nlp.pipeline`` imports it, and ``loading`` before it adds the pipe).
The component gathers the three kinds of candidates (gazetteer matches after rule 1, the
name patterns, the model's entities after hygiene), hands them to the conflict rule and the
alias rule, and maps what is kept to the project's labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from core.nlp.gazetteers import AFTER_PLACE, Alias, load_gazetteer
from core.nlp.name_words import (
    COMPANY_SUFFIXES,
    DEPARTMENT_WORDS,
    EVENT_HEADS,
    LAW_HEADS,
    LOC_HEADS,
    ORG_HEAD_FIRST,
    ORG_HEADS,
    TITLE_WORDS,
)
from core.nlp.patterns import NamePatterns
from core.nlp.pipeline.aliases import defined_terms
from core.nlp.pipeline.candidates import Candidate
from core.nlp.pipeline.cleanup import clean
from core.nlp.pipeline.conflicts import resolve
from core.nlp.pipeline.names import (
    end_at_inner_suffix,
    in_title,
    name_pieces,
    numbers_without_head,
    person_extent,
    suffix_end,
    title_qualifier,
)
from core.nlp.pipeline.numbers import is_percent, money_extent, split_amounts
from core.nlp.pipeline.shapes import (
    HeadlineTagger,
    dateline_dash,
    dateline_places,
    fit_to_shape,
    headline_verbs,
)
from core.nlp.pipeline.styles import restyle
from core.nlp.pipeline.words import (
    COMPOUND_WORDS,
    DEFAULT_LABELS,
    LABEL_MAP,
    NUMERIC_LABELS,
    SHADOW_LABELS,
    YEAR,
)

COMPONENT = "assay_entities"
# A candidate ending in one of these took its label from that last word: in a headline its
# name restarts after a verb instead of ending before it (``shapes.fit_to_shape``).
_HEAD_LAST = LAW_HEADS | EVENT_HEADS | ORG_HEADS | COMPANY_SUFFIXES
# Words that make a headline's span a name whatever else it holds (rule 9's headings).
HEAD_WORDS = _HEAD_LAST | ORG_HEAD_FIRST | LOC_HEADS
# A model PERSON with one of these words left in it after its titles are cut is a body, a
# law, a place or a title, not a person ("Select Committee", "Principal", "Law").
_NOT_IN_PERSON = (_HEAD_LAST | ORG_HEAD_FIRST | LOC_HEADS | TITLE_WORDS | DEPARTMENT_WORDS
                  | {"Committee", "Board", "Panel", "Caucus"}) - {"-"}


class AssayEntities:
    """Gazetteer matching, span hygiene, the conflict rule and the scheme mapping (see package)."""

    def __init__(self, nlp: Language, labels: Sequence[str], gazetteer_dir: str | None) -> None:
        gazetteer = load_gazetteer(gazetteer_dir)
        self.labels = frozenset(labels)
        self.gazetteer_version = gazetteer.version
        self._any_case = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str, str]] = {}  # label, kb_id, context
        self._add(nlp, gazetteer.aliases + gazetteer.guards)
        self._patterns = NamePatterns(nlp)
        self._headlines = HeadlineTagger(nlp)

    def _add(self, nlp: Language, aliases: Sequence[Alias]) -> None:
        groups: dict[tuple[str, str, bool, str], list[str]] = {}
        for alias in aliases:
            text = alias.text if alias.exact else alias.text.lower()
            groups.setdefault((alias.label, alias.kb_id, alias.exact, alias.context),
                              []).append(text)
        for (label, kb_id, exact, context), texts in groups.items():
            key = f"{label}\t{kb_id}\t{context}"
            self._keys[nlp.vocab.strings.add(key)] = (label, kb_id, context)
            matcher = self._exact if exact else self._any_case
            # spaCy types Language.tokenizer as a callable; its Tokenizer has pipe().
            matcher.add(key, list(nlp.tokenizer.pipe(texts)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        self._headlines.tag([doc])
        return self._annotate(doc)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """``nlp.pipe`` calls this: the headlines of a batch are tagged together."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> Iterator[Doc]:
        self._headlines.tag(docs)
        for doc in docs:
            yield self._annotate(doc)

    def _annotate(self, doc: Doc) -> Doc:
        gazetteer = self._gazetteer_spans(doc)
        dash = dateline_dash(doc)
        verbs = headline_verbs(doc)
        patterns: list[Candidate] = []
        numeric: list[Candidate] = []
        for found in self._patterns(doc, verbs or frozenset()):
            start, end = found.start, found.end
            if found.label == "ORG":
                end = suffix_end(doc, end)
            elif found.label == "MONEY":
                start, end = money_extent(doc, start, end)
            elif found.label == "PERSON":
                end = person_extent(doc, end)
            fitted = fit_to_shape(doc, start, end, dash, verbs, doc[end - 1].text in _HEAD_LAST)
            if fitted is None:
                continue
            cand = Candidate(*fitted, found.label, "", "rules")
            (numeric if found.label in NUMERIC_LABELS else patterns).append(cand)
        if dash is not None:
            patterns += [Candidate(s, e, "GPE", "", "rules") for s, e in
                         dateline_places(doc, dash)
                         if not any(p.start == s and p.end == e for p in patterns)]
        model = self._model_spans(doc, dash, verbs)
        # A landform's name the model calls a GPE is a town ("Simi Valley"): the model keeps it.
        towns = {(m.start, m.end) for m in model if m.label == "GPE"}
        patterns = [p for p in patterns if p.label != "LOC" or (p.start, p.end) not in towns]
        # Numeric patterns ("today", "FY2027", "60 per cent") only fill gaps the model left.
        model += [c for c in numeric if not any(m.start < c.end and c.start < m.end
                                                 for m in model)]
        chosen = resolve(doc, gazetteer, patterns, model, verbs is not None)
        chosen = restyle(doc, defined_terms(doc, chosen, gazetteer))
        ents = []
        for cand in sorted(chosen, key=lambda c: c.start):
            label = LABEL_MAP.get(cand.label, cand.label)
            if label in self.labels:
                ents.append(
                    Span(doc, cand.start, cand.end, label=label, kb_id=cand.kb_id,
                         span_id=cand.origin)
                )
        doc.ents = ents
        return doc

    def _gazetteer_spans(self, doc: Doc) -> list[Candidate]:
        """Gazetteer matches after rule 1 (longest wins, guards suppress, legal suffixes)."""
        found = []
        for match_id, start, end in [*self._any_case(doc), *self._exact(doc)]:
            label, kb_id, context = self._keys[match_id]
            if context == AFTER_PLACE and not _after_place(doc, start, end):
                continue
            if label == "ORG":
                end = suffix_end(doc, end)
            if label == "MINERAL" and end < len(doc) and doc[end].lower_ in COMPOUND_WORDS:
                end += 1  # a compound is one span: "NdPr oxide", "lithium sulphate"
            if label == "EVENT":  # an edition: "PDAC 2027", "2026 Mining Indaba", "TICAD 9"
                if end < len(doc) and doc[end].like_num:
                    end += 1
                if start > 0 and YEAR.fullmatch(doc[start - 1].text):
                    start -= 1
            found.append(Candidate(start, end, label, kb_id, "rules"))
        taken = bytearray(len(doc))
        kept = []
        for cand in sorted(found, key=lambda c: (-c.size, c.start)):
            if not any(taken[cand.start : cand.end]):
                taken[cand.start : cand.end] = b"\1" * cand.size
                if cand.label:  # guards have no label
                    kept.append(cand)
        return kept

    def _model_spans(self, doc: Doc, dash: int | None,
                     verbs: frozenset[int] | None) -> list[Candidate]:
        """Model entities after hygiene, keeping only labels that can matter."""
        out = []
        for ent_start, ent_end, label in split_amounts(doc):
            fitted = fit_to_shape(doc, ent_start, ent_end, dash, verbs, False)
            if fitted is None:
                continue
            pieces = [fitted] if label in NUMERIC_LABELS else name_pieces(doc, *fitted)
            for piece_start, piece_end in pieces:
                cand = self._model_span(doc, piece_start, piece_end, label)
                if cand is not None:
                    out.append(cand)
        return out

    def _model_span(self, doc: Doc, ent_start: int, ent_end: int,
                    label: str) -> Candidate | None:
        """One model entity after hygiene, or None if nothing in it is a name to keep."""
        if label == "CARDINAL" and YEAR.fullmatch(doc[ent_start:ent_end].text):
            label = "DATE"
        if LABEL_MAP.get(label, label) not in self.labels and label not in SHADOW_LABELS:
            return None
        cleaned = clean(doc, ent_start, ent_end, label)
        if not cleaned:
            return None
        start, end = cleaned
        if label in ("MONEY", "CARDINAL", "QUANTITY") and is_percent(doc, end):
            label = "PERCENT"
        if label == "MONEY":
            if not any(ch.isdigit() for ch in doc[start:end].text):
                return None  # "a multibillion-dollar investment": no amount is written
            start, end = money_extent(doc, start, end)
        if label == "PERSON":
            end = person_extent(doc, end)
            if any(t.text in _NOT_IN_PERSON for t in doc[start:end]):
                return None
        if label in ("ORG", "GPE") and title_qualifier(doc, start, end):
            return None  # "Energy Secretary", "Commerce Secretary": part of a title
        if label == "ORG" and in_title(doc, start, end):
            return None  # "Minister of [Energy and Mineral Resources]", "Minister of Industry"
        if label in ("LAW", "EVENT") and numbers_without_head(doc, start, end):
            return None  # "HUF 38 billion" as LAW: the model's rare LAW/EVENT guesses
        if label == "ORG":
            end = suffix_end(doc, end_at_inner_suffix(doc, start, end))
        return Candidate(start, end, label)


def _after_place(doc: Doc, start: int, end: int) -> bool:
    """"Mountain Pass, CA": a capitalised word (not a headline's capitals) and a comma before
    the match, and no capitalised word after it ("Reno, NV" but not "Tesla, GM, VW")."""
    if start < 2 or doc[start - 1].text != ",":
        return False
    place = doc[start - 2]
    if not (place.is_alpha and place.text[0].isupper() and not place.is_upper):
        return False
    return end >= len(doc) or not (doc[end].is_alpha and doc[end].text[0].isupper())


@Language.factory(
    COMPONENT,
    default_config={"labels": list(DEFAULT_LABELS), "gazetteer_dir": None},
)
def make_assay_entities(
    nlp: Language, name: str, labels: list[str], gazetteer_dir: str | None
) -> AssayEntities:
    """Registered at import of ``core.nlp.pipeline``, so spaCy's worker processes can rebuild it."""
    return AssayEntities(nlp, labels, gazetteer_dir)
