"""The project store: one ``.assay`` SQLite file holding articles, spans, claims and the audit log.

Every change a reviewer makes is one short ``BEGIN IMMEDIATE`` transaction that
also appends an ``events`` row (who, when, what, and enough payload to undo
it), so closing the window or a crash never loses a decision and two writers
(the window and a pre-annotation process) never interleave half-changes.

Tables are created and migrated through sqlite-utils; writes inside a
transaction use plain SQL on the same connection because sqlite-utils'
``insert``/``update`` commit on their own and would split our transactions.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlite_utils

from core import __version__
from core.errors import InvalidEdit, ProjectError
from core.models import (
    Article,
    RelationType,
)
from core.store import files as project_file
from core.store.annotations import Annotations
from core.store.article_topics import ArticleTopics
from core.store.audit import now
from core.store.chain_edges import ChainReads, count_once
from core.store.claims import Claims
from core.store.claims_across import ClaimsAcross
from core.store.copies import CopyContents, read_copy
from core.store.db import Db
from core.store.decisions import Decisions
from core.store.faults import check_on_open, file_faults_as_project_errors, integrity_problems
from core.store.faults import describe as describe_fault
from core.store.handouts import HandOuts
from core.store.imports import ArticleImports
from core.store.kb import Kb
from core.store.labels import Labels
from core.store.queries import ArticleQueries
from core.store.relation_types import RelationTypes, bundled_relation_types, insert_types
from core.store.relations import Relations
from core.store.relations_across import RelationAcross, relations_across
from core.store.rows import row_to as _row_to
from core.store.rules import ProjectRules
from core.store.schema import SCHEMA_VERSION, migrations, unexpected_schema
from core.store.scheme import DEFAULT_SCHEME, load_scheme, scheme_path
from core.store.spans import Spans
from core.store.statistics import Statistics
from core.store.tokens_blob import decode_tokens, encode_tokens
from core.store.topics import Topics, insert_topics, read_topics
from core.store.versions import Versions
from core.text.file_names import check_file_name

# --------------------------------------------------------------------------- helpers


_P = ParamSpec("_P")
_R = TypeVar("_R")
_Part = TypeVar("_Part")


def _forward(part: str, impl: Callable[Concatenate[_Part, _P], _R]
             ) -> Callable[Concatenate[Project, _P], _R]:
    """A ``Project`` method that runs ``impl`` on the part ``self.<part>``.

    The facade keeps one public surface (``project.add_span(...)``) while each table's
    code lives in its own class; ``functools.wraps`` keeps the part's docstring and
    signature for ``help()`` and editors, and the types (ParamSpec) keep them for the
    type checker: ``project.add_span`` has ``Spans.add_span``'s parameters and result.
    """
    name = impl.__name__

    @functools.wraps(impl)
    def method(self: Project, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        result: _R = getattr(getattr(self, part), name)(*args, **kwargs)
        return result

    return method


def _describe(exc: sqlite3.Error, path: Path) -> str:
    """What went wrong with the file, for the user (see ``core.store.faults.describe``)."""
    return describe_fault(exc, path)


# --------------------------------------------------------------------------- project


@file_faults_as_project_errors
class Project:
    """An open ``.assay`` project. Not thread-safe: use one ``Project`` per thread/process.

    ``rules`` are the language rules it applies (linking by name, claim suggestions, facts,
    figures: ``core.store.rules``), handed in by whoever opens it; the app's are
    ``core.nlp.store_rules.store_rules()``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, rules: ProjectRules,
                 read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.rules = rules
        # Opened with SQLite's mode=ro (Project.open(read_only=True)): writes are refused.
        self.read_only = read_only
        self.db = sqlite_utils.Database(conn)
        # The parts, one per table (or group of reads), each given only the connection and
        # the write rule (core.store.db), the few facade reads it needs and the rule of
        # ``rules`` it applies.
        self._db = Db(path, conn, rules.facts, read_only)
        self._labels = Labels(self._db, self._labels_changed)
        self._queries = ArticleQueries(conn, self.labels)
        self._kb = Kb(self._db, self.label_names, rules.linker)
        self._relation_types = RelationTypes(self._db, self.label_names)
        self._relations = Relations(self._db, self.relation_type)
        self._topics = Topics(self._db)
        self._article_topics = ArticleTopics(self._db)
        self._spans = Spans(self._db, self.article_text, self.label_names, self.link,
                            self._relations)
        self._claims = Claims(self._db, self.article_text, rules.claim_candidates)
        self._imports = ArticleImports(self._db, self.label_names, self.link, self._claims,
                                      self._relations, self._article_topics)
        self._across = ClaimsAcross(conn, rules)
        self._decisions = Decisions(self._db, self.article, self._relations,
                                    self._article_topics)
        self._versions = Versions(self._db)
        self._hand_outs = HandOuts(self._db)
        self._annotations = Annotations(self._db, self.label_names, self.link,
                                        self._claims._suggest_claims_in, self._relations)
        # The statistics window's and the report's reads (``core.store.statistics``).
        self.statistics = Statistics(conn, rules.facts)
        # The supply-chain map's reads (``core.store.chain_edges``).
        self.chain = ChainReads(conn)

    # ---- the parts' methods, forwarded (their docstrings and signatures are kept)

    labels = _forward("_labels", Labels.labels)
    label_names = _forward("_labels", Labels.label_names)
    label = _forward("_labels", Labels.label)
    label_uses = _forward("_labels", Labels.label_uses)
    add_label = _forward("_labels", Labels.add_label)
    update_label = _forward("_labels", Labels.update_label)
    move_label = _forward("_labels", Labels.move_label)
    rename_label = _forward("_labels", Labels.rename_label)
    merge_label = _forward("_labels", Labels.merge_label)
    unmerge_label = _forward("_labels", Labels.unmerge_label)
    names_since = _forward("_labels", Labels.names_since)
    delete_label = _forward("_labels", Labels.delete_label)
    export_scheme = _forward("_labels", Labels.export_scheme)
    use_scheme = _forward("_labels", Labels.use_scheme)
    import_scheme = _forward("_labels", Labels.import_scheme)
    adopt_scheme = _forward("_labels", Labels.adopt_scheme)

    def _labels_changed(self) -> None:
        """A scheme change: the linker and cached names derive from the labels."""
        self._kb._linker = None

    count_articles = _forward("_queries", ArticleQueries.count_articles)
    list_articles = _forward("_queries", ArticleQueries.list_articles)
    article_rows = _forward("_queries", ArticleQueries.article_rows)
    article_ids = _forward("_queries", ArticleQueries.article_ids)
    article_position = _forward("_queries", ArticleQueries.article_position)
    search_hits = _forward("_queries", ArticleQueries.search_hits)
    reviewed = _forward("_queries", ArticleQueries.reviewed)
    article_texts = _forward("_queries", ArticleQueries.article_texts)
    suggestions_as_made = _forward("_queries", ArticleQueries.suggestions_as_made)
    search = _forward("_queries", ArticleQueries.search)
    ids_by_sha256 = _forward("_queries", ArticleQueries.ids_by_sha256)
    urls_present = _forward("_queries", ArticleQueries.urls_present)
    next_article_id = _forward("_queries", ArticleQueries.next_article_id)
    most_uncertain_pending = _forward("_queries", ArticleQueries.most_uncertain_pending)
    measured_pending = _forward("_queries", ArticleQueries.measured_pending)
    counts_by_status = _forward("_queries", ArticleQueries.counts_by_status)
    counts_by_label = _forward("_queries", ArticleQueries.counts_by_label)
    reviewers = _forward("_queries", ArticleQueries.reviewers)

    spans = _forward("_spans", Spans.spans)
    span = _forward("_spans", Spans.span)
    last_span_change = _forward("_spans", Spans.last_change)
    add_span = _forward("_spans", Spans.add_span)
    update_span = _forward("_spans", Spans.update_span)
    set_spans_kb = _forward("_spans", Spans.set_spans_kb)
    add_spans = _forward("_spans", Spans.add_spans)
    delete_spans = _forward("_spans", Spans.delete_spans)
    replace_spans = _forward("_spans", Spans.replace_spans)
    suggestions_made = _forward("_spans", Spans.suggestions_made)
    set_spans_state = _forward("_spans", Spans.set_spans_state)
    relabel_span = _forward("_spans", Spans.relabel_span)
    resize_span = _forward("_spans", Spans.resize_span)
    reject_span = _forward("_spans", Spans.reject_span)
    accept_span = _forward("_spans", Spans.accept_span)
    set_span_kb = _forward("_spans", Spans.set_span_kb)
    delete_span = _forward("_spans", Spans.delete_span)

    relation_types = _forward("_relation_types", RelationTypes.relation_types)
    relation_type = _forward("_relation_types", RelationTypes.relation_type)
    add_relation_type = _forward("_relation_types", RelationTypes.add_relation_type)
    update_relation_type = _forward("_relation_types", RelationTypes.update_relation_type)
    delete_relation_type = _forward("_relation_types", RelationTypes.delete_relation_type)
    adopt_relation_types = _forward("_relation_types", RelationTypes.adopt_relation_types)
    use_relation_types = _forward("_relation_types", RelationTypes.use_relation_types)

    relations = _forward("_relations", Relations.relations)
    relation = _forward("_relations", Relations.relation)
    relation_counts = _forward("_relations", Relations.relation_counts)
    listed_relations = _forward("_relations", Relations.listed_relations)
    relation_text = _forward("_relations", Relations.relation_text)
    add_relation = _forward("_relations", Relations.add_relation)
    update_relation = _forward("_relations", Relations.update_relation)
    delete_relation = _forward("_relations", Relations.delete_relation)
    restore_relations = _forward("_relations", Relations.restore_relations)

    topics = _forward("_topics", Topics.topics)
    topic = _forward("_topics", Topics.topic)
    topic_uses = _forward("_topics", Topics.topic_uses)
    add_topic = _forward("_topics", Topics.add_topic)
    update_topic = _forward("_topics", Topics.update_topic)
    move_topic = _forward("_topics", Topics.move_topic)
    rename_topic = _forward("_topics", Topics.rename_topic)
    delete_topic = _forward("_topics", Topics.delete_topic)
    use_topics = _forward("_topics", Topics.use_topics)
    article_topics = _forward("_article_topics", ArticleTopics.article_topics)
    article_topic = _forward("_article_topics", ArticleTopics.article_topic)
    articles_with_topic = _forward("_article_topics", ArticleTopics.articles_with_topic)
    topic_counts = _forward("_article_topics", ArticleTopics.topic_counts)
    counts_by_topic = _forward("_article_topics", ArticleTopics.counts_by_topic)
    set_article_topic = _forward("_article_topics", ArticleTopics.set_article_topic)
    restore_article_topic = _forward("_article_topics", ArticleTopics.restore_article_topic)
    suggest_topics = _forward("_article_topics", ArticleTopics.suggest_topics)
    suggest_topics_batch = _forward("_article_topics", ArticleTopics.suggest_topics_batch)

    claims = _forward("_claims", Claims.claims)
    claim = _forward("_claims", Claims.claim)
    add_claim = _forward("_claims", Claims.add_claim)
    update_claim = _forward("_claims", Claims.update_claim)
    delete_claim = _forward("_claims", Claims.delete_claim)
    open_claims = _forward("_claims", Claims.open_claims)
    suggest_claims = _forward("_claims", Claims.suggest_claims)
    claims_across = _forward("_across", ClaimsAcross.claims_across)
    mentions_across = _forward("_across", ClaimsAcross.mentions_across)

    def relations_across(self, claim_id: int) -> list[RelationAcross]:
        """Other articles' relations matching those claim ``claim_id`` states, with their
        evidence sentences' figures marked (``core.store.relations_across``)."""
        return relations_across(self._across, claim_id)

    set_article_status = _forward("_decisions", Decisions.set_article_status)
    approve_article = _forward("_decisions", Decisions.approve_article)
    reject_article = _forward("_decisions", Decisions.reject_article)
    skip_article = _forward("_decisions", Decisions.skip_article)
    set_note = _forward("_decisions", Decisions.set_note)
    add_review_time = _forward("_decisions", Decisions.add_review_time)
    review_time = _forward("_decisions", Decisions.review_time)

    articles_to_annotate = _forward("_annotations", Annotations.articles_to_annotate)
    store_annotations = _forward("_annotations", Annotations.store_annotations)

    put_versions = _forward("_versions", Versions.put_versions)
    versions = _forward("_versions", Versions.versions)
    version_reviewers = _forward("_versions", Versions.version_reviewers)

    record_hand_out = _forward("_hand_outs", HandOuts.record_hand_out)
    handed_out = _forward("_hand_outs", HandOuts.handed_out)
    second_opinion_copies = _forward("_hand_outs", HandOuts.second_opinion_copies)

    def read_as_copy(self, labels: set[str],
                     vouch: Callable[[dict[str, Any]], dict[str, str] | None] | None = None,
                     relation_types: Sequence[RelationType] = (),
                     topics: set[str] | None = None) -> CopyContents:
        """This file as a reviewer's copy: all of it in ONE read transaction, every value
        checked (``core.store.copies``); InvalidEdit at the first that fails. ``vouch``
        sees the meta first, in the same transaction, and may refuse the copy;
        ``relation_types`` are the merging project's (what a relation may be) and
        ``topics`` its topics' names (what an article's topic may be; None: none read)."""
        return read_copy(self._db, labels, vouch, relation_types, topics)

    kb_entries = _forward("_kb", Kb.kb_entries)
    kb_entry_rows = _forward("_kb", Kb.kb_entry_rows)
    linker = _forward("_kb", Kb.linker)
    link = _forward("_kb", Kb.link)
    add_kb_entry = _forward("_kb", Kb.add_kb_entry)
    unlinked_mentions = _forward("_kb", Kb.unlinked_mentions)
    delete_kb_entry = _forward("_kb", Kb.delete_kb_entry)

    # ---- opening and creating

    @classmethod
    def create(
        cls, path: str | Path, name: str | None = None, scheme: str | Path = DEFAULT_SCHEME,
        *, rules: ProjectRules,
    ) -> Project:
        """Create a new project file with the given label scheme; refuses to overwrite.
        ``rules``: the language rules it applies (see the class)."""
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{path} already exists; choose another name or open it.")
        project_file.check_destination(path, [], "create a project at")
        # The name becomes part of file names (assign's copies): core.text.file_names.
        name = check_file_name(name if name is not None else path.stem, "project name")
        labels = load_scheme(scheme)
        scheme_file = Path(scheme) if Path(scheme).suffix else scheme_path(str(scheme))
        relation_types = bundled_relation_types(scheme_file)
        scheme_data = json.loads(scheme_file.read_text(encoding="utf-8-sig"))
        # A scheme without topics (one made before them) keeps the default ones (v12).
        topics = read_topics(scheme_data, scheme_file.name) if isinstance(
            scheme_data, dict) and "topics" in scheme_data else None
        try:
            conn = project_file.connect(path, create=True)
            project = cls(path, conn, rules=rules)
            cls._set_journal(conn, path)
            project._migrate(fresh=True)
            with project._write():
                meta = {
                    "name": name,
                    "scheme": str(scheme),
                    "created_at": now(),
                    "app_version": __version__,
                    "app": "assay",
                }
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)", list(meta.items())
                )
                conn.executemany(
                    "INSERT INTO labels(name, color, hotkey, description, position) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(lb.name, lb.color, lb.hotkey, lb.description, lb.position)
                     for lb in labels],
                )
                insert_types(conn, relation_types)
                if topics is not None:
                    conn.execute("DELETE FROM topics")
                    insert_topics(conn, topics)
        except sqlite3.Error as exc:
            raise ProjectError(_describe(exc, path)) from exc
        return project

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, *, rules: ProjectRules) -> Project:
        """Open an existing project, migrating it forward if it is older than this app;
        ``rules``: the language rules it applies (see the class).

        The file is checked first (``core.store.files.sniff`` and
        ``core.store.faults``: not a file, empty, not SQLite, not Assay, made by a newer
        Assay, holding schema objects Assay did not make, damaged); every refusal
        happens before anything is written, so the file is left byte for byte as
        it was. ``read_only`` opens it with SQLite's ``mode=ro`` (``immutable`` on
        read-only media): everything reads, every write raises ProjectError, and
        a project from an older Assay is refused, not migrated.
        """
        path = Path(path)
        project_file.sniff(path)
        conn: sqlite3.Connection | None = None
        try:
            conn = project_file.connect(path, read_only=read_only)
            project = cls(path, conn, rules=rules, read_only=read_only)
            if "meta" not in project.db.table_names() or project.meta("app") != "assay":
                raise ProjectError(f"{path} is a SQLite database but not an Assay project.")
            version = project.schema_version
            if version > SCHEMA_VERSION:
                raise ProjectError(
                    f"{path} was made by a newer Assay (schema {version}; this app knows "
                    f"{SCHEMA_VERSION}). Update Assay to open it. The file was left as it is."
                )
            foreign = unexpected_schema(conn, version)
            if foreign:
                raise ProjectError(
                    f"{path} holds schema objects Assay does not make ({', '.join(foreign)}), "
                    "which could change data behind the reviewers' backs. Assay will not "
                    "open it; the file was left as it is. Inspect it with the sqlite3 tool.")
            check_on_open(conn, path)
            if not read_only:
                cls._set_journal(conn, path)
            project._migrate(fresh=False)
        except (sqlite3.Error, ProjectError) as exc:
            if conn is not None:
                with suppress(sqlite3.Error):
                    project_file.release(conn)
            if isinstance(exc, ProjectError):
                raise
            raise ProjectError(_describe(exc, path)) from exc
        return project

    @classmethod
    def open_for_reading(cls, path: str | Path, *, rules: ProjectRules) -> Project:
        """Open for commands that only read (stats, export): read-only where the file or its
        folder cannot be written (read-only media, another user's share), else as usual."""
        path = Path(path)
        return cls.open(path, read_only=path.exists() and not project_file.can_write(path),
                        rules=rules)

    @staticmethod
    def _set_journal(conn: sqlite3.Connection, path: Path) -> None:
        """WAL, so readers never wait for the writer (persistent: set once per file)."""
        if os.access(path, os.W_OK) or not path.exists():
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self, fresh: bool) -> None:
        version = self.schema_version  # a newer one was refused by open(), before any write
        if version == 0 and not fresh:
            raise ProjectError(f"{self.path} has no Assay schema.")
        if self.read_only and version < SCHEMA_VERSION:
            raise ProjectError(
                f"{self.path} was made by an older Assay and must be upgraded before this "
                "version can read it, which a read-only open cannot do. Open it once where "
                "it can be changed."
            )
        # sqlite-utils commits its own DDL, so each step is written to be re-runnable
        # and the version is bumped only after the step is complete.
        steps = migrations(self.rules.facts)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            steps[target](self.db)
            self.conn.execute(f"PRAGMA user_version = {target}")
        if not self.read_only:  # the supply-chain map's rows, once (core.store.chain_edges)
            count_once(self._db)

    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite on the last close."""
        with suppress(sqlite3.Error):
            project_file.release(self.conn)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- transactions (core.store.db)

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.write()

    # ---- meta and labels

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._db.edit() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def project_id(self) -> str:
        """The project's identity (schema v7): the copies handed out name it."""
        return self.meta("project_id") or ""

    @property
    def name(self) -> str:
        return self.meta("name") or self.path.stem

    # ---- articles

    add_articles = _forward("_imports", ArticleImports.add_articles)

    def article(self, article_id: int) -> Article:
        row = self.conn.execute(
            "SELECT * FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise InvalidEdit(f"No article with id {article_id}.")
        return _row_to(Article, row)

    def article_text(self, article_id: int) -> str:
        return self.article(article_id).text

    def tokens(self, article_id: int) -> list[tuple[int, int]] | None:
        """Cached token offsets of an article, or None if it was never tokenised."""
        row = self.conn.execute(
            "SELECT offsets FROM article_tokens WHERE article_id = ?", (article_id,)
        ).fetchone()
        return decode_tokens(row[0]) if row else None

    def set_tokens(self, article_id: int, offsets: Sequence[tuple[int, int]]) -> None:
        """Cache token offsets computed on first open (no event: derived data, not a decision)."""
        with self._db.edit() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO article_tokens(article_id, offsets) VALUES (?, ?)",
                (article_id, encode_tokens(offsets)),
            )

    # ---- audit log

    def events(self, article_id: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Newest first; ``payload`` decoded."""
        cond, params = ("WHERE article_id = ?", [article_id]) if article_id is not None else (
            "", [])
        rows = self.conn.execute(
            f"SELECT * FROM events {cond} ORDER BY id DESC LIMIT ?", [*params, limit]
        )
        return [{**dict(r), "payload": json.loads(r["payload"] or "{}")} for r in rows]

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def integrity_problems(self, limit: int = 20) -> list[str]:
        """Full ``PRAGMA integrity_check`` (slow on big files): empty when the file is sound."""
        return integrity_problems(self.conn, limit)
