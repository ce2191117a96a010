"""The supply-chain map as read: nodes, typed edges weighted by the number of articles
stating them, and each edge's evidence sentences. The window, the CLI, the report and the
files all read it here.

The weights come from the rows every write keeps (``core.chain.kept``): the whole map is
one read of ``stat_counts``; a date range, a reviewer or a mineral reads the articles'
own rows through their index. A mineral's chain is every edge touching it and, from the
articles stating one, the edges between the others where one end has an edge to it ("Australia
exports lithium to China": Australia SUPPLIES China stays on lithium's map).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from core.chain.kept import CHAIN, CHAIN_ANY, EDGE, EDGE_ANY, NODE_NAME, edge_rows, is_kept
from core.chain.nodes import (
    COUNTRY,
    KIND_OF_LABEL,
    MINERAL,
    node_ident,
    node_key,
    node_kind,
    normalised_name,
)
from core.text.sentences import SentenceIndex

EdgeKey = tuple[str, str, str]  # (head node, type, tail node)
LABEL_OF_KIND = {kind: label for label, kind in KIND_OF_LABEL.items() if label != "NORP"}


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


@dataclass
class Node:
    key: str
    name: str
    kind: str  # country, mineral, organisation, place
    weight: int = 0  # the weights of its edges, summed


@dataclass
class Edge:
    head: str
    type: str
    tail: str
    weight: int  # articles stating it

    @property
    def key(self) -> EdgeKey:
        return (self.head, self.type, self.tail)


@dataclass
class ChainMap:
    nodes: dict[str, Node]
    edges: list[Edge]  # heaviest first
    filter: MapFilter = field(default_factory=MapFilter)
    colours: dict[str, str] = field(default_factory=dict)  # relation type -> colour
    symmetric: set[str] = field(default_factory=set)
    mineral: str | None = None  # the chosen mineral's node key

    def name(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.name if node else node_ident(key).lstrip("~")

    def describe(self, edge: Edge | EdgeKey) -> str:
        head, kind, tail = edge.key if isinstance(edge, Edge) else edge
        return f"{self.name(head)} {kind} {self.name(tail)}"

    def edges_of(self, key: str) -> list[Edge]:
        return [e for e in self.edges if key in (e.head, e.tail)]


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
    if flt.since:
        where.append(f"{alias}.published != '' AND substr({alias}.published, 1, 10) >= ?")
        args.append(flt.since[:10])
    if flt.until:
        where.append(f"{alias}.published != '' AND substr({alias}.published, 1, 10) <= ?")
        args.append(flt.until[:10])
    if flt.reviewer:
        where.append(f"{alias}.reviewed_by = ?")
        args.append(flt.reviewer)
    return where, args


def mineral_key(conn: sqlite3.Connection, wanted: str) -> str:
    """The node key of a mineral named by key, id or name (``lithium``, ``mineral:lithium``,
    "Lithium"); the id form when no stored row knows it (a map with no edges)."""
    for key in (wanted, f"{MINERAL}:{wanted}", f"{MINERAL}:~{normalised_name(wanted)}"):
        if node_kind(key) == MINERAL and conn.execute(
                "SELECT 1 FROM stat_counts WHERE kind = ? AND a = ? AND n > 0 LIMIT 1",
                (NODE_NAME, key)).fetchone():
            return key
    row = conn.execute("SELECT a FROM stat_counts WHERE kind = ? AND a LIKE 'mineral:%' "
                       "AND lower(b) = lower(?) AND n > 0 ORDER BY n DESC LIMIT 1",
                       (NODE_NAME, " ".join(wanted.split()))).fetchone()
    return row[0] if row else f"{MINERAL}:{wanted}"


def _weights_kept(conn: sqlite3.Connection, flt: MapFilter, mineral: str | None
                  ) -> Counter[EdgeKey]:
    edge = EDGE_ANY if flt.suggestions else EDGE
    if not flt.by_article():
        return Counter({(a, b, c): n for a, b, c, n in conn.execute(
            "SELECT a, b, c, n FROM stat_counts WHERE kind = ? AND n > 0", (edge,))})
    where, args = _article_conditions(flt)
    sql = "SELECT s.a, s.b, s.c, count(*) FROM article_stats s"
    if where:
        sql += " JOIN articles ar ON ar.id = s.article_id"
    where.insert(0, "s.kind = ?")
    args.insert(0, edge)
    if mineral:
        where.append("s.article_id IN (SELECT article_id FROM article_stats WHERE kind = ? "
                     "AND a = ? AND b = '')")
        args += [CHAIN_ANY if flt.suggestions else CHAIN, mineral]
    sql += " WHERE " + " AND ".join(where) + " GROUP BY 1, 2, 3"
    return Counter({(a, b, c): n for a, b, c, n in conn.execute(sql, args)})


def _weights_fresh(conn: sqlite3.Connection, flt: MapFilter, mineral: str | None
                   ) -> Counter[EdgeKey]:
    """The weights computed from the relations (a file whose rows were never kept)."""
    where, args = _article_conditions(flt)
    sql = ("SELECT ar.id, ar.status FROM articles ar WHERE ar.id IN "
           "(SELECT article_id FROM relations)")
    out: Counter[EdgeKey] = Counter()
    edge = EDGE_ANY if flt.suggestions else EDGE
    for article_id, status in conn.execute(" AND ".join([sql, *where]), args).fetchall():
        rows = edge_rows(conn, article_id, status)
        if mineral and not any(k[0] in (CHAIN, CHAIN_ANY) and k[1] == mineral for k in rows):
            continue
        out.update({(a, b, c): 1 for kind, a, b, c in rows if kind == edge})
    return out


def _in_chain(weights: Counter[EdgeKey], mineral: str) -> Counter[EdgeKey]:
    """The edges of a mineral's chain (see the module), from the weights of its articles."""
    chain = {h for h, _k, t in weights if t == mineral} | {t for h, _k, t in weights
                                                           if h == mineral}
    return Counter({
        (h, k, t): n for (h, k, t), n in weights.items()
        if mineral in (h, t) or (node_kind(h) != MINERAL and node_kind(t) != MINERAL
                                 and (h in chain or t in chain))})


