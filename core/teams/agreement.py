"""How far reviewers agree, over the articles two or more of them approved.

- **Span F1**, pairwise: exact ``(start, end, label)`` matches, and overlap matches (same
  label, ranges that share a character), per label and micro-averaged over all labels and
  articles. F1 between two reviewers is symmetric: 2·matches / (|A| + |B|) for exact; for
  overlap, the harmonic mean of the shares of A's and of B's spans that find a partner.
- **Cohen's κ on tokens**: every token of the article gets the label of the accepted span
  that covers it, or ``O``, so units only one reviewer marked are not dropped (INCEpTION's
  documentation warns about exactly this). Overall: the mean of the pairwise κ (Light's κ).
- **κ on claim verdicts**, over claims both reviewers marked on the same passage.
- **Relation F1** (exact ends and type) per type and overall, and **κ on entity pairs**
  where it is defined (``core.teams.relation_agreement`` says how they are counted).
- **κ on topics**, per topic and over all (``core.teams.topic_agreement`` says how the
  (article, topic) units are counted).
- A token-level label confusion matrix, and a per-article table, the worst first.
- Which versions are **second opinions**: made in copies that showed the lead's decisions
  (``assign --show-decisions``). Their agreement measures how far reviewers confirmed the
  lead's version, not how far they agree on their own; the report names their reviewers
  and marks each pair that includes one as not independent.

Cohen's κ and F1 are a few lines each; they are written here, without scikit-learn and
SciPy in the app (about 60 MB), and the tests check them against scikit-learn's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from core.metrics import Span3, f1_exact, f1_from
from core.models import Version
from core.store import Project
from core.teams.relation_agreement import RelationTally, add_up
from core.teams.topic_agreement import TopicTally, mean_per_topic, topic_kappas
from core.text.normalise import one_line
from core.text.tokens import token_offsets


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's κ of two raters' labels for the same units; None without units. When both
    raters used one and the same label throughout, agreement is perfect: 1.0."""
    if len(a) != len(b):
        return None
    return kappa_from_counts(Counter(zip(a, b, strict=True)))


def kappa_from_counts(pairs: Counter) -> float | None:
    """Cohen's κ from the counts of (rater A's label, rater B's label) pairs."""
    n = sum(pairs.values())
    if n == 0:
        return None
    observed = sum(c for (x, y), c in pairs.items() if x == y) / n
    ca: Counter = Counter()
    cb: Counter = Counter()
    for (x, y), c in pairs.items():
        ca[x] += c
        cb[y] += c
    expected = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)


def _overlap_hits(a: Iterable[Span3], b: Sequence[Span3]) -> int:
    return sum(any(la == lb and s < e2 and s2 < e for s2, e2, lb in b) for s, e, la in a)


def f1_overlap(a: Sequence[Span3], b: Sequence[Span3]) -> float | None:
    if not a and not b:
        return None
    if not a or not b:
        return 0.0
    p, r = _overlap_hits(a, b) / len(a), _overlap_hits(b, a) / len(b)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def token_labels(text: str, spans: Sequence[Span3],
                 tokens: Sequence[tuple[int, int]] | None = None) -> list[str]:
    """Each token's label: that of the span covering its first character, else O
    (``tokens``: the article's, when the caller has them already)."""
    out = []
    ordered = sorted(spans)
    i = 0
    for start, _end in tokens if tokens is not None else token_offsets(text):
        while i < len(ordered) and ordered[i][1] <= start:
            i += 1
        hit = i < len(ordered) and ordered[i][0] <= start
        out.append(ordered[i][2] if hit else "O")
    return out


def accepted(version: Version) -> list[Span3]:
    return sorted((s.start, s.end, s.label) for s in version.spans if s.state == "accepted")


@dataclass
class PairResult:
    reviewers: tuple[str, str]
    articles: int = 0
    exact: list[int] = field(default_factory=lambda: [0, 0, 0])  # matches, |A|, |B|
    per_label: dict[str, list[int]] = field(default_factory=dict)
    overlap_f1s: list[float] = field(default_factory=list)
    tokens: Counter = field(default_factory=Counter)  # (A's label, B's label) per token
    verdicts: Counter = field(default_factory=Counter)  # (A's verdict, B's) per claim
    # False when either side's version came from a copy that showed the lead's decisions.
    independent: bool = True
    relations: RelationTally = field(default_factory=RelationTally)
    topics: TopicTally = field(default_factory=TopicTally)

    def as_dict(self) -> dict:
        topic_kappa, per_topic = topic_kappas(self.topics, kappa_from_counts)
        return {
            "reviewers": list(self.reviewers), "articles": self.articles,
            "span_f1": f1_from(*self.exact),
            "span_f1_overlap": (sum(self.overlap_f1s) / len(self.overlap_f1s)
                                if self.overlap_f1s else None),
            "per_label": {label: f1_from(*c) for label, c in sorted(self.per_label.items())},
            "token_kappa": kappa_from_counts(self.tokens),
            "tokens": sum(self.tokens.values()),
            "verdict_kappa": kappa_from_counts(self.verdicts),
            "claims_compared": sum(self.verdicts.values()),
            "independent": self.independent,
            "relation_f1": self.relations.f1(),
            "relation_per_type": self.relations.type_f1s(),
            "relation_kappa": kappa_from_counts(self.relations.units),
            "relation_pairs_compared": sum(self.relations.units.values()),
            "topic_kappa": topic_kappa,
            "topic_per_topic": per_topic,
            "topic_units": sum(self.topics.counts().values()),
        }


