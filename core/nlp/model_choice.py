"""When a project may train a model, and whether a trained model is better than the
pre-annotator it would replace: the two rules ``assay-cli train``, the window's Train
model… and its Models dialog all follow.
"""

from __future__ import annotations

from core.errors import AssayError

# One article to learn from and one to check on (the split puts at least one on each side).
MIN_APPROVED = 2


def training_refusal(approved: int) -> str | None:
    """Why training cannot start with ``approved`` approved articles (None: it can)."""
    if approved >= MIN_APPROVED:
        return None
    return (f"Training needs at least {MIN_APPROVED} approved articles (this project has "
            f"{approved}): one to learn from and one to check on.")


def require_enough_to_train(approved: int) -> None:
    """Raise ``AssayError`` with ``training_refusal``'s sentence when there are too few."""
    refusal = training_refusal(approved)
    if refusal is not None:
        raise AssayError(refusal)


def is_better(model_f: float | None, baseline_f: float | None) -> bool | None:
    """Whether a trained model beats the pre-annotator it was scored against: its micro F1
    on the same dev split is strictly higher. None when either score is missing (a dev
    split with nothing to score, a meta file edited by hand): then nothing says it is
    better, and nothing is recommended either way.

    Strictly higher, because switching has a cost (the pending articles are
    re-annotated) that a tie does not repay. This is the Models dialog's rule; the CLI
    used to call a model better whenever the baseline had no score, even with no score
    of its own, and so recommended a model nothing had measured.
    """
    if model_f is None or baseline_f is None:
        return None
    return model_f > baseline_f
