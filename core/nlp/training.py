"""Training spaCy NER on the team's own approvals, with spaCy's config-driven training.

What is trained on: the approved articles' accepted spans (the project's own spans: after
adjudication, the curated version), split by article into train and dev by a seeded hash
of each article (``split``). Each article is cut into the segments pre-annotation runs on
(``core.text.tokens.segments``), so the model learns on exactly the units it will later
see; a segment's words are Assay's export words (``export_words``), so every reviewed
span is a whole run of tokens and training never moves an edge.

How: a config made by ``spacy init config`` for an ``ner`` pipeline, whose ``ner`` is
*sourced* from the installed stock model (``[components.ner] source``), so training
starts from its weights and adds the scheme's labels it lacks (MINERAL); then
``spacy.cli.train.train``, spaCy's own loop with its batching, dropout, evaluation and
best-checkpoint choice. Progress comes through a spaCy logger of ours
(``assay.progress.v1``), so a parent process can show epoch, loss and dev P/R/F.

Where: ``<project>.models/<id>/`` beside the project file, the spaCy pipeline with
``assay-model.json`` (date, base model, what it saw as hashes, dev scores per label for
it and for the pre-annotator it would replace). A model is written to a hidden folder and
renamed into place when complete, so a cancelled or killed run leaves no half model.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import AssayError
from core.models import Reviewed
from core.nlp.evaluate import predict_with, score
from core.nlp.model_choice import require_enough_to_train
from core.nlp.models import DEFAULT_MODELS, installed_model
from core.nlp.topic_training import topic_scores, train_topics
from core.text.file_names import check_file_name
from core.text.normalise import one_line
from core.text.spacy_ready import spacy_ready
from core.text.tokens import export_words, segments

META_FILE = "assay-model.json"
PROGRESS_LOGGER = "assay.progress.v1"
# Project meta key: the saved model that pre-annotates ("" or missing: the default one).
ANNOTATOR_KEY = "annotator_model"
DEFAULT_ANNOTATOR = "default"

Spans = list[tuple[int, int, str]]
OnEpoch = Callable[[dict], None]


def models_dir(project_path: str | Path) -> Path:
    """``<project>.models``: a project's trained models live beside it, as its file does."""
    return Path(f"{project_path}.models")


# ---------------------------------------------------------------------------------------
# What is trained on


@dataclass(frozen=True)
class Example:
    """One approved article as training sees it: its text, accepted spans and hashes."""

    article_id: int
    sha256: str
    text: str
    spans: Spans
    topics: tuple[str, ...] = ()  # its accepted topics (document labels)

    @property
    def spans_hash(self) -> str:
        """A hash of what the reviewers decided, so a model's meta says what it saw."""
        return hashlib.sha256(json.dumps(self.spans).encode()).hexdigest()[:16]


def examples_of(records: Iterable[Reviewed]) -> list[Example]:
    """Training's view of approved articles (read with their topics, if any)."""
    return [Example(r.article.id, r.article.sha256, r.article.text,
                    [(s.start, s.end, s.label) for s in r.spans],
                    tuple(t.topic for t in r.topics if t.state == "accepted"))
            for r in records]


def split(examples: Sequence[Example], dev: float = 0.2, seed: int = 0
          ) -> tuple[list[Example], list[Example]]:
    """Train and dev by article. An article's side is fixed by a hash of the seed and its
    text's SHA-256, not by a shuffle of the whole list, so it stays on its side as the
    team approves more: a model trained on an earlier split never finds its own training
    articles in a later dev set, and models trained at different times are compared on
    dev sets that only grow. Each side gets at least one article."""
    if not 0.0 < dev < 1.0:
        raise AssayError(f"The dev share must be between 0 and 1 (got {dev}).")
    require_enough_to_train(len(examples))

    def draw(e: Example) -> float:
        digest = hashlib.sha256(f"{seed}:{e.sha256}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    ranked = sorted(examples, key=lambda e: (draw(e), e.article_id))
    n_dev = sum(draw(e) < dev for e in ranked)
    n_dev = min(max(n_dev, 1), len(ranked) - 1)
    dev_set = sorted(ranked[:n_dev], key=lambda e: e.article_id)
    train_set = sorted(ranked[n_dev:], key=lambda e: e.article_id)
    return train_set, dev_set


def segment_docs(examples: Iterable[Example], vocab: Any) -> Iterator[Any]:
    """One spaCy ``Doc`` per segment of each article, its accepted spans as entities.

    A span that crosses a segment mark (the label guide allows none, but an import may
    hold one) is left out of training rather than cut."""
    from spacy.tokens import Doc

    for ex in examples:
        for start, end in segments(ex.text):
            inside = [(s - start, e - start, lb) for s, e, lb in ex.spans
                      if s >= start and e <= end]
            piece = ex.text[start:end]
            words, spaces = export_words(piece, [s for s, _e, _l in inside],
                                         [e for _s, e, _l in inside])
            doc = Doc(vocab, words=words, spaces=spaces)
            ents = [doc.char_span(s, e, label=lb, alignment_mode="strict")
                    for s, e, lb in inside]
            doc.set_ents([ent for ent in ents if ent is not None])
            yield doc


def write_corpus(examples: Iterable[Example], path: Path, vocab: Any) -> int:
    """A ``.spacy`` file of :func:`segment_docs`; the number of docs written."""
    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=False)
    n = 0
    for doc in segment_docs(examples, vocab):
        bin_.add(doc)
        n += 1
    bin_.to_disk(path)
    return n


