"""Each article's share of the supply-chain map, kept in ``article_stats`` and summed in
``stat_counts`` by ``core.store.summaries`` with every span, relation and status write,
so the map is one small read on 100,000 articles.

The rows of one article (each counted once however many relations state it, so a sum is
a number of articles):

- ``edge`` (head, type, tail): an approved article states the relation (accepted, live);
- ``edge_any`` (head, type, tail): any article not rejected states it, live, whether
  accepted or still a suggestion (the map "with suggestions");
- ``chain`` / ``chain_any`` (mineral): the article states an ``edge`` / ``edge_any``
  touching the mineral, so a mineral's chain finds its articles through the index;
- ``node_name`` (node, name): how the article names a node, so a node known only by its
  name (or an id no entry names) is drawn with the name most articles use.

A symmetric type (PARTNERS_WITH) keeps its two ends in key order, so "A partners with B"
and "B partners with A" are one edge.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from core.text.chain_nodes import MINERAL, node_key, node_kind
from core.text.sentences import SentenceIndex

Key = tuple[str, str, str, str]
EdgeKey = tuple[str, str, str]  # (head node, type, tail node)
EDGE, EDGE_ANY, CHAIN, CHAIN_ANY, NODE_NAME = "edge", "edge_any", "chain", "chain_any", \
    "node_name"


def has_relations(conn: sqlite3.Connection) -> bool:
    """Whether the file has relations yet (a migration before v11 has not made them)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'relations'").fetchone() is not None


def symmetric_types(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute(
        "SELECT name FROM relation_types WHERE symmetric != 0")}


def edge_rows(conn: sqlite3.Connection, article_id: int, status: str) -> Counter[Key]:
    """The article's map rows (see the module), from its relations as they are now."""
    out: Counter[Key] = Counter()
    if status == "rejected" or not has_relations(conn):
        return out
    from core.store.relations import JOIN_ENDS, LIVE  # the one liveness rule; imported
    # here, as core.store.relations imports the store this module is part of

    rows = conn.execute(
        f"SELECT r.type, r.state, h.label, h.kb_id, h.text, t.label, t.kb_id, t.text "
        f"{JOIN_ENDS} WHERE r.article_id = ? AND {LIVE}", (article_id,)).fetchall()
    if not rows:
        return out
    symmetric = symmetric_types(conn)
    for kind, state, h_label, h_id, h_text, t_label, t_id, t_text in rows:
        head, tail = node_key(h_label, h_id, h_text), node_key(t_label, t_id, t_text)
        if kind in symmetric and tail < head:
            head, tail = tail, head
            h_label, h_id, h_text, t_label, t_id, t_text = (t_label, t_id, t_text, h_label,
                                                            h_id, h_text)
        approved = status == "approved" and state == "accepted"
        kinds = (EDGE, EDGE_ANY) if approved else (EDGE_ANY,)
        for edge in kinds:
            out[(edge, head, kind, tail)] = 1
            for end in (head, tail):
                if node_kind(end) == MINERAL:
                    out[(CHAIN if edge == EDGE else CHAIN_ANY, end, "", "")] = 1
        for end, text in ((head, h_text), (tail, t_text)):
            if not end.startswith("country:"):
                out[(NODE_NAME, end, " ".join(text.split()), "")] = 1
    return out


KEPT_SINCE = "chain_map_kept"  # meta key: every article's map rows are in article_stats


def count_once(db) -> None:
    """Count the map rows of every article with relations, once per file: a file already at
    schema v11 before the map (issue 27) has relations whose rows were never kept (no
    schema version is spent on it), nor the index on the published date the map's date
    range reads (``schema.PUBLISHED_INDEX``). ``db``: the project's ``core.store.db.Db``."""
    from core.store.schema import PUBLISHED_INDEX

    conn = db.conn
    if has_relations(conn):
        conn.execute(PUBLISHED_INDEX)
    if not has_relations(conn) or conn.execute(
            "SELECT 1 FROM meta WHERE key = ?", (KEPT_SINCE,)).fetchone() is not None:
        return
    kinds = (EDGE, EDGE_ANY, CHAIN, CHAIN_ANY, NODE_NAME)
    marks = ", ".join("?" * len(kinds))
    with db.write() as conn:  # only the map's rows: the other statistics are kept already
        conn.execute(f"DELETE FROM article_stats WHERE kind IN ({marks})", kinds)
        conn.execute(f"DELETE FROM stat_counts WHERE kind IN ({marks})", kinds)
        total: Counter[Key] = Counter()
        for article_id, status in conn.execute(
                "SELECT id, status FROM articles WHERE id IN "
                "(SELECT article_id FROM relations)").fetchall():
            rows = edge_rows(conn, article_id, status)
            conn.executemany("INSERT INTO article_stats(article_id, kind, a, b, c, n) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             [(article_id, *key, n) for key, n in rows.items()])
            total.update(rows)
        conn.executemany("INSERT INTO stat_counts(kind, a, b, c, n) VALUES (?, ?, ?, ?, ?)",
                         [(*key, n) for key, n in total.items()])
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (KEPT_SINCE,))


