"""brat standoff (``-f brat``): one ``.zip`` holding a brat collection, a folder to unpack
into brat's ``data/`` with, per article, ``article-<id>.txt`` (the text exactly, UTF-8)
and ``article-<id>.ann``, and the ``annotation.conf`` and ``visual.conf`` brat needs for
the project's labels and relation types (with their colours).

The ``.ann`` lines, offsets in characters of the ``.txt`` (Python's, as Assay's):

- ``T1<TAB>GPE 2 11<TAB>Australia``: an accepted entity. An entity with a line break
  inside (``Lynas Rare⏎Earths``) is written as brat writes one: fragments on either side
  of the break, ``T9<TAB>ORG 115 125;126 137<TAB>Lynas Rare Earths Ltd.``, since a line
  break would end the line (brat splits lines as ``str.splitlines`` does, U+2028 too).
- ``R1<TAB>PRODUCES Arg1:T6 Arg2:T7``: an accepted relation between two of them, head
  first; a symmetric type (``<REL-TYPE>:symmetric`` in the config) is written in the
  order its configured argument labels fit.
- ``N1<TAB>Reference T1 Assay:AUS<TAB>Australia``: the entity's kb link, in the
  normalisation database ``Assay`` (brat splits at the first colon, so ids that hold
  colons, ``org:lynas``, come back whole), with the entry's name.

brat type names must match ``[A-Za-z0-9_-]+`` (its config replaces anything else, so
the names would not come back): a label or relation type the export writes that breaks
that rule refuses the export with a sentence naming it; names the scheme holds but the
export does not use are left out of the configs instead.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence

from core.errors import AssayError
from core.formats.base import ExportFormat, Sink
from core.models import RelationType, Reviewed, Span
from core.store.rules import Linker
from core.text.normalise import one_line

KB = "Assay"  # the normalisation database N lines name
# What brat stores as a type name (``projectconfig.normalize_to_storage_form``).
BRAT_NAME = re.compile(r"[A-Za-z0-9_-]+")
# What ends a line for brat's reader (``str.splitlines``): an entity's text cannot hold it.
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def document_name(rec: Reviewed) -> str:
    return f"article-{rec.article.id}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` as brat fragments: the pieces between line breaks."""
    out, at = [], start
    for brk in LINE_BREAK.finditer(text, start, end):
        if brk.start() > at:
            out.append((at, brk.start()))
        at = brk.end()
    if at < end:
        out.append((at, end))
    return out


def _refused(what: str, names: Sequence[str]) -> AssayError:
    """The sentence refusing names brat cannot store, with the rename that fixes them."""
    listed = ", ".join(repr(one_line(n, 40)) for n in names)
    plural = len(names) > 1
    first = one_line(names[0], 40)
    fixed = re.sub(r"[^A-Za-z0-9_-]", "_", first)
    how = (f"assay-cli labels PROJECT rename {first!r} {fixed!r} (or Review → Labels…), or "
           "leave it out with --label" if what == "label" else
           f"for example to {fixed!r} in Review → Labels…")
    return AssayError(
        f"Export refused: brat type names hold only letters A-Z, digits, _ and -, so the "
        f"{what}{'s' if plural else ''} {listed} cannot be written; rename "
        f"{'them' if plural else 'it'}, {how}; nothing was written.")


