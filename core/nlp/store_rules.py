"""The app's language rules as a project applies them: the one bundle every opener hands in.

``core.store`` links spans, suggests claims, keeps its statistics by facts and marks
differing figures, but may not import ``core.nlp`` (``tests/test_architecture.py``): its
``core.store.rules.ProjectRules`` says what it needs, and this is what the app gives it::

    Project.open(path, rules=store_rules())

The CLI, the window, the jobs and the sample project open projects this way; a project
made from another (a reviewer's copy, a merged one) is handed that project's ``rules``.
Nothing here is state: the linker over the built-in lists is built once
(``builtin_linker``), and a project's own entries are added to a copy of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from core.models import KbEntry, Span
from core.nlp.claim_candidates import CandidateClaim, candidate_claims
from core.nlp.facts import Fact, facts
from core.nlp.figures import FIGURE_LABELS, Comparable, Figure, compare, figures_in
from core.nlp.linking import Linker, builtin_linker
from core.text.sentences import SentenceIndex


class StoreRules:
    """The linker, the claim suggestion rule, the facts rule and the figures rule."""

    figure_labels: tuple[str, ...] = FIGURE_LABELS

    def linker(self, entries: Sequence[KbEntry]) -> Linker:
        """The built-in lists plus a project's own entries (which win)."""
        return builtin_linker().extended(entries)

    def claim_candidates(self, text: str, spans: Iterable[tuple[int, int, str]]
                         ) -> list[CandidateClaim]:
        return candidate_claims(text, spans)

    def facts(self, text: str, spans: Iterable[Span], index: SentenceIndex | None = None
              ) -> Iterator[Fact]:
        return facts(text, spans, index)

    def figures_in(self, text: str, start: int, end: int,
                   spans: Iterable[tuple[int, int, str]]) -> list[Figure]:
        return figures_in(text, start, end, spans)

    def compare(self, figure: Comparable, reference: Sequence[Comparable]) -> str:
        return compare(figure, reference)


_RULES = StoreRules()


def store_rules() -> StoreRules:
    """The rules every project of the app is opened with (one object, no state)."""
    return _RULES