def is_kept(conn: sqlite3.Connection) -> bool:
    """Whether the kept rows can be read (else the map is computed from the relations: a
    file opened read-only before it was ever opened by this version)."""
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (KEPT_SINCE,)).fetchone() \
        is not None


# ---- reading the map


@dataclass(frozen=True)
class MapFilter:
    """What the map shows. ``mineral``: a node key, a mineral id or a mineral's name;
    ``types``: relation types (none: all); ``since``/``until``: the article's published date
    (``YYYY-MM-DD``, both ends included); ``reviewer``: who approved the article;
    ``suggestions``: also relations not approved yet (live, in articles not rejected)."""

    mineral: str | None = None
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    reviewer: str | None = None
    suggestions: bool = False

    def by_article(self) -> bool:
        """Whether the articles' own rows must be read (not only the sums)."""
        return bool(self.since or self.until or self.reviewer or self.mineral)


class Evidence(NamedTuple):
    """One sentence stating an edge (``core.store.statistics.Sentence``'s fields first, so
    the window's "go to the article" takes either)."""

    article_id: int
    title: str
    published: str
    start: int
    end: int
    text: str
    relation_id: int


def _article_conditions(flt: MapFilter, alias: str = "ar") -> tuple[list[str], list[object]]:
    where: list[str] = []
    args: list[object] = []
    # ISO dates and times compare as text; "~" sorts after any time of the last day.
    if flt.since:
        where.append(f"{alias}.published >= ?")
        args.append(flt.since[:10])
    if flt.until:
        where.append(f"{alias}.published != '' AND {alias}.published <= ?")
        args.append(flt.until[:10] + "~")
    if flt.reviewer:
        where.append(f"{alias}.reviewed_by = ?")
        args.append(flt.reviewer)
    return where, args


