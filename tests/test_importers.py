"""Importers read every supported format and encoding, and report bad input instead of failing.

Every fixture file is written here, in tmp_path, from text made up for the test.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formats.encoding import decode_bytes
from core.formats.html import extract_html
from core.formats.importers import (
    SUPPORTED_SUFFIXES,
    ImportProblem,
    ImportReport,
    discover,
    import_paths,
    read_file,
)
from core.formats.read_documents import guess_title
from core.formats.source_text import RawOffsets
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.normalise import normalise_text, sha256_text

REPO = Path(__file__).resolve().parents[1]
BODY = (
    "Chile's lithium output rose 8% in 2024, Cochilco said on Tuesday.\n"
    "Albemarle and SQM expanded brine operations in the Atacama."
)


@pytest.fixture
def proj(tmp_path):
    """An empty project (the shared ``project`` fixture already holds articles)."""
    project = Project.create(tmp_path / "import.assay", name="import", rules=store_rules())
    yield project
    project.close()


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content if isinstance(content, bytes) else content.encode(encoding)
    path.write_bytes(data)
    return path


def read_all(path: Path) -> tuple[list[ArticleIn], list[ImportProblem]]:
    items = list(read_file(path))
    articles = [i for i in items if isinstance(i, ArticleIn)]
    problems = [i for i in items if isinstance(i, ImportProblem)]
    assert len(articles) + len(problems) == len(items)
    return articles, problems


def read_one(path: Path) -> ArticleIn:
    articles, problems = read_all(path)
    assert problems == []
    (article,) = articles
    return article


def only_problem(path: Path) -> ImportProblem:
    articles, problems = read_all(path)
    assert articles == []
    (problem,) = problems
    return problem


def stored_texts(project: Project) -> list[str]:
    return [project.article_text(i) for i in project.article_ids()]


# ---------------------------------------------------------------- .txt and .md


def test_txt_title_is_first_line_and_text_is_the_whole_file(tmp_path):
    content = "Lithium Prices Hit a Two-Year Low\n\n" + BODY + "\n"
    article = read_one(write(tmp_path / "lithium.txt", content))
    assert article.title == "Lithium Prices Hit a Two-Year Low"
    assert article.text == content  # the title line stays in the stored text
    assert article.source == "lithium.txt"


def test_txt_title_followed_by_a_single_newline(tmp_path):
    content = "Australia and Japan Sign Rare Earths Pact\n" + BODY
    assert read_one(write(tmp_path / "a.txt", content)).title == (
        "Australia and Japan Sign Rare Earths Pact"
    )


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Cobalt prices slump as DRC output surges", "Cobalt prices slump as DRC output surges"),
        ("Is lithium the new oil?", "Is lithium the new oil?"),
        ("Deal signed with Lynas Rare Earths Ltd.", "Deal signed with Lynas Rare Earths Ltd."),
        ("Chile's lithium output rose 8% in 2024, Cochilco said.", ""),  # a sentence
        ("The ministry said the following:", ""),
        ("- a list item", ""),
        ("x" * 201, ""),  # too long for a headline
        ("   ", ""),
    ],
)
def test_guess_title(first_line, title):
    assert guess_title(first_line + "\n" + BODY) == title


def test_no_title_for_a_one_line_file_or_a_paragraph(tmp_path):
    assert read_one(write(tmp_path / "one.txt", "Nickel Output Rises")).title == ""
    paragraph = ("Global supply chains carry the materials that modern economies need, "
                 "and governments are now racing to secure them. ") * 3
    assert read_one(write(tmp_path / "p.txt", paragraph.strip() + "\n" + BODY)).title == ""


def test_txt_line_endings_and_controls_are_normalised(tmp_path):
    raw = "Nickel Output Rises\r\n\r\nIndonesia\x00 exports\r\nmore nickel.\r\n"
    article = read_one(write(tmp_path / "crlf.txt", raw))
    assert article.text == "Nickel Output Rises\n\nIndonesia exports\nmore nickel.\n"
    assert article.text == normalise_text(raw)
    assert article.title == "Nickel Output Rises"


def test_markdown_heading_is_the_title_and_the_text_keeps_it(tmp_path):
    content = "# **Cobalt** in the [DRC](https://example.org) #\n\n" + BODY
    article = read_one(write(tmp_path / "cobalt.md", content))
    assert article.title == "Cobalt in the DRC"
    assert article.text == content


def test_markdown_front_matter(tmp_path):
    content = ("---\ntitle: \"Graphite export curbs\"\ndate: 2024-10-02\n"
               "url: https://example.org/graphite\n---\n\nSome heading\n\n" + BODY)
    article = read_one(write(tmp_path / "g.md", content))
    assert (article.title, article.published, article.url) == (
        "Graphite export curbs", "2024-10-02", "https://example.org/graphite")
    assert article.text == content


# ---------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Lithium prices fall | Example News</title>
<link rel="canonical" href="https://example.org/news/lithium">
<meta property="og:url" content="https://example.org/og">
<meta property="article:published_time" content="2024-05-01T10:00:00Z">
<style>p { color: red } .secret-style {}</style>
<script>var tracker = "SECRET_SCRIPT <p>not text</p>";</script>
</head>
<body>
<header><a href="/">Example News</a><nav><a href="/world">World</a> NAV_LINK</nav></header>
<main><article>
<p>Chile&#39;s SQM   said the
   price fell.<br>Analysts expect a rebound.</p>
<p>The tag &lt;b&gt; is shown literally &amp; so is this.</p>
<ul><li>Lithium</li><li>Cobalt</li></ul>
<table><tr><th>Metal</th><th>Price</th></tr><tr><td>Nickel</td><td>16,000</td></tr></table>
<aside>RELATED_ASIDE</aside><noscript>NOSCRIPT_TEXT</noscript>
</article></main>
<footer>FOOTER_TEXT</footer>
</body></html>"""


