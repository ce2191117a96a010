"""``assay-cli topics`` and ``assay-cli topic`` (issue 29), run as a user runs them: the real
CLI in a subprocess on a real project file. They make the window's edits, so the store
refuses what the window refuses, in one sentence, and the audit log names --reviewer."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.slow  # another process per command


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=180)


def ok(*args: object) -> str:
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(*args: object) -> str:
    done = cli(*args)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    return done.stderr


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as p:
        p.add_articles([ArticleIn(text="China tightened gallium export controls."),
                        ArticleIn(text="Lynas raised money for its plant.")])
        p.suggest_topics(2, {"investment and finance": 0.8}, "m==1")
    return path


def test_topics_list_add_rename_delete(path):
    listed = ok("topics", path)
    assert "export controls" in listed and "9 topic(s)" in listed
    ok("topic", path, 1, "export controls", "--reviewer", "zoe")
    got = json.loads(ok("topics", path, "list", "--json"))
    assert got[0] == {"name": "export controls", "key": "1", "color": "#c0392b",
                      "description": got[0]["description"], "articles": 1}
    assert "Added topic recycling (key 0)." in ok("topics", path, "add", "recycling",
                                                    "--key", "0", "--color", "#336699")
    assert "already export controls" in refused("topics", path, "add", "x", "--key", "1")
    assert "one digit" in refused("topics", path, "add", "y", "--key", "q")
    ok("topics", path, "rename", "export controls", "export restrictions",
       "--reviewer", "lead")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT topic, updated_by FROM article_topics WHERE "
                            "article_id = 1").fetchall() == [("export restrictions", "zoe")]
        assert conn.execute("SELECT reviewer FROM events WHERE action = 'topics.rename'"
                            ).fetchone() == ("lead",)
    assert "1 article" in refused("topics", path, "delete", "export restrictions")
    assert "Deleted topic recycling." in ok("topics", path, "delete", "recycling")
    assert "takes 2 value(s)" in refused("topics", path, "rename", "only-one")


def test_topic_sets_removes_and_lists_an_articles_topics(path):
    assert "Article 2: trade and supply set." in ok("topic", path, 2, "trade and supply",
                                                    "--reviewer", "zoe")
    ok("topic", path, 2, "investment and finance", "--off", "--reviewer", "zoe")
    rows = {r["topic"]: r for r in json.loads(ok("topic", path, 2, "--json"))}
    assert rows["trade and supply"]["state"] == "accepted"
    assert rows["investment and finance"]["state"] == "rejected"
    assert rows["investment and finance"]["model"] == "m==1"
    text = ok("topic", path, 2)
    assert "2 topic(s) of article 2." in text and "rejected" in text
    assert "No topic" in refused("topic", path, 2, "space mining")
    assert "No article" in refused("topic", path, 99, "trade and supply")
    usage = cli("topic", path, "²", "trade and supply")  # argparse: usage, then the sentence
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert usage.stderr.strip().splitlines()[-1].endswith("digits 0-9, not '²'.")
    # The window reads what the CLI wrote: the same rows, the same counts.
    with Project.open(path, rules=store_rules()) as p:
        assert p.counts_by_topic()["trade and supply"] == 1
        assert p.articles_with_topic("trade and supply") == [2]
