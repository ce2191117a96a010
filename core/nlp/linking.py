"""Entity normalisation: which country, mineral or organisation a span names.

A verified dataset that says "GPE at 120–124" is half an answer; analysts join
on *which* country ("the U.S.", "US" and "United States" are all ``USA``). Ids:

* GPE and NORP spans link to ISO 3166-1 alpha-3 codes (pycountry): a GPE names
  a country, a NORP its people ("Chinese" → ``CHN``); a GPE that names a province
  or state links to its ISO 3166-2 code ("Lualaba" → ``CD-LU``). Cities have no
  ISO code and stay unlinked unless a reviewer adds an entry;
* MINERAL spans link to the mineral gazetteer's canonical ids (``mineral:ree``);
* ORG spans link to the organisation gazetteer (``org:iea`` for "IEA");
* LOC spans link to the region gazetteer.

Reviewers can add canonical entries of their own (a new miner, a local alias);
those live in the project file (``kb_entries``) and win over the built-in lists.
The :class:`Linker` only looks names up; it never guesses from similarity, so a
link it makes is one a reviewer can predict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from core.models import KbEntry, KbFound
from core.nlp.gazetteers import Gazetteer, load_gazetteer, read_names
from core.nlp.kb_search import EntrySearch
from core.resources import resource_path

# The id rules (syntax, label families, a place's country) live in core.text.kb_ids, below
# the store, which checks and counts by them; the linker's callers find them here too.
from core.text.kb_ids import (  # noqa: F401 - re-exported for the linker's callers
    COUNTRY_FAMILY,
    COUNTRY_LABELS,
    KB_ID_RULE,
    country_of,
    family,
    is_usable_kb_id,
    subdivision_prefix,
)

# Names that mean different places in our news: left for the reviewer to link.
AMBIGUOUS = frozenset({"Georgia", "GEORGIA"})

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACES = re.compile(r"\s+")
# Between an id and its name where a link is shown (the link field's completer lines).
SEPARATOR = " — "


def surface_forms(text: str) -> list[str]:
    """The forms of a span's text to look up: as written, without "the", without "'s"."""
    forms = [_SPACES.sub(" ", text.strip())]
    for pattern in (_LEADING_THE, _POSSESSIVE):
        trimmed = pattern.sub("", forms[-1]).strip()
        if trimmed and trimmed not in forms:
            forms.append(trimmed)
    return forms


class Linker:
    """Looks up a span's canonical id from the gazetteers, ISO 3166 and project entries."""

    def __init__(self, gazetteer: Gazetteer, extra: Iterable[KbEntry] = ()) -> None:
        self._exact: dict[tuple[str, str], str] = {}
        self._folded: dict[tuple[str, str], str] = {}
        self._entries: dict[str, dict[str, KbEntry]] = {}
        for entry in _iso_entries():
            self._add(entry)
        for entry in _subdivision_entries():  # after the countries: a country name wins
            self._add(entry)
        for fam, kb_id, english in _english_names():  # "Inner Mongolia" for "Nei Mongol"
            self._also(fam, kb_id, english, index=True)
        names: dict[tuple[str, str], list[str]] = {}
        for alias in gazetteer.aliases:  # the gazetteers win over pycountry ("Congo" = COD)
            names.setdefault((family(alias.label), alias.kb_id), []).append(alias.text)
            self._index(family(alias.label), alias.text, alias.kb_id, alias.exact,
                        override=True)
        for (fam, kb_id), aliases in names.items():
            if kb_id not in self._entries.get(fam, {}):
                self._entries.setdefault(fam, {})[kb_id] = KbEntry(kb_id, fam, aliases[0],
                                                                   tuple(aliases))
            else:  # "Burma" is MMR's too where the link field searches
                self._also(fam, kb_id, aliases, index=False)
        for entry in extra:  # reviewers' entries last: they win
            self._add(entry, override=True)

    def _index(self, fam: str, text: str, kb_id: str, exact: bool, override: bool = False) -> None:
        table, key = (self._exact, text) if exact else (self._folded, text.lower())
        if override or (fam, key) not in table:
            table[(fam, key)] = kb_id

    def _add(self, entry: KbEntry, override: bool = False) -> None:
        fam = family(entry.label)
        known = self._entries.setdefault(fam, {}).get(entry.id)
        if known and not override:
            return
        if known:  # a reviewer's extra aliases for a built-in id keep its name
            entry = KbEntry(entry.id, fam, entry.name or known.name,
                            tuple(dict.fromkeys(known.aliases + entry.aliases)), entry.source)
        self._entries[fam][entry.id] = entry
        for alias in (entry.name, *entry.aliases):
            if alias:
                self._index(fam, alias, entry.id, exact=True, override=override)
                self._index(fam, alias, entry.id, exact=False, override=override)

    def _also(self, fam: str, kb_id: str, aliases: Iterable[str], *, index: bool) -> None:
        """More names for a known entry (its name stays); ``index``: a name not taken yet
        links to it too."""
        known = self._entries.get(fam, {}).get(kb_id)
        if known is None:
            return
        have = {a.casefold() for a in (known.name, *known.aliases)}
        added = []
        for alias in aliases:
            if alias.casefold() not in have:
                have.add(alias.casefold())
                added.append(alias)
        if added:
            self._entries[fam][kb_id] = KbEntry(kb_id, fam, known.name,
                                                known.aliases + tuple(added), known.source)
        for alias in added if index else ():
            self._index(fam, alias, kb_id, exact=True)
            self._index(fam, alias, kb_id, exact=False)

    def extended(self, extra: Iterable[KbEntry]) -> Linker:
        """A copy with a project's own entries added (the built-in tables are built once)."""
        extra = list(extra)
        if not extra:
            return self
        other = object.__new__(Linker)
        other._exact = dict(self._exact)
        other._folded = dict(self._folded)
        other._entries = {fam: dict(entries) for fam, entries in self._entries.items()}
        for entry in extra:
            other._add(entry, override=True)
        return other

    def link(self, label: str, text: str, *, guess: bool = True) -> str | None:
        """The canonical id for a span, or None when the name is not known.

        An ambiguous name ("Georgia": the country or the US state with the battery
        plants) is not linked by default; ``guess=False`` is for a reviewer who typed
        it and means the listed one.
        """
        fam = family(label)
        if fam not in self._entries:
            return None
        if guess and _SPACES.sub(" ", text.strip()) in AMBIGUOUS:
            return None
        for form in surface_forms(text):
            kb_id = self._exact.get((fam, form)) or self._folded.get((fam, form.lower()))
            if kb_id:
                return kb_id
        return None

    def choices(self, label: str) -> list[KbEntry]:
        """Every entry a span with this label may link to, sorted by id (computed once per
        family: the completer asks on every entity selection, and GPE has 5,000)."""
        fam = family(label)
        cache = self.__dict__.setdefault("_choices", {})
        if fam not in cache:
            cache[fam] = sorted(self._entries.get(fam, {}).values(), key=lambda e: e.id)
        return cache[fam]

    def search(self, label: str, typed: str) -> list[KbFound]:
        """The entries of the label's list that typed text finds, best first
        (``core.nlp.kb_search``: any word of any name, case and accents aside); the entry
        the text links to by name, if any, first ("Congo": COD, as the gazetteer says)."""
        fam = family(label)
        cache = self.__dict__.setdefault("_searches", {})
        if fam not in cache:
            cache[fam] = EntrySearch(self.choices(label))
        found = cache[fam].search(typed)
        linked = self.link(label, typed, guess=False)  # what Enter would link comes first
        return sorted(found, key=lambda f: f.entry.id != linked)

    def entry(self, label: str, kb_id: str) -> KbEntry | None:
        return self._entries.get(family(label), {}).get(kb_id)

    def describe(self, label: str, kb_id: str) -> str:
        """One form for a link wherever it is shown: ``USA — United States``; the id is
        looked up in the label's own list first, then in the others (a NORP span linked to
        a country), and shown bare only when no list knows it."""
        entry = self.entry(label, kb_id) or next(
            (e for entries in self._entries.values() if (e := entries.get(kb_id))), None)
        return entry.display() if entry is not None else kb_id