def test_html_main_text_without_markup_scripts_or_chrome(tmp_path):
    article = read_one(write(tmp_path / "page.html", PAGE))
    assert article.text == (
        "Chile's SQM said the price fell.\nAnalysts expect a rebound.\n\n"
        "The tag <b> is shown literally & so is this.\n\n"
        "Lithium\nCobalt\n\n"
        "Metal\tPrice\nNickel\t16,000"
    )
    for hidden in ("SECRET", "color", "NAV_LINK", "RELATED_ASIDE", "NOSCRIPT", "FOOTER",
                   "Example News"):
        assert hidden not in article.text
    assert article.title == "Lithium prices fall"  # the site's name is not the title
    assert article.url == "https://example.org/og"
    assert article.published == "2024-05-01"
    assert article.source == "page.html"


def test_html_prefers_article_heading_and_keeps_article_header():
    page = extract_html(
        "<html><head><title>Site | Story</title><meta property='og:url' content='https://example.org/u'></head>"
        "<body><header><h1>Site logo</h1></header><p>Teaser in the body.</p>"
        "<article><header><h1>Graphite  curbs\ntighten</h1><p>By Jane Roe</p></header>"
        "<p>China tightened graphite exports.</p><footer>Share this</footer></article>"
        "</body></html>"
    )
    assert page.title == "Graphite curbs tighten"
    assert page.text == "Graphite curbs tighten\n\nBy Jane Roe\n\nChina tightened graphite exports."
    assert page.url == "https://example.org/u"


def test_html_fragment_without_body_and_json_ld_date():
    page = extract_html(
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Copper deal", "datePublished": "2024-03-03"}'
        "</script><div>First line</div><div>Second <b>bold</b> line</div>"
    )
    assert page.text == "First line\n\nSecond bold line"
    assert (page.title, page.published) == ("Copper deal", "2024-03-03")


def test_html_declared_legacy_charset(tmp_path):
    page = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
            "<body><p>\u201cQuoted\u201d \u20ac5</p></body></html>")
    article = read_one(write(tmp_path / "legacy.htm", page, encoding="cp1252"))
    assert article.text == "\u201cQuoted\u201d \u20ac5"
    assert article.title == "Caf\u00e9"


def test_html_pre_keeps_its_layout():
    page = extract_html("<p>Table:</p><pre>\nMetal   Price\nNickel  16,000\n</pre><p>End.</p>")
    assert page.text == "Table:\n\nMetal   Price\nNickel  16,000\n\nEnd."


def test_html_without_text_is_a_problem(tmp_path):
    path = write(tmp_path / "app.html", "<html><body><script>render()</script></body></html>")
    assert only_problem(path).reason == "no article text found in the HTML"


