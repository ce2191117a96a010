"""Every CSV Assay writes neutralises cells a spreadsheet would run as formulas (OWASP).

Before this was fixed, a title ``=HYPERLINK(...)``, a bullet "- Chile raised…" in a
claim or a note starting with ``@`` went into the cell as is, and Excel or
LibreOffice ran it. JSONL keeps the text exactly.
"""

from __future__ import annotations

import csv
import json

import pytest

from core.formats.csv_cells import FORMULA_STARTS, safe_cell
from core.formats.export import export
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

TITLE = '=HYPERLINK("http://example.invalid/x","Open")'
TEXT = "- Chile raised lithium royalties by 3% in 2024.\n+Indonesia banned nickel ore exports."


@pytest.fixture
def hostile(tmp_path):
    project = Project.create(tmp_path / "h.assay", rules=store_rules())
    project.add_articles([ArticleIn(text=TEXT, title=TITLE, source="@source")])
    for part, label in (("Chile", "GPE"), ("lithium", "MINERAL"), ("Indonesia", "GPE"),
                        ("nickel", "MINERAL")):
        start = TEXT.index(part)
        project.add_span(1, start, start + len(part), label, "ana")
    project.add_claim(1, 0, TEXT.index("\n"), "ana", verdict="supported",
                      evidence_url="=cmd|' /C calc'!A0", note="@SUM(1+1)\tx")
    project.approve_article(1, "ana")
    yield project
    project.close()


def cells(path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


@pytest.mark.parametrize("fmt", ["csv", "claims", "facts"])
def test_no_cell_of_any_csv_starts_like_a_formula(hostile, tmp_path, fmt):
    dest = tmp_path / f"{fmt}.csv"
    report = export(hostile, fmt, dest)
    assert report.articles == 1
    written = cells(dest)
    assert not [c for c in written if c.startswith(FORMULA_STARTS)]
    assert "'" + TITLE in written  # shown as the title, not run
    if fmt == "claims":
        assert "'- Chile raised lithium royalties by 3% in 2024." in written
        assert "'@SUM(1+1)\tx" in written and "'=cmd|' /C calc'!A0" in written
    if fmt == "facts":
        assert "'- Chile raised lithium royalties by 3% in 2024." in written
        assert "'+Indonesia banned nickel ore exports." in written


def test_jsonl_keeps_the_text_exactly(hostile, tmp_path):
    export(hostile, "assay", tmp_path / "a.jsonl")
    (record,) = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert (record["title"], record["text"]) == (TITLE, TEXT)
    assert record["claims"][0]["note"] == "@SUM(1+1)\tx"


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+49 30", "'+49 30"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Chile", "Chile"), ("", ""), (-5, -5), (3, 3), (" =1", " =1"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
