"""The project file's schema: tables, forward migrations, and what a file may not hold.

``PRAGMA user_version`` is the schema version. Each migration brings a file one
version forward and is written to be re-runnable (sqlite-utils commits its own
DDL), so the version is bumped only after its step is complete.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import uuid
from collections.abc import Callable

import sqlite_utils

from core.store import summaries
from core.store.relation_types import bundled_relation_types, insert_types
from core.store.rules import FactsRule
from core.store.scheme import DEFAULT_SCHEME, scheme_path
from core.store.topics import bundled_topics, insert_topics

SCHEMA_VERSION = 13



def _migrate_to_v1(db: sqlite_utils.Database) -> None:
    """The data model of DESIGN.md as first shipped."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("labels").create(
        {"name": str, "color": str, "hotkey": str, "description": str, "position": int},
        pk="name",
    )
    db.table("articles").create(
        {
            "id": int,
            "title": str,
            "source": str,
            "url": str,
            "published": str,
            "text": str,
            "sha256": str,
            "status": str,
            "note": str,
            "reviewed_by": str,
            "reviewed_at": str,
            "model": str,
        },
        pk="id",
        not_null={"text", "sha256", "status"},
        defaults={"status": "pending", "note": "", "title": "", "source": "", "url": "",
                  "published": ""},
    )
    db.table("articles").create_index(["sha256"], unique=True)
    db.table("articles").create_index(["status"])
    db.table("spans").create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "label": str,
            "text": str,
            "origin": str,
            "state": str,
            "kb_id": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"article_id", "start", "end", "label", "text", "origin", "state"},
        foreign_keys=[("article_id", "articles", "id"), ("label", "labels", "name")],
    )
    db.table("spans").create_index(["article_id", "start"])
    db.table("spans").create_index(["label", "state"])
    db.table("claims").create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "verdict": str,
            "evidence_url": str,
            "note": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"article_id", "start", "end", "verdict"},
        defaults={"verdict": "unchecked", "evidence_url": "", "note": ""},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("claims").create_index(["article_id"])
    db.table("events").create(
        {"id": int, "at": str, "reviewer": str, "article_id": int, "action": str,
         "payload": str},
        pk="id",
    )
    db.table("events").create_index(["article_id"])
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


