"""The corpus in numbers: review progress, pre-annotation as reviewers judged it, which
countries the approved articles put beside which minerals, and claims by verdict.

Every figure is one SQL query (grouped and counted by SQLite, through the indexes of
schema v5, v8 and v9), so the statistics window and ``assay-cli report`` cost the same
few reads on 100 articles and on 100,000. Nothing here writes.

A *decision* is one person's approval or rejection of one article: the project's own
(``articles.reviewed_by``) and, in a lead's project, each reviewer's merged version
(``versions``). The per-reviewer numbers count both; the per-day approvals count the
project's articles.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.nlp.linking import country_of

COUNTRY_LABELS = ("GPE", "NORP")
MACHINE_ORIGINS = ("model", "rules")

# What became of each span a pre-annotator made, and of each a reviewer added, judged
# in approved articles. The one definition of "accepted as suggested" and "corrected":
# a suggestion keeps what the model gave it in ``suggested_*`` (schema v9), a reviewer's
# edits change only ``start``/``end``/``label``.
OUTCOMES = ("kept", "corrected", "rejected", "added")
OUTCOME_NAMES = {"kept": "accepted as suggested", "corrected": "corrected (bounds or label)",
                 "rejected": "rejected", "added": "added by a reviewer"}
_OUTCOME_SQL = """CASE
    WHEN s.origin IN ('model', 'rules') AND s.state = 'rejected' THEN 'rejected'
    WHEN s.origin IN ('model', 'rules') AND s.state = 'suggested' THEN 'undecided'
    WHEN s.origin IN ('model', 'rules') AND s.start = s.suggested_start
         AND s."end" = s.suggested_end AND s.label = s.suggested_label THEN 'kept'
    WHEN s.origin IN ('model', 'rules') THEN 'corrected'
    WHEN s.origin = 'reviewer' AND s.state = 'accepted' THEN 'added'
  END"""

_DECISIONS = """SELECT reviewed_by AS reviewer, reviewed_at, review_seconds, status
  FROM articles WHERE status IN ('approved', 'rejected') AND reviewed_by IS NOT NULL
UNION ALL
SELECT reviewer, reviewed_at, review_seconds, status
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
    per_reviewer_day: list[tuple[str, str, int]]  # (day, reviewer, approved)
    seconds: Spread | None
    seconds_by_reviewer: dict[str, Spread] = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        return self.statuses.get("pending", 0) + self.statuses.get("skipped", 0)


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


