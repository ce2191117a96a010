"""PDF import (issue 29): reports made with reportlab (tests/pdf_helpers.py), imported the
way the window and the CLI import them (``import_paths``), checked as a reviewer would read
them: the text in reading order, no page furniture, words whole, pages citable."""

from __future__ import annotations

import json
import time

import pytest

from core.errors import InvalidEdit
from core.formats import read_pdf
from core.formats.export import export
from core.formats.importers import import_paths
from core.formats.pdf_layout import Block, Line, reading_order
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.hyphens import Vocabulary, join_lines
from core.text.pages import page_at
from tests.pdf_helpers import (
    CJK,
    FOOTER,
    HEADER,
    REPORT_TEXT,
    long_report,
    write_pdf,
    write_report,
    write_scanned,
)


@pytest.fixture
def proj(tmp_path):
    project = Project.create(tmp_path / "pdf.assay", rules=store_rules())
    yield project
    project.close()


def only_article(project: Project):
    (row,) = project.conn.execute("SELECT id FROM articles").fetchall()
    return project.article(row[0])


def test_a_two_column_report_reads_in_order_without_its_page_furniture(proj, tmp_path):
    report = import_paths(proj, [write_report(tmp_path / "cobalt.pdf")])
    assert (report.added, report.problems) == (1, [])
    article = only_article(proj)
    # Columns one after the other (their lines alternate in the file), "sup-ply" joined,
    # "cobalt-free" kept, ligatures spelled out, a paragraph run on from one column into
    # the next and a word from one page into the next joined, accents and CJK kept.
    assert article.text == REPORT_TEXT
    for furniture in (HEADER, FOOTER, "Page 1 of 3", "Page 3 of 3"):
        assert furniture not in article.text
    assert "\ufb01" not in article.text and "first for the fleet" in article.text
    assert f"Refiners in {CJK}" in article.text and "Québec" in article.text
    assert (article.title, article.published, article.source) == (
        "Cobalt Supply Review", "2026-03-15", "cobalt.pdf")


def test_each_page_start_is_kept_so_an_entity_cites_its_page(proj, tmp_path):
    import_paths(proj, [write_report(tmp_path / "cobalt.pdf")])
    article = only_article(proj)
    text, starts = article.text, article.page_starts
    assert len(starts) == 3 and starts[0] == 0
    assert text[starts[1]:].startswith("Graphite anodes")
    assert text[starts[2]:].startswith("duction capacity")  # "pro-" on page 2 + "duction"
    assert page_at(starts, text.index("Sulawesi")) == 1
    assert page_at(starts, text.index("Gabon")) == 2
    assert page_at(starts, text.index("Conclusions")) == 3


def test_exports_carry_the_pages_and_assay_jsonl_brings_them_back(proj, tmp_path):
    import_paths(proj, [write_report(tmp_path / "cobalt.pdf")])
    article = only_article(proj)
    gabon = article.text.index("Gabon")
    proj.add_span(article.id, gabon, gabon + 5, "GPE", "ana")
    proj.approve_article(article.id, "ana")
    export(proj, "assay", tmp_path / "out.jsonl")
    export(proj, "prodigy", tmp_path / "prodigy.jsonl")
    export(proj, "doccano", tmp_path / "doccano.jsonl")
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["pages"] == list(article.page_starts)
    task = json.loads((tmp_path / "prodigy.jsonl").read_text(encoding="utf-8"))
    assert page_at(task["meta"]["pages"], task["spans"][0]["start"]) == 2
    doccano = json.loads((tmp_path / "doccano.jsonl").read_text(encoding="utf-8"))
    assert doccano["pages"] == list(article.page_starts)
    with Project.create(tmp_path / "again.assay", rules=store_rules()) as again:
        import_paths(again, [tmp_path / "out.jsonl"])
        assert only_article(again).page_starts == article.page_starts
    with Project.create(tmp_path / "prodigy.assay", rules=store_rules()) as again:
        import_paths(again, [tmp_path / "prodigy.jsonl"])
        assert only_article(again).page_starts == article.page_starts


