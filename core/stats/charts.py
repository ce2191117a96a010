"""The corpus in pictures: review progress, entities per label, the pre-annotation as the
reviewers judged it, countries × minerals, and claims by verdict.

The numbers are ``core.store.statistics``'; these draw them with matplotlib's object API
(no pyplot, no global state, no Qt), like ``core.teams.charts``, so the same figure is
shown in Review → Statistics (``gui.statistics.window``, through the QtAgg canvas), saved as
PNG, and written into ``assay-cli report``. ``fig=``: draw into this figure (cleared
first), e.g. the one a window's canvas shows, so it keeps the canvas's size.

Every name shown (reviewers, labels, models, countries, minerals) comes from a project
file and goes through :func:`plain`, so a ``$`` in it is a dollar sign, not mathtext.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, DayLocator
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from core.models import CLAIM_VERDICTS, SUGGESTED_CLAIM_COLOUR, VERDICT_COLOURS
from core.store.statistics import (
    OUTCOME_NAMES,
    OUTCOMES,
    ClaimCounts,
    CountryMinerals,
    Progress,
    Quality,
    Spread,
    suggested,
    summed,
)
from core.text.normalise import chart_text
from core.text.wording import counted

# Reviewers (and models) in turn; the first is the app's blue.
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b",
           "#ff9da6", "#9d755d")
OTHERS_COLOUR = "#bab0ac"
VERDICTS = CLAIM_VERDICTS
SUGGESTED_COLOUR = SUGGESTED_CLAIM_COLOUR
OUTCOME_COLOURS = {"kept": "#54a24b", "corrected": "#eeca3b", "rejected": "#e45756",
                   "added": "#4c78a8"}
ACCEPTED_COLOUR, SUGGESTED_SPAN_COLOUR = "#4c78a8", "#b9cfe6"
EMPTY_COLOUR = "#6b6f76"
MAX_REVIEWERS = 8  # stacked per day; the rest are "others"
MAX_BOXES = 10
MAX_MODELS = 4  # panels side by side

# ISO's names that read as an index entry ("Korea, Republic of"): what news calls them.
SHORT_COUNTRY_NAMES = {
    "BOL": "Bolivia", "COD": "DR Congo", "COG": "Congo", "IRN": "Iran", "KOR": "South Korea",
    "LAO": "Laos", "MDA": "Moldova", "PRK": "North Korea", "RUS": "Russia", "SYR": "Syria",
    "TZA": "Tanzania", "VEN": "Venezuela", "VNM": "Vietnam", "TWN": "Taiwan",
    "GBR": "United Kingdom", "USA": "United States",
}
MIN_ROWS = 5  # bar charts keep at least this many rows of height: no fat bars


def plain(name: object, limit: int = 0) -> str:
    """A name from a project as matplotlib should draw it: one line, ``$`` escaped (no
    mathtext), and at most ``limit`` characters (0: any) with an ellipsis."""
    return chart_text(str(name), limit)


def _figure(fig: Figure | None, width: float, height: float) -> Figure:
    if fig is None:
        return Figure(figsize=(width, height), layout="constrained")
    fig.clear()
    fig.set_layout_engine("constrained")
    return fig


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
            color=EMPTY_COLOUR, wrap=True)


def _seconds(x: float) -> str:
    if x < 90:
        return f"{x:.0f} s"
    if x < 5400:
        return f"{x / 60:.1f} min"
    return f"{x / 3600:.1f} h"


# ---- review progress

APPROVALS_NOTE = "an article approved by 3 reviewers counts 3 times"


def progress_figure(progress: Progress, fig: Figure | None = None, width: float = 10.0,
                    height: float = 5.0) -> Figure:
    """Articles approved per day, stacked by who approved them in the project (left), each
    reviewer's approvals when merged versions make them more than the articles (middle),
    and seconds per article per reviewer and overall as box plots (5th–95th percentile
    whiskers, right). The title counts articles, as the left chart does, so its number is
    the chart's total: "5 articles approved" never stands over 15 stacked approvals."""
    fig = _figure(fig, width, height)
    st = progress.statuses
    approved = st.get("approved", 0)
    if progress.approvals != approved:
        days_ax, who_ax, box_ax = fig.subplots(1, 3, width_ratios=[1.4, 0.8, 1])
        _approvals_by_reviewer(who_ax, progress)
    else:
        days_ax, box_ax = fig.subplots(1, 2, width_ratios=[1.6, 1])
    total = sum(st.values())
    fig.suptitle(f"{counted(approved, 'article', 'articles')} approved · "
                 f"{st.get('rejected', 0):,} rejected · "
                 f"{progress.remaining:,} to review ({st.get('pending', 0):,} pending, "
                 f"{st.get('skipped', 0):,} skipped) of {total:,} articles", fontsize=11)
    _per_day(days_ax, progress)
    _seconds_boxes(box_ax, progress)
    return fig


