"""A scripted review, counted in keys: how many key presses (and mouse drags) a reviewer
needs for the common decisions on one pre-annotated article, and how long the window
takes to carry them out.

The script is the same for every version of Assay: on an article with 28 suggestions
and a suggested claim, reach and relabel one entity, reach and reject another, reach
one and move its end by a token, add an entity nothing suggested, and approve. To reach
an entity the planner takes the shortest of the ways this version offers (Tab steps;
where they exist, next undecided, next of a label, type-to-jump), then presses those
keys for real and checks that the intended entity is selected, so a count can never
describe keys that do not work.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from bench.corpus import article_text, entity_spans
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

STEPS = ("reach", "relabel", "reject", "fix a boundary", "add a missed entity", "approve")


def _article() -> ArticleIn:
    rng = random.Random(13)
    text = article_text(rng, 190)
    spans = [SpanIn(s.start, s.end, s.label, state="suggested") for s in entity_spans(text)]
    return ArticleIn(text=text, title="Scripted review", source="bench", spans=tuple(spans))


class Planner:
    """The keys this window offers for reaching an entity, shortest first."""

    def __init__(self, window) -> None:
        self.window = window
        self.view = window.view

    def live(self):
        return [s for s in self.view.spans if s.live]

    def ways(self, target) -> list[list[str]]:
        spans = self.live()
        ids = [s.id for s in spans]
        here = ids.index(self.view.selected_id) if self.view.selected_id in ids else -1
        there = ids.index(target.id)
        n = len(ids)
        forward = (there - here) % n if here >= 0 else there + 1
        back = (here - there) % n if here >= 0 else n - there
        ways = [["Tab"] * forward, ["Shift+Tab"] * back]
        view = self.view
        if hasattr(view, "jumps"):  # issue 13: Space, Alt+label, type-to-jump
            ways += self._repeat(lambda: view.jumps.step_undecided(1), "Space", target)
            hotkey = next(lb.hotkey for lb in self.window.project.labels()
                          if lb.name == target.label)
            ways += self._repeat(lambda: view.jumps.step_label(target.label, 1), f"Alt+{hotkey}",
                                 target)
            ways += [self.find_keys(target.start, target.end)]
        return sorted((w for w in ways if w), key=len)

    def _repeat(self, step, key: str, target) -> list[list[str]]:
        """How many presses of ``key`` reach ``target`` (tried on the view, then undone)."""
        view = self.view
        saved = view.selected_id
        count = 0
        for presses in range(1, 60):
            step()
            if view.selected_id == target.id:
                count = presses
                break
        view.select_span(saved, scroll=False)
        return [[key] * count] if count else []

    def find_keys(self, start: int, end: int) -> list[str]:
        """/ and the shortest prefix of the text at ``start`` that type-to-jump lands on."""
        from core.review.navigation import find_next
        from core.text.tokens import snap

        view = self.view
        here, offset = view.jumps.here()
        anchor = here.start if here is not None else offset
        word = view.text[start:end]
        for n in range(1, len(word) + 1):
            hit = find_next(view.text, view.spans, word[:n], anchor,
                            lambda a, b: snap(view.tokens, a, b))
            if hit is not None and hit.start == start:
                return ["/", *word[:n], "Return"]
        return []


def press(qtbot_like, widget, keys: list[str]) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    for key in keys:
        seq = QKeySequence(key)
        combo = seq[0]
        target = widget.window().focusWidget() or widget
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
        qtbot_like.processEvents()


def run(window, app) -> dict:
    """Play the script in ``window`` (a project with the scripted article open)."""
    view = window.view
    planner = Planner(window)
    keys: dict[str, int] = dict.fromkeys(STEPS, 0)
    drags = 0
    started = time.perf_counter()

    def reach(span) -> None:
        way = planner.ways(span)[0]
        press(app, view, way)
        assert view.selected_id == span.id, (way, view.selected_id, span.id)
        keys["reach"] += len(way)

    def hotkey(label: str) -> str:
        return next(lb.hotkey for lb in window.project.labels() if lb.name == label)

    live = planner.live()
    # 1. an ORG that is really a GPE
    target = live[17]
    reach(target)
    press(app, view, [hotkey("GPE" if target.label != "GPE" else "ORG")])
    keys["relabel"] += 1
    # 2. a wrong suggestion
    target = planner.live()[23]
    reach(target)
    press(app, view, ["Delete"])
    keys["reject"] += 1
    # 3. an entity one token too short
    target = planner.live()[11]
    reach(target)
    press(app, view, ["Alt+Right"])
    keys["fix a boundary"] += 1
    # 4. a year nothing suggested, as DATE
    text = window.article.text
    year = next(w for w in text.split() if w.rstrip(".").isdigit() and len(w.rstrip(".")) == 4)
    start = text.index(year)
    end = start + 4
    way = planner.find_keys(start, end) if hasattr(view, "jumps") else []
    if way:
        press(app, view, way)
        keys["add a missed entity"] += len(way)
    else:
        view.select_span(None, scroll=False)  # a mouse drag: selects text, not the entity
        view.set_text_selection(start, end)
        drags += 1
    press(app, view, [hotkey("DATE")])
    keys["add a missed entity"] += 1
    assert any((s.start, s.end, s.label) == (start, end, "DATE") for s in window.session.spans)
    # 5. approve: A, and whatever this version asks before it goes on
    article_id = window.article.id
    press(app, view, ["A"])
    keys["approve"] += 1
    prompt = getattr(window.claims_review, "prompt", None)
    if prompt is None:
        app.processEvents()
    status = window.project.article(article_id).status
    if status != "approved":
        raise AssertionError("approve did not approve")
    seconds = time.perf_counter() - started
    return {"review_keys_total": sum(keys.values()), "review_drags": drags,
            **{f"review_keys_{step.replace(' ', '_')}": n for step, n in keys.items()},
            "review_window_seconds": seconds}


def bench_review_keys(tmp: Path) -> dict:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.window.main_window import MainWindow

    path = tmp / "keys.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([_article()])
        project.suggest_claims(1, "model")
    app = QApplication.instance() or QApplication([])
    window = MainWindow(QSettings(str(tmp / "keys.ini"), QSettings.Format.IniFormat), "bench")
    window.open_project(path)
    window.show()
    window.activateWindow()
    app.processEvents()
    window.view.setFocus()
    extra = {"approve": 0}

    def answer_prompt() -> None:  # versions that ask before approving: the reviewer answers
        box = app.activeModalWidget()
        if isinstance(box, QMessageBox):
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            QTest.keyClick(box, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
            QTest.keyClick(box, Qt.Key.Key_Return)
            extra["approve"] += 2

    timer = QTimer()
    timer.timeout.connect(answer_prompt)
    timer.start(50)
    result = run(window, app)
    timer.stop()
    result["review_keys_approve"] += extra["approve"]
    result["review_keys_total"] += extra["approve"]
    result["review_suggestions"] = len(_article().spans)
    window.close()
    return result


def _fits(window, head, tail):
    """The first relation type (in the scheme's order) joining ``head`` to ``tail``."""
    return next((t for t in window.session.relation_types() if t.hotkey
                 and t.allows(head.label, tail.label)), None)


def _draw(app, window, planner, head, tail, kind) -> int:
    """R, the shortest way to ``tail``, the type's key: pressed for real, checked in the
    file, then undone (not counted). Returns the keys pressed."""
    view = window.view
    view.select_span(head.id)
    app.processEvents()
    press(app, view, ["R"])
    way = planner.ways(tail)[0]
    press(app, view, way)
    assert view.selected_id == tail.id, (way, view.selected_id, tail.id)
    press(app, view, [kind.hotkey])
    made = [r for r in window.project.relations(window.article.id)
            if (r.head_id, r.tail_id, r.type) == (head.id, tail.id, kind.name)]
    assert made, window.statusBar().currentMessage()
    press(app, view, ["Ctrl+Z"])
    return 2 + len(way)


def run_relations(window, app) -> dict:
    """Keys per relation: to the next entity in the sentence, and to any entity on screen
    from one head (the worst and the mean)."""
    view = window.view
    planner = Planner(window)
    text = window.article.text
    live = planner.live()
    nexts = []
    for head, tail in zip(live, live[1:], strict=False):
        kind = _fits(window, head, tail)
        if kind is not None and "." not in text[head.end:tail.start]:
            nexts.append(_draw(app, window, planner, head, tail, kind))
        if len(nexts) == 5:
            break
    head = next(s for s in live if s.label in ("GPE", "ORG"))
    view.select_span(head.id)
    app.processEvents()
    height = view.viewport().height()
    on_screen = [s for s in planner.live() if s.id != head.id
                 and view.span_rects(s)[0].top() >= 0 and view.span_rects(s)[0].bottom() <= height]
    anywhere = [_draw(app, window, planner, head, tail, kind) for tail in on_screen
                if (kind := _fits(window, head, tail)) is not None]
    return {"relation_keys_next_in_sentence": max(nexts),
            "relation_keys_on_screen_worst": max(anywhere),
            "relation_keys_on_screen_mean": sum(anywhere) / len(anywhere),
            "relation_targets_on_screen": len(anywhere)}


def bench_relation_keys(tmp: Path) -> dict:
    """The relations scenario (issue 26): the scripted article in a window at 1024×640."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    path = tmp / "relation-keys.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([_article()])
    app = QApplication.instance() or QApplication([])
    window = MainWindow(QSettings(str(tmp / "relation-keys.ini"), QSettings.Format.IniFormat),
                        "bench")
    window.open_project(path)
    window.resize(1024, 640)
    window.show()
    window.activateWindow()
    app.processEvents()
    window.view.setFocus()
    result = run_relations(window, app)
    window.close()
    return result