# ---------------------------------------------------------------- .jsonl


def jsonl(path: Path, records: list, newline: str = "\n") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return write(path, newline.join(lines) + newline)


def test_jsonl_broken_lines_are_reported_and_the_rest_imports(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", [
        {"text": "First article.", "title": "One", "meta": {"source": "Reuters",
                                                            "url": "https://r/1"}},
        '{"text": "broken" "title": 1}',
        "",
        {"title": "no text"},
        {"text": 42},
        "[1, 2]",
        {"text": "Second article.", "published": "2024-01-01"},
    ])
    articles, problems = read_all(path)
    assert [a.text for a in articles] == ["First article.", "Second article."]
    assert (articles[0].title, articles[0].source, articles[0].url) == ("One", "Reuters",
                                                                         "https://r/1")
    assert articles[1].published == "2024-01-01"
    assert articles[1].source == "a.jsonl"
    assert [(p.line, p.reason.split(" (")[0]) for p in problems] == [
        (2, "malformed JSON"), (4, 'no "text" field'), (5, '"text" is not a string'),
        (6, "not a JSON object"),
    ]
    assert str(problems[0]).startswith(f"{path}:2: malformed JSON (Expecting ',' delimiter")


def test_jsonl_doccano_spans_are_accepted(tmp_path):
    text = "Glencore mines cobalt in the DRC."
    path = jsonl(tmp_path / "d.jsonl", [{"text": text, "label": [[0, 8, "ORG"], [29, 32, "GPE"]]}])
    article = read_one(path)
    assert article.spans == (SpanIn(0, 8, "ORG", "imported", "accepted"),
                             SpanIn(29, 32, "GPE", "imported", "accepted"))


def test_jsonl_doccano_entities_and_classification_labels(tmp_path):
    text = "Glencore mines cobalt."
    path = jsonl(tmp_path / "d.jsonl", [
        {"text": text, "entities": [{"id": 1, "label": "ORG", "start_offset": 0,
                                     "end_offset": 8}]},
        {"text": "A document label only.", "label": ["POSITIVE"]},
    ])
    first, second = read_all(path)[0]
    assert first.spans == (SpanIn(0, 8, "ORG", "imported", "accepted"),)
    assert second.spans == ()


def test_jsonl_prodigy_spans_are_suggestions_unless_accepted(tmp_path):
    text = "Lynas Rare Earths Ltd. ships to Japan."
    spans = [{"start": 0, "end": 22, "label": "ORG", "text": "Lynas Rare Earths Ltd."},
             {"start": 32, "end": 37, "label": "GPE", "token_start": 6, "token_end": 6}]
    path = jsonl(tmp_path / "p.jsonl", [
        {"text": text, "spans": spans},
        {"text": text + " Again.", "spans": spans, "answer": "accept"},
        {"text": text + " Assay.", "spans": [{"start": 0, "end": 22, "label": "ORG",
                                              "state": "rejected", "origin": "reviewer",
                                              "kb_id": "Q123"}]},
    ])
    first, second, third = read_all(path)[0]
    assert {s.state for s in first.spans} == {"suggested"}
    assert {s.state for s in second.spans} == {"accepted"}
    assert third.spans == (SpanIn(0, 22, "ORG", "reviewer", "rejected", "Q123"),)


def test_jsonl_bad_spans_report_the_line(tmp_path):
    text = "Cobalt from the DRC."
    path = jsonl(tmp_path / "bad.jsonl", [
        {"text": text, "spans": [{"start": 0, "end": 99, "label": "MINERAL"}]},
        {"text": text, "spans": [{"start": 0, "end": 6, "label": "MINERAL", "text": "Nickel"}]},
        {"text": text, "label": [[0, 6]]},
        {"text": text, "spans": [{"start": "0", "end": 6, "label": "MINERAL"}]},
        {"text": text, "spans": [{"start": 0, "end": 6, "label": "MINERAL"}]},
    ])
    articles, problems = read_all(path)
    assert [p.line for p in problems] == [1, 2, 3, 4]
    assert "does not fit the text" in problems[0].reason
    assert "'Nickel'" in problems[1].reason
    assert len(articles) == 1