def _per_day(ax: Axes, progress: Progress) -> None:
    if not progress.per_day:
        _empty(ax, "No article approved yet.")
        return
    totals: dict[str, int] = {}
    for _day, reviewer, n in progress.per_approver_day:
        totals[reviewer] = totals.get(reviewer, 0) + n
    order = sorted(totals, key=lambda r: (-totals[r], r))
    shown = order[:MAX_REVIEWERS] if len(order) > MAX_REVIEWERS + 1 else order
    series: dict[str, dict[str, int]] = {}
    for day, reviewer, n in progress.per_approver_day:
        key = reviewer if reviewer in shown else "others"
        row = series.setdefault(key, {})
        row[day] = row.get(day, 0) + n
    if len(series) < 2:  # one reviewer (or none recorded): the project's own count
        series = {"": dict(progress.per_day)}
    days = sorted({d for row in series.values() for d in row})
    xs = [date.fromisoformat(d) for d in days]
    bottom = [0] * len(days)
    names = [k for k in [*shown, "others", ""] if k in series]
    for k, name in enumerate(names):
        heights = [series[name].get(d, 0) for d in days]
        colour = OTHERS_COLOUR if name == "others" else PALETTE[k % len(PALETTE)]
        # Dates are what matplotlib's units convert (matplotlib.dates); its stubs say float.
        ax.bar(xs, heights, bottom=bottom, width=0.8, color=colour,  # type: ignore[arg-type]
               label=plain(name, 24) if name else None)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    span = (xs[-1] - xs[0]).days
    if span < 12:  # a few days: one tick a day (or every other), a day of room each side
        ax.xaxis.set_major_locator(DayLocator(interval=1 if span < 7 else 2))
        ax.xaxis.set_major_formatter(DateFormatter("%b %d"))
        ax.set_xlim(xs[0] - timedelta(days=1), xs[-1] + timedelta(days=1))  # type: ignore[arg-type]
    else:
        locator = AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("articles approved")
    ax.set_title(f"Articles approved per day ({len(days)} day{'s' if len(days) != 1 else ''}"
                 ", UTC)", fontsize=10)
    if len(names) > 1:  # in rows above the bars, with room made for them
        # ax.figure.figure: the root figure (a subfigure has no width of its own)
        ncols = min(len(names), 5 if ax.figure.figure.get_figwidth() > 7 else 3)
        ax.legend(fontsize=8, ncols=ncols, frameon=False, loc="upper left",
                  handlelength=1, columnspacing=1)
        rows = -(-len(names) // ncols)
        ax.set_ylim(top=max(bottom) * (1.12 + 0.1 * rows))


def _approvals_by_reviewer(ax: Axes, progress: Progress) -> None:
    """Each reviewer's approvals, merged versions included, as horizontal bars."""
    rows = [(r, a) for r, a, _j in progress.per_reviewer if a][:MAX_BOXES]
    if not rows:
        _empty(ax, "No approvals yet.")
        return
    ys = range(len(rows))
    ax.barh(ys, [a for _r, a in rows], color=PALETTE[0])
    for i, (_r, a) in enumerate(rows):
        ax.annotate(f"{a:,}", (a, i), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_yticks(list(ys), [plain(r, 18) for r, _a in rows])
    ax.set_ylim(max(len(rows), MIN_ROWS) - 0.5, -0.5)
    ax.margins(x=0.25)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.tick_params(labelsize=8)
    ax.set_xlabel("approvals", fontsize=9)
    # The note in short lines: the panel is a third of the figure, beside the per-day title.
    note = "\n".join(textwrap.wrap(f"({APPROVALS_NOTE})", 26))
    ax.set_title(f"Approvals by reviewer: {progress.approvals:,}\n{note}", fontsize=9)


def _seconds_boxes(ax: Axes, progress: Progress) -> None:
    overall = progress.seconds
    if overall is None:
        _empty(ax, "No review times stored yet.")
        return
    rows: list[tuple[str, Spread]] = []
    by = sorted(progress.seconds_by_reviewer.items(), key=lambda kv: (-kv[1].n, kv[0]))
    if len(by) > 1:
        rows.append(("everyone", overall))
    rows += [(plain(r, 18), s) for r, s in by[:MAX_BOXES]]
    if len(by) > MAX_BOXES:
        ax.text(1, -0.12, f"{len(by) - MAX_BOXES} more reviewers not shown", ha="right",
                transform=ax.transAxes, fontsize=7, color=EMPTY_COLOUR)
    stats = [{"label": f"{name} (n={s.n:,})", "med": s.median, "q1": s.q1, "q3": s.q3,
              "whislo": s.low, "whishi": s.high} for name, s in rows]
    ax.bxp(stats, orientation="horizontal", showfliers=False, patch_artist=True,
           boxprops={"facecolor": "#dbe6f1", "edgecolor": "#4c78a8"},
           medianprops={"color": "#d0473f", "linewidth": 2}, widths=0.6)
    lo = min(s.low for _n, s in rows)
    hi = max(s.high for _n, s in rows)
    if lo > 0 and hi / lo > 30:
        ax.set_xscale("log")
    for i, (_name, s) in enumerate(rows, start=1):
        ax.annotate(_seconds(s.median), (s.high, i), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    # Room right of the longest whisker for its median label ("3.8 min").
    ax.set_xlim(right=hi * 2 if ax.get_xscale() == "log" else hi + (hi - min(lo, 0)) * 0.24)
    ax.invert_yaxis()
    ax.set_xlabel("seconds per article")
    ax.set_title(f"Time per article (median {_seconds(overall.median)})", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)


# ---- entities

def entities_figure(counts: dict[str, int], accepted: dict[str, int], fig: Figure | None = None,
                    width: float = 8.0, height: float = 4.5) -> Figure:
    """Live entities per label (``project.counts_by_label()``), the accepted part solid and
    the suggestions still to decide light."""
    fig = _figure(fig, width, height)
    ax = fig.subplots()
    labels = list(counts)
    if not labels or not any(counts.values()):
        _empty(ax, "No entities yet.")
        return fig
    acc = [accepted.get(lb, 0) for lb in labels]
    sug = [max(0, counts[lb] - a) for lb, a in zip(labels, acc, strict=True)]
    ys = range(len(labels))
    ax.barh(ys, acc, color=ACCEPTED_COLOUR, label="accepted")
    ax.barh(ys, sug, left=acc, color=SUGGESTED_SPAN_COLOUR, label="suggested, undecided")
    for i, lb in enumerate(labels):
        n = counts[lb]
        share = f" ({acc[i] / n:.0%})" if n else ""
        ax.annotate(f"{n:,}{share}", (n, i), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_yticks(list(ys), [plain(lb, 20) for lb in labels])
    ax.set_ylim(max(len(labels), MIN_ROWS) - 0.5, -0.5)
    ax.margins(x=0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.tick_params(labelsize=8)
    ax.set_xlabel("entities (not rejected)", fontsize=9)
    total, done = sum(counts.values()), sum(acc)
    ax.set_title(f"Entities per label: {total:,}, {done / total:.0%} accepted", fontsize=10)
    fig.legend(handles=[Patch(color=ACCEPTED_COLOUR, label="accepted"),
                        Patch(color=SUGGESTED_SPAN_COLOUR, label="suggested, undecided")],
               loc="outside upper center", ncols=2, fontsize=8, frameon=False)
    return fig


RELATION_COLOURS = {"accepted": ACCEPTED_COLOUR, "suggested": SUGGESTED_SPAN_COLOUR,
                    "rejected": "#d0473f"}


def relations_figure(relations: dict[str, dict[str, int]], fig: Figure | None = None,
                     width: float = 8.0, height: float = 4.5) -> Figure:
    """Relations per type (``core.stats.numbers.relations_by_type``): accepted solid,
    suggested light, rejected red, side by side in one bar per type."""
    fig = _figure(fig, width, height)
    ax = fig.subplots()
    kinds = list(relations)
    if not kinds or not any(sum(by.values()) for by in relations.values()):
        _empty(ax, "No relations yet.")
        return fig
    ys = range(len(kinds))
    left = [0] * len(kinds)
    for state, colour in RELATION_COLOURS.items():
        widths = [relations[k].get(state, 0) for k in kinds]
        ax.barh(ys, widths, left=left, color=colour, label=state)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for i, n in enumerate(left):
        ax.annotate(f"{n:,}", (n, i), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_yticks(list(ys), [plain(k, 20) for k in kinds])
    ax.set_ylim(max(len(kinds), MIN_ROWS) - 0.5, -0.5)
    ax.margins(x=0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.tick_params(labelsize=8)
    ax.set_xlabel("relations", fontsize=9)
    ax.set_title(f"Relations per type: {sum(left):,}", fontsize=10)
    fig.legend(handles=[Patch(color=c, label=s) for s, c in RELATION_COLOURS.items()],
               loc="outside upper center", ncols=3, fontsize=8, frameon=False)
    return fig


# ---- pre-annotation as judged

def model_name(model: str | None) -> str:
    return "all models" if model is None else (model or "no model recorded")


def quality_figure(quality: Quality, model: str | None = None, fig: Figure | None = None,
                   width: float = 10.0, height: float = 4.8) -> Figure:
    """Per label, what became of the suggestions in approved articles: kept as suggested,
    corrected (bounds or label), rejected, and the entities reviewers added that nothing
    suggested, as shares of the row (100 % bars). ``model``: that model only; None: one
    panel per model (the first four) when there were several."""
    fig = _figure(fig, width, height)
    models: list[str | None] = [model] if model is not None else (
        list(quality.models[:MAX_MODELS]) if len(quality.models) > 1 else [None])
    axes = fig.subplots(1, len(models), squeeze=False)[0]
    drawn = False
    order = list(quality.per_label()) if len(models) > 1 else None  # the same rows in each
    for ax, m in zip(axes, models, strict=True):
        drawn |= _quality_panel(ax, quality.per_label(m), m if len(quality.models) > 1 else None,
                                order)
    if drawn:
        handles = [Patch(color=OUTCOME_COLOURS[k], label=OUTCOME_NAMES[k]) for k in OUTCOMES]
        wide = fig.get_figwidth() > 7.5  # one row when it fits, else two
        fig.legend(handles=handles, loc="outside upper center",
                   ncols=len(OUTCOMES) if wide else 2, fontsize=8, frameon=False)
    notes = []
    if model is None and len(quality.models) > MAX_MODELS:
        notes.append(f"{len(quality.models) - MAX_MODELS} more models not shown")
    if quality.undecided:
        notes.append(f"{quality.undecided:,} suggestions in approved articles still undecided")
    if notes:
        fig.text(0.99, 0.005, " · ".join(notes), ha="right", va="bottom", fontsize=7,
                 color=EMPTY_COLOUR)
    return fig


def _quality_panel(ax: Axes, rows: dict[str, dict[str, int]], model: str | None,
                   order: list[str] | None = None) -> bool:
    title = plain(model_name(model), 24)
    if not any(sum(r.values()) for r in rows.values()):
        _empty(ax, "No approved article with suggestions yet.")
        ax.set_title(title)
        return False
    labels = order if order is not None else [lb for lb, r in rows.items() if sum(r.values())]
    rows = {lb: rows.get(lb) or dict.fromkeys(OUTCOMES, 0) for lb in labels}
    totals = {lb: sum(r.values()) for lb, r in rows.items()}
    left = [0.0] * len(labels)
    for k in OUTCOMES:
        shares = [rows[lb][k] / totals[lb] if totals[lb] else 0.0 for lb in labels]
        ax.barh(range(len(labels)), shares, left=left, color=OUTCOME_COLOURS[k], height=0.7)
        for i, s in enumerate(shares):
            if s >= 0.07:
                ax.text(left[i] + s / 2, i, f"{s:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if k in ("rejected", "added", "kept") else "black")
        left = [a + s for a, s in zip(left, shares, strict=True)]
    ax.set_yticks(range(len(labels)),
                  [f"{plain(lb, 16)}  ({totals[lb]:,})" for lb in labels])
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylim(max(len(labels), MIN_ROWS) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="x", labelsize=8)
    sums = summed(rows)
    made = suggested(sums)
    share = f" · {sums['kept'] / made:.0%} kept" if made else ""
    ax.set_title(f"{title}: {made:,} suggestions{share}", fontsize=10)
    return True


# ---- countries × minerals

def country_mineral_figure(cm: CountryMinerals, names: dict[str, str], top: int = 15,
                           fig: Figure | None = None, width: float = 10.0,
                           height: float = 5.5) -> Figure:
    """A heat map of approved articles per (country, mineral), the ``top`` countries (rows)
    and minerals (columns) with the most articles. The heat map's Axes keeps its rows and
    columns as ``_assay_cells`` for :func:`cell_at`."""
    fig = _figure(fig, width, height)
    ax = fig.subplots()
    countries, minerals = cm.countries[:top], cm.minerals[:top]
    ax._assay_cells = (countries, minerals)  # type: ignore[attr-defined]
    if not countries or not minerals:
        _empty(ax, "No approved article names a country and a mineral in one sentence yet."
               if cm.articles else "No article approved yet.")
        return fig
    values = [[cm.cells.get((c, m), 0) for m in minerals] for c in countries]
    peak = max(max(row) for row in values) or 1
    shown = [[v if v else math.nan for v in row] for row in values]  # empty cells stay white
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=peak, aspect="auto",
                      interpolation="nearest")
    ax.set_xticks(range(len(minerals)), [plain(names.get(m, m), 18) for m in minerals],
                  rotation=40, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(countries)), [plain(names.get(c, c), 22) for c in countries])
    ax.tick_params(labelsize=8)
    small = 7 if len(minerals) > 10 or len(countries) > 10 else 8
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, f"{v:,}", ha="center", va="center", fontsize=small,
                        color="white" if v > 0.55 * peak else "#1f2328")
    ax.set_xticks([x - 0.5 for x in range(1, len(minerals))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(countries))], minor=True)
    ax.grid(which="minor", color="#e6e8eb", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, shrink=0.85, pad=0.01)
    bar.set_label("approved articles", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    of = (f" (top {len(countries)} of {len(cm.countries)} countries, {len(minerals)} of "
          f"{len(cm.minerals)} minerals)" if len(cm.countries) > top or len(cm.minerals) > top
          else "")
    ax.set_title(f"Approved articles with a sentence naming both{of}", fontsize=10)
    return fig


def cell_at(ax: Axes | None, x: float | None, y: float | None) -> tuple[str, str] | None:
    """The (country, mineral) of the heat-map cell at data coordinates (x, y) of ``ax``
    (a click's ``event.inaxes``, ``event.xdata``, ``event.ydata``); None off the map."""
    cells = getattr(ax, "_assay_cells", None)
    if cells is None or x is None or y is None:
        return None
    countries, minerals = cells
    i, j = math.floor(y + 0.5), math.floor(x + 0.5)
    if 0 <= i < len(countries) and 0 <= j < len(minerals):
        return countries[i], minerals[j]
    return None


# ---- claims

def claims_figure(claims: ClaimCounts, names: dict[str, str], top: int = 12,
                  fig: Figure | None = None, width: float = 10.0,
                  height: float = 5.5) -> Figure:
    """Accepted claims per verdict (and the suggestions nobody decided), and the claims
    naming each country and each mineral, stacked by verdict, in the article view's
    verdict colours."""
    fig = _figure(fig, width, height)
    axes = fig.subplot_mosaic([["verdict", "country", "mineral"]], width_ratios=[0.8, 1, 1])
    ax = axes["verdict"]
    rows = [(v, claims.by_verdict.get(v, 0), VERDICT_COLOURS[v]) for v in VERDICTS]
    rows.append(("suggested", claims.suggested, SUGGESTED_COLOUR))
    if not any(n for _v, n, _c in rows):
        _empty(ax, "No claims yet.")
    else:
        ax.barh(range(len(rows)), [n for _v, n, _c in rows], color=[c for _v, _n, c in rows])
        for i, (_v, n, _c) in enumerate(rows):
            ax.annotate(f"{n:,}", (n, i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(range(len(rows)), [v for v, _n, _c in rows])
        ax.invert_yaxis()
        ax.margins(x=0.2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.set_title(f"{sum(claims.by_verdict.values()):,} claims by verdict", fontsize=10)
    _stacked_verdicts(axes["country"], claims.by_country, names, top, "countries")
    _stacked_verdicts(axes["mineral"], claims.by_mineral, names, top, "minerals")
    for a in axes.values():
        a.tick_params(labelsize=8)
    if claims.by_country or claims.by_mineral:
        handles = [Patch(color=VERDICT_COLOURS[v], label=v) for v in VERDICTS]
        fig.legend(handles=handles, loc="outside upper center", ncols=len(VERDICTS),
                   fontsize=8, frameon=False)
    return fig


def _stacked_verdicts(ax: Axes, rows: dict[str, dict[str, int]], names: dict[str, str],
                      top: int, what: str) -> None:
    keys = list(rows)[:top]
    if not keys:
        _empty(ax, f"No claim names {what[:-1] if what == 'minerals' else 'a country'}.")
        return
    left = [0] * len(keys)
    for v in VERDICTS:
        ns = [rows[k].get(v, 0) for k in keys]
        ax.barh(range(len(keys)), ns, left=left, color=VERDICT_COLOURS[v], height=0.7)
        left = [a + n for a, n in zip(left, ns, strict=True)]
    for i, n in enumerate(left):
        ax.annotate(f"{n:,}", (n, i), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=7)
    ax.set_yticks(range(len(keys)), [plain(names.get(k, k), 20) for k in keys])
    ax.set_ylim(max(len(keys), MIN_ROWS) - 0.5, -0.5)
    ax.margins(x=0.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    more = f" (top {len(keys)} of {len(rows)})" if len(rows) > len(keys) else ""
    ax.set_title(f"Claims per {what[:-1] if what == 'minerals' else 'country'}{more}",
                 fontsize=10)


# ---- names

def display_names(project, ids: Iterable[str]) -> dict[str, str]:
    """Country alpha-3 codes and mineral ids → their names (the gazetteers, pycountry, and
    the project's own canonical entries), falling back to the id."""
    linker = project.linker()
    out: dict[str, str] = {}
    for kb_id in ids:
        entry = linker.entry("MINERAL", kb_id) or linker.entry("GPE", kb_id)
        if entry is not None and entry.source == "built-in" and kb_id in SHORT_COUNTRY_NAMES:
            out[kb_id] = SHORT_COUNTRY_NAMES[kb_id]
        else:
            out[kb_id] = entry.name if entry is not None and entry.name else kb_id
    return out


def ids_of(cm: CountryMinerals | None = None, claims: ClaimCounts | None = None) -> list[str]:
    """Every country and mineral id the figures name (to pass to :func:`display_names`)."""
    found: dict[str, None] = {}
    if cm is not None:
        found.update(dict.fromkeys([*cm.countries, *cm.minerals]))
    if claims is not None:
        found.update(dict.fromkeys([*claims.by_country, *claims.by_mineral]))
    return list(found)

