"""An article's date at import (issue 25): a .txt of news had every item "undated" in the
claims' "Across the corpus" list. The date the file gives comes first, then the dateline
at the top of the text (``core.text.dates``), then, for a file that is one article, the
day it was last changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.dates import dateline

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "date"), [
    ("Cobalt prices fall\nJune 3, 2024\n\nPrices fell.", "2024-06-03"),
    ("Cobalt prices fall\nBy Ana Lima | 3 June 2024\n\nPrices fell.", "2024-06-03"),
    ("2024-06-03 Cobalt prices fall. Prices fell.", "2024-06-03"),
    ("KINSHASA, Sept. 30, 2024 (Wire) - Mines shipped cobalt.", "2024-09-30"),
    ("Monday, 1st July 2024\nText.", "2024-07-01"),
    ("Title\n\nA new law takes effect. " + "x" * 80 + " on 1 January 2026.", ""),  # in the story
    ("One\nTwo\nThree\nFour\nFive\nSix\nSeventh line, June 3, 2024", ""),  # not near the top
    ("Cobalt\nJune 31, 2024\nText.", ""),  # no such day
    ("Report 2024-13-01 and March 2024", ""),  # no such month; a month without a day
    ("", ""),
])
def test_the_dateline_rule(text, date):
    assert dateline(text) == date


def test_import_takes_the_date_a_file_gives_then_its_dateline_then_its_day(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a-dateline.txt").write_text(
        "Cobalt refiners expand\nJune 3, 2024\n\nChinese refiners processed 76 per cent.\n")
    (folder / "b-front-matter.md").write_text(
        "---\ntitle: Stockpiles\ndate: 2024-11-02\n---\n3 June 2024\n\nChina bought cobalt.\n")
    undated = folder / "c-undated.txt"
    undated.write_text("Katanga output\n\nMines in Lualaba shipped cobalt to China.\n")
    day = datetime(2025, 1, 15, 12, 0).timestamp()
    os.utime(undated, (day, day))
    (folder / "d-records.jsonl").write_text("\n".join(json.dumps(r) for r in (
        {"text": "Market note\n20 May 2025\nChina's share is 70 %.", "date": "2025-05-21"},
        {"text": "Market note\n20 May 2025\nPrices fell 12%."},
        {"text": "No date anywhere in this record."})) + "\n")
    project = tmp_path / "p.assay"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for args in (["new", str(project)], ["import", str(project), str(folder)]):
        done = subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    with Project.open(project, read_only=True, rules=store_rules()) as p:
        dates = {p.article(i).text.strip().split("\n")[-1]: p.article(i).published
                 for i in p.article_ids()}
    assert dates == {
        "Chinese refiners processed 76 per cent.": "2024-06-03",  # the dateline
        "China bought cobalt.": "2024-11-02",  # the front matter's, not the text's
        "Mines in Lualaba shipped cobalt to China.": "2025-01-15",  # the file's day
        "China's share is 70 %.": "2025-05-21",  # the record's own date is kept
        "Prices fell 12%.": "2025-05-20",  # a record without one: its dateline
        "No date anywhere in this record.": "",  # one file, many articles: not its day
    }
