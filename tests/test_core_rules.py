"""The review rules that the window and the CLI share, run without Qt (issue 24: each rule
once, in core). The window's and the CLI's own tests show the same rules through keys and
commands; these call the core functions they both call."""

from __future__ import annotations

import pytest

from core.models import ArticleIn, Claim, SpanIn
from core.nlp.store_rules import store_rules
from core.review.claims import ACCEPT, ADD, OVERLAP, deletes, marking, open_counts, remove_edit
from core.review.edits import DeleteClaim, UpdateClaim
from core.review.history import History
from core.review.occurrences import places_in_article, places_in_pending
from core.store import Project
from core.text.tokens import token_offsets

TEXT = "Chile sells lithium. Chilean firms ship lithium to Chile. Chile again."
OTHER = "Peru and Chile signed. Chileans cheer."


def claim(cid: int, start: int, end: int, state: str = "accepted", origin: str = "reviewer",
          verdict: str = "unchecked") -> Claim:
    return Claim(cid, 1, start, end, verdict, "", "", state=state, origin=origin)


# ---------------------------------------------------------------- occurrences


def test_occurrences_reach_the_open_article_and_every_pending_one_only(tmp_path):
    with Project.create(tmp_path / "occ.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="One", spans=(SpanIn(0, 5, "GPE"),)),
                              ArticleIn(text=OTHER, title="Two"),
                              ArticleIn(text="Chile approved.", title="Three")])
        project.approve_article(3, "ana")
        like = project.spans(1)[0]
        here = places_in_article(1, TEXT, token_offsets(TEXT), project.spans(1), like)
        assert [TEXT[a:b] for _, a, b in here] == ["Chile", "Chile"]  # not "Chilean"
        spread = places_in_pending(project, like, TEXT, token_offsets(TEXT), project.spans(1))
        assert spread.articles == 2  # the approved article is a decision: left alone
        assert [(a, OTHER[s:e] if a == 2 else TEXT[s:e]) for a, s, e in spread.places] == [
            (1, "Chile"), (1, "Chile"), (2, "Chile")]


# ---------------------------------------------------------------- claims


def test_the_same_passage_as_a_suggestion_accepts_it():
    claims = [claim(1, 0, 20, state="suggested", origin="rules"), claim(2, 30, 50)]
    assert (marking(claims, 0, 20).outcome, marking(claims, 0, 20).claim) == (ACCEPT, claims[0])
    assert marking(claims, 0, 10).outcome == OVERLAP  # part of it: shown, not added
    assert marking(claims, 30, 50).outcome == OVERLAP  # an accepted claim is not re-accepted
    assert marking(claims, 20, 30).outcome == ADD and marking(claims, 20, 30).claim is None


