"""The words the name patterns read (``core.nlp.patterns``): the heads that say what a name
is (a law, an event, an organisation), titles and departments before a person, particles
inside a name, and the words a name never starts with. Kept apart from the matching code so
each list is written once and the span rules (``core.nlp.pipeline``) can read the same ones.
"""

from __future__ import annotations

from core.nlp.gazetteers import LEGAL_SUFFIXES

LAW_HEADS = frozenset(
    {
        "Act", "Acts", "Bill", "Law", "Laws", "Code", "Regulation", "Regulations", "Directive",
        "Decree", "Order", "Strategy", "Initiative", "Programme", "Program", "Plan", "Framework",
        "Agreement", "Agreements", "Accord", "Accords", "Treaty", "Pact", "Compact", "Charter",
        "Policy", "Mission", "Roadmap", "Guidance", "Guidelines", "Principles", "Fund",
        "Facility", "Scheme", "Credit", "Incentive", "Regime", "Partnership", "Deal", "Reserve",
        "Grants", "Mechanism", "Platform", "Standard", "Protocol", "Vision",
    }
)
LAW_HEAD_FIRST = frozenset({"Law", "Regulation", "Regulations", "Decree", "Act", "Framework",
                            "Code"})
EVENT_HEADS = frozenset(
    {
        "Summit", "Conference", "Forum", "Ministerial", "Dialogue", "Meeting", "Meetings", "Week",
        "Indaba", "Roundtable", "Convention", "Session", "Congress", "Expo", "Messe",
        "Symposium", "Exhibition",
    }
)
# Landforms that end a place's name: a non-political place (LOC).
LOC_HEADS = frozenset({"Valley", "Lake", "Lakes", "Basin", "Desert", "Plateau", "Formation",
                       "Mountains", "Peninsula", "Corridor"})
ORG_HEAD_FIRST = frozenset(
    {
        "Government", "Ministry", "Department", "Office", "Bureau", "Agency", "Commission",
        "Council", "Authority", "Administration", "Secretariat", "Directorate", "Institute",
        "University", "Bank", "Chamber", "Association", "Parliament", "Senate",
    }
)
# ISO 4217 codes written before an amount ("SAR 2 billion"); also used by the pipeline to
# join a code to a model MONEY span.
CURRENCY_CODES = frozenset(
    {"USD", "EUR", "GBP", "JPY", "CNY", "RMB", "AUD", "CAD", "CHF", "SEK", "NOK", "DKK", "KRW",
     "INR", "IDR", "MYR", "PHP", "VND", "THB", "SGD", "HKD", "TWD", "BRL", "MXN", "ARS", "CLP",
     "PEN", "ZAR", "ZMW", "ZWL", "NAD", "MAD", "EGP", "NGN", "KES", "SAR", "AED", "QAR", "KZT",
     "UZS", "RUB", "TRY", "PLN", "HUF", "CZK", "RON", "RSD", "UAH", "NZD", "MNT"}
)
# Ordinal words before an event name are part of it ("the second EU-Central Asia Summit").
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                 "ninth", "tenth", "eleventh", "twelfth", "inaugural")
# Event heads that take an "of" tail ("31st Session of the International Seabed Authority").
EVENT_OF_HEADS = frozenset({"Session", "Sessions"})
# Legal forms after a company name: the gazetteer's list and a few more ("Ltda.", "JSC").
COMPANY_SUFFIXES = LEGAL_SUFFIXES | frozenset(
    {
        "Ltda.", "Ltda", "SARL", "S.A.R.L.", "S.A.S.", "SAS", "JSC", "PJSC", "OJSC", "LLP",
        "L.P.", "LP", "d.o.o.", "K.K.", "Pty.", "S.R.L.", "Srl", "S.L.", "A/S", "AS", "Oy",
        "KGaA", "Sdn", "Tbk.", "Corporation",
    }
)
ORG_HEADS = frozenset(
    {
        "Government", "Laboratory", "University", "Institute", "Association", "Chamber",
        "Ministry", "Department", "Agency", "Authority", "Commission",
    }
) | COMPANY_SUFFIXES
# Words of a short company name stop at the first of these ("Perpetua Resources Corp." is
# "Perpetua" for short): a name with a legal suffix defines its short name (rule 6).
COMPANY_DESCRIPTORS = frozenset(
    {
        "Resources", "Mining", "Minerals", "Metals", "Materials", "Battery", "Batteries",
        "Energy", "Group", "Holdings", "Holding", "Exploration", "Technologies", "Technology",
        "Industries", "Industrial", "International", "Global", "Corporation", "Company",
        "Rare", "Lithium", "Nickel", "Cobalt", "Graphite", "Copper", "Gold", "Uranium",
        "Chemicals", "Chemical", "Refining", "Partners", "Capital", "Ventures", "Solutions",
        "Mines", "Minerales", "Mineração", "Mineracao", "Advanced", "New", "Critical",
    }
)
# Words that introduce a person and are not part of the PERSON span (label guide).
TITLES: frozenset[str] = frozenset(
    {
        "Secretary", "President", "Minister", "Senator", "Sen.", "Rep.", "Representative",
        "Chairman", "Chairwoman", "Chair", "Chairperson", "CEO", "CFO", "COO", "Director",
        "Treasurer", "Governor", "Premier", "Commissioner", "Ambassador", "Administrator",
        "Chancellor", "Mayor", "Spokesperson", "Spokesman", "Spokeswoman", "Hon", "Hon.",
        "Honourable", "Honorable", "Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Mrs", "Dr.", "Dr", "Sir",
        "Dame", "Prof.", "Professor", "Sheikh", "Chief",
    }
)
# Words that may stand inside a title ("Deputy Prime Minister", "Executive Vice-President")
# but do not start one.
TITLE_WORDS = TITLES | frozenset(
    {
        "Prime", "Vice", "Assistant", "Associate", "Senior", "Chief", "Managing", "Deputy",
        "Union", "State", "Principal", "Acting", "Interim", "Permanent", "Under", "-",
        "Executive", "Officer", "General", "Operating", "Financial", "Technical", "Commercial",
    }
)
# The department in "Minister of Energy and Mines Phoxay Sayasone" is not the person.
DEPARTMENT_WORDS = frozenset(
    {
        "Energy", "Mines", "Mining", "Minerals", "Mineral", "Resources", "Industry", "Trade",
        "Economy", "Finance", "Affairs", "Development", "Commerce", "Defense", "Defence",
        "Transition", "Environment", "Investment", "Foreign", "Interior", "Treasury", "Coal",
        "Petroleum", "Infrastructure", "State", "Planning", "Technology", "Science",
        "Innovation", "Sustainable", "Agriculture", "Transport", "Labour", "Labor", "Climate",
    }
)
NAME_INFIXES = frozenset({"von", "van", "der", "de", "da", "bin", "binti", "al", "el", "le",
                          "la", "du", "dos", "-"})
