"""Every token format gives back exactly the accepted spans, read by the consumer's own code.

Before this was fixed, the token exports tokenised with a plain ``spacy.blank("en")``
and snapped spans outwards: a reviewed "U.S." in "U.S.-Australia" came back as
"U.S.-Australia" and "Australia" was dropped. Here the files are read back with
spaCy's ``DocBin``, spaCy's CoNLL converter (in process and as ``spacy convert``) and
Prodigy's token/span layout, and the ``(start, end, label)`` sets must be equal.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.formats.export import export
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

HOSTILE = (
    "The U.S.-Australia pact covers cobalt(II) oxide; he said:\"China leads\". "
    "Lithium/cobalt prices fell — Chile’s output rose. Québec’s nickel and Zürich-based "
    "Glencore's \"Kamoto\" mine (DRC) matter. 😀 São Paulo's 3.5% stake, $1.2bn in 2024.\n"
    "| Lithium | Chile |\nEU—China talks; Indonesia/Philippines nickel, co-operation."
)
PARTS = [  # (text, label, which occurrence)
    ("U.S.", "GPE", 0), ("Australia", "GPE", 0), ("cobalt", "MINERAL", 0),
    ("China", "GPE", 0), ("Lithium", "MINERAL", 0), ("cobalt", "MINERAL", 1),
    ("Chile", "GPE", 0), ("Québec", "GPE", 0), ("nickel", "MINERAL", 0),
    ("Zürich", "GPE", 0), ("Glencore", "ORG", 0), ("Kamoto", "ORG", 0), ("DRC", "GPE", 0),
    ("São Paulo", "GPE", 0), ("3.5%", "PERCENT", 0), ("$1.2bn", "MONEY", 0),
    ("2024", "DATE", 0), ("Lithium", "MINERAL", 1), ("Chile", "GPE", 1), ("EU", "ORG", 0),
    ("China", "GPE", 1), ("Indonesia", "GPE", 0), ("Philippines", "GPE", 0),
    ("nickel", "MINERAL", 1), ("co", "ORG", 0),
]


def find(text: str, part: str, nth: int) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(part, at + 1)
    return at


def hostile_spans() -> set[tuple[int, int, str]]:
    out = set()
    for part, label, nth in PARTS:
        start = find(HOSTILE, part, nth)
        out.add((start, start + len(part), label))
    return out


def approved_project(path, texts_and_spans) -> Project:
    project = Project.create(path, rules=store_rules())
    project.add_articles([
        ArticleIn(text=text, title=f"A{i}", spans=tuple(
            SpanIn(s, e, label, origin="reviewer", state="accepted") for s, e, label in spans))
        for i, (text, spans) in enumerate(texts_and_spans)])
    for article_id in project.article_ids():
        project.approve_article(article_id, "ana")
    return project


# ---------------------------------------------------------------- readers: the consumers' code


def read_docbin(path) -> list[tuple[str, set]]:
    import spacy
    from spacy.tokens import DocBin

    docs = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    return [(d.text, {(e.start_char, e.end_char, e.label_) for e in d.ents}) for d in docs]


def read_prodigy(path) -> list[tuple[str, set]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        eg = json.loads(line)
        tokens = eg["tokens"]
        assert all(eg["text"][t["start"]:t["end"]] == t["text"] for t in tokens)
        assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == eg["text"]
        spans = set()
        for sp in eg["spans"]:  # Prodigy reads the token indices (token_end inclusive)
            start = tokens[sp["token_start"]]["start"]
            end = tokens[sp["token_end"]]["end"]
            assert (start, end) == (sp["start"], sp["end"])
            spans.add((start, end, sp["label"]))
        out.append((eg["text"], spans))
    return out


def conll_docs_to_spans(docs, texts: list[str]) -> list[tuple[str, set]]:
    """Map the converter's docs (words joined by spaces) back onto the article texts."""
    assert len(docs) == len(texts)  # one document per article
    out = []
    for doc, text in zip(docs, texts, strict=True):
        position, starts = 0, []
        for token in doc:
            at = text.index(token.text, position)
            assert text[position:at].strip() == ""  # only spaces were left out
            starts.append(at)
            position = at + len(token.text)
        spans = {(starts[e.start], starts[e.end - 1] + len(doc[e.end - 1].text), e.label_)
                 for e in doc.ents}
        out.append((text, spans))
    return out


def read_conll(path, texts: list[str]) -> list[tuple[str, set]]:
    from spacy.training.converters import conll_ner_to_docs

    docs = list(conll_ner_to_docs(path.read_text(encoding="utf-8"), no_print=True))
    return conll_docs_to_spans(docs, texts)


# ---------------------------------------------------------------- tests


def test_hostile_text_comes_back_exactly_in_every_token_format(tmp_path):
    expected = hostile_spans()
    project = approved_project(tmp_path / "h.assay", [(HOSTILE, expected)])
    for fmt, name in (("spacy", "h.spacy"), ("prodigy", "h.jsonl"), ("conll", "h.conll")):
        report = export(project, fmt, tmp_path / name)
        assert report.spans == len(expected)
    assert read_docbin(tmp_path / "h.spacy") == [(HOSTILE, expected)]
    assert read_prodigy(tmp_path / "h.jsonl") == [(HOSTILE, expected)]
    assert read_conll(tmp_path / "h.conll", [HOSTILE]) == [(HOSTILE, expected)]
    project.close()


