"""The word tables and label sets the span rules read, in one place.

Why a module of its own: the same lists are read by span hygiene (``cleanup``), amounts
(``numbers``), names (``names``), the conflict rule (``conflicts``), the alias rule
(``aliases``) and the component, and a reviewer who finds a word in the wrong list should
have one file to change. Name lists that are patterns of their own (titles, legal
suffixes, law and event heads) stay in ``core.nlp.patterns``, which the patterns share.
"""

from __future__ import annotations

import re

from core.nlp.name_words import COMPANY_SUFFIXES

DEFAULT_LABELS: tuple[str, ...] = (
    "MINERAL", "GPE", "LOC", "NORP", "ORG", "PERSON", "EVENT", "LAW", "MONEY", "PERCENT", "DATE",
)

# Model label -> scheme label where the names differ; every other label keeps its name and is
# dropped if the scheme lacks it (CARDINAL, ORDINAL, QUANTITY, TIME, PRODUCT, WORK_OF_ART,
# LANGUAGE, FAC in the default scheme).
LABEL_MAP: dict[str, str] = {}
NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Dropped by the default scheme, but names: a mineral inside one is not a separate span.
SHADOW_LABELS = frozenset({"FAC", "PRODUCT"})
KEEP_THE = frozenset({"DATE", "TIME"})
THE_IN_NAME = frozenset({"the hague", "the gambia", "the bahamas"})
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
# Lower-case words that may stand inside a proper name ("Bank of America", "Sociedad Química
# y Minera"); any other lower-case word means a model span is not one name (rule 2). Not
# "to": a model span across it is two names glued by a verb's object ("the European Union to
# the Department of State").
NAME_PARTICLES = frozenset(
    {
        "a", "an", "and", "at", "de", "del", "der", "di", "du", "da", "den", "e", "et", "for",
        "in", "la", "le", "les", "of", "on", "the", "van", "von", "y",
    }
)
NAME_LOWER = NAME_PARTICLES | COMPANY_SUFFIXES
# Generic acronyms and words the small model tags as names; compared case-insensitively.
STOPLIST = frozenset(
    s.casefold()
    for s in (
        "EV", "EVs", "BEV", "BEVs", "ESG", "AI", "GDP", "CEO", "CEOs", "CFO", "R&D", "IPO", "ETF",
        "ETFs", "PV", "GHG", "CO2", "LFP", "NMC", "NCM", "OEM", "OEMs", "SOE", "SOEs", "FDI",
        "FTA", "MoU", "NGO", "NGOs", "IoT", "critical minerals", "critical mineral",
        "critical raw materials", "minerals", "allies", "allied",
        # Capitalised back-references and headings: generic, not names.
        "Company", "the Company", "Government", "Administration", "the Administration", "State",
        "Ministry", "Department", "Agency",
        "Commission", "Background", "Highlights", "Outlook", "Contacts", "Quick facts",
        "Media Relations", "Trends", "Operations",
    )
)
# Rates and adjectives the model tags as DATE; not dates (a DATE span that is exactly one).
NOT_DATES = frozenset(
    {
        "annual", "annually", "a year", "per year", "each year", "every year", "a month",
        "per month", "a week", "a day", "per day", "yearly", "quarterly", "monthly", "weekly",
        "daily", "per annum", "all-season", "year-round",
    }
)
# A currency sign before a model MONEY span belongs to it ("$" + "12,180"); so does a price
# unit after it ("$12,180" + "a tonne", "C$1.45" + "per share").
CURRENCY_SIGN = re.compile(r"^(?:[A-Z]{0,3}\$|[€£¥₹]|R\$|US\$|USD|EUR|AUD|CAD)$")
# ISO 4217 codes (``core.nlp.name_words.CURRENCY_CODES``) written before a model MONEY span
# ("SAR" + "2 billion") and currency words written after one ("420 billion" + "won",
# "₹1,400" + "crore") belong to it.
CURRENCY_WORDS = frozenset(
    {"won", "yen", "yuan", "renminbi", "rupees", "rupiah", "crore", "lakh", "rand", "ringgit",
     "pesos", "reais", "euros", "dollars", "kwacha", "dirhams", "riyals", "tenge", "forints",
     "baht", "dong", "rubles", "roubles"}
)
PRICE_UNITS = frozenset(
    {
        "tonne", "ton", "metric ton", "metric tonne", "dry metric tonne unit", "tonne unit",
        "pound", "lb", "kilogram", "kg", "ounce", "oz", "troy ounce", "share", "barrel", "unit",
        "gram", "carat", "MWh", "kWh", "dmtu", "mtu", "wmt", "dmt", "wet tonne", "dry tonne",
        "wet metric tonne", "dry metric tonne",
    }
)
PRICE_UNIT_TOKENS = tuple(sorted((tuple(u.split()) for u in PRICE_UNITS), key=len, reverse=True))
# Chemical words that make a compound of the mineral before them ("NdPr oxide", "lithium
# sulphate"); form words ("concentrate", "ore") and qualifiers stay outside (label guide's gold).
COMPOUND_WORDS = frozenset(
    {"oxide", "oxides", "sulphate", "sulfate", "sulphates", "sulfates", "carbonate",
     "carbonates", "hydroxide", "chloride", "fluoride", "sulphide", "sulfide", "trisulfide",
     "trisulphide", "trioxide", "dioxide", "nitrate", "phosphate", "hexafluoride"}
)
# Countries that are also common personal names: a model PERSON on one keeps its label.
PERSONAL_NAME_PLACES = frozenset({"Jordan", "Chad", "Georgia"})
# Pattern labels that rank above the model whatever their length (conflict rule 0).
STRONG_PATTERN_LABELS = frozenset({"LAW", "EVENT", "PERSON"})
# Lower-case designators after a place are not part of it ("Jiangxi province").
DESIGNATORS = frozenset(
    {"province", "provinces", "state", "region", "county", "district", "department",
     "prefecture", "regency", "municipality", "governorate"}
)
DASHES = frozenset({"–", "—", "-"})
NAME_LABELS_FOR_ALIASES = frozenset({"ORG", "LAW", "EVENT"})
# Hedges before an amount or date are not part of it: "over 70%" -> "70%", "just last week".
APPROXIMATORS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "more than", "less than", "up to", "at least", "over", "under", "about", "around",
        "nearly", "almost", "roughly", "approximately", "some", "just", "only", "above",
        "below", "no more than", "no less than", "an average", "an estimated", "as much as",
        "as many as", "as little as", "as few as", "as high as", "as low as", "upwards of",
        "in excess of", "well over", "close to",
    )
)

YEAR = re.compile(r"(19|20)\d\d")
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})

# Legal forms that end a company name when a capitalised word follows ("... Refining Ltd.
# Business and Trade Secretary ..."); short all-caps forms ("SA", "AS", "AG") and "Co." are
# left out because they also stand inside names.
ENDING_SUFFIXES = frozenset({"Ltd.", "Ltd", "Limited", "Inc.", "Inc", "Corp.", "plc", "PLC",
                              "LLC", "GmbH", "Tbk", "JSC", "S.A.", "N.V.", "Ltda.", "Berhad"})
