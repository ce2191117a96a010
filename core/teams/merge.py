"""Merge back: each copy's decisions become that reviewer's *version* of each article.

A copy went through someone else's machine, so it is untrusted input. It is opened
read-only through the store's one opener (``trusted_schema=OFF``; triggers, views and
foreign virtual tables refused), and it is refused whole, with a sentence and nothing
written, when it:

- is not a copy of this project (``copy_of`` is not this ``project_id``);
- holds an article it was not given, or one whose text is not this project's;
- holds another reviewer's decision;
- holds a span or claim that does not fit the text, or a label this project lacks.

A copy speaks the scheme as it was handed out: its label names are read through the
renames and merges of the project's scheme since then (``Project.names_since``), so a
copy made before ``labels rename MINERAL COMMODITY`` merges as COMMODITY.

Nothing of the project's own spans changes: versions sit beside them (``versions``).
Merging the same copy twice changes nothing; merging it again after the reviewer went
on replaces that reviewer's versions with their latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import AssayError
from core.models import ClaimIn, SpanIn, Version
from core.store import Project
from core.store.spans import check_bounds
from core.text.normalise import one_line


@dataclass
class MergeReport:
    """What one ``merge_copy`` did."""

    reviewer: str = ""
    added: int = 0  # versions new to the project
    replaced: int = 0  # versions the reviewer changed since the last merge
    unchanged: int = 0
    not_reviewed: int = 0  # articles still pending in the copy
    refused: list[str] = field(default_factory=list)


def merge_copy(project: Project, copy_path: str | Path, who: str = "merge") -> MergeReport:
    """Take one copy's decisions back as its reviewer's versions (all or nothing)."""
    path = Path(copy_path)
    try:
        copy = Project.open(path, read_only=True, rules=project.rules)
    except AssayError as exc:
        raise AssayError(f"Cannot merge {path.name}: {exc}") from exc
    with copy:
        return _merge(project, copy, path.name, who)


def _merge(project: Project, copy: Project, name: str, who: str) -> MergeReport:
    def refuse(why: str) -> AssayError:
        return AssayError(f"Cannot merge {name}: {why} Nothing was merged.")

    if copy.meta("copy_of") != project.project_id or not project.project_id:
        raise refuse("it is not a copy of this project (assay-cli assign makes copies).")
    reviewer = copy.meta("copy_reviewer") or ""
    copy_id = copy.meta("copy_id") or ""
    try:
        given = set(json.loads(copy.meta("copy_articles") or "[]"))
    except ValueError as exc:
        raise refuse("its list of articles is damaged.") from exc
    if not reviewer.strip() or not copy_id:
        raise refuse("it does not say whose copy it is.")
    labels = project.label_names()
    # The copy's labels in the project's words now (renamed or merged since hand-out).
    words = project.names_since(copy.label_names(), copy.meta("created_at") or "")
    # Only the articles the copy was given are looked up (not the whole project per copy).
    ours = project.ids_by_sha256(given)
    our_texts = dict(project.article_texts(list(ours.values())))
    report = MergeReport(reviewer=reviewer)
    versions: list[Version] = []
    copy_ids = copy.article_ids()
    for rec in copy.reviewed(copy_ids, claim_states=("suggested", "accepted", "dismissed"),
                             suggestions=True):
        art = rec.article
        if art.sha256 not in given:
            raise refuse(f"it holds an article it was not given (\u201c{art.title[:60]}\u201d).")
        mine = ours.get(art.sha256)
        if mine is None or our_texts.get(mine) != art.text:
            raise refuse(f"the article \u201c{art.title[:60]}\u201d is not this project's "
                         "(its text differs or it was removed).")
        if art.status == "pending":
            report.not_reviewed += 1
            continue
        if art.reviewed_by not in (reviewer, None):
            raise refuse(f"it holds a decision by {art.reviewed_by!r}, not by {reviewer!r}, "
                         "whose copy it is.")
        spans = []
        for s in [*rec.spans, *rec.suggestions, *_rejected(copy, art.id)]:
            label = words.get(s.label, s.label)
            if label not in labels and label != s.label:
                raise refuse(f"its label {one_line(s.label, 40)} became "
                             f"{one_line(label, 40)}, which this project no longer has "
                             "(add it back, or merge the copy into a project that has it).")
            try:
                check_bounds(art.text, s.start, s.end, label, labels)
            except AssayError as exc:
                raise refuse(f"article \u201c{art.title[:60]}\u201d: {exc}") from exc
            if art.text[s.start:s.end] != s.text:
                raise refuse(f"a span of \u201c{art.title[:60]}\u201d does not match the text.")
            spans.append(SpanIn(s.start, s.end, label, s.origin, s.state, s.kb_id))
        claims = []
        for c in rec.claims:
            if not 0 <= c.start < c.end <= len(art.text):
                raise refuse(f"a claim of \u201c{art.title[:60]}\u201d does not fit the text.")
            claims.append(ClaimIn(c.start, c.end, c.verdict, c.evidence_url, c.note, c.state,
                                  c.origin, c.reason))
        events = tuple({k: e[k] for k in ("at", "reviewer", "action", "payload")}
                       for e in copy.events(art.id, limit=10_000))
        versions.append(Version(0, mine, reviewer, art.status, art.note or "",
                                art.review_seconds, art.reviewed_at, copy_id, "",
                                tuple(sorted(spans, key=lambda s: (s.start, s.end))),
                                tuple(claims), events))
    added, replaced = project.put_versions(versions, who)
    report.added, report.replaced = added, replaced
    report.unchanged = len(versions) - added - replaced
    return report


def _rejected(copy: Project, article_id: int):
    return [s for s in copy.spans(article_id) if s.state == "rejected"]
