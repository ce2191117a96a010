"""The store keeps every decision, refuses every invalid edit, and migrates old files."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from core.errors import InvalidEdit, ProjectError
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import SCHEMA_VERSION, ArticleFilter, Project, fts_query
from core.store.schema import _migrate_to_v1

REVIEWER = "ana"


def find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_create_and_reopen_round_trip(project, tmp_path):
    text = project.article_text(1)
    s, e = find(text, "Chile")
    span = project.add_span(1, s, e, "GPE", REVIEWER)
    project.approve_article(1, REVIEWER, seconds=12.5)
    project.set_note(2, "check the 30% figure", REVIEWER)
    project.close()

    again = Project.open(tmp_path / "test.assay", rules=store_rules())
    assert again.schema_version == SCHEMA_VERSION
    art = again.article(1)
    assert (art.status, art.reviewed_by, art.review_seconds) == ("approved", REVIEWER, 12.5)
    assert art.reviewed_at
    assert again.article(2).note == "check the 30% figure"
    (stored,) = again.spans(1)
    assert (stored.id, stored.text, stored.label, stored.state) == (span.id, "Chile", "GPE",
                                                                     "accepted")
    assert stored.updated_by == REVIEWER and stored.updated_at
    again.close()


def test_text_is_normalised_and_hashed_once(tmp_path):
    proj = Project.create(tmp_path / "n.assay", rules=store_rules())
    result = proj.add_articles([
        ArticleIn(text="Nickel\r\nfrom Indonesia\x00."),
        ArticleIn(text="Nickel\nfrom Indonesia."),  # same text after normalisation
    ])
    assert (result.added, result.duplicates) == (1, 1)
    assert proj.article_text(1) == "Nickel\nfrom Indonesia."


def test_every_edit_writes_one_event_with_undo_payload(project):
    text = project.article_text(2)
    s, e = find(text, "DRC")
    span = project.add_span(2, s, e, "ORG", REVIEWER)
    project.relabel_span(span.id, "GPE", REVIEWER)
    project.reject_span(span.id, REVIEWER)
    actions = [ev["action"] for ev in project.events(2)]
    assert actions == ["span.update", "span.update", "span.add"]
    last = project.events(2)[0]
    assert last["reviewer"] == REVIEWER
    assert last["payload"]["changes"] == {"state": ["accepted", "rejected"]}


def test_relabel_resize_reject_accept(project):
    text = project.article_text(3)
    s, e = find(text, "rare earths")
    span = project.add_span(3, s, e - 1, "ORG", REVIEWER, origin="model", state="suggested")
    _, after = project.relabel_span(span.id, "MINERAL", REVIEWER)
    assert (after.label, after.state) == ("MINERAL", "accepted")
    _, after = project.resize_span(span.id, s, e, REVIEWER)
    assert after.text == "rare earths"
    project.reject_span(span.id, REVIEWER)
    assert project.spans(3, include_rejected=False) == []
    _, after = project.accept_span(span.id, REVIEWER)
    assert after.state == "accepted"


def test_undo_by_replaying_before_values(project):
    text = project.article_text(1)
    s, e = find(text, "Lithium")
    span = project.add_span(1, s, e, "ORG", REVIEWER, origin="model", state="suggested")
    before, _ = project.relabel_span(span.id, "MINERAL", REVIEWER)
    project.update_span(span.id, REVIEWER, label=before.label, state=before.state)
    restored = project.span(span.id)
    assert (restored.label, restored.state) == ("ORG", "suggested")
    project.delete_span(span.id, REVIEWER)
    assert project.spans(1) == []


@pytest.mark.parametrize(
    ("start", "end", "label", "message"),
    [
        (-1, 3, "GPE", "outside"),
        (5, 5, "GPE", "outside"),
        (0, 10_000, "GPE", "outside"),
        (0, 7, "NOT_A_LABEL", "Unknown label"),
    ],
)
def test_invalid_spans_are_refused_and_change_nothing(project, start, end, label, message):
    events_before = len(project.events())
    with pytest.raises(InvalidEdit, match=message):
        project.add_span(1, start, end, label, REVIEWER)
    assert project.spans(1) == []
    assert len(project.events()) == events_before


def test_overlap_is_refused_for_add_resize_and_unreject(project):
    text = project.article_text(1)
    s, e = find(text, "U.S. Department of Energy")
    org = project.add_span(1, s, e, "ORG", REVIEWER)
    with pytest.raises(InvalidEdit, match="overlap the ORG entity 'U.S. Department of Energy'"):
        project.add_span(1, s, s + 4, "GPE", REVIEWER)
    cs, ce = find(text, "Chile")
    gpe = project.add_span(1, cs, ce, "GPE", REVIEWER)
    with pytest.raises(InvalidEdit, match="overlap"):
        project.resize_span(gpe.id, cs, e, REVIEWER)
    assert project.span(gpe.id).end == ce
    # A rejected span no longer blocks; bringing it back while blocked is refused.
    project.reject_span(org.id, REVIEWER)
    usa = project.add_span(1, s, s + 4, "GPE", REVIEWER)
    with pytest.raises(InvalidEdit, match="overlap"):
        project.accept_span(org.id, REVIEWER)
    assert project.span(org.id).state == "rejected"
    assert usa.text == "U.S."


def test_text_mismatch_is_refused(project):
    with pytest.raises(InvalidEdit, match="does not match"):
        project.add_span(1, 0, 7, "MINERAL", REVIEWER, text="Cobalt!")


def test_a_change_needs_a_reviewer(project):
    with pytest.raises(InvalidEdit, match="reviewer"):
        project.add_span(1, 0, 7, "MINERAL", "  ")


def test_bad_span_in_an_import_batch_rolls_back_the_batch(tmp_path):
    proj = Project.create(tmp_path / "b.assay", rules=store_rules())
    good = ArticleIn(text="Graphite from Mozambique.")
    bad = ArticleIn(text="Tin from Bolivia.", spans=(SpanIn(0, 99, "MINERAL"),))
    with pytest.raises(InvalidEdit):
        proj.add_articles([good, bad])
    assert proj.count_articles() == 0


def test_approve_accepts_remaining_suggestions_and_can_be_undone(project):
    text = project.article_text(2)
    suggested = [project.add_span(2, *find(text, w), lb, "model", origin="model",
                                  state="suggested")
                 for w, lb in (("Cobalt", "MINERAL"), ("DRC", "GPE"))]
    rejected = project.add_span(2, *find(text, "IEA"), "ORG", "model", origin="model",
                                state="suggested")
    project.reject_span(rejected.id, REVIEWER)
    accepted = project.approve_article(2, REVIEWER, seconds=4.0)
    assert sorted(accepted) == sorted(s.id for s in suggested)
    assert {s.state for s in project.spans(2)} == {"accepted", "rejected"}
    project.set_article_status(2, "pending", REVIEWER, resuggest=accepted)
    art = project.article(2)
    assert (art.status, art.reviewed_by) == ("pending", None)
    assert sorted(s.state for s in project.spans(2)) == ["rejected", "suggested", "suggested"]


def test_reject_and_skip_article(project):
    project.reject_article(1, REVIEWER)
    project.skip_article(2, REVIEWER)
    assert project.counts_by_status() == {"pending": 1, "approved": 0, "rejected": 1,
                                          "skipped": 1}
    with pytest.raises(InvalidEdit):
        project.set_article_status(3, "done", REVIEWER)


def test_filters_combine(project):
    text = project.article_text(3)
    project.add_span(3, *find(text, "Australia"), "GPE", REVIEWER)
    project.approve_article(3, REVIEWER)
    project.approve_article(1, "ben")
    assert [r.id for r in project.list_articles(ArticleFilter(status="approved"))] == [1, 3]
    assert [r.id for r in project.list_articles(ArticleFilter(label="GPE"))] == [3]
    assert [r.id for r in project.list_articles(ArticleFilter(reviewer="ben"))] == [1]
    assert project.count_articles(ArticleFilter(status="approved", reviewer=REVIEWER)) == 1
    assert project.count_articles(status="pending") == 1
    assert project.reviewers() == [REVIEWER, "ben"]


def test_list_sorts_and_pages(project):
    text = project.article_text(2)
    project.add_span(2, *find(text, "DRC"), "GPE", REVIEWER)
    rows = project.list_articles(order_by="entities", descending=True)
    assert rows[0].id == 2 and rows[0].entities == 1
    page = project.list_articles(order_by="title", offset=1, limit=1)
    assert [r.title for r in page] == ["Article 2"]


def test_full_text_search(project):
    assert project.search("cobalt") == [2]
    assert set(project.search("rare earths")) == {3}
    assert project.count_articles(ArticleFilter(search="Lynas")) == 1
    # Counted by the index alone when the search is the only filter: the same numbers.
    for words in ("the", "cobalt", "nothing-like-this", "cob*", '"odd'):
        alone = project.count_articles(ArticleFilter(search=words))
        assert alone == len(project.list_articles(ArticleFilter(search=words)))
        assert alone == project.count_articles(ArticleFilter(search=words, reviewer=None))
    project.approve_article(2, REVIEWER)
    assert project.count_articles(ArticleFilter(search="cobalt", status="pending")) == 0
    # Words a user types that are FTS5 syntax must not raise.
    assert project.search('"unbalanced AND -( cobalt*') == []
    assert project.search("cob*") == [2]
    assert fts_query('a "b"') == '"a" """b"""'


def test_counts_by_label(project):
    text = project.article_text(3)
    project.add_span(3, *find(text, "Australia"), "GPE", REVIEWER)
    span = project.add_span(3, *find(text, "Japan"), "GPE", REVIEWER)
    project.reject_span(span.id, REVIEWER)
    counts = project.counts_by_label()
    assert counts["GPE"] == 1 and counts["MINERAL"] == 0
    assert list(counts)[0] == "MINERAL"  # scheme order


def test_store_annotations_keeps_reviewer_decisions(project):
    text = project.article_text(2)
    drc = find(text, "DRC")
    cobalt = find(text, "Cobalt")
    iea = find(text, "IEA")
    mine = project.add_span(2, *drc, "GPE", REVIEWER)
    model = [SpanIn(*cobalt, "MINERAL"), SpanIn(*drc, "ORG"), SpanIn(*iea, "ORG")]
    assert project.store_annotations([(2, model, [(0, 6)])], "test-model==1") == 2
    assert project.tokens(2) == [(0, 6)]
    iea_span = next(s for s in project.spans(2) if s.text == "IEA")
    project.reject_span(iea_span.id, REVIEWER)
    # Re-running replaces suggestions but keeps the reviewer's span and rejection.
    project.store_annotations([(2, model, None)], "test-model==2")
    spans = {(s.text, s.label, s.state) for s in project.spans(2)}
    assert spans == {("DRC", "GPE", "accepted"), ("Cobalt", "MINERAL", "suggested"),
                     ("IEA", "ORG", "rejected")}
    assert project.span(mine.id).state == "accepted"
    assert project.article(2).model == "test-model==2"


def test_articles_to_annotate_skips_done_and_decided(project):
    project.store_annotations([(1, [], None)], "m")
    project.approve_article(3, REVIEWER)
    assert project.articles_to_annotate() == [2]
    assert project.articles_to_annotate(force=True) == [1, 2]


def test_next_article_wraps_around(project):
    project.approve_article(2, REVIEWER)
    assert project.next_article_id(1) == 3
    assert project.next_article_id(3) == 1
    project.approve_article(1, REVIEWER)
    project.approve_article(3, REVIEWER)
    assert project.next_article_id(3) is None


def test_claims_round_trip(project):
    claim = project.add_claim(2, 0, 20, REVIEWER)
    assert claim.verdict == "unchecked"
    _, after = project.update_claim(claim.id, REVIEWER, verdict="supported",
                                    evidence_url="https://example.org")
    assert after.verdict == "supported"
    with pytest.raises(InvalidEdit):
        project.update_claim(claim.id, REVIEWER, verdict="maybe")
    project.delete_claim(claim.id, REVIEWER)
    assert project.claims(2) == []


def test_tokens_round_trip(project):
    offsets = [(0, 7), (8, 14), (70_000, 70_010)]
    project.set_tokens(1, offsets)
    assert project.tokens(1) == offsets
    assert project.tokens(2) is None


def test_migration_from_version_1(tmp_path):
    path = tmp_path / "old.assay"
    db = sqlite_utils.Database(path)
    _migrate_to_v1(db)
    db.execute("PRAGMA user_version = 1")
    db["meta"].insert_all([{"key": "app", "value": "assay"}, {"key": "name", "value": "old"}])
    db["labels"].insert({"name": "GPE", "color": "#feca74", "hotkey": "2", "description": "",
                         "position": 0})
    db["articles"].insert({"text": "Chile and Peru", "sha256": "x", "status": "approved",
                           "reviewed_by": "old"})
    db["spans"].insert_all([
        {"article_id": 1, "start": 0, "end": 5, "label": "GPE", "text": "Chile",
         "origin": "model", "state": "accepted"},
        {"article_id": 1, "start": 10, "end": 14, "label": "GPE", "text": "Peru",
         "origin": "model", "state": "rejected"}])
    db.conn.close()

    proj = Project.open(path, rules=store_rules())
    assert proj.schema_version == SCHEMA_VERSION
    art = proj.article(1)
    assert (art.status, art.review_seconds) == ("approved", None)
    # v5 and v6 count what the older file held; the next edit moves the counts on.
    assert proj.list_articles()[0].entities == 1
    assert proj.counts_by_label() == {"GPE": 1}
    proj.update_span(2, "ana", state="accepted")
    assert (proj.list_articles()[0].entities, proj.counts_by_label()) == (2, {"GPE": 2})
    proj.set_tokens(1, [(0, 5)])
    assert proj.tokens(1) == [(0, 5)]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.assay"
    Project.create(path, rules=store_rules()).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match="newer Assay"):
        Project.open(path, rules=store_rules())


def test_not_sqlite_and_foreign_sqlite_are_refused(tmp_path):
    junk = tmp_path / "junk.assay"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ProjectError, match="not a SQLite database"):
        Project.open(junk, rules=store_rules())
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["t"].insert({"a": 1})
    with pytest.raises(ProjectError, match="not an Assay project"):
        Project.open(other, rules=store_rules())
    with pytest.raises(ProjectError, match="No project file"):
        Project.open(tmp_path / "missing.assay", rules=store_rules())


def test_create_refuses_to_overwrite(project, tmp_path):
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "test.assay", rules=store_rules())


def test_a_second_connection_sees_committed_edits(project, tmp_path):
    other = Project.open(tmp_path / "test.assay", rules=store_rules())
    project.add_span(1, 0, 7, "MINERAL", REVIEWER)
    assert [s.text for s in other.spans(1)] == ["Lithium"]
    other.close()


def test_normalising_is_idempotent():
    from core.text.normalise import normalise_text

    for raw in ("\ufeff\ufeffX\r\ny", "a\rb\x00c\x85d", "\ufeffé\t\n"):
        once = normalise_text(raw)
        assert normalise_text(once) == once
    assert normalise_text("\ufeff\ufeffX\r\ny") == "X\ny"
