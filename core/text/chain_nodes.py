"""Who a relation's end is on the map: one node per country, organisation or mineral.

A node's key is ``kind:ident``. A place whose id is an ISO 3166 code (a country, or a
province, which counts as its country: ``core.text.kb_ids.country_of``) is
``country:CHN``; any other end is its label's kind and its kb id (``mineral:lithium``,
``organisation:org:lynas``), else its normalised name after ``~``
(``organisation:~lynas rare earths``), so two spellings that differ only in case or spacing
are one node and a linked name merges with its id's other names.
"""

from __future__ import annotations

from core.text.kb_ids import country_of

# The kinds of node, by label; any other label is its own kind, in lower case.
KIND_OF_LABEL = {"MINERAL": "mineral", "ORG": "organisation", "GPE": "place", "NORP": "place",
                 "LOC": "place"}
COUNTRY = "country"
MINERAL = "mineral"


def normalised_name(text: str) -> str:
    """One spacing, no case, no leading "the": "The  U.S." and "the u.s." are one name."""
    name = " ".join(text.split()).casefold()
    return name[4:] if name.startswith("the ") and len(name) > 4 else name


def node_key(label: str, kb_id: str | None, text: str) -> str:
    """The node a span stands for (see the module)."""
    country = country_of(kb_id) if label in ("GPE", "NORP", "LOC") else None
    if country:
        return f"{COUNTRY}:{country}"
    kind = KIND_OF_LABEL.get(label, label.lower())
    return f"{kind}:{kb_id}" if kb_id else f"{kind}:~{normalised_name(text)}"


def node_kind(key: str) -> str:
    """``country``, ``mineral``, ``organisation``, ``place`` or a custom label's kind."""
    return key.split(":", 1)[0]


def node_ident(key: str) -> str:
    """The id (``CHN``, ``lithium``) or ``~name`` part of a key."""
    return key.split(":", 1)[1] if ":" in key else key


def is_named(key: str) -> bool:
    """A node known only by its name (no id)."""
    return node_ident(key).startswith("~")
