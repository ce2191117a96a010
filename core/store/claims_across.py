"""Claims across articles: what the rest of the corpus says about the things a claim names.

When a reviewer checks "China refines 70 % of the world's cobalt", the first evidence
is what other articles say about China and cobalt: their claims (with verdicts) and
their sentences, with their figures and dates, newest first, the figures that differ
from the claim's marked. Read-only; composed into ``core.store.Project`` like the
other parts (``Project.claims_across``, ``Project.mentions_across``).

The rules, each stated once here:

* **What a claim is about**: the linked ids of the live entities inside it. Places
  count as their country (``CD-LU`` is ``COD``, ``country_of``), and only on a GPE or
  NORP entity, as in the facts rule (``core.nlp.facts``); minerals and organisations (and a
  project's own ids) count as themselves.
* **What counts as mentioning it** (``subjects``): the claim's countries and
  organisations are paired with its minerals, and an item must name both halves of a
  pair: in one sentence, or anywhere inside a claim's passage. A country is named by
  its own id or by any of its provinces' (``CD-…`` for ``COD``). For a country and a
  mineral this is ``core.nlp.facts``' fact, found without splitting the whole article
  (``_passages``; a test holds the two to the same sentences). A claim naming only
  one kind of thing pairs those among themselves (two countries: both in one
  sentence); a claim naming one thing only matches that one.
* **Which articles count**: every article but rejected ones (a rejected article is
  off-topic or broken), and not the claim's own. Each item says its article's status.
* **Which items**: the article's claims (suggested or accepted: dismissed ones are
  decisions that the passage is not a claim) naming a pair, then its sentences naming
  one that no such claim already covers. Rejected entities name nothing.
* **Order and limit**: newest article first (``published`` as stored, ISO dates sort
  as text; undated articles last), then by article id, newest first; in the article in
  text order. At most ``limit`` items; ``articles`` says how many name a pair at all
  and ``scanned`` how many of them, newest first, were read to fill the list.
* **Figures**: the figures rule the project was handed (``core.store.rules``; the app's is
  ``core.nlp.figures``); an item's figure is marked "differs" when the claim has a figure
  of its kind and none with its value.

Fast on a 100,000-article project: the articles naming a pair are found through the
``spans(kb_id, article_id)`` index (schema v9) in one query; only their texts are read,
newest first, in chunks, until the list is full, and only the lines that name both
halves of a pair are split into sentences.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from core.errors import InvalidEdit
from core.models import PREVIEW_CHARS, shown_title
from core.store.rules import Figure, ProjectRules
from core.store.summaries import PLACE_LABELS_SQL
from core.text.kb_ids import COUNTRY_LABELS, country_of, subdivision_prefix
from core.text.sentences import sentence_bounds

LIMIT = 200
CHUNK = 200  # candidate articles read per round
DATE_LABEL = "DATE"
MINERAL_PREFIX = "mineral:"


@dataclass(frozen=True)
class MarkedFigure:
    """A figure of an item and how it compares with the claim's ("same", "differs", "")."""

    text: str
    kind: str
    value: float | None
    relation: str

    @property
    def differs(self) -> bool:
        return self.relation == "differs"


@dataclass(frozen=True)
class AcrossItem:
    """One claim or sentence of another article that names a pair of the subject."""

    article_id: int
    title: str  # as shown (``shown_title``): untrusted, show as plain text
    published: str
    status: str  # the article's review status
    start: int
    end: int
    text: str  # the passage: the claim's, or the sentence
    claim_id: int | None  # None for a sentence
    verdict: str  # a claim's verdict, "suggested" for an undecided one, "" for a sentence
    figures: tuple[MarkedFigure, ...]
    dates: tuple[str, ...]  # the DATE entities in the passage
    pairs: tuple[tuple[str, ...], ...]  # the subject's pairs it names
    # A relation matching one the claim states ("China PROCESSES rare earths", quoted by its
    # evidence sentence: ``core.store.relations_across``); "" for a claim or a sentence.
    relation: str = ""

    @property
    def kind(self) -> str:
        if self.relation:
            return "relation"
        return "sentence" if self.claim_id is None else "claim"

    @property
    def differs(self) -> bool:
        return any(f.differs for f in self.figures)


@dataclass
class Across:
    """What the corpus says about a subject (a claim's ids, or ids given by hand)."""

    ids: tuple[str, ...]  # the subject as asked: ids, places as their countries
    pairs: tuple[tuple[str, ...], ...]
    figures: tuple[Figure, ...]  # the claim's own, which the items' are compared with
    items: list[AcrossItem] = field(default_factory=list)
    articles: int = 0  # articles (other than the claim's, not rejected) naming a pair
    scanned: int = 0  # of those, read newest first to fill the list
    truncated: bool = False  # more items exist than ``items`` holds
    claim_id: int | None = None
    article_id: int | None = None  # the claim's article (excluded)


def key_of(kb_id: str) -> str:
    """What an id stands for in a subject: a place's country, anything else itself."""
    return country_of(kb_id) or kb_id


