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


def _pdf_with_chinese() -> bytes:
    """A one-page PDF in Helvetica and in Adobe's STSong-Light with the UniGB-UCS2-H
    encoding: reading its Chinese needs pdfminer's CMap files, which only a hook collects
    into the bundle (pyinstaller-hooks-contrib's hook-pdfminer)."""
    stream = (b"BT /F1 12 Tf 20 150 Td (Lithium from Chile) Tj ET\n"
              b"BT /F2 12 Tf 20 120 Td <4E2D56FD> Tj ET\n")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]"
        b"/Resources<</Font<</F1 4 0 R/F2 5 0 R>>>>/Contents 6 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light-UniGB-UCS2-H"
        b"/Encoding/UniGB-UCS2-H/DescendantFonts[7 0 R]>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"endstream",
        b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light/FontDescriptor 8 0 R"
        b"/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 2>>>>",
        b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[0 -200 1000 900]"
        b"/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 880/StemV 80>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _check_pdf(folder: Path) -> str:
    """PDF import (pdfminer.six and its CMap data files)."""
    from core.formats.importers import read_file
    from core.models import ArticleIn

    path = folder / "selftest.pdf"
    path.write_bytes(_pdf_with_chinese())
    (article,) = list(read_file(path))
    if not isinstance(article, ArticleIn) or article.text != "Lithium from Chile\n\n\u4e2d\u56fd":
        raise RuntimeError(f"PDF import gave {article!r}")
    return f"{len(article.text)} characters"


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
                  ("pdf", lambda: _check_pdf(folder)),
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
