"""The supply-chain map drawn with matplotlib's object API (no pyplot, no Qt): the same
figure in Review → Supply-chain map (QtAgg canvas), the SVG of ``assay-cli map`` and the
HTML report. Stages are columns (``core.stats.chain_layout``); an edge is an arrow in its
type's colour, as thick as the articles stating it are many. Every name goes through
``core.stats.charts.plain`` (a ``$`` is a dollar sign)."""

from __future__ import annotations

import math
import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from core.stats.chain_layout import TITLES, Layout, staged
from core.stats.chain_map import ChainMap, EdgeKey
from core.stats.charts import _empty, _figure, plain

KIND_COLOURS = {"country": "#4c78a8", "mineral": "#e45756", "organisation": "#54a24b",
                "place": "#72b7b2"}
OTHER_KIND_COLOUR = "#9d755d"
HIGHLIGHT = "#f58518"
MAX_EDGES = 80


def chain_figure(cmap: ChainMap, fig: Figure | None = None, width: float = 10.0,
                 height: float = 6.0, selected: EdgeKey | None = None,
                 node: str | None = None, per_stage: int | None = None,
                 max_edges: int = MAX_EDGES) -> Figure:
    """The map; ``selected``: an edge drawn highlighted (always drawn), ``node``: a node
    ringed. ``per_stage``: nodes per column (None: as many as the height holds, about
    one per 22 pixels); only the ``max_edges`` heaviest edges are drawn (the window's list
    and the files have them all)."""
    fig = _figure(fig, width, height)
    if per_stage is None:
        per_stage = max(4, min(16, int(fig.get_size_inches()[1] * fig.dpi / 22) - 3))
    ax = fig.add_subplot()
    ax.set_axis_off()
    if not cmap.edges:
        ax.set_axis_on()
        _empty(ax, "No relations to map: approve articles with relations, or widen the "
               "filters.")
        return fig
    layout = staged(cmap, per_stage)
    bends: dict[EdgeKey, float] = {}  # each drawn edge's arc3 bend, for item_at
    ax._assay_chain = (layout, cmap, bends)  # type: ignore[attr-defined]
    ncol = len(layout.columns)
    rows = max(layout.rows, 3)
    ax.set_xlim(-0.25, ncol - 0.25)  # room for the last column's names, to the right
    ax.set_ylim(rows + 0.1, -1.1)
    pos = layout.positions
    heaviest = max(e.weight for e in cmap.edges)
    between: dict[frozenset[str], int] = {}  # edges drawn so far between two nodes
    shown = [e for e in cmap.edges if e.head in pos and e.tail in pos]
    drawn = shown[:max_edges] + [e for e in shown[max_edges:] if e.key == selected]
    if len(drawn) < len(cmap.edges):
        ax.text(-0.3, rows, f"The heaviest {len(drawn):,} of {len(cmap.edges):,} relations "
                "are drawn.", fontsize=7, color="#555555", style="italic", va="bottom")
    for e in drawn:
        chosen = selected == e.key
        (x1, y1), (x2, y2) = pos[e.head], pos[e.tail]
        same = x1 == x2
        nth = between.get(frozenset((e.head, e.tail)), 0)
        between[frozenset((e.head, e.tail))] = nth + 1
        rad = (0.35 if same else 0.06) + 0.14 * nth  # parallel edges fan out
        bends[e.key] = rad
        width_pt = 0.6 + 3.4 * math.sqrt(e.weight / heaviest)
        arrow = FancyArrowPatch(
            (x1, y1), (x2, y2), connectionstyle=f"arc3,rad={rad}",
            arrowstyle="-" if e.type in cmap.symmetric else "-|>", mutation_scale=9,
            color=HIGHLIGHT if chosen else cmap.colours.get(e.type, "#888888"),
            linewidth=width_pt + (2 if chosen else 0), alpha=1.0 if chosen else 0.65,
            shrinkA=6, shrinkB=6, zorder=4 if chosen else 2)
        ax.add_patch(arrow)
    _draw_nodes(ax, cmap, layout, node)
    _legend(ax, cmap, fig)
    return fig


