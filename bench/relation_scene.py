"""Screenshots of relations in the review window (issue 26): an article with entities and
relations, one entity selected with its relations drawn and listed, light and dark, at
1024×640; and the 300-entity, 200-relation article of ``bench.relations_open`` (with a few
relations between ends far apart) in the Relations tab, with every arc drawn (Shift+R)
and with an end off screen. ``python -m bench.relation_scene DIR``; open the PNGs and look
at them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from core.models import ArticleIn, RelationIn, RelationType, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

TEXT = """China tightens its grip on rare earth processing

China refines about 90% of the world's rare earths and processes most of its gallium, \
according to the International Energy Agency. In 2023 China restricted gallium exports to \
Japan and the United States, and the move pushed buyers to look elsewhere.

Australia is a leading producer of lithium and exports spodumene to China. The Export-Import \
Bank of the United States provided $120 million in financing to Lynas, which operates a \
separation plant in Malaysia. Lynas also processes rare earths in Texas.

Japan signed a partnership with Australia on critical minerals, and both joined the \
Minerals Security Partnership."""

ENTITIES = [("China", "GPE"), ("China", "GPE"), ("rare earths", "MINERAL"),
            ("gallium", "MINERAL"), ("International Energy Agency", "ORG"),
            ("2023", "DATE"), ("China", "GPE"),
            ("gallium", "MINERAL"), ("Japan", "GPE"), ("United States", "GPE"),
            ("Australia", "GPE"), ("lithium", "MINERAL"), ("spodumene", "MINERAL"),
            ("China", "GPE"), ("Export-Import \nBank of the United States", "ORG"),
            ("$120 million", "MONEY"), ("Lynas", "ORG"), ("Malaysia", "GPE"),
            ("Lynas", "ORG"), ("rare earths", "MINERAL"), ("Texas", "GPE"),
            ("Japan", "GPE"), ("Australia", "GPE"), ("Minerals Security Partnership", "ORG")]
# (head index, tail index, type, state) into ENTITIES
RELATIONS = [(1, 2, "PROCESSES", "accepted"), (1, 3, "PROCESSES", "suggested"),
             (6, 7, "RESTRICTS", "accepted"), (6, 8, "RESTRICTS", "suggested"),
             (6, 9, "RESTRICTS", "suggested"), (10, 11, "PRODUCES", "accepted"),
             (10, 12, "SUPPLIES", "suggested"), (10, 13, "SUPPLIES", "suggested"),
             (14, 16, "FUNDS", "accepted"), (16, 17, "LOCATED_IN", "suggested"),
             (18, 19, "PROCESSES", "suggested"), (21, 22, "PARTNERS_WITH", "accepted"),
             (21, 23, "MEMBER_OF", "suggested")]


def scene_article() -> ArticleIn:
    text = TEXT.replace("Export-Import \\\nBank", "Export-Import Bank")
    spans, at = [], 0
    for part, label in ENTITIES:
        part = part.replace(" \n", " ")
        start = text.index(part, at)
        spans.append(SpanIn(start, start + len(part), label,
                            state="accepted" if label in ("GPE", "MINERAL") else "suggested"))
        at = start + len(part)
    return ArticleIn(text=text, title="China tightens its grip on rare earth processing",
                     source="scene", spans=tuple(spans),
                     relations=tuple(RelationIn(h, t, kind, state=state, origin="rules")
                                     for h, t, kind, state in RELATIONS))


def big_article(types: list[RelationType]) -> ArticleIn:
    """``bench.relations_open``'s article: 300 entities, 200 relations between near ones,
    and a few whose ends are paragraphs apart (their arcs go to the view's edge)."""
    from bench.corpus import entity_spans, synthetic_articles
    from bench.relations_open import N_ENTITIES, N_RELATIONS, relations_between

    text = synthetic_articles(1, seed=9, words=(9000, 9000))[0].text
    spans = entity_spans(text, limit=N_ENTITIES)
    near = relations_between(spans, types, N_RELATIONS - 4)
    far = []
    for start in (30, 80, 140, 200):
        i, j, kind = next((i, j, t) for i in range(start, len(spans))
                          for j in range(i + 25, len(spans)) for t in types
                          if t.allows(spans[i].label, spans[j].label))
        far.append(RelationIn(i, j, kind.name, state="suggested", origin="rules"))
    return ArticleIn(text=text, title="300 entities, 200 relations", source="bench",
                     spans=tuple(spans), relations=tuple(near + far))


def big_shots(window, app, out: Path, theme: str) -> None:
    """The 300-entity article: the Relations tab with a suggested row gone to (Enter),
    every arc drawn, and an entity whose relation's other end is off screen."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    window.show_article(2)
    window.side_tabs.setCurrentWidget(window.side_panel.relation_table)
    table = window.side_panel.relation_table
    settle()
    row = next(i for i, r in enumerate(table.rows) if r.relation.state == "suggested"
               and i > 12)
    table.table.setFocus()
    table.table.setCurrentIndex(table.model.index(row, 0))
    QTest.keyClick(table.table, Qt.Key.Key_Return)
    settle()
    window.grab().save(str(out / f"relations-table-{theme}-1024x640.png"))
    window.act_all_relations.trigger()
    settle()
    window.grab().save(str(out / f"relations-all-{theme}-1024x640.png"))
    far = max(window.session.relations, key=lambda r: abs(r.tail_id - r.head_id))
    window.act_all_relations.trigger()
    window.relation_review.select_relation(far.id)
    window.view.centre_on(window.session.span(far.head_id).start)
    settle()
    window.grab().save(str(out / f"relations-far-end-{theme}-1024x640.png"))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.common.theme import apply_theme
    from gui.window.main_window import MainWindow

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shots26/window")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "relations.assay"
        with Project.create(path, rules=store_rules()) as project:
            project.add_articles([scene_article(), big_article(project.relation_types())])
        for dark in (False, True):
            apply_theme(app, dark)
            window = MainWindow(QSettings(str(Path(tmp) / f"s{dark}.ini"),
                                          QSettings.Format.IniFormat), "ana")
            window.open_project(path)
            window.show()
            window.resize(1024, 640)  # shown first: the columns fit the window's width
            view = window.view
            view.setFocus()
            theme = "dark" if dark else "light"
            for name, pick in (("selected", 1), ("relation-selected", 6), ("drawing", 10)):
                span = [s for s in view.spans if s.live][pick]
                view.select_span(span.id)
                if name == "drawing":
                    window.relation_review.start()
                    view.step_entity(2)
                elif name == "relation-selected":
                    rel = window.session.relations[3]
                    window.relation_review.select_relation(rel.id)
                for _ in range(3):
                    app.processEvents()
                window.grab().save(str(out / f"relations-{name}-{theme}-1024x640.png"))
                window.relation_review.cancel(say=False)
            window.side_tabs.setCurrentWidget(window.side_panel.guide)
            app.processEvents()
            guide = window.side_panel.guide
            heading = guide.rows[len(window.project.labels()) - 1][1]
            guide.verticalScrollBar().setValue(heading.y() + heading.height())
            app.processEvents()
            window.grab().save(str(out / f"relations-guide-{theme}-1024x640.png"))
            big_shots(window, app, out, theme)
            window.close()
        apply_theme(app, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