# Honours after a name ("Jim Chalmers MP"): cut off the model's PERSON spans too.
POST_NOMINALS = frozenset({"MP", "MEP", "MLA", "MPP", "AO", "AC", "KC", "QC", "OBE", "CBE"})
# Capitalised words that begin a sentence or heading and are not the start of a name.
NOT_NAME_START = frozenset(
    {
        "The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "Our", "His", "Her",
        "Under", "In", "On", "At", "By", "For", "From", "With", "Through", "Via", "After",
        "Before", "During", "As", "And", "Or", "But", "If", "When", "While", "Of",
        "To", "Both", "Each", "Every", "All", "Any", "Some", "Such", "Why", "How", "What",
        "About", "Into", "Since", "Until", "Also", "Meanwhile", "However", "Separately",
    }
)
PARTICLES = ("of", "and", "for", "on", "the", "de", "del", "des", "du", "da", "do", "dos",
             "das", "la", "le", "y", "e", "und", "in", "to", "&")
JOIN_MARKS = ("-", "–", "—", "'", "’", "(", ")", "+", "/")
MONTHS_DAYS = frozenset(
    {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday",
    }
)
SENTENCE_END = frozenset({".", "!", "?", ":", ";", '"', "“", "”", "—", "–"})
# Words that lead into a name without being part of it, at a span's start: "According to
# the International Energy Agency", "Members of Congress", "Rivals Ganfeng Lithium Co., Ltd."
# (compared lower-case; a "the" after them goes too).
LEADING_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "according to", "members of", "member of", "shares of", "officials from",
        "officials of", "officials at", "representatives of", "representatives from",
        "delegates from", "delegations from", "leaders of", "executives from", "executives of",
        "executives at", "staff at", "staff of", "rivals", "rival", "peers", "including",
        "such as", "led by", "backed by", "owned by", "thanks to", "like", "unlike", "via",
    )
)
