"""``core/cli/`` as a package: one registration, small modules, and the rules the commands
used to hold now in core, run here without the CLI (or Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import cli
from core.errors import AssayError
from core.jobs.annotate import project_annotators
from core.jobs.train import ModelInUse, choose_annotator, remove_trained_model
from core.nlp.store_rules import store_rules
from core.nlp.training import META_FILE, models_dir, saved_models
from core.store import Project
from core.store.statistics import CountryMinerals

ROOT = Path(__file__).resolve().parents[1]
# The commands in the order `assay-cli --help` has always listed them.
COMMANDS = ["new", "import", "annotate", "annotate-jsonl", "stats", "report", "check",
            "labels", "assign", "merge", "agreement", "adjudicate", "export", "train",
            "models", "claims", "relations", "topics", "topic", "map"]


def test_every_command_is_registered_once_in_the_help_order():
    names = [c.name for module in cli.MODULES for c in module.COMMANDS.commands]
    assert names == COMMANDS
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert list(sub.choices) == COMMANDS
    for name, p in sub.choices.items():
        assert p.get_default("func") is not None, name


def test_the_package_is_small_modules_with_one_registration():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines())
             for p in (ROOT / "core" / "cli").glob("*.py")}
    assert max(sizes.values()) <= 300, sizes
    assert not (ROOT / "core" / "cli.py").exists()
    for path in (ROOT / "core" / "cli").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "add_subparsers" not in text or path.name == "__init__.py", path.name
        assert "set_defaults(func" not in text or path.name == "command.py", path.name


def fake_model(project_path: Path, model_id: str) -> None:
    """A model folder with a readable meta file and no pipeline in it."""
    folder = models_dir(project_path) / model_id
    folder.mkdir(parents=True)
    (folder / META_FILE).write_text(json.dumps({"train": [], "dev": []}), encoding="utf-8")


def test_the_model_that_pre_annotates_a_project_is_not_removed(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        fake_model(path, "m1")
        fake_model(path, "m2")
        choose_annotator(project, "m1")
        with pytest.raises(ModelInUse):
            remove_trained_model(project, "m1")
        assert "m2" in remove_trained_model(project, "m2")
        with pytest.raises(AssayError, match="No trained model 'm3'"):
            remove_trained_model(project, "m3")
    assert [m.id for m in saved_models(path)] == ["m1"]


def test_a_chosen_model_that_does_not_load_is_refused_not_replaced(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        with pytest.raises(AssayError, match="No trained model 'gone'"):
            project_annotators(project, "gone")
        fake_model(path, "empty")  # a meta file but no pipeline: it cannot load
        choose_annotator(project, "empty")
        with pytest.raises(AssayError, match="The model 'empty' could not be loaded"):
            project_annotators(project)


def test_country_mineral_pairs_rank_most_articles_first_then_by_ids():
    cm = CountryMinerals(countries=[], minerals=[], articles=9, cells={
        ("USA", "mineral:lithium"): 2, ("CHL", "mineral:lithium"): 5,
        ("AUS", "mineral:cobalt"): 2})
    assert [pair for pair, _k in cm.ranked()] == [
        ("CHL", "mineral:lithium"), ("AUS", "mineral:cobalt"), ("USA", "mineral:lithium")]
