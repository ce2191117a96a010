"""The statistics' numbers, checked against small projects whose decisions the test makes."""

from __future__ import annotations

import sqlite3

import pytest

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import SCHEMA_VERSION, Project
from tests.suggestion_helpers import suggestions

TEXTS = [
    "Chile mines lithium. China refines cobalt and lithium.",
    "Indonesia exports nickel. The Lualaba province of Congo mines cobalt.",
    "Australia mines lithium near Perth.",
    "Nothing here names a mineral.",
]


_suggestions = suggestions


@pytest.fixture
def judged(tmp_path):
    """Four articles pre-annotated by model m1 (two by m2), then reviewed by two people."""
    project = Project.create(tmp_path / "stats.assay", rules=store_rules())
    project.add_articles([ArticleIn(text=t, title=f"A{i}") for i, t in enumerate(TEXTS, 1)])
    ids = [a.id for a in project.list_articles()]
    project.store_annotations([(i, _suggestions(t), None)
                               for i, t in zip(ids[:2], TEXTS[:2], strict=True)], model="m1")
    project.store_annotations([(i, _suggestions(t), None)
                               for i, t in zip(ids[2:], TEXTS[2:], strict=True)], model="m2")
    spans = {(s.article_id, s.text, s.start): s for i in ids for s in project.spans(i)}

    def one(article: int, text: str):
        return next(s for (a, t, _), s in sorted(spans.items()) if a == article and t == text)

    a1, a2, a3, a4 = ids
    # Article 1: "China" relabelled NORP (corrected), first "lithium" rejected, rest kept.
    project.relabel_span(one(a1, "China").id, "NORP", "ana")
    project.reject_span(one(a1, "lithium").id, "ana")
    project.approve_article(a1, "ana", seconds=30)
    # Article 2: "Lualaba" widened to "Lualaba province" (corrected); "Congo" added.
    lualaba = one(a2, "Lualaba")
    project.resize_span(lualaba.id, lualaba.start, lualaba.end + len(" province"), "ben")
    congo = TEXTS[1].index("Congo")
    project.add_span(a2, congo, congo + 5, "GPE", "ben")
    project.approve_article(a2, "ben", seconds=90)
    # Article 3 (m2): "Perth" rejected, approved. Article 4 stays pending.
    project.reject_span(one(a3, "Perth").id, "ana")
    project.approve_article(a3, "ana", seconds=60)
    project.conn.execute("UPDATE articles SET reviewed_at = '2026-11-02T10:00:00+00:00' "
                         "WHERE id = ?", (a3,))
    project.conn.commit()
    yield project, ids
    project.close()


def test_progress_counts_decisions_per_day_and_reviewer(judged):
    project, ids = judged
    p = project.statistics.progress()
    assert p.statuses == {"approved": 3, "pending": 1}
    assert p.remaining == 1
    days = dict(p.per_day)
    assert days["2026-11-02"] == 1 and sum(days.values()) == 3
    assert p.per_reviewer == [("ana", 2, 0), ("ben", 1, 0)]
    assert p.seconds is not None and p.seconds.n == 3 and p.seconds.median == 60
    assert p.seconds_by_reviewer["ana"].median in (30, 60)
    assert p.seconds_by_reviewer["ben"].n == 1


def test_pre_annotation_judged_per_label_and_model(judged):
    project, _ = judged
    q = project.statistics.quality()
    assert q.models == ["m1", "m2"]
    m1 = q.per_label("m1")
    # m1 suggested GPE Chile, China, Indonesia, Lualaba: China relabelled, Lualaba widened.
    assert m1["GPE"] == {"kept": 2, "corrected": 2, "rejected": 0, "added": 1}
    # MINERAL: lithium ×2 (one rejected), cobalt ×2, nickel.
    assert m1["MINERAL"] == {"kept": 4, "corrected": 0, "rejected": 1, "added": 0}
    m2 = q.per_label("m2")
    assert m2["GPE"] == {"kept": 1, "corrected": 0, "rejected": 1, "added": 0}
    assert q.undecided == 0
    # The pending article's suggestions are not judged yet.
    assert sum(sum(v.values()) for v in q.per_label().values()) == 13


def test_an_edit_undone_back_to_the_suggestion_counts_as_kept(judged, tmp_path):
    project, ids = judged
    s = next(s for s in project.spans(ids[3 - 1]) if s.text == "Australia")
    before, _ = project.relabel_span(s.id, "NORP", "ana")
    project.relabel_span(s.id, before.label, "ana")
    assert project.statistics.quality().per_label("m2")["GPE"]["kept"] == 1