def test_jsonl_span_offsets_are_remapped_after_crlf_normalisation(tmp_path):
    raw = "Lithium\r\nfrom Chile\r\nand cobalt from the DRC."
    spans = [[0, 7, "MINERAL"], [14, 19, "GPE"], [41, 44, "GPE"]]
    assert [raw[s:e] for s, e, _ in spans] == ["Lithium", "Chile", "DRC"]
    article = read_one(jsonl(tmp_path / "crlf.jsonl", [{"text": raw, "label": spans}]))
    assert article.text == "Lithium\nfrom Chile\nand cobalt from the DRC."
    assert [article.text[s.start:s.end] for s in article.spans] == ["Lithium", "Chile", "DRC"]


def test_jsonl_span_that_cannot_be_remapped_is_a_problem(tmp_path):
    raw = "Nickel\x01\x02 rises"
    problem = only_problem(jsonl(tmp_path / "c.jsonl", [{"text": raw, "label": [[6, 8, "ORG"]]}]))
    assert problem.line == 1 and "cannot be mapped" in problem.reason


def test_text_is_normalised_to_a_fixed_point(tmp_path):
    """The store normalises again; a second leading BOM must not shift offsets under it."""
    raw = "\ufeff\ufeffCobalt\r\nrises."
    article = read_one(jsonl(tmp_path / "bom.jsonl", [{"text": raw, "label": [[2, 8, "MINERAL"]]}]))
    assert article.text == "Cobalt\nrises." == normalise_text(article.text)
    (span,) = article.spans
    assert article.text[span.start:span.end] == "Cobalt"


def test_offset_map_handles_bom_crlf_and_controls():
    raw = "\ufeffA\r\nB\x00C\rD"
    normalised = normalise_text(raw)
    assert normalised == "A\nBC\nD"
    mapping = RawOffsets(raw)
    assert mapping.fits(normalised)
    assert [mapping(i) for i in range(len(raw) + 1)] == [0, 0, 1, 2, 2, 3, 3, 4, 5, 6]


@given(st.lists(st.sampled_from(["a", "b", " ", "\r", "\n", "\r\n", "\x00", "\x85", "\ufeff",
                                 "\t", "é", "😀"]), max_size=30).map("".join))
def test_offset_map_keeps_every_kept_character_in_place(raw):
    """Each character that survives normalisation lands where the map says it does."""
    normalised = normalise_text(raw)
    mapping = RawOffsets(raw)
    assert mapping.fits(normalised)
    assert mapping(len(raw)) == len(normalised)
    dropped = set(mapping.dropped)
    for i, char in enumerate(raw):
        if i not in dropped:
            assert normalised[mapping(i)] == ("\n" if char == "\r" else char)


def test_jsonl_in_utf16_and_with_a_stray_cp1252_line(tmp_path):
    records = [json.dumps({"text": "Caf\u00e9 \u201cnews\u201d"}, ensure_ascii=False),
               json.dumps({"text": "Second"})]
    utf16 = write(tmp_path / "u16.jsonl", "\n".join(records) + "\n", encoding="utf-16")
    assert [a.text for a in read_all(utf16)[0]] == ["Caf\u00e9 \u201cnews\u201d", "Second"]
    mixed = write(tmp_path / "mixed.jsonl",
                  '{"text": "na\u00efve"}\n'.encode() + b'{"text": "It\x92s"}\n')
    assert [a.text for a in read_all(mixed)[0]] == ["na\u00efve", "It\u2019s"]


def test_jsonl_larger_than_the_encoding_sample(tmp_path):
    """The encoding is chosen on the first 64 KB; characters cut at that edge must survive."""
    text = "Caf\u00e9 \u20ac \u201cquoted\u201d " * 7
    line = json.dumps({"text": text}, ensure_ascii=False)
    for encoding in ("utf-8", "utf-16"):
        path = write(tmp_path / f"big-{encoding}.jsonl", "\n".join([line] * 3000) + "\n",
                     encoding=encoding)
        assert path.stat().st_size > 200_000
        articles, problems = read_all(path)
        assert problems == [] and len(articles) == 3000
        assert {a.text for a in articles} == {text}


# ---------------------------------------------------------------- .csv


