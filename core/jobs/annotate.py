"""Pre-annotating a whole project: stream article texts through the pipeline, commit per batch.

Kept apart from ``core.nlp.pipeline`` (which turns texts into spans) so that the
loop that talks to the store, reports progress and honours Cancel is small
and testable with any annotator. A cancel or a kill loses at most the batch
in flight; re-running picks up the articles not yet done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import AssayError
from core.metrics import f1_exact, f1_from
from core.models import RelationIn, SpanIn
from core.store import Project


@dataclass
class AnnotateReport:
    """What a run did, for the CLI summary and the closing message in the GUI."""

    articles: int = 0
    suggestions: int = 0
    relations: int = 0  # relation suggestions the pipeline made for the stored articles
    topics: int = 0  # topics suggested (a model trained with topics; the default has none)
    words: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    model: str = ""
    # Articles the pipeline failed on: (article id, why). They are skipped, the run goes on.
    failed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


def disagreement(a: Sequence[SpanIn], b: Sequence[SpanIn]) -> float:
    """1 − exact span F1 between two pre-annotators' suggestions: 0 when they agree on
    every span (or both find none), 1 when they share none."""
    f1 = f1_from(*f1_exact({(s.start, s.end, s.label) for s in a},
                           {(s.start, s.end, s.label) for s in b}))
    return 0.0 if f1 is None else round(1.0 - f1, 4)


def annotate_project(
    project: Project,
    annotator,  # core.nlp.pipeline.Annotator; untyped to keep spaCy out of this import
    *,
    force: bool = False,
    batch_size: int = 64,
    n_process: int = 1,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    reference=None,  # a second Annotator: its disagreement is each article's uncertainty
) -> AnnotateReport:
    """Pre-annotate every article that needs it; commit each ``batch_size`` articles at once.

    With a ``reference`` pre-annotator (the stock pipeline, when a trained model annotates)
    each article also gets an uncertainty: how far the two disagree (``disagreement``), the
    query-by-committee measure of active learning, for "most uncertain first"."""
    ids = project.articles_to_annotate(force=force)
    report = AnnotateReport(model=annotator.model_id)
    total = len(ids)
    if progress:
        progress(0, total)
    if not ids:
        return report
    started = time.perf_counter()
    pending: list[tuple[int, list[SpanIn], list[tuple[int, int]]]] = []
    relations: dict[int, Sequence[RelationIn]] = {}
    words = 0
    types = project.relation_types()
    # The topics a model suggests that the project still has (one renamed since is not).
    topic_names = set(getattr(annotator, "topic_labels", ())) & {
        t.name for t in project.topics()}

    def run(texts: Iterable[str], batch: int, processes: int = 1) -> Iterator[Any]:
        """The annotator's suggestions with relations of the project's types (an annotator
        that only has ``annotate`` suggests entities alone)."""
        if hasattr(annotator, "suggest"):
            return annotator.suggest(texts, types, batch_size=batch, n_process=processes)
        return (_Found(spans, tokens) for spans, tokens in
                annotator.annotate(texts, batch_size=batch, n_process=processes))

    def suggest_topics() -> None:
        """The batch's topics, stored before its spans: a kill in between leaves the
        articles unannotated, so the next run suggests both again."""
        ids_here = [article_id for article_id, _s, _t in pending]
        texts_here = [text for _id, text in project.article_texts(ids_here)]
        scored = [(article_id, {t: s for t, s in scores.items() if t in topic_names})
                  for article_id, scores in zip(ids_here, annotator.topic_scores(texts_here),
                                                strict=True)]
        made = project.suggest_topics_batch(scored, annotator.model_id)
        report.topics += sum(len(topics) for topics in made.values())

    def flush() -> None:
        nonlocal words
        if topic_names:
            suggest_topics()
        unsure = None
        if reference is not None:
            ids_here = [article_id for article_id, _s, _t in pending]
            texts_here = [text for _id, text in project.article_texts(ids_here)]
            unsure = {article_id: disagreement(spans, other) for (article_id, spans, _t),
                      (other, _tokens) in zip(pending, reference.annotate(texts_here),
                                              strict=True)}
        report.suggestions += project.store_annotations(pending, annotator.model_id, unsure,
                                                        relations=relations)
        report.relations += sum(len(found) for found in relations.values())
        relations.clear()
        report.articles += len(pending)
        report.words += words
        words = 0
        pending.clear()
        if progress:
            progress(report.articles + len(report.failed), total)

    remaining = list(ids)
    while remaining and not report.cancelled:
        id_stream: list[int] = []

        def texts(todo: Sequence[int], seen: list[int]) -> Iterator[str]:
            for article_id, text in project.article_texts(todo):
                seen.append(article_id)
                yield text

        results = run(texts(remaining, id_stream), batch_size, n_process)
        done = 0
        try:
            for found in results:
                pending.append((id_stream[done], found.spans, found.tokens))
                relations[id_stream[done]] = found.relations
                done += 1
                words += len(found.tokens)
                if len(pending) >= batch_size:
                    flush()
                    if should_cancel and should_cancel():
                        report.cancelled = True
                        break
            remaining = []
        except AssayError:
            raise  # the store refused a batch (the scheme changed, the disk is full): stop
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            # The stream reads ahead, so the article that failed is not known: retry the
            # first unfinished one alone; if it fails it is skipped, else the stream resumes
            # after it and meets the culprit again. Every pass gets at least one further.
            remaining = remaining[done:]
            first = remaining.pop(0)
            try:
                found, = run((text for _id, text in project.article_texts([first])), 1)
                pending.append((first, found.spans, found.tokens))
                relations[first] = found.relations
                words += len(found.tokens)
            except Exception as again:  # noqa: BLE001
                report.failed.append((first, f"{type(again).__name__}: {again}"[:300]))
            del exc
        finally:
            close = getattr(results, "close", None)
            if close:
                close()  # stops spaCy's worker processes when cancelled or failed early
    if pending and not report.cancelled:
        flush()
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Found:
    """An entities-only annotator's result, shaped as ``Suggestions``."""

    spans: list[SpanIn]
    tokens: list[tuple[int, int]]
    relations: tuple[RelationIn, ...] = ()


