"""Agreement as pictures: the pairwise span-F1 heat map and per-label F1 bars.

Made with matplotlib's object API (no pyplot, no global state, no Qt), so the same figure
is shown in the window (``gui.teams.agreement_view`` through the QtAgg canvas), saved as PNG,
and written as SVG into a report.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from core.text.normalise import chart_text


def pair_matrix(report: dict) -> tuple[list[str], list[list[float | None]]]:
    """Reviewers and their pairwise span F1 (1 on the diagonal, None where no articles)."""
    names = sorted({r for p in report["pairs"] for r in p["reviewers"]})
    index = {n: i for i, n in enumerate(names)}
    matrix: list[list[float | None]] = [[1.0 if i == j else None for j in range(len(names))]
                                        for i in range(len(names))]
    for p in report["pairs"]:
        a, b = (index[r] for r in p["reviewers"])
        matrix[a][b] = matrix[b][a] = p["span_f1"]
    return names, matrix


def label_f1(report: dict) -> dict[str, float]:
    """Per label, the mean over pairs of the exact span F1 (labels nobody used left out)."""
    seen: dict[str, list[float]] = {}
    for p in report["pairs"]:
        for label, f1 in p["per_label"].items():
            if f1 is not None:
                seen.setdefault(label, []).append(f1)
    return {label: sum(v) / len(v) for label, v in sorted(seen.items())}


def agreement_figure(report: dict, width: float = 9.0, height: float = 4.0) -> Figure:
    """Heat map (left) and per-label bars (right) of an ``agreement`` report."""
    fig = Figure(figsize=(width, height), layout="constrained")
    heat, bars = fig.subplots(1, 2, width_ratios=[1, 1.3])
    names, matrix = pair_matrix(report)
    values = [[float("nan") if v is None else v for v in row] for row in matrix]
    image = heat.imshow(values, vmin=0, vmax=1, cmap="viridis")
    # Reviewer names come from copies: one line each, drawn as written (no mathtext).
    shown = [chart_text(n, 30) for n in names]
    heat.set_xticks(range(len(names)), shown, rotation=45, ha="right")
    heat.set_yticks(range(len(names)), shown)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if v is not None:
                heat.text(j, i, f"{v:.2f}", ha="center", va="center",
                          color="black" if v > 0.6 else "white", fontsize=9)
    heat.set_title("Span F1 between reviewers")
    fig.colorbar(image, ax=heat, shrink=0.8)
    per_label = label_f1(report)
    labels = list(per_label)
    bars.barh(labels, [per_label[lb] for lb in labels], color="#4c78a8")
    bars.set_xlim(0, 1)
    bars.invert_yaxis()
    bars.set_title("Span F1 per label (mean over pairs)")
    for i, lb in enumerate(labels):
        bars.text(min(per_label[lb] + 0.02, 0.9), i, f"{per_label[lb]:.2f}", va="center",
                  fontsize=9)
    if not names:
        heat.set_axis_off()
        heat.text(0.5, 0.5, "No article was approved by two reviewers yet.",
                  ha="center", va="center", transform=heat.transAxes)
    return fig