def test_csv_columns_by_name_and_quoted_multiline_field(tmp_path):
    path = write(tmp_path / "news.csv",
                 'ID,Headline,BODY,Date,URL\r\n'
                 '1,Cobalt slump,"Cobalt prices fell.\r\nThe DRC, again, led output.",'
                 '2024-01-02,https://e/1\r\n'
                 '2,Nickel rise,Nickel rose in Indonesia.,2024-01-03,\r\n')
    first, second = read_all(path)[0]
    assert first.text == "Cobalt prices fell.\nThe DRC, again, led output."
    assert (first.title, first.published, first.url, first.source) == (
        "Cobalt slump", "2024-01-02", "https://e/1", "news.csv")
    assert (second.text, second.title) == ("Nickel rose in Indonesia.", "Nickel rise")


def test_csv_missing_text_column_is_a_file_problem(tmp_path):
    problem = only_problem(write(tmp_path / "x.csv", "id,title\n1,Hello\n"))
    assert problem.line is None
    assert "no text column" in problem.reason and "id, title" in problem.reason


def test_csv_empty_text_row_is_reported_with_its_line(tmp_path):
    path = write(tmp_path / "rows.csv",
                 'title,text\nA,"two\nlines"\nB,   \n\nC,Third text\n')
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["A", "C"]
    assert [(p.line, p.reason) for p in problems] == [(4, "empty text")]


def test_csv_semicolons_huge_field_and_excel_separator_hint(tmp_path):
    huge = "Lithium " * 40_000  # 320,000 characters: over csv's default field limit
    path = write(tmp_path / "eu.csv", f'sep=;\ntitel;content\nX;"{huge}"\n')
    assert read_one(path).text == huge
    path = write(tmp_path / "semi.csv", "Title;Text\nA;Kobalt, Nickel und Lithium\n")
    assert read_one(path).text == "Kobalt, Nickel und Lithium"


def test_csv_with_old_mac_line_endings(tmp_path):
    path = write(tmp_path / "mac.csv", 'title,text\rA,"First\rtext"\rB,Second text\r')
    articles, problems = read_all(path)
    assert problems == []
    assert [(a.title, a.text) for a in articles] == [("A", "First\ntext"), ("B", "Second text")]


def test_csv_in_cp1252_larger_than_the_encoding_sample(tmp_path):
    rows = ["title,text"] + [f'T{i},"Caf\u00e9 \u201cquoted\u201d \u20ac{i}"' for i in range(5000)]
    path = write(tmp_path / "excel.csv", "\r\n".join(rows) + "\r\n", encoding="cp1252")
    articles, problems = read_all(path)
    assert problems == [] and len(articles) == 5000
    assert articles[-1].text == "Caf\u00e9 \u201cquoted\u201d \u20ac4999"


# ---------------------------------------------------------------- folders


def make_tree(root: Path) -> None:
    write(root / "b.txt", "Bravo article text.")
    write(root / "a.md", "# Alpha\n\nAlpha article text.")
    write(root / "sub" / "deeper" / "c.jsonl", '{"text": "Charlie article text."}\n')
    write(root / "sub" / "d.HTML", "<p>Delta article text.</p>")
    write(root / "sub" / "scan.tiff", b"II*\x00")  # a PDF is read since issue 29
    write(root / "notes.docx", b"PK\x03\x04")
    write(root / ".hidden.txt", "Hidden article.")
    write(root / ".git" / "config.txt", "Not an article.")


def test_discover_is_recursive_sorted_and_skips_hidden_and_unsupported(tmp_path):
    make_tree(tmp_path / "corpus")
    files, skipped = discover([tmp_path / "corpus"])
    root = tmp_path / "corpus"
    assert files == [root / "a.md", root / "b.txt", root / "sub" / "d.HTML",
                     root / "sub" / "deeper" / "c.jsonl"]
    assert sorted(skipped) == sorted([root / ".git", root / ".hidden.txt", root / "notes.docx",
                                      root / "sub" / "scan.tiff"])
    again, _ = discover([root, root / "b.txt"])  # a file named twice is read once
    assert again == files
    assert {p.suffix.lower() for p in files} <= set(SUPPORTED_SUFFIXES)


def test_import_folder_and_report(proj, tmp_path):
    make_tree(tmp_path / "corpus")
    calls = []
    report = import_paths(proj, [tmp_path / "corpus"], progress=lambda d, t: calls.append((d, t)))
    assert isinstance(report, ImportReport)
    assert (report.files, report.added, report.duplicates, report.cancelled) == (4, 4, 0, False)
    assert report.problems == [] and len(report.skipped) == 4
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(stored_texts(proj)) == ["# Alpha\n\nAlpha article text.", "Bravo article text.",
                                          "Charlie article text.", "Delta article text."]


