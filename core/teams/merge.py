"""Merge back: each copy's decisions become that reviewer's *version* of each article.

A copy went through someone else's machine, so it is untrusted input. It is opened
read-only through the store's one opener (``trusted_schema=OFF``; triggers, views and
foreign virtual tables refused) and read whole in ONE read transaction, every value
checked by the rules a reviewer's edit meets (``Project.read_as_copy``). It is refused
whole, with one sentence and nothing written, when:

- it is not a copy of this project (``copy_of`` is not this ``project_id``);
- its ``copy_id`` was never handed out by this project, or its reviewer, its list of
  articles, whether it showed the lead's decisions or its digest differ from what the
  project recorded when it handed it out (``Project.handed_out``): the copy's own word
  about itself proves nothing;
- it holds an article it was not given, one whose text is not this project's, or one twice;
- it holds another reviewer's decision: an article's, or a topic's (a topic row accepted
  or rejected in someone else's name; only the hand-out's own rows, a second opinion's
  copy of the lead's topics, are by ``assign``);
- any value fails the store's rules: a span or claim that does not fit the text, overlaps
  a live one, has an unknown state, origin, verdict or label, an unusable id; a relation
  whose ends are not spans of the article, whose type the scheme lacks or does not allow
  the ends' labels, that is there twice, or one of too many; a status
  the store does not know, seconds or offsets of the wrong type, an audit entry that is
  not a JSON object or is nested beyond reason.

A copy speaks the scheme as it was handed out: its label names are read through the
renames and merges of the project's scheme since then (``Project.names_since``), so a
copy made before ``labels rename MINERAL COMMODITY`` merges as COMMODITY.

Nothing of the project's own spans changes: versions sit beside them (``versions``).
Merging the same copy twice changes nothing; merging it again after the reviewer went
on replaces that reviewer's versions with their latest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import AssayError
from core.models import Version
from core.store import Project
from core.store.copies import CopyContents
from core.store.copy_topics import topic_deciders
from core.store.handouts import HandedOut
from core.teams.assign import HAND_OUT, copy_digest
from core.text.normalise import one_line
from core.text.wording import counted


class CopyRefused(AssayError):
    """A copy merge will not take; the sentence says why. Nothing was written."""


@dataclass
class MergeReport:
    """What one ``merge_copy`` did, or why the copy was refused (``refused``): the one
    account of a copy the CLI prints and the window's merge summary shows (``line``)."""

    reviewer: str = ""
    added: int = 0  # versions new to the project
    replaced: int = 0  # versions the reviewer changed since the last merge
    unchanged: int = 0
    not_reviewed: int = 0  # articles still pending in the copy
    refused: str = ""  # why the whole copy was refused ("": it was merged)
    shows_decisions: bool = False  # the copy showed the lead's decisions (a second opinion)
    copy: str = ""  # the copy's file name, as it can be shown
    decisions: dict[str, int] = field(default_factory=dict)  # its versions per status
    spans: int = 0  # entities the reviewer accepted in those versions
    claims: int = 0  # claims the reviewer accepted in them
    topics: int = 0  # topics the reviewer set (accepted) in them

    @property
    def articles(self) -> int:
        """The articles that came in: the copy's reviewed articles, each now a version."""
        return self.added + self.replaced + self.unchanged

    @property
    def line(self) -> str:
        """One line: whose copy, what came in (articles, decisions, entities, claims), or
        the sentence saying why nothing did."""
        if self.refused:  # "Cannot merge team-ana.assay: … Nothing was merged."
            return self.refused
        decided = ", ".join(f"{n:,} {status}" for status, n in sorted(self.decisions.items()))
        return (f"{self.copy}: {one_line(self.reviewer, 40)}'s "
                + counted(self.articles, "article", "articles")
                + f" ({self.added:,} new, {self.replaced:,} updated, {self.unchanged:,} "
                f"unchanged){': ' + decided if decided else ''}; "
                + counted(self.spans, "accepted entity", "accepted entities") + ", "
                + counted(self.claims, "accepted claim", "accepted claims")
                + (", " + counted(self.topics, "topic", "topics") if self.topics else "")
                + (f"; {counted(self.not_reviewed, 'article', 'articles')} not reviewed yet"
                   if self.not_reviewed else "")
                + (" (a second opinion: the copy showed the project's decisions)"
                   if self.shows_decisions else "") + ".")


def merge_copies(project: Project, paths: Sequence[str | Path],
                 who: str = "merge") -> list[MergeReport]:
    """Merge each copy in turn, on past a refused one: one report per copy, a refused copy's
    with the sentence that says why (nothing of it was written)."""
    reports = []
    for path in paths:
        try:
            reports.append(merge_copy(project, path, who))
        except CopyRefused as exc:
            reports.append(MergeReport(refused=str(exc), copy=one_line(Path(path).name, 80)))
    return reports


