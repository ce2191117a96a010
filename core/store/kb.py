"""Canonical entries reviewers add, stored in the project file, and the project's linker.

Composed into :class:`core.store.Project` with its ``core.store.db.Db`` and the linker
rule the project was handed (``core.store.rules.ProjectRules.linker``). The built-in
lists (ISO 3166 and the
gazetteers) cannot know every junior miner or local spelling; a reviewer adds
an entry (id, label, name, aliases) and from then on spans with that name link
to it, in this project only, because the entry travels with the project file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.errors import InvalidEdit
from core.models import KbEntry
from core.store.audit import now, require_reviewer
from core.store.db import Db
from core.store.rules import Linker
from core.text.kb_ids import KB_ID_RULE, family, is_usable_kb_id


class Kb:
    """The project's canonical entries and its linker (``Project`` forwards to it)."""

    def __init__(self, db: Db, label_names: Callable[[], set[str]],
                 linker_for: Callable[[Sequence[KbEntry]], Linker]) -> None:
        self.db = db
        self.label_names = label_names
        self.linker_for = linker_for  # the linker of a project with these entries
        self._linker: Linker | None = None
        self._entries: list[KbEntry] = []  # what the linker was built from
        self._seen = -1  # the file's data_version then

    def kb_entries(self) -> list[KbEntry]:
        """The reviewers' entries of this project, oldest first."""
        rows = self.db.conn.execute(
            "SELECT id, label, name, aliases FROM kb_entries ORDER BY rowid").fetchall()
        return [KbEntry(r[0], family(r[1]), r[2],
                        tuple(a.strip() for a in (r[3] or "").split(";") if a.strip()),
                        "project") for r in rows]

    def kb_entry_rows(self) -> list[tuple[str, str, str, str, str]]:
        """The project's own entries as (id, label, name, aliases, added by), oldest first."""
        return [tuple(row) for row in self.db.conn.execute(
            "SELECT id, label, name, aliases, added_by FROM kb_entries ORDER BY rowid")]

    def linker(self) -> Linker:
        """The handed linker with this project's entries (rebuilt after an entry is added,
        here or by another process: their entries are read again when the file changed)."""
        seen = self.db.data_version()
        if self._linker is None or seen != self._seen:
            entries = self.kb_entries()
            if self._linker is None or entries != self._entries:
                self._linker = self.linker_for(entries)
            self._entries, self._seen = entries, seen
        return self._linker

    def link(self, label: str, text: str) -> str | None:
        """The canonical id a span with this label and text gets by default."""
        return self.linker().link(label, text)

    def add_kb_entry(
        self, kb_id: str, label: str, name: str, aliases: list[str] | tuple[str, ...],
        reviewer: str,
    ) -> KbEntry:
        """Add (or extend) a canonical entry; its aliases link from now on."""
        require_reviewer(reviewer)
        kb_id, name = kb_id.strip(), name.strip()
        if not is_usable_kb_id(kb_id):
            raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        if label not in self.label_names():
            raise InvalidEdit(f"Unknown label {label!r}.")
        if not name:
            raise InvalidEdit("A canonical entry needs a name.")
        clean = [a.strip() for a in aliases if a.strip() and ";" not in a]
        with self.db.edit() as conn:
            exists = conn.execute("SELECT 1 FROM kb_entries WHERE id = ? AND label = ?",
                                  (kb_id, label)).fetchone()
            if exists:
                raise InvalidEdit(f"The project already has an entry {kb_id} for {label}.")
            conn.execute(
                "INSERT INTO kb_entries(id, label, name, aliases, added_by, added_at) "
                "VALUES (?,?,?,?,?,?)",
                (kb_id, label, name, "; ".join(clean), reviewer, now()),
            )
            self.db.event(conn, reviewer, None, "kb.add",
                        {"id": kb_id, "label": label, "name": name, "aliases": clean})
        self._linker = None
        return KbEntry(kb_id, family(label), name, tuple(clean), "project")

    def unlinked_mentions(self, entry: KbEntry, labels: set[str]) -> list[int]:
        """Ids of live spans with one of ``labels`` that name ``entry`` and have no link yet
        (in any article): what a reviewer who just added the entry wants linked too."""
        names = sorted({entry.name, *entry.aliases})
        if not names or not labels:
            return []
        rows = self.db.conn.execute(
            f"SELECT id FROM spans WHERE kb_id IS NULL AND state != 'rejected' "
            f"AND label IN ({','.join('?' * len(labels))}) "
            f"AND text IN ({','.join('?' * len(names))}) ORDER BY article_id, start",
            (*sorted(labels), *names),
        )
        return [r[0] for r in rows]

    def delete_kb_entry(self, kb_id: str, label: str, reviewer: str) -> None:
        """Remove a project entry (spans keep the id they were given)."""
        require_reviewer(reviewer)
        with self.db.edit() as conn:
            conn.execute("DELETE FROM kb_entries WHERE id = ? AND label = ?", (kb_id, label))
            self.db.event(conn, reviewer, None, "kb.delete", {"id": kb_id, "label": label})
        self._linker = None
