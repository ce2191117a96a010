"""The project's label scheme: add, rename, recolour, set a key, describe, reorder, merge,
delete, and share it as JSON.

The rules are stated here, once, for the dialog and the CLI alike:

- a name is unique and not empty; a hotkey is one letter or digit, used by one label;
- renaming or merging rewrites every span of the label in ONE transaction with an audit
  event, and keeps the stored counts right (``label_counts``, each article's tally); the
  reviewers' versions (``core.store.versions``) follow in the same transaction, and the
  events are the history through which a copy handed out before is read
  (``names_since``);
- a label is deleted only when no span uses it, in any state (doccano deletes the
  annotations with the label, its issue #1041; Label Studio refuses; so do we);
- importing a scheme adds the labels the project lacks and updates colour, key and
  description of the ones it has; it never deletes or renames.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from core.errors import AssayError, InvalidEdit
from core.models import Label
from core.store.audit import require_reviewer
from core.store.db import Db
from core.store.files import check_source, write_atomically
from core.store.relation_type_labels import (
    follow_label_rename,
    follow_label_unmerge,
    forget_label,
)
from core.store.rows import row_to
from core.store.versions import (
    VersionMove,
    relabel_versions,
    unrelabel_versions,
    version_label_uses,
)
from core.text.normalise import STEERING, invisible_characters, one_line

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _usable_key(hotkey: str) -> bool:
    """A label key is one ASCII letter or digit, or none."""
    return not hotkey or (len(hotkey) == 1 and hotkey.isalnum() and hotkey.isascii())


# Nothing that steers a screen or terminal (core.text.normalise.STEERING) in a name.
_LABEL_NAME = re.compile(rf"[^\s{STEERING}]([^{STEERING}]{{0,38}}[^\s{STEERING}])?")


def checked_label_name(name: str) -> str:
    """The label-name rule, for the dialog, the CLI, scheme files and new projects alike:
    1–40 characters, no spaces at the ends, nothing that steers a terminal and nothing
    invisible (``G\u200bPE`` would be a second GPE that looks the same). Returns the
    name stripped; raises InvalidEdit."""
    name = name.strip()
    hidden = invisible_characters(name)
    if hidden and _LABEL_NAME.fullmatch(name):
        codes = ", ".join(dict.fromkeys(
            f"U+{ord(ch):04X} {unicodedata.name(ch, 'control')}" for ch in hidden))
        raise InvalidEdit(f"The label name {one_line(name, 40)!r} holds invisible "
                          f"character(s) ({codes}); type it again without them.")
    if not _LABEL_NAME.fullmatch(name) or hidden:
        raise InvalidEdit("A label name is 1–40 characters, with no line breaks or "
                          "control characters and no spaces at its ends.")
    return name


class Labels:
    """The ``labels`` table and the span rewrites a scheme change needs."""

    def __init__(self, db: Db, changed: Callable[[], None]) -> None:
        self.db = db
        self._names: set[str] | None = None
        self._seen = -1  # the file's data_version when _names was read
        self._changed = changed  # the facade drops what it derived from the labels

    def labels(self) -> list[Label]:
        rows = self.db.conn.execute(
            "SELECT name, color, hotkey, description, position FROM labels ORDER BY position")
        return [row_to(Label, r) for r in rows]

    def label_names(self) -> set[str]:
        """The scheme's names, read again whenever another process committed since (a
        rename by ``assay-cli labels`` while a window or an annotate run has the project
        open): a name kept from before would let a span of a gone label through to a
        FOREIGN KEY failure, and refuse every edit of the label's new name."""
        seen = self.db.data_version()
        if self._names is None or seen != self._seen:
            names = {lb.name for lb in self.labels()}
            if self._names is not None and names != self._names:
                self._changed()  # what the facade derived from the old names goes too
            self._names, self._seen = names, seen
        return self._names

    def label(self, name: str) -> Label:
        found = next((lb for lb in self.labels() if lb.name == name), None)
        if found is None:
            raise InvalidEdit(f"No label {name!r} in this project.")
        return found

    def label_uses(self, name: str) -> int:
        """Spans with this label, in any state (rejected ones too: they are decisions)."""
        row = self.db.conn.execute("SELECT coalesce(sum(n), 0) FROM label_counts "
                                   "WHERE label = ?", (name,)).fetchone()
        return int(row[0])

    # ---- checks

    def _check_name(self, name: str, taken_ok: str | None = None) -> str:
        name = checked_label_name(name)
        if name in self.label_names() and name != taken_ok:
            raise InvalidEdit(f"Label {name} already exists.")
        return name

    def _check_hotkey(self, hotkey: str, owner: str | None) -> str:
        hotkey = hotkey.strip().lower()
        if not _usable_key(hotkey):
            raise InvalidEdit("A label key is one letter or digit (or none).")
        other = next((lb.name for lb in self.labels() if lb.hotkey.lower() == hotkey
                      and hotkey and lb.name != owner), None)
        if other is not None:
            raise InvalidEdit(f"The key {hotkey.upper()} is already {other}'s.")
        return hotkey

    @staticmethod
    def _check_color(color: str) -> str:
        if not _COLOR.fullmatch(color.strip()):
            raise InvalidEdit(f"A colour is written #rrggbb, not {color!r}.")
        return color.strip().lower()

    def _done(self) -> None:
        self._names = None
        self._changed()

    # ---- changes

    def add_label(self, name: str, color: str, hotkey: str = "", description: str = "",
                  reviewer: str = "scheme", position: int | None = None) -> Label:
        """Add a label (at the end, or at ``position``: undoing a delete puts it back)."""
        require_reviewer(reviewer)
        name = self._check_name(name)
        color = self._check_color(color)
        hotkey = self._check_hotkey(hotkey, None)
        with self.db.edit() as conn:
            if position is None:
                position = conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM labels").fetchone()[0]
            else:
                conn.execute("UPDATE labels SET position = position + 1 WHERE position >= ?",
                             (position,))
            conn.execute("INSERT INTO labels(name, color, hotkey, description, position) "
                         "VALUES (?,?,?,?,?)", (name, color, hotkey, description, position))
            self.db.event(conn, reviewer, None, "label.add", {
                "name": name, "color": color, "hotkey": hotkey, "description": description})
        self._done()
        return self.label(name)

    def update_label(self, name: str, reviewer: str, *, color: str | None = None,
                     hotkey: str | None = None, description: str | None = None) -> Label:
        """Change a label's colour, key or description; returns it as it was."""
        require_reviewer(reviewer)
        before = self.label(name)
        new = {"color": self._check_color(color) if color is not None else before.color,
               "hotkey": self._check_hotkey(hotkey, name) if hotkey is not None
               else before.hotkey,
               "description": description if description is not None else before.description}
        with self.db.edit() as conn:
            conn.execute("UPDATE labels SET color = ?, hotkey = ?, description = ? "
                         "WHERE name = ?", (new["color"], new["hotkey"], new["description"],
                                            name))
            self.db.event(conn, reviewer, None, "label.update", {"name": name, "changes": {
                k: [getattr(before, k), v] for k, v in new.items() if getattr(before, k) != v}})
        self._done()
        return before

    def move_label(self, name: str, position: int, reviewer: str) -> int:
        """Put a label at ``position`` in the scheme's order; returns where it was."""
        require_reviewer(reviewer)
        order = [lb.name for lb in self.labels()]
        if name not in order:
            raise InvalidEdit(f"No label {name!r} in this project.")
        was = order.index(name)
        order.insert(max(0, min(position, len(order) - 1)), order.pop(was))
        with self.db.edit() as conn:
            conn.executemany("UPDATE labels SET position = ? WHERE name = ?",
                             list(enumerate(order)))
            self.db.event(conn, reviewer, None, "label.move", {"name": name, "from": was,
                                                               "to": order.index(name)})
        self._done()
        return was

    def rename_label(self, old: str, new: str, reviewer: str) -> int:
        """Rename a label and every span that has it, in one transaction; returns the spans
        rewritten."""
        require_reviewer(reviewer)
        self.label(old)
        new = self._check_name(new)
        with self.db.edit() as conn:
            # spans.label refers to labels.name: checked at COMMIT, once both are renamed
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute("UPDATE labels SET name = ? WHERE name = ?", (new, old))
            moved = self._relabel_spans(conn, old, new, reviewer)
            in_versions = relabel_versions(conn, old, new)
            follow_label_rename(conn, old, new)
            self.db.event(conn, reviewer, None, "label.rename",
                          {"from": old, "to": new, "spans": len(moved),
                           "version_spans": len(in_versions)})
        self._done()
        return len(moved)

    def merge_label(self, source: str, target: str, reviewer: str
                    ) -> tuple[Label, list[int], list[VersionMove]]:
        """Relabel every span of ``source`` as ``target`` (the reviewers' versions too)
        and remove ``source``, in one transaction. Returns the removed label, the spans
        moved and the versions' spans moved (for undo)."""
        require_reviewer(reviewer)
        gone = self.label(source)
        self.label(target)
        if source == target:
            raise InvalidEdit("A label cannot be merged into itself.")
        with self.db.edit() as conn:
            moved = self._relabel_spans(conn, source, target, reviewer)
            in_versions = relabel_versions(conn, source, target)
            follow_label_rename(conn, source, target)
            conn.execute("DELETE FROM labels WHERE name = ?", (source,))
            conn.execute("UPDATE labels SET position = position - 1 WHERE position > ?",
                         (gone.position,))
            self.db.event(conn, reviewer, None, "label.merge",
                          {"from": source, "into": target, "span_ids": moved,
                           "version_spans": len(in_versions)})
        self._done()
        return gone, moved, in_versions

    def unmerge_label(self, gone: Label, moved: Sequence[int], reviewer: str,
                      in_versions: Sequence[VersionMove] = (), target: str = "") -> None:
        """Undo a merge: the label back in its place, its spans back to it (and the
        versions' spans the merge moved from ``target``)."""
        require_reviewer(reviewer)
        self._check_name(gone.name)
        with self.db.edit() as conn:
            conn.execute("UPDATE labels SET position = position + 1 WHERE position >= ?",
                         (gone.position,))
            conn.execute("INSERT INTO labels(name, color, hotkey, description, position) "
                         "VALUES (?,?,?,?,?)", (gone.name, gone.color, gone.hotkey,
                                                gone.description, gone.position))
            articles = set()
            for span_id in moved:
                row = conn.execute("SELECT article_id FROM spans WHERE id = ?",
                                   (span_id,)).fetchone()
                if row is None:
                    raise InvalidEdit(f"Span {span_id} is gone since the merge; nothing "
                                      "was undone.")
                conn.execute("UPDATE spans SET label = ?, suggested_label = CASE WHEN "
                             "suggested_label = label THEN ? ELSE suggested_label END "
                             "WHERE id = ?", (gone.name, gone.name, span_id))
                articles.add(row[0])
            for article_id in articles:
                self.db.recount(conn, article_id)
            if in_versions:
                unrelabel_versions(conn, in_versions, gone.name, target)
            if target:
                follow_label_unmerge(conn, gone.name, target)
            self.db.event(conn, reviewer, None, "label.unmerge",
                          {"label": gone.name, "span_ids": list(moved),
                           "version_spans": len(in_versions)})
        self._done()

    def delete_label(self, name: str, reviewer: str) -> Label:
        """Remove a label no span uses; refused (nothing changes) while any span has it."""
        require_reviewer(reviewer)
        gone = self.label(name)
        uses = self.label_uses(name)
        if uses:
            raise InvalidEdit(f"{name} is used by {uses:,} span(s) (rejected ones count: "
                              "they are decisions). Merge it into another label instead, "
                              "or relabel them first.")
        in_versions = version_label_uses(self.db.conn, name)
        if in_versions:
            raise InvalidEdit(f"{name} is used by {in_versions:,} span(s) of reviewers' "
                              "versions. Merge it into another label instead.")
        with self.db.edit() as conn:
            conn.execute("DELETE FROM labels WHERE name = ?", (name,))
            conn.execute("UPDATE labels SET position = position - 1 WHERE position > ?",
                         (gone.position,))
            forget_label(conn, name)
            self.db.event(conn, reviewer, None, "label.delete", {"name": name})
        self._done()
        return gone

    def names_since(self, names: Iterable[str], since: str) -> dict[str, str]:
        """Each of ``names`` (a copy's labels, the scheme as it was handed out at ``since``,
        an ISO time) in this project's words now: followed, in order, through every
        rename, merge and undone merge of the scheme recorded after ``since`` in the audit
        log. A name nothing happened to maps to itself; one renamed and later deleted maps
        to a name the scheme lacks, which the caller refuses."""
        trail = {name: [name] for name in names}
        rows = self.db.conn.execute(
            "SELECT action, payload FROM events WHERE article_id IS NULL AND action IN "
            "('label.rename', 'label.merge', 'label.unmerge') AND at > ? ORDER BY id",
            (since,))
        for action, payload in rows:
            change = json.loads(payload)
            for names_on in trail.values():
                if action == "label.unmerge":
                    # The merge is undone: what it moved from the label is the label again.
                    if change["label"] in names_on[:-1]:
                        del names_on[names_on.index(change["label"]) + 1:]
                elif names_on[-1] == change["from"]:
                    names_on.append(change["to"] if action == "label.rename"
                                    else change["into"])
        return {name: names_on[-1] for name, names_on in trail.items()}

    def _relabel_spans(self, conn: sqlite3.Connection, old: str, new: str,
                       reviewer: str) -> list[int]:
        ids = [r[0] for r in conn.execute("SELECT id FROM spans WHERE label = ?", (old,))]
        articles = [r[0] for r in conn.execute(
            "SELECT DISTINCT article_id FROM spans WHERE label = ? OR suggested_label = ?",
            (old, old))]
        conn.execute("UPDATE spans SET label = ? WHERE label = ?", (new, old))
        # What a model suggested is named in the scheme's words too: a rename or merge is
        # not a reviewer's correction (core.store.summaries).
        conn.execute("UPDATE spans SET suggested_label = ? WHERE suggested_label = ?",
                     (new, old))
        for article_id in articles:
            self.db.recount(conn, article_id)
        return ids

    def use_scheme(self, labels: Sequence[Label], reviewer: str) -> None:
        """Make the scheme exactly ``labels`` (a project handed out as a copy); only while
        no span exists, so no span can lose its label."""
        require_reviewer(reviewer)
        if self.db.conn.execute("SELECT 1 FROM spans LIMIT 1").fetchone() is not None:
            raise InvalidEdit("The scheme can be replaced only before any span exists.")
        with self.db.edit() as conn:
            conn.execute("DELETE FROM labels")
            conn.executemany(
                "INSERT INTO labels(name, color, hotkey, description, position) "
                "VALUES (?,?,?,?,?)", [(lb.name, lb.color, lb.hotkey, lb.description, i)
                                       for i, lb in enumerate(labels)])
            self.db.event(conn, reviewer, None, "label.scheme",
                          {"labels": [lb.name for lb in labels]})
        self._done()

    def adopt_scheme(self, labels: Sequence[Label], reviewer: str) -> bool:
        """Take the scheme an Assay JSONL export carries (``core.formats.assay_jsonl``),
        checked as any label is: into a project without spans it becomes the scheme exactly
        (order, colours, keys, descriptions; so a project rebuilt from an export exports
        the same file), else the labels the project lacks are added at the end (with their
        key when it is free) and the others stay as they are. Returns whether it changed
        anything."""
        require_reviewer(reviewer)
        names: set[str] = set()
        keys: set[str] = set()
        checked: list[Label] = []
        for lb in labels:
            name = checked_label_name(lb.name)
            if name in names:
                raise InvalidEdit(f"The scheme names the label {one_line(name)} twice.")
            hotkey = lb.hotkey.strip().lower()
            if not _usable_key(hotkey) or (hotkey and hotkey in keys):
                raise InvalidEdit(f"{one_line(name)}: the key {one_line(lb.hotkey)!r} is not "
                                  "one letter or digit of its own.")
            names.add(name)
            keys.add(hotkey)
            checked.append(Label(name, self._check_color(lb.color), hotkey, lb.description,
                                 len(checked)))
        have = self.labels()
        empty = self.db.conn.execute("SELECT 1 FROM spans LIMIT 1").fetchone() is None
        if empty:
            if [(lb.name, lb.color, lb.hotkey, lb.description) for lb in have] == [
                    (lb.name, lb.color, lb.hotkey, lb.description) for lb in checked]:
                return False
            added = checked
        else:
            taken = {lb.name for lb in have}
            used = {lb.hotkey for lb in have if lb.hotkey}
            added = [Label(lb.name, lb.color, "" if lb.hotkey in used else lb.hotkey,
                           lb.description, len(have) + i)
                     for i, lb in enumerate(x for x in checked if x.name not in taken)]
            if not added:
                return False
        with self.db.edit() as conn:
            if empty:
                conn.execute("DELETE FROM labels")
            conn.executemany(
                "INSERT INTO labels(name, color, hotkey, description, position) "
                "VALUES (?,?,?,?,?)", [(lb.name, lb.color, lb.hotkey, lb.description,
                                        lb.position) for lb in added])
            self.db.event(conn, reviewer, None, "label.import", {
                "from": "an Assay JSONL export", "replaced": empty,
                "labels": [lb.name for lb in added]})
        self._done()
        return True

    # ---- sharing

    def export_scheme(self, path: str | Path) -> int:
        """Write the scheme as JSON (the bundled schemes' format); returns the labels.

        Whole or not at all, and never onto a project or its side files
        (``core.store.files.write_atomically``)."""
        labels = self.labels()
        data = {"name": Path(path).stem, "labels": [
            {"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
             "description": lb.description} for lb in labels]}
        content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_atomically(Path(path), lambda fh: fh.write(content), [self.db.path],
                         "write the label scheme to")
        return len(labels)

    def import_scheme(self, path: str | Path, reviewer: str) -> tuple[int, int]:
        """Take a shared scheme: add missing labels, update the others' colour, key and
        description. All or nothing. Returns (added, updated)."""
        require_reviewer(reviewer)
        items = read_scheme(path)
        have = {lb.name: lb for lb in self.labels()}
        added = updated = 0
        # Checked as a whole first, so a bad entry refuses the file before any change.
        seen: dict[str, str] = {}
        for item in items:
            self._check_color(item["color"])
            if item["name"] not in have:
                self._check_name(item["name"])
            hotkey = item["hotkey"].lower()
            if not _usable_key(hotkey):
                raise InvalidEdit(f"{item['name']}: a label key is one letter or digit.")
            if hotkey in seen:
                raise InvalidEdit(f"The file gives the key {hotkey.upper()} to both "
                                  f"{seen[hotkey]} and {item['name']}.")
            if hotkey:
                seen[hotkey] = item["name"]
        with self.db.edit() as conn:
            position = len(have)
            for item in items:
                hotkey = item["hotkey"].lower()
                if hotkey:  # the file's keys win: free them where another label had one
                    conn.execute("UPDATE labels SET hotkey = '' WHERE lower(hotkey) = ? "
                                 "AND name != ?", (hotkey, item["name"]))
                old = have.get(item["name"])
                if old is None:
                    conn.execute("INSERT INTO labels(name, color, hotkey, description, "
                                 "position) VALUES (?,?,?,?,?)",
                                 (item["name"], item["color"].lower(), hotkey,
                                  item["description"], position))
                    position += 1
                    added += 1
                elif (old.color, old.hotkey, old.description) != (
                        item["color"].lower(), hotkey, item["description"]):
                    conn.execute("UPDATE labels SET color = ?, hotkey = ?, description = ? "
                                 "WHERE name = ?", (item["color"].lower(), hotkey,
                                                    item["description"], item["name"]))
                    updated += 1
            self.db.event(conn, reviewer, None, "label.import",
                          {"file": Path(path).name, "added": added, "updated": updated})
        self._done()
        return added, updated


