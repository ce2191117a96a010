"""Suggested relations: rules over one parsed sentence and the trigger lexicon.

Why rules and not a model: there is no relation gold to train on until reviewers make it,
and the relation guide (stated, not negated or supposed; both ends in the sentence; lists
expanded; labels must fit) is a short list of rules a dependency parse can follow. The
words that state a relation are data (``resources/relations/triggers.json``), read once.

A sentence Doc comes with its entities (the pre-annotation's suggestions) and a parse.
``suggest_in_sentence`` finds, in order:

- a trigger verb ("mine", "refine", "export", "ban", "fund", "sign", "join", "operate"):
  its subject (or the subject of the verb it depends on: "agreed to invest") is the head;
  the tail is its object, the object of a preposition the type takes ("invest in", "ban …
  on", "partner with", "lies in"), or such a phrase under its object ("banned exports of
  antimony to the US", "tightened controls on gallium") and the modifiers of those words
  ("rare earth magnets");
- a trigger noun ("producer of X", "X reserves", "X processing in Y", "exports of X from Y
  to Z", "agreement with"): its head is the subject of the verb it is the object or
  attribute of, a possessive ("Peru's exports"), the noun it stands beside ("SQM, a
  lithium producer") or the object of a head preposition ("from", "in");
- a group noun with "including" ("the MSP, a coalition including A, B and C"): A, B and C
  are members of the organisation it names;
- LOCATED_IN from the text's shape: "Mountain Pass in California", "China's Ministry of
  Commerce".

Every list is expanded (conjuncts on both sides). A verb that is negated ("did not"), under
a modal ("could", "may", "might", "would", "should", "can"), under a hedging verb ("plans
to ship") or in a question is refused with everything it governs. A pair is kept only if
the project has the type and the type allows the ends' labels (``RelationType.allows``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from core.models import RelationType
from core.resources import resource_path

# Prepositions whose object is the tail of a verb or noun trigger of the type; the object
# of a "head" preposition of a noun is its head ("processing in China", "exports from Peru").
TAIL_PREPS: dict[str, frozenset[str]] = {
    "PRODUCES": frozenset({"of"}),
    "PROCESSES": frozenset({"of"}),
    "HOLDS_RESERVES": frozenset({"of"}),
    "SUPPLIES": frozenset({"of", "to"}),
    "RESTRICTS": frozenset({"on", "of", "to", "against"}),
    "FUNDS": frozenset({"to", "in", "into", "for"}),
    "PARTNERS_WITH": frozenset({"with"}),
    "MEMBER_OF": frozenset({"of"}),
    "LOCATED_IN": frozenset({"in", "at"}),
}
HEAD_PREPS: dict[str, frozenset[str]] = {
    "PRODUCES": frozenset({"in", "from", "by"}),
    "PROCESSES": frozenset({"in", "by"}),
    "HOLDS_RESERVES": frozenset({"in"}),
    "SUPPLIES": frozenset({"from", "by"}),
    "RESTRICTS": frozenset({"by"}),
    "FUNDS": frozenset({"from", "by"}),
}
# Words that modify a noun and may be an end themselves ("rare earth magnets").
_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss"})
_SUBJECTS = frozenset({"nsubj"})
_BE = frozenset({"be", "is", "are", "was", "were", "been", "being"})
_PREPS = frozenset({"prep", "dative"})  # "lend $50 million to Ghana": "to" is a dative
_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_NOUN_HOSTS = frozenset({"dobj", "attr", "oprd", "nsubjpass"})
# The trigger stands under the verb that carries its subject: "agreed to invest", "moved to
# ban", "tightened … and banned …". Not a purpose clause ("signed … to secure supplies of
# lithium"): what it aims at is not stated as done.
_CLIMB = frozenset({"xcomp", "conj"})


@dataclass(frozen=True)
class Lexicon:
    """The trigger words (``resources/relations/triggers.json``), by type."""

    verbs: Mapping[str, tuple[str, ...]]  # lemma -> types
    nouns: Mapping[str, tuple[str, ...]]  # lemma or word -> types
    objects: frozenset[str]
    members: frozenset[str]
    hedges: frozenset[str]
    modals: frozenset[str]
    lemmas: Mapping[str, str]  # an inflected verb form -> its lemma ("sold" -> "sell")

    def lemma(self, tok: Token) -> str:
        """The token's lemma as far as the triggers need it, without spaCy's lemmatizer
        (which with the attribute ruler it needs cost as much as the parser here)."""
        return self.lemmas.get(tok.lower_, tok.lower_)

    def kinds_in(self, words: Iterable[str]) -> set[str]:
        """The relation types the trigger words among these lower-case words may state
        (a sentence with none that fits its entities is not parsed)."""
        kinds: set[str] = set()
        for word in words:
            kinds.update(self.verbs.get(self.lemmas.get(word, ""), ()))
            kinds.update(self.nouns.get(word, ()))
            if word in self.members:
                kinds.add("MEMBER_OF")
        return kinds

    @classmethod
    def read(cls, path: Path) -> Lexicon:
        raw = json.loads(path.read_text(encoding="utf-8"))

        def by_word(table: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
            out: dict[str, tuple[str, ...]] = {}
            for kind, words in table.items():
                for word in words:
                    out[word] = (*out.get(word, ()), kind)
            return out

        verbs = by_word(raw["verbs"])
        lemmas = {form: lemma for lemma in [*verbs, *raw["hedges"]]
                  for form in inflections(lemma)}
        lemmas.update({form: lemma for form, lemma in raw["irregular"].items()})
        return cls(verbs, by_word(raw["nouns"]), frozenset(raw["objects"]),
                   frozenset(raw["members"]), frozenset(raw["hedges"]),
                   frozenset(raw["modals"]), lemmas)


def inflections(lemma: str) -> set[str]:
    """The regular English forms of a verb: ban, bans, banned, banning; supply, supplies,
    supplied; refine, refines, refined, refining (irregular ones are listed in the file)."""
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
        forms |= {plural, lemma + "ed", lemma + "ing"}
        if len(lemma) <= 4 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" \
                and lemma[-3:-2] not in ("a", "e", "i", "o", "u", ""):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # ban, banned
    return forms


@cache
def lexicon() -> Lexicon:
    """The shipped trigger lexicon, read once per process."""
    return Lexicon.read(resource_path("relations", "triggers.json"))


def allowed_pairs(types: Iterable[RelationType]) -> frozenset[tuple[str, str]]:
    """Label pairs (either order) some type allows: a sentence without one is not parsed."""
    pairs = set()
    for rtype in types:
        for head in rtype.head_labels:
            for tail in rtype.tail_labels:
                pairs |= {(head, tail), (tail, head)}
    return frozenset(pairs)


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for tok in tokens:
        for t in (tok, *tok.conjuncts):
            if t not in out:
                out.append(t)
    return out


def _anchor(tok: Token) -> Token:
    """The first of a list: "Japan" in "Japan, Korea and China" stands for all three."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _refused(verb: Token, lex: Lexicon) -> bool:
    """Negated, supposed or asked: nothing the verb governs is stated as a fact."""
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't"):
                return True
            if child.dep_ in ("aux", "auxpass") and child.lower_ in lex.modals:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "whether", "unless"):
                return True
        if tok is not verb and lex.lemma(tok) in lex.hedges:
            return True
        if tok.dep_ not in ("xcomp", "conj") or tok.head is tok:
            break
        tok = tok.head
    return lex.lemma(tok) in lex.hedges and tok is not verb


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, or those of the verb it depends on ("agreed to invest")."""
    tok = verb
    for _ in range(4):
        found = [c for c in tok.children if c.dep_ in _SUBJECTS]
        if found:
            return _with_conjuncts(found)
        if tok.dep_ not in _CLIMB or tok.head is tok:
            return []
        tok = tok.head
    return []


def _reach(tok: Token, preps: frozenset[str], lex: Lexicon, depth: int = 2) -> list[Token]:
    """``tok`` and its list, their modifiers, and the objects of ``preps`` under them."""
    out: list[Token] = []
    for t in _with_conjuncts([tok]):
        out.append(t)
        out += [c for c in t.children if c.dep_ in _MODIFIERS]
        if depth <= 0:
            continue
        for prep in t.children:
            if prep.dep_ in _PREPS and prep.lower_ in preps:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        out += _reach(obj, preps, lex, depth - 1)
    return out


def _verb_tails(verb: Token, kind: str, lex: Lexicon) -> list[Token]:
    preps = TAIL_PREPS.get(kind, frozenset())
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ == "dative" and child.tag_ in ("IN", "TO"):
            if child.lower_ in preps:
                out += [t for obj in child.children if obj.dep_ == "pobj"
                        for t in _reach(obj, preps, lex, 1)]
        elif child.dep_ in _OBJECTS and kind != "PARTNERS_WITH":
            out += _reach(child, preps, lex)
        elif child.dep_ in _PREPS and child.lower_ in preps:
            out += [t for obj in child.children if obj.dep_ == "pobj"
                    for t in _reach(obj, preps, lex, 1)]
        elif child.dep_ in _OBJECTS and kind == "PARTNERS_WITH":
            # "signed an agreement with X": the partner stands under the object.
            out += [t for prep in child.children if prep.dep_ in _PREPS
                    and prep.lower_ in preps
                    for obj in prep.children if obj.dep_ == "pobj"
                    for t in _reach(obj, preps, lex, 0)]
    return out


class _Found:
    """Pairs of token indices per type, gathered in one sentence."""

    def __init__(self) -> None:
        self.pairs: list[tuple[list[Token], str, list[Token]]] = []

    def add(self, heads: Sequence[Token], kind: str, tails: Sequence[Token]) -> None:
        if heads and tails:
            self.pairs.append((list(heads), kind, list(tails)))


def _verbs(doc: Doc, lex: Lexicon, found: _Found) -> None:
    for verb in doc:
        if not verb.tag_.startswith("VB"):
            continue
        lemma = lex.lemma(verb)
        kinds = lex.verbs.get(lemma, ())
        if lemma in _BE:
            kinds = ("LOCATED_IN",)  # "Mountain Pass is in California"
        if not kinds or _refused(verb, lex):
            continue
        subjects = _subjects(verb)
        for kind in kinds:
            tails = _verb_tails(verb, kind, lex)
            if lemma in _BE:
                tails = [t for prep in verb.children if prep.dep_ in _PREPS
                         and prep.lower_ == "in" for obj in prep.children
                         if obj.dep_ == "pobj" for t in _reach(obj, frozenset(), lex, 0)]
            found.add(subjects, kind, tails)
            if kind == "PARTNERS_WITH" and len(subjects) > 1:
                for i, one in enumerate(subjects):
                    found.add([one], kind, subjects[i + 1:])


def _misread_verbs(doc: Doc, lex: Lexicon, found: _Found) -> None:
    """"Brazil mines niobium": the small parser reads a short sentence with no verb as one
    noun phrase ("mines" a compound). In a sentence whose root is not a verb, a trigger
    verb's word that modifies a noun, between two entities, is read as the verb it is."""
    if any(t.dep_ == "ROOT" and t.tag_.startswith("VB") for t in doc):
        return
    for word in doc[1:-1]:
        kinds = lex.verbs.get(lex.lemma(word), ())
        before, after = doc[word.i - 1], doc[word.i + 1]
        if not kinds or word.ent_type_ or not before.ent_type_ or after.ent_iob_ != "B" \
                or word.dep_ not in ("compound", "amod", "nmod"):
            continue
        head = next(e for e in doc.ents if e.start <= before.i < e.end)
        tail = next(e for e in doc.ents if e.start == after.i)
        for kind in kinds:
            found.add([head.root], kind, _reach(tail.root, TAIL_PREPS.get(kind, frozenset()),
                                                lex))


