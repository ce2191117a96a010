"""Teams at scale: hand out a 10,000-article project to ten reviewers (a fifth shared),
have each approve their copy, merge the ten copies back, and measure agreement over the
2,000 articles all of them reviewed (45 pairs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.corpus import synthetic_articles
from core.store import Project

N_TEAM = int(os.environ.get("ASSAY_BENCH_TEAM", "10000"))
REVIEWERS = [f"r{i}" for i in range(10)]


def bench_teams(tmp: Path) -> dict:
    from core.teams.agreement import agreement
    from core.teams.assign import hand_out
    from core.teams.merge import merge_copy

    path = tmp / "team.assay"
    with Project.create(path, name="team") as project:
        arts = synthetic_articles(N_TEAM, seed=11, words=(60, 120), with_spans=True)
        for i in range(0, len(arts), 5000):
            project.add_articles(arts[i:i + 5000])
    with Project.open(path) as project:
        started = time.perf_counter()
        paths = hand_out(project, REVIEWERS, tmp / "copies", overlap=0.2, seed=0)
        hand_out_s = time.perf_counter() - started
    for n, (reviewer, copy_path) in enumerate(paths.items()):
        with Project.open(copy_path) as copy:
            ids = copy.article_ids()
            for i, article_id in enumerate(ids):
                if (i + n) % 7 == 0:  # some disagreement: each reviewer rejects a few
                    first = copy.spans(article_id)
                    if first:
                        copy.update_span(first[0].id, reviewer, state="rejected")
            for article_id in ids:
                copy.approve_article(article_id, reviewer)
    with Project.open(path) as project:
        started = time.perf_counter()
        merged = sum(merge_copy(project, p).added for p in paths.values())
        merge_s = time.perf_counter() - started
        started = time.perf_counter()
        report = agreement(project)
        agreement_s = time.perf_counter() - started
    return {"team_articles": N_TEAM, "team_reviewers": len(REVIEWERS),
            "team_hand_out_s": hand_out_s, "team_versions_merged": merged,
            "team_merge_10_copies_s": merge_s, "team_agreement_articles": report["articles"],
            "team_agreement_pairs": len(report["pairs"]), "team_agreement_s": agreement_s,
            "team_span_f1": report["overall"]["span_f1"]}
