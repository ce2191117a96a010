"""The store applies the language rules it is handed (``core.store.rules``), never its own:
a project opened with other rules links, suggests and counts by those, and one opened
without any is refused before anything is read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pytest

from core.models import ArticleIn, KbEntry, Span
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.rules import Figure, ProjectRules
from core.text.sentences import SentenceIndex

TEXT = "Chile sells lithium. Its output rose 30% in 2024."


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    reason: str


class HandedFact(NamedTuple):
    start: int
    end: int
    country: Span
    mineral: Span

    @property
    def country_id(self) -> str:
        return "XYZ"


class HandedLinker:
    """Links every name to ``handed:<text>``, whatever its label."""

    def __init__(self, entries: Sequence[KbEntry]) -> None:
        self.entries = list(entries)

    def link(self, label: str, text: str, *, guess: bool = True) -> str | None:
        return f"handed:{text.lower()}"

    def choices(self, label: str) -> list[KbEntry]:
        return self.entries

    def entry(self, label: str, kb_id: str) -> KbEntry | None:
        return None

    def describe(self, label: str, kb_id: str) -> str:
        return kb_id


class HandedRules:
    """Rules unlike the app's in every respect, so the store's results show whose it used."""

    figure_labels: tuple[str, ...] = ("MONEY",)

    def linker(self, entries: Sequence[KbEntry]) -> HandedLinker:
        return HandedLinker(entries)

    def claim_candidates(self, text: str, spans: Iterable[tuple[int, int, str]]
                         ) -> list[Passage]:
        return [Passage(0, 5, "handed in")]

    def facts(self, text: str, spans: Iterable[Span], index: SentenceIndex | None = None
              ) -> Iterator[HandedFact]:
        spans = list(spans)
        if spans:
            yield HandedFact(0, len(text), spans[0], spans[0]._replace(kb_id="mineral:handed"))

    def figures_in(self, text: str, start: int, end: int,
                   spans: Iterable[tuple[int, int, str]]) -> list[Figure]:
        return []

    def compare(self, figure: object, reference: Sequence[object]) -> str:
        return ""


def members(protocol: type) -> set[str]:
    return {name for name in vars(protocol) if not name.startswith("_")}


def test_the_apps_rules_and_the_handed_ones_have_what_the_store_asks_for():
    asked = members(ProjectRules)
    assert asked == {"figure_labels", "linker", "claim_candidates", "facts", "figures_in",
                     "compare"}
    for rules in (store_rules(), HandedRules()):
        assert all(callable(getattr(rules, name)) for name in asked - {"figure_labels"})
    assert store_rules() is store_rules()  # one object, composed once


def test_a_project_needs_its_rules_handed_in(tmp_path):
    path = tmp_path / "p.assay"
    with pytest.raises(TypeError, match="rules"):
        Project.create(path)  # type: ignore[call-arg]
    assert not path.exists()
    Project.create(path, rules=store_rules()).close()
    with pytest.raises(TypeError, match="rules"):
        Project.open(path)  # type: ignore[call-arg]


@pytest.mark.parametrize("handed", [False, True])
def test_the_store_links_suggests_and_counts_by_the_rules_it_was_handed(tmp_path, handed):
    rules: ProjectRules = HandedRules() if handed else store_rules()
    with Project.create(tmp_path / "p.assay", rules=rules) as project:
        assert project.rules is rules
        project.add_articles([ArticleIn(text=TEXT)])
        chile = project.add_span(1, 0, 5, "GPE", "ana")
        project.add_span(1, 12, 19, "MINERAL", "ana")
        claims = project.suggest_claims(1, "ana")
        project.approve_article(1, "ana")
        cells = project.statistics.country_minerals().cells
        sentences = project.statistics.cell_sentences(*next(iter(cells)))
    if handed:
        assert chile.kb_id == "handed:chile"
        assert [(c.start, c.end, c.reason) for c in claims] == [(0, 5, "handed in")]
        assert cells == {("XYZ", "mineral:handed"): 1}
        assert [s.text for s in sentences] == [TEXT]
    else:  # the app's: the gazetteers, the sentences stating a figure, the facts rule
        assert chile.kb_id == "CHL"
        assert [(TEXT[c.start:c.end], c.reason) for c in claims] == [
            ("Its output rose 30% in 2024.", "quantity: 30%")]
        assert cells == {("CHL", "mineral:lithium"): 1}
        assert [s.text for s in sentences] == ["Chile sells lithium."]


def test_a_reopened_project_takes_the_rules_it_is_handed_now(tmp_path):
    """Rules are not stored in the file: each open says which apply."""
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT)])
    with Project.open(path, rules=HandedRules()) as project:
        assert project.add_span(1, 0, 5, "GPE", "ana").kb_id == "handed:chile"
    with Project.open_for_reading(path, rules=store_rules()) as project:
        assert project.link("GPE", "Chile") == "CHL"