def _names(project, conn: sqlite3.Connection, keys: set[str]) -> dict[str, str]:
    """Each node's name: a country's and a linked entity's from the gazetteers and the
    project's entries, else the name most articles use."""
    from core.stats.charts import display_names  # matplotlib: only when names are asked

    ids = [node_ident(k) for k in keys if node_kind(k) in (COUNTRY, MINERAL)
           and not node_ident(k).startswith("~")]
    known = display_names(project, ids) if project is not None else {}
    linker = project.linker() if project is not None else None
    used: dict[str, tuple[int, str]] = {}
    for key, name, n in conn.execute(
            "SELECT a, b, n FROM stat_counts WHERE kind = ? AND n > 0", (NODE_NAME,)):
        if key in keys and (n, name) > used.get(key, (0, "")):
            used[key] = (n, name)
    out: dict[str, str] = {}
    for key in keys:
        ident = node_ident(key)
        entry = None
        if linker is not None and not ident.startswith("~") and node_kind(key) not in (
                COUNTRY, MINERAL):
            entry = linker.entry(LABEL_OF_KIND.get(node_kind(key), node_kind(key).upper()),
                                 ident)
        if known.get(ident, ident) != ident:
            out[key] = known[ident]
        elif entry is not None and entry.name:
            out[key] = entry.name
        elif key in used:
            out[key] = used[key][1]
        else:
            out[key] = ident.lstrip("~")
    return out


def read_map(project, flt: MapFilter | None = None) -> ChainMap:
    """The map of ``project`` (a ``core.store.Project``) as ``flt`` narrows it."""
    flt = flt or MapFilter()
    conn = project.conn
    mineral = mineral_key(conn, flt.mineral) if flt.mineral else None
    weights = (_weights_kept if is_kept(conn) else _weights_fresh)(conn, flt, mineral)
    if mineral:
        weights = _in_chain(weights, mineral)
    if flt.types:
        weights = Counter({k: n for k, n in weights.items() if k[1] in flt.types})
    edges = sorted((Edge(h, k, t, n) for (h, k, t), n in weights.items() if n > 0),
                   key=lambda e: (-e.weight, e.head, e.type, e.tail))
    keys = {e.head for e in edges} | {e.tail for e in edges}
    if mineral:
        keys.add(mineral)
    names = _names(project, conn, keys)
    nodes = {k: Node(k, names[k], node_kind(k)) for k in keys}
    for e in edges:
        nodes[e.head].weight += e.weight
        if e.tail != e.head:
            nodes[e.tail].weight += e.weight
    types = project.relation_types()
    return ChainMap(nodes, edges, flt, {t.name: t.color for t in types},
                    {t.name for t in types if t.symmetric}, mineral)


def evidence(project, edge: EdgeKey, flt: MapFilter | None = None, articles: int = 50
             ) -> list[Evidence]:
    """The sentences stating ``edge`` in the newest ``articles`` articles the filter
    keeps, newest first (each relation's sentences: ``SentenceIndex.around`` its ends)."""
    from core.store.relations import JOIN_ENDS, LIVE

    flt = flt or MapFilter()
    conn = project.conn
    head, kind, tail = edge
    where, args = _article_conditions(flt)
    where.append("ar.status = 'approved'" if not flt.suggestions
                 else "ar.status != 'rejected'")
    if is_kept(conn):
        found = ("ar.id IN (SELECT article_id FROM article_stats WHERE kind = ? AND a = ? "
                 "AND b = ? AND c = ?)")
        args = [EDGE_ANY if flt.suggestions else EDGE, head, kind, tail, *args]
    else:
        found = "ar.id IN (SELECT article_id FROM relations WHERE type = ?)"
        args = [kind, *args]
    ids = conn.execute(
        f"SELECT ar.id, ar.title, ar.published, ar.text FROM articles ar WHERE {found} AND "
        + " AND ".join(where) + " ORDER BY ar.published DESC, ar.id DESC LIMIT ?",
        [*args, articles]).fetchall()
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    out: list[Evidence] = []
    for article_id, title, published, text in ids:
        state = "" if flt.suggestions else " AND r.state = 'accepted'"
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