@pytest.mark.slow
def test_spacy_convert_makes_one_document_per_article_with_the_same_entities(tmp_path):
    second = "Lynas Rare Earths Ltd. ships rare earths to Japan.\nNo more."
    rows = [(HOSTILE, hostile_spans()), (second, {(0, 22, "ORG"), (44, 49, "GPE")})]
    project = approved_project(tmp_path / "c.assay", rows)
    export(project, "conll", tmp_path / "c.conll")
    out = tmp_path / "converted"
    out.mkdir()
    done = subprocess.run([sys.executable, "-m", "spacy", "convert", str(tmp_path / "c.conll"),
                           str(out), "--converter", "ner"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(out / "c.spacy").get_docs(spacy.blank("en").vocab))
    assert conll_docs_to_spans(docs, [HOSTILE, second]) == rows
    project.close()


def test_prodigy_hashes_group_equal_texts(tmp_path):
    project = approved_project(tmp_path / "p.assay", [
        ("Cobalt from the DRC.", {(0, 6, "MINERAL")}),
        ("Cobalt from the DRC.\n", {(0, 6, "MINERAL"), (16, 19, "GPE")}),
        ("Nickel from Indonesia.", set())])
    export(project, "prodigy", tmp_path / "p.jsonl")
    egs = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    hashes = [(eg["_input_hash"], eg["_task_hash"]) for eg in egs]
    assert all(isinstance(h, int) for pair in hashes for h in pair)
    assert len({h for h, _ in hashes}) == 3  # three different texts
    from core.formats.prodigy import prodigy_hashes

    again = prodigy_hashes("Cobalt from the DRC.", egs[0]["spans"])
    assert again == hashes[0]  # equal text and spans: equal hashes
    assert prodigy_hashes("Cobalt from the DRC.", [])[0] == hashes[0][0]
    assert prodigy_hashes("Cobalt from the DRC.", [])[1] != hashes[0][1]
    project.close()


@pytest.mark.slow
def test_a_text_longer_than_spacys_limit_exports_in_every_token_format(tmp_path):
    tail = " Chile exports copper to China."
    text = "Lithium " + "x" * 1_000_050 + tail
    spans = {(0, 7, "MINERAL"), (len(text) - len(tail) + 1, len(text) - len(tail) + 6, "GPE")}
    project = approved_project(tmp_path / "long.assay", [(text, spans)])
    export(project, "spacy", tmp_path / "l.spacy")
    export(project, "prodigy", tmp_path / "l.jsonl")
    export(project, "conll", tmp_path / "l.conll")
    assert read_docbin(tmp_path / "l.spacy") == [(text, spans)]
    assert read_prodigy(tmp_path / "l.jsonl") == [(text, spans)]
    assert read_conll(tmp_path / "l.conll", [text]) == [(text, spans)]
    project.close()


_ALPHABET = st.sampled_from(list("ab Z9.,-'’\"()/—:;%$|\n\té😀") + ["U.S.", "Ltd.", "'s"])


@st.composite
def text_with_spans(draw):
    text = "".join(draw(st.lists(_ALPHABET, min_size=1, max_size=40)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    spans, last = set(), 0
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        start = max(start, last)
        piece = text[start:end]
        if end <= start or piece != piece.strip() or not piece.strip():
            continue
        spans.add((start, end, draw(st.sampled_from(["GPE", "ORG", "MINERAL"]))))
        last = end
    return text, spans


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.slow
@given(st.lists(text_with_spans(), min_size=1, max_size=3, unique_by=lambda r: r[0]))
def test_any_spans_on_any_text_come_back_exactly(tmp_path_factory, rows):
    rows = [(t, s) for t, s in rows if t.strip()]
    if not rows:
        return
    folder = tmp_path_factory.mktemp("prop")
    project = approved_project(folder / "p.assay", rows)
    texts = [project.article(i).text for i in project.article_ids()]
    if texts != [t for t, _ in rows]:  # normalisation changed a text: not this test's case
        project.close()
        return
    export(project, "spacy", folder / "p.spacy")
    export(project, "prodigy", folder / "p.jsonl")
    export(project, "conll", folder / "p.conll")
    assert read_docbin(folder / "p.spacy") == rows
    assert read_prodigy(folder / "p.jsonl") == rows
    conll_rows = [(t, s) for t, s in rows]
    assert read_conll(folder / "p.conll", texts) == conll_rows
    project.close()


def test_conll_refuses_a_span_that_ends_in_a_space(tmp_path):
    from core.errors import AssayError

    project = approved_project(tmp_path / "s.assay", [("Chile and Peru.", {(0, 6, "GPE")})])
    with pytest.raises(AssayError, match="begins or ends with a space"):
        export(project, "conll", tmp_path / "s.conll")
    assert not (tmp_path / "s.conll").exists()
    export(project, "spacy", tmp_path / "s.spacy")  # spaCy keeps the space: exported exactly
    assert read_docbin(tmp_path / "s.spacy") == [("Chile and Peru.", {(0, 6, "GPE")})]
    project.close()
