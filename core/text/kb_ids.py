"""Canonical ids as strings: what one may look like, which labels share a set of them, and
which country an ISO 3166 id is in.

These are rules about the ids themselves, not about finding them in text: the store
checks every id it writes against ``is_usable_kb_id``, keeps its statistics by a place's
country (``country_of``) and finds a country's provinces by their prefix
(``subdivision_prefix``); the linker (``core.nlp.linking``), the facts rule, the CLI and
the window read the same functions. They live at the bottom so that all of those can.

A GPE or NORP span links to an ISO 3166 code: ``USA`` (alpha-3) for a country or its
people, ``CD-LU`` (3166-2) for a province or state, whose country is ``COD``.
"""

from __future__ import annotations

import functools
import re

# Labels whose ids are ISO 3166 codes share one set of entries.
COUNTRY_LABELS = frozenset({"GPE", "NORP"})
COUNTRY_FAMILY = "COUNTRY"

# A canonical id: letters, digits and ``: . _ / -``, starting with a letter or digit. No
# spaces, newlines or markup, so an id is safe in a CSV cell, a tooltip or a file name.
_USABLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._/-]*")
KB_ID_RULE = "use letters, digits and : . _ / - (for example org:lithium-americas)"


def is_usable_kb_id(kb_id: str) -> bool:
    """The one rule for ids, whether a reviewer types them or a file brings them."""
    return bool(_USABLE_ID.fullmatch(kb_id))


def family(label: str) -> str:
    """The set of ids a label links into (GPE and NORP share the countries)."""
    return COUNTRY_FAMILY if label in COUNTRY_LABELS else label


@functools.lru_cache(maxsize=4096)  # asked for every place span the statistics count
def country_of(kb_id: str | None) -> str | None:
    """The ISO alpha-3 country of a country id (``USA``) or a subdivision id (``US-NV``)."""
    if not kb_id:
        return None
    if re.fullmatch(r"[A-Z]{3}", kb_id):
        return kb_id
    match = re.fullmatch(r"([A-Z]{2})-[A-Z0-9]{1,3}", kb_id)
    if match:
        import pycountry

        country = pycountry.countries.get(alpha_2=match.group(1))
        return country.alpha_3 if country else None
    return None


def subdivision_prefix(country: str) -> str | None:
    """``CD-`` for ``COD``: how the ISO 3166-2 ids of a country's provinces begin (the
    inverse of ``country_of``, so a query about a country finds its provinces too)."""
    if not re.fullmatch(r"[A-Z]{3}", country):
        return None
    import pycountry

    found = pycountry.countries.get(alpha_3=country)
    return f"{found.alpha_2}-" if found else None
