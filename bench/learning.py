"""The learning curve of training in the loop, and whether "most uncertain first" pays.

Stands in for a team's approvals with the training briefs of ``bench/gold`` (train-a, then
train-b, in file order: the order a team would review them without help), trains with the
same ``core.nlp.training.train`` as ``assay-cli train`` (dev: ``dev.gold``), and scores
every model on ``test.gold``, held out, with the whole pre-annotation pipeline (the
trained NER with the gazetteers and span rules), against the default pipeline.

"Most uncertain first" is measured as a reviewer would meet it: after the first 10
articles are approved and a model is trained on them, the remaining articles are ordered
by that model's disagreement with the stock model (``core.jobs.annotate.disagreement``,
the same measure the window orders by) and reviewed in that order. The question: does it
reach the F1 that file order reaches, with fewer reviewed articles?

``python -m bench.learning`` (about 5 minutes on two cores) prints the numbers, writes
``bench/results/learning.json`` and draws ``docs/learning-curve.png``; ``make bench`` runs
it as the step ``bench_learning``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.quality import read_marked
from core.nlp.evaluate import predict_with, score
from core.nlp.training import Example, train

GOLD = Path(__file__).parent / "gold"
SIZES = (10, 25, 50, 100)
EPOCHS = 12


def _examples(names: list[str]) -> list[Example]:
    out = []
    for name in names:
        path = GOLD / name
        if path.exists():
            out += [Example(len(out) + i, p.id, p.text, sorted(p.spans))
                    for i, p in enumerate(read_marked(path))]
    return out


def _rate(annotator, texts: list[str]) -> float:
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in annotator.annotate(texts):
        pass
    return words / (time.perf_counter() - started)


def bench_learning(tmp: Path) -> dict:
    from core.jobs.annotate import disagreement
    from core.nlp.pipeline import load_annotator

    pool = _examples(["train-a.gold", "train-b.gold"])
    dev = _examples(["dev.gold"])
    test = [(e.text, e.spans) for e in _examples(["test.gold"])]
    if len(pool) < max(SIZES[:2]) or not dev or not test:
        return {"learning_skipped": "bench/gold lacks the training, dev or test sets"}
    stock = load_annotator()
    baseline = score(test, predict_with(stock))["micro"]["f"]
    results: dict = {"learning_pool": len(pool), "learning_default_f1": round(baseline, 4)}
    curves: dict[str, list[tuple[int, float]]] = {"file order": [],
                                                   "most uncertain first": []}
    out = tmp / "models"
    seconds: dict[int, float] = {}
    models = {}
    for n in [s for s in SIZES if s <= len(pool)]:
        res = train(pool[:n], dev, out, model_id=f"file-{n}", epochs=EPOCHS)
        seconds[n] = res.meta["train_seconds"]
        trained = load_annotator(model_names=[str(res.path)])
        f = score(test, predict_with(trained))["micro"]["f"]
        curves["file order"].append((n, round(f, 4)))
        models[n] = trained
        print(f"  file order, {n} articles: F1 {f:.3f} ({seconds[n]:.0f} s)", file=sys.stderr)

    # Most uncertain first: the first 10 as before, then the rest by the 10-article model's
    # disagreement with the stock model, most first.
    first, rest = pool[:10], pool[10:]
    texts = [e.text for e in rest]
    unsure = [disagreement(a, b) for (a, _t), (b, _u) in
              zip(models[10].annotate(texts), stock.annotate(texts), strict=True)]
    ordered = first + [e for _u, e in sorted(zip(unsure, rest, strict=True),
                                             key=lambda p: -p[0])]
    curves["most uncertain first"].append(curves["file order"][0])
    for n in [s for s in SIZES[1:] if s < len(pool)]:
        res = train(ordered[:n], dev, out, model_id=f"unsure-{n}", epochs=EPOCHS)
        trained = load_annotator(model_names=[str(res.path)])
        f = score(test, predict_with(trained))["micro"]["f"]
        curves["most uncertain first"].append((n, round(f, 4)))
        print(f"  most uncertain first, {n} articles: F1 {f:.3f}", file=sys.stderr)

    biggest = max(seconds)
    words = sum(len(e.text.split()) for e in pool[:biggest])
    test_texts = [t for t, _s in test]
    results.update({
        "learning_curve_file_order": curves["file order"],
        "learning_curve_uncertain_first": curves["most uncertain first"],
        "train_seconds_per_100_articles": round(seconds[biggest] * 100 / biggest, 1),
        "train_words_per_article": round(words / biggest),
        "train_epochs": EPOCHS,
        "annotate_words_per_s_default": round(_rate(stock, test_texts)),
        "annotate_words_per_s_trained": round(_rate(models[biggest], test_texts)),
    })
    results["annotate_ratio_trained_vs_default"] = round(
        results["annotate_words_per_s_trained"] / results["annotate_words_per_s_default"], 3)
    _draw(curves, baseline)
    return results


def _draw(curves: dict, baseline: float) -> None:
    from core.nlp.quality_chart import learning_curve

    fig = learning_curve(curves, baseline=baseline)
    docs = Path(__file__).resolve().parents[1] / "docs"
    fig.savefig(docs / "learning-curve.png", dpi=130)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = bench_learning(Path(tmp))
    for key, value in results.items():
        print(f"{key:<36} {value}")
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "learning.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
