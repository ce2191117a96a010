"""Topics in the store (issue 29): the scheme's topics, each article's topics with who and
when, suggestions that never override a reviewer, approval, rename, and the migration of
a v11 file. Real project files; every rule tested the way it breaks."""

from __future__ import annotations

import sqlite3

import pytest

from core.errors import InvalidEdit
from core.models import ArticleIn, RelationIn, SpanIn, TopicIn, Version
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.schema import SCHEMA_VERSION

R = "ana"
DEFAULT_TOPICS = ["export controls", "investment and finance", "production and capacity",
                  "processing and refining", "trade and supply", "policy and law",
                  "partnerships", "prices and markets", "environment and social"]


def _rows(project: Project) -> dict[tuple[int, str], tuple[str, str, str | None]]:
    return {(a, t): (s, o, who) for a, t, s, o, who in project.conn.execute(
        "SELECT article_id, topic, state, origin, updated_by FROM article_topics")}


def _counts_match_rows(project: Project) -> bool:
    rows = {(t, s): n for t, s, n in project.conn.execute(
        "SELECT topic, state, count(*) FROM article_topics GROUP BY topic, state")}
    return project.topic_counts() == rows


def _listed(project: Project, article_id: int) -> str:
    return project.conn.execute("SELECT topics FROM articles WHERE id = ?",
                                (article_id,)).fetchone()[0]


def test_a_new_project_has_the_default_topics_with_keys(project):
    topics = project.topics()
    assert [t.name for t in topics] == DEFAULT_TOPICS
    assert [t.hotkey for t in topics] == list("123456789")
    assert all(t.color.startswith("#") and t.description for t in topics)


def test_a_reviewer_sets_any_number_with_who_and_when_and_an_audit_event(project):
    assert project.set_article_topic(1, "export controls", True, R) is None
    assert project.set_article_topic(1, "trade and supply", True, "bo") is None
    got = project.article_topics(1)
    assert [(t.topic, t.state, t.origin, t.updated_by) for t in got] == [
        ("export controls", "accepted", "reviewer", R),
        ("trade and supply", "accepted", "reviewer", "bo")]
    assert all(t.updated_at for t in got)
    before = project.set_article_topic(1, "export controls", False, R)
    assert before is not None and before.state == "accepted"
    assert project.article_topic(1, "export controls").state == "rejected"
    assert [t.topic for t in project.article_topics(1, include_rejected=False)] == [
        "trade and supply"]
    events = [e for e in project.events(1) if e["action"].startswith("topic.")]
    assert [e["payload"]["state"] for e in events] == ["rejected", "accepted", "accepted"]
    assert events[0]["payload"]["before"]["state"] == "accepted"
    assert _listed(project, 1) == "trade and supply"
    assert _counts_match_rows(project)
    # Setting what is already so writes nothing.
    n = len(project.events(1))
    project.set_article_topic(1, "trade and supply", True, "bo")
    assert len(project.events(1)) == n


@pytest.mark.parametrize("call, says", [
    (lambda p: p.set_article_topic(1, "space mining", True, R), "No topic"),
    (lambda p: p.set_article_topic(99, "export controls", True, R), "No article"),
    (lambda p: p.set_article_topic(1, "export controls", True, " "), "reviewer"),
    (lambda p: p.suggest_topics(1, {"export controls": 1.5}, "m"), "score"),
    (lambda p: p.suggest_topics(1, {"export controls": float("nan")}, "m"), "score"),
    (lambda p: p.suggest_topics(1, {"nope": 0.9}, "m"), "No topic"),
    (lambda p: p.add_topic("export controls", R), "already"),
    (lambda p: p.add_topic("x", R, hotkey="1"), "already export controls"),
    (lambda p: p.add_topic("a\u200bb", R), "invisible"),
    (lambda p: p.add_topic("x", R, hotkey="F1"), "one digit"),
    (lambda p: p.add_topic("x", R, hotkey="z"), "one digit"),
    (lambda p: p.rename_topic("export controls", "partnerships", R), "already"),
])
def test_broken_rules_are_refused_and_change_nothing(project, call, says):
    project.set_article_topic(1, "partnerships", True, R)
    before = (_rows(project), project.topics(), len(project.events(limit=10_000)))
    with pytest.raises(InvalidEdit, match=says):
        call(project)
    assert (_rows(project), project.topics(), len(project.events(limit=10_000))) == before


