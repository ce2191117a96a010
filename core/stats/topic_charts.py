"""Articles per topic: how many articles each topic has (accepted solid, suggested and
undecided light, as the entities chart draws labels) and, beside it, a heat map of the
same articles per month of their date, empty months included (per year when the dates
span more than three years), with a *no date* column for articles without one.

The numbers are ``core.store.topic_statistics``'; drawn with matplotlib's object API like
``core.stats.charts`` (the statistics window's canvas, Save PNG and ``assay-cli report``).
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from core.stats.charts import (
    ACCEPTED_COLOUR,
    MIN_ROWS,
    SUGGESTED_SPAN_COLOUR,
    _empty,
    _figure,
    plain,
)
from core.store.topic_statistics import TopicCounts

MAX_MONTHS = 36  # more months than this are drawn per year
NO_DATE_TITLE = "no date"


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def periods(tc: TopicCounts) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The heat map's columns and each topic's live articles per column: every month from
    the first dated article's to the last's, empty ones too, so that columns are evenly
    spaced in time; every year instead when that is more than ``MAX_MONTHS`` months; then
    ``no date`` if any article has none."""
    dated = [m for m in tc.months() if _real_month(m)]
    months = _month_range(dated[0], dated[-1]) if dated else []
    yearly = len(months) > MAX_MONTHS
    columns = ([str(y) for y in range(int(dated[0][:4]), int(dated[-1][:4]) + 1)]
               if yearly else months)
    table: dict[str, dict[str, int]] = {}
    for topic in tc.topics:
        row: dict[str, int] = {}
        for month, n in tc.per_month.get(topic, {}).items():
            key = (NO_DATE_TITLE if not _real_month(month) else month[:4] if yearly
                   else month)
            row[key] = row.get(key, 0) + n
        table[topic] = row
    if any(NO_DATE_TITLE in row for row in table.values()):
        columns.append(NO_DATE_TITLE)
    return columns, table


def _real_month(month: str) -> bool:
    """``YYYY-MM`` with a month 01-12 (the store lets "2024-00" or "2024-19" through)."""
    return len(month) == 7 and month[5:].isdigit() and 1 <= int(month[5:]) <= 12


def _period_label(period: str) -> str:
    """``2024-03`` as ``Mar 2024``; a year or ``no date`` as it is."""
    if len(period) == 7 and period[4] == "-":
        names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                 "Nov", "Dec")
        month = int(period[5:])
        return f"{names[month - 1]} {period[:4]}" if 1 <= month <= 12 else period
    return period


def topics_figure(tc: TopicCounts | None, fig: Figure | None = None, width: float = 10.0,
                  height: float = 5.0) -> Figure:
    """Live articles per topic (left) and per topic and month (right)."""
    fig = _figure(fig, width, height)
    if tc is None or not tc.topics:
        _empty(fig.subplots(), "This project has no topics. Add them in Review → Labels….")
        return fig
    if not any(tc.live(t) for t in tc.topics):
        _empty(fig.subplots(), "No article has a topic yet. Press T in the review window "
               "to give the article open there its topics.")
        return fig
    bars_ax, map_ax = fig.subplots(1, 2, width_ratios=[1, 1.6])
    topics = tc.topics
    ys = range(len(topics))
    acc = [tc.by_state[t].get("accepted", 0) for t in topics]
    sug = [tc.by_state[t].get("suggested", 0) for t in topics]
    bars_ax.barh(ys, acc, color=ACCEPTED_COLOUR)
    bars_ax.barh(ys, sug, left=acc, color=SUGGESTED_SPAN_COLOUR)
    for i, (a, s) in enumerate(zip(acc, sug, strict=True)):
        bars_ax.annotate(f"{a + s:,}", (a + s, i), xytext=(3, 0), textcoords="offset points",
                         va="center", fontsize=7)
    names = [plain(t, 24) for t in topics]
    bars_ax.set_yticks(list(ys), names)
    bars_ax.set_ylim(max(len(topics), MIN_ROWS) - 0.5, -0.5)
    bars_ax.margins(x=0.25)
    bars_ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    bars_ax.tick_params(labelsize=8)
    bars_ax.set_xlabel("articles (topic not rejected)", fontsize=9)
    bars_ax.set_title(f"Articles per topic: {tc.articles:,} of {tc.total:,} have one",
                      fontsize=10)
    _per_period(map_ax, tc, topics)
    fig.legend(handles=[Patch(color=ACCEPTED_COLOUR, label="accepted"),
                        Patch(color=SUGGESTED_SPAN_COLOUR, label="suggested, undecided")],
               loc="outside upper center", ncols=2, fontsize=8, frameon=False)
    return fig


def _per_period(ax, tc: TopicCounts, topics: list[str]) -> None:
    columns, table = periods(tc)
    values = [[table[t].get(c, 0) for c in columns] for t in topics]
    peak = max((max(row) for row in values if row), default=0) or 1
    shown = [[v if v else math.nan for v in row] for row in values]
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=peak, aspect="auto", interpolation="nearest")
    step = max(1, math.ceil(len(columns) / 12))  # at most about 12 labels under the map
    ax.set_xticks(range(0, len(columns), step),
                  [_period_label(c) for c in columns][::step], rotation=40, ha="right",
                  rotation_mode="anchor")
    ax.set_yticks(range(len(topics)), [])
    ax.tick_params(labelsize=8)
    if len(columns) <= 18:  # room for the numbers in the cells
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v:
                    ax.text(j, i, f"{v:,}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.55 * peak else "#1f2328")
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(topics))], minor=True)
    ax.grid(which="minor", color="#e6e8eb", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_ylim(max(len(topics), MIN_ROWS) - 0.5, -0.5)
    per = "year" if columns and len(columns[0]) == 4 else "month"
    ax.set_title(f"Articles per topic and {per} of their date", fontsize=10)


def topics_summary(tc: TopicCounts | None) -> str:
    """One sentence for the window, the CLI and the report: ``312 of 1,000 articles have a
    topic; 420 accepted, 37 suggested and undecided, 12 rejected``."""
    if tc is None or not tc.topics:
        return "This project has no topics"
    states = {s: sum(tc.by_state[t].get(s, 0) for t in tc.topics)
              for s in ("accepted", "suggested", "rejected")}
    return (f"{tc.articles:,} of {tc.total:,} article{'' if tc.total == 1 else 's'} have a "
            f"topic; {states['accepted']:,} accepted, {states['suggested']:,} suggested and "
            f"undecided, {states['rejected']:,} rejected")
