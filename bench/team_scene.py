"""A team of three (ana, ben, cy) who reviewed the same articles and disagree the way
reviewers do: for the adjudication screenshots and the adjudication bench.

Every pending article goes to all three (``hand_out`` with overlap 1.0); each copy is
reviewed through the store, deterministically: ana keeps every suggestion, ben rejects
some and relabels others, cy rejects others and drops the last word of some names. The
copies are merged back, so the origin holds three versions of every article.
"""

from __future__ import annotations

from pathlib import Path

from core.nlp.store_rules import store_rules
from core.store import Project

TEAM = ("ana", "ben", "cy")
OTHER_LABEL = {"ORG": "GPE", "GPE": "LOC", "LOC": "GPE", "PERSON": "ORG", "NORP": "GPE"}


def review_copy(copy_path: Path, reviewer: str) -> None:
    """One reviewer's work in their copy: a few decisions that differ from the others'."""
    with Project.open(copy_path, rules=store_rules()) as copy:
        for article_id in copy.article_ids():
            for i, span in enumerate(s for s in copy.spans(article_id) if s.live):
                if reviewer == "ben" and i % 6 == 1:
                    copy.update_span(span.id, reviewer, state="rejected")
                elif reviewer == "ben" and i % 9 == 4 and span.label in OTHER_LABEL:
                    copy.update_span(span.id, reviewer, label=OTHER_LABEL[span.label],
                                     state="accepted")
                elif reviewer == "cy" and i % 5 == 3:
                    copy.update_span(span.id, reviewer, state="rejected")
                elif reviewer == "cy" and i % 4 == 0 and " " in span.text:
                    end = span.start + span.text.rindex(" ")
                    copy.update_span(span.id, reviewer, end=end, state="accepted")
            copy.approve_article(article_id, reviewer)


def three_reviewers(origin: Path, out_dir: Path) -> dict[str, Path]:
    """Hand ``origin``'s pending articles to the team, review each copy, merge them back."""
    from core.teams.assign import hand_out
    from core.teams.merge import merge_copy

    with Project.open(origin, rules=store_rules()) as project:
        paths = hand_out(project, list(TEAM), out_dir, overlap=1.0, seed=0)
    for reviewer, path in paths.items():
        review_copy(path, reviewer)
    with Project.open(origin, rules=store_rules()) as project:
        for path in paths.values():
            merge_copy(project, path)
    return paths