def _migrate_to_v2(db: sqlite_utils.Database) -> None:
    """Review time per decision (for review-speed statistics) and a token cache for snapping."""
    if "review_seconds" not in db.table("articles").columns_dict:
        db.table("articles").add_column("review_seconds", float)
    db.table("article_tokens").create(
        {"article_id": int, "offsets": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )


def _migrate_to_v3(db: sqlite_utils.Database) -> None:
    """Suggested claims (state, origin, reason) and reviewers' canonical entries."""
    columns = db.table("claims").columns_dict
    for name, default in (("state", "accepted"), ("origin", "reviewer"), ("reason", "")):
        if name not in columns:
            db.table("claims").add_column(name, str, not_null_default=default)
    db.table("kb_entries").create(
        {"id": str, "label": str, "name": str, "aliases": str, "added_by": str,
         "added_at": str},
        pk=("id", "label"),
        not_null={"name"},
        if_not_exists=True,
    )


# The full-text index of v1-v3 was kept by sqlite-utils' triggers. With SQLite's
# trusted_schema=OFF (every connection, core.store.files) a trigger may not write an
# FTS5 table, and a file that travels between people should hold no triggers at all,
# so from v4 the store writes the index itself (articles are only ever inserted).
FTS_TRIGGERS_V1 = {
    "articles_ai": "CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] BEGIN\n"
                   "  INSERT INTO [articles_fts] (rowid, [title], [text]) VALUES (new.rowid, "
                   "new.[title], new.[text]);\nEND",
    "articles_ad": "CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN\n"
                   "  INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [text]) "
                   "VALUES('delete', old.rowid, old.[title], old.[text]);\nEND",
    "articles_au": "CREATE TRIGGER [articles_au] AFTER UPDATE ON [articles] BEGIN\n"
                   "  INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [text]) "
                   "VALUES('delete', old.rowid, old.[title], old.[text]);\n"
                   "  INSERT INTO [articles_fts] (rowid, [title], [text]) VALUES (new.rowid, "
                   "new.[title], new.[text]);\nEND",
}
FTS_TABLE_SQL = ("CREATE VIRTUAL TABLE [articles_fts] USING FTS5 (\n    [title], [text],\n"
                 "    tokenize='porter',\n    content=[articles]\n)")


def _migrate_to_v4(db: sqlite_utils.Database) -> None:
    """No triggers: the store keeps the full-text index (see FTS_TRIGGERS_V1)."""
    for name in FTS_TRIGGERS_V1:
        db.execute(f"DROP TRIGGER IF EXISTS [{name}]")


def _migrate_to_v5(db: sqlite_utils.Database) -> None:
    """Live entities per article stored with the article (kept by the store on every span
    write, ``Project._recount``), and an index per sortable column, so that the article
    list sorts and pages a million articles through indexes instead of counting spans."""
    if "entities" not in db.table("articles").columns_dict:
        db.table("articles").add_column("entities", int, not_null_default=0)
    db.execute("UPDATE articles SET entities = (SELECT count(*) FROM spans s WHERE "
               "s.article_id = articles.id AND s.state != 'rejected')")
    for name, columns in SORT_INDEXES.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON articles({columns})")


def _migrate_to_v6(db: sqlite_utils.Database) -> None:
    """Spans per (label, state) over the whole project, kept by the store on every span write
    (``Db.recount``) with each article's own share in ``articles.tally``, so the label
    counts of the list's filter and the statistics cost one small read at any size."""
    if "tally" not in db.table("articles").columns_dict:
        db.table("articles").add_column("tally", str, not_null_default="[]")
    db.table("label_counts").create({"label": str, "state": str, "n": int}, pk=("label", "state"),
                              not_null={"n"}, if_not_exists=True)
    db.execute("DELETE FROM label_counts")
    db.execute("INSERT INTO label_counts(label, state, n) SELECT label, state, count(*) "
               "FROM spans GROUP BY label, state")
    db.execute("UPDATE articles SET tally = COALESCE((SELECT json_group_array(json_array("
               "label, state, n)) FROM (SELECT label, state, count(*) AS n FROM spans s "
               "WHERE s.article_id = articles.id GROUP BY label, state "
               "ORDER BY label, state)), '[]')")


def _migrate_to_v7(db: sqlite_utils.Database) -> None:
    """Teams: the project's identity (copies handed out name it), and each reviewer's
    *version* of an article, merged back from their copy: their decision, note, seconds,
    spans with states, claims and the copy's events for it (JSON; read whole)."""
    if db.execute("SELECT 1 FROM meta WHERE key = 'project_id'").fetchone() is None:
        db.execute("INSERT INTO meta(key, value) VALUES ('project_id', ?)", [uuid.uuid4().hex])
    db.table("versions").create(
        {"id": int, "article_id": int, "reviewer": str, "status": str, "note": str,
         "review_seconds": float, "reviewed_at": str, "copy_id": str, "merged_at": str,
         "spans": str, "claims": str, "events": str},
        pk="id", not_null={"article_id", "reviewer", "status", "spans", "claims", "events"},
        foreign_keys=[("article_id", "articles", "id")], if_not_exists=True)
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS idx_versions_article_reviewer "
               "ON versions(article_id, reviewer)")


