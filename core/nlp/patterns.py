"""Name patterns: laws, events, companies, governments and titled people, by their shape.

The small statistical model has no idea of LAW or EVENT (it calls "Critical Raw Materials Act"
and "G7 Leaders' Summit" an ORG) and cuts people and companies at the wrong place after titles
and legal suffixes. A name in this field usually says what it is in its last word: the *head*
("... Act", "... Summit", "... Ltd."). The patterns below find a run of capitalised words that
ends in a head and give the run the head's label. They are spaCy ``Matcher`` token patterns
(no parser, no tagger: only the token's shape and text), run inside ``assay_entities``; how
their spans compete with the model and the gazetteers is the conflict rule in
``core.nlp.pipeline.conflicts``.

What a name run is (``_NAME`` and ``_JOIN``): capitalised tokens ("Net", "U.S.", "G7",
"RESourceEU"), and between them the particles "of", "and", "for", "on", "the", "de", "und"...,
hyphens and dashes ("Australia–Japan", "Net-Zero"), "&", a possessive apostrophe ("Leaders'")
and parentheses ("Minerals (Prospecting and Mining) Act"). After matching, a run is trimmed:
it never starts or ends with a particle, and it never starts with a capitalised function word
that begins a sentence or heading ("The", "Under", "Our" - ``NOT_NAME_START``). A head alone is
never a name ("the Act", "a Summit", "the Company"): at least one name word must come before it,
except for the head-first forms below.

Rules, by label (each head list is written once, here):

- LAW: a name run ending in a ``LAW_HEADS`` word ("Inflation Reduction Act", "Critical Minerals
  Action Plan", "Canada–UK Critical Minerals Supply Chain Partnership"), with an optional year
  tail ("Act of 2022", "Act, 2023", "Strategy 2023–2030", "Plan 2025–2029"), number tail
  ("Regulation No. 19 of 2025", "Executive Order 14241") or a capitalised "on"/"for" tail
  ("Washington Principles on Critical Minerals Trade", "Third Basic Plan for Strategic Mineral
  Reserves"); or a head-first form, ``LAW_HEAD_FIRST`` + "on"/"of"/"for" + a name run ("Law on
  Geology and Minerals", "Regulations on the Export Control of Dual-Use Items"). A tail never
  takes a month or weekday ("the Act on Monday"). Bill numbers ("S. 2214", "H.R. 4120").
  "Partnership" is a LAW head because most partnerships in this field are agreements between
  states; the organisations among them ("Minerals Security Partnership") are in the gazetteer,
  which wins on the same extent.
- EVENT: a name run ending in an ``EVENT_HEADS`` word ("Future Minerals Forum", "G7 Leaders'
  Summit", "Critical Minerals Ministerial"), with an optional leading year or ordinal ("2026
  Critical Minerals Ministerial", "10th ASEAN Ministerial Meeting") and an optional trailing year
  ("Raw Materials Week 2026"), and an optional "on" tail ("Meeting on Minerals").
- ORG: a name run ending in a legal suffix ("Sable Creek Lithium Corp.", "PT Aneka Tambang Tbk",
  "Wolfram Bergbau und Hütten AG"); a government written as one name ("Albanese Government",
  "Government of Canada"); and a public body written head-first, ``ORG_HEAD_FIRST`` + "of"/"for"
  + a name run, with an optional place or acronym in front ("U.S. Department of Energy",
  "Ministry of Energy and Mineral Resources", "Office of Manufacturing and Energy Supply
  Chains"); and ``ORG_HEADS`` institutions ("Oak Ridge National Laboratory", "Purdue University").
- LOC: a name run ending in a ``LOC_HEADS`` word, a landform ("Imperial Valley", "Qaidam
  Basin", "Xitai Salt Lakes", "Smackover Formation"); a run never crosses "and", "in" or
  another particle here but "de", "do", "la"...
- PERSON: one to three capitalised words right after a title in ``TITLES`` ("Secretary Rubio",
  "Treasurer Chalmers", "Chief Executive Katrin Albrecht"); the title is not in the span. The
  same list is used by the pipeline's span hygiene to cut titles off the model's PERSON spans.
- GPE: a dateline, one to three capitalised words at the very start of a text segment
  before a dash or comma ("LUSAKA – The ministry...", "NEW DELHI, March 3"), and one or two
  capitalised words after "near" ("near Port Pirie"), a town in nearly every case.
- EVENT also: "COP" with a conference number ("COP31", "COP 30"); named events without a head
  word are the gazetteer's (``resources/gazetteers/events.tsv``).
- DATE: tokens the model misses that are always dates: "today", fiscal years ("FY2027") and
  year ranges ("2021–24"); PERCENT: "60 per cent"; MONEY: amounts with a currency prefix
  glued to the number ("R$1.5 billion", "RM2.8 billion") or an ISO 4217 code before it
  ("SAR 2 billion").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from core.nlp.name_words import (
    COMPANY_SUFFIXES,
    CURRENCY_CODES,
    DEPARTMENT_WORDS,
    EVENT_HEADS,
    EVENT_OF_HEADS,
    JOIN_MARKS,
    LAW_HEAD_FIRST,
    LAW_HEADS,
    LEADING_FIRST_WORDS,
    LEADING_PHRASES,
    LOC_HEADS,
    MONTHS_DAYS,
    NAME_INFIXES,
    NOT_NAME_START,
    ORDINAL_WORDS,
    ORG_HEAD_FIRST,
    ORG_HEADS,
    PARTICLES,
    POST_NOMINALS,
    SENTENCE_END,
    TITLE_WORDS,
    TITLES,
)

_CAP = r"^(?:[A-Z]|[À-ÖØ-Þ])"
_NAME = {"TEXT": {"REGEX": _CAP}}
_YEAR = {"TEXT": {"REGEX": r"^(?:19|20)\d\d(?:[–-](?:19|20)?\d\d)?$"}}
_ORDINAL = {"TEXT": {"REGEX": r"^\d+(?:st|nd|rd|th)$"}}
_NUMBER = {"TEXT": {"REGEX": r"^\d[\d.,/-]*$"}}
_ORDINAL_WORD = r"^(?:" + "|".join(w + "|" + w.capitalize() for w in ORDINAL_WORDS) + r")$"


def _name_or_join() -> dict:
    # A token that is a name word or a joiner; the trimming pass removes a bad edge.
    return {"TEXT": {"REGEX": _CAP + r"|^(?:" + "|".join(re.escape(p) for p in PARTICLES
                                                        + JOIN_MARKS) + r")$"}}


def _run(min_words: int = 1) -> list[dict]:
    return [_NAME] * min_words + [{**_name_or_join(), "OP": "*"}]


def _heads(words: frozenset[str]) -> dict:
    return {"ORTH": {"IN": sorted(words)}}


_YEAR_RE = re.compile(_YEAR["TEXT"]["REGEX"])
_NUMBER_RE = re.compile(_NUMBER["TEXT"]["REGEX"])
_CAP_RE = re.compile(_CAP)


def _tail_ends(doc: Doc, end: int, label: str) -> set[int]:
    """Where a LAW or EVENT may end after its head at ``end``: there, or after a year ("of
    2022", ", 2023", "2023–2030"), a number ("Order 14241", "No. 19 of 2025", "PERUMIN 38") or
    a capitalised "on"/"for"/"of" run ("Principles on Critical Minerals Trade"). Done here, not
    as Matcher tails, because one Matcher pattern per tail made matching several times slower."""
    n = len(doc)

    def year(i: int) -> bool:
        return i < n and bool(_YEAR_RE.match(doc[i].text))

    def number(i: int) -> bool:
        return i < n and bool(_NUMBER_RE.match(doc[i].text))

    def name(i: int) -> bool:
        return i < n and bool(_CAP_RE.match(doc[i].text)) and doc[i].text not in MONTHS_DAYS

    ends = {end}
    if year(end):
        ends.add(end + 1)
    if end < n and doc[end].lower_ == "of" and year(end + 1):
        ends.add(end + 2)
    if label == "EVENT" and number(end):
        ends.add(end + 1)
    if label == "LAW":
        if end < n and doc[end].text == "," and year(end + 1):
            ends.add(end + 2)
        if number(end):
            ends.add(end + 1)
        i = end
        if i < n and doc[i].text in ("No.", "no."):
            i += 1
        elif i + 1 < n and doc[i].text == "No" and doc[i + 1].text == ".":
            i += 2
        if i > end and number(i):
            ends.add(i + 1)
            if i + 1 < n and doc[i + 1].lower_ == "of" and year(i + 2):
                ends.add(i + 3)
    if label == "LAW":
        joins: tuple[str, ...] = ("on", "for", "of")
    else:
        joins = ("on", "of") if doc[end - 1].text in EVENT_OF_HEADS else ("on",)
    if end < n and doc[end].lower_ in joins:
        i = end + 1
        if i < n and doc[i].lower_ == "the":
            i += 1
        j = i
        while j < n and (name(j) or _is_particle(doc[j].text)):
            j += 1
            if name(j - 1):
                ends.add(j)
    return ends


@dataclass(frozen=True)
class Found:
    """A pattern span in token indices of one Doc."""

    start: int
    end: int
    label: str


class NamePatterns:
    """The Matcher for all the patterns above, and the trimming that makes them names."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        run, lead = _run(), [{"OP": "?", "TEXT": {"REGEX": _YEAR["TEXT"]["REGEX"] + "|"
                                                   + _ORDINAL["TEXT"]["REGEX"] + "|"
                                                   + _ORDINAL_WORD}}]
        # Heads end the match; what may follow them is _tail_ends' job.
        self.matcher.add("LAW", [run + [_heads(LAW_HEADS)], [_heads(LAW_HEAD_FIRST)]])
        self.matcher.add("BILL", [[{"ORTH": {"IN": ["S.", "H.R.", "S.B.", "H.B."]}},
                                   {"TEXT": {"REGEX": r"^\d{1,5}$"}}]])
        self.matcher.add("EVENT", [lead + run + [_heads(EVENT_HEADS)]])
        # "31st Session of the X": an ordinal and a session head, kept only with its "of" tail.
        self.matcher.add("EVENT_OF", [[{"TEXT": {"REGEX": _ORDINAL["TEXT"]["REGEX"] + "|"
                                                 + _ORDINAL_WORD}}, _heads(EVENT_OF_HEADS)]])
        # UN climate conferences by number: "COP31", "COP 30" (not "COP 500 million", pesos).
        self.matcher.add("COP", [[{"TEXT": {"REGEX": r"^COP\d{1,2}$"}}],
                                 [{"ORTH": "COP"}, {"TEXT": {"REGEX": r"^\d{1,2}$"}}]])
        self.matcher.add("ORG", [run + [_heads(ORG_HEADS)]])
        self.matcher.add("LOC", [run + [_heads(LOC_HEADS)]])
        place = {"TEXT": {"REGEX": _CAP}, "OP": "?"}
        self.matcher.add("ORG", [[place, _heads(ORG_HEAD_FIRST), {"LOWER": {"IN": ["of", "for"]}},
                                  {"LOWER": "the", "OP": "?"}, _NAME,
                                  {**_name_or_join(), "OP": "*"}, _NAME],
                                 [place, _heads(ORG_HEAD_FIRST),
                                  {"LOWER": {"IN": ["of", "for"]}}, {"LOWER": "the", "OP": "?"},
                                  _NAME]])
        name = {"TEXT": {"REGEX": _CAP + r"[\w'’.-]*$"}}
        part = {"TEXT": {"REGEX": _CAP + r"[\w'’.-]*$|^(?:" + "|".join(NAME_INFIXES)
                         + r")$|^[a-z]+$"}, "OP": "*"}
        title = {"ORTH": {"IN": sorted(TITLE_WORDS)}, "OP": "*"}
        self.matcher.add("PERSON", [[_heads(TITLES), title, name, part]], greedy="LONGEST")
        # "Minister of Energy and Mineral Resources Bahlil Lahadalia": the last words.
        self.matcher.add("PERSON_OF", [[_heads(TITLES), {"LOWER": {"IN": ["of", "for"]}},
                                        {"LOWER": "the", "OP": "?"}, _NAME,
                                        {"TEXT": {"REGEX": _CAP + r"|^(?:and|&|,|of|the)$"},
                                         "OP": "+"}, name]])
        caps = {"TEXT": {"REGEX": r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’-]+$"}}
        dash = {"ORTH": {"IN": ["–", "—", "-", ","]}}
        self.matcher.add("DATELINE", [[caps, dash], [caps, caps, dash], [caps, caps, caps, dash]])
        self.matcher.add("NEAR", [[{"LOWER": "near"}, _NAME, {**_NAME, "OP": "?"}]],
                         greedy="LONGEST")
        self.matcher.add("DATE", [[{"LOWER": "today"}],
                                  [{"TEXT": {"REGEX": r"^FY\d{2,4}$"}}],
                                  [{"TEXT": {"REGEX": r"^(?:19|20)\d\d[–-]\d\d$"}}]])
        # Amounts the small model misses: a currency prefix glued to the number ("R$1.5",
        # "RM2.8", "R150") or an ISO code before it ("SAR 2 billion"), with a scale word.
        scale = {"LOWER": {"IN": ["million", "billion", "trillion", "bn", "m"]}, "OP": "?"}
        self.matcher.add("MONEY", [[{"TEXT": {"REGEX": r"^(?:R\$|RM|Rp|S\$|A\$|C\$|NZ\$|HK\$|R)"
                                              r"\d[\d.,]*$"}}, scale],
                                   [{"ORTH": {"IN": sorted(CURRENCY_CODES)}}, _NUMBER, scale]],
                         greedy="LONGEST")
        self.matcher.add("PERCENT", [[_NUMBER, {"LOWER": "per"}, {"LOWER": "cent"}],
                                     [_NUMBER, {"LOWER": "percent"}]])

    def __call__(self, doc: Doc, stops: frozenset[int] = frozenset()) -> list[Found]:
        """Non-overlapping pattern spans, longest first (earlier first on ties). ``stops``
        are the verbs of a headline: a capitalised stop before a match does not make the
        match a piece of a longer name ("Rubio Convenes [2026 Critical Minerals
        Ministerial]")."""
        found = []
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "EVENT_OF":
                for stop in _tail_ends(doc, end, "EVENT") - {end}:
                    found.append(Found(start, stop, "EVENT"))
                continue
            if label in ("LAW", "EVENT"):
                for stop in _tail_ends(doc, end, label):
                    trimmed = _trim(doc, start, stop, label, stops)
                    if trimmed:
                        found.append(Found(trimmed[0], trimmed[1], label))
                continue
            if label == "BILL":
                found.append(Found(start, end, "LAW"))
                continue
            if label == "COP":
                if not (end < len(doc) and doc[end].lower_ in ("million", "billion", "trillion")):
                    found.append(Found(start, end, "EVENT"))
                continue
            if label == "PERSON_OF":
                trimmed = _person_after_department(doc, start, end)
                label = "PERSON"
            elif label == "DATELINE":  # "LUSAKA – The ministry ...": only at a text's start
                trimmed = (start, end - 1) if start == 0 else None
                label = "GPE"
            elif label == "NEAR":  # "near Port Pirie", not "near Acme Ltd." or "near Acme Lake"
                stop = end
                trimmed = (start + 1, end) if not (
                    stop < len(doc) and (doc[stop].text[:1].isupper()
                                         or doc[stop].text in COMPANY_SUFFIXES)
                ) and not any(t.text in NOT_NAME_START or t.text in MONTHS_DAYS
                              for t in doc[start + 1 : end]) else None
                label = "GPE"
            else:
                trimmed = _trim(doc, start, end, label)
            if trimmed:
                found.append(Found(trimmed[0], trimmed[1], label))
        taken = bytearray(len(doc))
        kept = []
        # Longest first. Two finds of one extent (an ORG by its opening head, a LAW by its
        # closing one): the head that opens the name decides ("Office of X Policy for
        # Mines" is an office), else the one found first; the same on every run (a set here
        # ordered them by PYTHONHASHSEED, so that name was ORG on one run and LAW on the next).
        def rank(f: Found) -> tuple[int, int, int]:
            opener = doc[f.start].text
            opens = (f.label == "ORG" and opener in ORG_HEAD_FIRST) or (
                f.label == "LAW" and opener in LAW_HEAD_FIRST)
            return -(f.end - f.start), f.start, 0 if opens else 1

        for f in sorted(dict.fromkeys(found), key=rank):
            if not any(taken[f.start : f.end]):
                taken[f.start : f.end] = b"\1" * (f.end - f.start)
                kept.append(f)
        return kept


# Particles inside a place's own name ("Salar de Atacama", "Vale do Ribeira").
_PLACE_PARTICLES = frozenset({"de", "del", "des", "du", "da", "do", "dos", "das", "la", "le"})


def _is_particle(text: str) -> bool:
    return text.lower() in PARTICLES or text in JOIN_MARKS


def _name_end(doc: Doc, start: int, end: int) -> int:
    """Where a personal name starting at ``start`` ends: capitalised words, with "von der",
    "bin" and the lower-case part after a hyphen ("Kim Jung-kwan") inside, at most four words
    and no title, honour, month or sentence word."""
    i = start
    words = 0
    while i < end:
        text = doc[i].text
        if text in TITLE_WORDS - {"-"} or text in POST_NOMINALS or text in MONTHS_DAYS \
                or text in NOT_NAME_START:
            break
        if text == "-":
            if i + 1 < end and doc[i + 1].is_alpha and doc[i].idx + 1 == doc[i + 1].idx and \
                    doc[i - 1].idx + len(doc[i - 1].text) == doc[i].idx:
                i += 2
                continue
            break
        if text[:1].isupper():
            words += 1
            if words > 4:
                break
            i += 1
            continue
        if text in NAME_INFIXES and i + 1 < end and doc[i + 1].text[:1].isupper():
            i += 1
            continue
        break
    return i


def _person_after_title(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """PERSON after a title: the title words go, the name is what follows."""
    while start < end and doc[start].text in TITLE_WORDS:
        start += 1
    stop = _name_end(doc, start, end)
    return (start, stop) if stop > start else None


def _person_after_department(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """PERSON after "Minister of X and Y": the last two capitalised words (with an initial or
    "von der" before them), if they are not department words."""
    if end < len(doc) and doc[end].text[:1].isupper():
        return None
    first = end - 2
    if first <= start + 2 or not all(doc[i].text[:1].isupper() for i in (first, end - 1)):
        return None
    while first - 1 > start + 2 and re.fullmatch(r"[A-Z]\.", doc[first - 1].text):
        first -= 1
    words = [t.text for t in doc[first:end]]
    if any(w in DEPARTMENT_WORDS or w in TITLE_WORDS for w in words):
        return None
    if doc[first - 1].text in (",", "and", "&", "of", "the"):
        return None
    return first, end


def _trim(doc: Doc, start: int, end: int, label: str,
          stops: frozenset[int] = frozenset()) -> tuple[int, int] | None:
    """A match cut to a name: no particle or sentence word at its start, a name before a head."""
    if label == "PERSON":
        return _person_after_title(doc, start, end)
    if label in ("DATE", "PERCENT", "MONEY"):
        return start, end
    while start < end and (_is_particle(doc[start].text) or doc[start].text in NOT_NAME_START):
        start += 1
    first = start
    # A run restarts after "and the", "and on the", "to the", a sentence word inside ("KYIV –
    # The ..."), a bracketed short name and "and" ("Ore Agency (VOA) and Brenmoor Holdings")
    # and, before a law's head, after "of the" ("Title III of the Defense Production Act").
    head_last = doc[end - 1].text in LAW_HEADS | EVENT_HEADS | ORG_HEADS
    for i in range(end - 2, start, -1):
        text, nxt = doc[i].lower_, doc[i + 1].lower_
        if (text in ("and", "or", "in", "to") and _is_particle(doc[i + 1].text)
                and nxt not in ("-", "–", "(", ")")) or (
            doc[i].text in NOT_NAME_START and doc[i].text not in ("Of", "And")
        ) or (label == "LAW" and head_last and text == "of" and nxt == "the") or (
            text == ")" and nxt in ("and", "&") and i > start
        ):
            start = i + 1
            break
    while start < end and (_is_particle(doc[start].text) or doc[start].text in NOT_NAME_START):
        start += 1
    # A place is one name: "the Dongtai and [Xitai Salt Lakes]" (the first is a place of its
    # own, written without the head it shares), "the Forum in [Simi Valley]".
    if label == "LOC":
        for i in range(end - 2, start - 1, -1):
            if _is_particle(doc[i].text) and doc[i].lower_ not in _PLACE_PARTICLES:
                start = i + 1
                break
    # Two companies joined by "and" ("Steppe Metals JSC and Aurubis AG"): a legal suffix
    # followed by "and" or "&" ends a name, so the run restarts after it.
    if label == "ORG":
        for i in range(end - 3, start - 1, -1):
            if doc[i].text in COMPANY_SUFFIXES and doc[i + 1].lower_ in ("and", "&"):
                start = i + 2
                break
    # A dateline is not part of the name after it: "KALGOORLIE – Brumby Metals Ltd."
    if start == 0:
        dash = next((i for i in range(end) if doc[i].text in ("–", "—", "-")), None)
        if dash and all(t.is_upper for t in doc[:dash]):
            start = dash + 1
    # A piece of a longer name ("Resources ..." after "Law on Subsurface") is not a name of
    # its own: a match must start where the capitalised run starts (or where a rule above
    # restarted it).
    if start == first and start > 0 and label in ("LAW", "EVENT") and start - 1 not in stops:
        before = doc[start - 1]
        if (before.text[:1].isupper() and before.text not in NOT_NAME_START) or (
            start >= 2 and before.lower_ in ("on", "of", "for")
            and doc[start - 2].text[:1].isupper()
        ):
            return None
    # Two names joined by "and" ("Law on X and Ministerial Decree No. 14") are two spans: a
    # head of the label on both sides of an inner "and" means the match is the pair.
    if label in ("LAW", "EVENT"):
        heads_of = LAW_HEADS if label == "LAW" else EVENT_HEADS
        for i in range(start + 1, end - 1):
            if doc[i].lower_ == "and" and any(t.text in heads_of for t in doc[start:i]) and any(
                t.text in heads_of for t in doc[i + 1 : end]
            ):
                return None
    # "Members of Congress", "According to the ...": words that lead into a name.
    leads = start < end and doc[start].lower_ in LEADING_FIRST_WORDS
    for phrase in LEADING_PHRASES if leads else ():
        stop = start + len(phrase)
        if stop < end and tuple(t.lower_ for t in doc[start:stop]) == phrase:
            start = stop
            while start < end and _is_particle(doc[start].text):
                start += 1
            break
    # "Shares of Acme Corp." at a sentence start: a capitalised common word before "of".
    heads_first = LAW_HEAD_FIRST | ORG_HEAD_FIRST
    if (end - start > 3 and (start == 0 or doc[start - 1].text in SENTENCE_END)
            and doc[start + 1].lower_ in ("of", "for") and doc[start].text not in heads_first):
        start += 2
        while start < end and _is_particle(doc[start].text):
            start += 1
    if end - start < 1:
        return None
    tokens = doc[start:end]
    if any(t.text in MONTHS_DAYS for t in tokens):
        return None
    # Brackets must pair up inside the span.
    if sum(t.text == "(" for t in tokens) != sum(t.text == ")" for t in tokens):
        return None
    heads = {"LAW": LAW_HEADS, "EVENT": EVENT_HEADS, "ORG": ORG_HEADS | ORG_HEAD_FIRST,
             "LOC": LOC_HEADS}[label]
    head_first = {"LAW": LAW_HEAD_FIRST, "EVENT": frozenset(), "ORG": ORG_HEAD_FIRST,
                  "LOC": frozenset()}[label]
    words = [t for t in tokens if not _is_particle(t.text) and t.text[:1].isalpha()]
    if label in ("EVENT",):
        words = [t for t in tokens if not _is_particle(t.text)]
    if len(words) < 2 and not (label == "LAW" and doc[start].text in ("S.", "H.R.", "S.B.",
                                                                     "H.B.")):
        return None  # a head alone ("the Act", "a Summit", "Ltd.")
    if doc[start].text in heads and doc[start].text not in head_first and label != "EVENT" and \
            not (label == "LAW" and doc[start + 1].text in heads):  # "Incentive Regime for ..."
        return None
    if _is_particle(doc[end - 1].text) and doc[end - 1].text != ")":
        return None
    return start, end
