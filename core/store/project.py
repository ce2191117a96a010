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

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import sqlite_utils

from core import __version__
from core.errors import InvalidEdit, ProjectError
from core.models import (
    ARTICLE_STATUSES,
    SPAN_ORIGINS,
    SPAN_STATES,
    Article,
    ArticleIn,
    ArticleRow,
    Label,
    Reviewed,
    Span,
    SpanIn,
)
from core.nlp.linking import KB_ID_RULE, is_usable_kb_id
from core.store import files as project_file
from core.store import reading
from core.store.audit import now
from core.store.audit import require_reviewer as _require_reviewer
from core.store.claims import ClaimStore
from core.store.faults import check_on_open, file_faults_as_project_errors, integrity_problems
from core.store.faults import describe as describe_fault
from core.store.kb import KbStore
from core.store.schema import MIGRATIONS, SCHEMA_VERSION, unexpected_schema
from core.store.scheme import DEFAULT_SCHEME, load_scheme
from core.store.tokens_blob import decode_tokens, encode_tokens
from core.text.normalise import normalise_text, sha256_text


@dataclass(frozen=True)
class AddResult:
    """What one ``add_articles`` call did."""

    added: int
    duplicates: int


@dataclass(frozen=True)
class ArticleFilter:
    """What the article list shows; every field is optional and they combine with AND."""

    status: str | None = None
    label: str | None = None
    reviewer: str | None = None
    search: str | None = None


SORTABLE_COLUMNS = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "source": "a.source COLLATE NOCASE",
    "status": "a.status",
    "entities": "a.entities",
    "reviewer": "a.reviewed_by COLLATE NOCASE",
}


# --------------------------------------------------------------------------- helpers


def _row_to(cls: type, row: sqlite3.Row | dict) -> Any:
    names = set(getattr(cls, "_fields", ())) or {f.name for f in fields(cls)}
    return cls(**{k: row[k] for k in row.keys() if k in names})  # noqa: SIM118 (Row iterates values)


def _describe(exc: sqlite3.Error, path: Path) -> str:
    """What went wrong with the file, for the user (see ``core.store.faults.describe``)."""
    return describe_fault(exc, path)


# --------------------------------------------------------------------------- project


