"""``assay-cli train`` and ``assay-cli models``: a project's own models, from the shell;
the work is ``core.jobs.train`` and ``core.nlp.training``."""

from __future__ import annotations

import argparse
import contextlib
import json
import shlex
import signal
import sys

from core.cli.command import EXIT_CANCELLED, EXIT_OK, Commands
from core.cli.options import add_json, add_json_progress, add_project
from core.errors import AssayError
from core.jobs import protocol
from core.jobs.train import (
    ModelInUse,
    choose_annotator,
    current_annotator,
    remove_trained_model,
)
from core.nlp.evaluate import table
from core.nlp.model_choice import is_better
from core.nlp.store_rules import store_rules
from core.nlp.topic_scores import report_f, topic_table
from core.nlp.training import (
    DEFAULT_ANNOTATOR,
    TrainingCancelled,
    micro_f,
    model_folders,
)
from core.store import Project
from core.text.normalise import one_line

COMMANDS = Commands()


def _epoch_line(info: dict) -> str:
    def num(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f}"

    stage = "topics: " if info.get("stage") == "topics" else ""
    return (f"{stage}epoch {info['epoch'] + 1}/{info['epochs']} · loss {info['loss']:.1f} · "
            f"dev P {num(info['p'])} R {num(info['r'])} F {num(info['f'])}")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def train_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("--dev", type=float, default=0.2, help="share of articles for dev (0.2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the split and of training")
    p.add_argument("--epochs", type=int, default=15, help="passes over the data (15)")
    add_json_progress(p)


@COMMANDS.command("train", train_options, help="train spaCy NER on the approved articles",
                  description="Trains on the approved articles' accepted spans, "
                  "starting from the stock model, with spaCy's config-driven training; "
                  "scores it and the current pre-annotator on the dev split and saves "
                  "it in PROJECT.models/ID/.")
