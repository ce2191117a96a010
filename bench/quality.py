"""How good the suggestions are: the default pipeline scored against a gold set, per label.

``python -m bench.quality GOLD.jsonl [GOLD.jsonl …]`` reads gold articles in Assay JSONL
(``text`` and ``spans``, as ``assay-cli export -f assay`` writes them: the accepted spans of
approved articles), pre-annotates their texts with the default pipeline, and prints
precision, recall and F1 per label and micro-averaged, for exact ``(start, end, label)``
matches: the match a reviewer needs, since a suggestion one token off is a correction.
The counting is the agreement module's (``core.metrics.f1_exact``): the pipeline
is scored the way a second reviewer would be.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.metrics import Span3
from core.nlp.evaluate import Predict, predict_with, score, table

__all__ = ["Passage", "read_gold", "read_marked", "score", "table", "default_predict"]


# Marked-up gold (bench/gold/*.gold): passages that start with a line "=== <id> | <source>",
# entities written in place as "[Albemarle Corporation]{ORG}". Easier to write, read and
# review than offsets; read_marked turns it into the same (text, spans).
_PASSAGE = re.compile(r"^=== (?P<id>[^|\n]+?) \| (?P<source>[^\n]+)$", re.M)
_MARK = re.compile(r"\[(?P<text>[^\[\]{}]+)\]\{(?P<label>[A-Z_]+)(?:=(?P<tag>\w+))?\}")
# Relation gold (bench/gold/relations.gold): an entity that is a relation's end carries a
# tag, "[China]{GPE=cn}", and the passage ends with lines "~ cn PROCESSES ree" (head tag,
# type, tail tag) that are not part of its text.
_RELATION_LINE = re.compile(r"^~ (?P<head>\w+) (?P<type>[A-Z_]+) (?P<tail>\w+)[ \t]*$", re.M)
# A gold relation: head (start, end), type, tail (start, end), in character offsets.
GoldRelation = tuple[int, int, str, int, int]


@dataclass(frozen=True)
class Passage:
    """One gold passage: its id, where its text comes from, the text and its spans."""

    id: str
    source: str
    text: str
    spans: list[Span3]
    relations: list[GoldRelation] = field(default_factory=list)


def read_marked(path: Path) -> list[Passage]:
    """The passages of a marked-up gold file; a stray bracket or brace refuses the file."""
    raw = path.read_text(encoding="utf-8")
    heads = list(_PASSAGE.finditer(raw))
    if not heads or raw[: heads[0].start()].strip():
        raise ValueError(f"{path}: must start with a line '=== <id> | <source>'")
    passages = []
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = raw[head.end() : nxt.start() if nxt else len(raw)].strip()
        wanted = [(m["head"], m["type"], m["tail"]) for m in _RELATION_LINE.finditer(body)]
        body = _RELATION_LINE.sub("", body).strip()
        text, spans, at = [], [], 0
        tags: dict[str, tuple[int, int]] = {}
        length = 0
        for mark in _MARK.finditer(body):
            plain = body[at : mark.start()]
            text.append(plain)
            length += len(plain)
            name = mark["text"]
            if name != name.strip():
                raise ValueError(f"{path}: {head['id']}: span {name!r} has spaces at its edge")
            spans.append((length, length + len(name), mark["label"]))
            if mark["tag"]:
                if mark["tag"] in tags:
                    raise ValueError(f"{path}: {head['id']}: tag {mark['tag']!r} used twice")
                tags[mark["tag"]] = (length, length + len(name))
            text.append(name)
            length += len(name)
            at = mark.end()
        text.append(body[at:])
        joined = "".join(text)
        stray = re.search(r"\]\{", joined)
        if stray:
            near = joined[max(0, stray.start() - 30) : stray.end() + 10]
            raise ValueError(f"{path}: {head['id']}: broken mark near {near!r}")
        relations = []
        for head_tag, kind, tail_tag in wanted:
            for tag in (head_tag, tail_tag):
                if tag not in tags:
                    raise ValueError(f"{path}: {head['id']}: no entity tagged {tag!r}")
            relations.append((*tags[head_tag], kind, *tags[tail_tag]))
        passages.append(Passage(head["id"].strip(), head["source"].strip(), joined, spans,
                                relations))
    return passages


def read_gold(paths: Sequence[Path]) -> list[tuple[str, list[Span3]]]:
    """``(text, spans)`` of every gold article, from Assay JSONL or marked-up ``.gold``
    files; spans that do not fit their text refuse the file (a scorer must not quietly
    score against a broken gold set)."""
    gold = []
    for path in paths:
        if path.suffix == ".gold":
            gold += [(p.text, sorted(p.spans)) for p in read_marked(path)]
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            text = record["text"]
            spans = []
            for s in record.get("spans", []):
                start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
                if not 0 <= start < end <= len(text):
                    raise ValueError(f"{path}:{n}: span [{start}, {end}) does not fit")
                if "text" in s and text[start:end] != s["text"]:
                    raise ValueError(f"{path}:{n}: span [{start}, {end}) is "
                                     f"{text[start:end]!r}, not {s['text']!r}")
                spans.append((start, end, label))
            gold.append((text, sorted(spans)))
    return gold


def default_predict() -> Predict:
    """The shipped pre-annotation pipeline, as ``predict``."""
    from core.nlp.pipeline import load_annotator

    return predict_with(load_annotator())


def check(paths: Sequence[Path]) -> str:
    """What a gold set holds, per label, after reading it as the scorer does (so a broken
    mark fails here first): the count a gold writer checks against the label targets."""
    gold = read_gold(paths)
    per_label: dict[str, int] = {}
    for _text, spans in gold:
        for _s, _e, label in spans:
            per_label[label] = per_label.get(label, 0) + 1
    words = sum(len(text.split()) for text, _ in gold)
    lines = [f"{len(gold)} passages, {words} words, {sum(per_label.values())} entities"]
    lines += [f"  {label:<8} {n}" for label, n in sorted(per_label.items())]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--check":
        print(check([Path(a) for a in args[1:]]))
        return 0
    paths = [Path(a) for a in args]
    if not paths:
        print("usage: python -m bench.quality [--check] GOLD.gold|GOLD.jsonl …", file=sys.stderr)
        return 2
    print(table(score(read_gold(paths), default_predict())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
