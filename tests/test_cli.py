"""Every assay-cli command, through the same entry point users run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.nlp.store_rules import store_rules
from core.sample import ensure_sample_project
from core.store import Project

ARTICLE = ("Cobalt from the DRC\n\nCobalt output in the DRC rose 30% in 2024, the IEA said, "
           "while Australia shipped lithium to China.")


@pytest.mark.slow
def test_new_import_annotate_stats(tmp_path, capsys):
    project = tmp_path / "demo.assay"
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")  # duplicate
    (folder / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(folder)]) == 0
    out = capsys.readouterr()
    assert "Imported 1 article(s)" in out.out and "1 duplicate(s)" in out.out
    assert "junk.txt" in out.err

    assert main(["annotate", str(project)]) == 0
    assert "Pre-annotated 1 article(s)" in capsys.readouterr().out
    assert main(["stats", str(project), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"]["pending"] == 1
    assert stats["entities"]["MINERAL"] >= 2 and stats["entities"]["GPE"] >= 2
    with Project.open(project, rules=store_rules()) as proj:
        assert proj.article(1).model.startswith("en_core_web_sm")
        assert proj.tokens(1)
    # A second run has nothing left to do.
    assert main(["annotate", str(project)]) == 0
    assert "Pre-annotated 0 article(s)" in capsys.readouterr().out
    assert main(["stats", str(project)]) == 0
    assert "MINERAL" in capsys.readouterr().out


def test_user_mistakes_exit_non_zero_without_traceback(tmp_path, capsys):
    assert main(["stats", str(tmp_path / "missing.assay")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: No project file") and "Traceback" not in err
    not_sqlite = tmp_path / "x.assay"
    not_sqlite.write_text("hello")
    assert main(["stats", str(not_sqlite)]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "p.assay")]) == 0
    assert main(["new", str(tmp_path / "p.assay")]) == 1
    assert main(["import", str(tmp_path / "p.assay"), str(tmp_path / "nope")]) == 1
    assert "No such file" in capsys.readouterr().err


@pytest.mark.slow
def test_json_progress_for_the_window(tmp_path):
    project = tmp_path / "j.assay"
    main(["new", str(project)])
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    main(["import", str(project), str(tmp_path / "a.txt")])
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "annotate", str(project), "--json-progress"],
        capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=120,
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert events[0] == {"event": "progress", "done": 0, "total": 0,
                         "stage": "loading the model…"}
    assert events[1] == {"event": "progress", "done": 0, "total": 1, "stage": ""}
    assert events[-1]["event"] == "done" and events[-1]["articles"] == 1


def test_sample_project_is_built_once_with_suggestions(tmp_path):
    path = ensure_sample_project(tmp_path)
    with Project.open(path, rules=store_rules()) as proj:
        assert proj.count_articles() >= 5
        counts = proj.counts_by_label()
        assert counts["MINERAL"] > 0 and counts["GPE"] > 0 and counts["ORG"] > 0
        proj.approve_article(1, "ana")
    assert ensure_sample_project(tmp_path) == path  # not rebuilt: the review is kept
    with Project.open(path, rules=store_rules()) as proj:
        assert proj.article(1).status == "approved"