def bad_pdfs(tmp_path):
    good = write_report(tmp_path / "good.pdf").read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(good[:len(good) // 2])
    (tmp_path / "notes.pdf").write_text("Meeting notes, saved with the wrong name.\n")
    (tmp_path / "empty.pdf").write_bytes(b"")
    write_report(tmp_path / "locked.pdf", password="secret")
    write_scanned(tmp_path / "scan.pdf")
    (tmp_path / "good.pdf").unlink()


FAILURES = {
    "locked.pdf": "is encrypted with a password; open it, save a copy without the password "
                  "and import that",
    "scan.pdf": "has no text layer; it looks scanned \u2014 run OCR first",
    "truncated.pdf": "is damaged or cut short (it does not end like a PDF); nothing of it "
                     "was imported",
    "notes.pdf": "is not a PDF (it does not start like one)",
    "empty.pdf": "is not a PDF (it does not start like one)",
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_a_pdf_that_cannot_be_read_whole_is_one_sentence_and_nothing_of_it(proj, tmp_path,
                                                                          name):
    bad_pdfs(tmp_path)
    report = import_paths(proj, [tmp_path / name])
    assert [(p.path, p.reason) for p in report.problems] == [
        (str(tmp_path / name), FAILURES[name])]
    assert report.added == 0 and proj.counts_by_status()["pending"] == 0


def test_a_folder_imports_the_good_pdf_and_names_each_bad_one(proj, tmp_path):
    bad_pdfs(tmp_path)
    write_report(tmp_path / "good.pdf")
    report = import_paths(proj, [tmp_path])
    assert report.added == 1 and only_article(proj).text == REPORT_TEXT
    assert sorted(p.path.rsplit("/", 1)[1] for p in report.problems) == sorted(FAILURES)


def test_pages_without_text_among_pages_with_text_are_named(proj, tmp_path):
    report = import_paths(proj, [write_scanned(tmp_path / "mixed.pdf", 3, text_on=(1,))])
    assert report.added == 1
    assert [p.reason for p in report.problems] == [
        "page(s) 2, 3 have no text layer (scanned?); the article has the text of the other "
        "pages"]
    article = only_article(proj)
    assert article.text == "Cobalt from the Lualaba province, page 1."
    assert article.page_starts == (0, len(article.text), len(article.text))


def test_a_page_that_breaks_midway_keeps_nothing_of_the_file(proj, tmp_path, monkeypatch):
    """Two pages read, the third fails (a damaged content stream): no half article."""
    from pdfminer.pdfinterp import PDFPageInterpreter

    real = PDFPageInterpreter.process_page
    calls = []

    def breaks_on_page_three(self, page):
        calls.append(page)
        if len(calls) == 3:
            raise ValueError("invalid literal in content stream")
        return real(self, page)

    monkeypatch.setattr(PDFPageInterpreter, "process_page", breaks_on_page_three)
    report = import_paths(proj, [write_report(tmp_path / "r.pdf")])
    assert [p.reason for p in report.problems] == [
        "is damaged and cannot be read (invalid literal in content stream); nothing of it "
        "was imported"]
    assert report.added == 0 and proj.counts_by_status()["pending"] == 0


def test_a_pdf_over_the_page_limit_is_refused_with_a_sentence(proj, tmp_path, monkeypatch):
    monkeypatch.setattr(read_pdf, "MAX_PDF_PAGES", 2)
    report = import_paths(proj, [write_report(tmp_path / "long.pdf")])
    assert report.problems[0].reason == (
        "has 3 pages; a PDF of at most 2 pages is imported as one article: split it and "
        "import the parts")
    assert report.added == 0


def test_title_falls_back_to_the_first_line_then_the_file_name(proj, tmp_path):
    write_pdf(tmp_path / "a.pdf", [(["Lithium Outlook", "", "Prices fell in Chile."], [])],
              title="Microsoft Word - outlook.docx", created=None, furniture=False)
    write_pdf(tmp_path / "b.pdf", [(["Prices rose in Chile and fell in Peru.", "",
                                     "Both have copper."], [])], title=None, created=None,
              furniture=False)
    import_paths(proj, [tmp_path / "a.pdf", tmp_path / "b.pdf"])
    titles = [proj.article(i).title for i in (1, 2)]
    assert titles == ["Lithium Outlook", "b"]


def test_the_store_refuses_page_starts_that_do_not_fit_the_text(proj):
    with pytest.raises(InvalidEdit, match="page starts outside"):
        proj.add_articles([ArticleIn(text="Short text.", pages=(0, 40))])
    with pytest.raises(InvalidEdit, match="not in order"):
        proj.add_articles([ArticleIn(text="Short text.", pages=(5, 2))])
    proj.add_articles([ArticleIn(text="Short text.", pages=(0, 6))])
    # A project file is untrusted: a stored value no import makes reads as no pages.
    proj.conn.execute("UPDATE articles SET pages = '[\"x\"]'")
    assert proj.article(1).page_starts == ()


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("the global sup-", "ply of", "the global supply of"),  # a syllable break: joined
    ("plans cobalt-", "free cells", "plans cobalt-free cells"),  # a compound: kept
    ("a self-", "sufficient mine", "a self-sufficient mine"),
    ("the Sino-", "American deal", "the Sino-American deal"),  # uppercase after: kept
    ("in 2024-", "25 output", "in 2024-25 output"),
    ("copper\u2014", "and cobalt", "copper\u2014and cobalt"),
    ("refi\u00ad", "nery", "refinery"),  # a soft hyphen always joins
    ("grew by", "a third", "grew by a third"),
])
def test_the_hyphen_rule(first, second, joined):
    assert join_lines(first, second, Vocabulary()) == joined


def test_the_document_decides_a_hyphen_before_the_list_does():
    words = Vocabulary()
    words.add(["the nickel-cobalt ratio", "a longterm view"])
    assert join_lines("a nickel-", "cobalt mine", words) == "a nickel-cobalt mine"
    assert join_lines("the long-", "term view", words) == "the longterm view"


def block(text: str, x0: float, y1: float, width: float = 200, lines: int = 1) -> Block:
    return Block((Line(text, x0, y1 - 12 * lines, x0 + width, y1),), x0, y1 - 12 * lines,
                 x0 + width, y1)


def test_reading_order_reads_a_title_then_each_column_then_a_footnote():
    title = block("Title", 72, 800, width=450)
    left = [block("L1", 72, 760, lines=3), block("L2", 72, 700, lines=3)]
    right = [block("R1", 320, 760, lines=3), block("R2", 320, 700, lines=3)]  # same breaks
    note = block("Footnote", 72, 600, width=450)
    shuffled = [right[1], note, left[0], title, right[0], left[1]]
    assert [b.text for b in reading_order(shuffled)] == [
        "Title", "L1", "L2", "R1", "R2", "Footnote"]


@pytest.mark.slow
def test_a_300_page_report_moves_the_bar_page_by_page_and_a_cancel_keeps_none_of_it(
        proj, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Cobalt from the DRC, the IEA said.", encoding="utf-8")
    write_pdf(folder / "report.pdf", long_report(300))
    seen: list[tuple[int, int]] = []
    report = import_paths(proj, [folder], progress=lambda d, t: seen.append((d, t)),
                          should_cancel=lambda: len(seen) > 60)
    assert report.cancelled and report.added == 1  # the text file; nothing of the PDF
    assert [proj.article(1).source] == ["a.txt"] and proj.counts_by_status()["pending"] == 1
    assert seen[0] == (0, 200)  # two files of 100 steps each
    assert len([d for d, _t in seen if 100 < d < 200]) > 50  # moved page by page in the PDF

    seen.clear()
    started = time.perf_counter()
    report = import_paths(proj, [folder / "report.pdf"],
                          progress=lambda d, t: seen.append((d, t)))
    seconds = time.perf_counter() - started
    print(f"300-page PDF imported in {seconds:.1f} s")  # observed, not asserted
    assert report.added == 1
    article = proj.article(2)
    assert len(article.page_starts) == 300
    assert [d for d, _t in seen] == sorted(d for d, _t in seen) and seen[-1] == (100, 100)
    last = article.text[article.page_starts[-1]:]
    assert last.startswith("Section 300 reviews") and "Page 300 of 300" not in article.text


@pytest.mark.parametrize("show_decisions", [False, True])
def test_a_hand_out_copy_keeps_the_pages(proj, tmp_path, show_decisions):
    from core.teams.assign import hand_out

    import_paths(proj, [write_report(tmp_path / "cobalt.pdf")])
    starts = only_article(proj).page_starts
    paths = hand_out(proj, ["ana"], tmp_path / "out", show_decisions=show_decisions)
    with Project.open(paths["ana"], rules=store_rules()) as copy:
        assert only_article(copy).page_starts == starts


def test_furniture_is_page_numbers_and_lines_repeated_at_a_page_edge():
    from core.formats.pdf_layout import Page, assemble

    def page(number: str, body: str, bottom: str) -> Page:
        return Page([block("Annual Report 2026", 72, 800), block(body, 72, 700),
                     block(bottom, 72, 40), block(number, 500, 40)], height=842)

    pages = [page("iv", "Cobalt rose.", "Printed on recycled paper"),
             page("v", "Lithium fell.", "Printed on recycled paper"),
             page("Page 6", "Nickel held.", "mild")]  # a word, not a numeral: kept
    assert assemble(pages).text == "Cobalt rose.\n\nLithium fell.\n\nNickel held.\n\nmild"
