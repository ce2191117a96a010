"""How good a pre-annotator is: per-label precision, recall and F1 against reviewed spans.

One scorer for every place that asks: ``bench.quality`` on the gold sets, training's dev
split (the trained model and the current pre-annotator, side by side) and the learning
curve. Matches are exact ``(start, end, label)``, counted by the agreement module
(``core.metrics``, as agreement is): a suggestion one token off is a correction for the
reviewer, so it is a miss here, and the pipeline is scored the way a second reviewer is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from core.metrics import Span3, f1_exact, f1_from

Predict = Callable[[list[str]], Iterable[Sequence[Span3]]]
Gold = Sequence[tuple[str, Sequence[Span3]]]


def score(gold: Gold, predict: Predict) -> dict:
    """Per-label and micro P/R/F of ``predict`` against ``gold``:
    ``{"labels": {label: {"p", "r", "f", "gold", "predicted"}}, "micro": {...}}``
    (``p`` is None for a label never predicted, ``r`` for one never in the gold)."""
    counts: dict[str, list[int]] = {}  # label -> [matches, predicted, gold]
    predictions = predict([text for text, _spans in gold])
    for (_text, truth), guessed in zip(gold, predictions, strict=True):
        labels = {s[2] for s in truth} | {s[2] for s in guessed}
        for label in labels:
            mine = {s for s in guessed if s[2] == label}
            theirs = {s for s in truth if s[2] == label}
            matches, n_pred, n_gold = f1_exact(mine, theirs)
            c = counts.setdefault(label, [0, 0, 0])
            c[0] += matches
            c[1] += n_pred
            c[2] += n_gold
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"labels": {label: _prf(*c) for label, c in sorted(counts.items())},
            "micro": _prf(*total)}


def _prf(matches: int, predicted: int, gold: int) -> dict:
    return {"p": matches / predicted if predicted else None,
            "r": matches / gold if gold else None,
            "f": f1_from(matches, predicted, gold), "gold": gold, "predicted": predicted}


def predict_with(annotator) -> Predict:  # core.nlp.pipeline.Annotator; spaCy stays unimported
    """An annotator as ``predict``: the spans it would suggest, per text."""
    def predict(texts: list[str]) -> Iterable[Sequence[Span3]]:
        for spans, _tokens in annotator.annotate(texts):
            yield [(s.start, s.end, s.label) for s in spans]

    return predict


def table(report: dict) -> str:
    """A report as a markdown table (``docs/quality.md``, the CLI's evaluation)."""
    def cell(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f}"

    rows = ["| label | gold | predicted | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for label, m in [*report["labels"].items(), ("micro", report["micro"])]:
        rows.append(f"| {label} | {m['gold']} | {m['predicted']} | {cell(m['p'])} | "
                    f"{cell(m['r'])} | {cell(m['f'])} |")
    return "\n".join(rows)
