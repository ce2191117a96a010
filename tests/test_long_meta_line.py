"""An article's meta line (source · date · URL · who decided) with a very long URL stays on
one line inside a 1024-pixel window: cut with "…", the whole line in its tooltip. Before,
the label asked for the URL's width and the window grew wider than the screen."""

from __future__ import annotations

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

URL = "https://news.example.org/" + "critical-minerals/" * 60 + "lithium?id=42"


def test_a_long_url_is_cut_with_an_ellipsis_and_the_window_keeps_its_width(qtbot, tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, name="Desk", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Lithium prices fell in Chile.", title="One",
                                        source="Example News", url=URL,
                                        published="2026-03-01")])
    win = open_window(qtbot, tmp_path, path)
    win.resize(1024, 640)
    qtbot.wait(50)
    meta = win.header.meta
    full = f"Example News  ·  2026-03-01  ·  {URL}"
    assert meta.text() == full
    assert win.width() <= 1024 and win.minimumSizeHint().width() < 1024
    shown = meta.shown_text()
    assert shown.startswith("Example News  ·  2026-03-01  ·  https://news.example.org/")
    assert shown.endswith("…") and len(shown) < len(full)
    assert meta.toolTip() == full
    assert meta.geometry().right() < win.width()
    # A line that fits is shown whole, without a tooltip.
    win.resize(1024, 640)
    meta.setText("Example News")
    assert meta.shown_text() == "Example News" and meta.toolTip() == ""
