"""Opening and editing a 300-entity article with 200 relations against the same article
without relations (issue 26: no slower than today's same article). Each project holds a
short article and the big one; a run switches to the short one, then times the switch to
the big one until painted, and the edits through real keys until repainted: select the
entity with the most relations (its arcs and list drawn), reject it (Delete), undo
(Ctrl+Z). Best of ``RUNS`` on a shared machine; the ratios are relations / without.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench.corpus import entity_spans, synthetic_articles
from core.models import ArticleIn, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

N_ENTITIES = 300
N_RELATIONS = 200
RUNS = 5


def relations_between(spans: list[SpanIn], types, limit: int) -> list[RelationIn]:
    """Up to ``limit`` relations between near entities whose labels a type allows, each
    pair once, every other one a suggestion."""
    made: list[RelationIn] = []
    seen: set[tuple[int, int]] = set()
    for reach in range(1, 8):
        for i in range(len(spans) - reach):
            j = i + reach
            kind = next((t for t in types if t.allows(spans[i].label, spans[j].label)), None)
            if kind is None or (i, j) in seen or (j, i) in seen:
                continue
            seen.add((i, j))
            state = "suggested" if len(made) % 2 else "accepted"
            made.append(RelationIn(i, j, kind.name, state=state, origin="rules"))
            if len(made) == limit:
                return made
    return made


def _project(path: Path, text: str, spans: list[SpanIn], with_relations: bool) -> int:
    with Project.create(path, rules=store_rules()) as project:
        relations = relations_between(spans, project.relation_types(), N_RELATIONS) \
            if with_relations else []
        project.add_articles([
            ArticleIn(text="A short article about cobalt in Zambia.", title="short"),
            ArticleIn(text=text, title="300 entities", spans=tuple(spans),
                      relations=tuple(relations))])
        return len(project.relations(2))


def _round(window, app) -> dict[str, float]:
    """One round of the steps in ``window`` (made active first: Ctrl+Z is a window
    shortcut), each in milliseconds until repainted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    view = window.view
    window.activateWindow()
    app.processEvents()

    def timed_ms(fn) -> float:
        started = time.perf_counter()
        fn()
        view.viewport().repaint()
        app.processEvents()
        return 1000 * (time.perf_counter() - started)

    window.show_article(1)
    app.processEvents()
    measured = {"open_ms": timed_ms(lambda: window.show_article(2))}
    view.setFocus()
    counts: dict[int, int] = {}
    for rel in window.session.relations:
        for end in (rel.head_id, rel.tail_id):
            counts[end] = counts.get(end, 0) + 1
    live = [s for s in view.spans if s.live]
    target = max(live, key=lambda s: (counts.get(s.id, 0), -s.start))
    measured["select_ms"] = timed_ms(lambda: view.select_span(target.id))
    measured["reject_ms"] = timed_ms(lambda: QTest.keyClick(view, Qt.Key.Key_Delete))
    assert window.session.span(target.id).state == "rejected"  # the key did its work
    measured["undo_ms"] = timed_ms(lambda: QTest.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    assert window.session.span(target.id).state == target.state
    return measured


def bench_relations_open(tmp: Path) -> dict:
    """Both windows open side by side, their rounds interleaved (the shared machine's
    load falls on both alike), the best of ``RUNS`` for each step."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    text = synthetic_articles(1, seed=9, words=(9000, 9000))[0].text
    spans = entity_spans(text, limit=N_ENTITIES)
    app = QApplication.instance() or QApplication(sys.argv)
    results: dict = {"relations_article_entities": len(spans)}
    windows = {}
    for name, with_relations in (("plain", False), ("relations", True)):
        path = tmp / f"relations-{name}.assay"
        count = _project(path, text, spans, with_relations)
        if with_relations:
            results["relations_article_relations"] = count
        window = MainWindow(QSettings(str(tmp / f"rel-{name}.ini"),
                                      QSettings.Format.IniFormat), "bench")
        window.open_project(path)
        window.show()
        app.processEvents()
        windows[name] = window
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in windows}
    for _ in range(RUNS):
        for name, window in windows.items():
            rounds[name].append(_round(window, app))
    for window in windows.values():
        window.close()
    for step in ("open_ms", "select_ms", "reject_ms", "undo_ms"):
        best = {name: min(r[step] for r in rounds[name]) for name in rounds}
        results[f"relations_article_{step}"] = best["relations"]
        results[f"relations_article_without_{step}"] = best["plain"]
        results[f"relations_article_{step[:-3]}_ratio"] = best["relations"] / max(
            best["plain"], 1e-6)
    return results
