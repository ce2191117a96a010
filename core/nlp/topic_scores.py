"""How well a model suggests topics: per-topic precision, recall and F1 against the
topics reviewers gave approved articles, with micro and macro averages.

One scorer for every place that asks (training's dev split, for the trained model and for
the pre-annotator it would replace; the Models dialog and ``assay-cli train`` / ``models
list`` only read what it wrote). A topic counts for an article when the model's score
reaches ``TOPIC_THRESHOLD``, the same threshold at which pre-annotation stores a
suggestion (``core.store.article_topics.SUGGEST_THRESHOLD``). The report has the shape of
``core.nlp.evaluate.score``'s (``labels`` and ``micro``), plus ``macro``: the mean over the
topics that occur in the gold or the predictions, so a rare topic weighs as much as a
common one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.metrics import f1_from
from core.text.normalise import one_line

# A topic is suggested at this score or above (textcat_multilabel's own default threshold;
# the store's SUGGEST_THRESHOLD is the same number, for the same reason).
TOPIC_THRESHOLD = 0.5


def chosen(scores: Mapping[str, float], threshold: float = TOPIC_THRESHOLD) -> set[str]:
    """The topics a model's scores suggest."""
    return {topic for topic, score in scores.items() if score >= threshold}


def _prf(matches: int, predicted: int, gold: int) -> dict:
    return {"p": matches / predicted if predicted else None,
            "r": matches / gold if gold else None,
            "f": f1_from(matches, predicted, gold), "gold": gold, "predicted": predicted}


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def score_topics(gold: Sequence[set[str]], predicted: Sequence[set[str]],
                 topics: Sequence[str]) -> dict:
    """Per-topic, micro and macro P/R/F of ``predicted`` against ``gold`` (one set of
    topic names per article, in the same order), over ``topics``:
    ``{"labels": {topic: {"p", "r", "f", "gold", "predicted"}}, "micro": {...},
    "macro": {"p", "r", "f", "gold", "predicted"}, "articles": n}``."""
    counts = {t: [0, 0, 0] for t in topics}  # topic -> [matches, predicted, gold]
    for truth, guess in zip(gold, predicted, strict=True):
        for topic, c in counts.items():
            c[0] += topic in truth and topic in guess
            c[1] += topic in guess
            c[2] += topic in truth
    per = {t: _prf(*c) for t, c in sorted(counts.items())}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    seen = [m for m in per.values() if m["gold"] or m["predicted"]]
    macro = {"p": _mean(m["p"] for m in seen), "r": _mean(m["r"] for m in seen),
             "f": _mean(m["f"] for m in seen), "gold": total[2], "predicted": total[1]}
    return {"labels": per, "micro": _prf(*total), "macro": macro, "articles": len(gold)}


def report_f(report: object, average: str = "macro") -> float | None:
    """The macro (or micro) F1 of a topic report read from a meta file a user may have
    edited: None unless it is a number."""
    node = report.get(average) if isinstance(report, dict) else None
    value = node.get("f") if isinstance(node, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def topic_table(report: dict) -> str:
    """A topic report as a markdown table (``assay-cli train``), macro and micro last; a
    topic's name (anyone's text) on one clean line."""
    def cell(x: object) -> str:
        return f"{x:.2f}" if isinstance(x, int | float) else "–"

    rows = ["| topic | gold | predicted | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for name, m in [*report.get("labels", {}).items(), ("macro", report.get("macro", {})),
                    ("micro", report.get("micro", {}))]:
        rows.append(f"| {one_line(name, 40)} | {m.get('gold', '–')} | {m.get('predicted', '–')} | "
                    f"{cell(m.get('p'))} | {cell(m.get('r'))} | {cell(m.get('f'))} |")
    return "\n".join(rows)