@file_faults_as_project_errors
class Project(ClaimStore, KbStore):
    """An open ``.assay`` project. Not thread-safe: use one ``Project`` per thread/process."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        # Opened with SQLite's mode=ro (Project.open(read_only=True)): writes are refused.
        self.read_only = read_only
        self.db = sqlite_utils.Database(conn)
        self._label_names: set[str] | None = None

    # ---- opening and creating

    @classmethod
    def create(
        cls, path: str | Path, name: str | None = None, scheme: str | Path = DEFAULT_SCHEME
    ) -> Project:
        """Create a new project file with the given label scheme; refuses to overwrite."""
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{path} already exists; choose another name or open it.")
        labels = load_scheme(scheme)
        try:
            conn = project_file.connect(path, create=True)
            project = cls(path, conn)
            cls._set_journal(conn, path)
            project._migrate(fresh=True)
            with project._write():
                meta = {
                    "name": name or path.stem,
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
        except sqlite3.Error as exc:
            raise ProjectError(_describe(exc, path)) from exc
        return project

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Project:
        """Open an existing project, migrating it forward if it is older than this app.

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
            project = cls(path, conn, read_only=read_only)
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
    def open_for_reading(cls, path: str | Path) -> Project:
        """Open for commands that only read (stats, export): read-only where the file or its
        folder cannot be written (read-only media, another user's share), else as usual."""
        path = Path(path)
        return cls.open(path, read_only=path.exists() and not project_file.can_write(path))

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
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](self.db)
            self.conn.execute(f"PRAGMA user_version = {target}")

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

    # ---- transactions

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction; on any error it rolls back and nothing is changed."""
        conn = self.conn
        if self.read_only:
            raise ProjectError(f"{self.path} is open read-only: the change was not saved.")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(_describe(exc, self.path)) from exc
        try:
            yield conn
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk, I/O): a second
            # ROLLBACK would raise "no transaction is active" and hide the real error.
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise ProjectError(_describe(exc, self.path)) from exc

    @contextmanager
    def _edit(self) -> Iterator[sqlite3.Connection]:
        """A write whose SQLite errors (read-only, full disk, busy) become ProjectError."""
        try:
            with self._write() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise ProjectError(_describe(exc, self.path)) from exc

    @staticmethod
    def _recount(conn: sqlite3.Connection, article_id: int) -> None:
        """Keep ``articles.entities`` (live spans) right; called by every span write."""
        conn.execute("UPDATE articles SET entities = (SELECT count(*) FROM spans WHERE "
                     "article_id = ? AND state != 'rejected') WHERE id = ?",
                     (article_id, article_id))

    def _event(
        self, conn: sqlite3.Connection, reviewer: str, article_id: int | None, action: str,
        payload: dict[str, Any],
    ) -> None:
        conn.execute(
            "INSERT INTO events(at, reviewer, article_id, action, payload) VALUES (?,?,?,?,?)",
            (now(), reviewer, article_id, action, json.dumps(payload, ensure_ascii=False)),
        )

    # ---- meta and labels

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._edit() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def name(self) -> str:
        return self.meta("name") or self.path.stem

    def labels(self) -> list[Label]:
        rows = self.conn.execute(
            "SELECT name, color, hotkey, description, position FROM labels ORDER BY position"
        )
        return [_row_to(Label, r) for r in rows]

    def label_names(self) -> set[str]:
        if self._label_names is None:
            self._label_names = {lb.name for lb in self.labels()}
        return self._label_names

    def add_label(self, name: str, color: str, hotkey: str = "", description: str = "") -> Label:
        """Add a label to this project's scheme (names are upper-case by convention)."""
        name = name.strip()
        if not name:
            raise InvalidEdit("A label needs a name.")
        if name in self.label_names():
            raise InvalidEdit(f"Label {name} already exists.")
        position = len(self.label_names())
        with self._edit() as conn:
            conn.execute(
                "INSERT INTO labels(name, color, hotkey, description, position) "
                "VALUES (?,?,?,?,?)",
                (name, color, hotkey, description, position),
            )
        self._label_names = None
        return Label(name, color, hotkey, description, position)

    # ---- articles

    def add_articles(self, articles: Sequence[ArticleIn], reviewer: str = "import") -> AddResult:
        """Store a batch of articles in ONE transaction, skipping texts already present.

        A span in the batch that does not fit its text raises InvalidEdit and the
        whole batch is rolled back, so an import never leaves half an article.
        """
        added = duplicates = 0
        labels = self.label_names()
        with self._edit() as conn:
            for art in articles:
                text = normalise_text(art.text)
                if not text.strip():
                    raise InvalidEdit("An article has no text.")
                digest = sha256_text(text)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO articles(title, source, url, published, text, sha256, "
                    "status, note) VALUES (?,?,?,?,?,?, 'pending', '')",
                    (art.title or "", art.source or "", art.url or "", art.published or "",
                     text, digest),
                )
                if cur.rowcount == 0:
                    duplicates += 1
                    continue
                added += 1
                article_id = cur.lastrowid
                conn.execute("INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                             (article_id, art.title or "", text))
                if art.spans:
                    self._insert_spans(conn, article_id, text, art.spans, labels, reviewer)
                if art.claims:
                    self._insert_claims(conn, article_id, text, art.claims, reviewer)
            if added:
                self._event(conn, reviewer, None, "import",
                            {"added": added, "duplicates": duplicates})
        return AddResult(added, duplicates)

    def _insert_spans(
        self, conn: sqlite3.Connection, article_id: int, text: str, spans: Iterable[SpanIn],
        labels: set[str], reviewer: str,
    ) -> int:
        """Validate and insert spans for a new article; they must not overlap each other."""
        stamp = now()
        ordered = sorted(spans, key=lambda s: (s.start, s.end))
        live_end = -1
        rows = []
        for sp in ordered:
            self._check_bounds(text, sp.start, sp.end, sp.label, labels)
            if sp.origin not in SPAN_ORIGINS or sp.state not in SPAN_STATES:
                raise InvalidEdit(f"Unknown origin or state: {sp.origin}/{sp.state}.")
            if sp.state != "rejected":
                if sp.start < live_end:
                    raise InvalidEdit(
                        f"Span [{sp.start}, {sp.end}) {sp.label} "
                        f"'{text[sp.start:sp.end]}' overlaps another span."
                    )
                live_end = sp.end
            kb_id = sp.kb_id
            if kb_id is not None and not is_usable_kb_id(kb_id):
                raise InvalidEdit(f"Span [{sp.start}, {sp.end}) {sp.label} has the id {kb_id!r}, "
                                  f"which is not a usable id: {KB_ID_RULE}.")
            if kb_id is None and sp.origin != "reviewer":  # doccano and Prodigy carry no ids
                kb_id = self.link(sp.label, text[sp.start:sp.end])
            rows.append((article_id, sp.start, sp.end, sp.label, text[sp.start:sp.end],
                         sp.origin, sp.state, kb_id, reviewer, stamp))
        conn.executemany(
            'INSERT INTO spans(article_id, start, "end", label, text, origin, state, kb_id, '
            "updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self._recount(conn, article_id)
        return len(rows)

    def article(self, article_id: int) -> Article:
        row = self.conn.execute(
            "SELECT * FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise InvalidEdit(f"No article with id {article_id}.")
        return _row_to(Article, row)

    def article_text(self, article_id: int) -> str:
        return self.article(article_id).text

    def _where(self, flt: ArticleFilter | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is None:
            return "", params
        if flt.status:
            clauses.append("a.status = ?")
            params.append(flt.status)
        if flt.label:
            clauses.append(
                "a.id IN (SELECT article_id FROM spans WHERE label = ? AND state != 'rejected')"
            )
            params.append(flt.label)
        if flt.reviewer:
            clauses.append("a.reviewed_by = ?")
            params.append(flt.reviewer)
        if flt.search and flt.search.strip():
            clauses.append(
                "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            )
            params.append(fts_query(flt.search))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_articles(self, flt: ArticleFilter | None = None, **kwargs: str) -> int:
        """Number of articles matching a filter (or keyword shortcuts: status=, label=, …)."""
        flt = flt or ArticleFilter(**kwargs)
        where, params = self._where(flt)
        return self.conn.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0]

    def list_articles(
        self,
        flt: ArticleFilter | None = None,
        *,
        order_by: str = "id",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ArticleRow]:
        """One page of the article list, cheap enough to call as the view scrolls."""
        where, params = self._where(flt)
        order = SORTABLE_COLUMNS.get(order_by)
        if order is None:
            raise ValueError(f"Cannot sort by {order_by!r}")
        direction = "DESC" if descending else "ASC"
        # Two steps: find the page's ids by walking the sort column's index alone (OFFSET
        # skips index entries, not whole rows), then read just those rows.
        ids = [r[0] for r in self.conn.execute(
            f"SELECT a.id FROM articles a{where} ORDER BY {order} {direction}, "
            f"a.id {direction} LIMIT ? OFFSET ?", [*params, limit, offset])]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self.conn.execute(
            "SELECT a.id, a.title, a.source, a.status, a.reviewed_by, a.entities "
            f"FROM articles a WHERE a.id IN ({marks})", ids)}
        return [_row_to(ArticleRow, rows[i]) for i in ids if i in rows]

    def article_ids(self, flt: ArticleFilter | None = None, order_by: str = "id") -> list[int]:
        where, params = self._where(flt)
        order = SORTABLE_COLUMNS[order_by]
        return [r[0] for r in self.conn.execute(
            f"SELECT a.id FROM articles a{where} ORDER BY {order}, a.id", params)]

    def reviewed(self, ids: Sequence[int], *, labels: Iterable[str] | None = None,
                 claim_states: tuple[str, ...] | None = ("accepted",),
                 tokens: bool = False, suggestions: bool = False) -> Iterator[Reviewed]:
        """Articles in the order of ``ids`` with their accepted spans (of ``labels``),
        claims and stored tokens, read in bulk (``core.store.reading``) for exports."""
        return reading.reviewed(self.conn, list(ids), labels=set(labels) if labels else None,
                                claim_states=claim_states, tokens=tokens,
                                suggestions=suggestions)

    def article_texts(self, ids: Sequence[int]) -> Iterator[tuple[int, str]]:
        """``(id, text)`` in the order of ``ids``, in chunks (for pre-annotation)."""
        return reading.article_texts(self.conn, list(ids))

    def search(self, query: str, limit: int = 100) -> list[int]:
        """Ids of articles whose title or text match ``query`` (words, any order), best first."""
        if not query.strip():
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts_query(query), limit),
        )
        return [r[0] for r in rows]

    def next_article_id(self, after_id: int, status: str | None = "pending") -> int | None:
        """The next article (by id, wrapping around) with ``status``; None if there is none."""
        cond = "status = ?" if status else "1"
        params: list[Any] = [status] if status else []
        row = self.conn.execute(
            f"SELECT id FROM articles WHERE {cond} AND id > ? ORDER BY id LIMIT 1",
            [*params, after_id],
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                f"SELECT id FROM articles WHERE {cond} AND id != ? ORDER BY id LIMIT 1",
                [*params, after_id],
            ).fetchone()
        return row[0] if row else None

    def counts_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(ARTICLE_STATUSES, 0)
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM articles GROUP BY status"
        ):
            counts[status] = n
        return counts

    def counts_by_label(self, include_suggested: bool = True) -> dict[str, int]:
        """Live entities per label, in scheme order (labels with none included as 0)."""
        states = ("suggested", "accepted") if include_suggested else ("accepted",)
        counts = {lb.name: 0 for lb in self.labels()}
        marks = ",".join("?" * len(states))
        for label, n in self.conn.execute(
            f"SELECT label, count(*) FROM spans WHERE state IN ({marks}) GROUP BY label",
            states,
        ):
            counts[label] = n
        return counts

    def reviewers(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT reviewed_by FROM articles WHERE reviewed_by IS NOT NULL "
            "ORDER BY reviewed_by")]

    # ---- article decisions

    def set_article_status(
        self,
        article_id: int,
        status: str,
        reviewer: str,
        *,
        seconds: float | None = None,
        accept_suggestions: bool = False,
        resuggest: Sequence[int] = (),
    ) -> list[int]:
        """Record a decision on an article; returns ids of suggestions it accepted.

        ``accept_suggestions`` is what approving does; ``resuggest`` turns the
        given spans back into suggestions, which is how an approval is undone.
        """
        if status not in ARTICLE_STATUSES:
            raise InvalidEdit(f"Unknown article status {status!r}.")
        _require_reviewer(reviewer)
        before = self.article(article_id)
        stamp = now()
        with self._edit() as conn:
            accepted: list[int] = []
            if accept_suggestions:
                accepted = [r[0] for r in conn.execute(
                    "SELECT id FROM spans WHERE article_id = ? AND state = 'suggested'",
                    (article_id,))]
                conn.execute(
                    "UPDATE spans SET state = 'accepted', updated_by = ?, updated_at = ? "
                    "WHERE article_id = ? AND state = 'suggested'",
                    (reviewer, stamp, article_id),
                )
            if resuggest:
                conn.executemany(
                    "UPDATE spans SET state = 'suggested', updated_by = ?, updated_at = ? "
                    "WHERE id = ? AND article_id = ?",
                    [(reviewer, stamp, sid, article_id) for sid in resuggest],
                )
            pending = status == "pending"
            conn.execute(
                "UPDATE articles SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                "review_seconds = ? WHERE id = ?",
                (status, None if pending else reviewer, None if pending else stamp,
                 None if pending else seconds, article_id),
            )
            self._event(conn, reviewer, article_id, f"article.{status}", {
                "before": {"status": before.status, "reviewed_by": before.reviewed_by,
                           "reviewed_at": before.reviewed_at},
                "accepted": accepted, "resuggested": list(resuggest), "seconds": seconds,
            })
        return accepted

    def approve_article(
        self, article_id: int, reviewer: str, seconds: float | None = None
    ) -> list[int]:
        """Approve: every remaining suggestion becomes accepted. Returns those span ids."""
        return self.set_article_status(
            article_id, "approved", reviewer, seconds=seconds, accept_suggestions=True
        )

    def reject_article(self, article_id: int, reviewer: str, seconds: float | None = None) -> None:
        self.set_article_status(article_id, "rejected", reviewer, seconds=seconds)

    def skip_article(self, article_id: int, reviewer: str, seconds: float | None = None) -> None:
        self.set_article_status(article_id, "skipped", reviewer, seconds=seconds)

    def set_note(self, article_id: int, note: str, reviewer: str) -> str:
        """Replace the article's note; returns the previous note (for undo)."""
        _require_reviewer(reviewer)
        before = self.article(article_id).note or ""
        with self._edit() as conn:
            conn.execute("UPDATE articles SET note = ? WHERE id = ?", (note, article_id))
            self._event(conn, reviewer, article_id, "article.note",
                        {"before": before, "after": note})
        return before

    # ---- spans

    def spans(self, article_id: int, include_rejected: bool = True) -> list[Span]:
        cond = "" if include_rejected else " AND state != 'rejected'"
        rows = self.conn.execute(
            f'SELECT * FROM spans WHERE article_id = ?{cond} ORDER BY start, "end", id',
            (article_id,),
        )
        return [_row_to(Span, r) for r in rows]

    def span(self, span_id: int) -> Span:
        row = self.conn.execute("SELECT * FROM spans WHERE id = ?", (span_id,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No span with id {span_id}.")
        return _row_to(Span, row)

    def _check_bounds(
        self, text: str, start: int, end: int, label: str, labels: set[str] | None = None
    ) -> None:
        if not (isinstance(start, int) and isinstance(end, int)):
            raise InvalidEdit("Span offsets must be whole numbers.")
        if not 0 <= start < end <= len(text):
            raise InvalidEdit(
                f"Span [{start}, {end}) is outside the article text (0–{len(text)}) or empty."
            )
        if label not in (labels if labels is not None else self.label_names()):
            raise InvalidEdit(f"Unknown label {label!r}; add it to the project's scheme first.")

    def _check_overlap(
        self, conn: sqlite3.Connection, article_id: int, start: int, end: int,
        exclude: int | None = None,
    ) -> None:
        row = conn.execute(
            'SELECT label, text FROM spans WHERE article_id = ? AND state != \'rejected\' '
            'AND start < ? AND "end" > ? AND id IS NOT ? LIMIT 1',
            (article_id, end, start, exclude),
        ).fetchone()
        if row is not None:
            raise InvalidEdit(f"That would overlap the {row['label']} entity '{row['text']}'.")

    def add_span(
        self,
        article_id: int,
        start: int,
        end: int,
        label: str,
        reviewer: str,
        *,
        origin: str = "reviewer",
        state: str = "accepted",
        kb_id: str | None | type[...] = ...,
        text: str | None = None,
        span_id: int | None = None,
    ) -> Span:
        """Add one span; refused (nothing changes) if it is invalid or overlaps a live span.

        Without ``kb_id`` the span is linked to its canonical id by name (see core.nlp.linking);
        ``None`` stores it unlinked.

        ``span_id`` recreates a span under the id it had (redo after undo), so
        later edits that name that id still apply.
        """
        _require_reviewer(reviewer)
        article_text = self.article_text(article_id)
        self._check_bounds(article_text, start, end, label)
        if origin not in SPAN_ORIGINS or state not in SPAN_STATES:
            raise InvalidEdit(f"Unknown origin or state: {origin}/{state}.")
        span_text = article_text[start:end]
        if kb_id is ...:
            kb_id = self.link(label, span_text)
        elif kb_id is not None and not is_usable_kb_id(kb_id):
            raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        if text is not None and text != span_text:
            raise InvalidEdit(
                f"Span text {text!r} does not match the article at [{start}, {end}): "
                f"{span_text!r}."
            )
        stamp = now()
        with self._edit() as conn:
            if state != "rejected":
                self._check_overlap(conn, article_id, start, end)
            try:
                cur = conn.execute(
                    'INSERT INTO spans(id, article_id, start, "end", label, text, origin, state, '
                    "kb_id, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (span_id, article_id, start, end, label, span_text, origin, state, kb_id,
                     reviewer, stamp),
                )
            except sqlite3.IntegrityError as exc:
                raise InvalidEdit(f"Span id {span_id} is taken; cannot recreate it.") from exc
            span_id = cur.lastrowid
            self._recount(conn, article_id)
            self._event(conn, reviewer, article_id, "span.add", {
                "span_id": span_id, "start": start, "end": end, "label": label,
                "text": span_text, "origin": origin, "state": state, "kb_id": kb_id,
            })
        return self.span(span_id)

    def update_span(
        self,
        span_id: int,
        reviewer: str,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        state: str | None = None,
        kb_id: str | None | type[...] = ...,
    ) -> tuple[Span, Span]:
        """Change any of a span's fields in one checked transaction; returns (before, after).

        Undo is the same call with the ``before`` values, so every edit the
        review window makes (relabel, resize, reject, accept, link) is undoable.
        """
        _require_reviewer(reviewer)
        before = self.span(span_id)
        new_start = before.start if start is None else start
        new_end = before.end if end is None else end
        new_label = before.label if label is None else label
        new_state = before.state if state is None else state
        if new_state not in SPAN_STATES:
            raise InvalidEdit(f"Unknown span state {new_state!r}.")
        article_text = self.article_text(before.article_id)
        self._check_bounds(article_text, new_start, new_end, new_label)
        new_text = article_text[new_start:new_end]
        new_kb = before.kb_id if kb_id is ... else kb_id
        if kb_id is not ... and kb_id is not None and not is_usable_kb_id(kb_id):
            raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        if kb_id is ... and (new_label, new_text) != (before.label, before.text) and (
                before.kb_id in (None, "", self.link(before.label, before.text))):
            # A link made by name follows the name; one a reviewer chose stays.
            new_kb = self.link(new_label, new_text)
        stamp = now()
        with self._edit() as conn:
            if self.span(span_id) != before:
                # Another writer (a second window, a pre-annotation run) changed it since we
                # read it: writing our copy of the other fields would undo their change.
                raise InvalidEdit(
                    f"The {before.label} entity '{before.text}' was changed by another "
                    "window or process a moment ago; nothing was changed. Look again and "
                    "repeat the edit.")
            if new_state != "rejected":
                self._check_overlap(conn, before.article_id, new_start, new_end, exclude=span_id)
            conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, text = ?, state = ?, '
                "kb_id = ?, updated_by = ?, updated_at = ? WHERE id = ?",
                (new_start, new_end, new_label, new_text, new_state, new_kb, reviewer, stamp,
                 span_id),
            )
            if (new_state == "rejected") != (before.state == "rejected"):
                self._recount(conn, before.article_id)
            changes = {
                k: [getattr(before, k), v]
                for k, v in (("start", new_start), ("end", new_end), ("label", new_label),
                             ("state", new_state), ("kb_id", new_kb))
                if getattr(before, k) != v
            }
            self._event(conn, reviewer, before.article_id, "span.update",
                        {"span_id": span_id, "changes": changes})
        return before, self.span(span_id)

    def set_spans_kb(self, links: dict[int, str | None], reviewer: str) -> dict[int, str | None]:
        """Set the link of many spans in ONE transaction; returns their links before.

        All or nothing: an unusable id or a missing span refuses the whole change.
        """
        _require_reviewer(reviewer)
        for kb_id in links.values():
            if kb_id is not None and not is_usable_kb_id(kb_id):
                raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        before: dict[int, str | None] = {}
        stamp = now()
        with self._edit() as conn:
            for span_id, kb_id in links.items():
                row = conn.execute("SELECT article_id, kb_id FROM spans WHERE id = ?",
                                   (span_id,)).fetchone()
                if row is None:
                    raise InvalidEdit(f"No span with id {span_id}; nothing was linked.")
                before[span_id] = row["kb_id"]
                conn.execute("UPDATE spans SET kb_id = ?, updated_by = ?, updated_at = ? "
                             "WHERE id = ?", (kb_id, reviewer, stamp, span_id))
                self._event(conn, reviewer, row["article_id"], "span.update",
                            {"span_id": span_id, "changes": {"kb_id": [row["kb_id"], kb_id]}})
        return before

    def relabel_span(self, span_id: int, label: str, reviewer: str) -> tuple[Span, Span]:
        """A reviewer choosing a label also accepts the span."""
        return self.update_span(span_id, reviewer, label=label, state="accepted")

    def resize_span(self, span_id: int, start: int, end: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, start=start, end=end, state="accepted")

    def reject_span(self, span_id: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, state="rejected")

    def accept_span(self, span_id: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, state="accepted")

    def set_span_kb(self, span_id: int, kb_id: str | None, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, kb_id=kb_id)

    def delete_span(self, span_id: int, reviewer: str) -> Span:
        """Remove a span entirely (undo of an add); reviewers reject rather than delete."""
        _require_reviewer(reviewer)
        before = self.span(span_id)
        with self._edit() as conn:
            conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            self._recount(conn, before.article_id)
            self._event(conn, reviewer, before.article_id, "span.delete", {
                "span_id": span_id, "start": before.start, "end": before.end,
                "label": before.label, "origin": before.origin, "state": before.state,
                "kb_id": before.kb_id,
            })
        return before

    # ---- pre-annotation

    def articles_to_annotate(self, force: bool = False) -> list[int]:
        """Articles the pipeline should (re)process.

        Without ``force``: pending or skipped articles never annotated. With it:
        all pending or skipped ones. Approved and rejected articles are
        decisions and are never re-annotated.
        """
        cond = "" if force else " AND model IS NULL"
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM articles WHERE status IN ('pending', 'skipped'){cond} ORDER BY id")]

    def store_annotations(
        self,
        batch: Sequence[tuple[int, Sequence[SpanIn], Sequence[tuple[int, int]] | None]],
        model: str,
    ) -> int:
        """Replace model/rules suggestions of a batch of articles in one transaction.

        A reviewer's decisions are kept: spans a reviewer accepted, added or
        rejected stay, new suggestions that overlap a live one are dropped, and a
        suggestion the reviewer already rejected (same place, same label) is not
        made again. Returns the number of suggestions stored.
        """
        labels = self.label_names()
        stamp = now()
        stored = 0
        with self._edit() as conn:
            for article_id, spans, tokens in batch:
                row = conn.execute(
                    "SELECT text, status FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None or row["status"] in ("approved", "rejected"):
                    continue
                text = row["text"]
                conn.execute(
                    "DELETE FROM spans WHERE article_id = ? AND state = 'suggested' "
                    "AND origin IN ('model', 'rules')",
                    (article_id,),
                )
                kept = conn.execute(
                    'SELECT start, "end", label, state FROM spans WHERE article_id = ?',
                    (article_id,),
                ).fetchall()
                live = [(r[0], r[1]) for r in kept if r[3] != "rejected"]
                rejected = {(r[0], r[1], r[2]) for r in kept if r[3] == "rejected"}
                rows = []
                for sp in spans:
                    if sp.label not in labels or not 0 <= sp.start < sp.end <= len(text):
                        continue
                    if (sp.start, sp.end, sp.label) in rejected:
                        continue
                    if any(sp.start < e and sp.end > s for s, e in live):
                        continue
                    live.append((sp.start, sp.end))
                    span_text = text[sp.start:sp.end]
                    kb_id = sp.kb_id or self.link(sp.label, span_text)
                    rows.append((article_id, sp.start, sp.end, sp.label, span_text,
                                 sp.origin, "suggested", kb_id, model, stamp))
                conn.executemany(
                    'INSERT INTO spans(article_id, start, "end", label, text, origin, state, '
                    "kb_id, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                stored += len(rows)
                self._recount(conn, article_id)
                self._suggest_claims_in(conn, article_id, model)
                conn.execute("UPDATE articles SET model = ? WHERE id = ?", (model, article_id))
                if tokens is not None:
                    conn.execute(
                        "INSERT OR REPLACE INTO article_tokens(article_id, offsets) "
                        "VALUES (?, ?)",
                        (article_id, encode_tokens(tokens)),
                    )
            self._event(conn, model, None, "annotate",
                        {"articles": [b[0] for b in batch], "suggestions": stored})
        return stored

    def tokens(self, article_id: int) -> list[tuple[int, int]] | None:
        """Cached token offsets of an article, or None if it was never tokenised."""
        row = self.conn.execute(
            "SELECT offsets FROM article_tokens WHERE article_id = ?", (article_id,)
        ).fetchone()
        return decode_tokens(row[0]) if row else None

    def set_tokens(self, article_id: int, offsets: Sequence[tuple[int, int]]) -> None:
        """Cache token offsets computed on first open (no event: derived data, not a decision)."""
        with self._edit() as conn:
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


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must occur, any order.

    Each word is quoted so FTS5 syntax (quotes, ``-``, ``:``, ``*``) in the
    box never raises; a trailing ``*`` is kept as a prefix search.
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms) or '""'

