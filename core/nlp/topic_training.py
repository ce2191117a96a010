"""Training a topic classifier beside NER: a spaCy ``textcat_multilabel`` on the approved
articles' topics, trained with spaCy's config-driven training and saved IN the trained NER
pipeline, so one model folder (one choice in the Models dialog, one ``spacy.load``) both
finds entities and suggests topics.

Why these choices:

- **Bag of words** (``spacy.TextCatBOW.v3``, what ``spacy init config`` gives
  ``textcat_multilabel`` for efficiency): it needs no tok2vec, so suggesting an article's
  topics costs a tokenisation of its text and a sparse dot product, not a second pass of
  the neural network that NER already ran on every segment; it trains in seconds on the
  few hundred articles a team approves.
- **Whole articles**, not segments: a topic is what an article is about. Both training
  and pre-annotation read the first ``TOPIC_TEXT_LIMIT`` characters (spaCy refuses texts
  over ``nlp.max_length``, and an article's topics show long before its millionth
  character).
- **Its own training run**, after the NER one: NER's best checkpoint stays chosen by
  entity F1 alone, and a project with too few topics trains exactly the model it trained
  before. The classifier is then *sourced* into the NER pipeline (``add_pipe(source=)``).
- **Which topics**: those with at least ``MIN_EXAMPLES`` approved articles; each article's
  ``cats`` are 1.0 for its accepted topics and 0.0 for the others trained. Fewer than
  ``MIN_TOPICS`` such topics and no classifier is trained; ``topics_refusal`` says why in
  one sentence, which ``assay-cli train`` prints and the model's meta keeps.

In the loaded pipeline the classifier is disabled (pre-annotation's ``nlp.pipe`` over
segments never runs it) and ``Annotator.topic_scores`` runs it on whole texts.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from core.text.normalise import one_line
from core.text.spacy_ready import spacy_ready
from core.text.tokens import customise_tokenizer
from core.text.wording import counted

TEXTCAT = "textcat_multilabel"
TOPIC_TEXT_LIMIT = 100_000
MIN_TOPICS = 2
MIN_EXAMPLES = 3


def trainable_topics(examples: Iterable[Sequence[str]], topics: Sequence[str]) -> list[str]:
    """The project's topics (in its order) that at least ``MIN_EXAMPLES`` of the approved
    articles have (``examples``: each article's accepted topics)."""
    uses = Counter(t for topics_of in examples for t in set(topics_of))
    return [t for t in topics if uses[t] >= MIN_EXAMPLES]


def topics_refusal(trainable: Sequence[str]) -> str | None:
    """Why no topic classifier is trained (None: one is), as one sentence."""
    if len(trainable) >= MIN_TOPICS:
        return None
    having = f" ({', '.join(one_line(t, 40) for t in trainable)})" if trainable else ""
    return (f"Topics are not trained: it takes at least {MIN_TOPICS} topics with "
            f"{MIN_EXAMPLES} approved articles each, and this project has "
            f"{counted(len(trainable), 'such topic', 'such topics')}{having}; "
            "the model finds entities only.")


def topic_text(text: str) -> str:
    """What the classifier reads of an article, in training and in pre-annotation alike."""
    return text[:TOPIC_TEXT_LIMIT]


def topic_nlp() -> Any:
    """A blank English pipeline with Assay's tokenizer (the one pre-annotation's model has)."""
    nlp = spacy_ready().blank("en")
    customise_tokenizer(nlp)
    return nlp


def write_topic_corpus(items: Iterable[tuple[str, Sequence[str]]], topics: Sequence[str],
                       path: Path) -> int:
    """A ``.spacy`` file of whole articles (``(text, accepted topics)``) with their
    ``cats`` over ``topics``; the number of docs written."""
    from spacy.tokens import DocBin

    nlp = topic_nlp()
    bin_ = DocBin(store_user_data=False)
    n = 0
    for text, mine in items:
        doc = nlp.make_doc(topic_text(text))
        doc.cats = {t: 1.0 if t in mine else 0.0 for t in topics}
        bin_.add(doc)
        n += 1
    bin_.to_disk(path)
    return n


def topic_config(train_path: Path, dev_path: Path, *, epochs: int, seed: int,
                 eval_frequency: int, logger: dict | None = None) -> Any:
    """``spacy init config`` for ``textcat_multilabel``, optimised for efficiency (bag of
    words, no tok2vec), reading Assay's tokenizer from the blank pipeline it trains."""
    from spacy.cli.init_config import init_config

    config = init_config(lang="en", pipeline=[TEXTCAT], optimize="efficiency")
    config["paths"]["train"] = str(train_path)
    config["paths"]["dev"] = str(dev_path)
    config["system"]["seed"] = seed
    training = config["training"]
    training["max_epochs"] = epochs
    training["max_steps"] = 0
    training["patience"] = 0
    training["eval_frequency"] = eval_frequency
    if logger is not None:
        training["logger"] = logger
    return config


def fit_topics(items_train: Sequence[tuple[str, Sequence[str]]],
               items_dev: Sequence[tuple[str, Sequence[str]]], topics: Sequence[str],
               work: Path, *, epochs: int, seed: int, logger: dict | None = None) -> Path:
    """Train the classifier in ``work`` with spaCy's own loop; returns its last pipeline's
    folder. The corpus is tokenised by Assay's tokenizer (``topic_nlp``), the one the NER
    pipeline the classifier is sourced into has."""
    from spacy.cli.train import train as spacy_train

    work.mkdir(parents=True, exist_ok=True)
    write_topic_corpus(items_train, topics, work / "topics-train.spacy")
    write_topic_corpus(items_dev, topics, work / "topics-dev.spacy")
    # About one evaluation per epoch, as for NER (spaCy keeps the best evaluated weights).
    words = sum(len(topic_text(text).split()) for text, _t in items_train)
    config = topic_config(work / "topics-train.spacy", work / "topics-dev.spacy",
                          epochs=epochs, seed=seed, logger=logger,
                          eval_frequency=max(1, min(1000, words // 120)))
    config.to_disk(work / "topics.cfg")
    spacy_train(work / "topics.cfg", work / "topics-out", use_gpu=-1)
    # The last weights, not spaCy's "best": a team's dev split holds a handful of articles,
    # on which the classifier's default score (macro AUC) is often undefined (a topic with
    # no negative example), so "best" would be whichever evaluation came first, the
    # untrained one included. A bag of words barely overfits in a few epochs.
    return work / "topics-out" / "model-last"


def attach_topics(ner_dir: Path, topics_dir: Path, out: Path) -> None:
    """Write to ``out`` the NER pipeline of ``ner_dir`` with the classifier of
    ``topics_dir`` sourced into it (after every other component)."""
    spacy = spacy_ready()
    nlp = spacy.load(ner_dir)
    source = spacy.load(topics_dir)
    nlp.add_pipe(TEXTCAT, source=source, last=True)
    nlp.to_disk(out)


def score_topic_annotator(annotator: Any, dev: Sequence[tuple[str, Sequence[str]]],
                          topics: Sequence[str]) -> dict | None:
    """A loaded annotator's topic scores on ``dev`` over ``topics`` (None when it suggests
    no topics: the default pipeline has no classifier)."""
    from core.nlp.topic_scores import chosen, score_topics

    if not annotator.topic_labels:
        return None
    predicted = [chosen(s) for s in annotator.topic_scores([text for text, _t in dev])]
    return score_topics([set(t) for _text, t in dev], predicted, topics)


class TopicExample(Protocol):
    """What topic training reads of an approved article (``core.nlp.training.Example``)."""

    @property
    def text(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


def train_topics(train_set: Sequence[TopicExample], dev_set: Sequence[TopicExample],
                 topics: Sequence[str], tmp: Path, best: Path, *, epochs: int, seed: int,
                 logger: dict | None = None) -> dict:
    """Train the topic classifier into ``best`` (the trained NER pipeline's folder) when
    enough topics have examples; returns the meta's part about topics: which were trained,
    or why none were (``topics_note``)."""
    trained = trainable_topics((e.topics for e in train_set), topics) if topics else []
    refusal = topics_refusal(trained) if topics else "The project has no topics."
    if refusal is not None:
        return {"topics": [], "topics_note": refusal}
    started = time.perf_counter()
    found = fit_topics([(e.text, e.topics) for e in train_set],
                       [(e.text, e.topics) for e in dev_set], trained, tmp / "topics",
                       epochs=epochs, seed=seed, logger=logger)
    attach_topics(best, found, tmp / "with-topics")
    shutil.rmtree(best)
    os.replace(tmp / "with-topics", best)
    return {"topics": trained, "topics_note": "",
            "topic_seconds": round(time.perf_counter() - started, 1),
            "train_topics": sum(len(e.topics) for e in train_set),
            "dev_topics": sum(len(e.topics) for e in dev_set)}


def topic_scores(trained: Any, baseline: Any, dev_set: Sequence[TopicExample],
                 topics: Sequence[str]) -> dict:
    """The meta's ``topic_scores``: the trained model's and the current pre-annotator's
    topic P/R/F1 on dev (the pre-annotator's only when it suggests topics), over the
    trained topics; nothing when none were trained."""
    if not topics:
        return {}
    dev = [(e.text, e.topics) for e in dev_set]
    out = {"model": score_topic_annotator(trained, dev, topics)}
    if baseline is not None:
        base = score_topic_annotator(baseline, dev, topics)
        if base is not None:
            out["baseline"] = base
    return {"topic_scores": out}