def test_missing_and_unreadable_files_are_problems(proj, tmp_path, monkeypatch):
    good = write(tmp_path / "good.txt", "A good article.")
    locked = write(tmp_path / "locked.txt", "Locked article.")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    report = import_paths(proj, [tmp_path / "gone.txt", locked, good])
    assert report.added == 1
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'gone.txt'}: no such file",
        f"{locked}: cannot read (Permission denied)",
    ]


# ---------------------------------------------------------------- encodings


CYRILLIC = "\u041b\u0438\u0442\u0438\u0439 \u0438 \u043a\u043e\u0431\u0430\u043b\u044c\u0442."
ENCODED = "\u201cCobalt\u201d costs \u20ac30,000 \u2013 it\u2019s a caf\u00e9 story."


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("utf8-bom", b"\xef\xbb\xbf" + ENCODED.encode(), ENCODED),
        ("utf16-le", b"\xff\xfe" + ENCODED.encode("utf-16-le"), ENCODED),
        ("utf16-be", b"\xfe\xff" + ENCODED.encode("utf-16-be"), ENCODED),
        ("utf16-le-no-bom", "Lithium from Chile".encode("utf-16-le"), "Lithium from Chile"),
        ("cp1252", ENCODED.encode("cp1252"), ENCODED),
        ("cp1252-long", (ENCODED + "\n").encode("cp1252") * 50, (ENCODED + "\n") * 50),
        ("latin-1", "Le caf\u00e9 de l'\u00e9t\u00e9 \u00e0 Paris.".encode("latin-1"),
         "Le caf\u00e9 de l'\u00e9t\u00e9 \u00e0 Paris."),
        ("latin-1-short", "\u00e9t\u00e9".encode("latin-1"), "\u00e9t\u00e9"),
        ("utf8-with-stray-cp1252", "na\u00efve ".encode() + b"it\x92s", "na\u00efve it\u2019s"),
        ("cp1251", CYRILLIC.encode("cp1251"), CYRILLIC),
    ],
)
def test_encodings_are_detected(tmp_path, name, data, expected):
    assert decode_bytes(data).lstrip("\ufeff") == expected
    assert read_one(write(tmp_path / f"{name}.txt", data)).text == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03" * 300,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        random.Random(7).randbytes(4096),
        bytes(b for b in random.Random(8).randbytes(600) if b),  # random, without NULs
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    ],
    ids=["nul-heavy", "png", "random", "random-no-nul", "pdf"],
)
def test_binary_junk_is_not_a_text_file(tmp_path, data):
    problem = only_problem(write(tmp_path / "junk.txt", data))
    assert problem.reason.startswith("not a text file")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl", ".csv"])
@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\t\n", " \n".encode("utf-16"), "\ufeff\n".encode("utf-16")]
)
def test_empty_files_are_reported_empty(tmp_path, suffix, data):
    assert only_problem(write(tmp_path / f"empty{suffix}", data)).reason == "empty"


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_read_file_never_raises_on_arbitrary_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / f"fuzz{suffix}", data)
        for item in read_file(path):
            assert isinstance(item, ArticleIn | ImportProblem)
            if isinstance(item, ArticleIn):
                assert item.text.strip() and item.text == normalise_text(item.text)


def test_stray_nul_in_text_is_dropped_not_rejected(tmp_path):
    assert read_one(write(tmp_path / "nul.txt", b"Nickel\x00 rises.")).text == "Nickel rises."


