"""Each article's share of the statistics, kept with every write so the statistics are
one small read on 100,000 articles (issue 16), as ``label_counts`` is for the labels.

An article's *summary* is a few counted keys:

- ``judged`` (model, label, outcome): in an approved article, what became of each span a
  pre-annotator made and of each a reviewer added (``OUTCOME_SQL``);
- ``rjudged`` (model, type, outcome): the same for relations (``RELATION_OUTCOME_SQL``):
  a suggestion kept, retyped ("corrected"), rejected (itself or by rejecting an end), or
  one a reviewer drew ("added");
- ``fact`` (country, mineral): an approved article with a sentence naming both (the facts
  rule the project was handed, ``core.store.rules``: the app's is ``core.nlp.facts``, the
  rule of the facts export);
- ``claim_country`` / ``claim_mineral`` (id, verdict): an accepted claim naming them, in
  an article not rejected;
- ``edge``, ``edge_any``, ``chain``, ``chain_any``, ``node_name``: the article's share of
  the supply-chain map (``core.store.chain_edges``), from its live relations.

``article_stats`` holds each article's rows (so a cell of the map finds its articles
through an index) and ``stat_counts`` their sums. ``Db.recount`` calls ``update`` (with the
project's facts rule) in the transaction of every span, claim and status write; it
recomputes the one article and applies the difference, so the sums cannot drift from the
rows (``fresh_totals`` is the check the tests make).
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from core.store.chain_edges import edge_rows
from core.store.rows import SPAN_FIELDS, make_span
from core.store.rules import FactsRule
from core.text.kb_ids import COUNTRY_LABELS, country_of
from core.text.sentences import SentenceIndex

Key = tuple[str, str, str, str]  # (kind, a, b, c)

# What became of a span in an approved article. A suggestion keeps what the model gave it
# in ``suggested_*`` (schema v9) and a reviewer's edits change only start/end/label, so:
# kept as suggested, corrected (bounds or label), rejected; or added by a reviewer.
OUTCOMES = ("kept", "corrected", "rejected", "added")
OUTCOME_SQL = """CASE
    WHEN origin IN ('model', 'rules') AND state = 'rejected' THEN 'rejected'
    WHEN origin IN ('model', 'rules') AND state = 'suggested' THEN 'undecided'
    WHEN origin IN ('model', 'rules') AND start = suggested_start
         AND "end" = suggested_end AND label = suggested_label THEN 'kept'
    WHEN origin IN ('model', 'rules') THEN 'corrected'
    WHEN origin = 'reviewer' AND state = 'accepted' THEN 'added'
  END"""
# The same for relations (over ``relations r`` joined to its ends ``h`` and ``t``): a
# suggestion whose entity a reviewer rejected went with it, so it counts as rejected.
RELATION_OUTCOME_SQL = """CASE
    WHEN r.origin IN ('model', 'rules') AND (r.state = 'rejected' OR h.state = 'rejected'
         OR t.state = 'rejected') THEN 'rejected'
    WHEN r.origin IN ('model', 'rules') AND r.state = 'suggested' THEN 'undecided'
    WHEN r.origin IN ('model', 'rules') AND r.type = r.suggested_type THEN 'kept'
    WHEN r.origin IN ('model', 'rules') THEN 'corrected'
    WHEN r.origin = 'reviewer' AND r.state = 'accepted' AND h.state != 'rejected'
         AND t.state != 'rejected' THEN 'added'
  END"""
# The place labels as an SQL list, ('GPE', 'NORP'): for the queries that pick places.
PLACE_LABELS_SQL = "('" + "', '".join(sorted(COUNTRY_LABELS)) + "')"


def summarise(conn: sqlite3.Connection, article_id: int, facts: FactsRule) -> Counter[Key]:
    """The article's share, computed from its rows as they are now."""
    out: Counter[Key] = Counter()
    row = conn.execute("SELECT status, model FROM articles WHERE id = ?",
                       (article_id,)).fetchone()
    if row is None:
        return out
    status, article_model = row
    out.update(edge_rows(conn, article_id, status))
    if status == "approved":
        for model, label, outcome, n in conn.execute(
                f"SELECT model, COALESCE(suggested_label, label), {OUTCOME_SQL} AS outcome, "
                "count(*) FROM spans WHERE article_id = ? GROUP BY 1, 2, 3", (article_id,)):
            if outcome in OUTCOMES or outcome == "undecided":  # not an import, nor a
                # reviewer's own rejected span
                # A reviewer's entity is one the article's pre-annotator missed.
                out[("judged", model or article_model or "", label, outcome)] += n
        # A migration from before relations (v11) summarises before the table exists.
        has_relations = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                     "AND name = 'relations'").fetchone()
        for model, kind, outcome, n in conn.execute(
                f"SELECT r.model, COALESCE(r.suggested_type, r.type), "
                f"{RELATION_OUTCOME_SQL} AS outcome, count(*) FROM relations r "
                "JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id "
                "WHERE r.article_id = ? GROUP BY 1, 2, 3", (article_id,)
        ) if has_relations else ():
            if outcome in OUTCOMES or outcome == "undecided":
                out[("rjudged", model or article_model or "", kind, outcome)] += n
        spans = [make_span(r) for r in conn.execute(
            f"SELECT {SPAN_FIELDS} FROM spans WHERE article_id = ? AND state != 'rejected' "
            f"AND (label = 'MINERAL' OR label IN {PLACE_LABELS_SQL}) ORDER BY start",
            (article_id,))]
        if spans:
            text, digest = conn.execute("SELECT text, sha256 FROM articles WHERE id = ?",
                                        (article_id,)).fetchone()
            pairs = {(f.country_id, f.mineral.kb_id)
                     for f in facts(text, spans, _sentences(text, digest)) if f.mineral.kb_id}
            for country, mineral in pairs:
                out[("fact", country, mineral, "")] = 1
    named: dict[tuple[str, str, str], set[int]] = {}
    if status == "rejected":  # an article thrown out says nothing (as claims-across has it)
        return out
    for claim_id, verdict, label, kb_id in conn.execute(
            "SELECT k.id, k.verdict, s.label, s.kb_id FROM claims k JOIN spans s "
            "ON s.article_id = k.article_id AND s.start >= k.start AND s.\"end\" <= k.\"end\" "
            "WHERE k.article_id = ? AND k.state = 'accepted' AND s.state != 'rejected' "
            f"AND s.kb_id IS NOT NULL AND (s.label = 'MINERAL' OR s.label IN {PLACE_LABELS_SQL})",
            (article_id,)):
        if label == "MINERAL":
            named.setdefault(("claim_mineral", kb_id, verdict), set()).add(claim_id)
        elif place := country_of(kb_id):
            named.setdefault(("claim_country", place, verdict), set()).add(claim_id)
    for (kind, key, verdict), claims in named.items():
        out[(kind, key, verdict, "")] = len(claims)
    return out