def ann(rec: Reviewed, types: dict[str, RelationType], linker: Linker) -> str:
    """The ``.ann`` of one article (see the module's docstring)."""
    text = rec.article.text
    lines = []
    tid: dict[int, str] = {}
    labels: dict[int, str] = {}
    for i, span in enumerate(rec.spans, 1):
        pieces = fragments(text, span.start, span.end)
        if not pieces or pieces[0][0] != span.start or pieces[-1][1] != span.end:
            raise AssayError(
                f"Export refused: article {rec.article.id}, span {span.id} {span.label} "
                f"{one_line(span.text, 40)!r} begins or ends with a line break, which brat "
                "standoff cannot hold; nothing was written.")
        tid[span.id], labels[span.id] = f"T{i}", span.label
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"T{i}\t{span.label} {offsets}\t{' '.join(text[a:b] for a, b in pieces)}")
    for n, rel in enumerate(rec.relations, 1):
        head, tail = rel.head_id, rel.tail_id
        kind = types.get(rel.type)
        if kind is not None and kind.symmetric and not (
                labels[head] in kind.head_labels and labels[tail] in kind.tail_labels):
            head, tail = tail, head
        lines.append(f"R{n}\t{rel.type} Arg1:{tid[head]} Arg2:{tid[tail]}")
    linked = [s for s in rec.spans if s.kb_id]
    for n, span in enumerate(linked, 1):
        lines.append(f"N{n}\tReference {tid[span.id]} {KB}:{span.kb_id}\t"
                     f"{_entry_name(span, linker)}")
    return "".join(line + "\n" for line in lines)


def _entry_name(span: Span, linker: Linker) -> str:
    entry = linker.entry(span.label, span.kb_id) if span.kb_id else None
    return one_line(entry.name if entry is not None else span.text) or span.kb_id or ""


def annotation_conf(labels: Iterable[str], types: Iterable[RelationType]) -> str:
    """brat's ``annotation.conf`` for these labels and relation types (those it can name)."""
    names = [n for n in labels if BRAT_NAME.fullmatch(n)]
    rows = []
    for kind in types:
        heads = [n for n in kind.head_labels if n in names]
        tails = [n for n in kind.tail_labels if n in names]
        if BRAT_NAME.fullmatch(kind.name) and heads and tails:
            special = ", <REL-TYPE>:symmetric" if kind.symmetric else ""
            rows.append(f"{kind.name}\tArg1:{'|'.join(heads)}, Arg2:{'|'.join(tails)}{special}")
    return ("# Written by Assay from the project's scheme.\n[entities]\n"
            + "".join(f"{n}\n" for n in names)
            + "\n[relations]\n" + "".join(f"{row}\n" for row in rows)
            + "\n[events]\n\n[attributes]\n")


def visual_conf(labels: Iterable[tuple[str, str]], types: Iterable[RelationType]) -> str:
    """brat's ``visual.conf``: each label's and relation type's colour."""
    rows = [f"{n}\tbgColor:{c}" for n, c in labels if BRAT_NAME.fullmatch(n)]
    rows += [f"{t.name}\tcolor:{t.color}" for t in types if BRAT_NAME.fullmatch(t.name)]
    return "[labels]\n\n[drawing]\n" + "".join(f"{row}\n" for row in rows)


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    """The collection as one zip in ``paths[0]``, its folder named after the file."""
    folder = sink.paths[0].name.removesuffix(".partial").removesuffix(".zip") or "brat"
    types = {t.name: t for t in sink.relation_types}
    bad_labels: dict[str, None] = {}
    bad_types: dict[str, None] = {}
    with zipfile.ZipFile(sink.paths[0], "w", zipfile.ZIP_DEFLATED) as archive:
        for rec in records:
            bad_labels.update(dict.fromkeys(
                s.label for s in rec.spans if not BRAT_NAME.fullmatch(s.label)))
            bad_types.update(dict.fromkeys(
                r.type for r in rec.relations if not BRAT_NAME.fullmatch(r.type)))
            if bad_labels or bad_types:
                continue  # refused below, once every name is known
            name = f"{folder}/{document_name(rec)}"
            archive.writestr(f"{name}.txt", rec.article.text)
            archive.writestr(f"{name}.ann", ann(rec, types, sink.linker))
        if bad_labels:
            raise _refused("label", list(bad_labels))
        if bad_types:
            raise _refused("relation type", list(bad_types))
        archive.writestr(f"{folder}/annotation.conf",
                         annotation_conf((n for n, _c in sink.labels), types.values()))
        archive.writestr(f"{folder}/visual.conf", visual_conf(sink.labels, types.values()))


EXPORT = ExportFormat("brat", "brat standoff (zip)", ".zip", write,
                      ".txt and .ann per article (entities, relations, kb links) and "
                      "annotation.conf", text_file=False, relations=True)
