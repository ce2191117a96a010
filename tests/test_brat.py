"""brat standoff export (issue 26), read back by brat's own reader: ``bratsubset``, the
part of brat's server code (``annotation.py``: TextAnnotations, which checks each entity's
offsets and text against the ``.txt``; ``projectconfig.py``: annotation.conf) that the
bratiaa package ships (MIT, a dev dependency)."""

from __future__ import annotations

import zipfile

import pytest

from core.errors import AssayError
from core.formats.export import export
from core.models import RelationType
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.relations_corpus import R, assay_cli, build, triples


@pytest.fixture
def brat_messages():
    """brat's reader reports problems to its Messager (as its server would show them):
    the messages of what the test read, cleared before and after."""
    from bratsubset.message import Messager

    Messager.output_json({})

    def take() -> list:
        return Messager.output_json({})["messages"]

    yield take
    take()


def _unpacked(archive, into):
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
        return sorted(z.namelist())


def _read(document):
    """One document as brat reads it: entities by id as (start, end, label, text), the
    relations and the normalisations."""
    from bratsubset.annotation import TextAnnotations

    anns = TextAnnotations(str(document), read_only=True)
    assert anns.failed_lines == []
    text = anns.get_document_text()
    entities = {}
    for t in anns.get_textbounds():
        (start, _), (_, end) = t.spans[0], t.spans[-1]
        # the fragments' text, joined with a space, is what brat checked against the .txt
        assert t.text == " ".join(text[a:b] for a, b in t.spans)
        entities[t.id] = (start, end, t.type, text[start:end])
    relations = [(r.type, r.arg1, r.arg2) for r in anns.get_relations()]
    links = {n.target: (n.refdb, n.refid, n.reftext) for n in anns.get_normalizations()}
    return text, entities, relations, links


@pytest.mark.slow  # assay-cli in processes of its own
def test_brat_reads_back_entities_relations_and_links_exactly(tmp_path, brat_messages):
    from bratsubset.projectconfig import ProjectConfiguration

    with build(tmp_path) as project:
        path = project.path
    done = assay_cli("export", str(path), "-f", "brat", "-o", str(tmp_path / "corpus.zip"))
    assert done.returncode == 0, done.stderr
    assert "Exported 2 article(s), 11 entities, 5 relations to" in done.stdout
    project = Project.open(path, rules=store_rules())
    names = _unpacked(tmp_path / "corpus.zip", tmp_path / "out")
    assert names == ["corpus/annotation.conf", "corpus/article-1.ann", "corpus/article-1.txt",
                     "corpus/article-2.ann", "corpus/article-2.txt", "corpus/visual.conf"]
    folder = tmp_path / "out" / "corpus"
    config = ProjectConfiguration(str(folder))
    for article_id in (1, 2):
        text, entities, relations, links = _read(folder / f"article-{article_id}")
        assert text == project.article(article_id).text  # emoji, accents, U+2028, \n
        spans = [s for s in project.spans(article_id) if s.state == "accepted"]
        assert sorted(entities.values()) == sorted(
            (s.start, s.end, s.label, s.text) for s in spans)
        ends = {tid: (start, end, label) for tid, (start, end, label, _t) in entities.items()}
        assert {(ends[a], kind, ends[b]) for kind, a, b in relations} == triples(
            project, article_id)
        for kind, a, b in relations:  # each relation is one brat's config allows
            assert kind in config.relation_types_from_to(ends[a][2], ends[b][2])
        by_span = {(s.start, s.end): s.kb_id for s in spans if s.kb_id}
        assert {ends[t][:2]: (db, kb_id) for t, (db, kb_id, _n) in links.items()} == {
            place: ("Assay", kb_id) for place, kb_id in by_span.items()}
    assert set(config.get_entity_types()) == project.label_names()
    assert config.get_relation_types() == [t.name for t in project.relation_types()]
    # visual.conf gives brat each label's and type's colour
    colours = {lb.name: lb.color for lb in project.labels()}
    assert config.get_drawing_config_by_type("GPE") == {"bgColor": colours["GPE"]}
    assert config.get_drawing_config_by_type("PRODUCES") == {
        "color": project.relation_type("PRODUCES").color}
    assert brat_messages() == []
    # The rich article has a relation of each kind the test needs; the plain one none.
    assert _read(folder / "article-1")[2] and _read(folder / "article-2")[2] == []
    lynas = next(e for e in _read(folder / "article-1")[1].values() if e[2] == "ORG"
                 and "\n" in e[3])
    assert lynas[3] == "Lynas Rare\nEarths Ltd."
    project.close()


