"""Claims in core: sentence snapping, suggested claims, verdicts, and their exports."""

from __future__ import annotations

import csv
import json

import pytest

from core.errors import InvalidEdit
from core.formats.export import export
from core.models import ArticleIn, SpanIn
from core.nlp.claim_candidates import candidate_claims
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.sentences import sentence_bounds, snap_to_sentences

# Sentences we wrote for these tests.
TEXT = (
    "Cobalt prices fell 12% in March, traders said.\n"
    "The U.S. Department of Energy met Dr. Ngata in Perth. It was a short visit.\n"
    "Kalgoorlie Nickel Ltd. shipped 40,000 tonnes of nickel last year.\n"
    "Indonesia signed a nickel deal with Tesla on 3 May 2025.\n"
    "Analysts expect more deals."
)


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_bounds(text)]


def test_sentences_split_at_line_breaks_and_full_stops_not_abbreviations():
    assert _sentences(TEXT) == [
        "Cobalt prices fell 12% in March, traders said.",
        "The U.S. Department of Energy met Dr. Ngata in Perth.",
        "It was a short visit.",
        "Kalgoorlie Nickel Ltd. shipped 40,000 tonnes of nickel last year.",
        "Indonesia signed a nickel deal with Tesla on 3 May 2025.",
        "Analysts expect more deals.",
    ]


def test_a_selection_snaps_to_the_sentences_it_touches():
    start = TEXT.index("Ngata")
    s, e = snap_to_sentences(TEXT, start, start + 3)
    assert TEXT[s:e] == "The U.S. Department of Energy met Dr. Ngata in Perth."
    s, e = snap_to_sentences(TEXT, start, TEXT.index("short") + 2)
    assert TEXT[s:e] == ("The U.S. Department of Energy met Dr. Ngata in Perth. "
                         "It was a short visit.")


def _span(text: str, word: str, label: str) -> tuple[int, int, str]:
    start = text.index(word)
    return start, start + len(word), label


def test_candidates_are_sentences_that_state_a_figure():
    spans = [_span(TEXT, "12%", "PERCENT"), _span(TEXT, "Perth", "GPE"),
             _span(TEXT, "Indonesia", "GPE"), _span(TEXT, "3 May 2025", "DATE"),
             _span(TEXT, "Tesla", "ORG")]
    found = {TEXT[c.start:c.end]: c.reason for c in candidate_claims(TEXT, spans)}
    assert found == {
        "Cobalt prices fell 12% in March, traders said.": "PERCENT: 12%",
        "Kalgoorlie Nickel Ltd. shipped 40,000 tonnes of nickel last year.":
            "quantity: 40,000 tonnes",
        "Indonesia signed a nickel deal with Tesla on 3 May 2025.":
            "DATE with an entity: 3 May 2025",
    }
    # A date alone is not a claim; neither is a sentence without figures.
    alone = "It happened on 3 May 2025.\nNothing to see."
    assert candidate_claims(alone, [_span(alone, "3 May 2025", "DATE")]) == []


@pytest.fixture
def claimed(tmp_path):
    proj = Project.create(tmp_path / "claims.assay", rules=store_rules())
    pct = _span(TEXT, "12%", "PERCENT")
    proj.add_articles([ArticleIn(text=TEXT, title="Claims", spans=(
        SpanIn(*pct, origin="model", state="suggested"),
        SpanIn(*_span(TEXT, "Indonesia", "GPE"), origin="model", state="suggested"),
        SpanIn(TEXT.rindex("nickel"), TEXT.rindex("nickel") + 6, "MINERAL", origin="model",
               state="suggested"),
        SpanIn(*_span(TEXT, "Cobalt", "MINERAL"), origin="model", state="suggested"),
    ))])
    yield proj
    proj.close()


