"""``Assay --selftest``: proves a built app works, one printed line per check.

Run by the packaging test on the PyInstaller bundle, where a missing data
file or hidden import would otherwise only show on a user's machine.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

SENTENCE = "Australia shipped lithium to China, the IEA said on Monday."


def _check_model() -> str:
    from core.nlp.pipeline import load_annotator

    annotator = load_annotator()
    if annotator.fallback:
        raise RuntimeError(annotator.warning or "model missing")
    ((spans, _tokens),) = list(annotator.annotate([SENTENCE]))
    found = {SENTENCE[s.start:s.end]: s.label for s in spans}
    if found.get("lithium") != "MINERAL" or found.get("Australia") != "GPE":
        raise RuntimeError(f"unexpected entities: {found}")
    return f"{annotator.model_id}: {len(spans)} entities"


def _check_project(folder: Path) -> str:
    from core.formats.html import extract_html
    from core.models import ArticleIn
    from core.nlp.store_rules import store_rules
    from core.store import Project

    # The HTML extractor (trafilatura, lxml, babel with its locales trimmed by build.spec)
    # is the part of the bundle most likely to miss a data file.
    page = extract_html(f"<html><head><title>T</title></head><body><nav>Menu</nav>"
                        f"<article><p>{SENTENCE}</p></article></body></html>")
    if page.text != SENTENCE:
        raise RuntimeError(f"HTML extraction gave {page.text!r}")
    # Charts (matplotlib, its fonts and data files) are the other part most likely to miss
    # a file in the bundle.
    import io

    from core.teams.charts import agreement_figure

    png = io.BytesIO()
    agreement_figure({"pairs": [{"reviewers": ["a", "b"], "span_f1": 0.5,
                                 "per_label": {"GPE": 0.5}}]}).savefig(png, format="png")
    if not png.getvalue().startswith(b"\x89PNG"):
        raise RuntimeError("the agreement chart did not render")
    with Project.create(folder / "selftest.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=SENTENCE, title="self-test")])
        project.add_span(1, 0, 9, "GPE", "selftest")
        project.approve_article(1, "selftest")
        if not project.integrity_ok():
            raise RuntimeError("integrity check failed")
    return str(folder / "selftest.assay")


def _check_training(folder: Path) -> str:
    """spaCy's config-driven training (its config template, registered readers, batchers,
    optimizers and our progress logger) is the part of the bundle most likely to miss a
    data file or a module that only a config names."""
    from core.nlp.training import Example, train

    spans = [(0, 9, "GPE"), (18, 25, "MINERAL"), (29, 34, "GPE")]
    result = train([Example(1, "a", SENTENCE, spans)], [Example(2, "b", SENTENCE, spans)],
                   folder / "models", model_id="selftest", epochs=1)
    return f"{result.meta['annotator']} in {result.meta['train_seconds']} s"


def _check_window(folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.nlp.store_rules import store_rules
    from core.store import Project
    from gui.window.main_window import MainWindow

    # Fail here, not in a modal dialog.
    Project.open(folder / "selftest.assay", rules=store_rules()).close()
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(folder / "selftest.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "selftest")
    if not window.open_project(folder / "selftest.assay"):
        raise RuntimeError("project did not open")
    window.show()
    app.processEvents()
    shown = window.view.toPlainText() == SENTENCE
    window.close()
    if not shown:
        raise RuntimeError("article text not shown")
    return "opened and closed"


def run_selftest(print_line: Callable[[str], None] = print) -> int:
    """Run every check; 0 when all pass, 1 (naming the failing check) otherwise."""
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        checks = [("model", _check_model), ("project", lambda: _check_project(folder)),
                  ("training", lambda: _check_training(folder)),
                  ("window", lambda: _check_window(folder))]
        for name, check in checks:
            started = time.perf_counter()
            try:
                detail = check()
            except Exception as exc:  # report every failure, keep checking
                failed.append(name)
                print_line(f"FAIL {name}: {exc}")
                traceback.print_exc()
                continue
            print_line(f"ok   {name} ({time.perf_counter() - started:.2f} s): {detail}")
    print_line("self-test passed" if not failed else f"self-test FAILED: {', '.join(failed)}")
    return 1 if failed else 0
