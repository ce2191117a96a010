"""The suggestion scorer (bench/quality.py): exact-match P/R/F per label, computed by hand
for a small case, on gold in the Assay JSONL an export writes; and the real pipeline on a
sentence we wrote."""

from __future__ import annotations

import json

import pytest

from bench.quality import read_gold, score, table

TEXT = "Chile and Peru sell lithium to Japan."


def test_per_label_and_micro_scores_are_counted_by_hand(tmp_path):
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps({"text": TEXT, "spans": [
        {"start": 0, "end": 5, "label": "GPE", "text": "Chile"},
        {"start": 10, "end": 14, "label": "GPE", "text": "Peru"},
        {"start": 20, "end": 27, "label": "MINERAL", "text": "lithium"},
        {"start": 31, "end": 36, "label": "GPE", "text": "Japan"}]}) + "\n")
    gold = read_gold([gold_file])
    # Predicted: Chile right, Peru as LOC (a miss and a false LOC), lithium right, Japan
    # one character short (a boundary error is a miss and a false GPE).
    guessed = [(0, 5, "GPE"), (10, 14, "LOC"), (20, 27, "MINERAL"), (31, 35, "GPE")]
    report = score(gold, lambda texts: [guessed for _ in texts])
    gpe = report["labels"]["GPE"]
    assert (gpe["gold"], gpe["predicted"]) == (3, 2)
    assert gpe["p"] == pytest.approx(1 / 2) and gpe["r"] == pytest.approx(1 / 3)
    assert gpe["f"] == pytest.approx(2 * 1 / (2 + 3))
    assert report["labels"]["LOC"]["p"] == 0 and report["labels"]["LOC"]["r"] is None
    micro = report["micro"]
    assert (micro["p"], micro["r"]) == (pytest.approx(2 / 4), pytest.approx(2 / 4))
    assert "| micro | 4 | 4 | 0.50 | 0.50 | 0.50 |" in table(report)


def test_a_gold_span_that_does_not_fit_its_text_refuses_the_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": TEXT, "spans": [
        {"start": 0, "end": 6, "label": "GPE", "text": "Chile"}]}) + "\n")
    with pytest.raises(ValueError, match="not 'Chile'"):
        read_gold([bad])


@pytest.mark.slow
def test_the_default_pipeline_finds_what_we_wrote():
    from bench.quality import default_predict

    gold = [(TEXT, [(0, 5, "GPE"), (10, 14, "GPE"), (20, 27, "MINERAL"), (31, 36, "GPE")])]
    report = score(gold, default_predict())
    assert report["labels"]["MINERAL"]["f"] == 1.0
    assert report["micro"]["r"] >= 0.75


def test_marked_gold_gives_the_offsets_of_what_was_marked(tmp_path):
    from bench.quality import read_marked

    marked = tmp_path / "set.gold"
    marked.write_text(
        "=== a-1 | written for this test\n"
        "[Chile]{GPE} sells [lithium hydroxide]{MINERAL} to [Albemarle Corp.]{ORG}.\n\n"
        "Second paragraph: [2026]{DATE}.\n"
        "=== a-2 | written for this test\nNothing to mark.\n", encoding="utf-8")
    first, second = read_marked(marked)
    assert (first.id, first.source) == ("a-1", "written for this test")
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [
        ("Chile", "GPE"), ("lithium hydroxide", "MINERAL"), ("Albemarle Corp.", "ORG"),
        ("2026", "DATE")]
    assert "\n\nSecond paragraph" in first.text and "[" not in first.text
    assert second.text == "Nothing to mark." and second.spans == []
    assert read_gold([marked])[0] == (first.text, sorted(first.spans))


@pytest.mark.parametrize("body", ["[Chile ]{GPE} x", "[Chile]{gpe} x", "Chile]{GPE} x"])
def test_a_broken_mark_refuses_the_gold_file(tmp_path, body):
    from bench.quality import read_marked

    marked = tmp_path / "bad.gold"
    marked.write_text(f"=== b-1 | test\n{body}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="b-1"):
        read_marked(marked)


def test_relation_gold_marks_tagged_ends_and_relation_lines(tmp_path):
    from bench.quality import read_marked

    marked = tmp_path / "rel.gold"
    marked.write_text(
        "=== r-1 | written for this test\n"
        "[Chile]{GPE=cl} sells [lithium]{MINERAL=li} to [Japan]{GPE=jp}.\n"
        "~ cl SUPPLIES li\n~ cl SUPPLIES jp\n", encoding="utf-8")
    [passage] = read_marked(marked)
    assert passage.text == "Chile sells lithium to Japan."
    assert passage.relations == [(0, 5, "SUPPLIES", 12, 19), (0, 5, "SUPPLIES", 23, 28)]
    marked.write_text("=== r-2 | test\n[Chile]{GPE=cl} x\n~ cl SUPPLIES li\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match="no entity tagged 'li'"):
        read_marked(marked)


@pytest.mark.slow
def test_the_relation_scorer_runs_on_the_relation_gold(capsys):
    from bench.quality import read_marked
    from bench.relation_quality import DEFAULT_GOLD, main

    gold = sum(len(p.relations) for p in read_marked(DEFAULT_GOLD))
    assert gold >= 40
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "End to end" in out and "On gold entities" in out
    # Both tables count every gold relation, per type and overall.
    assert out.count(f"| micro | {gold} |") == 2
    for kind in ("PRODUCES", "SUPPLIES", "RESTRICTS", "FUNDS", "MEMBER_OF", "LOCATED_IN"):
        assert f"| {kind} |" in out
