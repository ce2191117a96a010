"""What the corpus says about a claim, on a reviewed 100,000-article project (issue 16):
the time of ``Project.claims_across`` for a claim naming a country and a mineral, and of
``mentions_across`` for a country and a mineral given by id, each the best of three.

The project is ``bench.statistics``' reviewed one (the same synthetic corpus, built the
same way). Its sentences are denser in countries and minerals than news: one article in
two names the busiest pair, so tens of thousands of candidates come back from the
index and the list fills after reading a few thousand of them, newest first. This is
the worst case of the query, not the typical one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.statistics import N, best_of, build_reviewed_project, run_alone
from core.nlp.store_rules import store_rules
from core.store import Project

# A claim as a reviewer would mark it, added to the first article that has this sentence.
CLAIM_SENTENCE = "rose"  # "Output of {mineral} in {country} rose {pct}% last year, …"


def _claim_on_a_pair(project: Project) -> int:
    """A claim over a sentence naming a country, a mineral and a percentage."""
    from core.nlp.linking import country_of
    from core.text.sentences import sentence_bounds

    for article_id in project.article_ids():
        text = project.article_text(article_id)
        spans = [s for s in project.spans(article_id) if s.live and s.kb_id]
        for start, end in sentence_bounds(text):
            ids = [s.kb_id for s in spans if start <= s.start and s.end <= end]
            if CLAIM_SENTENCE in text[start:end] and any(map(country_of, ids)) and any(
                    i.startswith("mineral:") for i in ids) and not project.claims(article_id):
                return project.add_claim(article_id, start, end, "bench").id
    raise RuntimeError("no sentence to make a claim of")


def bench_claims_across(tmp: Path) -> dict:
    path = tmp / "reviewed.assay"
    if not path.exists():  # bench.statistics may have built it in this run already
        build_reviewed_project(path)
    with Project.open(path, rules=store_rules()) as project:
        claim_id = _claim_on_a_pair(project)
        seconds, across = best_of(lambda: project.claims_across(claim_id), 3)
        ids = across.ids
        about_s, about = best_of(lambda: project.mentions_across(list(ids)), 3)
        project.delete_claim(claim_id, "bench")
    return {"across_articles": N, "across_claim_s": seconds,
            "across_claim_items": len(across.items),
            "across_claim_candidates": across.articles,
            "across_claim_read": across.scanned,
            "across_about_s": about_s, "across_about_items": len(about.items)}


if __name__ == "__main__":
    sys.exit(run_alone(bench_claims_across))
