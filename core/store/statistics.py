"""The corpus in numbers: review progress, pre-annotation as reviewers judged it, which
countries the approved articles put beside which minerals, and claims by verdict.

The sums are kept with every write (``core.store.summaries``, like ``label_counts``) and
the rest is grouped by SQLite through indexes (schema v9), so the statistics window and
``assay-cli report`` cost a few small reads on 100 articles and on 100,000. Nothing here
writes.

A *decision* is one person's approval or rejection of one article: the project's own
(``articles.reviewed_by``) and, in a lead's project, each reviewer's merged version
(``versions``). The per-reviewer numbers count both, so an article three reviewers
approved is three *approvals*; the per-day numbers count *articles approved*, each once,
by the project's own decision, as the statuses do: a heading's "5 articles approved" is
what the per-day chart adds up to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from core.store import summaries
from core.store.rows import SPAN_FIELDS, make_span
from core.store.rules import FactsRule
from core.store.summaries import OUTCOMES
from core.store.topic_statistics import TopicCounts, topic_statistics

OUTCOME_NAMES = {"kept": "accepted as suggested", "corrected": "corrected (bounds or label)",
                 "rejected": "rejected", "added": "added by a reviewer"}
# A reviewer's copy is untrusted (core.teams.merge): a time that is not a number and a
# date that is not ISO are read as unknown, not drawn.
_SECONDS = ("CASE WHEN typeof(review_seconds) IN ('integer', 'real') AND review_seconds > 0 "
            "AND review_seconds < 1e9 THEN review_seconds END")
_DAY = ("CASE WHEN reviewed_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' "
        "THEN substr(reviewed_at, 1, 10) END")
_DECISIONS = f"""SELECT reviewed_by AS reviewer, {_DAY} AS day, {_SECONDS} AS seconds, status
  FROM articles WHERE status IN ('approved', 'rejected') AND reviewed_by IS NOT NULL
UNION ALL
SELECT reviewer, {_DAY}, {_SECONDS}, status
  FROM versions WHERE status IN ('approved', 'rejected')"""


@dataclass(frozen=True)
class Spread:
    """Seconds per article: the five numbers of a box plot (nearest rank) and how many."""

    n: int
    low: float  # the 5th percentile: the whisker, so one forgotten open window is not it
    q1: float
    median: float
    q3: float
    high: float  # the 95th percentile


@dataclass
class Progress:
    statuses: dict[str, int]
    per_day: list[tuple[str, int]]  # (YYYY-MM-DD, articles approved that day, UTC)
    per_reviewer: list[tuple[str, int, int]]  # (reviewer, approved, rejected), most first
    per_reviewer_day: list[tuple[str, str, int]]  # (day, reviewer, approvals, versions too)
    seconds: Spread | None
    seconds_by_reviewer: dict[str, Spread] = field(default_factory=dict)
    # (day, who approved the article in the project, articles): per_day split by approver
    per_approver_day: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def approvals(self) -> int:
        """Every reviewer's approvals, merged versions included: an article approved by
        three reviewers counts three times (``statuses["approved"]`` counts it once)."""
        return sum(approved for _r, approved, _j in self.per_reviewer)

    @property
    def remaining(self) -> int:
        return self.statuses.get("pending", 0) + self.statuses.get("skipped", 0)


def summed(rows: dict[str, dict[str, int]]) -> dict[str, int]:
    """The outcomes of several labels added up."""
    return {k: sum(r[k] for r in rows.values()) for k in OUTCOMES}


def suggested(outcome: dict[str, int]) -> int:
    """The suggestions an outcome row counts: kept, corrected or rejected (an entity a
    reviewer added was suggested by nothing)."""
    return outcome["kept"] + outcome["corrected"] + outcome["rejected"]


@dataclass
class Quality:
    """Per (model, label): how many of each outcome. ``models`` most spans first."""

    counts: dict[tuple[str, str], dict[str, int]]
    models: list[str]
    undecided: int  # suggestions still undecided in approved articles (none, normally)

    def per_label(self, model: str | None = None) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (m, label), outcome in self.counts.items():
            if model is None or m == model:
                row = out.setdefault(label, dict.fromkeys(OUTCOMES, 0))
                for k, v in outcome.items():
                    row[k] += v
        return dict(sorted(out.items(), key=lambda kv: -sum(kv[1].values())))

    def totals(self, model: str | None = None) -> dict[str, int]:
        """Each outcome over every label (of ``model``, or of all models)."""
        return summed(self.per_label(model))


def judged_line(sums: dict[str, int]) -> str:
    """``40 suggestion(s): kept 70%, corrected 5%, rejected 25%; 3 added by reviewers`` (the
    CLI's and the statistics window's line for relation suggestions)."""
    made = suggested(sums)
    shares = ", ".join(f"{k} {sums[k] / made:.0%}" for k in OUTCOMES[:3])
    judged = f"{made:,} suggestion(s): {shares}" if made else "no suggestions"
    return f"{judged}; {sums['added']:,} added by reviewers"


@dataclass
class CountryMinerals:
    """Approved articles naming a country (its id, or a province's) and a linked mineral."""

    countries: list[str]  # ISO alpha-3, most articles first
    minerals: list[str]  # mineral ids, most articles first
    cells: dict[tuple[str, str], int]  # (country, mineral) -> approved articles
    articles: int  # approved articles in all

    def ranked(self) -> list[tuple[tuple[str, str], int]]:
        """The pairs most articles first, ties by country then mineral id: the order of the
        statistics' tables (``assay-cli stats`` and the HTML report show the top of it)."""
        return sorted(self.cells.items(), key=lambda kv: (-kv[1], kv[0]))


class Sentence(NamedTuple):
    article_id: int
    title: str
    published: str
    start: int
    end: int
    text: str


@dataclass
class ClaimCounts:
    by_verdict: dict[str, int]  # accepted claims per verdict
    suggested: int  # claims the rules suggested that nobody decided yet
    by_country: dict[str, dict[str, int]]  # country -> verdict -> claims naming it
    by_mineral: dict[str, dict[str, int]]


def _spread(values: list[float]) -> Spread | None:
    """Nearest-rank percentiles of values already sorted by SQLite."""
    if not values:
        return None

    def at(p: float) -> float:
        return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))]

    return Spread(len(values), at(0.05), at(0.25), at(0.5), at(0.75), at(0.95))


