"""Topics in adjudication (issue 29): which topics a reviewer's version gives its article,
where the reviewers differ on them, and the edits that settle a difference.

The one rule of agreement and adjudication alike (``counted_topics``, as
``relation_curation.counted_relations`` is for relations): a version's topics are those
it *accepted*; approving the article in a copy accepted its live suggestions, so an
approved version's topics are exactly what its reviewer left on. A topic one reviewer has
and another has not is a difference; the curator takes one reviewer's decision on it
(``take_topic``: on, or off as "not about this"), takes a whole version's topics with the
version (``AdoptTopics``), or the topics every reviewer agrees on with the agreed spans.
Each is an edit on the one undo history, through the store's own topic calls, so who and
when are the curator's and undo puts every row back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.errors import InvalidEdit
from core.models import ArticleTopic, Version
from core.review.edits import Edit, Focus
from core.review.topic_edits import SetTopic
from core.store import Project
from core.text.normalise import one_line


def counted_topics(version: Version) -> frozenset[str]:
    """The topics of a version that count: the accepted ones."""
    return frozenset(t.topic for t in version.topics if t.state == "accepted")


def agreed_topics(versions: Sequence[Version]) -> frozenset[str]:
    """The topics every version has (none without versions)."""
    sets = [counted_topics(v) for v in versions]
    return frozenset(set.intersection(*map(set, sets))) if sets else frozenset()


def disputed_topics(versions: Sequence[Version]) -> frozenset[str]:
    """The topics some versions have and others not."""
    sets = [counted_topics(v) for v in versions]
    return frozenset(set().union(*sets)) - agreed_topics(versions) if sets else frozenset()


@dataclass(frozen=True)
class TopicDifference:
    """One topic the reviewers differ on: each reviewer's word on it (True: they set it)."""

    topic: str
    said: dict[str, bool]

    def reviewers_with(self, on: bool) -> list[str]:
        return sorted(r for r, has in self.said.items() if has == on)


def topic_differences(versions: Sequence[Version], order: Sequence[str] = ()
                      ) -> list[TopicDifference]:
    """Where approved ``versions`` differ on topics, in ``order`` (the project's topics;
    any others after them by name)."""
    approved = [v for v in versions if v.status == "approved"]
    disputed = disputed_topics(approved)
    rank = {name: i for i, name in enumerate(order)}
    return [TopicDifference(t, {v.reviewer: t in counted_topics(v) for v in approved})
            for t in sorted(disputed, key=lambda t: (rank.get(t, len(rank)), t))]


def curated_topics(rows: Iterable[ArticleTopic]) -> frozenset[str]:
    """The curated article's topics as a reviewer's version would count them: the live ones
    (a suggestion still there becomes accepted when the curator approves)."""
    return frozenset(r.topic for r in rows if r.live)


class AdoptTopics(Edit):
    """Make ``on`` the article's accepted topics and turn off (reject) every other live
    one, except those in ``keep`` (left as they are); undo restores every row it changed,
    who and when included."""

    def __init__(self, article_id: int, on: Iterable[str], title: str,
                 keep: Iterable[str] = ()) -> None:
        self.article_id, self.title = article_id, title
        self.on, self.keep = sorted(set(on)), frozenset(keep)
        self.changed: list[tuple[str, ArticleTopic | None]] = []

    def _do(self, project: Project, reviewer: str) -> None:
        rows = {r.topic: r for r in project.article_topics(self.article_id)}
        self.changed = []
        for topic in self.on:
            row = rows.get(topic)
            if row is None or row.state != "accepted":
                self.changed.append((topic, project.set_article_topic(
                    self.article_id, topic, True, reviewer)))
        for topic, row in rows.items():
            if row.live and topic not in self.on and topic not in self.keep:
                self.changed.append((topic, project.set_article_topic(
                    self.article_id, topic, False, reviewer)))

    def _undo(self, project: Project, reviewer: str) -> None:
        for topic, before in reversed(self.changed):
            project.restore_article_topic(self.article_id, topic, before, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id)


def needs_adopting(rows: Sequence[ArticleTopic], on: Iterable[str],
                   keep: Iterable[str] = ()) -> bool:
    """Whether ``AdoptTopics(on, keep)`` would change any of the article's ``rows``."""
    wanted, kept = set(on), set(keep)
    by_topic = {r.topic: r for r in rows}
    return any(by_topic.get(t) is None or by_topic[t].state != "accepted" for t in wanted) \
        or any(r.live and r.topic not in wanted and r.topic not in kept for r in rows)


def take_topic(versions: Sequence[Version], article_id: int, topic: str,
               reviewer: str) -> SetTopic:
    """The edit that settles ``topic`` as ``reviewer`` decided it in their approved version:
    on when they set it, off (rejected: "not about this") when they did not. The window's
    topic list and ``assay-cli adjudicate topic`` both take this edit."""
    who = one_line(reviewer, 60)
    version = next((v for v in versions if v.reviewer == reviewer
                    and v.article_id == article_id), None)
    if version is None:
        raise InvalidEdit(f"Article {article_id} has no version by {who}.")
    if version.status != "approved":
        raise InvalidEdit(f"{who} {one_line(version.status, 20)} article {article_id} in "
                          "their copy: they decided no topics to take.")
    edit = SetTopic(article_id, topic, topic in counted_topics(version))
    edit.title = f"take {who}'s topic {one_line(topic, 40)}"
    return edit
