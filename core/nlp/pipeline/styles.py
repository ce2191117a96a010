"""Real-news styles (#28): rules applied to the spans the conflict rule chose.

Why a pass of its own, after ``conflicts.resolve`` and the alias rule: each rule here names
a shape of text that wire news, agency and company releases write and our own gold rarely
did, and needs to see the chosen spans, not the competing candidates. Each is one function;
``restyle`` runs them in order. The rules (rule 14 of ``conflicts``' docstring):

a. Stock listings: "(NYSE American: SGLI; TSX: SGL)" — the exchange is ORG, the ticker is
   no span (a listing's shape: an opening bracket or ";", capitalised words, ":", a
   ticker in capitals).
b. A section reference alone ("Section 232", "Part 2") is no LAW, unless a list names it
   (``programmes.tsv`` lists "Title III" as LAW on purpose; the gold sets leave it unmarked).
c. A place span across a comma is two places ("WASHINGTON, D.C." -> "WASHINGTON", "D.C.").
d. A body after a name is no part of it: "… Board of Directors", "… Supervisors"; the
   body alone ("Board of Directors") is no span, and "Board of X Ltd." is "X Ltd.". In a
   title-case headline, an ORG ends before a release verb ("Department of Defense Awards
   …"); a county left over is GPE.
e. A name ending in a landform word ("Range", "Mesa", "Flat", "Bluff", "Reservoir",
   "Alps") or "Mount X" is LOC, also when no one found it; a town the model found keeps
   GPE unless "the" stands before it ("the Red Bluff copper project").
f. A PERSON ending in a company's trade word ("Saguaro Copper", "Halvorsen Materials") is ORG.
g. A one-word name followed by "'s" and the common name of a plant or animal
   ("Tiehm's buckwheat", "Sneed's pincushion cactus") is no span.
h. A leading article "A"/"An" is not part of an ORG ("A Congressional Research Service").
i. Bill and resolution numbers ("H.Res. 880", "H.J.Res. 141", "S.B. 12") are LAW.
j. A wire credit in brackets that ends a dateline ("(Meridian Wire) —") is ORG.
k. A reference number in brackets ("(R47982)", a contract or docket number) is no span.
l. A place before an organisation's head word is that organisation ("Benguela Railway",
   "San Manuel High School").
m. Two names joined by a hyphen and followed by title-case words that end in an agreement's
   or a body's head word are one LAW or ORG ("U.S.-Japan Strategic Stockpile Arrangement",
   "EU-Zambia Memorandum of Understanding on …"); a bare pair stays two places.
n. No name: a facility ("the Ridgeline Works"), a report title ("… Outlook", "…
   Summaries"), a document type ("Record of Decision"), a professional designation
   ("P.Geo."), a PERSON made of job words ("Principal Geologist"), a title after a name
   (", Assistant Secretary of Defense for …"); "the journal [Economic Geology]".
o. A one-word name before "fair", "expo", "conference" is an EVENT ("the Marmomac fair");
   after "the town of" it is a GPE.
p. "heavy"/"light" stay outside a mineral; a price takes "per square foot", "per carat".
q. A numbered instrument with any head word is LAW ("Announcement No. 46 of 2024").
r. A one-word model PERSON is no person unless a title stands before it or a verb of
   speech after it ("Senator Orvath", "Orvath said"): alone, the model's one-word persons
   are mostly places, companies and products ("from Denizli and Afyon", "reach Oracle");
   a surname the text defined with a full name is labelled again by the alias rule (6).
s. A one-word model ORG no list knows, after "from", "at", "near" or "reach" or before
   "pit", "quarry", "deposit", "prospect" or "project", is a place or a site, not an
   organisation ("emeralds from Muzo", "the Dragon pit"); it is dropped.
u. A company release's heading "About Orvath Metals" is one ORG after "About".
Also: a committee or court takes its subject ("Select Committee on the …", "Court of
Appeals for the Ninth Circuit"; not across a date), "the Select Committee" alone is a
back-reference, a company name does not take "of Place" after its legal suffix, and a law
takes "Fiscal Year 2028" or an instrument's number ("43-101").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from core.nlp.name_words import COMPANY_SUFFIXES, MONTHS_DAYS, TITLE_WORDS
from core.nlp.pipeline.candidates import Candidate
from core.nlp.pipeline.shapes import dateline_dash, is_headline


def _words(text: str) -> frozenset[str]:
    """A word table written as one string."""
    return frozenset(text.split())


# (d) Bodies of an organisation that follow its name and are not part of it.
_BODIES = (("Board", "of", "Directors"), ("Board", "of", "Trustees"), ("Supervisors",),
           ("Shareholders",), ("Trustees",), ("Commissioners",))
# (d) Verbs of release headlines, title-cased (organisation + verb + object).
_RELEASE_VERBS = _words(
    "Announces Announce Awards Award Approves Approve Secures Secure Signs Sign Launches "
    "Launch Introduces Introduce Maps Says Say Backs Back Increases Completes Receives "
    "Reports Expands Opens Selects Invests Releases Issues Welcomes Urges Unveils Names "
    "Appoints Acquires Closes Wins Adds Begins Starts Commits Boosts Raises Files Enters "
    "Extends Finalizes Finalises Confirms Joins Agrees Submits Delivers Provides Supports "
    "Grants Invites Calls Seeks Targets Plans Tightens Tighten Slips Gains Rises Falls "
    "Votes Vote Passes Pass Rejects Reject Restricts Bans Ban Halts Suspends Resumes"
)
# (e) Last words of a landform's name (USGS GNIS feature classes, spelt as names use them).
_LANDFORMS = _words(
    "Range Mesa Flat Flats Bluff Bluffs Ridge Reservoir Alps Butte Buttes Canyon Peak Peaks "
    "Hills Gulch Wash Cliffs Plains"
)
# (f) Trade words that end a company's short name.
_TRADE_WORDS = _words(
    "Metals Materials Mining Minerals Resources Copper Lithium Nickel Cobalt Graphite Gold "
    "Silver Uranium Holdings Industries Exploration Refining Chemicals Battery"
)
# (g) Common names of plant and animal groups that take a person's name ("Tiehm's buckwheat").
_ORGANISMS = _words(
    "buckwheat milkvetch cactus pincushion penstemon beardtongue phlox daisy lily sedge "
    "paintbrush primrose poppy fleabane sagebrush frog toad salamander snail pupfish chub "
    "dace sucker trout warbler sparrow vireo thrasher owl bat squirrel chipmunk vole "
    "beetle butterfly moth bee"
)
_NOT_IN_LANDFORM = _RELEASE_VERBS | {"The", "A", "An", "In", "On", "At", "Near", "From"}
# (l) Head words that make a place before them part of an organisation's name.
_ORG_AFTER_PLACE = _words(
    "Railway Railways School District Alliance Company Council University College"
)
# (m) Last words of an agreement or a body named across a hyphen ("U.S.-Japan … Agreement").
_HYPHEN_HEADS = {"Arrangement": "LAW", "Agreement": "LAW", "Accord": "LAW", "Pact": "LAW",
                 "Understanding": "LAW", "Memorandum": "LAW", "Treaty": "LAW", "Dialogue": "LAW",
                 "Framework": "LAW", "Company": "ORG", "Authority": "ORG", "Corporation": "ORG",
                 "Commission": "ORG", "Council": "ORG", "Railway": "ORG", "Bank": "ORG"}
_SMALL = frozenset({"of", "on", "and", "for", "the", "in"})
_COMMITTEE_WORDS = frozenset({"Select", "Committee", "Subcommittee", "Special", "Joint",
                              "Standing"})
# (f) Last words of a town's name ("Alice Springs").
_TOWN_WORDS = _words("Springs City Falls Beach Harbor Harbour Heights")
# (k) A reference number in brackets: letters and digits in one token ("R47982").
_REFERENCE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Z0-9][A-Za-z0-9-]{4,}")
# (n) What a span that is not a name ends in: a facility ("the Ridgeline Works"), a report
# ("Mineral Commodity Summaries"), a document type ("Record of Decision").
_NOT_NAME_LAST = _words("Works Summaries Outlook Yearbook Handbook")
_DOCUMENT_TYPES = frozenset({("Record", "of", "Decision"), ("Notice", "of", "Intent"),
                             ("Plan", "of", "Operations"), ("Environmental", "Impact",
                                                            "Statement")})
# (n) Words that name a kind of publication before its title ("the journal Economic Geology").
_PUBLICATION_WORDS = _words("journal newspaper magazine daily weekly")
# (n) Job words a model PERSON is sometimes made of ("Principal Geologist").
_JOB_WORDS = _words("Geologist Engineer Geophysicist Metallurgist Analyst Economist")
# (o) Lower-case words after a one-word name that make it an event ("the Marmomac fair").
_EVENT_NOUNS = _words("fair expo exhibition conference summit congress")
# (p) Qualifiers before a mineral that stay outside it ("heavy [rare earths]").
_MINERAL_QUALIFIERS = _words("heavy light")
# (p) Area and weight units a price may be given in, after "per" or "a".
_PRICE_TAILS = (("square", "foot"), ("square", "metre"), ("square", "meter"), ("carat",),
                ("ounce",), ("pound",), ("kilogram",), ("kg",))
# (q) Numbered instruments whose head word no list knows ("Announcement No. 46 of 2024").
_NUMBERED = re.compile(r"\b[A-Z][a-z]+ No\. ?\d+ of (?:19|20)\d\d\b")
# (q) A professional designation after a name ("P.Geo.", "P.Eng.").
_DESIGNATION = re.compile(r"P\.\s?(?:Geo|Eng)\.?")
# (s) Words around a one-word name that make it a place or a site, not an organisation.
_SITE_BEFORE = _words("from at near reach")
_SITE_AFTER = _words("pit quarry deposit prospect project")
# (r) Verbs of speech after a surname that make it a person.
_SPEECH = _words("said says told added noted wrote asked replied argued")
_SECTION_WORDS = frozenset({"Title", "Section", "Part", "Chapter", "Article", "Subtitle"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
# (i) U.S. bill and resolution numbers not written as "H.R." or "S." (which the patterns know).
_BILL = re.compile(r"\b(?:[HS]\.\s?(?:J\.\s?|Con\.\s?)?Res\.|[HSA]\.\s?B\.)\s?\d{1,5}\b")
def restyle(doc: Doc, chosen: Iterable[Candidate]) -> list[Candidate]:
    """The chosen spans after the real-news style rules (a)–(j) of the module docstring."""
    spans = list(chosen)
    spans = _listings(doc, spans)
    headline = is_headline(doc)
    out: list[Candidate] = []
    for cand in spans:
        out += _one(doc, cand, headline)
    out = _add(out, _extensions(doc, out))
    out = _add(out, _hyphen_names(doc, out))
    out = _add(out, _bills(doc, out))
    out = _add(out, _wire_credit(doc))
    out = _add(out, _landforms(doc, out), replace=False)
    out = _add(out, _about_heading(doc, headline))
    return sorted(out, key=lambda c: c.start)


def _one(doc: Doc, cand: Candidate, headline: bool) -> list[Candidate]:
    """Rules b–h on one chosen span: nothing, the span changed, or its pieces."""
    words = [t.text for t in doc[cand.start:cand.end]]
    label = cand.label
    if label == "LAW" and len(words) == 2 and words[0] in _SECTION_WORDS and not cand.kb_id:
        return []  # (b)
    if len(words) == 1 and _REFERENCE.fullmatch(words[0]) and cand.start > 0 \
            and doc[cand.start - 1].text == "(" and cand.end < len(doc) \
            and doc[cand.end].text == ")":
        return []  # (k)
    if label == "ORG" and (words[-1] in _NOT_NAME_LAST or tuple(words) in _DOCUMENT_TYPES
                           or _DESIGNATION.fullmatch(words[0])):
        return []  # (n)
    if label == "PERSON" and all(w in _JOB_WORDS or w in TITLE_WORDS for w in words):
        return []  # (n)
    if label in ("LAW", "ORG") and words[0] in TITLE_WORDS and len(words) > 2 \
            and ("of" in words or "for" in words) and cand.start > 0 \
            and doc[cand.start - 1].text == ",":
        return []  # (n) ", Assistant Secretary of Defense for …": a title after a name
    if label in ("ORG", "PERSON") and len(words) == 1 and cand.end < len(doc) \
            and doc[cand.end].text in _EVENT_NOUNS:
        return [Candidate(cand.start, cand.end, "EVENT", "", cand.origin)]  # (o)
    if label in ("ORG", "PERSON") and len(words) == 1 and cand.start >= 2 \
            and doc[cand.start - 1].text == "of" \
            and doc[cand.start - 2].lower_ in ("town", "city", "village", "port"):
        return [Candidate(cand.start, cand.end, "GPE", "", cand.origin)]  # (o)
    if label == "PERSON" and len(words) == 1 and cand.origin == "model" \
            and not (cand.start > 0 and doc[cand.start - 1].text in TITLE_WORDS) \
            and not (cand.end < len(doc) and doc[cand.end].lower_ in _SPEECH):
        return []  # (r)
    if label == "ORG" and len(words) == 1 and cand.origin == "model" and not cand.kb_id \
            and words[0].istitle() and _site_word(doc, cand):
        return []  # (s)
    if label == "MINERAL" and len(words) > 1 and words[0].lower() in _MINERAL_QUALIFIERS:
        return [Candidate(cand.start + 1, cand.end, label, cand.kb_id, cand.origin)]  # (p)
    if label == "MONEY":
        return [_price_tail(doc, cand)]  # (p)
    if label in _PLACE_LABELS and "," in words:
        return _split_at_commas(doc, cand)  # (c)
    if _species(doc, cand):
        return []  # (g)
    if label == "ORG":
        return _org(doc, cand, headline)
    if label == "PERSON" and len(words) > 1 and words[-1] in _TOWN_WORDS:
        return [Candidate(cand.start, cand.end, "GPE", "", cand.origin)]  # (f)
    if label == "GPE" and len(words) > 1 and words[-1] in _ORG_AFTER_PLACE:
        return [Candidate(cand.start, cand.end, "ORG", "", cand.origin)]  # (l)
    if label == "PERSON" and len(words) > 1 and words[-1] in _TRADE_WORDS:
        return [Candidate(cand.start, cand.end, "ORG", cand.kb_id, cand.origin)]  # (f)
    if label in ("GPE", "PERSON", "FAC") and cand.origin == "model" and _landform(doc, cand):
        return [Candidate(cand.start, cand.end, "LOC", "", cand.origin)]  # (e)
    return [cand]


def _org(doc: Doc, cand: Candidate, headline: bool) -> list[Candidate]:
    """Rules d, e, h for one ORG."""
    start, end = cand.start, cand.end
    if all(t.text in _COMMITTEE_WORDS for t in doc[start:end]):
        return []  # (d) "the Select Committee": a back-reference
    for i in range(start + 1, end - 2):
        if doc[i].text in COMPANY_SUFFIXES and doc[i + 1].text == "of" \
                and all(t.is_title for t in doc[i + 2:end]) and end - i - 2 <= 3:
            return [Candidate(start, i + 1, "ORG", cand.kb_id, cand.origin),
                    Candidate(i + 2, end, "GPE", "", cand.origin)]  # (d) "… AS of Trondheim"
    while end - start > 1 and doc[start].text in _PUBLICATION_WORDS:
        start += 1  # (n) "the journal [Economic Geology]"
    if doc[start].text in ("A", "An") and end - start > 1:
        start += 1  # (h)
    if headline:
        for i in range(start + 1, end):
            if doc[i].text in _RELEASE_VERBS:
                end = i
                break
    end = _strip_body(doc, start, end)
    if end <= start:
        return []
    if doc[start].text == "Board" and start + 1 < end and doc[start + 1].text == "of" \
            and doc[end - 1].text.rstrip(".") in {"Ltd", "Inc", "Corp", "Limited", "plc", "LLC"}:
        start += 2
    if cand.origin == "model" and _landform(doc, Candidate(start, end, "ORG")):
        return [Candidate(start, end, "LOC", "", cand.origin)]
    label = "GPE" if doc[end - 1].text == "County" and (start, end) != (cand.start, cand.end) \
        else cand.label
    if (start, end, label) == (cand.start, cand.end, cand.label):
        return [cand]
    return [Candidate(start, end, label, cand.kb_id if label == cand.label else "", cand.origin)]


def _extensions(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """Names cut short before their tail: a committee "on the …" (d), a place before an
    organisation's head word (l), a law "for Fiscal Year 2028" or an instrument's number (i)."""
    out = []
    stops = _numeric_tokens(chosen)
    for cand in chosen:
        end = cand.end
        last = doc[end - 1].text
        if cand.label == "ORG" and last in ("Committee", "Subcommittee", "Commission",
                                             "Appeals") \
                and end + 1 < len(doc) and doc[end].text in ("on", "for"):
            j = end + 1
            while j < len(doc) and j not in stops and doc[j].text not in MONTHS_DAYS \
                    and (doc[j].is_title or (doc[j].text in _SMALL and j + 1 < len(doc)
                                             and doc[j + 1].is_title)):
                j += 1
            while j > end + 1 and doc[j - 1].text in _SMALL:
                j -= 1
            if j > end + 1:
                out.append(Candidate(cand.start, j, "ORG", "", "rules"))
        elif cand.label == "GPE" and end < len(doc) and doc[end].is_title:
            j = end
            while j < len(doc) and doc[j].is_title and j - end < 3:
                j += 1
            if doc[j - 1].text in _ORG_AFTER_PLACE:
                out.append(Candidate(cand.start, j, "ORG", "", "rules"))
        elif cand.label in ("LAW", "ORG") and end < len(doc) and \
                last in ("Year", "Years") and doc[end].like_num:
            out.append(Candidate(cand.start, end + 1, "LAW", "", "rules"))
        elif cand.label in ("LAW", "ORG") and last == "Instrument":
            m = re.match(r" \d+-\d+\b", doc.text[doc[end - 1].idx + len(last):])
            span = doc.char_span(doc[cand.start].idx, doc[end - 1].idx + len(last) + m.end(),
                                 alignment_mode="expand") if m else None
            if span is not None:
                out.append(Candidate(span.start, span.end, "LAW", "", "rules"))
    return out


def _hyphen_names(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """(m) "U.S.-Japan Strategic Stockpile Arrangement", "Zambia-Lobito Rail Company": two
    names joined by a hyphen and followed by title-case words ending in an agreement's or a
    body's head word are one LAW or ORG."""
    out = []
    stops = _numeric_tokens(chosen)
    for cand in chosen:
        h = cand.end
        if cand.label not in ("GPE", "ORG") or h + 1 >= len(doc) or doc[h].text != "-" \
                or doc[h - 1].whitespace_ or doc[h].whitespace_ or not doc[h + 1].is_title:
            continue
        j, head = h + 1, None
        while j < len(doc) and j not in stops and (doc[j].is_title or doc[j].is_upper
                                                   or doc[j].text in _SMALL):
            if doc[j].text in _HYPHEN_HEADS:
                head = j
            j += 1
        if head is not None and head > h + 1:
            label = _HYPHEN_HEADS[doc[head].text]
            while j > head + 1 and doc[j - 1].text in _SMALL:
                j -= 1
            out.append(Candidate(cand.start, j, label, "", "rules"))
    return out