def _migrate_to_v8(db: sqlite_utils.Database) -> None:
    """Which model made each suggestion (issue 15: several pre-annotators, a trained one
    among them), kept when a reviewer accepts or corrects it, so the pre-annotation can be
    judged per model; and how unsure pre-annotation was about each article. Before v8 only
    a live suggestion knew its model (in ``updated_by``); a decided one takes its
    article's last model, the best that is known."""
    if "model" not in db.table("spans").columns_dict:
        db.table("spans").add_column("model", str)
    db.execute("UPDATE spans SET model = CASE WHEN state = 'suggested' THEN updated_by ELSE "
               "(SELECT a.model FROM articles a WHERE a.id = spans.article_id) END "
               "WHERE origin IN ('model', 'rules') AND model IS NULL")
    # How unsure pre-annotation was about the article (0 sure … 1 unsure; NULL: not
    # measured), for "most uncertain first"; indexed with the status it is filtered by.
    if "uncertainty" not in db.table("articles").columns_dict:
        db.table("articles").add_column("uncertainty", float)
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_uncertainty "
               "ON articles(status, uncertainty)")
    # The list's "most uncertain first" pages through this, as the other sorts do (v5).
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_uncertainty_sort "
               "ON articles(uncertainty)")


def _migrate_to_v9(db: sqlite_utils.Database, facts: FactsRule) -> None:
    """What each suggestion was when the pre-annotator made it (issue 16: the statistics
    judge a model by what reviewers kept, corrected or rejected), and an index on links
    for the country × mineral map and for "what other articles say" about a claim; and
    each article's share of the statistics (``core.store.summaries``), computed once here
    by the project's facts rule.

    ``suggested_start/end/label`` are set when a model or rules span is inserted and
    never change after; a reviewer's edits change only ``start/end/label``. For spans
    made before v9 they are read back from the audit log: the first ``span.update``
    event that changed a field holds the value the model gave it (an unchanged field
    still has it)."""
    columns = db.table("spans").columns_dict
    for name, kind in (("suggested_start", int), ("suggested_end", int),
                       ("suggested_label", str)):
        if name not in columns:
            db.table("spans").add_column(name, kind)
    first: dict[int, dict[str, object]] = {}
    for article_id, payload in db.execute(
            "SELECT article_id, payload FROM events WHERE action = 'span.update' ORDER BY id"):
        try:  # an event the audit log cannot vouch for (damaged, hostile) is not evidence
            change = json.loads(payload) if len(payload or "") < 100_000 else {}
            span_id, fields = change["span_id"], change["changes"]
        except Exception:  # noqa: BLE001 - any damage: skip the event, never the upgrade
            continue
        if type(span_id) is not int or not isinstance(fields, dict):
            continue
        seen = first.setdefault(span_id, {"article_id": article_id})
        for field, kind in (("start", int), ("end", int), ("label", str)):
            old = fields.get(field)
            if field not in seen and isinstance(old, list) and len(old) == 2 \
                    and type(old[0]) is kind:
                seen[field] = old[0]
    db.execute("UPDATE spans SET suggested_start = start, suggested_end = \"end\", "
               "suggested_label = label WHERE origin IN ('model', 'rules') "
               "AND suggested_label IS NULL")
    rows = db.execute("SELECT id, article_id FROM spans WHERE origin IN ('model', 'rules')")
    updates = []
    for span_id, article_id in rows.fetchall():
        given = first.get(span_id)
        if given and given["article_id"] == article_id and len(given) > 1:
            updates.append((given.get("start"), given.get("end"), given.get("label"), span_id))
    db.conn.executemany(
        "UPDATE spans SET suggested_start = COALESCE(?, suggested_start), suggested_end = "
        "COALESCE(?, suggested_end), suggested_label = COALESCE(?, suggested_label) "
        "WHERE id = ?", updates)
    db.execute("CREATE INDEX IF NOT EXISTS idx_spans_kb ON spans(kb_id, article_id)")
    # Review progress reads only these columns: from the index, not the rows (and texts).
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_reviewed "
               "ON articles(status, reviewed_at, reviewed_by, review_seconds)")
    # Each article's share of the statistics and their sums (core.store.summaries).
    db.execute("CREATE TABLE IF NOT EXISTS article_stats (article_id INTEGER NOT NULL "
               "REFERENCES articles(id), kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, "
               "c TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (article_id, kind, a, b, c))")
    db.execute("CREATE INDEX IF NOT EXISTS idx_article_stats_key "
               "ON article_stats(kind, a, b, article_id)")
    db.execute("CREATE TABLE IF NOT EXISTS stat_counts (kind TEXT NOT NULL, a TEXT NOT NULL, "
               "b TEXT NOT NULL, c TEXT NOT NULL, n INTEGER NOT NULL, "
               "PRIMARY KEY (kind, a, b, c))")
    with db.conn:  # one transaction: a commit per article would double the time
        summaries.rebuild(db.conn, facts)


