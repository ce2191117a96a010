"""Topic decisions and topic-scheme changes as edits on the one undo history.

``SetTopic`` turns one topic of an article on or off (``toggled`` says which a key press
means: a live topic, suggested or accepted, goes off; any other comes on); its undo puts
the row back exactly as it was, who and when included. The scheme edits change the
project's topics like the label edits of ``core.review.scheme_edits`` (no article; the
session announces ``labels_changed``). The rules are the store's
(``core.store.topics``, ``core.store.article_topics``), so the window and
``assay-cli topics`` refuse the same things.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.models import ArticleTopic, Topic
from core.review.edits import Edit
from core.review.scheme_edits import SchemeEdit
from core.store import Project


def toggled(rows: Sequence[ArticleTopic], topic: str) -> bool:
    """What pressing ``topic``'s key means for an article with ``rows``: True (on) unless
    the topic is live there (accepted, or suggested: approving would accept it)."""
    row = next((r for r in rows if r.topic == topic), None)
    return row is None or not row.live


class SetTopic(Edit):
    """Turn a topic of an article on (accepted) or off (rejected); undo restores the row."""

    def __init__(self, article_id: int, topic: str, on: bool) -> None:
        self.article_id, self.topic, self.on = article_id, topic, on
        self.before: ArticleTopic | None = None
        self.title = f"{'set' if on else 'remove'} topic {topic}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.set_article_topic(self.article_id, self.topic, self.on,
                                                reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.restore_article_topic(self.article_id, self.topic, self.before, reviewer)


def new_topic_name(taken: set[str]) -> str:
    """The name a topic added without one gets: new topic, new topic 1, …"""
    return next(f"new topic{f' {i}' if i else ''}" for i in range(len(taken) + 1)
                if f"new topic{f' {i}' if i else ''}" not in taken)


class AddTopic(SchemeEdit):
    """Add a topic (at its ``position``); undo deletes it."""

    def __init__(self, topic: Topic, at_end: bool = True) -> None:
        self.topic, self.at_end = topic, at_end
        self.title = f"add topic {topic.name}"

    def _do(self, project: Project, reviewer: str) -> None:
        t = self.topic
        self.topic = project.add_topic(t.name, reviewer, color=t.color, hotkey=t.hotkey,
                                       description=t.description,
                                       position=None if self.at_end else t.position)
        self.at_end = False  # a redo puts it where it was

    def _undo(self, project: Project, reviewer: str) -> None:
        project.delete_topic(self.topic.name, reviewer)


class DeleteTopic(SchemeEdit):
    """Delete a topic no article has; undo adds it back in its place."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gone: Topic | None = None
        self.title = f"delete topic {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.gone = project.delete_topic(self.name, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        g = self.gone
        assert g is not None
        project.add_topic(g.name, reviewer, color=g.color, hotkey=g.hotkey,
                          description=g.description, position=g.position)


class RenameTopic(SchemeEdit):
    """Rename a topic everywhere; undo renames it back."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new.strip()
        self.title = f"rename topic {old}"

    def _do(self, project: Project, reviewer: str) -> None:
        project.rename_topic(self.old, self.new, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.rename_topic(self.new, self.old, reviewer)


class UpdateTopic(SchemeEdit):
    """Change a topic's colour, key or description; undo puts back what it had."""

    def __init__(self, name: str, *, color: str | None = None, hotkey: str | None = None,
                 description: str | None = None) -> None:
        self.name, self.color, self.hotkey, self.description = name, color, hotkey, description
        self.before: Topic | None = None
        self.title = f"change topic {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.update_topic(self.name, reviewer, color=self.color,
                                           hotkey=self.hotkey, description=self.description)

    def _undo(self, project: Project, reviewer: str) -> None:
        b = self.before
        assert b is not None
        project.update_topic(self.name, reviewer, color=b.color, hotkey=b.hotkey,
                             description=b.description)


class MoveTopic(SchemeEdit):
    """Put a topic at another place in the list; undo moves it back."""

    def __init__(self, name: str, position: int) -> None:
        self.name, self.position = name, position
        self.was: int | None = None
        self.title = f"move topic {name}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.was = project.move_topic(self.name, self.position, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.was is not None
        project.move_topic(self.name, self.was, reviewer)