@dataclass(frozen=True)
class ProjectAnnotators:
    """What pre-annotates a project: the chosen annotator, and beside a trained one the
    stock pipeline (``reference``) whose disagreement measures each article's uncertainty."""

    choice: str
    annotator: Any  # core.nlp.pipeline.Annotator (spaCy stays out of this import)
    reference: Any = None


def project_annotators(project: Project, choice: str | None = None, *,
                       uncertainty: bool = True) -> ProjectAnnotators:
    """Load the pre-annotator for ``project``: ``choice`` ("default", a saved model's id or a
    spaCy pipeline folder), else the project's chosen one (``current_annotator``).

    A chosen model that does not load is refused with its name, never replaced by the
    stock pipeline behind the reviewers' backs. With ``uncertainty`` a chosen model that is
    not the stock one gets the stock pipeline as its reference."""
    from core.jobs.train import current_annotator
    from core.nlp.pipeline import load_annotator
    from core.nlp.training import DEFAULT_ANNOTATOR, model_names_for

    choice = choice or current_annotator(project)
    names = model_names_for(project.path, choice)
    labels = [lb.name for lb in project.labels()]
    try:
        annotator = load_annotator(labels, model_names=names)
    except Exception as exc:  # a damaged model folder: name it, no traceback
        raise AssayError(f"The model {choice!r} could not be loaded "
                         f"({type(exc).__name__}: {exc}); choose another with "
                         f"assay-cli models PROJECT use default.") from exc
    if choice != DEFAULT_ANNOTATOR and annotator.fallback:
        raise AssayError(f"The model {choice!r} could not be loaded.")
    reference = None
    if choice != DEFAULT_ANNOTATOR and uncertainty:
        # A trained model annotates: the stock pipeline beside it measures how unsure
        # each article is (their disagreement), for "most uncertain first".
        reference = load_annotator(labels)
    return ProjectAnnotators(choice, annotator, reference)