def test_restore_puts_the_row_back_exactly(project):
    project.suggest_topics(2, {"production and capacity": 0.8}, "topics-model==1")
    was = project.article_topic(2, "production and capacity")
    before = project.set_article_topic(2, "production and capacity", False, R)
    assert before == was
    project.restore_article_topic(2, "production and capacity", before, R)
    assert project.article_topic(2, "production and capacity") == was
    none_before = project.set_article_topic(2, "partnerships", True, R)
    project.restore_article_topic(2, "partnerships", none_before, R)
    assert project.article_topic(2, "partnerships") is None
    assert _listed(project, 2) == "production and capacity"
    assert _counts_match_rows(project)


def test_suggestions_never_override_a_reviewer_and_replace_the_models_own(project):
    project.set_article_topic(2, "export controls", False, R)   # "not about this"
    project.set_article_topic(2, "prices and markets", True, R)
    made = project.suggest_topics(2, {"export controls": 0.97, "prices and markets": 0.9,
                                      "production and capacity": 0.8, "partnerships": 0.2},
                                  "topics-model==1")
    assert made == ["production and capacity"]
    assert project.article_topic(2, "export controls").state == "rejected"
    assert project.article_topic(2, "prices and markets").origin == "reviewer"
    sug = project.article_topic(2, "production and capacity")
    assert (sug.state, sug.origin, sug.model, sug.score) == (
        "suggested", "model", "topics-model==1", 0.8)
    assert project.article_topic(2, "partnerships") is None  # under the threshold
    # A second run replaces the model's live suggestions, never a decision.
    project.suggest_topics(2, {"trade and supply": 0.7}, "topics-model==2")
    assert project.article_topic(2, "production and capacity") is None
    assert {t.topic for t in project.article_topics(2, include_rejected=False)} == {
        "prices and markets", "trade and supply"}
    assert _counts_match_rows(project)
    assert any(e["action"] == "topic.suggest" for e in project.events(2))


def test_approving_accepts_live_suggestions_and_undo_resuggests(project):
    from core.review.edits import SetStatus
    from core.review.history import History
    project.suggest_topics(3, {"partnerships": 0.9, "trade and supply": 0.6}, "m==1")
    project.set_article_topic(3, "trade and supply", False, R)
    history = History(project, R)
    history.do(SetStatus(3, "approved"))
    assert {t.topic: t.state for t in project.article_topics(3)} == {
        "partnerships": "accepted", "trade and supply": "rejected"}
    assert project.article_topic(3, "partnerships").updated_by == R
    history.undo()
    assert {t.topic: t.state for t in project.article_topics(3)} == {
        "partnerships": "suggested", "trade and supply": "rejected"}
    assert _counts_match_rows(project)


def test_rename_follows_articles_and_versions_and_keeps_who_and_when(project):
    project.set_article_topic(1, "policy and law", True, "bo")
    project.approve_article(1, "bo")
    decided = project.article_topic(1, "policy and law")
    project.put_versions([Version(0, 1, "cy", "approved", "", None, None, "c1", "",
                                  (), (), (), (), (TopicIn("policy and law", "accepted",
                                                           "reviewer"),))], "lead")
    reviewed = project.article(1)
    assert project.rename_topic("policy and law", "policy, law and regulation", R) == 1
    after = project.article_topic(1, "policy, law and regulation")
    assert after == decided._replace(topic="policy, law and regulation")
    assert project.article(1) == reviewed
    assert project.versions([1])[0].topics[0].topic == "policy, law and regulation"
    assert _listed(project, 1) == "policy, law and regulation"
    assert project.topic("policy, law and regulation").hotkey == "6"
    assert _counts_match_rows(project)
    assert project.events(limit=1)[0]["action"] == "topics.rename"


