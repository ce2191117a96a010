"""The ClaimReview JSON-LD export: one schema.org ClaimReview per verified claim, read back
with a JSON-LD processor (pyld) against a local copy of the schema.org context."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld

from core.errors import AssayError
from core.formats.export import export
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

# Sentences we wrote for these tests.
TEXT = ("Cobalt prices fell 12% in March.\n"
        "Chile mined 40,000 tonnes of lithium.\n"
        "Zambia will double copper output.\n"
        "Exports rose by a third.\n"
        "Nickel stocks halved.\n"
        "Perú's ministry denied it.")
SCHEMA = "https://schema.org/"
# schema.org's context as aggregators resolve it, kept here: the tests never use the network.
LOCAL_CONTEXT = {"@context": {"@vocab": SCHEMA}}
LOADED: list[str] = []


def _loader(url: str, options: dict | None = None) -> dict:
    LOADED.append(url)
    assert url.rstrip("/") == "https://schema.org", url
    return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


def _sentence(word: str) -> tuple[int, int]:
    """The line of TEXT holding ``word`` (each line is one sentence)."""
    at = TEXT.index(word)
    end = TEXT.find("\n", at)
    return TEXT.rfind("\n", 0, at) + 1, end if end != -1 else len(TEXT)


@pytest.fixture
def verified(tmp_path: Path) -> Path:
    """A project with one approved article and a claim in every state and verdict."""
    path = tmp_path / "claims.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=TEXT, title="Minerals weekly", source="Mining Daily",
                                     url="https://news.example/minerals",
                                     published="2025-03-14")])
        for word, verdict, state, url in (
                ("Cobalt", "supported", "accepted", "https://example.org/prices"),
                ("Chile", "refuted", "accepted", "https://example.org/chile"),
                ("Zambia", "unverifiable", "accepted", ""),
                ("Exports", "unchecked", "accepted", ""),
                ("Nickel", "supported", "suggested", ""),
                ("Perú", "refuted", "dismissed", "")):
            proj.add_claim(1, *_sentence(word), "ann", verdict=verdict, state=state,
                           evidence_url=url)
        proj.set_article_status(1, "approved", "ann")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True,
                          text=True, cwd=Path(__file__).parents[1], timeout=120)


def test_cli_writes_one_claimreview_per_verified_claim(verified, tmp_path):
    dest = tmp_path / "reviews.json"
    result = _cli("export", str(verified), "-f", "claimreview", "-o", str(dest))
    assert result.returncode == 0, result.stderr
    assert "1 article(s), 3 claim review(s)" in result.stdout
    reviews = json.loads(dest.read_text(encoding="utf-8"))
    # Unchecked, suggested and dismissed claims are not reviews: only three are written.
    assert [(r["claimReviewed"], r["reviewRating"]["alternateName"]) for r in reviews] == [
        ("Cobalt prices fell 12% in March.", "Supported"),
        ("Chile mined 40,000 tonnes of lithium.", "Refuted"),
        ("Zambia will double copper output.", "Unverifiable")]
    assert [(r["reviewRating"].get("ratingValue"), r.get("url")) for r in reviews] == [
        (5, "https://example.org/prices"), (1, "https://example.org/chile"), (None, None)]
    first = reviews[0]
    assert first["@context"] == "https://schema.org" and first["@type"] == "ClaimReview"
    assert first["author"] == {"@type": "Person", "name": "ann"}
    assert first["itemReviewed"] == {"@type": "Claim", "appearance": {
        "@type": "CreativeWork", "url": "https://news.example/minerals",
        "headline": "Minerals weekly", "datePublished": "2025-03-14",
        "author": {"@type": "Organization", "name": "Mining Daily"}}}
    assert len(first["datePublished"]) == 10 and first["datePublished"][4] == "-"


def test_json_ld_processor_reads_every_google_property(verified, tmp_path):
    dest = tmp_path / "reviews.json"
    with Project.open(verified, rules=store_rules()) as proj:
        report = export(proj, "claimreview", dest)
    assert report.summary() == "1 article(s), 3 claim review(s)"
    doc = json.loads(dest.read_text(encoding="utf-8"))
    LOADED.clear()
    expanded = jsonld.expand(doc, {"documentLoader": _loader})
    assert LOADED  # the context was resolved, locally
    assert len(expanded) == 3
    for node in expanded:
        assert node["@type"] == [SCHEMA + "ClaimReview"]
        for prop in ("claimReviewed", "reviewRating", "author", "datePublished",
                     "itemReviewed"):
            assert SCHEMA + prop in node, prop
        rating = node[SCHEMA + "reviewRating"][0]
        assert rating[SCHEMA + "alternateName"][0]["@value"]
        claim = node[SCHEMA + "itemReviewed"][0]
        assert claim["@type"] == [SCHEMA + "Claim"]
        appearance = claim[SCHEMA + "appearance"][0]
        assert appearance[SCHEMA + "url"][0]["@value"] == "https://news.example/minerals"
    # The evidence URL is the review's url where the reviewer gave one.
    assert [SCHEMA + "url" in node for node in expanded] == [True, True, False]
    compacted = jsonld.compact(expanded, {"@context": "https://schema.org"},
                               {"documentLoader": _loader})
    graph = compacted["@graph"]
    assert [n["reviewRating"]["alternateName"] for n in graph] == [
        "Supported", "Refuted", "Unverifiable"]
    assert graph[0]["itemReviewed"]["appearance"]["headline"] == "Minerals weekly"


def test_no_verified_claim_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "open.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=TEXT, title="Open")])
        proj.add_claim(1, *_sentence("Cobalt"), "ann")  # accepted, still unchecked
        proj.set_article_status(1, "approved", "ann")
        # Once it has a verdict it is exported; the file it came from is no publisher.
        proj.add_articles([ArticleIn(text=TEXT + "\nMore.", title="Filed", source="notes.txt")])
        proj.add_claim(2, *_sentence("Chile"), "ann", verdict="refuted")
        proj.set_article_status(2, "approved", "ann")
        export(proj, "claimreview", tmp_path / "one.json")
        (only,) = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
        assert only["itemReviewed"]["appearance"] == {"@type": "CreativeWork",
                                                      "headline": "Filed"}
        proj.set_article_status(2, "rejected", "ann")
        with pytest.raises(AssayError, match=r"^Nothing to export: .* give 0 claim review\(s\)"
                           r" .*give them a verdict"):
            export(proj, "claimreview", tmp_path / "none.json")
    dest = tmp_path / "none.json"
    result = _cli("export", str(path), "-f", "claimreview", "-o", str(dest))
    assert result.returncode == 1
    assert "give them a verdict (supported, refuted or unverifiable) first" in result.stderr
    assert not dest.exists() and not list(tmp_path.glob("*.partial"))


def test_the_windows_export_dialog_writes_the_claim_reviews(verified, qtbot, tmp_path):
    """File → Export… offers ClaimReview and writes the same file off the GUI thread."""
    from PySide6.QtCore import QSettings

    from gui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "ann")
    qtbot.addWidget(window)
    window.open_project(verified)
    window.show()
    dialog = window.jobs.export_dialog()
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert dialog.format.currentText().startswith("ClaimReview JSON-LD (schema.org)")
    assert dialog.destination.text().endswith("claims-claimreview.json")
    dest = tmp_path / "from-window.json"
    dialog.destination.setText(str(dest))
    dialog.accept()
    qtbot.waitUntil(lambda: window.jobs.job is None and dest.exists(), timeout=30_000)
    assert "Exported 1 article(s), 3 claim review(s)" in window.statusBar().currentMessage()
    assert len(json.loads(dest.read_text(encoding="utf-8"))) == 3