def test_five_megabyte_article(proj, tmp_path):
    paragraph = "Lithium, cobalt and nickel prices moved in Chile, the DRC and Indonesia. "
    text = "A Very Long Report\n\n" + paragraph * (5_000_000 // len(paragraph))
    path = write(tmp_path / "long.txt", text)
    assert path.stat().st_size > 5_000_000
    report = import_paths(proj, [path])
    assert (report.added, report.problems) == (1, [])
    (article_id,) = proj.article_ids()
    article = proj.article(article_id)
    assert article.text == text and article.title == "A Very Long Report"
    assert article.sha256 == sha256_text(text)


# ---------------------------------------------------------------- importing into a project


def test_duplicates_are_counted_and_stored_once(proj, tmp_path):
    write(tmp_path / "in" / "one.txt", BODY)
    write(tmp_path / "in" / "two.txt", BODY.replace("\n", "\r\n"))  # same after normalising
    write(tmp_path / "in" / "three.jsonl", json.dumps({"text": BODY}) + "\n")
    write(tmp_path / "in" / "four.txt", "A different article.")
    report = import_paths(proj, [tmp_path / "in"])
    assert (report.added, report.duplicates) == (2, 2)
    again = import_paths(proj, [tmp_path / "in"])
    assert (again.added, again.duplicates, again.problems) == (0, 4, [])
    assert proj.count_articles() == 2


def test_batches_commit_spans_and_a_bad_span_loses_only_its_article(proj, tmp_path):
    text = "Glencore mines cobalt in the DRC."
    records = [{"text": f"{text} Item {i}.", "label": [[0, 8, "ORG"]]} for i in range(7)]
    records[3]["label"] = [[0, 8, "NOT_A_LABEL"]]
    records[5]["label"] = [[0, 8, "ORG"], [4, 12, "ORG"]]  # overlapping spans
    path = jsonl(tmp_path / "spans.jsonl", records)
    report = import_paths(proj, [path], batch_size=3)
    assert report.added == 5
    assert [(p.line, p.reason.split(":")[0]) for p in report.problems] == [
        (4, "not imported"), (6, "not imported")]
    assert "NOT_A_LABEL" in report.problems[0].reason
    for article_id in proj.article_ids():
        (span,) = proj.spans(article_id)
        assert (span.text, span.label, span.origin, span.state) == ("Glencore", "ORG",
                                                                    "imported", "accepted")


def test_cancel_between_batches_keeps_committed_work(proj, tmp_path):
    folder = tmp_path / "many"
    for i in range(30):
        write(folder / f"{i:02}.txt", f"Article number {i} about nickel.")
    checks = []

    def cancel_after_second_batch() -> bool:
        checks.append(proj.count_articles())
        return proj.count_articles() >= 10

    report = import_paths(proj, [folder], batch_size=5, should_cancel=cancel_after_second_batch)
    assert report.cancelled
    assert report.added == proj.count_articles() == 10
    rest = import_paths(proj, [folder], batch_size=5)
    assert (rest.added, rest.duplicates, rest.cancelled) == (20, 10, False)
    assert proj.count_articles() == 30


def test_cancel_before_start_imports_nothing(proj, tmp_path):
    write(tmp_path / "a.txt", "Some article.")
    report = import_paths(proj, [tmp_path], should_cancel=lambda: True)
    assert (report.cancelled, report.added, proj.count_articles()) == (True, 0, 0)


def test_problems_per_file_are_capped(tmp_path):
    lines = ["{broken"] * 250 + [json.dumps({"text": "Still imported."})]
    articles, problems = read_all(write(tmp_path / "noisy.jsonl", "\n".join(lines)))
    assert [a.text for a in articles] == ["Still imported."]
    assert len(problems) == 201
    assert problems[-1].line is None and problems[-1].reason == "50 more problem(s) not listed"


@pytest.mark.slow
def test_importing_does_not_load_spacy():
    """Import must stay I/O-bound: loading spaCy would cut it from thousands of articles/s."""
    code = "import sys, core.formats.importers; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_import_rate_is_io_bound(proj, tmp_path):
    path = jsonl(tmp_path / "rate.jsonl", [{"text": f"Article {i} on cobalt."}
                                           for i in range(2000)])
    started = time.perf_counter()
    report = import_paths(proj, [path])
    elapsed = time.perf_counter() - started
    assert report.added == 2000
    assert elapsed < 5, f"{report.added / elapsed:.0f} articles/s"


# ---------------------------------------------------------------- found by tests/test_properties.py


def test_jsonl_nested_too_deeply_is_a_problem_and_the_rest_imports(proj, tmp_path):
    deep = '{"text": "Deep", "spans": ' + "[" * 5000 + "]" * 5000 + "}"
    path = jsonl(tmp_path / "deep.jsonl", [deep, {"text": "Nickel rose."}, "[" * 100_000])
    report = import_paths(proj, [path])
    assert report.added == 1 and stored_texts(proj) == ["Nickel rose."]
    assert [(p.line, p.reason) for p in report.problems] == [
        (1, "malformed JSON (nested too deeply)"), (3, "malformed JSON (nested too deeply)")]


def test_html_with_absurdly_nested_json_ld_still_imports(proj, tmp_path):
    page = ('<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>"
            "<article><h1>Graphite</h1><p>Graphite exports resumed.</p></article>")
    report = import_paths(proj, [write(tmp_path / "deep.html", page)])
    assert (report.added, report.problems) == (1, [])
    assert stored_texts(proj) == ["Graphite\n\nGraphite exports resumed."]


@pytest.mark.parametrize("charset", ["hex", "rot13", "zlib", "base64", "undefined", "idna",
                                     "punycode", "cp037"])
def test_html_declaring_a_codec_that_is_not_a_text_encoding(proj, tmp_path, charset):
    """The declaration is ignored and the bytes are read as if none was given (here cp1252)."""
    page = (f'<html><head><meta charset="{charset}"></head>'
            "<body><p>Caf\u00e9 owners in Chile paid \u20ac5.</p></body></html>")
    report = import_paths(proj, [write(tmp_path / "odd.html", page, encoding="cp1252")])
    assert (report.added, report.problems) == (1, [])
    assert stored_texts(proj) == ["Caf\u00e9 owners in Chile paid \u20ac5."]


def test_jsonl_lone_surrogate_escapes_become_replacement_characters(proj, tmp_path):
    """JSON may spell half a UTF-16 pair; it cannot be stored, so it becomes U+FFFD in place."""
    path = jsonl(tmp_path / "halves.jsonl", [
        '{"text": "Cobalt \\ud800 up", "title": "T\\udc80", "spans": [[0, 6, "MINERAL"],'
        ' {"start": 9, "end": 11, "label": "ORG", "kb_id": "org:up"}]}',
        '{"text": "Emoji pair \\ud83d\\ude00 is fine"}',
    ])
    report = import_paths(proj, [path])
    assert (report.added, report.problems) == (2, [])
    assert stored_texts(proj) == ["Cobalt \ufffd up", "Emoji pair \U0001f600 is fine"]
    assert proj.article(1).title == "T\ufffd"
    cobalt, up = proj.spans(1)
    assert (cobalt.text, cobalt.label, up.text, up.label, up.kb_id) == (
        "Cobalt", "MINERAL", "up", "ORG", "org:up")


@pytest.mark.parametrize("kb_id", ["org:x\\n", "<b>org:x</b>", "\\udfff", " org:x", "org x"])
def test_an_imported_kb_id_obeys_the_rule_of_typed_ids(proj, tmp_path, kb_id):
    """Ids from a file are shown in tooltips, CSV cells and the link field like typed ones."""
    path = jsonl(tmp_path / "ids.jsonl", [
        '{"text": "Albemarle mines lithium.", "spans": [{"start": 0, "end": 9, "label": "ORG", '
        f'"kb_id": "{kb_id}"}}]}}',
        '{"text": "Lithium from Chile."}',
    ])
    report = import_paths(proj, [path])
    assert report.added == 1
    (problem,) = report.problems
    assert problem.line == 1 and "not a usable id" in problem.reason
    assert stored_texts(proj) == ["Lithium from Chile."]


@pytest.mark.parametrize("data", [b"text", b"title,text\r\n", b"sep=;\ntext;title\n\n\n"])
def test_csv_with_a_header_and_no_rows_is_reported(tmp_path, data):
    assert only_problem(write(tmp_path / "header.csv", data)).reason == "no rows after the header"


def test_a_heading_that_steers_the_screen_is_stored_as_one_plain_line(tmp_path):
    """Whatever the importer, the stored title and source lose control and bidi characters
    (a U+202E in a page's heading would reverse the list row and a terminal line)."""
    page = PAGE.replace("<main><article>",
                        "<main><article><h1>Cobalt \u202eslaes\u202c rise\x1b[31m</h1>")
    path = write(tmp_path / "steer\u202e.html", page)
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        import_paths(project, [path])
        (article_id,) = project.article_ids()
        article = project.article(article_id)
    assert article.title == "Cobalt slaes rise[31m"
    assert "\u202e" not in article.source and "\x1b" not in article.title
