"""Plain data records passed between importers, the pipeline, the store and exporters.

They are frozen dataclasses rather than dicts so that a typo in a field name
fails loudly and so that type checkers can follow them across modules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import NamedTuple

ARTICLE_STATUSES = ("pending", "approved", "rejected", "skipped")
SPAN_ORIGINS = ("model", "rules", "reviewer", "imported")
SPAN_STATES = ("suggested", "accepted", "rejected")
CLAIM_VERDICTS = ("unchecked", "supported", "refuted", "unverifiable")
# How each verdict is drawn, in the article view, the statistics and the report alike;
# a claim only suggested is grey.
VERDICT_COLOURS = {"unchecked": "#d08a00", "supported": "#2e9d5b", "refuted": "#d0473f",
                   "unverifiable": "#7a5cc4"}
SUGGESTED_CLAIM_COLOUR = "#8a8f98"
# A claim the rules suggested waits for the reviewer, who accepts or dismisses it;
# dismissed ones are kept so the same sentence is not suggested again.
CLAIM_STATES = ("suggested", "accepted", "dismissed")
CLAIM_ORIGINS = ("reviewer", "rules", "imported")
# Relations (issue 26): typed, directed links between two entities of one article, with a
# state and an origin like spans.
RELATION_STATES = ("suggested", "accepted", "rejected")
RELATION_ORIGINS = ("reviewer", "rules", "model", "imported")
# Topics (issue 29): document labels. An article's topic is suggested (by a model, with a
# score), accepted or rejected, like a span; a reviewer's decision is never overridden.
TOPIC_STATES = ("suggested", "accepted", "rejected")
TOPIC_ORIGINS = ("reviewer", "model", "imported")

_KIND_SUFFIX = re.compile(r"\s*\([^()]*\)$")  # "Lualaba (Province)": the kind is no name


@dataclass(frozen=True)
class SpanIn:
    """A span proposed by the pipeline or an import file, before it has an id."""

    start: int
    end: int
    label: str
    origin: str = "model"
    state: str = "suggested"
    kb_id: str | None = None
    model: str | None = None  # the pre-annotator that made it ("name==version"), if known
    # What the pre-annotator suggested (start, end, label), when it is known to differ from
    # the span (an undo putting back a suggestion a reviewer had corrected).
    suggested: tuple[int, int, str] | None = None
    # Who decided it and when, in the project an Assay JSONL file was exported from (kept
    # as they were; the audit log records the import). None: the importer, now.
    stamp: tuple[str, str] | None = None
    # The file says what the link is (an Assay JSONL export): none means none, so the
    # import does not link it by name.
    kb_as_given: bool = False
    # From an Assay JSONL export: the span's id there, kept where this project has it free
    # (so a project rebuilt from the file exports the same relation ends).
    id: int | None = None


@dataclass(frozen=True)
class ClaimIn:
    """A claim read from an Assay JSONL export, before it has an id."""

    start: int
    end: int
    verdict: str = "unchecked"
    evidence_url: str = ""
    note: str = ""
    state: str = "accepted"
    origin: str = "imported"
    reason: str = ""
    stamp: tuple[str, str] | None = None  # (updated_by, updated_at) from an Assay JSONL export


@dataclass(frozen=True)
class ImportedDecision:
    """An article's decision as an Assay JSONL export carries it: kept as the reviewer made
    it in the project it came from; the importing project's audit log says it was imported."""

    status: str
    reviewed_by: str | None
    reviewed_at: str | None
    review_seconds: float | None
    note: str


@dataclass(frozen=True)
class ArticleIn:
    """An article read from a file, not yet stored. ``text`` is already normalised."""

    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    spans: tuple[SpanIn, ...] = field(default_factory=tuple)
    claims: tuple[ClaimIn, ...] = field(default_factory=tuple)
    # Relations between the spans above, each end given by its index in ``spans``.
    relations: tuple[RelationIn, ...] = field(default_factory=tuple)
    # The pre-annotator that made its suggestions elsewhere (annotate-jsonl, a cluster):
    # the article counts as pre-annotated, so `annotate` does not run on it again.
    model: str | None = None
    # From an Assay JSONL export: the article's id there (kept where this project has it
    # free) and its decision.
    id: int | None = None
    decision: ImportedDecision | None = None
    # Where each page starts in ``text`` (a PDF's pages, ``core.formats.read_pdf``): one
    # offset a page, in order; empty for a text without pages.
    pages: tuple[int, ...] = ()
    # Its topics (document labels), by the topic's name.
    topics: tuple[TopicIn, ...] = field(default_factory=tuple)


