"""The statistics on a reviewed 100,000-article project (issue 16): each query, the whole
report, and the window's first paint, against one full scan of the spans table measured
in the same run (the least any statistic over every span can cost).

The project is made with the store's own import, then reviewed in bulk with SQL (a
benchmark's shortcut: three in five articles approved over 30 days by four reviewers,
one suggestion in ten rejected, one in twenty relabelled, a
reviewer's entity and a claim with a verdict in every approved article).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from pathlib import Path

from bench.corpus import entity_spans, synthetic_articles
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project, summaries

N = int(os.environ.get("ASSAY_BENCH_BIG", "100000"))
REVIEWERS = ("ana", "ben", "chen", "dara")
VERDICTS = ("supported", "refuted", "unverifiable", "unchecked")


def _as_suggestions(article: ArticleIn) -> ArticleIn:
    spans = tuple(SpanIn(s.start, s.end, s.label, origin="model", state="suggested",
                         model="en_core_web_sm==3.8.0")
                  for s in entity_spans(article.text))
    return ArticleIn(text=article.text, title=article.title, source=article.source,
                     published=f"2026-{1 + hash(article.title) % 12:02d}-15", spans=spans)


def build_reviewed_project(path: Path, n: int = N, seed: int = 16) -> float:
    """A project of ``n`` synthetic articles, pre-annotated and mostly reviewed; returns
    the seconds its statistics took to count from scratch."""
    with Project.create(path, rules=store_rules()) as project:
        for i in range(0, n, 5000):
            batch = synthetic_articles(min(5000, n - i), seed=seed + i, words=(80, 200))
            project.add_articles([_as_suggestions(a) for a in batch])
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    approved = [i for i in ids if rng.random() < 0.6]
    conn.executemany(
        "UPDATE articles SET status = 'approved', reviewed_by = ?, reviewed_at = ?, "
        "review_seconds = ? WHERE id = ?",
        [(rng.choice(REVIEWERS), f"2026-11-{1 + rng.randrange(30):02d}T10:00:00+00:00",
          rng.lognormvariate(4, 0.6), i) for i in approved])
    conn.execute("CREATE TEMP TABLE done(id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO done VALUES (?)", [(i,) for i in approved])
    conn.execute("UPDATE spans SET state = CASE WHEN id % 10 = 0 THEN 'rejected' ELSE "
                 "'accepted' END, label = CASE WHEN id % 20 = 1 THEN 'NORP' ELSE label END "
                 "WHERE article_id IN (SELECT id FROM done)")
    conn.execute("INSERT INTO spans(article_id, start, \"end\", label, text, origin, state) "
                 "SELECT id, 0, 6, 'ORG', 'Report', 'reviewer', 'accepted' FROM done")
    conn.executemany(
        "INSERT INTO claims(article_id, start, \"end\", verdict, state, origin) "
        "VALUES (?, ?, ?, ?, 'accepted', 'reviewer')",
        [(i, 0, 60, rng.choice(VERDICTS)) for i in approved])
    conn.commit()
    # The bulk SQL went around the store's writes: count each article's share again, as
    # the v9 migration does for an older file (its time is that migration's).
    conn.execute("DELETE FROM label_counts")
    conn.execute("INSERT INTO label_counts(label, state, n) SELECT label, state, count(*) "
                 "FROM spans GROUP BY label, state")
    conn.commit()
    started = time.perf_counter()
    with conn:
        summaries.rebuild(conn, store_rules().facts)
    conn.close()
    return time.perf_counter() - started


def best_of(fn, runs: int = 2) -> tuple[float, object]:
    """The fastest of ``runs`` calls, in seconds, and the last call's result."""
    fastest, result = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        fastest = min(fastest, time.perf_counter() - t)
    return fastest, result


def _timed(fn) -> float:
    return best_of(fn)[0]


def bench_statistics(tmp: Path) -> dict:
    path = tmp / "reviewed.assay"
    out: dict = {"stats_articles": N}
    if not path.exists():  # a kept one (ASSAY_BENCH_KEEP) is measured again as it is
        out["stats_recount_all_s"] = build_reviewed_project(path)
    with Project.open_for_reading(path, rules=store_rules()) as project:
        s = project.statistics
        out["stats_spans"] = project.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        scan = _timed(lambda: project.conn.execute(
            "SELECT label, count(*) FROM spans WHERE state != 'x' GROUP BY label").fetchall())
        out["stats_span_scan_s"] = scan
        for name, fn in (("progress", s.progress), ("quality", s.quality),
                         ("country_minerals", s.country_minerals), ("claims", s.claims)):
            out[f"stats_{name}_s"] = _timed(fn)
            out[f"stats_{name}_vs_scan"] = out[f"stats_{name}_s"] / scan
        cm = s.country_minerals()
        country, mineral = max(cm.cells, key=cm.cells.get)
        out["stats_biggest_cell_articles"] = cm.cells[(country, mineral)]
        out["stats_cell_sentences_s"] = _timed(lambda: s.cell_sentences(country, mineral))
    out.update(_window(tmp, path))
    return out


def _window(tmp: Path, path: Path) -> dict:
    """Review → Statistics… in the real window: how long the menu command holds the GUI
    thread, until the numbers are drawn, and each tab's first drawing."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.statistics.window import show_statistics
    from gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow(QSettings(str(tmp / "stats.ini"), QSettings.Format.IniFormat), "bench")
    window.open_project(path)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    stats = show_statistics(window)
    out = {"stats_window_command_s": time.perf_counter() - started}
    while not stats.done_reading() or stats.numbers is None:
        app.processEvents()
    app.processEvents()
    out["stats_window_numbers_drawn_s"] = time.perf_counter() - started
    for i in range(1, stats.tabs.count()):
        t = time.perf_counter()
        stats.tabs.setCurrentIndex(i)
        app.processEvents()
        out[f"stats_window_tab{i}_first_draw_s"] = time.perf_counter() - t
    stats.close()
    window.close()
    return out


def run_alone(step) -> int:
    """Run one step on its own, in ASSAY_BENCH_KEEP's folder if set (the reviewed project
    built there is measured again as it is), and print its numbers."""
    import tempfile

    keep = os.environ.get("ASSAY_BENCH_KEEP")
    with tempfile.TemporaryDirectory() as d:
        for k, v in step(Path(keep or d)).items():
            print(f"{k:32} {v:.3f}" if isinstance(v, float) else f"{k:32} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(run_alone(bench_statistics))