def test_a_topic_in_use_is_not_deleted_and_a_free_one_is(project):
    project.set_article_topic(1, "partnerships", False, R)  # a rejection is a decision
    with pytest.raises(InvalidEdit, match="1 article"):
        project.delete_topic("partnerships", R)
    gone = project.delete_topic("prices and markets", R)
    assert "prices and markets" not in [t.name for t in project.topics()]
    assert [t.position for t in project.topics()] == list(range(8))
    project.add_topic(gone.name, R, color=gone.color, hotkey=gone.hotkey,
                      description=gone.description, position=gone.position)
    assert project.topics()[gone.position] == gone


def test_add_update_move(project):
    added = project.add_topic("recycling", R, color="#123456", hotkey="0",
                              description="Recovery of metals from scrap.")
    assert added.position == 9 and project.topics()[-1] == added
    was = project.update_topic("recycling", R, hotkey="", color="#abcdef")
    assert was == added and project.topic("recycling").hotkey == ""
    assert project.move_topic("recycling", 0, R) == 9
    assert [t.name for t in project.topics()][:2] == ["recycling", "export controls"]


def test_articles_with_topic_reads_through_the_index(project):
    project.set_article_topic(1, "partnerships", True, R)
    project.suggest_topics(3, {"partnerships": 0.9}, "m")
    project.set_article_topic(2, "partnerships", False, R)
    assert project.articles_with_topic("partnerships") == [1, 3]
    assert project.articles_with_topic("partnerships", ("rejected",)) == [2]
    plan = " ".join(str(r[-1]) for r in project.conn.execute(
        "EXPLAIN QUERY PLAN SELECT article_id FROM article_topics WHERE topic = ? "
        "AND state IN ('accepted', 'suggested') ORDER BY article_id", ("partnerships",)))
    assert "idx_article_topics_topic" in plan


def test_an_import_brings_topics_with_stamps_in_one_transaction(project):
    project.add_articles([ArticleIn(text="Beijing tightened gallium export licences.",
                                    topics=(TopicIn("export controls", "accepted", "imported",
                                                    stamp=("zoe", "2025-01-02T03:04:05")),
                                            TopicIn("trade and supply", "suggested", "model",
                                                    "m==1", 0.7)))])
    new = project.article_ids()[-1]
    got = {t.topic: (t.state, t.updated_by, t.updated_at) for t in project.article_topics(new)}
    assert got["export controls"] == ("accepted", "zoe", "2025-01-02T03:04:05")
    assert got["trade and supply"][0] == "suggested"
    count = len(project.article_ids())
    with pytest.raises(InvalidEdit, match="No topic"):
        project.add_articles([ArticleIn(text="A second new text.",
                                        topics=(TopicIn("no such topic"),))])
    assert len(project.article_ids()) == count


def test_exports_read_topics_with_the_article(project):
    project.set_article_topic(1, "trade and supply", True, R)
    project.set_article_topic(1, "export controls", True, R)
    project.set_article_topic(1, "partnerships", False, R)
    project.suggest_topics(1, {"prices and markets": 0.9}, "m")
    [read] = project.reviewed([1], topics=True)
    assert [t.topic for t in read.topics] == ["export controls", "trade and supply"]
    [read] = project.reviewed([1], topics=True, suggestions=True)
    assert [t.topic for t in read.topics] == ["export controls", "trade and supply",
                                              "prices and markets"]
    [read] = project.reviewed([1], topics=True, every_state=True)
    assert len(read.topics) == 4
    [read] = project.reviewed([1])
    assert read.topics == []


def _downgrade_to_v11(path) -> None:
    """What the release before topics wrote: no topic tables or columns, user_version 11."""
    conn = sqlite3.connect(path)
    with conn:
        for name in ("idx_articles_topics_sort",):
            conn.execute(f"DROP INDEX {name}")
        for table in ("article_topics", "topic_counts", "topics"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE articles DROP COLUMN topics")
        conn.execute("ALTER TABLE versions DROP COLUMN topics")
    conn.execute("PRAGMA user_version = 11")
    conn.close()


def _everything(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%' "
        "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('topics', 'article_topics', "
        "'topic_counts')")]
    out = {}
    for table in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "topics"]
        out[table] = sorted(map(repr, conn.execute(
            f"SELECT {', '.join(repr(c) for c in cols)} FROM {table}")))
    conn.close()
    return out


