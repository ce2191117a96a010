"""What the store is handed: the rules about language that it applies but does not own.

A project links a new span to its canonical id by name, suggests the sentences that state
a figure as claims (in the same transaction as the spans they depend on), keeps its
statistics by *facts* (a sentence naming a country and a mineral) and marks the figures
that differ between two passages. Those rules belong to ``core.nlp``; the store calls them
but never imports them. Whoever opens a project hands them in::

    Project.open(path, rules=store_rules())  # core.nlp.store_rules, the app's rules

and the parts of the project that need one are given it (``Kb`` the linker, ``Claims``
the suggestion rule, ``Db`` and ``Statistics`` the facts rule, ``ClaimsAcross`` the
figures). A project made from another one (a reviewer's copy, a merge) is handed the
same ``project.rules``.

This module states what the store asks of them, as protocols: any object with these
members will do, so a test can hand in its own, and ``core.nlp`` need not import the store
to provide them. Rules about the ids themselves (their syntax, which country a place id is
in) need no language and are not handed in: they are ``core.text.kb_ids``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from core.models import KbEntry, KbFound, Span
from core.text.sentences import SentenceIndex


class Linker(Protocol):
    """Looks up canonical ids by name (``core.nlp.linking.Linker`` is the app's)."""

    def link(self, label: str, text: str, *, guess: bool = True) -> str | None:
        """The canonical id a span with this label and text gets, or None."""
        ...

    def choices(self, label: str) -> list[KbEntry]:
        """Every entry a span with this label may link to."""
        ...

    def search(self, label: str, typed: str) -> list[KbFound]:
        """The entries typed text finds, best first (the link field's list)."""
        ...

    def entry(self, label: str, kb_id: str) -> KbEntry | None: ...

    def describe(self, label: str, kb_id: str) -> str:
        """How a link is shown: ``USA — United States``."""
        ...


class ClaimCandidate(Protocol):
    """A passage the rules suggest as a claim, and why."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def reason(self) -> str: ...


class Fact(Protocol):
    """A sentence (its bounds) naming a country and a mineral."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def country(self) -> Span: ...

    @property
    def mineral(self) -> Span: ...

    @property
    def country_id(self) -> str:
        """The country's ISO alpha-3 id (a province's country)."""
        ...


# ``ProjectRules.facts`` as the parts that keep and read the statistics are given it.
FactsRule = Callable[[str, Iterable[Span], SentenceIndex | None], Iterable[Fact]]


class Figure(Protocol):
    """A figure in a passage: as written, its kind ("percent", "money:USD", …), its value."""

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> float | None: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class ProjectRules(Protocol):
    """The rules a ``Project`` is handed when it is opened or created."""

    @property
    def figure_labels(self) -> tuple[str, ...]:
        """The entity labels whose spans are figures (MONEY, PERCENT, …)."""
        ...

    def linker(self, entries: Sequence[KbEntry]) -> Linker:
        """The linker of a project whose own canonical entries are ``entries``."""
        ...

    def claim_candidates(self, text: str, spans: Iterable[tuple[int, int, str]]
                         ) -> Sequence[ClaimCandidate]:
        """The passages of ``text`` to suggest as claims, given its live
        ``(start, end, label)`` spans."""
        ...

    def facts(self, text: str, spans: Iterable[Span], index: SentenceIndex | None = None
              ) -> Iterable[Fact]:
        """Each sentence's (country, mineral) pairs, in text order."""
        ...

    def figures_in(self, text: str, start: int, end: int,
                   spans: Iterable[tuple[int, int, str]]) -> Sequence[Figure]:
        """The figures of ``text[start:end]`` in text order, given the live spans."""
        ...

    def compare(self, figure: Figure, reference: Sequence[Figure]) -> str:
        """"same", "differs" or "" (cannot be compared): ``figure`` against a claim's."""
        ...
