"""How far reviewers agree on topics (issue 29), pair by pair, as ``agreement`` counts
spans and relations.

The units are (article, topic) pairs: for each article two reviewers both approved and
each topic either of them set in any of those articles, each reviewer says yes (they set
it: ``topic_curation.counted_topics``) or no. Per topic, Cohen's κ over the shared
articles; over all topics together, κ over every unit (a topic neither reviewer ever set
is no unit: two reviewers who never used a topic have not agreed about it, and counting
it would lift κ with agreement nobody expressed). The overall figures are the means of
the pairs' κ (Light's κ), as the token κ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from core.models import Version
from core.teams.topic_curation import counted_topics

YES, NO = "yes", "no"


@dataclass
class TopicTally:
    """One pair of reviewers' topic answers over their shared articles."""

    answers: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)

    def add(self, va: Version, vb: Version) -> None:
        self.answers.append((counted_topics(va), counted_topics(vb)))

    def used(self) -> list[str]:
        """The topics either reviewer set somewhere in the shared articles, by name."""
        return sorted(set().union(*(a | b for a, b in self.answers))) if self.answers else []

    def counts(self, topic: str | None = None) -> Counter:
        """(A's answer, B's answer) counts for one topic, or over every used topic."""
        topics = [topic] if topic is not None else self.used()
        out: Counter = Counter()
        for a, b in self.answers:
            for t in topics:
                out[(YES if t in a else NO, YES if t in b else NO)] += 1
        return out


def topic_kappas(tally: TopicTally, kappa: Callable[[Counter], float | None]
                 ) -> tuple[float | None, dict[str, float | None]]:
    """(κ over every unit, κ per topic) of one pair; ``kappa`` is agreement's
    ``kappa_from_counts`` (one κ for every measure of the report)."""
    per = {t: kappa(tally.counts(t)) for t in tally.used()}
    return kappa(tally.counts()), per


def mean_per_topic(pairs: list[dict[str, float | None]]) -> dict[str, float | None]:
    """Each topic's κ averaged over the pairs that have it (Light's κ per topic)."""
    out: dict[str, float | None] = {}
    for topic in sorted({t for per in pairs for t in per}):
        known = [k for per in pairs if (k := per.get(topic)) is not None]
        out[topic] = sum(known) / len(known) if known else None
    return out
