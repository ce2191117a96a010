"""Suggestion quality as a picture: per-label F1 of pre-annotators side by side.

matplotlib's object API (no pyplot, no Qt), like ``core.teams.charts``: the same figure is
shown in the window's model dialog, saved as PNG and drawn for ``docs/``.
"""

from __future__ import annotations

from matplotlib.figure import Figure

COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2")


def f1_bars(reports: dict[str, dict], title: str = "F1 per label on the dev split",
            width: float = 7.5, height: float = 4.8, fig: Figure | None = None) -> Figure:
    """Grouped horizontal bars: one group per label (micro last), one bar per report.

    ``reports`` maps a name ("trained 20261202-1530", "current: default") to a
    ``core.nlp.evaluate.score`` report; a label a report has no F1 for gets no bar.
    ``fig``: draw into this figure (cleared first), e.g. the one a window's canvas
    shows, so it keeps the canvas's size."""
    if fig is None:
        fig = Figure(figsize=(width, height), layout="constrained")
    else:
        fig.clear()
    ax = fig.subplots()
    # Names come from files a user may edit: "$" would start matplotlib's mathtext.
    reports = {name.replace("$", r"\$"): r for name, r in reports.items()}
    labels = sorted({lb for r in reports.values() for lb in r["labels"]})
    rows = [*labels, "micro"]
    n = max(len(reports), 1)
    bar = 0.8 / n
    for k, (name, report) in enumerate(reports.items()):
        values = [(report["labels"].get(lb) or {}).get("f") for lb in labels]
        values.append(report["micro"]["f"])
        ys = [i + (k - (n - 1) / 2) * bar for i in range(len(rows))]
        ax.barh([y for y, v in zip(ys, values, strict=True) if v is not None],
                [v for v in values if v is not None], height=bar,
                color=COLOURS[k % len(COLOURS)], label=name)
        for y, v in zip(ys, values, strict=True):
            if v is not None:
                ax.text(v + 0.01, y, f"{v:.2f}", va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)  # room for "1.00" after a full bar
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlabel("F1 (exact spans)")
    ax.set_title(title)
    if reports:  # above the plot, where it hides no bar
        fig.legend(loc="outside upper center", ncols=min(n, 2), fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "No scores yet", ha="center", va="center", transform=ax.transAxes)
    return fig


def learning_curve(points: dict[str, list[tuple[int, float]]], baseline: float | None = None,
                   target: float | None = None, width: float = 6.5,
                   height: float = 4.0) -> Figure:
    """Micro F1 on held-out text against the number of approved articles trained on, one
    line per ordering ("file order", "most uncertain first"), the default pipeline as a
    dashed line."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    for k, (name, pts) in enumerate(points.items()):
        xs, ys = zip(*pts, strict=True) if pts else ((), ())
        ax.plot(xs, ys, marker="o", color=COLOURS[k % len(COLOURS)], label=name)
        below = k % 2 == 1  # the first line's values above its points, the second's below
        for x, y in pts:
            ax.annotate(f"{y:.3f}", (x, y), textcoords="offset points",
                        xytext=(-6 if below else 6, -12 if below else 5),
                        ha="right" if below else "left", fontsize=7,
                        color=COLOURS[k % len(COLOURS)])
    if baseline is not None:
        ax.axhline(baseline, linestyle="--", color="grey", label=f"default {baseline:.3f}")
    if target is not None:
        ax.axhline(target, linestyle=":", color="#b279a2", label=f"target {target:.2f}")
    values = [y for pts in points.values() for _x, y in pts] + [
        v for v in (baseline, target) if v is not None]
    if values:  # at least 0.15 of F1 in view, so run-to-run noise does not look like a trend
        low, high = min(values), max(values)
        pad = max(0.0, 0.15 - (high - low)) / 2
        ax.set_ylim(max(0.0, low - pad - 0.01), min(1.0, high + pad + 0.01))
    ax.set_xticks(sorted({x for pts in points.values() for x, _y in pts}))
    ax.margins(x=0.08)
    ax.set_xlabel("approved articles trained on")
    ax.set_ylabel("micro F1 on held-out text")
    ax.set_title("Learning curve")
    ax.legend(fontsize=8, loc="lower right")
    return fig