def _numeric_tokens(chosen: list[Candidate]) -> set[int]:
    """Tokens of chosen dates and amounts: a name's tail never runs into them."""
    return {i for c in chosen if c.label in ("DATE", "MONEY", "PERCENT")
            for i in range(c.start, c.end)}


def _site_word(doc: Doc, cand: Candidate) -> bool:
    """(s) A one-word name used as a place or a site: after "from", "at", "near", "reach"
    ("emeralds from Muzo", "a plant at Wagerup"), or before "pit", "quarry", "deposit",
    "prospect", "project" ("the Dragon pit")."""
    before = doc[cand.start - 1].lower_ if cand.start else ""
    after = doc[cand.end].lower_ if cand.end < len(doc) else ""
    return before in _SITE_BEFORE or after in _SITE_AFTER


def _strip_body(doc: Doc, start: int, end: int) -> int:
    """(d) The end of an ORG without a body written after it; ``start`` if it is only one."""
    for body in _BODIES:
        n = len(body)
        if end - start >= n and tuple(t.text for t in doc[end - n:end]) == body \
                and (end - n == start or doc[end - n - 1].text != "of"):
            return end - n
    return end


def _landform(doc: Doc, cand: Candidate) -> bool:
    """(e) A capitalised name ending in a landform word, or "Mount X"; a GPE only after "the"."""
    toks = doc[cand.start:cand.end]
    if not all(t.text[:1].isupper() for t in toks):
        return False
    shaped = (len(toks) >= 2 and toks[-1].text in _LANDFORMS) or \
        (len(toks) == 2 and toks[0].text == "Mount")
    if not shaped:
        return False
    if cand.label == "GPE":
        return cand.start > 0 and doc[cand.start - 1].lower_ == "the"
    return True


