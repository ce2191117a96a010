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

from core.chain.nodes import MINERAL, node_key, node_kind

Key = tuple[str, str, str, str]
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
    schema version is spent on it). ``db``: the project's ``core.store.db.Db``."""
    conn = db.conn
    if not has_relations(conn) or conn.execute(
            "SELECT 1 FROM meta WHERE key = ?", (KEPT_SINCE,)).fetchone() is not None:
        return
    with db.write() as conn:
        for (article_id,) in conn.execute("SELECT DISTINCT article_id FROM relations"):
            db.touch(article_id)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (KEPT_SINCE,))


def is_kept(conn: sqlite3.Connection) -> bool:
    """Whether the kept rows can be read (else the map is computed from the relations: a
    file opened read-only before it was ever opened by this version)."""
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (KEPT_SINCE,)).fetchone() \
        is not None
