"""Training a project's model: read the approvals, split, train, compare, save.

The one place the store meets ``core.nlp.training``: ``assay-cli train`` (which the
window runs as a child process, like pre-annotation) and the learning-curve bench call it.
The project is only read, through a read-only-capable open, so training never writes the
project file, and it can run while the window has the project open.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from core.errors import AssayError
from core.jobs.leftovers import remove_leftovers, run_mark
from core.nlp.store_rules import store_rules
from core.nlp.training import (
    ANNOTATOR_KEY,
    DEFAULT_ANNOTATOR,
    OnEpoch,
    TrainResult,
    check_models_dir,
    examples_of,
    find_model,
    model_names_for,
    models_dir,
    new_model_id,
    remove_model,
    saved_model,
    split,
    train,
)
from core.store import ArticleFilter, Project

# A training run's working folder: ``.training.<host>.<pid>.<random>``; an older Assay's
# ``.<model id>-<random>`` has no mark and is removed as ended.
_WORK_FOLDER = re.compile(r"\.(?:training\.(?P<host>[A-Za-z0-9]+)\.(?P<pid>\d+)\."
                          r"|\d{8}-\d{6}-).+")


def clean_leftovers(models: Path) -> list[Path]:
    """Remove the working folders of training runs that were killed (they hold the
    articles' text), leaving those of a run still going; returns what was removed."""
    return remove_leftovers(models, _WORK_FOLDER)


def current_annotator(project: Project) -> str:
    """The project's chosen pre-annotator: a saved model's id, or "default"."""
    return project.meta(ANNOTATOR_KEY) or DEFAULT_ANNOTATOR


def choose_annotator(project: Project, choice: str) -> None:
    """Make a saved model (by id) or "default" the project's pre-annotator; a model that
    is not beside the project is refused and nothing changes."""
    if choice != DEFAULT_ANNOTATOR:
        find_model(project.path, choice)
    project.set_meta(ANNOTATOR_KEY, "" if choice == DEFAULT_ANNOTATOR else choice)



class ModelInUse(AssayError):
    """The model asked to be removed pre-annotates the project: choose another first."""

    def __init__(self, model_id: str) -> None:
        super().__init__(f"{model_id} pre-annotates this project; choose another first.")
        self.model_id = model_id


def remove_trained_model(project: Project, model_id: str) -> str:
    """Delete a saved model beside ``project`` (``remove_model``: a link loses only the
    link), refusing the one that pre-annotates it (``ModelInUse``): annotate would then
    refuse to run until another was chosen. Returns what was removed, as a phrase."""
    if current_annotator(project) == model_id:
        raise ModelInUse(model_id)
    return remove_model(project.path, model_id)

def train_project(
    project_path: str | Path,
    *,
    dev: float = 0.2,
    seed: int = 0,
    epochs: int = 15,
    on_epoch: OnEpoch | None = None,
    should_cancel: Callable[[], bool] | None = None,
    on_stage: Callable[[str], None] | None = None,
    model_id: str | None = None,
) -> TrainResult:
    """Train on the approved articles' accepted spans (and topics, when enough of them
    have examples) and save beside the project; the dev split is scored for the new model
    and for the current pre-annotator."""
    from core.nlp.pipeline import load_annotator

    stage = on_stage or (lambda _s: None)
    check_models_dir(models_dir(project_path))  # refuse before minutes are spent
    for leftover in clean_leftovers(models_dir(project_path)):
        stage(f"removed {leftover.name}, the unfinished work of a training run that was "
              "killed")
    stage("reading the approved articles…")
    with Project.open_for_reading(project_path, rules=store_rules()) as project:
        labels = [lb.name for lb in project.labels()]
        ids = project.article_ids(ArticleFilter(status="approved"))
        examples = examples_of(project.reviewed(ids, claim_states=None, topics=True))
        topics = [t.name for t in project.topics()]
        choice = current_annotator(project)
    train_set, dev_set = split(examples, dev, seed)
    stage("loading the current pre-annotator…")
    if choice != DEFAULT_ANNOTATOR and saved_model(project_path, choice) is None:
        # The chosen model's folder is gone (the project was copied without it): compare
        # with the default instead of refusing to train.
        stage(f"the chosen model {choice} is missing; comparing with the default…")
        choice = DEFAULT_ANNOTATOR
    baseline = load_annotator(labels, model_names=model_names_for(project_path, choice))
    stage("training…")
    return train(train_set, dev_set, models_dir(project_path),
                 model_id=model_id or new_model_id(), labels=labels, epochs=epochs, seed=seed,
                 on_epoch=on_epoch, should_cancel=should_cancel, baseline=baseline,
                 baseline_id=baseline.model_id, extra_meta={"baseline_choice": choice},
                 work_prefix=f".training.{run_mark()}.", topics=topics)
