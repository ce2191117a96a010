"""Text of any length pre-annotates, and one article the pipeline fails on does not stop a run.

Before this was fixed, an article with a line over spaCy's 1,000,000 characters
(E088) crashed ``annotate`` with a traceback, and every re-run stopped at it, so
nothing after it was ever annotated.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from core.jobs.annotate import annotate_project
from core.models import ArticleIn
from core.nlp.pipeline import load_annotator
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text import tokens as tokens_module
from core.text.tokens import segments, token_offsets

SENTENCE = "Glencore shipped cobalt from the DRC to China in March. "


@pytest.fixture(scope="module")
def annotator():
    return load_annotator()


def test_long_lines_are_cut_at_sentence_ends_then_spaces_then_anywhere(monkeypatch):
    monkeypatch.setattr(tokens_module, "MAX_SEGMENT_CHARS", 200)
    prose = SENTENCE * 20
    pieces = segments(prose)
    assert all(end - start <= 200 for start, end in pieces)
    assert all(prose[start:end].endswith("March.") for start, end in pieces[:-1])
    words = "lithium " * 100
    assert all(words[s:e].endswith("lithium") for s, e in segments(words))
    blob = "x" * 1000
    assert segments(blob) == [(0, 200), (200, 400), (400, 600), (600, 800), (800, 1000)]
    # Nothing is lost: the pieces cover every character that is not a space.
    for text in (prose, words, blob):
        covered = "".join(text[s:e] for s, e in segments(text))
        assert covered.replace(" ", "") == text.replace(" ", "")


@pytest.mark.slow
def test_cutting_at_sentence_ends_finds_the_same_entities(annotator, monkeypatch):
    text = SENTENCE * 30
    [(whole, whole_tokens)] = list(annotator.annotate([text]))
    monkeypatch.setattr(tokens_module, "MAX_SEGMENT_CHARS", 300)
    [(cut, cut_tokens)] = list(annotator.annotate([text]))
    assert [(s.start, s.end, s.label) for s in cut] == [(s.start, s.end, s.label) for s in whole]
    assert cut_tokens == whole_tokens == token_offsets(text)


def test_an_article_over_spacys_limit_is_pre_annotated_and_the_run_goes_on(
        annotator, tmp_path):
    long_text = "Lithium from Chile. " + "x" * 1_000_050 + " Cobalt from the DRC."
    with Project.create(tmp_path / "long.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=long_text, title="Long"),
                              ArticleIn(text="Nickel from Indonesia.", title="After")])
        report = annotate_project(project, annotator, batch_size=1)
        assert (report.articles, report.failed) == (2, [])
        found = {(s.text, s.label) for s in project.spans(1)}
        assert {("Lithium", "MINERAL"), ("Chile", "GPE"), ("Cobalt", "MINERAL"),
                ("DRC", "GPE")} <= found
        assert all(long_text[s.start:s.end] == s.text for s in project.spans(1))
        assert {s.text for s in project.spans(2)} >= {"Nickel", "Indonesia"}


@Language.component("poison_for_tests")
def _poison(doc):
    if "POISON" in doc.text:
        raise ValueError("this article breaks the pipeline")
    return doc


@pytest.mark.slow
def test_an_article_the_pipeline_fails_on_is_reported_and_skipped(tmp_path):
    annotator = load_annotator()
    annotator.nlp.add_pipe("poison_for_tests", first=True)
    texts = [f"Report {i}: cobalt from the DRC." for i in range(6)]
    texts[2] = "Report 2: POISON lithium from Chile."
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=t) for t in texts])
        report = annotate_project(project, annotator, batch_size=2)
        assert [article_id for article_id, _ in report.failed] == [3]
        assert "breaks the pipeline" in report.failed[0][1]
        assert report.articles == 5
        annotated = [i for i in project.article_ids() if project.article(i).model]
        assert annotated == [1, 2, 4, 5, 6]
        assert all(project.spans(i) for i in annotated)
        again = annotate_project(project, annotator, batch_size=2)  # only the bad one is left
        assert (again.articles, [i for i, _ in again.failed]) == (0, [3])
