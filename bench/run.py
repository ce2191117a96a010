"""``make bench``: throughput and interactivity, printed as a table and written as JSON.

Ratios matter more than absolute numbers on a shared 2-core machine: the
pre-annotation rate is reported against raw ``nlp.pipe`` with the same
components on the same texts. Set ``ASSAY_BENCH_ARTICLES`` for a bigger run.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.app_start import bench_app_start
from bench.chain_map import bench_chain_map
from bench.claims_across import bench_claims_across
from bench.corpus import mineral_spans, synthetic_articles
from bench.learning import bench_learning
from bench.relations_open import bench_relations_open
from bench.review_keys import bench_relation_keys, bench_review_keys
from bench.scale import bench_scale
from bench.statistics import bench_statistics
from bench.teams import bench_adjudication, bench_teams
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

N_ARTICLES = int(os.environ.get("ASSAY_BENCH_ARTICLES", "2000"))
N_ANNOTATE = int(os.environ.get("ASSAY_BENCH_ANNOTATE", "200"))
N_BIG_PROJECT = int(os.environ.get("ASSAY_BENCH_BIG", "100000"))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_import(tmp: Path) -> dict:
    from core.formats.importers import import_paths

    folder = tmp / "txt"
    folder.mkdir()
    for i, art in enumerate(synthetic_articles(N_ARTICLES, seed=1, words=(150, 400))):
        (folder / f"{i:06d}.txt").write_text(art.text, encoding="utf-8")
    with Project.create(tmp / "import.assay", rules=store_rules()) as project:
        seconds, report = timed(lambda: import_paths(project, [folder]))
    return {"import_articles": report.added, "import_per_s": report.added / seconds}


class _EntitiesOnly:
    """The annotator without its relation pass (what pre-annotation was before issue 27):
    ``annotate_project`` falls back to ``annotate`` when there is no ``suggest``."""

    def __init__(self, annotator) -> None:
        self.annotate = annotator.annotate
        self.model_id = annotator.model_id


def bench_annotate(tmp: Path) -> dict:
    """Pre-annotation words/s with suggested relations and without (entities only), against
    raw ``nlp.pipe`` over the same texts: with the entity components (what runs on every
    sentence) and with every component pre-annotation runs (the parser too, which ours
    runs only on sentences that may state a relation)."""
    from core.jobs.annotate import annotate_project
    from core.nlp.pipeline import load_annotator

    arts = synthetic_articles(N_ANNOTATE, seed=2, words=(300, 600))
    with Project.create(tmp / "annotate.assay", rules=store_rules()) as project, \
            Project.create(tmp / "entities.assay", rules=store_rules()) as plain:
        project.add_articles(arts)
        plain.add_articles(arts)
        annotator = load_annotator([lb.name for lb in project.labels()])
        nlp = annotator.nlp
        texts = [a.text for a in arts]
        # Raw baseline: the same nlp object, same components, same texts, no store.
        raw_s, words = timed(lambda: sum(len(d) for d in nlp.pipe(texts, batch_size=64)))
        parked = list(nlp.disabled)
        for name in parked:
            nlp.enable_pipe(name)
        full_s, _ = timed(lambda: sum(len(d) for d in nlp.pipe(texts, batch_size=64)))
        for name in parked:
            nlp.disable_pipe(name)
        plain_s, plain_report = timed(lambda: annotate_project(plain, _EntitiesOnly(annotator)))
        ours_s, report = timed(lambda: annotate_project(project, annotator))
        relations = sum(project.relation_counts().values())
    raw_rate, full_rate = words / raw_s, words / full_s
    ours_rate = report.words / ours_s
    plain_rate = plain_report.words / plain_s
    return {"annotate_articles": report.articles, "annotate_words_per_s": ours_rate,
            "annotate_relations": relations,
            "annotate_entities_only_words_per_s": plain_rate,
            "raw_nlp_pipe_words_per_s": raw_rate, "annotate_ratio_vs_raw": ours_rate / raw_rate,
            "annotate_entities_only_ratio_vs_raw": plain_rate / raw_rate,
            "raw_nlp_pipe_with_parser_words_per_s": full_rate,
            "annotate_ratio_vs_raw_with_parser": ours_rate / full_rate}


def bench_store(tmp: Path) -> dict:
    with Project.create(tmp / "store.assay", rules=store_rules()) as project:
        project.add_articles(synthetic_articles(200, seed=3, words=(200, 300)))
        edits = 0
        started = time.perf_counter()
        for article_id in range(1, 201):
            text = project.article_text(article_id)
            for sp in mineral_spans(text, limit=5):
                span = project.add_span(article_id, sp.start, sp.end, "MINERAL", "bench")
                project.relabel_span(span.id, "ORG", "bench")
                edits += 2
        edit_s = time.perf_counter() - started
        approve_s, _ = timed(lambda: [project.approve_article(i, "bench")
                                      for i in range(1, 201)])
    return {"span_edits_per_s": edits / edit_s, "approvals_per_s": 200 / approve_s}


N_EXPORT = int(os.environ.get("ASSAY_BENCH_EXPORT", "1000"))


def bench_export(tmp: Path) -> dict:
    """Articles per second for each export format, all spans accepted and approved."""
    from core.errors import AssayError
    from core.formats.export import export
    from core.formats.registry import FORMATS, default_suffix

    results: dict = {"export_articles": N_EXPORT}
    with Project.create(tmp / "export.assay", rules=store_rules()) as project:
        arts = synthetic_articles(N_EXPORT, seed=8, words=(200, 400), with_spans=True)
        project.add_articles(arts)
        project.conn.execute("UPDATE spans SET state = 'accepted'")
        project.conn.execute("UPDATE articles SET status = 'approved', reviewed_by = 'bench'")
        for fmt in FORMATS:
            try:
                seconds, report = timed(
                    lambda fmt=fmt: export(project, fmt, tmp / f"out{default_suffix(fmt)}"))
            except AssayError:  # no claims or versions here: nothing to export is refused
                continue
            results[f"export_{fmt}_per_s"] = report.articles / seconds
        # The ceiling for Assay JSONL: a plain loop of one SELECT per article's spans and
        # json.dumps, no checks, no claims, no fsync (best of seven, interleaved with ours).
        plains, ours_runs = [], []
        for _ in range(7):  # interleaved, so a slow moment of the machine hits both
            plains.append(timed(lambda: _plain_jsonl(project.path, tmp / "plain.jsonl"))[0])
            ours_runs.append(timed(lambda: export(project, "assay", tmp / "ours.jsonl"))[0])
        plain, ours = min(plains), min(ours_runs)
    results["export_plain_select_json_per_s"] = N_EXPORT / plain
    results["export_assay_best_per_s"] = N_EXPORT / ours
    results["export_assay_ratio_vs_plain"] = plain / ours
    return results


def _plain_jsonl(path: Path, out: Path) -> None:
    import json
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in conn.execute("SELECT id, text, title, source, url, published, status, "
                                "reviewed_by, reviewed_at, note FROM articles "
                                "WHERE status = 'approved' ORDER BY id"):
            spans = conn.execute('SELECT start, "end", label, text, origin, state, kb_id '
                                 "FROM spans WHERE article_id = ? AND state = 'accepted' "
                                 'ORDER BY start', (row[0],)).fetchall()
            keys = ("id", "text", "title", "source", "url", "published", "status",
                    "reviewed_by", "reviewed_at", "note")
            record = dict(zip(keys, row, strict=True))
            record["spans"] = [dict(zip(("start", "end", "label", "text", "origin", "state",
                                         "kb_id"), s, strict=True)) for s in spans]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    conn.close()


def bench_gui(tmp: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    rng_text = synthetic_articles(1, seed=4, words=(5000, 5000))[0].text
    big_text = synthetic_articles(1, seed=5, words=(16000, 16000))[0].text[:100_000]
    path = tmp / "gui.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text="A short first article about lithium in Chile.", title="first"),
            ArticleIn(text=rng_text, title="5,000 words",
                      spans=tuple(mineral_spans(rng_text, limit=300))),
            ArticleIn(text=big_text, title="100,000 characters",
                      spans=tuple(mineral_spans(big_text, limit=3000))),
        ])
    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "bench")
    window.open_project(path)
    window.show()
    window.view.viewport().repaint()
    app.processEvents()
    launch = time.perf_counter() - started

    def switch(article_id: int) -> None:
        window.show_article(article_id)
        window.view.viewport().repaint()
        app.processEvents()

    switch_s, _ = timed(lambda: switch(2))
    entities_5k = len(window.view.spans)
    switch(3)
    entities_big = len(window.view.spans)
    span = window.view.spans[len(window.view.spans) // 2]
    window.view.select_span(span.id)
    app.processEvents()

    def relabel() -> None:
        window.entity_review.apply_label("ORG")
        window.view.viewport().repaint()
        app.processEvents()

    relabel_s, _ = timed(relabel)
    window.close()
    return {"gui_launch_to_first_paint_s": launch, "switch_5k_words_s": switch_s,
            "switch_5k_entities": entities_5k, "relabel_repaint_100k_chars_s": relabel_s,
            "big_article_entities": entities_big}


N_OPEN_ENTITIES = 3000
OPEN_RUNS = 3


def bench_open_big_article(tmp: Path) -> dict:
    """Open a 100,000-character article with 3,000 entities (two looks) until it is painted.

    Each run switches to a short article first, so the big one is formatted from
    scratch; the best of ``OPEN_RUNS`` is reported because the machine is shared.
    ``python -m bench.run bench_open_big_article`` runs only this step.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench.corpus import entity_spans
    from gui.window.main_window import MainWindow

    text = synthetic_articles(1, seed=5, words=(18000, 18000))[0].text[:100_000]
    spans = entity_spans(text, limit=N_OPEN_ENTITIES)
    path = tmp / "open.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text="A short article about cobalt in Zambia.", title="short"),
            ArticleIn(text=text, title="100,000 characters", spans=tuple(spans)),
        ])
    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(str(tmp / "s3.ini"), QSettings.Format.IniFormat)
    window = _open(MainWindow, settings, path, app)

    def switch(article_id: int) -> None:
        window.show_article(article_id)
        window.view.viewport().repaint()
        app.processEvents()

    runs = []
    for _ in range(OPEN_RUNS):
        switch(1)
        seconds, _ = timed(lambda: switch(2))
        runs.append(seconds)
    shown = len(window.view.spans)
    window.close()
    return {"open_100k_chars_entities": shown, "open_100k_chars_best_s": min(runs),
            "open_100k_chars_worst_s": max(runs)}