def test_delete_your_own_claim_dismiss_a_suggested_one(tmp_path):
    with Project.create(tmp_path / "c.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="One")])
        mine = project.add_claim(1, 0, 20, "ana")
        suggested = project.add_claim(1, 21, 56, "ana", state="suggested", origin="rules")
        assert deletes(mine) and not deletes(suggested)
        assert isinstance(remove_edit(mine), DeleteClaim)
        assert isinstance(remove_edit(suggested), UpdateClaim)
        history = History(project, "ana")
        history.do(remove_edit(mine))
        history.do(remove_edit(suggested))
        assert project.claims(1) == []
        assert [c.state for c in project.claims(1, ("dismissed",))] == ["dismissed"]
        history.undo()
        history.undo()
        assert [c.id for c in project.claims(1)] == [mine.id, suggested.id]


def test_the_open_claims_count_is_the_stores(tmp_path):
    with Project.create(tmp_path / "c.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="One")])
        project.add_claim(1, 0, 20, "ana")  # accepted, unchecked: open
        project.add_claim(1, 21, 40, "ana", verdict="supported")  # decided
        project.add_claim(1, 41, 56, "ana", state="suggested", origin="rules")  # open
        project.add_claim(1, 57, 70, "ana", state="dismissed", origin="rules")  # decided
        everything = project.claims(1, ("suggested", "accepted", "dismissed"))
        assert open_counts(everything) == open_counts(project.claims(1)) == (1, 1)
        assert open_counts(project.claims(1)) == project.open_claims(1)



def test_a_claim_is_about_the_live_entities_wholly_inside_it():
    from core.models import Span
    from core.review.claims import entities_inside

    about = claim(1, 10, 40)
    spans = [Span(1, 1, 10, 15, "GPE", "Chile", "model", "accepted", kb_id="CHL"),
             Span(2, 1, 20, 27, "MINERAL", "lithium", "model", "suggested"),
             Span(3, 1, 30, 35, "GPE", "Peru", "model", "rejected", kb_id="PER"),
             Span(4, 1, 38, 45, "ORG", "Albemarle", "model", "accepted")]  # crosses the end
    assert entities_inside(about, spans) == ((10, 15, "GPE", "CHL"), (20, 27, "MINERAL", ""))


# ---------------------------------------------------------------- training


def test_the_training_minimum_is_one_rule_for_the_cli_and_the_window():
    from core.errors import AssayError
    from core.nlp.model_choice import MIN_APPROVED, require_enough_to_train, training_refusal
    from core.nlp.training import Example, split

    assert MIN_APPROVED == 2
    assert training_refusal(2) is None and training_refusal(40) is None
    assert "at least 2 approved articles (this project has 1)" in training_refusal(1)
    with pytest.raises(AssayError, match="at least 2 approved"):
        require_enough_to_train(0)
    with pytest.raises(AssayError, match="this project has 1"):  # the CLI's way in
        split([Example(1, "h1", "x", [])])


def test_a_model_is_better_only_when_it_scores_strictly_higher_on_the_same_dev_split():
    from core.nlp.model_choice import is_better

    assert is_better(0.8, 0.7) is True
    assert is_better(0.7, 0.7) is False  # a tie does not repay re-annotating
    assert is_better(0.6, 0.7) is False
    # Nothing to compare: not recommended (the CLI used to say "better" here).
    assert is_better(0.5, None) is None and is_better(None, None) is None
    assert is_better(None, 0.5) is None


# ---------------------------------------------------------------- kb ids


def test_typed_text_resolves_to_an_id_of_the_labels_list_or_is_refused():
    from core.errors import AssayError
    from core.nlp.kb_resolve import resolve_typed
    from core.nlp.linking import KbEntry, builtin_linker

    linker = builtin_linker().extended([KbEntry("org:acme", "ORG", "Acme Mining", ("Acme",))])
    assert resolve_typed(linker, "GPE", "USA") == "USA"
    assert resolve_typed(linker, "GPE", "USA — United States") == "USA"  # a completer line
    assert resolve_typed(linker, "GPE", "  ") is None  # empty: unlink
    assert resolve_typed(linker, "ORG", "acme") == "org:acme"  # a known name
    assert resolve_typed(linker, "GPE", "Georgia") == "GEO"  # typed: the listed one
    with pytest.raises(AssayError, match="No GPE entry matches 'Atlantis'"):
        resolve_typed(linker, "GPE", "Atlantis")
    with pytest.raises(AssayError):
        resolve_typed(linker, "MINERAL", "USA")  # an id of another label's list


def test_the_cli_resolves_ids_and_names_of_any_family():
    from core.errors import AssayError
    from core.nlp.kb_resolve import resolve_term
    from core.nlp.linking import builtin_linker

    linker = builtin_linker()
    assert resolve_term(linker, "USA") == "USA"
    assert resolve_term(linker, "mineral:anything") == "mineral:anything"  # an id as given
    assert resolve_term(linker, "Chile") == "CHL"
    assert resolve_term(linker, "lithium") == "mineral:lithium"
    assert resolve_term(linker, "acme") == "acme"  # a project's own id
    with pytest.raises(AssayError, match="neither an id"):
        resolve_term(linker, "two words")


# ---------------------------------------------------------------- finding an entry by typing


def test_a_name_matches_where_the_typed_words_begin_its_words():
    from core.nlp.kb_search import fold, word_rank, words

    assert fold("Côte d’Ivoire") == "cote d’ivoire" and words("Türkiye") == ("turkiye",)
    assert words("Haut-Katanga") == ("haut", "katanga")
    name = words("Inner Mongolia")
    assert word_rank(words("inner mongolia"), name) == 0  # the whole name
    assert word_rank(words("Inner"), name) == 1  # its start
    assert word_rank(words("mong"), name) == 2  # a later word
    assert word_rank(words("i m"), name) == 1  # every typed word begins one
    assert word_rank(words("nner"), name) is None  # inside a word: no
    assert word_rank(words("mongolia inner"), name) is None  # out of order: no
    assert word_rank((), name) is None


def test_typing_finds_provinces_and_countries_by_their_english_names_and_aliases():
    from core.nlp.linking import builtin_linker

    linker = builtin_linker()

    def first(typed: str, label: str = "GPE") -> str:
        return linker.search(label, typed)[0].entry.id

    found = linker.search("GPE", "Inner")[0]
    assert (found.entry.id, found.also) == ("CN-NM", "Inner Mongolia")  # ISO: Nei Mongol
    assert found.line().startswith("CN-NM — ")  # the id first: the field reads it back
    assert first("nei mongol") == "CN-NM"  # the official name still works
    for typed, kb_id in [("xinjiang", "CN-XJ"), ("Tibet", "CN-XZ"), ("burma", "MMR"),
                         ("ivory", "CIV"), ("cote", "CIV"), ("turkiye", "TUR"), ("Turkey", "TUR"),
                         ("DR Congo", "COD"), ("Congo", "COD"), ("drc", "COD"), ("UK", "GBR"),
                         ("Britain", "GBR"), ("US", "USA"), ("usa", "USA"), ("America", "USA"),
                         ("czechia", "CZE"), ("laos", "LAO"), ("vietnam", "VNM"),
                         ("bolivia", "BOL"), ("iran", "IRN"), ("syria", "SYR"),
                         ("tanzania", "TZA"), ("taiwan", "TWN"), ("south korea", "KOR"),
                         ("russia", "RUS"), ("quebec", "CA-QC"), ("new south", "AU-NSW"),
                         ("western australia", "AU-WA"), ("katanga", "CD-HK"),
                         ("lualaba", "CD-LU"), ("CN-NM", "CN-NM")]:
        assert first(typed) == kb_id, typed
    assert first("lith", "MINERAL") == "mineral:lithium"
    assert linker.search("GPE", "  ") == [] and linker.search("GPE", "Atlantis") == []


def test_whole_names_come_before_starts_and_starts_before_later_words():
    from core.nlp.linking import builtin_linker

    ids = [f.entry.id for f in builtin_linker().search("GPE", "mongolia")]
    assert ids.index("MNG") < ids.index("CN-NM")  # "Mongolia" before "Inner Mongolia"
    ids = [f.entry.id for f in builtin_linker().search("GPE", "south")]
    assert ids.index("ZAF") < ids.index("AU-NSW")  # "South Africa" before "New South Wales"


def test_the_english_names_link_and_a_refusal_says_what_typing_would_find():
    from core.errors import AssayError
    from core.nlp.kb_resolve import resolve_term, resolve_typed
    from core.nlp.linking import builtin_linker

    linker = builtin_linker()
    assert linker.link("GPE", "Inner Mongolia") == "CN-NM"  # a span by its English name
    assert resolve_typed(linker, "GPE", "tibet") == "CN-XZ"
    assert resolve_term(linker, "Inner Mongolia") == "CN-NM"  # assay-cli claims --about
    with pytest.raises(AssayError, match=r"'Inner'\. Did you mean CN-NM \(Inner Mongolia\)"):
        resolve_typed(linker, "GPE", "Inner")
    with pytest.raises(AssayError, match=r"Did you mean CN-XJ \(Xinjiang"):
        resolve_term(linker, "Xinjiang Uyg")


def test_a_kb_ids_label_family():
    from core.nlp.kb_resolve import labels_of_family, naming_label, new_id
    from core.nlp.linking import COUNTRY_FAMILY

    assert naming_label("USA") == naming_label("CD-LU") == "GPE"
    assert naming_label("mineral:ree") == "MINERAL"
    assert naming_label("org:iea") == naming_label("acme") == "ORG"
    assert naming_label("region:sahel") == "LOC"
    labels = ["GPE", "NORP", "MINERAL", "ORG", "DATE"]
    assert labels_of_family(labels, COUNTRY_FAMILY) == {"GPE", "NORP"}
    assert labels_of_family(labels, "MINERAL") == {"MINERAL"}
    assert new_id("ORG", "Lithium Americas") == "org:lithium-americas"
    assert new_id("MINERAL", "Rare earths!") == "mineral:rare-earths"
    assert new_id("GPE", "Atlantis") == "atlantis"


# ---------------------------------------------------------------- adjudication


def test_the_adjudication_worklist_is_worst_first_and_next_is_the_next_pending(tmp_path):
    from core.models import Version
    from core.teams.adjudicate import MIN_AGREEING, holds_decision
    from core.teams.worklist import next_to_adjudicate, worklist

    text = "Chile and Peru sell lithium."

    def version(article_id: int, reviewer: str, *words: str, status: str = "approved"
                ) -> Version:
        spans = tuple(SpanIn(text.index(w), text.index(w) + len(w), "GPE",
                             origin="reviewer", state="accepted") for w in words)
        return Version(id=0, article_id=article_id, reviewer=reviewer, status=status,
                       note="", review_seconds=1.0, reviewed_at="2026-12-02T10:00:00Z",
                       copy_id=f"copy-{reviewer}", merged_at="", spans=spans, claims=())

    with Project.create(tmp_path / "w.assay", rules=store_rules()) as project:
        # Distinct texts (an identical one is the same article); the words stay in place.
        project.add_articles([ArticleIn(text=f"{text} ({i})", title=f"A{i}")
                              for i in range(1, 5)])
        project.put_versions([
            version(1, "ana", "Chile"), version(1, "ben", "Chile", "Peru"),  # half agree
            version(2, "ana", "Chile"), version(2, "ben", "Peru"),  # nothing agreed
            version(3, "ana", "Chile"), version(3, "ben", "Chile"),  # agree: not listed
            version(4, "ana", "Chile"), version(4, "ben", status="rejected"),  # one approved
        ], "lead")
        items = worklist(project)
        assert [(i.article_id, i.title, i.status) for i in items] == [
            (2, "A2", "pending"), (1, "A1", "pending")]
        assert items[0].f1 < items[1].f1 < 1.0
        ids = [i.article_id for i in items]
        assert next_to_adjudicate(project, ids, 2) == 1
        project.approve_article(1, "lead")
        assert next_to_adjudicate(project, ids, 2) is None  # 1 is decided, 2 is the one open
        assert next_to_adjudicate(project, ids, 3) == 2  # not on the list: from the top
    assert MIN_AGREEING == 2
    assert holds_decision(version(4, "ben", status="rejected"))
    assert not holds_decision(version(4, "cy", status="skipped"))


# ---------------------------------------------------------------- teams and the scheme


def test_reviewer_names_are_read_the_same_from_the_cli_and_the_dialog():
    from core.teams.assign import reviewer_names

    assert reviewer_names(" ana, ben,,cy ,") == ["ana", "ben", "cy"]
    assert reviewer_names("  ") == []
    assert reviewer_names("ana,ana") == ["ana", "ana"]  # plan() refuses it with a sentence


def test_a_new_label_is_named_new_then_new1():
    from core.review.scheme_edits import new_label_name

    assert new_label_name(["GPE", "ORG"]) == "NEW"
    assert new_label_name(["NEW", "NEW1", "GPE"]) == "NEW2"
    assert new_label_name({"NEW", "NEW2"}) == "NEW1"