def test_a_symmetric_type_is_written_in_the_order_its_config_allows(tmp_path, brat_messages):
    from bratsubset.projectconfig import ProjectConfiguration

    project = build(tmp_path)
    project.add_relation_type(RelationType("ALLIED", ("GPE",), ("ORG",), symmetric=True), R)
    spans = {s.text: s.id for s in project.spans(1)}
    project.add_relation(1, spans["Tesla"], spans["Malaysia"], "ALLIED", R)  # ORG → GPE
    export(project, "brat", tmp_path / "c.zip")
    _unpacked(tmp_path / "c.zip", tmp_path / "out")
    _text, entities, relations, _links = _read(tmp_path / "out" / "c" / "article-1")
    (allied,) = [(entities[a][3], entities[b][3]) for kind, a, b in relations
                 if kind == "ALLIED"]
    assert allied == ("Malaysia", "Tesla")
    config = ProjectConfiguration(str(tmp_path / "out" / "c"))
    assert "ALLIED" in config.relation_types_from_to("GPE", "ORG")
    assert brat_messages() == []


@pytest.mark.slow  # assay-cli in processes of its own
def test_names_brat_cannot_store_refuse_the_export_with_a_sentence(tmp_path):
    with build(tmp_path) as project:
        project.rename_label("ORG", "Company name", R)
        path = project.path
    dest = tmp_path / "c.zip"
    done = assay_cli("export", str(path), "-f", "brat", "-o", str(dest))
    assert done.returncode == 1
    assert "brat type names hold only letters A-Z, digits, _ and -" in done.stderr
    assert "'Company name'" in done.stderr and "'Company_name'" in done.stderr
    assert not dest.exists() and list(tmp_path.glob("*.partial")) == []
    with Project.open(path, rules=store_rules()) as project:
        project.rename_label("Company name", "ORG", R)
        project.update_relation_type("SUPPLIES", RelationType(
            "SUPPLIES TO", ("GPE", "ORG"), ("GPE", "ORG", "MINERAL")), R)
        with pytest.raises(AssayError, match="relation type 'SUPPLIES TO' cannot be written"):
            export(project, "brat", dest)
        assert not dest.exists()
        # Left out with --label, the entities go and so do their relations: the rest exports.
        project.rename_label("ORG", "Company name", R)
        report = export(project, "brat", dest, labels=["GPE", "MINERAL"])
        assert report.articles == 2 and dest.exists()


def test_the_windows_export_dialog_writes_the_brat_collection(qtbot, tmp_path):
    """File → Export… with brat chosen: the same export, off the GUI thread, and the status
    bar says what it wrote."""
    from PySide6.QtCore import QSettings

    from gui.window.main_window import MainWindow

    with build(tmp_path) as project:
        path = project.path
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, R)
    qtbot.addWidget(window)
    window.open_project(path)
    window.show()
    dialog = window.jobs.export_dialog()
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    assert dialog.destination.text().endswith("relations-brat.zip")
    dest = tmp_path / "from-window.zip"
    dialog.destination.setText(str(dest))
    dialog.accept()
    qtbot.waitUntil(lambda: window.jobs.job is None and dest.exists(), timeout=30_000)
    assert "Exported 2 article(s), 11 entities, 5 relations" in \
        window.statusBar().currentMessage()
    names = _unpacked(dest, tmp_path / "out")
    assert "from-window/article-1.ann" in names
    _text, _entities, relations, _links = _read(tmp_path / "out" / "from-window" / "article-1")
    assert len(relations) == 5


def test_an_entity_ending_in_a_line_break_is_refused_not_cut(tmp_path):
    """brat's lines end at a line break, so an entity's text cannot end with one: the
    export says so rather than write the entity one character short."""
    with build(tmp_path) as project:
        text = project.article(1).text
        at = text.index("pact.\n")
        project.add_span(1, at, at + 6, "EVENT", R)
        with pytest.raises(AssayError, match="'pact.' begins or ends with a line break"):
            export(project, "brat", tmp_path / "c.zip")
    assert not (tmp_path / "c.zip").exists()