def bench_big_project(tmp: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    path = tmp / "big.assay"
    with Project.create(path, rules=store_rules()) as project:
        arts = synthetic_articles(N_BIG_PROJECT, seed=6, words=(80, 200))
        for i in range(0, len(arts), 5000):
            project.add_articles(arts[i:i + 5000])
        del arts
    pages: dict = {}
    with Project.open(path, rules=store_rules()) as project:
        for order in ("id", "title", "entities"):
            for where, offset in (("middle", N_BIG_PROJECT // 2), ("end", N_BIG_PROJECT - 200)):
                pages[f"big_list_{order}_{where}_ms"] = 1000 * min(timed(
                    lambda o=order, off=offset: project.list_articles(order_by=o, offset=off)
                )[0] for _ in range(3))
    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(str(tmp / "s2.ini"), QSettings.Format.IniFormat)
    open_s, window = timed(lambda: _open(MainWindow, settings, path, app))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    return {"big_project_articles": N_BIG_PROJECT, "big_project_open_s": open_s,
            **pages, "peak_rss_mb": peak_mb}


def bench_big_article_edits(tmp: Path) -> dict:
    """Relabel, reject and undo on a pasted 530 KB article with 4,900 entities, through real
    keys, each until repainted (issue 13: about 350 ms before; the aim is under 100 ms)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bench.corpus import entity_spans
    from core.models import ArticleIn
    from gui.window.main_window import MainWindow

    text = synthetic_articles(1, seed=5, words=(90000, 90000))[0].text[:530_000]
    spans = entity_spans(text)[:4900]
    path = tmp / "pasted.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text, title="pasted", spans=tuple(spans))])
    app = QApplication.instance() or QApplication(sys.argv)
    window = _open(MainWindow, QSettings(str(tmp / "s3.ini"), QSettings.Format.IniFormat),
                   path, app)
    view = window.view
    view.setFocus()
    target = view.spans[len(view.spans) // 2]
    ctrl = Qt.KeyboardModifier.ControlModifier

    def press(key, mods=Qt.KeyboardModifier.NoModifier) -> float:
        started = time.perf_counter()
        QTest.keyClick(view, key, mods)
        view.viewport().repaint()
        app.processEvents()
        return 1000 * (time.perf_counter() - started)

    view.select_span(target.id)
    relabel = press(Qt.Key.Key_8 if target.label != "LAW" else Qt.Key.Key_5)
    undo_relabel = press(Qt.Key.Key_Z, ctrl)
    view.select_span(target.id)
    reject = press(Qt.Key.Key_Delete)
    undo_reject = press(Qt.Key.Key_Z, ctrl)
    window.close()
    return {"pasted_article_chars": len(text), "pasted_article_entities": len(spans),
            "pasted_relabel_ms": relabel, "pasted_undo_relabel_ms": undo_relabel,
            "pasted_reject_ms": reject, "pasted_undo_reject_ms": undo_reject}


N_MILLION = int(os.environ.get("ASSAY_BENCH_MILLION", "1000000"))


def bench_million(tmp: Path) -> dict:
    """Every article-list action on a 1,000,000-article project (run alone: a few minutes to
    build). Best of three, in milliseconds; the target is under 100 ms for each."""
    # ASSAY_BENCH_MILLION_FILE keeps the built file there (and reuses it on the next run).
    kept = os.environ.get("ASSAY_BENCH_MILLION_FILE")
    path = Path(kept) if kept else tmp / "million.assay"
    started = time.perf_counter()
    if not path.exists():
        with Project.create(path, rules=store_rules()) as project:
            for first in range(0, N_MILLION, 20_000):
                project.add_articles(synthetic_articles(min(20_000, N_MILLION - first),
                                                        seed=first, words=(20, 60),
                                                        with_spans=True))
    build_s = time.perf_counter() - started
    results: dict = {"million_articles": N_MILLION, "million_build_s": build_s,
                     "million_file_mb": path.stat().st_size / 1e6}

    def best(fn) -> float:
        return 1000 * min(timed(fn)[0] for _ in range(3))

    open_s, project = timed(lambda: Project.open(path, rules=store_rules()))
    results["million_open_ms"] = 1000 * open_s
    with project:
        last = N_MILLION - 200
        for order in ("id", "title", "entities"):
            for where, offset in (("start", 0), ("middle", N_MILLION // 2), ("end", last)):
                results[f"million_page_{order}_{where}_ms"] = best(
                    lambda o=order, off=offset: project.list_articles(order_by=o, offset=off))
        results["million_page_title_desc_end_ms"] = best(
            lambda: project.list_articles(order_by="title", descending=True, offset=last))
        results["million_count_ms"] = best(project.count_articles)
        results["million_counts_by_status_ms"] = best(project.counts_by_status)
        results["million_counts_by_label_ms"] = best(project.counts_by_label)
        results["million_next_pending_ms"] = best(lambda: project.next_article_id(N_MILLION // 2))
        results["million_search_ms"] = best(lambda: project.search("cobalt"))
        for word, name in (("cobalt", "common"), ("Zambia", "rarer")):
            results[f"million_page_search_{name}_ms"] = best(
                lambda w=word: project.list_articles(ArticleFilter(search=w)))
            results[f"million_count_search_{name}_ms"] = best(
                lambda w=word: project.count_articles(ArticleFilter(search=w)))
    return results


def _open(cls, settings, path, app):
    window = cls(settings, "bench")
    window.open_project(path)
    window.show()
    app.processEvents()
    return window


def main() -> int:
    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                                f"Python {platform.python_version()}"}
    steps = (bench_import, bench_annotate, bench_store, bench_export, bench_gui,
             bench_open_big_article, bench_relations_open, bench_big_project,
             bench_review_keys, bench_relation_keys, bench_big_article_edits, bench_teams,
             bench_adjudication, bench_learning, bench_scale, bench_statistics,
             bench_claims_across, bench_chain_map, bench_app_start)
    alone = (bench_million,)  # minutes to build: only when named (make bench-million)
    chosen = sys.argv[1:]  # step names, e.g. bench_open_big_article; none means all
    steps += tuple(step for step in alone if step.__name__ in chosen)
    unknown = set(chosen) - {step.__name__ for step in steps}
    if unknown:
        print(f"unknown step(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for step in steps:
            if chosen and step.__name__ not in chosen:
                continue
            print(f"… {step.__name__}", file=sys.stderr, flush=True)
            results.update(step(tmp))
    width = max(len(k) for k in results)
    for key, value in results.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    if chosen:
        return 0  # a partial run does not replace the full run's JSON
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