def test_country_mineral_map_counts_approved_articles_with_a_sentence_naming_both(judged):
    project, ids = judged
    cm = project.statistics.country_minerals()
    assert cm.articles == 3
    # China is NORP now and still a country; Lualaba is a province of COD; Perth and the
    # first "lithium" were rejected; Indonesia and cobalt share no sentence.
    assert cm.cells == {("CHN", "mineral:lithium"): 1, ("CHN", "mineral:cobalt"): 1,
                        ("IDN", "mineral:nickel"): 1, ("COD", "mineral:cobalt"): 1,
                        ("AUS", "mineral:lithium"): 1}
    assert project.statistics.articles_naming("COD", "mineral:cobalt") == [ids[1]]
    assert project.statistics.articles_naming("IDN", "mineral:cobalt") == []


def test_the_map_follows_approval_and_edits(judged):
    project, ids = judged
    project.set_article_status(ids[2], "pending", "ana")
    assert ("AUS", "mineral:lithium") not in project.statistics.country_minerals().cells
    project.approve_article(ids[2], "ana")
    lithium = next(s for s in project.spans(ids[2]) if s.text == "lithium")
    project.reject_span(lithium.id, "ana")
    assert ("AUS", "mineral:lithium") not in project.statistics.country_minerals().cells
    project.accept_span(lithium.id, "ana")
    assert project.statistics.country_minerals().cells[("AUS", "mineral:lithium")] == 1
    # A link changed by hand moves the fact with it.
    project.set_span_kb(lithium.id, "mineral:cobalt", "ana")
    cells = project.statistics.country_minerals().cells
    assert ("AUS", "mineral:cobalt") in cells and ("AUS", "mineral:lithium") not in cells


def test_claims_by_verdict_country_and_mineral(judged):
    project, ids = judged
    text = TEXTS[0]
    project.add_claim(ids[0], 0, text.index(".") + 1, "ana", verdict="supported")
    second = text.index("China")
    project.add_claim(ids[0], second, len(text), "ana", verdict="refuted")
    third = TEXTS[1].index("The")
    project.add_claim(ids[1], third, len(TEXTS[1]), "ben")
    c = project.statistics.claims()
    assert c.by_verdict == {"supported": 1, "refuted": 1, "unchecked": 1}
    assert c.by_country == {"CHL": {"supported": 1}, "CHN": {"refuted": 1},
                            "COD": {"unchecked": 1}}
    # The first "lithium" was rejected: the supported claim names no mineral.
    assert c.by_mineral["mineral:lithium"] == {"refuted": 1}
    assert c.by_mineral["mineral:cobalt"] == {"refuted": 1, "unchecked": 1}


def test_migration_reads_corrections_back_from_the_audit_log(judged, tmp_path):
    """A v8 file knew no suggested_*: the upgrade takes them from span.update events."""
    project, _ = judged
    path = project.path
    project.close()
    reviewed = 'SELECT id, article_id, start, "end", label, text, state, kb_id FROM spans'
    conn = sqlite3.connect(path)
    before = conn.execute(reviewed).fetchall()
    conn.execute("UPDATE spans SET suggested_start = NULL, suggested_end = NULL, "
                 "suggested_label = NULL")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Project.open(path, rules=store_rules()) as again:
        m1 = again.statistics.quality().per_label("m1")
        assert m1["GPE"] == {"kept": 2, "corrected": 2, "rejected": 0, "added": 1}
        # The upgrade wrote what the model suggested; what reviewers decided is untouched.
        assert [tuple(r) for r in again.conn.execute(reviewed)] == before


def test_a_cell_lists_the_sentences_naming_both(judged):
    project, ids = judged
    rows = project.statistics.cell_sentences("COD", "mineral:cobalt")
    assert [(r.article_id, r.text) for r in rows] == [
        (ids[1], "The Lualaba province of Congo mines cobalt.")]
    # Indonesia and cobalt are in the same article but not in one sentence.
    assert project.statistics.cell_sentences("IDN", "mineral:cobalt") == []


def test_kept_sums_equal_a_recount_after_every_kind_of_write(judged):
    """The sums are kept by difference on each write: after renames, merges, claims,
    links, undone approvals and deletions they must equal a count from scratch."""
    from collections import Counter

    from core.store import summaries

    project, ids = judged

    def kept() -> Counter:
        return Counter({(k, a, b, c): n for k, a, b, c, n in project.conn.execute(
            "SELECT kind, a, b, c, n FROM stat_counts WHERE n != 0")})

    def check() -> None:
        assert kept() == +summaries.fresh_totals(project.conn, project.rules.facts)

    check()
    claim = project.add_claim(ids[0], 0, 20, "ana", verdict="supported")
    check()
    project.update_claim(claim.id, "ana", verdict="refuted")
    check()
    project.rename_label("MINERAL", "MIN", "ana")
    check()
    # The rename is the scheme's, not a correction: nothing became "corrected".
    assert project.statistics.quality().per_label("m1")["MIN"]["corrected"] == 0
    project.merge_label("NORP", "GPE", "ana")
    check()
    project.delete_claim(claim.id, "ana")
    check()
    project.set_article_status(ids[1], "pending", "ben")
    check()
    span = project.spans(ids[0])[0]
    project.update_span(span.id, "ana", end=span.end - 1)
    check()
    project.delete_span(span.id, "ana")
    check()


