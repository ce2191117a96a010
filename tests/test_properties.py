"""Properties that hold for any input, checked with hypothesis on real parts.

1. Review edits. Random sequences of add / resize / relabel / accept / reject /
   approve / undo / redo on two articles, run the way the review window runs
   them: ``core.review.edits`` through a ``core.review.history.History`` (no Qt:
   the window's Undo and Redo only follow it), against a real project file. A
   plain model of the spans (a dict per undo position) says what the store must
   hold after every step. Refused edits must raise
   ``InvalidEdit`` and change nothing; the model predicts which edits are
   refused. Undoing everything gives back the imported spans; a second
   connection, and re-opening the file at the end, see what the model says.
   Texts mix emoji (two UTF-16 units), combining marks, ZWJ sequences, CJK,
   tabs and newlines so that offsets are Python code points everywhere.

2. Imports. Random bytes, and near-misses of every format (truncated UTF-16,
   invalid UTF-8, NULs, lines longer than the 64 KB encoding sample, JSON
   with wrong types or deep nesting, declared charsets that are not text
   encodings), written with each supported suffix and imported into a fresh
   project: nothing escapes ``import_paths``; the file yields articles or a
   problem naming it; stored texts are normalised and their spans fit; the
   database passes ``PRAGMA integrity_check``.

The whole file runs in about 10 s. When a property fails, hypothesis spends
up to a few minutes shrinking the case before it prints the smallest one;
``tests/test_importers.py`` keeps an ordinary example test for each bug found.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from core.errors import AssayError, InvalidEdit
from core.formats.encoding import SNIFF_BYTES
from core.formats.importers import SUPPORTED_SUFFIXES, import_paths
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.review.edits import AddSpan, Edit, Focus, SetStatus, UpdateSpan
from core.review.history import History
from core.store import Project
from core.text.normalise import normalise_text, sha256_text
from gui.review.offsets import OffsetMap

REVIEWER = "ana"
LABELS = ("MINERAL", "GPE", "ORG", "PERCENT")
STATES = ("suggested", "accepted", "rejected")

# Pieces that stress offsets: astral emoji and maths letters (2 UTF-16 units),
# a ZWJ family and a flag (several code points, one glyph), combining marks on
# their own and after a letter, CJK, tab and newline.
PIECES = ["Li", "Chile", " ", " ", "\n", "\t", ".", "é", "e\u0301", "\u0301", "😀", "🧪",
          "👩\u200d🔬", "🇨🇱", "中国", "\U0001d400", "\u200b", "ß"]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(exclude_categories=("Cs",))),
                 min_size=1, max_size=24).map("".join)


_TEMPLATE: dict[str, Path] = {}


def fresh_project(folder: Path) -> Project:
    """A new empty project in ``folder``: a copy of one made once (creating one takes 50 ms)."""
    if "path" not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="assay-template-")) / "template.assay"
        Project.create(template, name="fuzz", rules=store_rules()).close()
        _TEMPLATE["path"] = template
    target = folder / "fuzz.assay"
    shutil.copyfile(_TEMPLATE["path"], target)
    return Project.open(target, rules=store_rules())


@pytest.fixture(scope="module", autouse=True)
def _remove_template():
    yield
    if "path" in _TEMPLATE:
        shutil.rmtree(_TEMPLATE.pop("path").parent, ignore_errors=True)


# ============================================================= 1. review edits


class EditRecorder:
    """The window's side of the history: the articles its ``changed`` signal showed."""

    def __init__(self) -> None:
        self.changed: list[int] = []

    def __call__(self, focus: Focus | None) -> None:
        if focus is not None:
            self.changed.append(focus.article_id)


Look = tuple[int, int, int, str, str]  # article id, start, end, label, state


def overlaps(looks: dict[int, Look], article_id: int, start: int, end: int,
             exclude: int | None = None) -> bool:
    return any(sid != exclude and a == article_id and st_ != "rejected" and s < end and e > start
               for sid, (a, s, e, _label, st_) in looks.items())


def full_rows(project: Project, article_id: int) -> list[tuple]:
    """Everything about the spans a reviewer could notice (not who touched them last, or when)."""
    return [(s.id, s.start, s.end, s.label, s.state, s.origin, s.text, s.kb_id)
            for s in project.spans(article_id)]