# ---------------------------------------------------------------------------------------
# The config and spaCy's training


def base_model(names: Sequence[str] = DEFAULT_MODELS) -> str:
    """The stock model training starts from (a package name); refuses if none is installed."""
    name = installed_model(names)
    if name is None:
        raise AssayError("Training starts from the stock English model, which is not "
                         f"installed (tried {', '.join(names)}).")
    return name


def make_config(base: str, train_path: Path, dev_path: Path, *, epochs: int, seed: int,
                eval_frequency: int, patience: int = 0) -> Any:
    """``spacy init config`` for NER, with the ``ner`` sourced from ``base``."""
    from spacy.cli.init_config import init_config

    config = init_config(lang="en", pipeline=["ner"], optimize="efficiency")
    config["nlp"]["pipeline"] = ["ner"]
    config["components"] = {"ner": {"source": base}}
    config["paths"]["train"] = str(train_path)
    config["paths"]["dev"] = str(dev_path)
    config["system"]["seed"] = seed
    training = config["training"]
    training["max_epochs"] = epochs
    training["max_steps"] = 0
    training["eval_frequency"] = eval_frequency
    training["patience"] = patience
    training["logger"] = {"@loggers": PROGRESS_LOGGER}
    return config


def _register_logger() -> None:
    """``assay.progress.v1``: spaCy calls it once per step; it reports each evaluation."""
    from spacy import registry

    if PROGRESS_LOGGER in registry.loggers:
        return

    @registry.loggers(PROGRESS_LOGGER)
    def progress_logger() -> Callable:
        def setup(nlp: Any, stdout: Any = None, stderr: Any = None) -> tuple:
            def log_step(info: dict | None) -> None:
                if info is None or _ON_EPOCH is None:
                    return
                other = info.get("other_scores") or {}
                _ON_EPOCH({
                    "epoch": int(info.get("epoch", 0)), "step": int(info.get("step", 0)),
                    "loss": float(sum((info.get("losses") or {}).values())),
                    # NER's entity scores, or the topic classifier's macro averages.
                    "p": other.get("ents_p", other.get("cats_macro_p")),
                    "r": other.get("ents_r", other.get("cats_macro_r")),
                    "f": other.get("ents_f", other.get("cats_macro_f")),
                    "score": float(info.get("score") or 0.0),
                })

            return log_step, lambda: None

        return setup


_ON_EPOCH: OnEpoch | None = None


