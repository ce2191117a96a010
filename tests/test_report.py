"""``assay-cli report``: one self-contained HTML file with the statistics' figures and
tables, checked against the numbers, for hostile names, and in headless Chromium."""

from __future__ import annotations

import base64
import html
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.cli import main
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.stats import charts
from core.store import Project
from tests.suggestion_helpers import NAMES, suggestions

ROOT = Path(__file__).parents[1]
TEXTS = [
    "Chile mines lithium. China refines cobalt and lithium.",
    "Indonesia exports nickel. The Lualaba province of Congo mines cobalt.",
    "Australia mines lithium near Perth.",
    "Nothing here names a mineral.",
    "Bolivia mines unobtainium.",
]
# Names a project file may carry: markup, an SVG's end, an entity, mathtext, a lone $.
NAME = "<script>alert(1)</script> Briefs & </svg> &amp; $x$"
REVIEWER = "</svg><script>alert(2)</script>ben & $5"
MODEL = '<img src="http://example.com/x.png" onerror="alert(3)">'
LABEL = "<b>$x$</b>&amp;"
MINERAL_NAME = "Unob</svg>tainium &amp; <i>$US 5"
HOSTILE = (NAME, REVIEWER, MODEL, LABEL, MINERAL_NAME)


def _suggestions(text: str) -> list[SpanIn]:
    return suggestions(text, NAMES + (("Bolivia", "GPE"), ("unobtainium", "MINERAL")))


def judged_project(path: Path) -> Path:
    """tests/test_statistics.py's judged project (articles pre-annotated by two models,
    corrected and approved by two reviewers, claims with verdicts), with hostile names."""
    with Project.create(path, rules=store_rules()) as project:
        # A name `new` refuses (it could not name a file) but a file may carry, written
        # by another tool or an older Assay.
        project.set_meta("name", NAME)
        project.add_articles([ArticleIn(text=t, title=f"A{i} <b>") for i, t in
                              enumerate(TEXTS, 1)])
        ids = [a.id for a in project.list_articles()]
        project.add_label(LABEL, "#aa3377", reviewer="ana")
        project.add_kb_entry("mineral:unobtainium", "MINERAL", MINERAL_NAME, [], "ana")
        project.store_annotations([(i, _suggestions(t), None) for i, t in
                                   zip(ids[:2], TEXTS[:2], strict=True)], model="m1")
        project.store_annotations([(i, _suggestions(t), None) for i, t in
                                   zip(ids[2:], TEXTS[2:], strict=True)], model=MODEL)
        spans = {(s.article_id, s.text, s.start): s for i in ids for s in project.spans(i)}

        def one(article: int, text: str):
            return next(s for (a, t, _), s in sorted(spans.items())
                        if a == article and t == text)

        a1, a2, a3, _a4, a5 = ids
        project.relabel_span(one(a1, "China").id, "NORP", "ana")
        project.reject_span(one(a1, "lithium").id, "ana")
        project.add_span(a1, TEXTS[0].index("refines"), TEXTS[0].index("refines") + 7,
                         LABEL, "ana")
        project.approve_article(a1, "ana", seconds=30)
        lualaba = one(a2, "Lualaba")
        project.resize_span(lualaba.id, lualaba.start, lualaba.end + len(" province"),
                            REVIEWER)
        congo = TEXTS[1].index("Congo")
        project.add_span(a2, congo, congo + 5, "GPE", REVIEWER)
        project.approve_article(a2, REVIEWER, seconds=90)
        project.reject_span(one(a3, "Perth").id, "ana")
        project.approve_article(a3, "ana", seconds=60)
        project.set_span_kb(one(a5, "unobtainium").id, "mineral:unobtainium", REVIEWER)
        project.approve_article(a5, REVIEWER, seconds=200)
        text = TEXTS[0]
        project.add_claim(a1, 0, text.index(".") + 1, "ana", verdict="supported")
        project.add_claim(a1, text.index("China"), len(text), "ana", verdict="refuted")
        project.add_claim(a2, TEXTS[1].index("The"), len(TEXTS[1]), REVIEWER)
        project.add_claim(a5, 0, len(TEXTS[4]), REVIEWER, verdict="unverifiable")
        project.conn.execute("UPDATE articles SET reviewed_at = '2026-11-02T10:00:00+00:00' "
                             "WHERE id = ?", (a3,))
        project.conn.commit()
    return path