_SENTENCES: dict[str, SentenceIndex] = {}  # by text digest: an article's text never changes


def _sentences(text: str, digest: str) -> SentenceIndex:
    """The text's sentences, kept for the last few long articles: an edit in an approved
    530 KB article would otherwise split it again (about 100 ms)."""
    if len(text) < 20_000:
        return SentenceIndex(text)
    if digest not in _SENTENCES:
        if len(_SENTENCES) >= 4:
            _SENTENCES.pop(next(iter(_SENTENCES)))
        _SENTENCES[digest] = SentenceIndex(text)
    return _SENTENCES[digest]


def stored(conn: sqlite3.Connection, article_id: int) -> Counter[Key]:
    return Counter({(kind, a, b, c): n for kind, a, b, c, n in conn.execute(
        "SELECT kind, a, b, c, n FROM article_stats WHERE article_id = ?", (article_id,))})


def update(conn: sqlite3.Connection, article_id: int, facts: FactsRule) -> None:
    """Bring the article's rows and the sums up to date, in the caller's transaction."""
    new = summarise(conn, article_id, facts)
    old = stored(conn, article_id)
    if new == old:
        return
    conn.execute("DELETE FROM article_stats WHERE article_id = ?", (article_id,))
    conn.executemany("INSERT INTO article_stats(article_id, kind, a, b, c, n) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(article_id, *key, n) for key, n in new.items()])
    delta = Counter(new)
    delta.subtract(old)
    conn.executemany(
        "INSERT INTO stat_counts(kind, a, b, c, n) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(kind, a, b, c) DO UPDATE SET n = n + excluded.n",
        [(*key, n) for key, n in delta.items() if n])


def rebuild(conn: sqlite3.Connection, facts: FactsRule) -> None:
    """Every article's rows and the sums from scratch (a migration, a bulk load)."""
    conn.execute("DELETE FROM article_stats")
    conn.execute("DELETE FROM stat_counts")
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        update(conn, article_id, facts)


def fresh_totals(conn: sqlite3.Connection, facts: FactsRule) -> Counter[Key]:
    """The sums recomputed from every article's rows (what ``stat_counts`` must equal)."""
    total: Counter[Key] = Counter()
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        total.update(summarise(conn, article_id, facts))
    return total


def totals(conn: sqlite3.Connection, kind: str) -> list[tuple[str, str, str, int]]:
    """The kept sums of one kind, (a, b, c, n) with n > 0."""
    return [tuple(r) for r in conn.execute(
        "SELECT a, b, c, n FROM stat_counts WHERE kind = ? AND n > 0", (kind,))]