def _migrate_to_v10(db: sqlite_utils.Database) -> None:
    """What the project handed out (issue 23): each copy's id, reviewer, whether it showed
    the lead's decisions, a digest of all three and its articles, and the articles by id
    and SHA-256. Merge trusts this record, never the copy's own word about itself
    (``core.teams.merge``). Copies handed out before v10 have no record: hand them out
    again."""
    db.execute("CREATE TABLE IF NOT EXISTS handed_out (copy_id TEXT PRIMARY KEY NOT NULL, "
               "reviewer TEXT NOT NULL, shows_decisions INTEGER NOT NULL DEFAULT 0, "
               "digest TEXT NOT NULL, handed_by TEXT NOT NULL, handed_at TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS handed_out_articles (copy_id TEXT NOT NULL "
               "REFERENCES handed_out(copy_id), article_id INTEGER NOT NULL "
               "REFERENCES articles(id), sha256 TEXT NOT NULL, "
               "PRIMARY KEY (copy_id, article_id))")


PUBLISHED_INDEX = "CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published)"


def _migrate_to_v11(db: sqlite_utils.Database) -> None:
    """Relations (issue 26): the scheme's relation types, each relation between two spans of
    one article with its state, origin and model like spans, their sums per type and state,
    and each reviewer's relations in their version. A project made before v11 takes the
    default scheme's types (``core.store.relation_types``); its labels are whatever the
    project has, so a type naming a label it lacks allows nothing until it is edited."""
    db.execute("CREATE TABLE IF NOT EXISTS relation_types (name TEXT PRIMARY KEY NOT NULL, "
               "head_labels TEXT NOT NULL, tail_labels TEXT NOT NULL, "
               "symmetric INTEGER NOT NULL DEFAULT 0, color TEXT NOT NULL, "
               "hotkey TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', "
               "position INTEGER NOT NULL DEFAULT 0)")
    db.execute("CREATE TABLE IF NOT EXISTS relations (id INTEGER PRIMARY KEY, "
               "article_id INTEGER NOT NULL REFERENCES articles(id), "
               "head_id INTEGER NOT NULL REFERENCES spans(id), "
               "tail_id INTEGER NOT NULL REFERENCES spans(id), "
               "type TEXT NOT NULL REFERENCES relation_types(name), state TEXT NOT NULL, "
               "origin TEXT NOT NULL, model TEXT, updated_by TEXT, updated_at TEXT, "
               "suggested_type TEXT)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_relations_article ON relations(article_id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_relations_head ON relations(head_id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_relations_tail ON relations(tail_id)")
    db.execute("CREATE TABLE IF NOT EXISTS relation_counts (type TEXT NOT NULL, "
               "state TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (type, state))")
    if "relations" not in db.table("versions").columns_dict:
        db.table("versions").add_column("relations", str, not_null_default="[]")
    # The supply-chain map's date range reads the articles of a range through this (issue
    # 27, no version of its own: Project.open makes it for files already at v11 too).
    db.execute(PUBLISHED_INDEX)
    if db.execute("SELECT count(*) FROM relation_types").fetchone()[0] == 0:
        with db.conn:
            insert_types(db.conn, bundled_relation_types(scheme_path(DEFAULT_SCHEME)))


