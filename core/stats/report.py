"""``assay-cli report PROJECT -o report.html``: the statistics view as one HTML file for
people who do not run Assay.

One self-contained, UTF-8 file that opens offline and prints: the figures of Review →
Statistics (``core.stats.charts``) as SVG images in ``data:`` URIs, and beside each the
numbers it draws as tables. Nothing is loaded from anywhere (no scripts, fonts, style
sheets or images from elsewhere): the charts' text is drawn as paths (``svg.fonttype``
"path"), so they look the same whatever fonts the reader's machine has, and the page
itself uses the reader's own sans-serif.

Every text from the project (its name, reviewers, labels, models, canonical names) is
untrusted: it is escaped with :func:`html.escape` in the page, matplotlib escapes it in
the SVG, ``charts.plain`` keeps a ``$`` from starting mathtext, and an SVG shown through
``<img>`` cannot run a script or fetch anything even if it held one. The file is written
under a temporary name in its folder and renamed into place, so it appears whole or not at
all, and the project and its own files are refused as destinations
(``core.store.files``).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from core import __version__
from core.models import VERDICT_COLOURS
from core.stats import charts
from core.stats.chain_figure import chain_figure
from core.stats.chain_map import ChainMap, read_map
from core.stats.numbers import Numbers, gather, relations_summary
from core.stats.topic_charts import periods, topics_figure, topics_summary
from core.store.files import check_destination, write_atomically
from core.store.statistics import OUTCOME_NAMES, OUTCOMES, Spread, suggested, summed
from core.store.topic_statistics import TopicCounts
from core.text.normalise import one_line
from core.text.wording import counted

# The charts as the page shows them: text as paths (no font needed where it is opened),
# the same bytes for the same numbers (a fixed salt for SVG ids, no date).
SVG_RC: dict[RcKeyType, object] = {"svg.fonttype": "path", "svg.hashsalt": "assay-report",
                                   "svg.image_inline": True}
TOP_CELLS = 20  # rows of the countries × minerals table
TOP_CLAIM_ROWS = 12  # rows of the claims-per-country and per-mineral tables
TOP_MINERALS, TOP_PER_MINERAL = 10, 5  # the supply-chain map's table

SHORT_OUTCOMES = {"kept": "kept", "corrected": "corrected", "rejected": "rejected",
                  "added": "added"}
SECTIONS = (("progress", "Review progress"), ("entities", "Entities per label"),
            ("quality", "Pre-annotation as reviewers judged it"),
            ("relations", "Relations per type"), ("topics", "Articles per topic"),
            ("supply-chain", "Supply-chain map"),
            ("countries-minerals", "Countries × minerals"), ("claims", "Claims"))

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1020px; padding: 24px 28px 48px; background: #fff;
  color: #1f2328; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
header { border-bottom: 2px solid #4c78a8; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 20px; margin: 36px 0 6px; padding-top: 6px; border-top: 1px solid #d8dee4; }
h3 { font-size: 15px; margin: 18px 0 6px; overflow-wrap: anywhere; }
p { margin: 4px 0 10px; }
.meta, .note, figcaption, caption { color: #57606a; font-size: 13px; }
nav ol { margin: 6px 0 0; padding-left: 22px; columns: 2; font-size: 14px; }
a { color: #0b5cad; }
figure { margin: 10px 0 14px; }
figure img { display: block; max-width: 100%; height: auto; }
.tables { display: flex; flex-wrap: wrap; gap: 10px 32px; align-items: flex-start; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
caption { text-align: left; font-weight: 600; color: #1f2328; padding-bottom: 4px; }
th, td { padding: 3px 10px 3px 0; border-bottom: 1px solid #e6e8eb; vertical-align: top; }
th { text-align: left; font-weight: 600; border-bottom: 1px solid #8c959f; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.t { max-width: 22em; overflow-wrap: anywhere; }
tfoot td { font-weight: 600; border-top: 1px solid #8c959f; border-bottom: 0; }
.share { display: inline-block; min-width: 3.1em; color: #57606a; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px;
  border-radius: 2px; vertical-align: baseline; }
footer { margin-top: 36px; color: #57606a; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-before: auto; break-after: avoid; }
  figure, table { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm 12mm; }
"""


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    size: int  # bytes written
    figures: int
    tables: int

    def describe(self) -> str:
        kib = self.size / 1024
        size = f"{kib:,.0f} KB" if kib < 1024 else f"{kib / 1024:,.1f} MB"
        return (f"Wrote the report to {self.path} ({size}: {self.figures} charts, "
                f"{self.tables} tables)")