def test_suggest_then_accept_dismiss_and_no_resuggestion(claimed):
    made = claimed.suggest_claims(1, "ann")
    assert [c.state for c in made] == ["suggested", "suggested"]
    first, second = made
    before, after = claimed.update_claim(first.id, "ann", verdict="refuted")
    assert (before.state, after.state, after.verdict) == ("suggested", "accepted", "refuted")
    claimed.update_claim(second.id, "ann", state="dismissed")
    # Suggesting again neither repeats the dismissed sentence nor touches the decided one.
    assert claimed.suggest_claims(1, "ann") == []
    assert [(c.id, c.verdict) for c in claimed.claims(1)] == [(first.id, "refuted")]
    assert claimed.open_claims(1) == (0, 0)
    actions = [e["action"] for e in claimed.events(1)]
    assert actions.count("claim.update") == 2 and "claim.suggest" in actions


def test_claim_edits_are_checked_and_undoable_by_their_before_values(claimed):
    s, e = snap_to_sentences(TEXT, TEXT.index("Perth"), TEXT.index("Perth") + 1)
    claim = claimed.add_claim(1, s, e, "ann")
    assert (claim.state, claim.verdict, claim.origin) == ("accepted", "unchecked", "reviewer")
    assert claimed.open_claims(1) == (1, 0)
    with pytest.raises(InvalidEdit, match="overlaps the claim"):
        claimed.add_claim(1, s + 4, e + 10, "ann")
    with pytest.raises(InvalidEdit, match="Unknown verdict"):
        claimed.update_claim(claim.id, "ann", verdict="true-ish")
    with pytest.raises(InvalidEdit, match="outside"):
        claimed.add_claim(1, 0, len(TEXT) + 1, "ann")
    before, after = claimed.update_claim(claim.id, "ann", verdict="supported",
                                         evidence_url="https://example.org/a", note="minutes")
    claimed.update_claim(claim.id, "ann", verdict=before.verdict,
                         evidence_url=before.evidence_url, note=before.note)
    assert claimed.claim(claim.id).verdict == "unchecked"
    gone = claimed.delete_claim(claim.id, "ann")
    again = claimed.add_claim(1, gone.start, gone.end, "ann", claim_id=gone.id)
    assert again.id == claim.id


def test_pre_annotation_storage_suggests_claims(claimed):
    pct = _span(TEXT, "12%", "PERCENT")
    claimed.store_annotations([(1, [SpanIn(*pct)], None)], model="test-model")
    reasons = [c.reason for c in claimed.claims(1)]
    assert "PERCENT: 12%" in reasons and "quantity: 40,000 tonnes" in reasons


def test_exports_carry_accepted_claims_and_facts(claimed, tmp_path):
    made = claimed.suggest_claims(1, "ann")
    claimed.update_claim(made[0].id, "ann", verdict="supported",
                         evidence_url="https://example.org/prices", note="exchange data")
    claimed.set_article_status(1, "approved", "ann", accept_suggestions=True)
    export(claimed, "assay", tmp_path / "out.jsonl")
    record = json.loads((tmp_path / "out.jsonl").read_text())
    assert record["claims"] == [{
        "start": 0, "end": 46, "text": "Cobalt prices fell 12% in March, traders said.",
        "verdict": "supported", "evidence_url": "https://example.org/prices",
        "note": "exchange data", "origin": "rules", "updated_by": "ann",
        "updated_at": record["claims"][0]["updated_at"], "state": "accepted",
        "reason": "PERCENT: 12%"}]
    report = export(claimed, "claims", tmp_path / "claims.csv")
    assert report.summary() == "1 article(s), 1 claim(s)"
    rows = list(csv.DictReader((tmp_path / "claims.csv").open(encoding="utf-8")))
    assert [(r["verdict"], r["text"][:6], r["evidence_url"]) for r in rows] == [
        ("supported", "Cobalt", "https://example.org/prices")]
    export(claimed, "facts", tmp_path / "facts.csv")
    facts = list(csv.DictReader((tmp_path / "facts.csv").open(encoding="utf-8")))
    # Pre-annotation links by name: Indonesia -> IDN, nickel -> mineral:nickel; "Cobalt"
    # has no country in its sentence, so it pairs with nothing.
    assert [(f["country"], f["country_id"], f["mineral"], f["mineral_id"]) for f in facts] == [
        ("Indonesia", "IDN", "nickel", "mineral:nickel")]
    assert facts[0]["sentence"] == "Indonesia signed a nickel deal with Tesla on 3 May 2025."