def second_opinions_note(reviewers: Sequence[str]) -> str:
    """The sentence that says which versions are not independent (CLI and window)."""
    names = ", ".join(one_line(r, 40) for r in reviewers)
    return (f"Not independent: {names} reviewed copies that showed the lead's decisions "
            "(assign --show-decisions); their agreement is a second opinion on the lead's "
            "version.")


def agreement(project: Project) -> dict:
    """The whole report as one JSON-ready object (``assay-cli agreement --json``)."""
    by_article: dict[int, list[Version]] = defaultdict(list)
    for version in project.versions():
        if version.status == "approved":
            by_article[version.article_id].append(version)
    shared = {a: vs for a, vs in by_article.items() if len(vs) >= 2}
    shown = project.second_opinion_copies()
    seconds = {v.reviewer for vs in shared.values() for v in vs if v.copy_id in shown}
    texts = dict(project.article_texts(sorted(shared)))
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    pairs: dict[tuple[str, str], PairResult] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    table = []
    for article_id, versions in sorted(shared.items()):
        text = texts[article_id]
        tokens = token_offsets(text)  # once per article, for every pair
        labels_of = {v.reviewer: token_labels(text, accepted(v), tokens) for v in versions}
        article_f1s = []
        for va, vb in combinations(sorted(versions, key=lambda v: v.reviewer), 2):
            key = (va.reviewer, vb.reviewer)
            pair = pairs.setdefault(key, PairResult(key))
            pair.articles += 1
            pair.independent &= va.copy_id not in shown and vb.copy_id not in shown
            sa, sb = accepted(va), accepted(vb)
            m, na, nb = f1_exact(set(sa), set(sb))
            for i, n in enumerate((m, na, nb)):
                pair.exact[i] += n
            for label in {lb for *_x, lb in sa} | {lb for *_x, lb in sb}:
                la = {s for s in sa if s[2] == label}
                lb_ = {s for s in sb if s[2] == label}
                counts = pair.per_label.setdefault(label, [0, 0, 0])
                for i, n in enumerate(f1_exact(la, lb_)):
                    counts[i] += n
            pair.relations.add(va, vb, symmetric)
            pair.topics.add(va, vb)
            overlap = f1_overlap(sa, sb)
            if overlap is not None:
                pair.overlap_f1s.append(overlap)
            counted = Counter(zip(labels_of[va.reviewer], labels_of[vb.reviewer], strict=True))
            pair.tokens.update(counted)
            confusion.update(counted)
            claims_b = {(c.start, c.end): c.verdict for c in vb.claims if c.state == "accepted"}
            for c in va.claims:
                if c.state == "accepted" and (c.start, c.end) in claims_b:
                    pair.verdicts[(c.verdict, claims_b[(c.start, c.end)])] += 1
            f1 = f1_from(m, na, nb)
            article_f1s.append(1.0 if f1 is None else f1)
        table.append({"article_id": article_id, "title": project.article(article_id).title,
                      "reviewers": sorted(v.reviewer for v in versions),
                      "span_f1": sum(article_f1s) / len(article_f1s)})
    results = [p.as_dict() for _, p in sorted(pairs.items())]
    micro = [0, 0, 0]
    for p in pairs.values():
        for i in range(3):
            micro[i] += p.exact[i]
    kappas = [r["token_kappa"] for r in results if r["token_kappa"] is not None]
    verdict_kappas = [r["verdict_kappa"] for r in results if r["verdict_kappa"] is not None]
    labels = sorted({a for a, _ in confusion} | {b for _, b in confusion})
    relations = add_up(p.relations for p in pairs.values())
    relation_kappas = [r["relation_kappa"] for r in results if r["relation_kappa"] is not None]
    topic_kappas_ = [r["topic_kappa"] for r in results if r["topic_kappa"] is not None]
    return {
        "articles": len(shared),
        # Reviewers whose compared versions are second opinions on the lead's decisions.
        "second_opinions": sorted(seconds),
        "overall": {"span_f1": f1_from(*micro),
                    "token_kappa": sum(kappas) / len(kappas) if kappas else None,
                    "verdict_kappa": (sum(verdict_kappas) / len(verdict_kappas)
                                      if verdict_kappas else None),
                    "relation_f1": relations.f1(),
                    "relation_per_type": relations.type_f1s(),
                    # The mean of the pairwise κ, as the token κ (Light's κ).
                    "relation_kappa": (sum(relation_kappas) / len(relation_kappas)
                                       if relation_kappas else None),
                    # Topics: the mean of the pairs' κ, overall and per topic.
                    "topic_kappa": (sum(topic_kappas_) / len(topic_kappas_)
                                    if topic_kappas_ else None),
                    "topic_per_topic": mean_per_topic([r["topic_per_topic"]
                                                       for r in results])},
        "pairs": results,
        "confusion": {"labels": labels,
                      "counts": [[confusion[(a, b)] for b in labels] for a in labels]},
        "articles_worst_first": sorted(table, key=lambda r: (r["span_f1"], r["article_id"])),
    }