class ChainReads:
    """The reads behind the supply-chain map (``core.stats.chain_map`` assembles them)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def mineral_key(self, wanted: str) -> str:
        """The node key of a mineral named by key, id or name (``mineral:lithium``,
        "Lithium"); the id form when nothing knows it (a map with no edges)."""
        conn = self.conn
        if node_kind(wanted) == MINERAL and conn.execute(
                "SELECT 1 FROM stat_counts WHERE kind = ? AND a = ? AND n > 0 LIMIT 1",
                (NODE_NAME, wanted)).fetchone():
            return wanted
        for kb_id in (wanted, f"{MINERAL}:{wanted}"):  # through the index on links
            if conn.execute("SELECT 1 FROM spans WHERE kb_id = ? AND label = 'MINERAL' "
                            "LIMIT 1", (kb_id,)).fetchone():
                return node_key("MINERAL", kb_id, "")
        name = " ".join(wanted.split())
        row = conn.execute("SELECT a FROM stat_counts WHERE kind = ? AND a LIKE 'mineral:%' "
                           "AND lower(b) = lower(?) AND n > 0 ORDER BY n DESC LIMIT 1",
                           (NODE_NAME, name)).fetchone()
        if row is None and not is_kept(conn):  # no kept names to look in: the spans
            row = conn.execute("SELECT kb_id, text FROM spans WHERE label = 'MINERAL' AND "
                               "lower(text) = lower(?) LIMIT 1", (name,)).fetchone()
            row = row and (node_key("MINERAL", row[0], row[1]),)
        return row[0] if row else node_key("MINERAL", None, wanted)

    def weights(self, flt: MapFilter, mineral: str | None) -> Counter[EdgeKey]:
        """Articles per edge as ``flt`` narrows them; ``mineral``: only articles stating
        an edge to it (its chain is cut from these by ``core.stats.chain_map``)."""
        if not is_kept(self.conn):
            return self.weights_fresh(flt, mineral)
        conn = self.conn
        edge = EDGE_ANY if flt.suggestions else EDGE
        if not flt.by_article():
            return Counter({(a, b, c): n for a, b, c, n in conn.execute(
                "SELECT a, b, c, n FROM stat_counts WHERE kind = ? AND n > 0", (edge,))})
        where, args = _article_conditions(flt)
        # The loop starts where the rows are fewest (CROSS JOIN keeps SQLite's order): the
        # mineral's articles through the index on (kind, a, b, article_id), or the range's
        # articles through the index on their published date; then each one's edges by
        # the primary key (article_id, kind, ...).
        if mineral:
            sql = ("SELECT s.a, s.b, s.c, count(*) FROM article_stats m CROSS JOIN "
                   "article_stats s ON s.article_id = m.article_id AND s.kind = ?")
            if where:
                sql += " CROSS JOIN articles ar ON ar.id = m.article_id"
            where.insert(0, "m.kind = ? AND m.a = ? AND m.b = ''")
            args = [edge, CHAIN_ANY if flt.suggestions else CHAIN, mineral, *args]
        else:
            sql = ("SELECT s.a, s.b, s.c, count(*) FROM articles ar CROSS JOIN "
                   "article_stats s ON s.article_id = ar.id AND s.kind = ?")
            args = [edge, *args]
            if not flt.suggestions:
                where.append("ar.status = 'approved'")
        sql += " WHERE " + " AND ".join(where) + " GROUP BY 1, 2, 3"
        return Counter({(a, b, c): n for a, b, c, n in conn.execute(sql, args)})

    def weights_fresh(self, flt: MapFilter, mineral: str | None) -> Counter[EdgeKey]:
        """The weights computed from the relations themselves (a file whose rows were
        never kept, and the tests' check of the kept ones)."""
        where, args = _article_conditions(flt)
        sql = ("SELECT ar.id, ar.status FROM articles ar WHERE ar.id IN "
               "(SELECT article_id FROM relations)")
        out: Counter[EdgeKey] = Counter()
        edge = EDGE_ANY if flt.suggestions else EDGE
        for article_id, status in self.conn.execute(" AND ".join([sql, *where]),
                                                    args).fetchall():
            rows = edge_rows(self.conn, article_id, status)
            if mineral and not any(k[0] == (CHAIN_ANY if flt.suggestions else CHAIN)
                                   and k[1] == mineral for k in rows):
                continue
            out.update({(a, b, c): 1 for kind, a, b, c in rows if kind == edge})
        return out

    def minerals(self, suggestions: bool = True) -> list[str]:
        """The mineral nodes on the map (with suggestions: those of any live relation)."""
        return [k for (k,) in self.conn.execute(
            "SELECT a FROM stat_counts WHERE kind = ? AND n > 0 ORDER BY n DESC, a",
            (CHAIN_ANY if suggestions else CHAIN,))]

    def reviewers(self) -> list[str]:
        """Who approved articles (the map's reviewer filter)."""
        return [r for (r,) in self.conn.execute(
            "SELECT DISTINCT reviewed_by FROM articles WHERE status = 'approved' AND "
            "reviewed_by IS NOT NULL AND reviewed_by != '' ORDER BY 1")]

    def names_used(self, keys: set[str]) -> dict[str, str]:
        """For each node, the name most articles call it by (ties: the later in order)."""
        used: dict[str, tuple[int, str]] = {}
        for key, name, n in self.conn.execute(
                "SELECT a, b, n FROM stat_counts WHERE kind = ? AND n > 0", (NODE_NAME,)):
            if key in keys and (n, name) > used.get(key, (0, "")):
                used[key] = (n, name)
        return {key: name for key, (_n, name) in used.items()}

    def evidence(self, edge: EdgeKey, flt: MapFilter, articles: int = 50) -> list[Evidence]:
        """The sentences stating ``edge`` in the newest ``articles`` articles the filter
        keeps, newest first (each relation's sentences: ``SentenceIndex.around`` its
        ends)."""
        from core.store.relations import JOIN_ENDS, LIVE

        conn = self.conn
        head, kind, tail = edge
        where, args = _article_conditions(flt)
        where.append("ar.status != 'rejected'" if flt.suggestions
                     else "ar.status = 'approved'")
        if is_kept(conn):
            found = ("ar.id IN (SELECT article_id FROM article_stats WHERE kind = ? AND "
                     "a = ? AND b = ? AND c = ?)")
            args = [EDGE_ANY if flt.suggestions else EDGE, head, kind, tail, *args]
        else:
            found = "ar.id IN (SELECT article_id FROM relations WHERE type = ?)"
            args = [kind, *args]
        rows = conn.execute(
            f"SELECT ar.id, ar.title, ar.published, ar.text FROM articles ar WHERE {found} "
            "AND " + " AND ".join(where) + " ORDER BY ar.published DESC, ar.id DESC LIMIT ?",
            [*args, articles]).fetchall()
        symmetric = symmetric_types(conn)
        state = "" if flt.suggestions else " AND r.state = 'accepted'"
        out: list[Evidence] = []
        for article_id, title, published, text in rows:
            sentences = SentenceIndex(text)
            for rel_id, hs, he, hl, hk, ht, ts, te, tl, tk, tt in conn.execute(
                    f"SELECT r.id, h.start, h.\"end\", h.label, h.kb_id, h.text, t.start, "
                    f"t.\"end\", t.label, t.kb_id, t.text {JOIN_ENDS} WHERE r.article_id = ? "
                    f"AND r.type = ? AND {LIVE}{state} ORDER BY min(h.start, t.start)",
                    (article_id, kind)):
                ends = (node_key(hl, hk, ht), node_key(tl, tk, tt))
                if ends != (head, tail) and not (kind in symmetric and ends == (tail, head)):
                    continue
                start, end = sentences.around(min(hs, ts), max(he, te))
                out.append(Evidence(article_id, title or "", published or "", start, end,
                                    text[start:end], rel_id))
        return out