class Span(NamedTuple):
    """A stored span. ``text`` always equals ``article.text[start:end]``.

    A named tuple, not a dataclass: exports and the window build tens of thousands at a
    time straight from SQLite rows (``Span(*row)``), about four times faster. Immutable
    and compared by value, like the other records here.
    """

    id: int
    article_id: int
    start: int
    end: int
    label: str
    text: str
    origin: str
    state: str
    kb_id: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None

    @property
    def live(self) -> bool:
        """Rejected spans are kept for the audit trail but no longer count."""
        return self.state != "rejected"


@dataclass(frozen=True)
class Article:
    """A stored article with its review state."""

    id: int
    title: str
    source: str
    url: str
    published: str
    text: str
    sha256: str
    status: str
    note: str
    reviewed_by: str | None
    reviewed_at: str | None
    model: str | None
    review_seconds: float | None = None
    # Where each page of the source starts in ``text``, as stored: a JSON list of offsets
    # (a PDF's pages), or None. ``page_starts`` reads it.
    pages: str | None = None

    @property
    def page_starts(self) -> tuple[int, ...]:
        """Each page's start offset in ``text`` (empty when the source had no pages)."""
        return decode_pages(self.pages)


def decode_pages(stored: str | None) -> tuple[int, ...]:
    """The page starts stored with an article (``Article.pages``); () for none, and for a
    value no import could have stored (a project file is untrusted: the store checks them
    on the way in, ``core.text.pages.page_problem``, but a file may be made elsewhere)."""
    if not stored:
        return ()
    try:
        starts = json.loads(stored)
    except ValueError:
        return ()
    if not isinstance(starts, list) or not all(type(n) is int and n >= 0 for n in starts):
        return ()
    return tuple(starts) if starts == sorted(starts) else ()


@dataclass(frozen=True)
class ArticleRow:
    """One line of the article list: what the table shows, without the text."""

    id: int
    title: str
    source: str
    status: str
    entities: int
    reviewed_by: str | None
    preview: str = ""  # the text's first characters, read only for untitled articles
    topics: str = ""  # its live topics' names, "; "-joined (schema v12)


PREVIEW_CHARS = 100  # how much of an untitled article's text the list reads
TITLE_WORDS = 8


def shown_title(title: str, text_start: str = "", source: str = "") -> str:
    """What stands for an article's title: its title; else the first words of its text
    (an article without a headline is still recognisable by its opening); else its file
    name. Untrusted text: callers show it as plain text."""
    if title.strip():
        return " ".join(title.split())
    words = text_start.split()
    if words:
        opening = " ".join(words[:TITLE_WORDS])
        return opening + ("…" if len(words) > TITLE_WORDS or len(text_start) >= PREVIEW_CHARS
                          else "")
    return source or "(untitled)"


@dataclass(frozen=True)
class Claim:
    """A passage marked for fact-checking."""

    id: int
    article_id: int
    start: int
    end: int
    verdict: str
    evidence_url: str
    note: str
    updated_by: str | None = None
    updated_at: str | None = None
    state: str = "accepted"
    origin: str = "reviewer"
    reason: str = ""  # why the rules suggested it ("MONEY: $2 billion")


@dataclass(frozen=True)
class Label:
    """A label of the project's scheme."""

    name: str
    color: str
    hotkey: str
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class KbEntry:
    """One canonical thing: its id, the label family it belongs to (``core.text.kb_ids.
    family``), a name, its aliases. The linker holds the built-in ones; a project's own
    are rows of its ``kb_entries`` table."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    source: str = "built-in"  # or "project" for a reviewer's entry

    def short_name(self) -> str:
        """The name without the kind ISO 3166-2 adds ("Lualaba (Province)" → "Lualaba")."""
        return _KIND_SUFFIX.sub("", self.name)

    def display(self) -> str:
        """How the completer shows it: ``USA — United States``."""
        return f"{self.id} — {self.name}" if self.name and self.name != self.id else self.id


@dataclass(frozen=True)
class KbFound:
    """An entry that typed text found (``core.nlp.kb_search``) and, when only one of its
    aliases matched, that alias: "Inner" finds CN-NM by "Inner Mongolia"."""

    entry: KbEntry
    also: str = ""

    def line(self) -> str:
        """How the link field's list shows it: the id first (the field reads it back), then
        the name that matched, the entry's own in brackets (``CN-NM — Inner Mongolia (Nei
        Mongol Zizhiqu)``), else the entry as it is always shown."""
        if not self.also:
            return self.entry.display()
        return f"{self.entry.id} — {self.also} ({self.entry.short_name()})"


@dataclass(frozen=True)
class SchemeIn:
    """The label scheme an Assay JSONL export carries on its first line."""

    labels: tuple[Label, ...]
    # Its relation types (files from before relations have none: the project's stay).
    relation_types: tuple[RelationType, ...] = ()
    # Its topics (files from before topics have none: the project's stay).
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Reviewed:
    """One article as exports read it: its accepted spans and claims, and stored tokens."""

    article: Article
    spans: list[Span]
    claims: list[Claim]
    tokens: list[tuple[int, int]] | None = None
    suggestions: list[Span] = field(default_factory=list)  # only when a format asks
    versions: list = field(default_factory=list)  # reviewers' Versions, when a format asks
    # Relations between the spans given here, when a format asks (``core.store.reading``).
    relations: list = field(default_factory=list)
    # The article's topics (``ArticleTopic``), when a format asks: accepted ones; with
    # suggestions the suggested too; with every_state all (``core.store.reading``).
    topics: list = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One reviewer's version of an article, merged back from the copy they reviewed:
    their decision and what they decided on (spans with states, claims with verdicts)."""

    id: int
    article_id: int
    reviewer: str
    status: str
    note: str
    review_seconds: float | None
    reviewed_at: str | None
    copy_id: str
    merged_at: str
    spans: tuple[SpanIn, ...]
    claims: tuple[ClaimIn, ...]
    events: tuple[dict, ...] = ()
    # Their relations, each end given by its index in ``spans`` (as ``RelationIn``).
    relations: tuple[RelationIn, ...] = ()
    # Their topics of the article (schema v12; ``versions.topics``).
    topics: tuple[TopicIn, ...] = ()