# ---- the file

def write_report(project, path: str | Path, *, now: datetime | None = None) -> ReportSummary:
    """Write the statistics of ``project`` (a ``core.store.Project``) to ``path`` as one
    self-contained HTML file; AssayError when ``path`` is refused or cannot be written."""
    path = Path(path)
    check_destination(path, [project.path], "write the report to")  # before the minutes
    page, figures, tables = render(project, now=now)
    data = page.encode("utf-8")
    write_atomically(path, lambda fh: fh.write(data), [project.path], "write the report to")
    return ReportSummary(path, len(data), figures, tables)


# ---- the page

def render(project, *, now: datetime | None = None) -> tuple[str, int, int]:
    """The report's HTML, and how many figures and tables it holds."""
    n = gather(project)
    page = _Page()
    made = (now or datetime.now(UTC)).astimezone(UTC)
    name = project.name
    st = n.progress.statuses
    total = sum(st.values())
    page.add(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Assay {_e(__version__)}">
<meta name="referrer" content="no-referrer">
<title>{_e(name)} · Assay report</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{_e(name)}</h1>
<p class="meta">Assay report of {_e(project.path.name)}, made {made:%Y-%m-%d %H:%M} UTC
by Assay {_e(__version__)}. {total:,} article{'' if total == 1 else 's'}:
{st.get('approved', 0):,} approved, {st.get('rejected', 0):,} rejected,
{n.progress.remaining:,} to review.</p>
</header>
<nav><ol>{''.join(f'<li><a href="#{k}">{_e(t)}</a></li>' for k, t in SECTIONS)}</ol></nav>
""")
    _progress(page, n)
    _entities(page, n)
    _relations(page, n)
    _topics(page, n)
    _supply_chain(page, read_map(project))
    _quality(page, n)
    _country_minerals(page, n)
    _claims(page, n)
    page.add('<footer>Made with Assay. The numbers are those of Review → Statistics at the '
             'time above; “articles approved” counts each article once, by the project\'s '
             'own decision; “approvals” count every reviewer\'s decision, merged versions '
             'included, so an article approved by 3 reviewers counts 3 times.</footer>\n'
             '</body>\n</html>\n')
    return page.text(), page.figures, page.tables


class _Page:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.figures = 0
        self.tables = 0

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def section(self, key: str, summary: str) -> None:
        title = dict(SECTIONS)[key]
        self.add(f'<section id="{key}">\n<h2>{_e(title)}</h2>\n<p>{summary}</p>\n')

    def end(self) -> None:
        self.add("</section>\n")

    def figure(self, fig: Figure, alt: str) -> None:
        self.figures += 1
        self.add(f'<figure><img alt="{_e(alt)}" src="data:image/svg+xml;base64,'
                 f'{base64.b64encode(svg(fig)).decode("ascii")}"></figure>\n')

    def table(self, table_id: str, caption: str, head: Sequence[tuple[str, bool]],
              rows: Iterable[Sequence[str]], foot: Sequence[str] | None = None) -> None:
        """``head``: (title, numeric) per column; cells are markup already escaped."""
        self.tables += 1
        numeric = [num for _t, num in head]
        out = [f'<table id="{table_id}"><caption>{_e(caption)}</caption><thead><tr>']
        out += [f'<th{" class=n" if num else ""} scope="col">{_e(t)}</th>' for t, num in head]
        out.append("</tr></thead><tbody>")
        empty = True
        for row in rows:
            empty = False
            out.append("<tr>" + "".join(_cell(c, num) for c, num in
                                        zip(row, numeric, strict=True)) + "</tr>")
        if empty:
            out.append(f'<tr><td colspan="{len(head)}" class="note">none yet</td></tr>')
        out.append("</tbody>")
        if foot is not None and not empty:
            out.append("<tfoot><tr>" + "".join(_cell(c, num) for c, num in
                                               zip(foot, numeric, strict=True))
                       + "</tr></tfoot>")
        out.append("</table>\n")
        self.add("".join(out))

    def text(self) -> str:
        return "".join(self.parts)


def svg(fig: Figure) -> bytes:
    """``fig`` as a self-contained SVG: text as paths, no date, stable ids."""
    buf = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _cell(markup: str, numeric: bool) -> str:
    return f'<td class="n">{markup}</td>' if numeric else f'<td class="t">{markup}</td>'


def _e(text: object) -> str:
    """Untrusted text as HTML: one line without what steers a screen (ESC, bidi overrides:
    ``core.text.normalise.one_line``, as in the charts), escaped (quotes too)."""
    return html.escape(one_line(str(text)), quote=True)


def _name(text: object) -> str:
    return _e(text) if str(text).strip() else "—"


def _n(k: int | float) -> str:
    return f"{k:,}"


def _share(part: int, whole: int) -> str:
    return f'<span class="share">{part / whole:.0%}</span>' if whole else "–"


def _count_share(part: int, whole: int) -> str:
    return f"{part:,} {_share(part, whole)}" if whole else f"{part:,}"


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{_e(colour)}"></span>'


def _s(x: float | None) -> str:
    return "–" if x is None else _e(charts._seconds(x))


# ---- the sections

def _progress(page: _Page, n: Numbers) -> None:
    p = n.progress
    st = p.statuses
    timing = (f"Median {_s(p.seconds.median)} per article (half between {_s(p.seconds.q1)} "
              f"and {_s(p.seconds.q3)}; {p.seconds.n:,} timed)." if p.seconds
              else "No review times stored yet.")
    approved = st.get("approved", 0)
    approvals = (f" Reviewers' approvals, merged versions included: {p.approvals:,} "
                 f"({_e(charts.APPROVALS_NOTE)})." if p.approvals != approved else "")
    page.section("progress", f"{counted(approved, 'article', 'articles')} approved, "
                 f"{st.get('rejected', 0):,} rejected, <strong>{p.remaining:,} to review"
                 f"</strong> ({st.get('pending', 0):,} pending, {st.get('skipped', 0):,} "
                 f"skipped).{approvals} {timing}")
    if p.per_day or p.seconds is not None:
        page.figure(charts.progress_figure(p), "Articles approved per day, each once, "
                    "stacked by who approved them in the project"
                    + (f"; approvals by reviewer ({charts.APPROVALS_NOTE})"
                       if p.approvals != approved else "")
                    + "; and seconds per article per reviewer as box plots")
    total = sum(st.values())
    page.add('<div class="tables">')
    order = ("pending", "skipped", "approved", "rejected")
    statuses = [s for s in order if s in st] + sorted(s for s in st if s not in order)
    page.table("statuses", "Articles per status",
               [("status", False), ("articles", True), ("share", True)],
               ([_e(s), _n(st[s]), _share(st[s], total)] for s in statuses),
               ["all", _n(total), ""])
    spreads: dict[str, Spread] = p.seconds_by_reviewer
    rows = []
    for reviewer, approved, rejected in p.per_reviewer:
        s = spreads.get(reviewer)
        rows.append([_name(reviewer), _n(approved), _n(rejected), _n(s.n) if s else "0",
                     _s(s.median if s else None),
                     f"{_s(s.q1)} – {_s(s.q3)}" if s else "–",
                     f"{_s(s.low)} – {_s(s.high)}" if s else "–"])
    foot = None
    if p.seconds is not None or p.per_reviewer:
        s = p.seconds
        foot = ["everyone", _n(sum(r[1] for r in p.per_reviewer)),
                _n(sum(r[2] for r in p.per_reviewer)), _n(s.n) if s else "0",
                _s(s.median if s else None), f"{_s(s.q1)} – {_s(s.q3)}" if s else "–",
                f"{_s(s.low)} – {_s(s.high)}" if s else "–"]
    page.table("reviewers", "Approvals and rejections by reviewer, merged versions included "
               f"({charts.APPROVALS_NOTE}), and seconds per article",
               [("reviewer", False), ("approvals", True), ("rejections", True),
                ("timed", True),
                ("median", True), ("middle half", True), ("5th – 95th pct", True)],
               rows, foot)
    by_day: dict[str, list[tuple[str, int]]] = {}
    for day, reviewer, k in p.per_reviewer_day:
        by_day.setdefault(day, []).append((reviewer, k))
    page.table("per-day", "Articles approved per day (UTC), each once; beside them each "
               "reviewer's approvals that day",
               [("day", False), ("articles approved", True),
                ("approvals by reviewer", False)],
               ([_e(day), _n(k), " · ".join(f"{_name(r)} {m:,}" for r, m in
                                             sorted(by_day.get(day, []),
                                                    key=lambda rm: (-rm[1], rm[0])))]
                for day, k in p.per_day),
               ["all days", _n(sum(k for _d, k in p.per_day)), ""])
    page.add("</div>\n")
    page.end()


def _entities(page: _Page, n: Numbers) -> None:
    total, accepted = sum(n.entities.values()), sum(n.accepted.values())
    page.section("entities", f"{total:,} entities (suggested or accepted, not rejected): "
                 f"{accepted:,} accepted, {total - accepted:,} suggested and undecided.")
    if total:
        page.figure(charts.entities_figure(n.entities, n.accepted),
                    "Entities per label, the accepted part solid")
    page.table("labels", "Entities per label",
               [("label", False), ("entities", True), ("accepted", True),
                ("undecided", True)],
               ([_name(lb), _n(k), _count_share(n.accepted.get(lb, 0), k),
                 _n(max(0, k - n.accepted.get(lb, 0)))] for lb, k in n.entities.items()),
               ["all", _n(total), _count_share(accepted, total), _n(max(0, total - accepted))])
    page.end()


def _relations(page: _Page, n: Numbers) -> None:
    rel = n.relations
    page.section("relations", _e(relations_summary(rel)) + ".")
    if any(sum(by.values()) for by in rel.values()):
        page.figure(charts.relations_figure(rel),
                    "Relations per type: accepted, suggested, rejected")
    states = ("accepted", "suggested", "rejected")
    page.table("relation-types", "Relations per type and state",
               [("type", False), *((s, True) for s in states), ("all", True)],
               ([_name(kind), *(_n(by.get(s, 0)) for s in states), _n(sum(by.values()))]
                for kind, by in rel.items() if sum(by.values())),
               ["all", *(_n(sum(by.get(s, 0) for by in rel.values())) for s in states),
                _n(sum(sum(by.values()) for by in rel.values()))])
    page.end()


def _topics(page: _Page, n: Numbers) -> None:
    """Live topics (accepted or suggested) of every article, per topic and per period."""
    tc = n.topics or TopicCounts([], {}, {})
    page.section("topics", _e(topics_summary(tc)) + ".")
    live = any(tc.live(t) for t in tc.topics)
    if live:
        page.figure(topics_figure(tc), "Articles per topic, and per topic and month")
    page.table("topic-counts", "Articles per topic",
               [("topic", False), ("articles", True), ("accepted", True),
                ("suggested", True), ("rejected", True)],
               ([_name(t), _n(tc.live(t)), *(_n(tc.by_state[t].get(s, 0)) for s in
                 ("accepted", "suggested", "rejected"))] for t in tc.topics))
    if live:
        columns, table = periods(tc)
        shown = columns[-12:]
        page.table("topic-periods", "Articles per topic, the last "
                   f"{len(shown)} periods of their date", [("topic", False),
                                                           *((c, True) for c in shown)],
                   ([_name(t), *(_n(table[t].get(c, 0)) for c in shown)] for t in tc.topics))
    page.end()


def _supply_chain(page: _Page, cmap: ChainMap) -> None:
    """The map of the approved relations (``core.stats.chain_map``) and each mineral's
    heaviest relations."""
    minerals = sorted((k for k, node in cmap.nodes.items() if node.kind == "mineral"),
                      key=lambda k: (-cmap.nodes[k].weight, cmap.name(k)))
    page.section("supply-chain", f"{counted(len(cmap.nodes), 'node', 'nodes')} and "
                 f"{counted(len(cmap.edges), 'relation', 'relations')} from the approved "
                 "articles; an edge's weight is the number of articles stating it. "
                 "assay-cli map writes it as GraphML or GEXF.")
    if cmap.edges:
        page.figure(chain_figure(cmap, width=10, height=6),
                    "The supply-chain map: funding, reserves and production, processing, "
                    "minerals, supplied to, restrictions")
    page.table("supply-chain-top", "The heaviest relations of each mineral",
               [("mineral", False), ("relation", False), ("articles", True)],
               ([_name(cmap.name(m)), _e(cmap.describe(e)), _n(e.weight)]
                for m in minerals[:TOP_MINERALS]
                for e in cmap.edges_of(m)[:TOP_PER_MINERAL]))
    page.end()


def _quality(page: _Page, n: Numbers) -> None:
    q = n.quality
    sums = q.totals()
    made = suggested(sums)
    shares = ", ".join(f"{sums[k] / (made or 1):.0%} {_e(OUTCOME_NAMES[k])}"
                       for k in OUTCOMES[:3])
    models = (f" Pre-annotated by {len(q.models)} models, compared side by side."
              if len(q.models) > 1 else "")
    undecided = (f" {q.undecided:,} suggestions in approved articles are still undecided."
                 if q.undecided else "")
    judged = (f"Of {made:,} suggestions in approved articles, {shares}"
              if made else "No suggestion in an approved article was judged yet")
    page.section("quality", f"{judged}; reviewers added {sums['added']:,} entities that "
                 f"nothing suggested.{models}{undecided}")
    if made or sums["added"]:
        page.figure(charts.quality_figure(q),
                    "Per label, the shares of suggestions accepted as suggested, corrected, "
                    "rejected, and the entities reviewers added")
    page.add('<p class="note">In the tables: <em>kept</em> accepted as suggested, '
             '<em>corrected</em> bounds or label changed, <em>rejected</em>, <em>added</em> by '
             'a reviewer where nothing was suggested; each share is of its row, as the bars '
             'are.</p>\n')
    page.add('<div class="tables">')
    per_model: list[tuple[str | None, str]] = [(None, "all models")]
    if len(q.models) > 1:
        per_model += [(m, charts.model_name(m)) for m in q.models]
    for k, (model, title) in enumerate(per_model):
        _quality_table(page, f"quality-{k}", f"Outcomes per label: {title}",
                       q.per_label(model))
    page.add("</div>\n")
    page.end()


def _quality_table(page: _Page, table_id: str, caption: str,
                   rows: dict[str, dict[str, int]]) -> None:
    head = [("label", False), ("suggested", True), *((SHORT_OUTCOMES[k], True) for k in OUTCOMES)]

    def line(name: str, r: dict[str, int]) -> list[str]:
        made = suggested(r)
        row_total = made + r["added"]  # the chart's 100 % bars share the whole row
        return [name, _n(made), *(_count_share(r[k], row_total) for k in OUTCOMES)]

    sums = summed(rows)
    page.table(table_id, caption, head,
               (line(_name(lb), r) for lb, r in rows.items() if sum(r.values())),
               line("all", sums))


def _country_minerals(page: _Page, n: Numbers) -> None:
    cm = n.country_minerals
    names = n.names
    page.section("countries-minerals",
                 f"{cm.articles:,} approved articles; {len(cm.countries):,} countries and "
                 f"{len(cm.minerals):,} minerals named together in one sentence, in "
                 f"{len(cm.cells):,} pairs. A province counts as its country.")
    if cm.cells:
        page.figure(charts.country_mineral_figure(cm, names),
                    "Heat map of approved articles per country and mineral")
    cells = cm.ranked()
    more = f" (top {TOP_CELLS} of {len(cells):,})" if len(cells) > TOP_CELLS else ""
    page.add('<div class="tables">')
    page.table("cells", f"Approved articles per country and mineral{more}",
               [("country", False), ("mineral", False), ("articles", True),
                ("of approved", True)],
               ([_name(names.get(c, c)), _name(names.get(m, m)), _n(k),
                 _share(k, cm.articles)] for (c, m), k in cells[:TOP_CELLS]))
    page.add("</div>\n")
    page.end()


def _claims(page: _Page, n: Numbers) -> None:
    c = n.claims
    total = sum(c.by_verdict.values())
    verdicts = ", ".join(f"{c.by_verdict.get(v, 0):,} {v}" for v in charts.VERDICTS)
    page.section("claims", f"{total:,} claims ({verdicts}); {c.suggested:,} suggested by the "
                 "rules and not decided yet.")
    if total or c.suggested:
        page.figure(charts.claims_figure(c, n.names),
                    "Claims by verdict, and per country and mineral stacked by verdict")
    page.add('<div class="tables">')
    page.table("verdicts", "Claims per verdict",
               [("verdict", False), ("claims", True), ("share", True)],
               [*([_swatch(VERDICT_COLOURS[v]) + _e(v),
                   _n(c.by_verdict.get(v, 0)), _share(c.by_verdict.get(v, 0), total)]
                  for v in charts.VERDICTS),
                *([_e(v), _n(k), _share(k, total)] for v, k in c.by_verdict.items()
                  if v not in charts.VERDICTS),
                [_swatch(charts.SUGGESTED_COLOUR) + "suggested, undecided", _n(c.suggested),
                 ""]],
               ["accepted claims", _n(total), ""])
    for key, what, rows in (("claims-countries", "country", c.by_country),
                            ("claims-minerals", "mineral", c.by_mineral)):
        more = f" (top {TOP_CLAIM_ROWS} of {len(rows):,})" if len(rows) > TOP_CLAIM_ROWS else ""
        page.table(key, f"Claims per {what}{more}",
                   [(what, False), *((v, True) for v in charts.VERDICTS), ("all", True)],
                   ([_name(n.names.get(k, k)), *(_n(r.get(v, 0)) for v in charts.VERDICTS),
                     _n(sum(r.values()))] for k, r in list(rows.items())[:TOP_CLAIM_ROWS]))
    page.add("</div>\n")
    page.end()