def _landforms(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """(e) Landform names no one found: capitalised words ending in a landform word."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.text in _LANDFORMS or tok.text == "Mount":
            first = i
            while first > 0 and doc[first - 1].is_title and doc[first - 1].is_alpha \
                    and i - first < 3 and doc[first - 1].text not in _NOT_IN_LANDFORM:
                first -= 1
            last = i + 1
            if tok.text == "Mount" and last < len(doc) and doc[last].is_title:
                last += 1
            cand = Candidate(first, last, "LOC", "", "rules")
            if last - first >= 2 and first > 0 and _landform(doc, cand):
                out.append(cand)
            i = last
        else:
            i += 1
    return out


def _about_heading(doc: Doc, headline: bool) -> list[Candidate]:
    """(u) A company release's "About Orvath Metals" heading names the company: one ORG."""
    if headline and 3 <= len(doc) <= 7 and doc[0].text == "About" \
            and all(t.is_title or t.text in COMPANY_SUFFIXES for t in doc[1:]):
        return [Candidate(1, len(doc), "ORG", "", "rules")]
    return []


def _species(doc: Doc, cand: Candidate) -> bool:
    """(g) "Tiehm's buckwheat": a one-word name, "'s", then lower-case words naming an organism."""
    if cand.size != 1 or cand.end + 1 >= len(doc) or doc[cand.end].text not in ("'s", "’s"):
        return False
    for tok in doc[cand.end + 1:cand.end + 4]:
        if tok.text in _ORGANISMS:
            return True
        if not tok.is_lower:
            return False
    return False


def _split_at_commas(doc: Doc, cand: Candidate) -> list[Candidate]:
    """(c) A place span holding a comma as its capitalised parts between the commas."""
    out, start = [], cand.start
    for i in range(cand.start, cand.end + 1):
        if i == cand.end or doc[i].text == ",":
            if i > start and doc[start].text[:1].isupper():
                out.append(Candidate(start, i, cand.label, "", cand.origin))
            start = i + 1
    return out


def _listings(doc: Doc, spans: list[Candidate]) -> list[Candidate]:
    """(a) Exchanges of a stock listing as ORG, and no span on the tickers."""
    exchanges: list[Candidate] = []
    tickers: list[tuple[int, int]] = []
    for i, tok in enumerate(doc):
        if tok.text != ":" or i + 1 >= len(doc) or i == 0:
            continue
        ticker = doc[i + 1]
        if not (ticker.is_upper and 1 <= len(ticker.text) <= 6 and ticker.text.isalnum()):
            continue
        after = doc[i + 2].text if i + 2 < len(doc) else ""
        if after not in (")", ";", ","):
            continue
        first = i
        while first > 0 and doc[first - 1].text not in ("(", ";") and i - first < 4:
            first -= 1
        if first == 0 or doc[first - 1].text not in ("(", ";") or first == i:
            continue
        if not all(t.text[:1].isupper() for t in doc[first:i]):
            continue
        exchanges.append(Candidate(first, i, "ORG", "", "rules"))
        tickers.append((i + 1, i + 2))
    if not exchanges:
        return spans
    kept = [s for s in spans if not any(s.start < e and a < s.end for a, e in tickers)]
    return _add(kept, exchanges)


def _price_tail(doc: Doc, cand: Candidate) -> Candidate:
    """(p) A price takes an area or weight unit after "per" or "a" ("$18 per square foot")."""
    end = cand.end
    if end + 1 < len(doc) and doc[end].lower_ in ("per", "a", "an"):
        for tail in _PRICE_TAILS:
            n = len(tail)
            if tuple(t.lower_ for t in doc[end + 1:end + 1 + n]) == tail:
                return Candidate(cand.start, end + 1 + n, cand.label, cand.kb_id, cand.origin)
    return cand


def _bills(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """(i) Bill and resolution numbers, and numbered instruments (q), as LAW, unless a
    longer LAW holds them already ("Government Regulation No. 19 of 2026")."""
    out = []
    for m in [*_BILL.finditer(doc.text), *_NUMBERED.finditer(doc.text)]:
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and not any(c.label == "LAW" and c.start <= span.start
                                        and span.end <= c.end for c in chosen):
            out.append(Candidate(span.start, span.end, "LAW", "", "rules"))
    return out


def _wire_credit(doc: Doc) -> list[Candidate]:
    """(j) "(Meridian Wire) —" before a dateline's dash is ORG. ("/PRNewswire/" is one token
    to the tokenizer, so no span can hold the name without its slashes.)"""
    dash = dateline_dash(doc)
    if dash is None:
        return []
    if doc[dash - 1].text == ")":
        first = dash - 2
        while first > 0 and doc[first].text != "(" and dash - first < 6:
            first -= 1
        inner = doc[first + 1:dash - 1]
        if doc[first].text == "(" and len(inner) and all(t.is_title for t in inner) \
                and not any(t.like_num for t in inner):
            return [Candidate(first + 1, dash - 1, "ORG", "", "rules")]
    return []


def _add(spans: list[Candidate], new: list[Candidate], replace: bool = True) -> list[Candidate]:
    """``spans`` with ``new`` added: what a new span overlaps goes (``replace``), or the new
    span is only added where nothing is chosen (not ``replace``)."""
    for cand in new:
        clash = [s for s in spans if s.start < cand.end and cand.start < s.end]
        if clash and not replace:
            continue
        if any((s.start, s.end, s.label) == (cand.start, cand.end, cand.label) for s in clash):
            continue
        spans = [s for s in spans if s not in clash] + [cand]
    return spans