def _noun_heads(noun: Token, kind: str, lex: Lexicon) -> list[Token] | None:
    """Who the noun's fact is about; None when the verb carrying it is refused."""
    heads: list[Token] = []
    host = _anchor(noun)
    if any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in noun.children):
        return None  # "its cobalt refinery": whose is not in the sentence
    if host.dep_ in _NOUN_HOSTS:
        verb = host.head
        if _refused(verb, lex) or lex.lemma(verb) in lex.verbs:
            return None  # a trigger verb's object is the verb's ("banned exports of X")
        heads += _subjects(verb)
    if host.dep_ == "appos":
        heads += _with_conjuncts([host.head])
    heads += [c for c in noun.children if c.dep_ == "poss"]
    for prep in noun.children:
        if prep.dep_ in _PREPS and prep.lower_ in HEAD_PREPS.get(kind, ()):
            heads += [t for obj in prep.children if obj.dep_ == "pobj"
                      for t in _reach(obj, frozenset(), lex, 0)]
    return heads


def _nouns(doc: Doc, lex: Lexicon, found: _Found) -> None:
    for noun in doc:
        if not noun.tag_.startswith("NN") or noun.ent_type_:
            continue  # a word of a name ("Minerals Security Partnership") triggers nothing
        kinds = lex.nouns.get(noun.lower_, ())
        for kind in kinds:
            heads = _noun_heads(noun, kind, lex)
            if heads is None:
                break
            preps = TAIL_PREPS.get(kind, frozenset())
            tails = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
            for prep in noun.children:
                if prep.dep_ in _PREPS and prep.lower_ in preps:
                    tails += [t for obj in prep.children if obj.dep_ == "pobj"
                              for t in _reach(obj, preps, lex, 1)]
            found.add(heads, kind, tails)


