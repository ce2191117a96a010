"""Running the pre-annotation pipeline in tests: the whole of it on a text, or only Assay's
component as if spaCy's model had found given entities (to test a rule without depending
on what the small model happens to find)."""

from __future__ import annotations

from spacy.tokens import Doc

from core.nlp.pipeline import COMPONENT, Annotator


def with_model_entities(annotator: Annotator, text: str,
                        model_ents: list[tuple[str, str]]) -> Doc:
    """``text`` after Assay's component alone, the model having found ``model_ents``
    (each the first occurrence of its words, with its label)."""
    nlp = annotator.nlp
    doc = nlp.make_doc(text)
    spans = []
    for sub, label in model_ents:
        start = text.index(sub)
        span = doc.char_span(start, start + len(sub), label=label)
        assert span is not None, sub
        spans.append(span)
    doc.ents = spans
    return nlp.get_pipe(COMPONENT)(doc)


def suggested(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    """(text, label) of every span the whole pipeline suggests."""
    [(spans, _tokens)] = list(annotator.annotate([text]))
    return {(text[s.start : s.end], s.label) for s in spans}