def cmd_train(args: argparse.Namespace) -> int:
    from core.jobs.train import train_project

    wire = sys.stdout  # the window reads this; spaCy's own prints go to stderr below

    def stage(what: str) -> None:
        if args.json_progress:
            print(protocol.encode(protocol.Progress(0, 0, what)), file=wire, flush=True)
        else:
            print(what, file=sys.stderr, flush=True)

    def on_epoch(info: dict) -> None:
        line = _epoch_line(info)
        if args.json_progress:
            print(protocol.encode(protocol.Progress(min(info["epoch"] + 1, info["epochs"]),
                                                    info["epochs"], line)), file=wire,
                  flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    # The window's Cancel terminates this process: unwind, so the half-written model folder
    # is removed by its TemporaryDirectory instead of being left behind.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        # spaCy's trainer prints its own banner on stdout; the window reads stdout.
        with contextlib.redirect_stdout(sys.stderr):
            result = train_project(args.project, dev=args.dev, seed=args.seed,
                                   epochs=args.epochs, on_epoch=on_epoch, on_stage=stage)
    except (KeyboardInterrupt, TrainingCancelled):
        print("Cancelled: no model was saved.", file=sys.stderr)
        if args.json_progress:
            print(protocol.encode(protocol.TrainDone(cancelled=True)), flush=True)
        return EXIT_CANCELLED
    scores = result.meta["scores"]
    model_f, base_f = micro_f(result.meta, "model"), micro_f(result.meta, "baseline")
    if args.json_progress:
        print(protocol.encode(protocol.TrainDone(result.model_id, str(result.path), model_f,
                                                 base_f, result.meta["baseline"])), flush=True)
        return EXIT_OK
    print(f"Trained model {result.model_id} on {len(result.meta['train'])} article(s) "
          f"({result.meta['train_spans']} spans) in {result.meta['train_seconds']} s; "
          f"saved in {result.path}.")
    print(f"\nOn the dev split ({len(result.meta['dev'])} article(s)), the trained model:\n")
    print(table(scores["model"]))
    if "baseline" in scores:
        print(f"\nThe current pre-annotator ({result.meta['baseline']}):\n")
        print(table(scores["baseline"]))
    _print_topics(result.meta)
    better = is_better(model_f, base_f)
    if better:
        print(f"\nThe trained model is better. To pre-annotate with it: assay-cli models "
              f"{shlex.quote(args.project)} use {result.model_id}")
    elif better is None:
        print("\nThe dev split gave no score to compare; the current pre-annotator stays.")
    else:
        print("\nThe current pre-annotator is as good or better; it stays.")
    return EXIT_OK


def _print_topics(meta: dict) -> None:
    """The topic classifier's dev scores (``core.nlp.topic_scores``), or why there is none."""
    if meta.get("topics_note"):
        print(f"\n{one_line(meta['topics_note'], 400)}")
        return
    scores = meta.get("topic_scores") or {}
    if not isinstance(scores.get("model"), dict):
        return
    print(f"\nTopics ({len(meta.get('topics', []))} trained), on the same dev split, "
          "the trained model:\n")
    print(topic_table(scores["model"]))
    if isinstance(scores.get("baseline"), dict):
        print("\nThe current pre-annotator's topics:\n")
        print(topic_table(scores["baseline"]))


def topics_phrase(meta: dict) -> str:
    """What a saved model says of topics in ``models list``: its topic F1, or that it
    suggests none (and why, when training said so)."""
    scores = meta.get("topic_scores")
    model = scores.get("model") if isinstance(scores, dict) else None
    macro, micro = report_f(model, "macro"), report_f(model, "micro")
    if macro is not None or micro is not None:
        def num(x: float | None) -> str:
            return "–" if x is None else f"{x:.3f}"

        return (f"topics: {len(meta.get('topics', []))}, dev macro F1 {num(macro)}, "
                f"micro F1 {num(micro)}")
    return "suggests no topics"


def models_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", choices=("list", "use", "remove"))
    p.add_argument("values", nargs="*")
    add_json(p, "list: print JSON")


@COMMANDS.command("models", models_options,
                  help="trained models: list | use ID|default | remove ID")
def cmd_models(args: argparse.Namespace) -> int:
    folders = model_folders(args.project)
    models = folders.models
    for sentence in folders.warnings():
        print(f"warning: {sentence}", file=sys.stderr)
    if args.action == "list":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            chosen = current_annotator(project)
        if args.json:
            print(json.dumps({"chosen": chosen, "models": [m.meta for m in models]}))
            return EXIT_OK
        print(f"{'*' if chosen == DEFAULT_ANNOTATOR else ' '} default  (the stock model "
              "with the gazetteers; suggests no topics)")
        if chosen != DEFAULT_ANNOTATOR and chosen not in {m.id for m in models}:
            print(f"! {chosen}  chosen, but its folder is missing: annotate refuses until "
                  f"you choose another (models {shlex.quote(args.project)} use default)")
        for m in models:
            mark = "*" if m.id == chosen else " "
            f, base = m.micro_f, m.baseline_micro_f
            scores = f"dev F1 {f:.3f}" if f is not None else "no scores"
            if base is not None:
                scores += f" (its pre-annotator then: {base:.3f})"
            print(f"{mark} {m.id}  {len(m.meta.get('train', []))} articles, {scores}; "
                  f"{topics_phrase(m.meta)}")
        return EXIT_OK
    if len(args.values) != 1:
        raise AssayError(f"models {args.action} ID")
    target = args.values[0]
    if args.action == "use":
        with Project.open(args.project, rules=store_rules()) as project:
            choose_annotator(project, target)
        print(f"Pre-annotation now uses {target}. Re-annotate pending articles with: "
              f"assay-cli annotate {shlex.quote(args.project)} --force")
        return EXIT_OK
    with Project.open(args.project, rules=store_rules()) as project:
        try:
            removed = remove_trained_model(project, target)
        except ModelInUse as exc:
            raise AssayError(f"{target} pre-annotates this project; choose another first "
                             f"(models {shlex.quote(args.project)} use default).") from exc
    print(f"Removed model {target}: {removed}.")
    return EXIT_OK