@dataclass
class CountryMinerals:
    """Approved articles naming a country (its id, or a province's) and a linked mineral."""

    countries: list[str]  # ISO alpha-3, most articles first
    minerals: list[str]  # mineral ids, most articles first
    cells: dict[tuple[str, str], int]  # (country, mineral) -> approved articles
    articles: int  # approved articles in all


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

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # ---- review progress

    def progress(self) -> Progress:
        c = self.conn
        statuses = dict(c.execute("SELECT status, count(*) FROM articles GROUP BY status"))
        per_day = [tuple(r) for r in c.execute(
            "SELECT substr(reviewed_at, 1, 10) AS day, count(*) FROM articles "
            "WHERE status = 'approved' AND reviewed_at IS NOT NULL GROUP BY day ORDER BY day")]
        per_reviewer = [tuple(r) for r in c.execute(
            f"SELECT reviewer, sum(status = 'approved'), sum(status = 'rejected') "
            f"FROM ({_DECISIONS}) GROUP BY reviewer ORDER BY count(*) DESC, reviewer")]
        per_reviewer_day = [tuple(r) for r in c.execute(
            f"SELECT substr(reviewed_at, 1, 10) AS day, reviewer, count(*) FROM ({_DECISIONS}) "
            "WHERE status = 'approved' AND reviewed_at IS NOT NULL "
            "GROUP BY day, reviewer ORDER BY day, reviewer")]
        everyone: list[float] = []
        mine: dict[str, list[float]] = {}
        # Sorted by SQLite; the percentiles then pick by rank (SQLite has no percentile).
        for reviewer, seconds in c.execute(
                f"SELECT reviewer, review_seconds FROM ({_DECISIONS}) "
                "WHERE review_seconds > 0 ORDER BY review_seconds"):
            everyone.append(seconds)
            mine.setdefault(reviewer, []).append(seconds)
        return Progress(statuses, per_day, per_reviewer, per_reviewer_day, _spread(everyone),
                        {r: s for r, v in mine.items() if (s := _spread(v))})

    # ---- pre-annotation as judged

    def quality(self) -> Quality:
        counts: dict[tuple[str, str], dict[str, int]] = {}
        undecided = 0
        totals: dict[str, int] = {}
        for model, label, outcome, n in self.conn.execute(
                f"SELECT COALESCE(s.model, a.model, ''), COALESCE(s.suggested_label, s.label), "
                f"{_OUTCOME_SQL} AS outcome, count(*) FROM spans s "
                "JOIN articles a ON a.id = s.article_id WHERE a.status = 'approved' "
                "AND s.origin IN ('model', 'rules', 'reviewer') GROUP BY 1, 2, 3"):
            if outcome == "undecided":
                undecided += n
            if outcome not in OUTCOMES:  # undecided, or a reviewer's own rejected span
                continue
            counts.setdefault((model, label), dict.fromkeys(OUTCOMES, 0))[outcome] += n
            totals[model] = totals.get(model, 0) + n
        models = sorted(totals, key=lambda m: (-totals[m], m))
        return Quality(counts, models, undecided)

    # ---- countries × minerals

    def _places(self) -> list[tuple[str, str]]:
        """(place id, its country) for every country or province id the spans use."""
        rows = self.conn.execute(
            "SELECT DISTINCT kb_id FROM spans WHERE kb_id IS NOT NULL AND kb_id NOT LIKE '%:%'")
        return [(kb, country) for (kb,) in rows if (country := country_of(kb))]

    def _with_places(self, sql: str) -> tuple[str, list[str]]:
        """``sql`` preceded by a ``place(kb_id, country)`` table of the ids in use."""
        places = self._places() or [("", "")]
        values = ", ".join("(?, ?)" for _ in places)
        return (f"WITH place(kb_id, country) AS (VALUES {values}) {sql}",
                [v for pair in places for v in pair])

    def country_minerals(self) -> CountryMinerals:
        sql, params = self._with_places(
            "SELECT p.country, m.kb_id, count(DISTINCT a.id) FROM articles a "
            "JOIN spans c ON c.article_id = a.id JOIN place p ON p.kb_id = c.kb_id "
            "JOIN spans m ON m.article_id = a.id "
            f"WHERE a.status = 'approved' AND c.label IN {COUNTRY_LABELS} "
            "AND c.state != 'rejected' AND m.label = 'MINERAL' AND m.state != 'rejected' "
            "AND m.kb_id IS NOT NULL GROUP BY 1, 2")
        cells = {(country, mineral): n for country, mineral, n in self.conn.execute(sql, params)}
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
        """Approved articles that name ``country`` (or one of its provinces) and
        ``mineral``, newest first: the articles behind one cell of the map."""
        sql, params = self._with_places(
            "SELECT DISTINCT a.id FROM articles a JOIN spans c ON c.article_id = a.id "
            "JOIN place p ON p.kb_id = c.kb_id JOIN spans m ON m.article_id = a.id "
            f"WHERE a.status = 'approved' AND p.country = ? AND c.label IN {COUNTRY_LABELS} "
            "AND c.state != 'rejected' AND m.label = 'MINERAL' AND m.state != 'rejected' "
            "AND m.kb_id = ? ORDER BY a.published DESC, a.id DESC LIMIT ?")
        return [r[0] for r in self.conn.execute(sql, [*params, country, mineral, limit])]

    # ---- claims

    def claims(self) -> ClaimCounts:
        c = self.conn
        by_verdict = dict(c.execute("SELECT verdict, count(*) FROM claims "
                                    "WHERE state = 'accepted' GROUP BY verdict"))
        suggested = c.execute("SELECT count(*) FROM claims WHERE state = 'suggested'").fetchone()[0]
        inside = ("FROM claims k JOIN spans s ON s.article_id = k.article_id "
                  "AND s.start >= k.start AND s.\"end\" <= k.\"end\" AND s.state != 'rejected'")
        sql, params = self._with_places(
            f"SELECT p.country, k.verdict, count(DISTINCT k.id) {inside} "
            "JOIN place p ON p.kb_id = s.kb_id "
            f"WHERE k.state = 'accepted' AND s.label IN {COUNTRY_LABELS} GROUP BY 1, 2")
        by_country = _nest(c.execute(sql, params))
        by_mineral = _nest(c.execute(
            f"SELECT s.kb_id, k.verdict, count(DISTINCT k.id) {inside} "
            "WHERE k.state = 'accepted' AND s.label = 'MINERAL' AND s.kb_id IS NOT NULL "
            "GROUP BY 1, 2"))
        return ClaimCounts(by_verdict, suggested, by_country, by_mineral)


def _nest(rows: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, verdict, n in rows:
        out.setdefault(key, {})[verdict] = n
    return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))

