"""``assay-cli relations`` and the relation types of ``assay-cli labels`` (issue 26), run as
a user runs them: the real CLI in a subprocess, on a real project file. The commands make
the window's edits, so the store's rules refuse what the window refuses, with a sentence,
and the audit log names the ``--reviewer``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

REPO = Path(__file__).parents[1]
TEXT = "Chile\u202e mines lithium; Peru sells copper to Japan."


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=180)


def ok(*args: object) -> str:
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(*args: object) -> str:
    """Refused as a user reads it: rc != 0, one line on stderr, no traceback."""
    done = cli(*args)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    return done.stderr


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def project(tmp_path) -> Path:
    """One article: Chile (with a bidi override in its text) GPE, lithium MINERAL, Peru
    GPE, copper MINERAL, Japan GPE; the model suggested Chile PRODUCES lithium."""
    path = tmp_path / "p.assay"
    with Project.create(path, name="p", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=TEXT, title="T", spans=(
            SpanIn(0, 6, "GPE"), SpanIn(*at("lithium"), "MINERAL"), SpanIn(*at("Peru"), "GPE"),
            SpanIn(*at("copper"), "MINERAL"), SpanIn(*at("Japan"), "GPE")),
            relations=(RelationIn(0, 1, "PRODUCES", origin="model"),))])
    return path


def span_ids(path: Path) -> dict[str, int]:
    with Project.open(path, read_only=True, rules=store_rules()) as p:
        return {s.text.strip("\u202e"): s.id for s in p.spans(1)}


def test_relations_are_listed_drawn_decided_and_deleted_from_the_cli(project):
    listed = ok("relations", project, "list")
    assert "suggested Chile PRODUCES lithium  (model)" in listed and "\u202e" not in listed
    ids = span_ids(project)
    added = ok("relations", project, "add", 1, ids["Peru"], ids["copper"], "SUPPLIES",
               "--reviewer", "ana")
    assert added.startswith("Added relation 2: Peru SUPPLIES copper")
    assert "is already there" in refused("relations", project, "add", 1, ids["Peru"],
                                         ids["copper"], "SUPPLIES")
    assert "does not fit" in refused("relations", project, "add", 1, ids["lithium"],
                                     ids["Japan"], "FUNDS")
    ok("relations", project, "accept", 1, "--reviewer", "ben")
    rows = json.loads(ok("relations", project, "list", "--json"))
    assert [(r["id"], r["type"], r["state"], r["updated_by"]) for r in rows] == [
        (1, "PRODUCES", "accepted", "ben"), (2, "SUPPLIES", "accepted", "ana")]
    ok("relations", project, "reject", 2)
    assert [r["id"] for r in json.loads(ok("relations", project, "list", "--state",
                                           "rejected", "--json"))] == [2]
    assert [r["id"] for r in json.loads(ok("relations", project, "list", "--type",
                                           "PRODUCES", "--article", 1, "--json"))] == [1]
    assert ok("relations", project, "delete", 2).startswith("Deleted relation 2")
    assert "No relation with id 2" in refused("relations", project, "accept", 2)
    assert "0 relation(s)." in ok("relations", project, "list", "--article", 7)
    with Project.open(project, read_only=True, rules=store_rules()) as p:
        newest = next(e for e in p.events() if e["action"].startswith("relation."))
        assert (newest["action"], newest["payload"]["relation_id"]) == ("relation.delete", 2)


def test_labels_list_add_edit_and_delete_relation_types(project):
    listed = ok("labels", project, "relation-types")
    assert "PARTNERS_WITH" in listed and "GPE, ORG ↔ GPE, ORG" in listed
    assert "1 relation(s)" in listed.splitlines()[0]  # PRODUCES is used once
    ok("labels", project, "relation-add", "SANCTIONS", "--head", "GPE", "--tail", "ORG,GPE",
       "--hotkey", "x")
    ok("labels", project, "relation-edit", "SANCTIONS", "--name", "BLOCKS", "--symmetric")
    kinds = {t["name"]: t for t in json.loads(ok("labels", project, "relation-types",
                                                 "--json"))}
    assert (kinds["BLOCKS"]["head"], kinds["BLOCKS"]["tail"], kinds["BLOCKS"]["symmetric"],
            kinds["BLOCKS"]["hotkey"]) == (["GPE"], ["ORG", "GPE"], True, "x")
    assert "not a label of the scheme" in refused("labels", project, "relation-add", "X",
                                                  "--head", "PERSON?", "--tail", "GPE")
    assert "used by 1 relation" in refused("labels", project, "relation-delete", "PRODUCES")
    ok("labels", project, "relation-delete", "BLOCKS")
    assert "BLOCKS" not in ok("labels", project, "relation-types")
