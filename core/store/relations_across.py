"""Relations across articles: what other articles' relations say about a claim's relations.

When a claim states "China PROCESSES rare earths" (both ends inside its passage, the rule
in ``core.review.claims.relations_stated``), the other articles' live relations of the same
type between the same two map nodes (``core.text.chain_nodes.node_key``: a place as its
country, else kb id, else normalised name) are its closest evidence. Each is quoted by its
evidence sentence (``SentenceIndex.evidence``, as the triples export and the Relations tab
quote it) with that sentence's figures marked against the claim's, as
``core.store.claims_across`` marks a sentence's ("70% of processing" vs "90%": differs).

Fast on a 100,000-article project: candidates are found from the claim's head node through
the ``spans(kb_id, article_id)`` index and ``relations(head_id)``; a relation whose head is
known only by name falls back to its tail's id; a relation with no linked end is not looked
up (a name has no index; it would mean reading every span).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.models import PREVIEW_CHARS, shown_title
from core.store.claims_across import DATE_LABEL, AcrossItem, ClaimsAcross, _item, _Passage
from core.store.relations import JOIN_ENDS, LIVE, describe
from core.text.chain_nodes import COUNTRY, node_ident, node_key
from core.text.sentences import SentenceIndex

LIMIT = 100


@dataclass(frozen=True)
class RelationAcross:
    """Another article's relation matching one the claim states, quoted with its figures."""

    stated: str  # the claim's relation it matches: "China PROCESSES rare earths"
    text: str  # this relation as its article names it (untrusted: show as plain text)
    relation_id: int
    item: AcrossItem  # its article and evidence sentence, figures marked against the claim

    @property
    def differs(self) -> bool:
        return self.item.differs


def _lookup_ids(across: ClaimsAcross, key: str) -> list[str]:
    """The stored kb ids a node key is found by (a country: its own and its provinces')."""
    ident = node_ident(key)
    if ident.startswith("~"):
        return []
    return across._ids_of(ident) if key.startswith(f"{COUNTRY}:") else [ident]


def relations_across(across: ClaimsAcross, claim_id: int, limit: int = LIMIT
                     ) -> list[RelationAcross]:
    """Other (not rejected) articles' live relations with the same type and end nodes as a
    live relation stated by claim ``claim_id``; newest article first."""
    conn = across.conn
    article_id, start, end, _ids, figures = across.claim_subject(claim_id)
    stated = conn.execute(
        f"SELECT r.type, h.label, h.kb_id, h.text, t.label, t.kb_id, t.text {JOIN_ENDS} "
        f"WHERE r.article_id = ? AND {LIVE} AND h.start >= ? AND h.\"end\" <= ? "
        f"AND t.start >= ? AND t.\"end\" <= ? ORDER BY h.start, t.start, r.id",
        (article_id, start, end, start, end)).fetchall()
    found: list[RelationAcross] = []
    seen: set[int] = set()
    cols = ("r.id, r.article_id, h.start, h.\"end\", h.label, h.kb_id, h.text, "
            "t.start, t.\"end\", t.label, t.kb_id, t.text")
    for kind, hl, hkb, htext, tl, tkb, ttext in stated:
        head, tail = node_key(hl, hkb, htext), node_key(tl, tkb, ttext)
        by_head = _lookup_ids(across, head)
        by, ids = ("h", by_head) if by_head else ("t", _lookup_ids(across, tail))
        if not ids:
            continue
        rows = conn.execute(
            f"SELECT {cols} {JOIN_ENDS} JOIN articles a ON a.id = r.article_id "
            f"WHERE {by}.kb_id IN ({','.join('?' * len(ids))}) AND r.type = ? "
            f"AND r.article_id != ? AND a.status != 'rejected' AND {LIVE}",
            (*ids, kind, article_id)).fetchall()
        for rid, aid, hs, he, hl2, hkb2, ht2, ts, te, tl2, tkb2, tt2 in rows:
            if rid in seen or (node_key(hl2, hkb2, ht2), node_key(tl2, tkb2, tt2)) != (head,
                                                                                       tail):
                continue
            seen.add(rid)
            found.append(_quote(across, describe(htext, kind, ttext),
                                describe(ht2, kind, tt2), rid, aid, (hs, he), (ts, te),
                                figures))
    found.sort(key=lambda f: (f.item.published, f.item.article_id), reverse=True)
    return found[:limit]


def _quote(across: ClaimsAcross, stated: str, text: str, relation_id: int, article_id: int,
           head: tuple[int, int], tail: tuple[int, int], figures: list) -> RelationAcross:
    """One matching relation with its article and its evidence sentence's figures."""
    conn = across.conn
    title, published, status, body = conn.execute(
        "SELECT title, published, status, text FROM articles WHERE id = ?",
        (article_id,)).fetchone()
    s, e = SentenceIndex(body).evidence(head, tail)
    labels = (*across.rules.figure_labels, DATE_LABEL)
    spans = conn.execute(
        f'SELECT start, "end", label FROM spans WHERE article_id = ? AND label IN '
        f"({','.join('?' * len(labels))}) AND state != 'rejected' AND start >= ? "
        f'AND "end" <= ?', (article_id, *labels, s, e)).fetchall()
    item = _item(article_id, shown_title(title or "", body[:PREVIEW_CHARS]), published or "",
                 status, body, _Passage(s, e, None, "", ()), [tuple(r) for r in spans],
                 figures, across.rules)
    return RelationAcross(stated, text, relation_id, replace(item, relation=text))
