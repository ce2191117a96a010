"""The supply-chain map (issue 27): the graph of the approved relations, from a project we
build (tests/chain_corpus.py): provinces fold into their countries, kb ids merge names,
a weight is a number of articles, the filters narrow it, the evidence is newest first, and
the kept rows equal a fresh count after edits and undos."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from core.nlp.store_rules import store_rules
from core.review.edits import UpdateSpan
from core.review.history import History
from core.review.relation_edits import DeleteRelation, UpdateRelation
from core.stats.chain_map import MapFilter, evidence, read_map
from core.store import Project
from core.store.chain_edges import EDGE, EDGE_ANY
from core.store.summaries import fresh_totals
from tests.chain_corpus import AUS, CHN, EXIM, LITHIUM, LYNAS, build

NICKEL, REE = "mineral:mineral:nickel", "mineral:mineral:ree"
IDN = "country:IDN"
APPROVED = {(AUS, "PRODUCES", LITHIUM): 2, (AUS, "SUPPLIES", LITHIUM): 1,
            (AUS, "SUPPLIES", CHN): 1, (CHN, "PROCESSES", LITHIUM): 1,
            (CHN, "PROCESSES", NICKEL): 1, (EXIM, "FUNDS", LYNAS): 2,
            (LYNAS, "PROCESSES", REE): 1}


@pytest.fixture
def chain(tmp_path) -> Path:
    return build(tmp_path)


def weights(path: Path, flt: MapFilter | None = None) -> dict[tuple[str, str, str], int]:
    with Project.open(path, rules=store_rules()) as p:
        return {e.key: e.weight for e in read_map(p, flt).edges}


def test_the_map_folds_provinces_merges_names_and_counts_articles(chain):
    """Western Australia (AU-WA) is Australia: AUS PRODUCES lithium in 2 articles; "Lynas"
    and "LYNAS" are one node, "Export-Import Bank" and "EXIM" (one kb id) another; the
    rejected article (Chile) and the pending one (Indonesia) are not on it."""
    assert weights(chain) == APPROVED
    with Project.open(chain, rules=store_rules()) as p:
        cmap = read_map(p)
    assert cmap.nodes[AUS].name == "Australia"
    assert cmap.nodes[LYNAS].name == "Lynas"
    assert cmap.nodes[LYNAS].kind == "organisation"
    assert "Export-Import Bank" in cmap.nodes[EXIM].name
    assert cmap.nodes[LITHIUM].kind == "mineral"
    assert "country:CHL" not in cmap.nodes


def test_filters_narrow_the_map(chain):
    assert weights(chain, MapFilter(mineral="lithium")) == {
        (AUS, "PRODUCES", LITHIUM): 2, (AUS, "SUPPLIES", LITHIUM): 1,
        (AUS, "SUPPLIES", CHN): 1, (CHN, "PROCESSES", LITHIUM): 1}
    assert weights(chain, MapFilter(mineral="mineral:lithium")) == \
        weights(chain, MapFilter(mineral="Lithium"))
    assert weights(chain, MapFilter(since="2025-01-01")) == {
        (EXIM, "FUNDS", LYNAS): 2, (LYNAS, "PROCESSES", REE): 1}
    assert weights(chain, MapFilter(until="2024-03-01")) == {
        (AUS, "PRODUCES", LITHIUM): 1, (AUS, "SUPPLIES", LITHIUM): 1,
        (AUS, "SUPPLIES", CHN): 1}
    assert weights(chain, MapFilter(reviewer="bo")) == {
        (AUS, "PRODUCES", LITHIUM): 1, (CHN, "PROCESSES", LITHIUM): 1,
        (CHN, "PROCESSES", NICKEL): 1}
    assert weights(chain, MapFilter(types=("FUNDS",))) == {(EXIM, "FUNDS", LYNAS): 2}
    assert weights(chain, MapFilter(suggestions=True)) == {
        **APPROVED, (IDN, "SUPPLIES", NICKEL): 1, (IDN, "SUPPLIES", CHN): 1}
    assert weights(chain, MapFilter(mineral="nickel", suggestions=True)) == {
        (CHN, "PROCESSES", NICKEL): 1, (IDN, "SUPPLIES", NICKEL): 1,
        (IDN, "SUPPLIES", CHN): 1}


def test_evidence_is_newest_first_with_its_place(chain):
    with Project.open(chain, rules=store_rules()) as p:
        found = evidence(p, (AUS, "PRODUCES", LITHIUM))
        assert [e.text for e in found] == ["Western Australia mines lithium.",
                                           "Australia is a leading producer of lithium."]
        assert [e.article_id for e in found] == [2, 1]
        for e in found:
            assert p.article_text(e.article_id)[e.start:e.end] == e.text
        assert evidence(p, (AUS, "PRODUCES", LITHIUM), MapFilter(reviewer="ana"))[0] \
            .article_id == 1


def kept(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {(k, a, b, c): n for k, a, b, c, n in conn.execute(
            "SELECT kind, a, b, c, n FROM stat_counts WHERE n != 0 AND kind LIKE '%' ")}
    finally:
        conn.close()


def test_kept_rows_equal_a_fresh_count_after_edits_and_undo(chain):
    """Relation, span, link, status and type edits, undone and redone: the sums every
    write keeps equal the map computed from the relations themselves."""
    with Project.open(chain, rules=store_rules()) as p:
        history = History(p, "lead")
        wa = next(s for s in p.spans(2) if s.text == "Western Australia")
        history.do(UpdateSpan(wa.id, "link", kb_id="CN-NM"))  # now a Chinese province
        assert weights(chain)[(CHN, "PRODUCES", LITHIUM)] == 1
        history.undo()
        china = next(s for s in p.spans(1) if s.text == "China")
        history.do(UpdateSpan(china.id, "reject", state="rejected"))  # hides its relation
        history.do(DeleteRelation(p.relations(2)[0]))
        history.do(UpdateRelation(p.relations(3)[0].id, "reject", state="rejected"))
        history.undo()
        history.redo()
        p.set_article_status(4, "pending", "lead")
        for kind in (EDGE, EDGE_ANY):
            fresh = {k: n for k, n in fresh_totals(p.conn, p._db.facts).items()
                     if k[0] == kind and n}
            stored = {k: n for k, n in kept(chain).items() if k[0] == kind}
            assert stored == fresh
            flt = MapFilter(suggestions=kind == EDGE_ANY)
            assert {(a, b, c): n for (_k, a, b, c), n in fresh.items()} == \
                dict(p.chain.weights_fresh(flt, None))
        mid = weights(chain)
        assert (AUS, "SUPPLIES", CHN) not in mid  # China's span rejected
        assert (EXIM, "FUNDS", LYNAS) not in mid  # one rejected, one article pending
        assert mid[(AUS, "PRODUCES", LITHIUM)] == 1  # article 2's relation deleted
        p.approve_article(4, "ana")
        while history.done:
            history.undo()
        assert weights(chain) == APPROVED
        # A relation type renamed: its edges follow, counted again in the same write.
        funds = p.relation_type("FUNDS")
        p.update_relation_type("FUNDS", replace(funds, name="FINANCES"), "lead")
        assert weights(chain)[(EXIM, "FINANCES", LYNAS)] == 2
        assert {(a, b, c): n for (k, a, b, c), n in kept(chain).items() if k == EDGE} == \
            dict(p.chain.weights_fresh(MapFilter(), None))


def test_a_file_at_v11_from_before_the_map_is_counted_once_when_opened(chain):
    """A project made by the version before the map (schema v11 already, its relations'
    rows never kept): read-only, the map is computed from the relations; the first
    writable open counts the rows once, in one transaction."""
    conn = sqlite3.connect(chain)
    with conn:
        conn.execute("DELETE FROM article_stats WHERE kind IN "
                     "('edge', 'edge_any', 'chain', 'chain_any', 'node_name')")
        conn.execute("DELETE FROM stat_counts WHERE kind IN "
                     "('edge', 'edge_any', 'chain', 'chain_any', 'node_name')")
        conn.execute("DELETE FROM meta WHERE key = 'chain_map_kept'")
        conn.execute("DROP INDEX idx_articles_published")
    conn.close()
    with Project.open(chain, read_only=True, rules=store_rules()) as p:
        assert {e.key: e.weight for e in read_map(p).edges} == APPROVED
        assert {e.key: e.weight for e in read_map(p, MapFilter(mineral="lithium")).edges}
    assert kept(chain) and not any(k[0].startswith("edge") for k in kept(chain))
    assert weights(chain) == APPROVED  # a writable open counted them
    assert {k[1:]: n for k, n in kept(chain).items() if k[0] == EDGE} == APPROVED
    with Project.open(chain, rules=store_rules()) as p:  # every kind, not only the map's
        assert kept(chain) == {k: n for k, n in fresh_totals(p.conn, p._db.facts).items()
                               if n}
    conn = sqlite3.connect(chain)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'idx_articles_published'"
                        ).fetchone()
    conn.close()
    assert weights(chain, MapFilter(since="2025-01-01")) == {
        (EXIM, "FUNDS", LYNAS): 2, (LYNAS, "PROCESSES", REE): 1}