def test_a_v11_file_migrates_and_loses_nothing(tmp_path):
    path = tmp_path / "old.assay"
    with Project.create(path, rules=store_rules()) as p:
        text = "Chile exports lithium to China."
        p.add_articles([ArticleIn(text=text, title="T", spans=(
            SpanIn(0, 5, "GPE", "model"), SpanIn(14, 21, "MINERAL", "model"),
            SpanIn(25, 30, "GPE", "reviewer", "accepted")),
            relations=(RelationIn(0, 1, "SUPPLIES"),)),
            ArticleIn(text="Another article, pending.")])
        p.approve_article(1, "bo", seconds=12.5)
        p.set_note(2, "look again", "bo")
        p.put_versions([Version(0, 1, "cy", "approved", "", 3.0, "2025-01-01", "c1", "",
                                (SpanIn(0, 5, "GPE", "reviewer", "accepted"),), (), ())],
                       "lead")
        decided = p.article(1)
    _downgrade_to_v11(path)
    before = _everything(path)
    with Project.open(path, rules=store_rules()) as p:
        assert p.schema_version == SCHEMA_VERSION == 13
        assert [t.name for t in p.topics()] == DEFAULT_TOPICS
        assert p.article(1) == decided  # the reviewed decision, untouched
        assert p.article_topics(1) == [] and p.topic_counts() == {}
        assert p.versions([1])[0].topics == ()
        p.set_article_topic(2, "partnerships", True, R)  # and it works at once
        assert p.conn.execute("SELECT topics FROM articles WHERE id = 2").fetchone()[0] == \
            "partnerships"
    after = _everything(path)
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed <= {"events"}  # only the new decision's own event
    assert len(after["events"]) == len(before["events"]) + 1


def test_a_migration_that_stopped_half_way_runs_again(tmp_path):
    """Re-runnable: a file whose v12 step created some tables but was not bumped."""
    path = tmp_path / "half.assay"
    Project.create(path, rules=store_rules()).close()
    _downgrade_to_v11(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE topics (name TEXT PRIMARY KEY NOT NULL, color TEXT NOT NULL, "
                 "hotkey TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', "
                 "position INTEGER NOT NULL DEFAULT 0)")
    conn.commit()
    conn.close()
    with Project.open(path, rules=store_rules()) as p:
        assert p.schema_version == SCHEMA_VERSION and len(p.topics()) == 9


def test_a_scheme_file_with_its_own_topics_gives_exactly_those(tmp_path):
    import json
    scheme = tmp_path / "mine.json"
    scheme.write_text(json.dumps({"labels": [{"name": "GPE", "color": "#feca74",
                                              "hotkey": "1"}],
                                  "topics": [{"name": "mining", "hotkey": "1"}]}))
    with Project.create(tmp_path / "s.assay", scheme=scheme, rules=store_rules()) as p:
        assert [(t.name, t.hotkey) for t in p.topics()] == [("mining", "1")]


def test_the_lists_topic_filter_reads_the_index_and_agrees_with_the_general_query(project):
    from core.store import ArticleFilter
    project.add_articles([ArticleIn(text=f"Article number {i} on gallium.") for i in range(40)])
    ids = project.article_ids()
    for article_id in ids[::3]:
        project.set_article_topic(article_id, "export controls", True, R)
    project.suggest_topics(ids[1], {"export controls": 0.9}, "m")
    project.set_article_topic(ids[3], "export controls", False, R)  # rejected: not listed
    alone = ArticleFilter(topic="export controls")
    general = ArticleFilter(topic="export controls", status="pending")  # all are pending
    want = project.articles_with_topic("export controls")
    assert ids[1] in want and ids[3] not in want
    assert project.count_articles(alone) == project.count_articles(general) == len(want)
    for descending in (False, True):
        for offset in (0, 5):
            fast = project.list_articles(alone, descending=descending, offset=offset, limit=4)
            slow = project.list_articles(general, descending=descending, offset=offset, limit=4)
            assert [r.id for r in fast] == [r.id for r in slow]
        assert [project.article_position(i, alone, descending=descending) for i in want] == \
            [project.article_position(i, general, descending=descending) for i in want]
    assert project.article_position(ids[3], alone) is None
    rows = project.list_articles(alone)
    assert rows[0].topics == "export controls"