def subjects(ids: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The pairs an item must name (the rule in the module docstring), as keys."""
    keys = sorted({key_of(i) for i in ids if i})
    minerals = [k for k in keys if k.startswith(MINERAL_PREFIX)]
    others = [k for k in keys if not k.startswith(MINERAL_PREFIX)]
    if minerals and others:
        return tuple((o, m) for o in others for m in minerals)
    alone = others or minerals
    if len(alone) == 1:
        return ((alone[0],),)
    return tuple(combinations(alone, 2))


class ClaimsAcross:
    """The read-only queries behind the "Across the corpus" panel and ``assay-cli claims``."""

    def __init__(self, conn: sqlite3.Connection, rules: ProjectRules) -> None:
        self.conn = conn
        self.rules = rules  # the project's: its figures are found and compared by them

    # ---- the subject

    def claim_subject(self, claim_id: int) -> tuple[int, int, int, list[str], list[Figure]]:
        """A stored claim's article, range, linked ids and figures."""
        row = self.conn.execute('SELECT article_id, start, "end" FROM claims WHERE id = ?',
                                (claim_id,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No claim with id {claim_id}.")
        article_id, start, end = row
        text = self.conn.execute("SELECT text FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()[0]
        spans = self.conn.execute(
            'SELECT start, "end", label, kb_id FROM spans WHERE article_id = ? '
            "AND state != 'rejected' AND start >= ? AND \"end\" <= ? ORDER BY start",
            (article_id, start, end)).fetchall()
        ids = [kb for _s, _e, label, kb in spans
               if kb and (label in COUNTRY_LABELS or not country_of(kb))]
        figures = list(self.rules.figures_in(text, start, end,
                                             [(s, e, label) for s, e, label, _kb in spans]))
        return article_id, start, end, ids, figures

    def claims_across(self, claim_id: int, limit: int = LIMIT) -> Across:
        """What other articles say about what claim ``claim_id`` names (see the module)."""
        article_id, _start, _end, ids, figures = self.claim_subject(claim_id)
        across = self.mentions_across(ids, limit=limit, exclude_article=article_id,
                                      figures=figures)
        across.claim_id, across.article_id = claim_id, article_id
        return across

    def mentions_across(self, ids: Sequence[str], limit: int = LIMIT,
                        exclude_article: int | None = None,
                        figures: Sequence[Figure] = ()) -> Across:
        """The claims and sentences naming a pair of ``ids`` (``subjects``), newest first;
        their figures compared with ``figures`` (a claim's; none: nothing is marked)."""
        pairs = subjects(ids)
        across = Across(tuple(sorted({key_of(i) for i in ids if i})), pairs, tuple(figures))
        if not pairs or limit <= 0:
            return across
        expanded = {key: self._ids_of(key) for pair in pairs for key in pair}
        candidates = self._candidates(pairs, expanded, exclude_article)
        across.articles = len(candidates)
        wanted = {kb: key for key, kbs in expanded.items() for kb in kbs}
        for i in range(0, len(candidates), CHUNK):
            chunk = candidates[i:i + CHUNK]
            for items in self._read(chunk, pairs, wanted, figures):
                across.scanned += 1
                room = limit - len(across.items)
                across.items.extend(items[:room])
                if len(items) > room:
                    across.truncated = True
                if len(across.items) >= limit:
                    break
            if len(across.items) >= limit:
                break
        across.truncated = across.truncated or across.scanned < across.articles
        return across

    def _ids_of(self, key: str) -> list[str]:
        """The stored ids a key stands for: a country's own and its provinces' (found in
        the kb index by their common prefix), anything else itself."""
        prefix = subdivision_prefix(key)
        if prefix is None:
            return [key]
        upper = prefix[:-1] + chr(ord("-") + 1)  # "CD-" .. "CD." covers every "CD-…"
        rows = self.conn.execute("SELECT DISTINCT kb_id FROM spans WHERE kb_id >= ? "
                                 "AND kb_id < ?", (prefix, upper))
        return [key, *sorted(kb for (kb,) in rows if country_of(kb) == key)]

    def _candidates(self, pairs: Sequence[tuple[str, ...]], expanded: dict[str, list[str]],
                    exclude_article: int | None) -> list[tuple[int, str, str, str]]:
        """(id, title, published, status) of the articles naming both halves of some pair
        (by live entities, anywhere in the article), newest first."""
        parts: list[str] = []
        params: list[object] = []
        for pair in pairs:
            sides = []
            for key in pair:
                kbs = expanded[key]
                place = f" AND label IN {PLACE_LABELS_SQL}" if country_of(key) else ""
                sides.append(f"SELECT article_id FROM spans WHERE kb_id IN "
                             f"({','.join('?' * len(kbs))}) AND state != 'rejected'{place}")
                params.extend(kbs)
            parts.append(" INTERSECT ".join(sides))
        named = " UNION ".join(f"SELECT * FROM ({p})" for p in parts)
        sql = (f"SELECT id, title, published, status FROM articles WHERE id IN ({named}) "
               "AND status != 'rejected' AND id != ? ORDER BY published DESC, id DESC")
        return [tuple(r) for r in self.conn.execute(
            sql, [*params, -1 if exclude_article is None else exclude_article])]

    # ---- reading the candidates

    def _read(self, chunk: Sequence[tuple[int, str, str, str]],
              pairs: Sequence[tuple[str, ...]], wanted: dict[str, str],
              figures: Sequence[Figure]) -> Iterable[list[AcrossItem]]:
        """The items of each candidate article of ``chunk``, in its order."""
        ids = [row[0] for row in chunk]
        marks = ",".join("?" * len(ids))
        kb_marks = ",".join("?" * len(wanted))
        named: dict[int, list[tuple[int, int, str]]] = {}
        for article_id, start, end, kb, label in self.conn.execute(
                f'SELECT article_id, start, "end", kb_id, label FROM spans WHERE article_id '
                f"IN ({marks}) AND kb_id IN ({kb_marks}) AND state != 'rejected'",
                [*ids, *wanted]):
            if label in COUNTRY_LABELS or not country_of(kb):
                named.setdefault(article_id, []).append((start, end, wanted[kb]))
        texts = dict(self.conn.execute(
            f"SELECT id, text FROM articles WHERE id IN ({marks})", ids).fetchall())
        claims: dict[int, list[tuple[int, int, int, str, str]]] = {}
        for claim_id, article_id, start, end, verdict, state in self.conn.execute(
                f'SELECT id, article_id, start, "end", verdict, state FROM claims '
                f"WHERE article_id IN ({marks}) AND state != 'dismissed' "
                'ORDER BY start, "end", id', ids):
            claims.setdefault(article_id, []).append((claim_id, start, end, verdict, state))
        passages = {row[0]: _passages(texts[row[0]], named.get(row[0], []),
                                      claims.get(row[0], []), pairs) for row in chunk}
        having = [i for i in ids if passages[i]]
        extra: dict[int, list[tuple[int, int, str]]] = {}
        if having:
            labels = (*self.rules.figure_labels, DATE_LABEL)
            for article_id, start, end, label in self.conn.execute(
                    f'SELECT article_id, start, "end", label FROM spans WHERE article_id IN '
                    f"({','.join('?' * len(having))}) AND label IN "
                    f"({','.join('?' * len(labels))}) AND state != 'rejected'",
                    [*having, *labels]):
                extra.setdefault(article_id, []).append((start, end, label))
        for article_id, title, published, status in chunk:
            text = texts[article_id]
            shown = shown_title(title or "", text[:PREVIEW_CHARS])
            items = [_item(article_id, shown, published or "", status, text, p,
                           extra.get(article_id, []), figures, self.rules)
                     for p in passages[article_id]]
            yield items


@dataclass(frozen=True)
class _Passage:
    start: int
    end: int
    claim_id: int | None
    verdict: str
    pairs: tuple[tuple[str, ...], ...]


def _names(spans: Sequence[tuple[int, int, str]], start: int, end: int,
           pairs: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """The pairs whose every half has an entity inside ``[start, end)``."""
    inside = {key for s, e, key in spans if start <= s and e <= end}
    return tuple(p for p in pairs if all(k in inside for k in p))


def _passages(text: str, spans: Sequence[tuple[int, int, str]],
              claims: Sequence[tuple[int, int, int, str, str]],
              pairs: Sequence[tuple[str, ...]]) -> list[_Passage]:
    """An article's claims naming a pair, then its sentences naming one that those claims
    do not overlap, in text order. Only lines holding an entity of every half of some
    pair are split into sentences (a line break always ends a sentence)."""
    found = []
    for claim_id, start, end, verdict, state in claims:
        named = _names(spans, start, end, pairs)
        if named:
            found.append(_Passage(start, end, claim_id,
                                  "suggested" if state == "suggested" else verdict, named))
    lines: dict[int, list[tuple[int, int, str]]] = {}
    for span in spans:
        lines.setdefault(text.rfind("\n", 0, span[0]) + 1, []).append(span)
    for line_start, inside in sorted(lines.items()):
        if not _names(inside, 0, len(text), pairs):
            continue
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        for s, e in sentence_bounds(text[line_start:line_end]):
            s, e = s + line_start, e + line_start
            named = _names(inside, s, e, pairs)
            if named and not any(p.start < e and s < p.end
                                 for p in found if p.claim_id is not None):
                found.append(_Passage(s, e, None, "", named))
    return sorted(found, key=lambda p: (p.start, p.end))


def _item(article_id: int, title: str, published: str, status: str, text: str,
          passage: _Passage, spans: Sequence[tuple[int, int, str]],
          reference: Sequence[Figure], rules: ProjectRules) -> AcrossItem:
    s, e = passage.start, passage.end
    figures = tuple(MarkedFigure(f.text, f.kind, f.value, rules.compare(f, reference))
                    for f in rules.figures_in(text, s, e, spans))
    dates = tuple(text[a:b] for a, b, label in sorted(spans)
                  if label == DATE_LABEL and s <= a and b <= e)
    return AcrossItem(article_id, title, published, status, s, e, text[s:e],
                      passage.claim_id, passage.verdict, figures, dates, passage.pairs)