def greedy_spans(text: str, wanted: list[tuple[int, int, str, str]]) -> list[SpanIn]:
    """The wanted spans that fit ``text`` and do not overlap a live one already kept."""
    kept: list[SpanIn] = []
    for a, b, label, state in wanted:
        start, end = min(a, b), max(a, b)
        if not 0 <= start < end <= len(text):
            continue
        if state != "rejected" and any(k.state != "rejected" and k.start < end and k.end > start
                                       for k in kept):
            continue
        kept.append(SpanIn(start, end, label, origin="model", state=state))
    return kept


class ReviewEdits(RuleBasedStateMachine):
    """Edits through the undo stack agree with a model after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="assay-props-"))
        self.path = self.folder / "fuzz.assay"
        self.project: Project | None = None
        self.stack: History | None = None
        self.history: list[dict[int, Look]] = []  # history[i]: the spans after i edits done
        self.texts: dict[int, str] = {}
        self.start_rows: dict[int, list[tuple]] = {}

    # ---- set-up

    @initialize(first=TEXTS, second=TEXTS, data=st.data())
    def import_two_articles(self, first: str, second: str, data: st.DataObject) -> None:
        first, second = normalise_text(first), normalise_text("2 " + second)
        assume(first.strip() and first != second)
        self.project = fresh_project(self.folder)
        articles = []
        for text in (first, second):
            bound = st.integers(0, len(text))
            wanted = data.draw(st.lists(st.tuples(bound, bound, st.sampled_from(LABELS),
                                                  st.sampled_from(STATES)), max_size=6))
            articles.append(ArticleIn(text=text, spans=tuple(greedy_spans(text, wanted))))
        assert self.project.add_articles(articles).added == 2
        self.ctx = EditRecorder()
        self.stack = History(self.project, REVIEWER)
        self.stack.changed.connect(self.ctx)
        for article_id in (1, 2):
            self.texts[article_id] = self.project.article_text(article_id)
            self.start_rows[article_id] = full_rows(self.project, article_id)
        self.history = [self.store_looks()]

    def teardown(self) -> None:
        try:
            if self.project is not None:
                expected = self.expected()
                self.project.close()
                # Nothing lives only in memory: a fresh open of the file shows the same.
                with Project.open(self.path, rules=store_rules()) as again:
                    assert self.store_looks(again) == expected
                    assert again.integrity_ok()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    # ---- helpers

    def store_looks(self, project: Project | None = None) -> dict[int, Look]:
        project = project or self.project
        assert project is not None
        return {s.id: (s.article_id, s.start, s.end, s.label, s.state)
                for article_id in (1, 2) for s in project.spans(article_id)}

    def index(self) -> int:
        return len(self.stack.done) if self.stack else 0

    def count(self) -> int:
        return len(self.stack.done) + len(self.stack.undone) if self.stack else 0

    def expected(self) -> dict[int, Look]:
        return self.history[self.index()]

    def snapshot(self) -> tuple:
        assert self.project is not None
        rows = [full_rows(self.project, a) for a in (1, 2)]
        stamps = [(s.updated_by, s.updated_at) for a in (1, 2) for s in self.project.spans(a)]
        events = self.project.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        status = [self.project.article(a).status for a in (1, 2)]
        return rows, stamps, events, status, self.count(), self.index()

    def run(self, make_command, valid: bool, predict) -> None:
        """Apply an edit as MainWindow.push does; a refusal must leave everything as it was.

        ``predict(edit)`` gives the spans the model expects after the edit.
        """
        assert self.stack is not None
        before = self.snapshot()
        try:
            command: Edit = make_command()
            self.stack.do(command)
        except AssayError as exc:
            note(f"refused: {exc}")
            event("edit refused")
            assert isinstance(exc, InvalidEdit)
            assert not valid, f"the model allows this edit but core refused it: {exc}"
            assert self.snapshot() == before  # the history did not move either
            return
        assert valid, "core accepted an edit the model says is invalid"
        assert self.ctx.changed[-1] == command.focus.article_id  # the window shows it
        event("edit applied")
        predicted = predict(command)
        del self.history[self.index():]
        self.history.append(predicted)
        assert len(self.history) == self.count() + 1

    def pick_span(self, data: st.DataObject) -> int:
        """An existing span id, or now and then one that does not exist."""
        ids = sorted(self.expected())
        return data.draw(st.sampled_from(ids) if ids and data.draw(st.integers(0, 9))
                         else st.integers(-1, 40))

    def update(self, span_id: int, title: str, **changes: object) -> None:
        current = self.expected()
        if span_id not in current:
            self.run(lambda: UpdateSpan(span_id, title), False, None)
            return
        article_id, start, end, old_label, state = current[span_id]
        new = {"start": start, "end": end, "label": old_label, "state": state, **changes}
        text = self.texts[article_id]
        valid = (0 <= new["start"] < new["end"] <= len(text) and new["label"] in LABELS
                 and (new["state"] == "rejected"
                      or not overlaps(current, article_id, new["start"], new["end"],
                                      exclude=span_id)))
        predicted = {**current, span_id: (article_id, new["start"], new["end"], new["label"],
                                          new["state"])}
        self.run(lambda: UpdateSpan(span_id, title, **changes), valid,
                 lambda _command: predicted)

    # ---- rules: the review window's edits

    @rule(article_id=st.sampled_from([1, 2]), data=st.data(),
          label=st.sampled_from([*LABELS, "NOT_A_LABEL"]))
    def add(self, article_id: int, data: st.DataObject, label: str) -> None:
        size = len(self.texts[article_id])
        start = data.draw(st.integers(-1, size + 1), label="start")
        end = data.draw(st.integers(start - 1, start + 6), label="end")
        current = self.expected()
        valid = (0 <= start < end <= size and label in LABELS
                 and not overlaps(current, article_id, start, end))

        def predict(command: AddSpan) -> dict[int, Look]:
            assert command.span_id is not None and command.span_id not in current
            return {**current, command.span_id: (article_id, start, end, label, "accepted")}

        self.run(lambda: AddSpan(article_id, start, end, label), valid, predict)

    @rule(data=st.data(), grow_start=st.integers(-3, 3), grow_end=st.integers(-3, 3))
    def resize(self, data: st.DataObject, grow_start: int, grow_end: int) -> None:
        span_id = self.pick_span(data)
        look = self.expected().get(span_id)
        start, end = (look[1], look[2]) if look else (0, 1)
        self.update(span_id, "move edge", start=start - grow_start, end=end + grow_end,
                    state="accepted")

    @rule(data=st.data(), label=st.sampled_from([*LABELS, "NOT_A_LABEL"]))
    def relabel(self, data: st.DataObject, label: str) -> None:
        self.update(self.pick_span(data), f"relabel as {label}", label=label, state="accepted")

    @rule(data=st.data())
    def reject(self, data: st.DataObject) -> None:
        self.update(self.pick_span(data), "reject entity", state="rejected")

    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        self.update(self.pick_span(data), "accept entity", state="accepted")

    @rule(article_id=st.sampled_from([1, 2]))
    def approve(self, article_id: int) -> None:
        current = self.expected()
        predicted = {sid: (a, s, e, label, "accepted" if a == article_id and state == "suggested"
                           else state)
                     for sid, (a, s, e, label, state) in current.items()}
        self.run(lambda: SetStatus(article_id, "approved", 1.0), True,
                 lambda _command: predicted)

    @rule()
    def undo(self) -> None:
        assert self.stack is not None
        if self.stack.done:
            edit = self.stack.done[-1]
            self.stack.undo()
            # Undo brings the article it changed into view, whichever one is open.
            assert self.ctx.changed[-1] == edit.focus.article_id

    @rule()
    def redo(self) -> None:
        assert self.stack is not None
        if self.stack.undone:
            edit = self.stack.undone[-1]
            self.stack.redo()
            assert self.ctx.changed[-1] == edit.focus.article_id

    @precondition(lambda self: self.count() > 0)
    @rule()
    def undo_everything_then_redo_it(self) -> None:
        assert self.project is not None and self.stack is not None
        at = self.index()
        while self.stack.done:
            self.stack.undo()
        for article_id in (1, 2):
            assert full_rows(self.project, article_id) == self.start_rows[article_id]
        for _ in range(at):
            self.stack.redo()
        assert self.store_looks() == self.expected()

    @rule()
    def second_connection_sees_the_same(self) -> None:
        with Project.open(self.path, rules=store_rules()) as other:
            assert self.store_looks(other) == self.expected()

    # ---- after every step

    @invariant()
    def store_matches_model_and_spans_are_sound(self) -> None:
        if self.project is None:
            return
        assert self.store_looks() == self.expected()
        for article_id, text in self.texts.items():
            spans = self.project.spans(article_id)
            omap = OffsetMap(text)
            for span in spans:
                assert 0 <= span.start < span.end <= len(text)
                assert span.text == text[span.start:span.end]
                # The view's UTF-16 positions of the span's edges round-trip.
                for offset in (span.start, span.end):
                    qt = omap.to_qt(offset)
                    assert qt == len(text[:offset].encode("utf-16-le")) // 2
                    assert omap.to_py(qt) == offset
            live = sorted((s.start, s.end) for s in spans if s.live)
            assert all(a[1] <= b[0] for a, b in zip(live, live[1:], strict=False))
        # The stored per-article count the list sorts by follows every edit and undo.
        listed = {row.id: row.entities for row in self.project.list_articles()}
        assert listed == {a: sum(s.live for s in self.project.spans(a)) for a in (1, 2)}
        # So do the stored per-label counts (the list's label filter, the statistics).
        every = [s for a in (1, 2) for s in self.project.spans(a)]
        for suggested in (True, False):
            states = ("suggested", "accepted") if suggested else ("accepted",)
            expected = dict.fromkeys(self.project.label_names(), 0)
            for span in every:
                if span.state in states:
                    expected[span.label] += 1
            assert self.project.counts_by_label(include_suggested=suggested) == expected


ReviewEdits.TestCase.settings = settings(
    max_examples=50, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestReviewEdits = ReviewEdits.TestCase
TestReviewEdits.pytestmark = [pytest.mark.slow]  # hypothesis state machine: several seconds


# ============================================================= 2. imports

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")

WORDS = st.text(st.sampled_from("Lithium cobalt Chile é😀\u0301\n\t\r\x00\x85\ufeff,;|\"'<>&#"),
                max_size=60)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                         st.floats(allow_nan=True, allow_infinity=True), WORDS)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(WORDS, inner, max_size=4)), max_leaves=12)
SPAN_ITEMS = st.one_of(
    JSON_VALUES,
    st.tuples(st.integers(-3, 40), st.integers(-3, 40),
              st.sampled_from([*LABELS, "NOPE", " ", ""])).map(list),
    st.fixed_dictionaries({"start": JSON_SCALARS | st.integers(0, 30),
                           "end": JSON_SCALARS | st.integers(0, 30),
                           "label": st.sampled_from([*LABELS, "NOPE"]) | JSON_SCALARS},
                          optional={"text": WORDS, "state": WORDS, "kb_id": JSON_SCALARS,
                                    "origin": st.sampled_from(["model", "x"])}),
)
RECORDS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"text": WORDS | JSON_VALUES},
        optional={"title": JSON_VALUES, "meta": JSON_VALUES, "answer": WORDS,
                  "spans": st.lists(SPAN_ITEMS, max_size=4) | JSON_VALUES,
                  "label": st.lists(SPAN_ITEMS, max_size=4) | JSON_VALUES,
                  "entities": st.lists(SPAN_ITEMS, max_size=4)}),
)


@st.composite
def jsonl_bytes(draw) -> bytes:
    lines = []
    for record in draw(st.lists(RECORDS, min_size=1, max_size=5)):
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        lines.append(draw(st.sampled_from([line, line[: len(line) // 2], line + "}"])))
    if draw(st.booleans()):  # JSON nested deeper than the parser's recursion limit
        depth = draw(st.integers(900, 5000))
        lines.append('{"text": "deep", "spans": ' + "[" * depth + "]" * depth + "}")
    if draw(st.booleans()):  # escaped half of a UTF-16 pair, in the text or a field
        field = draw(st.sampled_from(["text", "title", "source", "url"]))
        lines.append(json.dumps({"text": "Nickel \ud83d rises", field: "x\udc80y"}))
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="surrogatepass" if "utf-8" in encoding else "replace")


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(st.sampled_from(["text,title", "title;body", "sep=|\ncontent|url", "TEXT",
                                   "text\tdate", "nothing,here", '"text","title"']))
    sep = {"text,title": ",", "title;body": ";"}.get(header, draw(st.sampled_from(",;|\t")))
    cells = st.one_of(WORDS, WORDS.map(lambda w: '"' + w.replace('"', '""') + '"'),
                      WORDS.map(lambda w: '"' + w))  # the last one never closes its quote
    rows = [sep.join(draw(st.lists(cells, max_size=3))) for _ in range(draw(st.integers(0, 4)))]
    data = "\n".join([header, *rows]).encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])),
                                             errors="replace")
    return data + draw(st.binary(max_size=20))


CHARSETS = ["hex", "rot13", "zlib", "base64", "bz2", "uu", "quopri", "idna", "punycode",
            "undefined", "unicode_escape", "raw_unicode_escape", "utf-7", "utf-16", "cp037",
            "x-unknown", "latin-1", "cp1252", "shift_jis", "koi8-r", "mac-roman", "big5"]


@st.composite
def html_bytes(draw) -> bytes:
    charset = draw(st.sampled_from(CHARSETS))
    body = draw(WORDS)
    ld = draw(st.one_of(JSON_VALUES.map(json.dumps), st.integers(900, 5000).map(
        lambda n: "[" * n + "]" * n), st.just('{"headline": "\\udc80 bad half"}')))
    page = (f'<html><head><meta charset="{charset}"><title>{draw(WORDS)}</title>'
            f'<script type="application/ld+json">{ld}</script></head>'
            f"<body><article><h1>{draw(WORDS)}</h1><p>{body}</p><pre>{draw(WORDS)}")
    raw = page.encode("utf-8", errors="surrogatepass")
    # Bytes that are not UTF-8, so the declared charset is what decides.
    return raw + draw(st.sampled_from([b"", b"caf\xe9 \x81 na\xefve", b"\xff\xfe\x00"]))


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "latin-1"]
BAD_BYTES = [b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", b"\r", b"\x1a",
             b"\x00\x00", b"\xef\xbb\xbf"]


@st.composite
def damaged_text(draw) -> bytes:
    """Text in some encoding, then cut short, spliced with bad bytes, or given a BOM it lacks."""
    data = draw(WORDS).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # truncated mid-character
    bom = draw(st.sampled_from([b"", codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                                codecs.BOM_UTF32_LE, codecs.BOM_UTF8]))
    return bom + data


@st.composite
def long_line(draw) -> bytes:
    """One line longer than the encoding sample, with a character split across its end."""
    unit = draw(st.sampled_from([b"a", b"\xc3\xa9", b"\xe9", b"\x00", "😀".encode()]))
    count = draw(st.integers(SNIFF_BYTES // len(unit) - 2, SNIFF_BYTES // len(unit) + 2))
    return draw(st.sampled_from([b"", b'{"text": "', b"text\n"])) + unit * count + draw(
        st.binary(max_size=8))


FILE_BYTES = st.one_of(st.binary(max_size=800), damaged_text(), jsonl_bytes(), csv_bytes(),
                       html_bytes(), long_line())

@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@pytest.mark.slow
@given(data=FILE_BYTES)
def test_importing_any_bytes_adds_sound_articles_or_reports_the_file(suffix, data):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        project = fresh_project(folder)
        try:
            report = import_paths(project, [path])  # nothing may escape
            assert report.files == 1
            assert all(p.path == str(path) and p.reason for p in report.problems)
            assert report.added + report.duplicates > 0 or report.problems, (
                "the file yielded nothing and no problem says why")
            rows = project.conn.execute("SELECT id, text, sha256, title FROM articles").fetchall()
            assert len(rows) == report.added
            for article_id, text, digest, title in rows:
                assert text.strip()
                assert normalise_text(text) == text
                assert not _CONTROL.search(text) and not _SURROGATE.search(text)
                assert not _CONTROL.search(title) and "\n" not in title
                assert digest == sha256_text(text)
                spans = project.spans(article_id)
                for span in spans:
                    assert 0 <= span.start < span.end <= len(text)
                    assert span.text == text[span.start:span.end]
                live = sorted((s.start, s.end) for s in spans if s.live)
                assert all(a[1] <= b[0] for a, b in zip(live, live[1:], strict=False))
            assert project.integrity_ok()
        finally:
            project.close()