@dataclass(frozen=True)
class RelationType:
    """A relation type of the project's scheme: which labels its head and tail may have,
    and whether it is symmetric (one relation, either direction: PARTNERS_WITH)."""

    name: str
    head_labels: tuple[str, ...]
    tail_labels: tuple[str, ...]
    symmetric: bool = False
    color: str = "#5a6f8f"
    hotkey: str = ""
    description: str = ""
    position: int = 0

    def allows(self, head_label: str, tail_label: str) -> bool:
        """Whether an entity labelled ``head_label`` may be this type's head and one
        labelled ``tail_label`` its tail (either way round for a symmetric type)."""
        if head_label in self.head_labels and tail_label in self.tail_labels:
            return True
        return self.symmetric and tail_label in self.head_labels and \
            head_label in self.tail_labels

    def shape(self) -> str:
        """``GPE, ORG → MINERAL`` (``↔`` for a symmetric type), for messages and the guide."""
        arrow = "↔" if self.symmetric else "→"
        return f"{', '.join(self.head_labels)} {arrow} {', '.join(self.tail_labels)}"


class Relation(NamedTuple):
    """A stored relation: ``head_id`` and ``tail_id`` are spans of the same article.

    It counts (is shown, exported, agreed on) only while it is not rejected and both its
    entities are live: rejecting an entity takes its relations along without touching
    them, and bringing the entity back brings them back (``core.store.relations``)."""

    id: int
    article_id: int
    head_id: int
    tail_id: int
    type: str
    state: str
    origin: str
    model: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    suggested_type: str | None = None


@dataclass(frozen=True)
class RelationIn:
    """A relation proposed by pre-annotation or an import file, between spans given by
    their index in the article's list of incoming spans (they have no ids yet)."""

    head: int
    tail: int
    type: str
    state: str = "suggested"
    origin: str = "rules"
    model: str | None = None
    # From an Assay JSONL export: who decided it and when there (kept as they were; the
    # audit log records the importer), and its id there (kept where this project has it free).
    stamp: tuple[str, str] | None = None
    id: int | None = None


@dataclass(frozen=True)
class Topic:
    """A topic of the project's scheme (a document label: what an article is about). Its
    key is pressed with a modifier in the review window (``gui.review.topic_keys``), so it
    may repeat a label's key."""

    name: str
    color: str = "#5a6f8f"
    hotkey: str = ""
    description: str = ""
    position: int = 0


class ArticleTopic(NamedTuple):
    """One topic of one article (a row of ``article_topics``): its state, who made it
    (``origin``; the ``model`` and its ``score`` for a suggestion) and who decided it last,
    when. It counts (is shown as the article's, exported, filtered by) while not rejected;
    a rejected one is a reviewer's "not about this", kept so no model suggests it again."""

    article_id: int
    topic: str
    state: str
    origin: str
    model: str | None = None
    score: float | None = None
    updated_by: str | None = None
    updated_at: str | None = None

    @property
    def live(self) -> bool:
        return self.state != "rejected"


@dataclass(frozen=True)
class TopicIn:
    """An article's topic from an import file or a reviewer's version, by name."""

    topic: str
    state: str = "accepted"
    origin: str = "imported"
    model: str | None = None
    score: float | None = None
    # Who decided it and when, where that was elsewhere (an Assay JSONL export).
    stamp: tuple[str, str] | None = None