def _members(doc: Doc, lex: Lexicon, found: _Found) -> None:
    """"the MSP, a coalition including A, B and C": A, B and C are members of the MSP."""
    for group in doc:
        if group.lower_ not in lex.members or group.dep_ != "appos":
            continue
        listed = [obj for inc in group.children if inc.lower_ in ("including", "of")
                  for obj in inc.children if obj.dep_ in ("pobj", "dobj")]
        found.add(_with_conjuncts(listed), "MEMBER_OF", [group.head])


def _places(doc: Doc, found: _Found) -> None:
    """"Mountain Pass in California", "China's Ministry of Commerce": LOCATED_IN."""
    for ent in doc.ents:
        root = ent.root
        for child in root.children:
            if child.dep_ in _PREPS and child.lower_ == "in":
                found.add([root], "LOCATED_IN",
                          [o for o in child.children if o.dep_ == "pobj"])
            if child.dep_ == "poss":
                found.add([root], "LOCATED_IN", [child])


def suggest_in_sentence(doc: Doc, types: Mapping[str, RelationType],
                        lex: Lexicon | None = None) -> list[tuple[int, int, str]]:
    """``(head, tail, type)`` by index into ``doc.ents`` for what the sentence states.

    ``doc`` is one parsed sentence with its entities; ``types`` the project's relation
    types by name. Only types the project has and whose labels fit are kept; a symmetric
    type keeps the pair in text order; no pair twice."""
    lex = lex or lexicon()
    if doc.text.rstrip().endswith("?"):
        return []
    ent_at: dict[int, int] = {}
    for i, ent in enumerate(doc.ents):
        for t in range(ent.start, ent.end):
            ent_at[t] = i
    found = _Found()
    _verbs(doc, lex, found)
    _misread_verbs(doc, lex, found)
    _nouns(doc, lex, found)
    _members(doc, lex, found)
    _places(doc, found)
    out: list[tuple[int, int, str]] = []
    for heads, kind, tails in found.pairs:
        rtype = types.get(kind)
        if rtype is None:
            continue
        head_ents = list(dict.fromkeys(ent_at[t.i] for t in heads if t.i in ent_at))
        tail_ents = list(dict.fromkeys(ent_at[t.i] for t in tails if t.i in ent_at))
        for h in head_ents:
            for t in tail_ents:
                if h == t:
                    continue
                head, tail = (min(h, t), max(h, t)) if rtype.symmetric else (h, t)
                labels = (doc.ents[head].label_, doc.ents[tail].label_)
                if rtype.allows(*labels) and (head, tail, kind) not in out:
                    out.append((head, tail, kind))
    return out