@pytest.fixture
def judged(tmp_path) -> Path:
    return judged_project(tmp_path / "judged.assay")


class Tables(HTMLParser):
    """Each <table id=…>'s body and footer rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[str, list[list[str]]]] = {}
        self.headings: list[str] = []
        self.images: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, attribute, value), every one
        self.tags: set[str] = set()
        self._table: str | None = None
        self._part = "body"
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self.tags.add(tag)
        if tag == "table":
            self._table = a.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = {"body": [], "foot": []}
        elif tag == "tfoot":
            self._part = "foot"
        elif tag == "tbody":
            self._part = "body"
        elif tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []
        elif tag == "img":
            self.images.append(a.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            if self._row:
                self.tables[self._table][self._part].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def parse(page: str) -> Tables:
    t = Tables()
    t.feed(page)
    t.close()
    return t


def first_number(cell: str) -> int:
    return int(cell.split()[0].replace(",", ""))


def keyed(rows: list[list[str]], width: int = 1) -> dict:
    return {tuple(r[:width]) if width > 1 else r[0]: r[width:] for r in rows}


def report(tmp_path: Path, judged: Path, capsys, figures: int = 5) -> str:
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir(exist_ok=True)
    assert main(["report", str(judged), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote the report to {out} (") and f"{figures} charts" in printed
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_tables_hold_the_statistics_numbers(tmp_path, judged, capsys):
    page = report(tmp_path, judged, capsys)
    t = parse(page).tables
    with Project.open(judged, read_only=True, rules=store_rules()) as project:
        s = project.statistics
        p, q, cm, claims = s.progress(), s.quality(), s.country_minerals(), s.claims()
        counts = project.counts_by_label()
        accepted = project.counts_by_label(include_suggested=False)
        names = charts.display_names(project, charts.ids_of(cm, claims))

    statuses = keyed(t["statuses"]["body"])
    assert {k: first_number(v[0]) for k, v in statuses.items()} == p.statuses
    assert t["statuses"]["foot"][0][:2] == ["all", "5"]

    reviewers = keyed(t["reviewers"]["body"])
    assert list(reviewers) == [r for r, _a, _j in p.per_reviewer]
    assert set(reviewers) == {"ana", REVIEWER}
    for reviewer, approved, rejected in p.per_reviewer:
        row = reviewers[reviewer]
        spread = p.seconds_by_reviewer[reviewer]
        assert [first_number(c) for c in row[:3]] == [approved, rejected, spread.n]
        assert row[3] == charts._seconds(spread.median)
    assert t["reviewers"]["foot"][0][4] == charts._seconds(p.seconds.median)

    days = keyed(t["per-day"]["body"])
    assert {d: first_number(v[0]) for d, v in days.items()} == dict(p.per_day)
    assert "ana 1" in days["2026-11-02"][1]

    labels = keyed(t["labels"]["body"])
    assert {lb: first_number(v[0]) for lb, v in labels.items()} == counts
    assert {lb: first_number(v[1]) for lb, v in labels.items()} == {
        lb: accepted.get(lb, 0) for lb in counts}
    assert LABEL in labels

    # "all models", then each model, as per_label gives them (the label's row when any).
    for k, model in enumerate([None, *q.models]):
        rows = keyed(t[f"quality-{k}"]["body"])
        expected = {lb: r for lb, r in q.per_label(model).items() if sum(r.values())}
        assert list(rows) == list(expected)
        for lb, r in expected.items():
            got = [first_number(c) for c in rows[lb]]
            assert got == [r["kept"] + r["corrected"] + r["rejected"], r["kept"],
                           r["corrected"], r["rejected"], r["added"]]
    assert keyed(t["quality-1"]["body"])["GPE"][1:] == ["2 40%", "2 40%", "0 0%", "1 20%"]

    cells = {k: first_number(v[0]) for k, v in keyed(t["cells"]["body"], 2).items()}
    assert cells == {(names.get(c, c), names.get(m, m)): n for (c, m), n in cm.cells.items()}
    assert cells[("DR Congo", "cobalt")] == 1
    assert cells[("Bolivia", MINERAL_NAME)] == 1

    verdicts = keyed(t["verdicts"]["body"])
    assert {v: first_number(r[0]) for v, r in verdicts.items()} == {
        **{v: claims.by_verdict.get(v, 0) for v in charts.VERDICTS},
        "suggested, undecided": claims.suggested}
    assert t["verdicts"]["foot"][0][1] == str(sum(claims.by_verdict.values()))
    for table, by in (("claims-countries", claims.by_country),
                      ("claims-minerals", claims.by_mineral)):
        rows = keyed(t[table]["body"])
        assert rows == {names.get(k, k): [*(str(r.get(v, 0)) for v in charts.VERDICTS),
                                          str(sum(r.values()))] for k, r in by.items()}


def _svgs(page: str) -> list[bytes]:
    prefix = "data:image/svg+xml;base64,"
    images = parse(page).images
    assert images and all(src.startswith(prefix) for src in images)
    return [base64.b64decode(src[len(prefix):], validate=True) for src in images]


@pytest.mark.slow
def test_the_page_is_self_contained_and_every_name_is_escaped(tmp_path, judged, capsys):
    page = report(tmp_path, judged, capsys)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    low = page.lower()
    assert "<script" not in low and "<link" not in low and "@import" not in low
    assert "url(" not in low and "<iframe" not in low and "<object" not in low
    tree = parse(page)
    assert tree.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1",
                         "h2", "p", "strong", "em", "nav", "ol", "li", "a", "section",
                         "figure", "img", "div", "table", "caption", "thead", "tbody",
                         "tfoot", "tr", "th", "td", "span", "footer"}, tree.tags
    for tag, key, value in tree.attrs:
        assert not key.startswith("on"), (tag, key)
        if key in ("src", "href", "srcset", "action", "poster", "data", "background"):
            assert value.startswith(("data:image/svg+xml;base64,", "#")), (tag, key, value)
        assert "//" not in value or value.startswith("data:"), (tag, key, value)
    for name in HOSTILE:
        assert name not in page
    assert html.escape(NAME) in page  # in <title> and <h1>, escaped
    assert tree.headings[0] == NAME  # and read back as the same text
    assert REVIEWER in keyed(tree.tables["reviewers"]["body"])
    assert html.escape(MODEL) in page
    # Inside the charts: well-formed SVG (nothing broke out of its text), no script, no
    # foreign content, nothing referenced outside itself.
    svgs = _svgs(page)
    assert len(svgs) == 5
    for data in svgs:
        text = data.decode("utf-8")
        assert "<script" not in text and text.count("</svg>") == 1
        root = ET.fromstring(data)
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "a", "iframe"), tag
            if tag == "style":  # matplotlib's line joins: nothing imported or fetched
                assert "@import" not in (el.text or "") and "url(" not in (el.text or "")
            for key, value in el.attrib.items():
                assert not key.lower().startswith("on"), key
                if key.endswith("href"):  # its own defs, or the heat map's pixels inline
                    assert value.startswith("#") or (
                        tag == "image" and value.startswith("data:image/png;base64,")), value


@pytest.mark.slow
def test_the_same_numbers_make_the_same_file(tmp_path, judged):
    from core.stats.report import write_report

    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with Project.open_for_reading(judged, rules=store_rules()) as project:
        a = write_report(project, tmp_path / "a.html", now=when)
        b = write_report(project, tmp_path / "b.html", now=when)
    assert a.size == (tmp_path / "a.html").stat().st_size and a.figures == 5
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert "made 2026-12-01 09:30 UTC" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert b.path == tmp_path / "b.html"


def test_an_empty_project_makes_a_report_too(tmp_path, capsys):
    path = tmp_path / "empty.assay"
    Project.create(path, rules=store_rules()).close()
    page = report(tmp_path, path, capsys, figures=0)
    # Nothing to draw: the sections say so, no empty charts.
    assert "none yet" in page and "No review times stored yet." in page
    assert "<img" not in page and "<section" in page


def test_the_project_and_its_files_are_refused_and_left_as_they_were(tmp_path, judged, capsys):
    (judged.parent / (judged.name + ".lock")).write_text("pid 1")
    sidecars = [judged.with_name(judged.name + s) for s in ("-wal", "-shm", "-journal")]
    before = {f: f.read_bytes() for f in judged.parent.iterdir()}
    for dest in [judged, judged.parent / (judged.name + ".lock"), *sidecars]:
        assert main(["report", str(judged), "-o", str(dest)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: Refused to write the report to {dest}")
        assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["report", str(judged), "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert {f: f.read_bytes() for f in judged.parent.iterdir()} == before
    assert main(["report", str(tmp_path / "missing.assay"), "-o", str(tmp_path / "r.html")]) == 1
    assert capsys.readouterr().err.startswith("error: No project file")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path, judged,
                                                                     monkeypatch):
    from core.errors import AssayError
    from core.stats import report as report_module
    from core.store import files  # the one writer of user-chosen files

    out = tmp_path / "report.html"
    out.write_text("the old report", encoding="utf-8")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", fail)
    with Project.open_for_reading(judged, rules=store_rules()) as project, \
            pytest.raises(AssayError) as exc:
        report_module.write_report(project, out)
    assert "No space left on device" in str(exc.value)
    assert out.read_text(encoding="utf-8") == "the old report"
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(
        [judged.name, "report.html"])


def chromium() -> str:
    """Chromium's path; missing: a skip on a developer's machine, a failure on CI (where
    .ci/run installs it through `make test-deps`)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("chromium is missing on CI: `make test-deps` installs it")
    pytest.skip("chromium is not installed (make test-deps installs it where it may)")


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def screenshot(html_file: Path, png: Path, size: tuple[int, int] = (1280, 2400)) -> None:
    """``html_file`` as headless Chromium shows it, saved to ``png`` (bench too)."""
    browser = chromium()
    profile = png.parent / f".{png.stem}-chromium"
    result = headless(browser, profile, f"--window-size={size[0]},{size[1]}",
                      f"--screenshot={png}", html_file.resolve().as_uri())
    shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0 and png.exists(), result.stderr[-2000:]


