"""CoNLL-2003 IOB2: ``token TAG`` lines, a blank line after each sentence, and
``-DOCSTART- -X- O O`` before each article (spaCy's converter splits documents there).

Sentences are ``core.text.sentences``' (the splitter claims use); a line break always
ends one. A sentence never ends inside an entity. Space tokens are not written, so a
span that begins or ends with a space cannot be held and is refused. Columns are
separated by whitespace, so a label with a space (``TRADE FLOW``) would make a line of
three columns that spaCy's converter cuts and seqeval rejects: such a label is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.token_docs import docs
from core.models import Reviewed
from core.text.sentences import sentence_bounds

DOCSTART = "-DOCSTART- -X- O O"  # what spacy convert's CoNLL reader splits documents on


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for rec, doc, pairs in docs(records):
        tags = ["O"] * len(doc)
        for ent, _s in pairs:
            tags[ent.start] = f"B-{ent.label_}"
            for i in range(ent.start + 1, ent.end):
                tags[i] = f"I-{ent.label_}"
        sentence_starts = {start for start, _end in sentence_bounds(rec.article.text)}
        fh.write(DOCSTART + "\n\n")
        sentence: list[str] = []
        for tok, tag in zip(doc, tags, strict=True):
            inside = tag.startswith("I-")
            if tok.is_space:
                if "\n" in tok.text and not inside and sentence:
                    fh.write("\n".join(sentence) + "\n\n")
                    sentence = []
                continue
            if tok.idx in sentence_starts and not inside and sentence:
                fh.write("\n".join(sentence) + "\n\n")
                sentence = []
            sentence.append(f"{tok.text} {tag}")
        if sentence:
            fh.write("\n".join(sentence) + "\n\n")


EXPORT = ExportFormat("conll", "CoNLL-2003 IOB", ".conll", write,
                      "token and IOB2 tag a line, sentences and documents separated",
                      tokens=True, spaces_in_spans=False, spaces_in_labels=False)
