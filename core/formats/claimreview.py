"""Verified claims as schema.org ClaimReview JSON-LD, the markup fact-check aggregators
(Google's Fact Check Explorer, Duke's ClaimReview database) read.

One ClaimReview per accepted claim whose verdict was decided (supported, refuted or
unverifiable); an unchecked claim has no review to publish, and suggested or dismissed
claims are not claims yet. The file is one JSON array of self-contained objects, each with
its own ``@context``, so every item can be pasted into a page as it is. Text is written as
the article holds it: plain strings, no markup added.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from core.formats.base import ExportFormat, Sink
from core.formats.importers import SUPPORTED_SUFFIXES
from core.models import Article, Claim, Reviewed

CONTEXT = "https://schema.org"

# How each decided verdict is rated: the words a reader sees (``alternateName``) and, on
# Google's suggested 1 (false) to 5 (true) scale, the number. An unverifiable claim has no
# place on a true/false scale, so it carries the words only.
RATINGS: dict[str, tuple[str, int | None]] = {
    "supported": ("Supported", 5),
    "refuted": ("Refuted", 1),
    "unverifiable": ("Unverifiable", None),
}


def _day(stamp: str | None) -> str:
    """The ISO date (YYYY-MM-DD) at the start of a stored timestamp, or "" if it has none."""
    day = (stamp or "").strip()[:10]
    return day if len(day) == 10 and day[4] == "-" and day[7] == "-" else ""


def _rating(verdict: str) -> dict[str, Any]:
    words, value = RATINGS[verdict]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": words}
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    return rating


def _publisher(source: str) -> str:
    """The source when it names a publisher: an import that had none writes the file's name
    ("notes.txt"), which is no organisation."""
    name = source.strip()
    return "" if name.lower().endswith(SUPPORTED_SUFFIXES) else name


def _appearance(article: Article) -> dict[str, Any]:
    """Where the claim was made: the article, with what the project knows of it."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if article.title:
        work["headline"] = article.title
    if _day(article.published):
        work["datePublished"] = _day(article.published)
    if _publisher(article.source):
        work["author"] = {"@type": "Organization", "name": _publisher(article.source)}
    return work


def review(article: Article, claim: Claim) -> dict[str, Any]:
    """The ClaimReview of one decided claim."""
    reviewer = claim.updated_by or article.reviewed_by
    author = ({"@type": "Person", "name": reviewer} if reviewer
              else {"@type": "Organization", "name": "Assay"})
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": article.text[claim.start:claim.end],
        "reviewRating": _rating(claim.verdict),
        "itemReviewed": {"@type": "Claim", "appearance": _appearance(article)},
        "author": author,
    }
    if _day(claim.updated_at):
        item["datePublished"] = _day(claim.updated_at)
    if claim.evidence_url:
        item["url"] = claim.evidence_url
    return item


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    fh.write("[")
    for rec in records:
        for claim in rec.claims:
            if claim.verdict not in RATINGS:
                continue
            fh.write(",\n" if sink.report.rows else "\n")
            fh.write(json.dumps(review(rec.article, claim), ensure_ascii=False, indent=1))
            sink.report.rows += 1
    fh.write("\n]\n")


EXPORT = ExportFormat("claimreview", "ClaimReview JSON-LD (schema.org)", ".json", write,
                      "one per claim with a verdict: passage, rating, article, reviewer, "
                      "date, evidence", claims=True, unit="claim review(s)")
