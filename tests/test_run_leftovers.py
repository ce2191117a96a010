"""What a killed or odd run leaves, and the models folder a user may have touched by hand.

* ``kill -9`` of ``train`` leaves its hidden working folder (with the articles' text), of
  ``annotate-jsonl`` its partial output: the next run removes them and says so.
* One damaged ``assay-model.json`` hides only its own model, named; a model folder that is
  a link loses only the link.
* ``annotate-jsonl`` counts a record with overlapping spans as a problem (the import would
  refuse it) and refuses a JSON array as a whole, writing nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.cli import main as cli
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.nlp.training import META_FILE, models_dir
from core.store import Project

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def wait_for(found, proc: subprocess.Popen, what: str, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while not (hit := found()):
        assert proc.poll() is None, f"{what}: the run ended first: {proc.communicate()}"
        assert time.monotonic() < deadline, f"{what}: not seen in {timeout} s"
        time.sleep(0.05)
    return hit


def approved_project(path: Path, n: int) -> Path:
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=f"Brief {i}: Halden Graphite AS ships graphite "
                                        f"from Canada in {2020 + i}.", title=f"b{i}")
                              for i in range(n)])
        for article_id in project.article_ids():
            text = project.article(article_id).text
            for name, label in (("Halden Graphite AS", "ORG"), ("graphite", "MINERAL"),
                                ("Canada", "GPE")):
                start = text.index(name)
                project.add_span(article_id, start, start + len(name), label, "ana")
            project.approve_article(article_id, "ana")
    return path


# ------------------------------------------------------------------------ killed runs


@pytest.mark.slow
@needs_sigkill
def test_a_killed_training_leaves_a_folder_the_next_run_removes_and_names(tmp_path, capsys):
    project = approved_project(tmp_path / "p.assay", 4)
    models = models_dir(project)
    child = subprocess.Popen([sys.executable, "-m", "core.cli", "train", str(project),
                              "--epochs", "500", "--dev", "0.25"], cwd=ROOT, env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        hidden = wait_for(lambda: [p for p in models.glob(".*") if (p / "config.cfg").exists()],
                          child, "the training's working folder")
    finally:
        child.kill()  # SIGKILL: nothing unwinds
        child.wait(timeout=60)
    (leftover,) = hidden
    assert (leftover / "train.spacy").is_file()  # the articles' text, in spaCy's form

    assert cli(["train", str(project), "--epochs", "1", "--dev", "0.25"]) == 0
    err = capsys.readouterr().err
    assert f"removed {leftover.name}" in err and "killed" in err
    assert not leftover.exists()
    assert [p.name for p in models.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
@needs_sigkill
def test_a_killed_annotate_jsonl_leaves_a_partial_the_next_run_removes_and_names(
        tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"Report {i}: Halden Graphite AS ships "
                                               "graphite from Canada."}) + "\n"
                           for i in range(20000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "core.cli", "annotate-jsonl", str(src),
                              str(out), "--batch-size", "16"], cwd=ROOT, env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (partial,) = wait_for(lambda: [p for p in tmp_path.glob("out.jsonl*partial")
                                       if p.stat().st_size > 0], child, "the partial output")
    finally:
        child.kill()
        child.wait(timeout=60)
    assert partial.exists() and not out.exists()

    small = tmp_path / "small.jsonl"
    small.write_text('{"text": "Graphite from Canada."}\n', encoding="utf-8")
    assert cli(["annotate-jsonl", str(small), str(out)]) == 0
    err = capsys.readouterr().err
    assert f"Removed {partial}" in err and "killed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl",
                                                          "small.jsonl"]


def test_a_partial_output_of_a_run_still_going_is_left_alone(tmp_path):
    from core.jobs.leftovers import run_mark
    from core.jobs.records_jsonl import remove_killed_outputs

    out = tmp_path / "out.jsonl"
    mine = tmp_path / f"out.jsonl.{run_mark()}.partial"  # this process: still running
    mine.write_text("half\n")
    old = tmp_path / "out.jsonl.partial"  # an older Assay's, unmarked
    old.write_text("half\n")
    assert remove_killed_outputs(out) == [old]
    assert mine.exists() and not old.exists()


# ------------------------------------------------------------------------ the models folder


def saved(folder: Path, meta: object | str) -> Path:
    folder.mkdir(parents=True)
    text = meta if isinstance(meta, str) else json.dumps(meta)
    (folder / META_FILE).write_text(text, encoding="utf-8")
    return folder


GOOD = {"id": "x", "train": [{"sha256": "a"}], "scores": {"model": {"micro": {"f": 0.5}}}}


def test_one_damaged_model_file_hides_only_its_model_and_is_named(tmp_path, capsys):
    project = tmp_path / "p.assay"
    Project.create(project, rules=store_rules()).close()
    models = models_dir(project)
    saved(models / "20260101-000000", GOOD)
    saved(models / "20260102-000000", {**GOOD, "train": 5})
    saved(models / "20260103-000000", "{not json")
    saved(models / "20260104-000000", ["a", "list"])
    assert cli(["models", str(project), "list"]) == 0
    out, err = capsys.readouterr()
    assert "20260101-000000  1 articles, dev F1 0.500" in out
    for bad in ("20260102-000000", "20260103-000000", "20260104-000000"):
        assert bad not in out and bad in err
    assert '"train" is a int' in err and "not JSON" in err and "Traceback" not in err
    assert cli(["models", str(project), "list", "--json"]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)["models"]] == ["x"]


def test_removing_a_linked_model_removes_the_link_and_keeps_what_it_points_to(
        tmp_path, capsys):
    project = tmp_path / "p.assay"
    Project.create(project, rules=store_rules()).close()
    shared = saved(tmp_path / "shared" / "model", GOOD)
    models_dir(project).mkdir()
    (models_dir(project) / "linked").symlink_to(shared, target_is_directory=True)
    assert cli(["models", str(project), "remove", "linked"]) == 0
    out = capsys.readouterr().out
    assert "the link linked" in out and str(shared) in out
    assert not (models_dir(project) / "linked").exists()
    assert (shared / META_FILE).is_file()


# ------------------------------------------------------------------------ annotate-jsonl


@pytest.mark.slow
def test_annotate_jsonl_counts_overlapping_spans_as_a_problem_the_import_agrees(
        tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    text = "Halden Graphite AS ships graphite from Canada."
    overlapping = {"text": text, "spans": [{"start": 0, "end": 15, "label": "ORG"},
                                           {"start": 7, "end": 18, "label": "ORG"}]}
    src.write_text(json.dumps(overlapping) + "\n" + json.dumps({"text": text}) + "\n",
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli(["annotate-jsonl", str(src), str(out)]) == 0
    captured = capsys.readouterr()
    assert "1 problem(s)" in captured.out and "overlaps another span" in captured.err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    project = tmp_path / "p.assay"
    Project.create(project, rules=store_rules()).close()
    assert cli(["import", str(project), str(out)]) == 0
    assert "0 problem(s)" in capsys.readouterr().out  # what was written imports whole


@pytest.mark.slow
def test_annotate_jsonl_refuses_a_json_array_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "records.json"
    src.write_text(json.dumps([{"text": "Graphite from Canada."}], indent=2),
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli(["annotate-jsonl", str(src), str(out)]) == 1
    err = capsys.readouterr().err
    assert "holds a JSON array, not JSON Lines" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.json"]
