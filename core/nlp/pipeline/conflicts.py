"""The conflict rule: which of the gazetteer's, the patterns' and the model's spans is kept.

Why a module of its own: it is the one place where the three sources meet, and the rule
below is its only written statement (``tests/test_pipeline.py`` tests it by setting the
model's entities by hand and running only the component). Longest name wins, ties go to the
gazetteer, then the patterns, decided on token extents after hygiene:

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
   or more such matches that cover all of it but the particles, punctuation, possessives and
   bracketed short names between them ("Oak Ridge National Laboratory and Purdue University",
   "PT Aneka Tambang Tbk (Antam) and Indonesia Battery Corporation", "Department of
   Defense's Industrial Base Analysis and Sustainment": an agency and its programme).
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
7. Datelines. A text segment that opens with a place in capitals and a dash ("NEW DELHI –",
   "JAKARTA / DÜSSELDORF —", "TARRANT, Valdora —", ``shapes.dateline_dash``) has a dateline: no
   model or pattern span crosses its dash (the part after the dash is kept: "DELHI – Khanij
   Bidesh India Ltd." -> "Khanij Bidesh India Ltd."), and each part of it in capitals
   between commas and slashes is a GPE pattern ("JAKARTA", "DÜSSELDORF"). A dash inside a
   sentence is no dateline.
8. Brackets. A model or pattern span that opens a bracket closes it inside itself or stops
   before it ("Talon Kestrel (USA" -> "Talon Kestrel", a DATE "March 2026 (R48676" -> "March
   2026"), and one that closes a bracket it did not open starts after it; a bracket that
   opens and closes inside a name stays ("Talon Kestrel (USA) LLC").
9. Headlines. In a Title Case line with no full stop at its end (``shapes.is_headline``)
   capitals say nothing, so a model or pattern span ends before a word the model's tagger
   reads as a verb in the lower-cased line ("[Kestrel Minerals] Approves ...", "Secretary
   [Rubio] Convenes ..."); a span whose label comes from a head word at its end (a law, an
   event, an institution, a legal suffix) restarts after the verb instead ("Convenes [2026
   Valdora Mining Forum]"), and a span that starts with the verb is dropped ("to [Expand
   Domestic ... Supply Chain]"). A verb before a pattern's match does not make the match a
   piece of a longer name. Plural nouns stay ("Kestrel Metals Reports ..."). And a model
   span in a headline made only of listed names is those names, even with nothing between
   them (rule 2's split: "Loan for [Oklahoma] [Cobalt] Refinery"), where in running text
   "Oklahoma Cobalt" would be a company. A model span in a headline whose words the tagger
   reads as common words once lower-cased, with no head word or legal suffix, and more than
   half of whose words the same text writes in lower case elsewhere, is a section heading,
   not a name ("[Hidden Costs of Battery Recycling]" over a text about the hidden costs of
   battery recycling); this one looks across the text's segments
   (``shapes.drop_heading_phrases``, run by ``Annotator`` after rule 6).
10. Glued names and the words around them. A model name span is cut into the names it glued
   together at a possessive "'s" followed by a capitalised word ("[Department of Energy]'s
   [Loan Programs Office]"; a lone apostrophe stays: "Leaders' Summit") and after a bracketed
   short name followed by "and" or a comma ("[Ore Agency] (VOA) and [Brenmoor Holdings]");
   a pattern's run restarts there too, and after "to the". "to" is no name particle, so a
   model span across it is no name (rule 2: "European Union to the Department of State").
   Phrases that lead into a name are outside it ("According to the", "Members of", "Rivals",
   ``LEADING_PHRASES``), a name never ends in a particle ("Tarrant Formation of"), hedges
   are outside amounts ("as much as 400 percent"), a MONEY span with no digit is no amount
   ("multibillion-dollar"), and "Administration" alone is a back-reference like
   "Government". The tokenizer makes "(VMP)—a" five tokens and "Ltd.." two ("Ltd." and the
   full stop), so these edges can be drawn at all.
11. Landforms. A name run ending in a landform (``LOC_HEADS``: "Valley", "Lake(s)", "Basin",
   "Desert", "Formation"...) is a LOC pattern, ranked like the ORG patterns (rules 1-3), whose
   run never crosses "and" or "in" ("the Orvath and [Kestrel Salt Lakes]"); where the model
   calls exactly that extent a GPE it is a town ("Simi Valley") and the model keeps it.
12. People. A model PERSON that, after its titles are cut, still holds a head word (law,
   event, organisation, landform, legal suffix), a title or a department word is no person
   ("Select Committee", "Principal", "Minister of [Coal] and Mines"): it is dropped, and the
   lists and patterns may claim its words.
13. Names across a hyphen. A law's or a body's head closes the whole capitalised run before
   it, hyphens included, so "Japan-Valdora Memorandum of Understanding on Ore Trade" is one
   LAW (rule 0) and "Okafor-Tarrant Administration" one ORG, not places and a remainder
   ("Memorandum" is a law head and "Administration" a body head at the end of a run).
14. Real-news styles (``core.nlp.pipeline.styles``, run on the spans rules 0-12 chose): a
   stock listing's exchange is ORG and its ticker no span ("([Kestrel Exchange]: ORVC)"); a
   section reference alone is no LAW ("Section 9") unless listed; a place across a comma is
   two places ("WASHINGTON, D.C."); a body after a name is outside it ("[Brenmoor Lithium]
   Board of Directors", "Board of [Orvath Metals Ltd.]") and in a headline an ORG ends
   before a release verb ("[Department of Mines] Awards"); a name ending in a landform word
   ("Range", "Mesa", "Flat", "Bluff", "Reservoir", "Alps") or "Mount X" is LOC, a model GPE
   only after "the"; a PERSON ending in a trade word is ORG ("Orvath Copper"), in a town
   word GPE ("Kestrel Springs"); "Orvath's buckwheat" names no one; a reference number in
   brackets and an article before an ORG are outside it; bill and resolution numbers are LAW
   ("H.Res. 880"); a bracketed wire credit ending a dateline is ORG; a place before an
   organisation word is the organisation ("Tarrant Railway"); two names across a hyphen
   followed by an agreement's or a body's name are one LAW or ORG; a committee takes "on the
   …" and a law "for Fiscal Year 2028"; facilities, report titles, document types and
   designations are no names; a one-word model PERSON needs a title before it or a verb of
   speech after it, and a one-word model ORG after "from"/"at" or before "pit"/"project" is
   a site, not an organisation.

Here: rules 0 and 2-4 (``resolve``). Rule 1 and rule 5's dropping are the component's
(``core.nlp.pipeline.component``); rule 6 is ``core.nlp.pipeline.aliases``; rules 7-13 are
applied by the component to every model and pattern span before rules 0-4, with the
segment's shape found by ``core.nlp.pipeline.shapes``; rule 14 after them, on the spans
they chose.
"""