def merge_copy(project: Project, copy_path: str | Path, who: str = "merge") -> MergeReport:
    """Take one copy's decisions back as its reviewer's versions (all or nothing)."""
    path = Path(copy_path)
    name = one_line(path.name, 80)

    def refuse(why: str) -> AssayError:  # a hostile value quoted in ``why`` is cut short
        return CopyRefused(f"Cannot merge {name}: {one_line(why, 300)} Nothing was merged.")

    try:
        copy = Project.open(path, read_only=True, rules=project.rules)
    except AssayError as exc:  # not a project file, or not one Assay can open
        raise CopyRefused(one_line(f"Cannot merge {name}: {exc}")) from exc
    records: list[HandedOut] = []
    labels = project.label_names()

    def vouch(meta: dict[str, Any]) -> dict[str, str]:  # before the articles are read
        record = _handed_out(project, meta, refuse)
        records.append(record)
        # The copy speaks the scheme as handed out: its labels in the project's words now,
        # followed through the renames and merges since the project's own record of it.
        return project.names_since(copy.label_names(), record.handed_at)

    with copy:
        try:
            contents = copy.read_as_copy(labels, vouch, project.relation_types(),
                                         {t.name for t in project.topics()})
        except CopyRefused:
            raise
        except AssayError as exc:
            raise refuse(str(exc)) from exc
    report = _merge(project, contents, records[0], refuse, who)
    report.copy = name
    return report


def _merge(project: Project, copy: CopyContents, record: HandedOut,
           refuse: Callable[[str], AssayError], who: str) -> MergeReport:
    reviewer = record.reviewer
    given = {sha: article_id for article_id, sha in record.articles}
    ours = project.ids_by_sha256(given)
    report = MergeReport(reviewer=reviewer, shows_decisions=record.shows_decisions)
    versions: list[Version] = []
    for art in copy.articles:
        title = one_line(art.title, 60)
        if art.sha256 not in given:
            raise refuse(f"it holds an article it was not given (\u201c{title}\u201d).")
        if ours.get(art.sha256) != given[art.sha256]:
            raise refuse(f"the article \u201c{title}\u201d is not this project's (its text "
                         "differs or it was removed).")
        if art.status == "pending":
            report.not_reviewed += 1
            continue
        if art.reviewed_by not in (reviewer, None):
            raise refuse(f"it holds a decision by \u201c{one_line(art.reviewed_by, 40)}\u201d, "
                         f"not by {reviewer}, whose copy it is.")
        others = topic_deciders(art.topics) - {reviewer, HAND_OUT}
        if others:
            raise refuse(f"it holds a topic decision by "
                         f"\u201c{one_line(sorted(others)[0], 40)}\u201d, not by {reviewer}, "
                         "whose copy it is.")
        report.decisions[art.status] = report.decisions.get(art.status, 0) + 1
        report.spans += sum(1 for span in art.spans if span.state == "accepted")
        report.claims += sum(1 for claim in art.claims if claim.state == "accepted")
        report.topics += sum(1 for topic in art.topics if topic.state == "accepted")
        versions.append(Version(0, given[art.sha256], reviewer, art.status, art.note,
                                art.review_seconds, art.reviewed_at, record.copy_id, "",
                                art.spans, art.claims, art.events, art.relations,
                                art.topics))
    added, replaced = project.put_versions(versions, who)
    report.added, report.replaced = added, replaced
    report.unchanged = len(versions) - added - replaced
    return report


def _handed_out(project: Project, meta: dict[str, Any],
                refuse: Callable[[str], AssayError]) -> HandedOut:
    """The project's record of the copy; refused unless the copy says what it records."""
    if not project.project_id or meta.get("copy_of") != project.project_id:
        raise refuse("it is not a copy of this project (assay-cli assign makes copies).")
    copy_id = meta.get("copy_id")
    record = project.handed_out(copy_id) if isinstance(copy_id, str) and copy_id else None
    if record is None:
        raise refuse("this project never handed out a copy with its id (copies handed out "
                     "before Assay recorded them must be handed out again).")
    if meta.get("copy_reviewer") != record.reviewer:
        raise refuse(f"it was handed out to {record.reviewer}, but it says it is "
                     f"\u201c{one_line(str(meta.get('copy_reviewer')), 40)}\u201d's.")
    try:
        listed = json.loads(meta.get("copy_articles") or "")
    except (TypeError, ValueError, RecursionError):
        listed = None
    if not (isinstance(listed, list) and all(isinstance(sha, str) for sha in listed)
            and sorted(listed) == sorted(sha for _id, sha in record.articles)):
        raise refuse("its list of articles is not the one it was handed out with.")
    shows = meta.get("copy_shows_decisions", "0") == "1"
    if shows != record.shows_decisions or meta.get("copy_digest") != record.digest or \
            copy_digest(record.copy_id, record.reviewer, listed, shows) != record.digest:
        raise refuse("it does not match the digest recorded when it was handed out.")
    return record