def _migrate_to_v12(db: sqlite_utils.Database) -> None:
    """Topics (issue 29): the scheme's topics (document labels), each article's topics with
    state, origin, model, score, who and when (``core.store.article_topics``), their sums
    per topic and state, each article's live topics by name for the list (sorted through
    an index), and each reviewer's topics in their version. A project made before v12
    takes the default scheme's topics; nothing it holds changes."""
    db.execute("CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY NOT NULL, "
               "color TEXT NOT NULL, hotkey TEXT NOT NULL DEFAULT '', "
               "description TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0)")
    db.execute("CREATE TABLE IF NOT EXISTS article_topics ("
               "article_id INTEGER NOT NULL REFERENCES articles(id), "
               "topic TEXT NOT NULL REFERENCES topics(name), state TEXT NOT NULL, "
               "origin TEXT NOT NULL, model TEXT, score REAL, updated_by TEXT, "
               "updated_at TEXT, PRIMARY KEY (article_id, topic))")
    # The list's filter and articles_with_topic: the articles of one topic in id order,
    # their state read from the index too (core.store.queries walks it for a page).
    db.execute("CREATE INDEX IF NOT EXISTS idx_article_topics_topic "
               "ON article_topics(topic, article_id, state)")
    db.execute("CREATE TABLE IF NOT EXISTS topic_counts (topic TEXT NOT NULL, "
               "state TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (topic, state))")
    if "topics" not in db.table("articles").columns_dict:
        db.table("articles").add_column("topics", str, not_null_default="")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_topics_sort ON articles(topics)")
    if "topics" not in db.table("versions").columns_dict:
        db.table("versions").add_column("topics", str, not_null_default="[]")
    if db.execute("SELECT count(*) FROM topics").fetchone()[0] == 0:
        with db.conn:
            insert_topics(db.conn, bundled_topics(scheme_path(DEFAULT_SCHEME)))


def _migrate_to_v13(db: sqlite_utils.Database) -> None:
    """Pages (issue 29): where each page of an article made from a PDF starts in its text,
    a JSON list of offsets (``core.text.pages``); NULL for every other article."""
    if "pages" not in db.table("articles").columns_dict:
        db.execute("ALTER TABLE articles ADD COLUMN pages TEXT")


# Indexes the article list sorts by (core.store.project.SORTABLE_COLUMNS); status has one
# since v1. Every index ends in the rowid, so each also orders by id within its column.
# The one on id alone lets paging by id skip through a small index, not the table's rows
# (which hold the whole text).
SORT_INDEXES = {
    "idx_articles_id_sort": "id",
    "idx_articles_title_sort": "title COLLATE NOCASE",
    "idx_articles_source_sort": "source COLLATE NOCASE",
    "idx_articles_reviewer_sort": "reviewed_by COLLATE NOCASE",
    "idx_articles_entities_sort": "entities",
}

def migrations(facts: FactsRule) -> dict[int, Callable[[sqlite_utils.Database], None]]:
    """Each step by the version it brings a file to; v9 counts the statistics by ``facts``,
    the rule the project was handed (``core.store.rules``)."""
    return {1: _migrate_to_v1, 2: _migrate_to_v2, 3: _migrate_to_v3, 4: _migrate_to_v4,
            5: _migrate_to_v5, 6: _migrate_to_v6, 7: _migrate_to_v7, 8: _migrate_to_v8,
            9: functools.partial(_migrate_to_v9, facts=facts), 10: _migrate_to_v10,
            11: _migrate_to_v11, 12: _migrate_to_v12, 13: _migrate_to_v13}


def _canonical(sql: str | None) -> str:
    """SQL without identifier quotes: sqlite-utils 3 writes [name], 4 writes "name"."""
    return re.sub(r'[\[\]"]', "", sql or "")


def unexpected_schema(conn: sqlite3.Connection, version: int) -> list[str]:
    """Schema objects Assay did not make (a trigger, a view, a foreign virtual table).

    A project file is untrusted input: a trigger on ``spans`` would run on every
    edit. Only the triggers of schema v1-v3 are allowed, word for word, in files
    that old (the v4 migration drops them).
    """
    found = []
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if kind == "view":
            found.append(f"view {name}")
        elif kind == "trigger":
            if not (version < 4 and _canonical(FTS_TRIGGERS_V1.get(name)) == _canonical(sql)):
                found.append(f"trigger {name}")
        elif kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL TABLE") \
                and not (name == "articles_fts" and _canonical(sql) == _canonical(FTS_TABLE_SQL)):
            found.append(f"virtual table {name}")
    return found