from __future__ import annotations

from spacy.tokens import Doc

from core.nlp.name_words import COMPANY_SUFFIXES
from core.nlp.pipeline.candidates import Candidate
from core.nlp.pipeline.cleanup import clean
from core.nlp.pipeline.words import (
    NAME_LOWER,
    NAME_PARTICLES,
    NUMERIC_LABELS,
    PERSONAL_NAME_PLACES,
    STRONG_PATTERN_LABELS,
)

# A possessive between two listed names: the owner and what it owns are two spans.
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


def resolve(
    doc: Doc, gazetteer: list[Candidate], patterns: list[Candidate], model: list[Candidate],
    headline: bool = False,
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
        if cand.origin == "model" and _split_by_rules(doc, cand, rules, headline):
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


def _split_by_rules(doc: Doc, cand: Candidate, rules: list[Candidate], headline: bool) -> bool:
    """Two or more gazetteer or pattern names inside a model span cover all of it but the
    particles, punctuation and possessives between them: the model glued a list, or an owner
    and what it owns ("Department of Defense's Industrial Base Analysis and Sustainment"), into
    one span (rule 2); in a headline also with nothing between them ("[Oklahoma] [Cobalt]",
    rule 9)."""
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
        ok = ok and (depth > 0 or doc[i].is_punct or doc[i].lower_ in NAME_PARTICLES
                     or doc[i].text in POSSESSIVES)
    return (bool(gaps) or headline) and ok


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