@pytest.mark.slow
def test_chromium_opens_the_report_offline_and_draws_it(tmp_path, judged):
    browser = chromium()
    out = tmp_path / "report.html"
    result = subprocess.run([sys.executable, "-m", "core.cli", "report", str(judged),
                             "-o", str(out)], capture_output=True, text=True, cwd=ROOT,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote the report to {out} (")

    dom = headless(browser, tmp_path / "profile", "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = parse(dom.stdout)
    assert parsed.headings == [NAME, "Review progress", "Entities per label",
                               "Relations per type", "Articles per topic",
                               "Supply-chain map",
                               "Pre-annotation as reviewers judged it",
                               "Countries × minerals", "Claims"]
    assert len(parsed.images) == 5 and "<script" not in dom.stdout.lower()
    assert REVIEWER in keyed(parsed.tables["reviewers"]["body"])

    png = tmp_path / "report.png"
    screenshot(out, png)
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1280, 2400)
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, c in colours if min(c) >= 250)
    assert white < 0.97 * 1280 * 2400  # not a blank page
    assert len(colours) > 200  # text, rules and charts, not one flat colour
    # The charts were drawn: the progress chart's blue bars are on the page.
    blue = sum(n for n, (r, g, b) in colours
               if abs(r - 0x4C) < 12 and abs(g - 0x78) < 12 and abs(b - 0xA8) < 12)
    assert blue > 2000


@pytest.mark.slow
def test_it_reads_a_project_the_app_has_open_and_one_on_read_only_media(tmp_path):
    import hashlib

    media = tmp_path / "media"
    media.mkdir()
    path = judged_project(media / "judged.assay")
    out = tmp_path / "out"
    out.mkdir()

    def run(dest: Path, drop_caps: bool = False) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "core.cli", "report", str(path), "-o", str(dest)]
        if drop_caps:  # as a user who may not write there, even when the tests run as root
            caps = "-dac_override,-dac_read_search"
            command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=ROOT)

    # The app holds it and goes on writing after.
    with Project.open(path, rules=store_rules()) as window:
        result = run(out / "while-open.html")
        assert result.returncode == 0, result.stderr
        window.set_article_status(window.article_ids()[3], "skipped", "ana")
    assert "4 approved" in (out / "while-open.html").read_text(encoding="utf-8")

    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    path.chmod(0o444)
    media.chmod(0o555)
    try:
        before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in sorted(media.iterdir())}
        result = run(out / "read-only.html", drop_caps=True)
        after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(media.iterdir())}
    finally:
        media.chmod(0o755)
        path.chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert after == before
    assert "1 skipped" in (out / "read-only.html").read_text(encoding="utf-8")
