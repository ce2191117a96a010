"""Write reviewed articles out in any format of ``core.formats.registry``.

Three rules hold for every format:

* Only articles matching the filter (approved ones by default) and only spans
  whose state is ``accepted`` are written (a format that carries suggestions,
  such as Label Studio's predictions, says so in its record).
* Every exported span is checked against its text as it is read (inside the text,
  quoting it exactly, no overlaps, and what the format can hold); one bad span
  refuses the whole export with an :class:`AssayError` listing the bad ones, and
  nothing is written under the final name.
* A format of reviewers' versions (``versions=True``) filters the versions, not the
  curated article: ``reviewer`` keeps the versions that reviewer made, ``labels`` the
  spans of those labels in each version.
* An export that matches no article (or, for a format counting claims, facts or
  versions, finds none) is refused with what the filter matched (``nothing_matched``),
  for the CLI and the window alike, and writes nothing.
* Files are written under a temporary ``.partial`` name in the destination
  folder and renamed at the end, so a cancel, a crash or an error never leaves
  a half-written file under the final name.

Articles are read in bulk (``Project.reviewed``: a few queries per 500 articles)
and validated in the same pass as they are written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Final

from core.errors import AssayError
from core.formats.base import ExportFormat, ExportReport, Sink
from core.formats.registry import EXPORTS, FORMATS
from core.models import CLAIM_STATES, Reviewed, Span
from core.store import ArticleFilter, Project
from core.store.files import check_destination
from core.text.normalise import one_line

# How many bad spans an error message lists before "and N more".
MAX_LISTED = 20

Progress = Callable[[int, int], None]


class _Cancelled(Exception):
    pass


def export(
    project: Project,
    fmt: str,
    dest: str | Path,
    *,
    flt: ArticleFilter | None = None,
    labels: Iterable[str] | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    split: float | None = None,
    seed: int = 0,
) -> ExportReport:
    """Export the articles matching ``flt`` (default: approved) to ``dest`` in format ``fmt``.

    ``labels`` keeps only entities with those labels. ``split`` (spaCy only) is
    the share of articles written to ``<stem>-train.spacy``; the rest, chosen
    by a seeded shuffle, go to ``<stem>-dev.spacy``.
    """
    form = EXPORTS.get(fmt)
    if form is None:
        raise AssayError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if split is not None:
        if not form.splits:
            raise AssayError("A train/dev split is only available for the spaCy format.")
        if not 0.0 < split < 1.0:
            raise AssayError(f"The split must be between 0 and 1 (got {split}).")
    dest = Path(dest)
    targets = [check_destination(t, [project.path], "write the export to")
               for t in _targets(dest, form, split)]
    keep = set(labels) if labels else None
    if keep is not None:
        unknown = sorted(keep - project.label_names())
        if unknown:
            raise AssayError("Unknown label(s): " + ", ".join(unknown))
    flt = flt if flt is not None else ArticleFilter(status="approved")
    by_reviewer = None  # a versions format: whose versions (not who curated the article)
    if form.versions and flt.reviewer is not None:
        by_reviewer, flt = flt.reviewer, replace(flt, reviewer=None)
    ids = project.article_ids(flt)
    if not ids:
        raise AssayError(nothing_matched(project, flt))
    cancelled = should_cancel or (lambda: False)
    report = ExportReport(fmt=fmt, unit=form.unit)
    problems: list[str] = []
    bad_labels: dict[str, None] = {}  # labels the format cannot hold, in the order met
    total = len(ids)

    def checked() -> Iterator[Reviewed]:
        """Each record, validated as it is read; bad ones are kept back and listed."""
        if progress:
            progress(0, total)
        claim_states = (CLAIM_STATES if form.decisions else ("accepted",) if form.claims
                        else None)
        records = project.reviewed(ids, labels=keep, claim_states=claim_states,
                                   tokens=form.tokens, suggestions=form.suggestions,
                                   versions=form.versions, every_state=form.decisions,
                                   relations=form.relations, topics=form.topics)
        for done, record in enumerate(records, 1):
            if cancelled():
                raise _Cancelled
            if form.versions:
                record = _versions_kept(record, by_reviewer, keep)
            found = validate(record, form)
            # With a reviewer asked for, an article none of whose versions are theirs is left.
            theirs = not (form.versions and by_reviewer is not None and not record.versions)
            if not form.spaces_in_labels:
                bad_labels.update(dict.fromkeys(
                    s.label for s in record.spans if _has_space(s.label)))
            if found:
                problems.extend(found)
            elif not problems and not bad_labels and theirs:
                yield record
                report.articles += 1
                report.spans += len(record.spans)
                report.relations += len(record.relations)
            if progress:
                progress(done, total)

    temps = [check_destination(t.with_name(t.name + ".partial"), [project.path],
                               "write the export to") for t in targets]
    scheme = project.labels()
    sink = Sink(report=report, linker=project.linker(), paths=temps, split=split, seed=seed,
                total=total, labels=[(lb.name, lb.color) for lb in scheme], scheme=scheme,
                relation_types=project.relation_types() if form.relations else [],
                topics=project.topics() if form.topics else [])
    try:
        if form.text_file:
            with temps[0].open("w", encoding="utf-8", newline="") as fh:
                sink.fh = fh
                form.write(checked(), sink)
        else:
            form.write(checked(), sink)
        for temp in temps:
            _fsync(temp)
    except _Cancelled:
        _remove(temps)
        return ExportReport(cancelled=True, fmt=fmt, unit=form.unit)
    except OSError as exc:
        _remove(temps)
        raise AssayError(f"Cannot write {dest}: {exc.strerror or exc}. Nothing was "
                         "written.") from exc
    except BaseException:
        _remove(temps)
        raise
    if bad_labels:
        _remove(temps)
        raise AssayError(_labels_refusal(list(bad_labels), form))
    if problems:
        _remove(temps)
        raise AssayError(_refusal(problems))
    if form.unit != "entities" and not report.rows:
        _remove(temps)
        raise AssayError(f"Nothing to export: the {total} matching article(s) give 0 "
                         f"{form.unit} for {form.title}, so nothing was written"
                         f"{_NO_ROWS_HINT.get(form.name, '')}.")
    for temp, target in zip(temps, targets, strict=True):
        os.replace(temp, target)
    report.files = targets
    return report


def _versions_kept(record: Reviewed, reviewer: str | None, labels: set[str] | None
                   ) -> Reviewed:
    """The record with only ``reviewer``'s versions (None: all), each with only the spans
    of ``labels`` (None: all)."""
    kept = [v if labels is None else replace(v, spans=tuple(
        s for s in v.spans if s.label in labels)) for v in record.versions
        if reviewer is None or v.reviewer == reviewer]
    return replace(record, versions=kept)


# Span's fields by position: the validation loop runs for every exported span, and an
# index is cheaper than an attribute or an unpacking there. Literal (Final) positions, so
# the type checker knows each one's type; tests/test_types.py checks them against Span.
_START: Final = 2
_END: Final = 3
_TEXT: Final = 5


def validate(record: Reviewed, form: ExportFormat) -> list[str]:
    """Why the record's spans and claims cannot be exported in ``form``; empty when fine.

    Written for the common case (everything fine): messages are built only for problems.
    """
    problems: list[str] = []
    text = record.article.text
    n = len(text)
    strip_check = not form.spaces_in_spans
    spans = record.spans
    last_start = -1
    for span in spans:  # the store reads them in order; check it on the way
        if span.start < last_start:
            spans = sorted(spans, key=lambda s: (s.start, s.end))
            break
        last_start = span.start
    previous: Span | None = None
    prev_end = -1
    # Unpacked, not span.start/span.end/span.text: this loop runs for every exported span.
    for span in spans:
        start, end, span_text = span[_START], span[_END], span[_TEXT]
        # startswith at an offset compares in place: no slice is made per span
        if not (0 <= start < end <= n and end - start == len(span_text)
                and text.startswith(span_text, start)) or (
                strip_check and span_text != span_text.strip()) or start < prev_end:
            problems += _span_problems(record, span, previous, form)
        if end > prev_end:
            previous, prev_end = span, end
    if form.decisions:  # the suggested and rejected spans are written too: they must fit
        for span in record.suggestions:
            if not (0 <= span.start < span.end <= n
                    and text[span.start:span.end] == span.text):
                problems += _span_problems(record, span, None, form)
    for claim in record.claims:
        if not 0 <= claim.start < claim.end <= n:
            problems.append(f"article {record.article.id}, claim {claim.id} [{claim.start}, "
                            f"{claim.end}) does not fit the text (length {n})")
    return problems


def _span_problems(record: Reviewed, span: Span, previous: Span | None,
                   form: ExportFormat) -> list[str]:
    text = record.article.text
    desc = f"article {record.article.id}, span {span.id} {span.label} [{span.start}, {span.end})"
    out = []
    if not 0 <= span.start < span.end <= len(text):
        out.append(f"{desc} does not fit the text (length {len(text)})")
    elif text[span.start:span.end] != span.text:
        out.append(f"{desc} says {span.text!r} but the text there is "
                   f"{text[span.start:span.end]!r}")
    elif not form.spaces_in_spans and span.text != span.text.strip():
        out.append(f"{desc} begins or ends with a space, which {form.title} (it has "
                   "no space tokens) cannot hold")
    if previous is not None and span.start < previous.end:
        out.append(f"{desc} overlaps span {previous.id} {previous.label} "
                   f"[{previous.start}, {previous.end})")
    return out


# How to get rows into a format that counts something other than entities.
_NO_ROWS_HINT = {
    "versions": "; merge reviewers' copies first (assay-cli merge) and export with "
                "--status all",
    "claims": "; accept claims in the Claims panel first",
    "claimreview": "; accept claims in the Claims panel and give them a verdict (supported, "
                   "refuted or unverifiable) first",
    "facts": "; link the countries and minerals their sentences name first",
    "triples": "; accept relations between accepted entities first",
}


def nothing_matched(project: Project, flt: ArticleFilter) -> str:
    """Why an export finds no article, in one sentence: what the filter asked for, what
    the project holds, and how to choose otherwise (the CLI and the window say the same)."""
    asked = [f"no {flt.status} article" if flt.status else "no article"]
    if flt.reviewer:
        asked.append(f"reviewed by {one_line(flt.reviewer, 40)!r}")
    if flt.label:
        asked.append(f"with a {one_line(flt.label, 40)} entity")
    if flt.search:
        asked.append(f"matching {one_line(flt.search, 40)!r}")
    if flt.open_claims:
        asked.append("with claims to decide")
    counts = project.counts_by_status()
    held = ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no articles"
    return (f"Nothing to export: the project has {' '.join(asked)} (it has {held}), so "
            "nothing was written; approve articles first or choose other articles "
            "(assay-cli export --status/--reviewer, or Articles and Reviewer in the export "
            "dialog).")


def _has_space(label: str) -> bool:
    """Whitespace as a whitespace-separated column format splits on (``str.split``)."""
    return any(ch.isspace() for ch in label)


def _labels_refusal(labels: list[str], form: ExportFormat) -> str:
    names = ", ".join(repr(one_line(label, 40)) for label in labels)
    which = (f"the label {names} (it has a space)" if len(labels) == 1
             else f"the labels {names} (they have spaces)")
    first = one_line(labels[0], 40)
    return (f"Export refused: {form.title} separates its columns with spaces, so {which} "
            f"cannot be written; rename it, for example assay-cli labels PROJECT rename "
            f"{first!r} {'_'.join(first.split())!r} (or Review → Labels…), or leave it out "
            "with --label; nothing was written.")


def _refusal(problems: list[str]) -> str:
    listed = problems[:MAX_LISTED]
    more = len(problems) - len(listed)
    message = (f"Export refused: {len(problems)} span(s) do not fit their text or this "
               "format; nothing was written.\n  " + "\n  ".join(listed))
    if more:
        message += f"\n  … and {more} more"
    return message


def _targets(dest: Path, form: ExportFormat, split: float | None) -> list[Path]:
    if form.splits and split is not None:
        suffix = dest.suffix or form.suffix
        return [dest.with_name(f"{dest.stem}-train{suffix}"),
                dest.with_name(f"{dest.stem}-dev{suffix}")]
    return [dest, *(dest.with_name(dest.stem + extra) for extra in form.companions)]


def _fsync(path: Path) -> None:
    """Flush a written file to disk before it is renamed into place."""
    with suppress(FileNotFoundError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(paths: list[Path]) -> None:
    """Remove the temporary files of an export that did not finish."""
    for path in paths:
        with suppress(OSError):
            path.unlink()