def _eval_frequency(words: int) -> int:
    """About one evaluation per epoch: spaCy's batches start at 100 words and grow by 0.1 %
    a step, so an epoch is about ``words / 100`` steps on the data sizes a team has."""
    return max(1, min(1000, words // 120))


# ---------------------------------------------------------------------------------------
# Training a model for a project


@dataclass(frozen=True)
class TrainResult:
    model_id: str
    path: Path
    meta: dict


def train(
    train_set: Sequence[Example],
    dev_set: Sequence[Example],
    out_dir: Path,
    *,
    model_id: str,
    base: str | None = None,
    labels: Sequence[str] | None = None,
    epochs: int = 15,
    seed: int = 0,
    on_epoch: OnEpoch | None = None,
    should_cancel: Callable[[], bool] | None = None,
    baseline: Any = None,  # the current pre-annotator (an Annotator) to compare on dev
    baseline_id: str = "",
    extra_meta: dict | None = None,
    work_prefix: str = ".training.",
    topics: Sequence[str] = (),
) -> TrainResult:
    """Train, score on dev, and write the model to ``out_dir/model_id``.

    ``should_cancel`` is asked at each evaluation; a cancel leaves nothing behind.
    The dev scores are those of the whole pre-annotation pipeline (the trained NER plus
    the gazetteers and span rules), the same as the suggestions a reviewer would get.
    With ``topics`` (the project's, in its order) a topic classifier is trained too when
    enough of them have examples (``core.nlp.topic_training``), and scored on dev.
    """
    from spacy.cli.train import train as spacy_train

    from core.nlp.pipeline import load_annotator

    global _ON_EPOCH
    base = base or base_model()
    model_id = check_file_name(model_id, "model name")  # it names the model's folder
    check_models_dir(out_dir)
    final = out_dir / model_id
    if final.exists():
        raise AssayError(f"A model named {model_id} already exists in {out_dir}.")
    started = time.perf_counter()
    # Hidden, and named by the caller (core.jobs.train: with its host and pid) so that the
    # next run can remove it if this one is killed: it holds the articles' text.
    with tempfile.TemporaryDirectory(prefix=work_prefix, dir=out_dir) as tmp_name:
        tmp = Path(tmp_name)
        vocab = spacy_ready().blank("en").vocab
        write_corpus(train_set, tmp / "train.spacy", vocab)
        write_corpus(dev_set, tmp / "dev.spacy", vocab)
        words = sum(len(e.text.split()) for e in train_set)
        config = make_config(base, tmp / "train.spacy", tmp / "dev.spacy", epochs=epochs,
                             seed=seed, eval_frequency=_eval_frequency(words))
        config.to_disk(tmp / "config.cfg")

        def report(info: dict) -> None:
            if should_cancel and should_cancel():
                raise TrainingCancelled
            if on_epoch:
                on_epoch({**info, "epochs": epochs})

        _register_logger()
        _ON_EPOCH = report
        try:
            spacy_train(tmp / "config.cfg", tmp / "out", use_gpu=-1)
        finally:
            _ON_EPOCH = None
        best = tmp / "out" / "model-best"
        ner_seconds = time.perf_counter() - started
        # The topic classifier's epochs are reported (and Cancel asked) as NER's were.
        _ON_EPOCH = lambda info: report({**info, "stage": "topics"})  # noqa: E731
        try:
            topic_meta = train_topics(train_set, dev_set, topics, tmp, best, epochs=epochs,
                                      seed=seed, logger={"@loggers": PROGRESS_LOGGER})
        finally:
            _ON_EPOCH = None
        train_seconds = time.perf_counter() - started
        meta_path = best / "meta.json"
        spacy_meta = json.loads(meta_path.read_text(encoding="utf-8"))
        spacy_meta.update(name=f"assay_{model_id.replace('-', '_')}", version="1.0.0")
        meta_path.write_text(json.dumps(spacy_meta, indent=2), encoding="utf-8")
        trained = load_annotator(labels, model_names=[str(best)])
        gold = [(e.text, e.spans) for e in dev_set]
        scores = {"model": score(gold, predict_with(trained))}
        if baseline is not None:
            scores["baseline"] = score(gold, predict_with(baseline))
        topic_meta.update(topic_scores(trained, baseline, dev_set, topic_meta["topics"]))
        meta = {
            "id": model_id,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "base_model": base,
            "annotator": trained.model_id,
            "baseline": baseline_id,
            "labels": list(trained.labels),
            "epochs": epochs,
            "seed": seed,
            "train_seconds": round(train_seconds, 1),
            "ner_seconds": round(ner_seconds, 1),
            "train": [{"sha256": e.sha256, "spans": e.spans_hash} for e in train_set],
            "dev": [{"sha256": e.sha256, "spans": e.spans_hash} for e in dev_set],
            "train_spans": sum(len(e.spans) for e in train_set),
            "dev_spans": sum(len(e.spans) for e in dev_set),
            "scores": scores,
            **topic_meta,
            **(extra_meta or {}),
        }
        (best / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(best, final)
    return TrainResult(model_id, final, meta)


def check_models_dir(out_dir: Path) -> None:
    """Refuse, with the reason, a models folder that cannot be made or written (a
    read-only medium, another user's share), before minutes of training are spent."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise AssayError(f"Cannot save a model in {out_dir}: {exc.strerror or exc}. "
                         "Copy the project somewhere you can write and train there."
                         ) from exc


class TrainingCancelled(Exception):
    """Raised from the progress logger to stop spaCy's loop; nothing is written."""


def new_model_id(now: datetime | None = None) -> str:
    """A sortable, readable id: ``20261202-153012``."""
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


# ---------------------------------------------------------------------------------------
# Saved models


@dataclass(frozen=True)
class SavedModel:
    id: str
    path: Path
    meta: dict

    @property
    def micro_f(self) -> float | None:
        return micro_f(self.meta, "model")

    @property
    def baseline_micro_f(self) -> float | None:
        return micro_f(self.meta, "baseline")


def micro_f(meta: dict, who: str) -> float | None:
    """Micro F1 from a meta file a user may have edited: None unless it is a number."""
    node: Any = meta
    for key in ("scores", who, "micro", "f"):
        node = node.get(key) if isinstance(node, dict) else None
    return float(node) if isinstance(node, int | float) else None


@dataclass(frozen=True)
class ModelFolders:
    """What a project's models folder holds: the usable models (newest first) and the
    folders that look like models but cannot be read, each with the reason."""

    models: list[SavedModel]
    broken: list[tuple[Path, str]]

    def warnings(self) -> list[str]:
        """One sentence per unreadable folder, safe for a terminal (a folder's name is
        anyone's text)."""
        return [f"the model folder {one_line(str(path))} is not listed: {one_line(why)}."
                for path, why in self.broken]


# What ``models list`` and the Models window read from a meta file, by the type it must be.
_META_TYPES: dict[str, type | tuple[type, ...]] = {
    "train": list, "dev": list, "scores": dict, "labels": list, "created": str,
    "base_model": str, "baseline": str, "baseline_choice": str,
    "topics": list, "topics_note": str, "topic_scores": dict,
    "train_spans": (int, float), "dev_spans": (int, float), "train_seconds": (int, float)}


def _meta_problem(meta: object) -> str | None:
    if not isinstance(meta, dict):
        return f"it holds a JSON {type(meta).__name__}, not an object"
    for key, kind in _META_TYPES.items():
        if key in meta and (not isinstance(meta[key], kind) or isinstance(meta[key], bool)):
            return f'its "{key}" is a {type(meta[key]).__name__}'
    return None


def model_folders(project_path: str | Path) -> ModelFolders:
    """Read every model beside a project; one damaged meta file hides only its own model.

    Half-written models (hidden folders, ``core.jobs.train.clean_leftovers``) are not
    listed."""
    folder = models_dir(project_path)
    found: list[SavedModel] = []
    broken: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return ModelFolders(found, broken)
    for child in sorted(folder.iterdir()):
        meta_file = child / META_FILE
        try:
            if child.name.startswith(".") or not meta_file.is_file():
                continue
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except OSError as exc:
            broken.append((child, f"{META_FILE} cannot be read ({exc.strerror or exc})"))
            continue
        except (ValueError, RecursionError) as exc:
            broken.append((child, f"{META_FILE} is not JSON ({type(exc).__name__})"))
            continue
        problem = _meta_problem(meta)
        if problem:
            broken.append((child, f"{META_FILE} is damaged: {problem}"))
        else:
            found.append(SavedModel(child.name, child, meta))
    return ModelFolders(sorted(found, key=lambda m: m.id, reverse=True), broken)


def saved_models(project_path: str | Path) -> list[SavedModel]:
    """The complete, readable models beside a project, newest first."""
    return model_folders(project_path).models


def saved_model(project_path: str | Path, model_id: str) -> SavedModel | None:
    """The complete saved model ``model_id`` beside a project, or None."""
    return next((m for m in saved_models(project_path) if m.id == model_id), None)


def find_model(project_path: str | Path, model_id: str) -> SavedModel:
    """``saved_model``, refusing with where it was looked for when it is not there."""
    model = saved_model(project_path, model_id)
    if model is not None:
        return model
    raise AssayError(f"No trained model {model_id!r} beside {project_path} "
                     f"(look in {models_dir(project_path)}).")


def model_names_for(project_path: str | Path, choice: str | None) -> tuple[str, ...]:
    """What ``load_annotator(model_names=…)`` takes for a choice: ``None`` or "default"
    (the stock model), a saved model's id, or a path to any spaCy pipeline folder."""
    if not choice or choice == DEFAULT_ANNOTATOR:
        return tuple(DEFAULT_MODELS)
    saved = saved_model(project_path, choice)
    if saved is not None:  # a saved id first: a folder of that name elsewhere is not it
        return (str(saved.path),)
    if Path(choice).is_dir():
        return (str(choice),)
    if installed_model([choice]):  # an installed spaCy package, by name
        return (choice,)
    return (str(find_model(project_path, choice).path),)


def remove_model(project_path: str | Path, model_id: str) -> str:
    """Delete a saved model; returns what was removed, as a phrase for the user.

    A model folder that is a symbolic link (a model shared between projects) loses only
    the link, as ``rm`` would: the folder it points to, perhaps another project's, stays.
    """
    path = find_model(project_path, model_id).path
    try:
        if path.is_symlink():
            target = path.readlink()
            path.unlink()
            return f"the link {path.name} (the folder it points to, {target}, is kept)"
        shutil.rmtree(path)
    except OSError as exc:
        raise AssayError(f"Cannot remove the model {model_id}: {exc.strerror or exc} "
                         f"({path}).") from exc
    return f"the folder {path}"