class Statistics:
    """The read-only queries behind the statistics window and the report."""

    def __init__(self, conn: sqlite3.Connection, facts: FactsRule) -> None:
        self.conn = conn
        self.facts = facts  # the project's facts rule, which the kept sums count by

    # ---- review progress

    def progress(self) -> Progress:
        c = self.conn
        statuses = dict(c.execute("SELECT status, count(*) FROM articles GROUP BY status"))
        per_day = [tuple(r) for r in c.execute(
            f"SELECT {_DAY} AS day, count(*) FROM articles "
            "WHERE status = 'approved' AND day IS NOT NULL GROUP BY day ORDER BY day")]
        per_reviewer = [tuple(r) for r in c.execute(
            f"SELECT reviewer, sum(status = 'approved'), sum(status = 'rejected') "
            f"FROM ({_DECISIONS}) GROUP BY reviewer ORDER BY count(*) DESC, reviewer")]
        per_reviewer_day = [tuple(r) for r in c.execute(
            f"SELECT day, reviewer, count(*) FROM ({_DECISIONS}) "
            "WHERE status = 'approved' AND day IS NOT NULL "
            "GROUP BY day, reviewer ORDER BY day, reviewer")]
        per_approver_day = [tuple(r) for r in c.execute(
            f"SELECT {_DAY} AS day, coalesce(reviewed_by, ''), count(*) FROM articles "
            "WHERE status = 'approved' AND day IS NOT NULL "
            "GROUP BY day, reviewed_by ORDER BY day, reviewed_by")]
        everyone: list[float] = []
        mine: dict[str, list[float]] = {}
        # Sorted by SQLite; the percentiles then pick by rank (SQLite has no percentile).
        for reviewer, seconds in c.execute(
                f"SELECT reviewer, seconds FROM ({_DECISIONS}) "
                "WHERE seconds IS NOT NULL ORDER BY seconds"):
            everyone.append(seconds)
            mine.setdefault(reviewer, []).append(seconds)
        return Progress(statuses, per_day, per_reviewer, per_reviewer_day, _spread(everyone),
                        {r: s for r, v in mine.items() if (s := _spread(v))},
                        per_approver_day)

    # ---- pre-annotation as judged

    def quality(self, kind: str = "judged") -> Quality:
        """Outcomes per (model, label) in approved articles (``core.store.summaries``);
        ``kind="rjudged"``: of relation suggestions, per (model, type)."""
        counts: dict[tuple[str, str], dict[str, int]] = {}
        undecided = 0
        totals: dict[str, int] = {}
        for model, label, outcome, n in summaries.totals(self.conn, kind):
            if outcome not in OUTCOMES:
                undecided += n
                continue
            counts.setdefault((model, label), dict.fromkeys(OUTCOMES, 0))[outcome] += n
            totals[model] = totals.get(model, 0) + n
        models = sorted(totals, key=lambda m: (-totals[m], m))
        return Quality(counts, models, undecided)

    # ---- countries × minerals

    def country_minerals(self) -> CountryMinerals:
        """Approved articles with a sentence naming a country and a mineral (a *fact*)."""
        cells = {(country, mineral): n
                 for country, mineral, _c, n in summaries.totals(self.conn, "fact")}
        by_country: dict[str, int] = {}
        by_mineral: dict[str, int] = {}
        for (country, mineral), n in cells.items():
            by_country[country] = by_country.get(country, 0) + n
            by_mineral[mineral] = by_mineral.get(mineral, 0) + n
        approved = self.conn.execute(
            "SELECT count(*) FROM articles WHERE status = 'approved'").fetchone()[0]
        return CountryMinerals(sorted(by_country, key=lambda k: (-by_country[k], k)),
                               sorted(by_mineral, key=lambda k: (-by_mineral[k], k)),
                               cells, approved)

    def articles_naming(self, country: str, mineral: str, limit: int = 200) -> list[int]:
        """The approved articles behind one cell of the map, newest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM article_stats f JOIN articles a ON a.id = f.article_id "
            "WHERE f.kind = 'fact' AND f.a = ? AND f.b = ? "
            "ORDER BY a.published DESC, a.id DESC LIMIT ?", (country, mineral, limit))]

    def cell_sentences(self, country: str, mineral: str, articles: int = 50) -> list[Sentence]:
        """The sentences behind one cell of the map: in the newest ``articles`` approved
        articles naming both, each sentence that names both (the project's facts rule)."""
        out: list[Sentence] = []
        for article_id in self.articles_naming(country, mineral, articles):
            title, published, text = self.conn.execute(
                "SELECT title, published, text FROM articles WHERE id = ?",
                (article_id,)).fetchone()
            spans = [make_span(row) for row in self.conn.execute(
                f"SELECT {SPAN_FIELDS} FROM spans WHERE article_id = ? "
                "AND state != 'rejected' ORDER BY start", (article_id,))]
            seen: set[int] = set()
            for f in self.facts(text, spans, None):
                if f.country_id == country and f.mineral.kb_id == mineral \
                        and f.start not in seen:
                    seen.add(f.start)
                    out.append(Sentence(article_id, title, published, f.start, f.end,
                                        text[f.start:f.end]))
        return out

    # ---- claims

    def claims(self) -> ClaimCounts:
        c = self.conn
        kept = "article_id NOT IN (SELECT id FROM articles WHERE status = 'rejected')"
        by_verdict = dict(c.execute("SELECT verdict, count(*) FROM claims "
                                    f"WHERE state = 'accepted' AND {kept} GROUP BY verdict"))
        suggested = c.execute("SELECT count(*) FROM claims WHERE state = 'suggested' "
                              f"AND {kept}").fetchone()[0]
        by_country = _nest((a, b, n) for a, b, _c, n in summaries.totals(c, "claim_country"))
        by_mineral = _nest((a, b, n) for a, b, _c, n in summaries.totals(c, "claim_mineral"))
        return ClaimCounts(by_verdict, suggested, by_country, by_mineral)

    # ---- topics

    def topics(self) -> TopicCounts:
        """Live topics per topic, state and month (``core.store.topic_statistics``)."""
        return topic_statistics(self.conn)

def _nest(rows: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, verdict, n in rows:
        out.setdefault(key, {})[verdict] = n
    return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))

