"""Finding a canonical entry from a few typed letters: the rule the link field's list and
``assay-cli``'s "did you mean" share.

Why: the link field matched the typed text inside the line ``CN-NM — Nei Mongol Zizhiqu``
only, so "Inner" never found Inner Mongolia. Here every name of an entry counts (its id,
its name and every alias the lists give it), and a name matches when the typed words
begin its words, at any word: "Inner" and "mongolia" find Inner Mongolia, "ivory" Côte
d'Ivoire's "Ivory Coast", "katanga" Haut-Katanga, "n s w" New South Wales. Case and
accents do not count ("cote", "turkiye"). Whole names come first, then names that start
with the typed words, then names with a later word that does; the id, then the name,
then an alias; shorter names first; then by id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.models import KbEntry, KbFound

_WORD = re.compile(r"[^\W_]+")
MOST = 100  # lines a search returns: the field shows a dozen, the rest scroll


def fold(text: str) -> str:
    """Text as the search compares it: without accents, case-folded ("Côte" → "cote")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> tuple[str, ...]:
    """The folded words of a name ("Haut-Katanga" → ("haut", "katanga"))."""
    return tuple(_WORD.findall(fold(text)))


def word_rank(typed: tuple[str, ...], name: tuple[str, ...]) -> int | None:
    """0: the name is the typed words; 1: it starts with them; 2: a later word of it does
    (each typed word begins the name's word in its place); None: no match."""
    n = len(typed)
    if not n:
        return None
    for start in range(len(name) - n + 1):
        if all(word.startswith(t) for word, t in zip(name[start:start + n], typed, strict=True)):
            if start:
                return 2
            return 0 if name == typed else 1
    return None


@dataclass(frozen=True)
class _Indexed:
    entry: KbEntry
    folded_id: str
    forms: tuple[tuple[int, str, tuple[str, ...]], ...]  # (1 name / 2 alias, form, words)
    spaced: str  # " word word …" of every form: a quick test before the word by word one


class EntrySearch:
    """The entries of one label family, folded once (GPE has about 5,000 entries)."""

    def __init__(self, entries: Iterable[KbEntry]) -> None:
        self._index = [_index(entry) for entry in entries]

    def search(self, typed: str, most: int = MOST) -> list[KbFound]:
        """The entries ``typed`` finds, best first (the rule in the module docstring)."""
        typed_words = words(typed)
        folded = fold(typed.strip())
        if not folded:
            return []
        first = " " + typed_words[0] if typed_words else ""
        ranked = []
        for item in self._index:
            if first not in item.spaced and not item.folded_id.startswith(folded):
                continue
            best = None
            if item.folded_id == folded or item.folded_id.startswith(folded):
                best = (0 if item.folded_id == folded else 1, 0, 0, "")
            for kind, form, form_words in item.forms:
                rank = word_rank(typed_words, form_words)
                if rank is not None:
                    key = (rank, kind, len(form_words), form if kind == 2 else "")
                    if best is None or key < best:
                        best = key
            if best is not None:
                ranked.append((best[:3], item.entry.id, item.entry, best[3]))
        ranked.sort(key=lambda row: (row[0], row[1]))
        return [KbFound(entry, also) for _key, _id, entry, also in ranked[:most]]


def _index(entry: KbEntry) -> _Indexed:
    name = entry.short_name()
    named = words(name)
    forms = [(1, name, named)]
    seen = {named}
    for alias in entry.aliases:
        alias_words = words(alias)
        if alias_words and alias_words not in seen:
            seen.add(alias_words)
            forms.append((2, alias, alias_words))
    spaced = "".join(" " + " ".join(form_words) for _kind, _form, form_words in forms)
    return _Indexed(entry, fold(entry.id), tuple(forms), spaced)