def test_cli_stats_prints_the_same_numbers(judged, capsys):
    import json

    from core.cli import main

    project, _ = judged
    project.approve_article(project.list_articles()[-1].id, "eve\x1b[2Jx", seconds=5)
    path = str(project.path)
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert "1 still to review" not in out and "0 still to review" in out
    assert "ana" in out and "approved      2" in out
    assert "m1: 9 suggestion(s): kept 67%, corrected 22%, rejected 11%; 1 added" in out
    assert "DR Congo × cobalt: 1" in out
    assert "\x1b" not in out  # a reviewer's name cannot drive the terminal
    assert main(["stats", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pre_annotation"]["m1"]["GPE"] == {"kept": 2, "corrected": 2, "rejected": 0,
                                                   "added": 1}
    assert {"country": "COD", "mineral": "mineral:cobalt", "articles": 1} in \
        data["country_minerals"]
    assert data["progress"]["per_reviewer"]["ben"] == {"approved": 1, "rejected": 0}


def test_the_upgrade_skips_damaged_audit_events(judged):
    """A payload that is not the log's own (huge numbers, wrong types, deep nesting) is
    no evidence of a correction and never stops the upgrade."""
    project, ids = judged
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    for payload in ('{"span_id": 1e400, "changes": {"start": [1, 2]}}',
                    '{"span_id": 1, "changes": {"start": [{"x": 1}, 0]}}',
                    "[" * 100_000, '{"span_id": 1, "changes": {"label": [[1], "GPE"]}}'):
        conn.execute("INSERT INTO events(at, reviewer, article_id, action, payload) "
                     "VALUES ('2026-01-01', 'x', ?, 'span.update', ?)", (ids[0], payload))
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Project.open(path, rules=store_rules()) as again:
        assert again.schema_version == SCHEMA_VERSION
        assert again.statistics.quality().per_label("m1")["GPE"]["kept"] == 2


def test_adjudication_keeps_the_suggestions_it_adopts_and_its_undo_gives_them_back(judged):
    """Taking a reviewer's version is not the lead adding entities: spans at a
    suggestion's place stay that suggestion, kept or corrected; undo restores them."""
    from core.review.history import History
    from core.teams.adjudicate import AdoptSpans

    project, ids = judged
    a4 = ids[3]
    project.store_annotations([(a4, [SpanIn(0, 7, "MINERAL", origin="model")], None)],
                              model="m3")
    history = History(project, "lead")
    history.do(AdoptSpans(a4, [SpanIn(0, 7, "ORG", origin="reviewer", state="accepted")],
                          "take ana"))
    project.approve_article(a4, "lead")
    assert project.statistics.quality().per_label("m3") == {
        "MINERAL": {"kept": 0, "corrected": 1, "rejected": 0, "added": 0}}
    history.undo()  # the adoption: the suggestion is back, still to decide
    assert project.statistics.quality().undecided == 1
    project.approve_article(a4, "lead")
    assert project.statistics.quality().per_label("m3") == {
        "MINERAL": {"kept": 1, "corrected": 0, "rejected": 0, "added": 0}}


def test_a_copys_damaged_time_or_date_is_unknown_not_a_crash(judged):
    """A reviewer's merged version is untrusted: text for seconds, a date that is not ISO."""
    project, ids = judged
    for reviewer, at, seconds in (("cy", "Tuesday", "lots"), ("di", "2026-11-03T09:00", 1e400)):
        project.conn.execute(
            "INSERT INTO versions(article_id, reviewer, status, note, review_seconds, "
            "reviewed_at, copy_id, merged_at, spans, claims, events) VALUES "
            "(?, ?, 'approved', '', ?, ?, 'c', '', '[]', '[]', '[]')",
            (ids[0], reviewer, seconds, at))
    project.conn.commit()
    p = project.statistics.progress()
    assert ("cy", 1, 0) in p.per_reviewer and ("di", 1, 0) in p.per_reviewer
    assert ("2026-11-03", "di", 1) in p.per_reviewer_day
    assert all(day != "Tuesday" for day, _r, _n in p.per_reviewer_day)
    assert p.seconds.n == 3  # the three real times only


def test_claims_of_a_rejected_article_do_not_count(judged):
    project, ids = judged
    project.add_claim(ids[1], 0, len(TEXTS[1]), "ben", verdict="supported")
    assert project.statistics.claims().by_verdict == {"supported": 1}
    project.reject_article(ids[1], "ben")
    c = project.statistics.claims()
    assert c.by_verdict == {} and c.by_country == {} and c.by_mineral == {}
