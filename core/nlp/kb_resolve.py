"""Canonical ids as people type and read them: what typed text means, which label's list
names an id, and which labels link into an entry's family.

``core.nlp.linking`` holds the lists and looks names up; these are the rules the link
field (L), the New… entry dialog, "link the other mentions", the "Across the corpus"
heading and ``assay-cli claims --about`` share, so that each front end reads an id the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from core.errors import AssayError
from core.models import KbEntry, KbFound
from core.nlp.linking import SEPARATOR, country_of, family, is_usable_kb_id


class Lookup(Protocol):
    """What resolving needs of a linker (``core.nlp.linking.Linker`` and the store's
    ``core.store.rules.Linker`` both offer it)."""

    def link(self, label: str, text: str, *, guess: bool = True) -> str | None: ...

    def entry(self, label: str, kb_id: str) -> KbEntry | None: ...

    def search(self, label: str, typed: str) -> list[KbFound]: ...

# The prefix a new id of a label gets (countries have ISO codes and need none).
ID_PREFIXES = {"MINERAL": "mineral:", "ORG": "org:", "LOC": "region:"}
# Which label's list names an id with a prefix; an id without a known prefix (a
# project's own, such as "acme") is looked up as an organisation.
_LABEL_OF_PREFIX = {prefix.rstrip(":"): label for label, prefix in ID_PREFIXES.items()}
DEFAULT_NAMING_LABEL = "ORG"
# Where ``resolve_term`` looks a name up when no label is given.
NAME_LABELS = ("GPE", "MINERAL", "ORG")


def naming_label(kb_id: str) -> str:
    """The label whose list names ``kb_id``: GPE for an ISO country or subdivision code
    (``USA``, ``CD-LU``), else the label of its prefix (``mineral:ree`` → MINERAL), else
    ORG."""
    if country_of(kb_id):
        return "GPE"
    return _LABEL_OF_PREFIX.get(kb_id.split(":")[0], DEFAULT_NAMING_LABEL)


def labels_of_family(labels: Iterable[str], fam: str) -> set[str]:
    """The labels among ``labels`` that link into the family ``fam`` (a ``KbEntry.label``):
    an entry for countries is linked from GPE and NORP spans alike."""
    return {label for label in labels if family(label) == fam}


def new_id(label: str, text: str) -> str:
    """The id offered for a new entry named ``text``: the label's prefix and a slug
    (``Lithium Americas`` as ORG → ``org:lithium-americas``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return ID_PREFIXES.get(label, "") + slug


def resolve_typed(linker: Lookup, label: str, typed: str) -> str | None:
    """The link field (L): the id that text typed for a span of ``label`` means.

    An id of the label's list, a completer line (``USA — United States``), or a name the
    list knows (an ambiguous one too: the reviewer typed it and means the listed one).
    Empty text unlinks (None). Anything else is refused (``AssayError``), so that a typo
    never becomes an id: the reviewer adds an entry first.
    """
    typed = typed.strip()
    if not typed:
        return None
    kb_id = typed.split(SEPARATOR, 1)[0].strip()
    if linker.entry(label, kb_id) is not None:
        return kb_id
    by_name = linker.link(label, typed, guess=False)
    if by_name is None:
        nearest = did_you_mean(linker, [label], typed)
        raise AssayError(f"No {label} entry matches {typed!r}.{nearest} Choose one from the "
                         "list, or add one with New….")
    return by_name


def did_you_mean(linker: Lookup, labels: Iterable[str], typed: str, most: int = 3) -> str:
    """" Did you mean CN-NM (Inner Mongolia)?": the best entries the link field's search
    finds for ``typed`` in the lists of ``labels``, or "" when it finds none."""
    found = [f for label in labels for f in linker.search(label, typed)[:most]][:most]
    if not found:
        return ""
    named = [f"{f.entry.id} ({f.also or f.entry.short_name()})" for f in found]
    return f" Did you mean {', '.join(named[:-1]) + ' or ' if len(named) > 1 else ''}{named[-1]}?"


def resolve_term(linker: Lookup, term: str) -> str:
    """``assay-cli claims --about``: an id as given (``USA``, ``CD-LU``,
    ``mineral:lithium``), else the id a name links to ("lithium", "Chile") in the
    countries, minerals or organisations, else a project's own id as given. Anything
    else is refused (``AssayError``)."""
    term = term.strip()
    if ":" in term or country_of(term):
        return term
    for label in NAME_LABELS:
        linked = linker.link(label, term)
        if linked:
            return linked
    if is_usable_kb_id(term):
        return term
    raise AssayError(f"{term!r} is neither an id (USA, mineral:lithium) nor a name Assay "
                     f"links to one.{did_you_mean(linker, NAME_LABELS, term)}")