def _draw_nodes(ax: Axes, cmap: ChainMap, layout: Layout, ringed: str | None) -> None:
    heaviest = max((n.weight for n in cmap.nodes.values()), default=1) or 1
    ncol = len(layout.columns)
    limit = 24 if ncol <= 4 else 16
    for x, (stage, keys) in enumerate(layout.columns):
        title = textwrap.fill(TITLES[stage], 14)  # "Reserves and / production"
        ax.text(x, -0.75, title, ha="center", va="bottom", fontsize=9, fontweight="bold",
                color="#333333")
        if stage in layout.hidden:
            ax.text(x, layout.rows - 0.35, f"and {layout.hidden[stage]:,} more", ha="center",
                    va="top", fontsize=7, color="#666666", style="italic")
        for key in keys:
            n = cmap.nodes[key]
            px, py = layout.positions[key]
            size = 30 + 170 * math.sqrt(n.weight / heaviest)
            ax.scatter([px], [py], s=size, color=KIND_COLOURS.get(n.kind, OTHER_KIND_COLOUR),
                       edgecolors=HIGHLIGHT if key in (ringed, cmap.mineral) else "white",
                       linewidths=2.2 if key in (ringed, cmap.mineral) else 0.8, zorder=5)
            ax.annotate(plain(n.name, limit), (px, py), xytext=(7, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=7.5,
                        zorder=7, color="#111111",
                        bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none",
                              "alpha": 0.75})


def _legend(ax: Axes, cmap: ChainMap, fig: Figure) -> None:
    shown = list(dict.fromkeys(e.type for e in cmap.edges))
    handles = [Line2D([], [], color=cmap.colours.get(t, "#888888"), linewidth=2.5, label=t)
               for t in shown]
    handles += [Line2D([], [], marker="o", linestyle="", color=c, label=k)
                for k, c in KIND_COLOURS.items()
                if any(n.kind == k for n in cmap.nodes.values())]
    per_row = max(3, int(fig.get_size_inches()[0] / 1.25))  # about 1.25 inches an entry
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), per_row),
               fontsize=7.5, frameon=False)


def edge_points(ax: Axes, a: tuple[float, float], b: tuple[float, float], rad: float,
                steps: int = 24) -> list[tuple[float, float]]:
    """Points along an edge in display pixels: the quadratic curve matplotlib's
    ``arc3,rad=`` draws from ``a`` to ``b`` (data coordinates)."""
    (x1, y1), (x2, y2) = ax.transData.transform([a, b])
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    return [((1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2,
             (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2)
            for t in (i / steps for i in range(steps + 1))]


def edge_point(ax: Axes, edge: EdgeKey) -> tuple[float, float] | None:
    """A point of a drawn edge, in display pixels, where a click picks that edge (nearest
    its middle; None when other edges and nodes cover all of it)."""
    layout, _cmap, bends = ax._assay_chain  # type: ignore[attr-defined]
    if edge not in bends:
        return None
    points = edge_points(ax, layout.positions[edge[0]], layout.positions[edge[2]],
                         bends[edge])
    middle = len(points) // 2
    for p in sorted(points, key=lambda p: abs(points.index(p) - middle)):
        if item_at(ax, *p) == ("edge", edge):
            return p
    return None


def item_at(ax: Axes | None, x: float, y: float) -> tuple[str, object] | None:
    """What a click at display pixels ``(x, y)`` hits: ``("node", key)`` within 12 pixels of
    a node, else ``("edge", (head, type, tail))`` within 6 pixels of an edge's curve."""
    chain = getattr(ax, "_assay_chain", None)
    if ax is None or chain is None:
        return None
    layout, _cmap, bends = chain
    best: tuple[float, tuple[str, object]] | None = None
    for key, p in layout.positions.items():
        px, py = ax.transData.transform(p)
        d = math.hypot(px - x, py - y)
        if d <= 12 and (best is None or d < best[0]):
            best = (d, ("node", key))
    if best is not None:
        return best[1]
    for edge, rad in bends.items():
        points = edge_points(ax, layout.positions[edge[0]], layout.positions[edge[2]], rad)
        d = min(_to_segment((x, y), a, b) for a, b in zip(points, points[1:], strict=False))
        if d <= 6 and (best is None or d < best[0]):
            best = (d, ("edge", edge))
    return best[1] if best else None


def _to_segment(p, a, b) -> float:
    ax_, ay = a
    bx, by = b
    dx, dy = bx - ax_, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((p[0] - ax_) * dx + (p[1] - ay) * dy) / span))
    return math.hypot(p[0] - (ax_ + t * dx), p[1] - (ay + t * dy))