def read_scheme(path: str | Path) -> list[dict[str, str]]:
    """A scheme file's labels, checked: a clear message for anything that is not one.

    Read as UTF-8 with or without a byte-order mark (Windows editors write one). Colour,
    key and description are strings (a key may be a digit); anything else is refused
    rather than stored as Python's spelling of it."""
    try:
        data = json.loads(check_source(Path(path), "read a label scheme from").read_text(
            encoding="utf-8-sig"))
    except OSError as exc:
        raise AssayError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AssayError(f"{Path(path).name} is not a scheme: not JSON ({exc}).") from exc
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, list) or not labels:
        raise AssayError(f"{Path(path).name} is not a scheme: it needs a list of labels.")
    out = []
    for i, item in enumerate(labels, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise AssayError(f"{Path(path).name}: label {i} has no name.")
        name = one_line(item["name"], 40)
        fields = {}
        for key, default in (("color", "#dddddd"), ("hotkey", ""), ("description", "")):
            value = item.get(key)
            if value is None:
                value = default
            elif key == "hotkey" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # "hotkey": 5
            elif not isinstance(value, str):
                raise AssayError(f"{Path(path).name}: the {key} of label {i} ({name}) is "
                                 f"{_json_kind(value)}, not text.")
            fields[key] = value
        out.append({"name": item["name"].strip(), **fields})
    return out


def _json_kind(value: object) -> str:
    """What a JSON value is, in the words of JSON: an object, a list, a number, ..."""
    return {dict: "an object", list: "a list", bool: "true or false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
