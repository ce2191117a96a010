"""Domain gazetteers: minerals, countries, demonyms, regions and organisations with canonical ids.

The lists live as plain text in ``resources/gazetteers/`` (see the README there) so that a
domain expert can extend them without touching code, and so that a change to the lists is
visible in review as a change of data. This module only reads them; matching them against
text is ``core.nlp.pipeline``'s job.

File format (``*.tsv``): ``#`` starts a comment; a leading ``# label: GPE`` line names the
label of every entry in the file and ``# include: pycountry`` adds the ISO 3166 country names
that the ``pycountry`` package ships; ``# context: after-place`` makes the file's aliases match
only right after a capitalised word and a comma ("Mountain Pass, CA"). Every other line is
``<canonical id><TAB><alias>; <alias>; ...``. An alias written in lower case matches in any
case ("lithium" also finds "Lithium" at the start of a sentence); an alias with a capital letter
matches exactly, so "REE", "US" or "Chad" do not fire on "ree", "us" or "chad". Exact aliases
also match in ALL CAPS (headlines). ``guards.txt`` holds phrases such as "lithium-ion" that
contain an alias but are not entities.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.errors import AssayError
from core.resources import resource_path

GUARDS_FILE = "guards.txt"
# The ``# context:`` directive's one value: match only after a capitalised word and a comma.
AFTER_PLACE = "after-place"

# Tokens that may follow an organisation's name and belong to it ("Lynas Rare Earths Ltd.").
LEGAL_SUFFIXES = frozenset(
    {
        "Ltd.", "Ltd", "Limited", "Inc.", "Inc", "Corp.", "Corp", "Corporation", "plc", "PLC",
        "Plc", "S.A.", "SA", "AG", "N.V.", "NV", "LLC", "L.L.C.", "Co.", "Pty", "Pte", "GmbH",
        "SE", "ASA", "AB", "Oyj", "Bhd", "Berhad", "S.p.A.", "SpA", "S.A.B.", "Tbk",
    }
)

# Short exact aliases are not upper-cased for headlines: "Lao" -> "LAO" is noise.
_MIN_UPPER_VARIANT = 4


class GazetteerError(AssayError):
    """A gazetteer file is malformed or contradicts another one."""


@dataclass(frozen=True)
class Alias:
    """One surface form of a named thing."""

    text: str
    label: str
    kb_id: str
    exact: bool  # match case-sensitively; False means any case
    # "" everywhere; AFTER_PLACE only right after "Place," ("Mountain Pass, CA"), for codes
    # that are also words or acronyms on their own ("IN", "OR", "CO").
    context: str = ""


@dataclass(frozen=True)
class Gazetteer:
    """All aliases and guard phrases of one gazetteer folder."""

    aliases: tuple[Alias, ...]
    guards: tuple[Alias, ...]  # label "" and kb_id ""
    version: str  # short hash of the files (and pycountry's version) for provenance


def gazetteer_dir() -> Path:
    """The bundled gazetteer folder (works from a checkout and from a PyInstaller bundle)."""
    return resource_path("gazetteers")


def is_exact(alias: str) -> bool:
    """An alias with any upper-case letter is matched case-sensitively."""
    return alias != alias.lower()


def _key(alias: str) -> tuple[str, bool]:
    exact = is_exact(alias)
    return (alias if exact else alias.lower()), exact


def _read_tsv(path: Path) -> tuple[dict[str, str], list[tuple[int, str, list[str]]]]:
    """Directives of the leading comment block, and (line number, id, aliases) rows."""
    directives: dict[str, str] = {}
    rows: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            name, sep, value = line[1:].partition(":")
            if sep and not rows and name.strip() in ("label", "include", "context"):
                directives[name.strip()] = value.strip()
            continue
        kb_id, tab, rest = line.partition("\t")
        aliases = [a.strip() for a in rest.split(";") if a.strip()]
        if not tab or not kb_id.strip() or not aliases:
            raise GazetteerError(f"{path.name}:{number}: expected '<id><TAB><alias>; <alias>'")
        rows.append((number, kb_id.strip(), aliases))
    if "label" not in directives:
        raise GazetteerError(f"{path.name}: missing a '# label: <LABEL>' line at the top")
    return directives, rows


def read_names(path: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """A names file in the gazetteers' format (``resources/kb/place_names.tsv``): its label
    and its (id, names) rows."""
    directives, rows = _read_tsv(path)
    return directives["label"], [(kb_id, names) for _number, kb_id, names in rows]


def _pycountry_names() -> list[tuple[str, str]]:
    """(alias, alpha-3) for every ISO 3166-1 name that reads like running text."""
    import pycountry

    names = []
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            # "Korea, Republic of" and "Holy See (Vatican City State)" are catalogue forms.
            if not name or "," in name or "(" in name:
                continue
            if name.lower().startswith("the "):
                name = name[4:]
            names.append((name, country.alpha_3))
    return names


def load_gazetteer(directory: str | Path | None = None) -> Gazetteer:
    """Read every ``*.tsv`` and ``guards.txt`` of ``directory`` (default: the bundled one).

    Explicit entries win over pycountry's names for the same alias (so "Congo" can mean the
    DRC); two files that give one alias different meanings are an error, not a silent choice.
    The result is cached per folder: the files are read once per process.
    """
    return _load(Path(directory).resolve() if directory else gazetteer_dir().resolve())


@lru_cache(maxsize=4)
def _load(directory: Path) -> Gazetteer:
    files = sorted(directory.glob("*.tsv"))
    if not files:
        raise GazetteerError(f"No gazetteer files (*.tsv) in {directory}")
    digest = hashlib.sha256()
    chosen: dict[tuple[str, bool], Alias] = {}
    where: dict[tuple[str, bool], str] = {}
    generated: list[Alias] = []
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        directives, rows = _read_tsv(path)
        label = directives["label"]
        context = directives.get("context", "")
        if context not in ("", AFTER_PLACE):
            raise GazetteerError(f"{path.name}: unknown context {context!r} (only {AFTER_PLACE})")
        for number, kb_id, aliases in rows:
            for text in aliases:
                key = _key(text)
                alias = Alias(text, label, kb_id, key[1], context)
                previous = chosen.get(key)
                if previous and (previous.label, previous.kb_id) != (label, kb_id):
                    raise GazetteerError(
                        f"{path.name}:{number}: '{text}' is already {previous.label} "
                        f"{previous.kb_id} in {where[key]}"
                    )
                chosen[key] = alias
                where[key] = f"{path.name}:{number}"
        if directives.get("include") == "pycountry":
            import pycountry

            digest.update(f"pycountry {getattr(pycountry, '__version__', '')}".encode())
            generated += [Alias(n, label, code, is_exact(n)) for n, code in _pycountry_names()]
    for alias in generated:
        chosen.setdefault(_key(alias.text), alias)
    for alias in list(chosen.values()):
        upper = alias.text.upper()
        if alias.exact and upper != alias.text and len(alias.text) >= _MIN_UPPER_VARIANT:
            chosen.setdefault((upper, True),
                              Alias(upper, alias.label, alias.kb_id, True, alias.context))
    guards: list[Alias] = []
    guard_path = directory / GUARDS_FILE
    if guard_path.exists():
        digest.update(guard_path.read_bytes())
        for line in guard_path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text and not text.startswith("#"):
                guards.append(Alias(text, "", "", is_exact(text)))
    return Gazetteer(tuple(chosen.values()), tuple(guards), digest.hexdigest()[:12])
