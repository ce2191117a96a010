"""The spaCy DocBin carries relations as spaCy's relation-extraction example reads them
(explosion/projects, tutorials/rel_component: ``doc._.rel[(head start, tail start)] =
{TYPE: 1.0}``, stored with ``DocBin(store_user_data=True)``), read back here the way the
tutorial does: register the ``rel`` extension, load the DocBin, look up each pair of
entities by their start tokens."""

from __future__ import annotations

import pytest

from core.formats.export import export
from core.models import RelationType
from tests.relations_corpus import R, build, triples


@pytest.fixture
def rel_extension():
    from spacy.tokens import Doc

    Doc.set_extension("rel", default={}, force=True)  # as the tutorial's rel_pipe.py does
    yield
    Doc.remove_extension("rel")


def _read(path) -> list:
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def _restored(doc) -> set:
    """``doc._.rel`` as ((start, end, label), type, (start, end, label)) in characters,
    each end found as the tutorial's get_instances finds it: an entity by its start token."""
    by_start = {ent.start: (ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
    out = set()
    for e1 in doc.ents:
        for e2 in doc.ents:
            for kind, value in doc._.rel.get((e1.start, e2.start), {}).items():
                if value == 1.0:
                    out.add((by_start[e1.start], kind, by_start[e2.start]))
    # every key names two entity starts of this doc's own tokens
    assert all(h in by_start and t in by_start for h, t in doc._.rel)
    return out


def _both_ways(found: set, symmetric: set[str]) -> set:
    return found | {(t, k, h) for h, k, t in found if k in symmetric}


def test_docbin_relations_read_back_as_the_tutorial_reads_them(tmp_path, rel_extension):
    project = build(tmp_path)
    odd = 'Ties "A<B" & Co.'  # a type name is any string to spaCy: it is carried as it is
    project.add_relation_type(RelationType(odd, ("GPE",), ("GPE",)), R)
    spans = {s.text: s.id for s in project.spans(1)}
    project.add_relation(1, spans["China"], spans["Japan"], odd, R)
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    report = export(project, "spacy", tmp_path / "rel.spacy")
    assert (report.articles, report.relations) == (2, 6)
    rich, plain = _read(tmp_path / "rel.spacy")
    assert rich.text == project.article(1).text
    assert _restored(rich) == _both_ways(triples(project, 1), symmetric)
    assert ("PARTNERS_WITH" in rich._.rel[(1, 3)]) and ("PARTNERS_WITH" in rich._.rel[(3, 1)])
    # The entity with a line break inside starts where its first token does.
    lynas = next(e for e in rich.ents if e.text.startswith("Lynas"))
    assert rich[lynas.start].text == "Lynas"
    assert (lynas.start, next(e for e in rich.ents if e.text == "Malaysia").start) in rich._.rel
    # An article without relations exports cleanly: its entity, no relation.
    assert plain._.rel == {} and [e.text for e in plain.ents] == ["Chile"]


def test_a_train_dev_split_keeps_each_docs_relations(tmp_path, rel_extension):
    project = build(tmp_path)
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    export(project, "spacy", tmp_path / "c.spacy", split=0.5, seed=0)
    docs = _read(tmp_path / "c-train.spacy") + _read(tmp_path / "c-dev.spacy")
    by_text = {doc.text: _restored(doc) for doc in docs}
    assert by_text == {project.article(1).text: _both_ways(triples(project, 1), symmetric),
                       project.article(2).text: set()}