def test_assay_jsonl_round_trip_keeps_claims(claimed, tmp_path):
    from core.formats.importers import import_paths

    made = claimed.suggest_claims(1, "ann")
    claimed.update_claim(made[0].id, "ann", verdict="refuted", evidence_url="https://e.org/1",
                         note="wrong month")
    claimed.set_article_status(1, "approved", "ann", accept_suggestions=True)
    export(claimed, "assay", tmp_path / "out.jsonl")
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [tmp_path / "out.jsonl"])
    assert report.added == 1 and not report.problems
    # Every claim comes back, the suggestions still waiting too (Assay JSONL carries them).
    assert [(c.start, c.end, c.state) for c in fresh.claims(1)] == [
        (c.start, c.end, c.state) for c in claimed.claims(1)]
    claim = next(c for c in fresh.claims(1) if c.state == "accepted")
    assert (claim.start, claim.end, claim.verdict, claim.evidence_url, claim.note,
            claim.origin) == (0, 46, "refuted", "https://e.org/1", "wrong month", "rules")
    fresh.close()


def test_a_claim_that_does_not_quote_its_text_is_reported(tmp_path):
    from core.formats.importers import import_paths

    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "Lithium rose 5%.", "claims": [
        {"start": 0, "end": 7, "text": "Cobalt", "verdict": "supported"}]}) + "\n")
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [path])
    assert report.added == 0
    assert "claims[0] [0, 7) does not quote the text there" in report.problems[0].reason
    fresh.close()


@pytest.mark.parametrize(("text", "expected"), [
    ("Cobalt from the D.R.C. Mines Minister said so.", 1),
    ("J.P. Morgan lent $2 billion.", 1),
    ("It went to the U.A.E. Officials agreed.", 2),
    ("It signed with Lynas Corp. The deal is big.", 2),
    ("Prices fell in Chile. Élisabeth Borne spoke.", 2),
    ("Prices fell.\u00a0The deal held.", 2),
    ("Dr. Ngata met Mr. Smith in St. Louis.", 1),
    ('He said "no." Then he left.', 2),
])
def test_sentence_splitter_on_news_prose(text, expected):
    assert len(sentence_bounds(text)) == expected, _sentences(text)


@pytest.mark.parametrize(("text", "found"), [
    ("In 2024, Mt Holland started output.", False),  # a year and a mine, not a quantity
    ("Glencore's 2023 Mt Isa output rose.", False),
    ("They sold a 2024 t-shirt.", False),
    ("In 2021, kg prices doubled.", False),
    ("The 5G network is new.", False),
    ("It shipped 40,000 Tonnes of ore.", True),
    ("MINE SHIPS 5 MT OF NICKEL", True),
    ("A 35 GWh plant opened.", True),
    ("Reserves are 1.2 million ounces.", True),
    ("Output rose 12 per cent.", True),
])
def test_quantities(text, found):
    assert bool(candidate_claims(text, [])) is found


def test_a_vague_date_with_an_entity_is_no_claim():
    text = "Over many months Chile grew. In 2024 Chile grew."
    spans = [_span(text, "many months", "DATE"), (12, 17, "GPE"),
             _span(text, "2024", "DATE"), (text.rindex("Chile"), text.rindex("Chile") + 5, "GPE")]
    assert [text[c.start:c.end] for c in candidate_claims(text, spans)] == [
        "In 2024 Chile grew."]


def test_resuggesting_keeps_suggestions_with_notes_and_unchanged_ids(claimed):
    first, second = claimed.suggest_claims(1, "ann")
    claimed.update_claim(second.id, "ann", note="ask the ministry")
    assert claimed.suggest_claims(1, "ann") == []
    assert [c.id for c in claimed.claims(1)] == [first.id, second.id]
    # The figure goes away: the blank suggestion goes, the one with a note stays.
    claimed.conn.execute("DELETE FROM spans WHERE label = 'PERCENT'")
    claimed.conn.execute("UPDATE articles SET text = replace(text, '12%', 'a lot')")
    claimed.conn.execute("UPDATE articles SET text = replace(text, '40,000 tonnes', 'a lot of')")
    claimed.suggest_claims(1, "ann")
    assert [c.id for c in claimed.claims(1)] == [second.id]