@lru_cache(maxsize=1)
def _iso_entries() -> tuple[KbEntry, ...]:
    """ISO 3166-1 countries as entries: alpha-3 id, common name, and the names and codes."""
    import pycountry

    out = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        aliases = tuple(dict.fromkeys(
            n for n in (c.name, getattr(c, "official_name", None), c.alpha_3) if n))
        out.append(KbEntry(c.alpha_3, COUNTRY_FAMILY, name, aliases))
    return tuple(out)


# Subdivision names that news uses for something else ("Washington" is the US government
# far more often than the state), or that are also a country ("Georgia").
SUBDIVISION_STOPLIST = frozenset({"Washington", "Georgia", "Central", "Capital", "Federal"})
_ADMIN_SUFFIXES = re.compile(
    r"\s+(?:Sheng|Zizhiqu|Shi|Province|Region|State|Oblast|Krai|Governorate)$")


@lru_cache(maxsize=1)
def _subdivision_entries() -> tuple[KbEntry, ...]:
    """ISO 3166-2 provinces and states ("Lualaba" → CD-LU, "Nevada" → US-NV).

    Only names that are unique among all subdivisions and are not a country's name
    are used, so a link by name is never a coin toss between two places.
    """
    import pycountry

    countries = {n.lower() for c in pycountry.countries
                 for n in (c.name, getattr(c, "common_name", None),
                           getattr(c, "official_name", None)) if n}
    owners: dict[str, set[str]] = {}
    forms: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        names = [sub.name, _ADMIN_SUFFIXES.sub("", sub.name)]
        forms[sub.code] = list(dict.fromkeys(n for n in names if len(n) >= 4))
        for name in forms[sub.code]:
            owners.setdefault(name.lower(), set()).add(sub.code)
    out = []
    for sub in pycountry.subdivisions:
        usable = tuple(n for n in forms[sub.code]
                       if len(owners[n.lower()]) == 1 and n.lower() not in countries
                       and n not in SUBDIVISION_STOPLIST)
        if usable:
            out.append(KbEntry(sub.code, COUNTRY_FAMILY, f"{sub.name} ({sub.type})", usable))
    return tuple(out)


@lru_cache(maxsize=1)
def _english_names() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(family, ISO 3166-2 code, English names) from ``resources/kb/place_names.tsv``."""
    label, rows = read_names(resource_path("kb", "place_names.tsv"))
    return tuple((family(label), kb_id, tuple(names)) for kb_id, names in rows)


def builtin_linker() -> Linker:
    """A linker over the bundled gazetteers only (no project entries)."""
    return _builtin()


@lru_cache(maxsize=1)
def _builtin() -> Linker:
    return Linker(load_gazetteer())
