"""Teams at scale: hand out a 10,000-article project to ten reviewers (a fifth shared),
have each approve their copy, merge the ten copies back, and measure agreement over the
2,000 articles all of them reviewed (45 pairs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.corpus import synthetic_articles
from core.nlp.store_rules import store_rules
from core.store import Project

N_TEAM = int(os.environ.get("ASSAY_BENCH_TEAM", "10000"))
REVIEWERS = [f"r{i}" for i in range(10)]


def bench_teams(tmp: Path) -> dict:
    from core.teams.agreement import agreement
    from core.teams.assign import hand_out
    from core.teams.merge import merge_copy

    path = tmp / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as project:
        arts = synthetic_articles(N_TEAM, seed=11, words=(60, 120), with_spans=True)
        for i in range(0, len(arts), 5000):
            project.add_articles(arts[i:i + 5000])
    with Project.open(path, rules=store_rules()) as project:
        started = time.perf_counter()
        paths = hand_out(project, REVIEWERS, tmp / "copies", overlap=0.2, seed=0)
        hand_out_s = time.perf_counter() - started
    for n, (reviewer, copy_path) in enumerate(paths.items()):
        with Project.open(copy_path, rules=store_rules()) as copy:
            ids = copy.article_ids()
            for i, article_id in enumerate(ids):
                if (i + n) % 7 == 0:  # some disagreement: each reviewer rejects a few
                    first = copy.spans(article_id)
                    if first:
                        copy.update_span(first[0].id, reviewer, state="rejected")
            for article_id in ids:
                copy.approve_article(article_id, reviewer)
    with Project.open(path, rules=store_rules()) as project:
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


ADJUDICATE_ENTITIES = 300
ADJUDICATE_RUNS = 5


def bench_adjudication(tmp: Path) -> dict:
    """Open a 300-entity article in the adjudication view (three reviewers' lanes, the
    regions where they differ, the Adjudicate tab) until it is painted, against opening
    the same article in the plain review view in the same run (the ceiling). The first
    open also takes the agreed spans (a write), so it is reported on its own."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sys

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench.corpus import entity_spans
    from bench.team_scene import three_reviewers
    from core.models import ArticleIn, SpanIn
    from gui.window.main_window import MainWindow

    text = synthetic_articles(1, seed=9, words=(6000, 6000))[0].text
    spans = [SpanIn(s.start, s.end, s.label) for s in
             entity_spans(text, limit=ADJUDICATE_ENTITIES)]  # all suggestions, untouched
    path = tmp / "adjudicate.assay"
    with Project.create(path, name="adjudicate", rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text="A short article about cobalt in Zambia.", title="short"),
            ArticleIn(text=text, title="300 entities", spans=tuple(spans))])
    three_reviewers(path, tmp / "adjudicate-copies")
    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow(QSettings(str(tmp / "adj.ini"), QSettings.Format.IniFormat), "bench")
    window.open_project(path)
    window.show()
    app.processEvents()

    def switch(article_id: int) -> None:
        window.show_article(article_id)
        window.view.viewport().repaint()
        app.processEvents()

    def best(runs: int = ADJUDICATE_RUNS) -> float:
        times = []
        for _ in range(runs):
            switch(1)
            started = time.perf_counter()
            switch(2)
            times.append(time.perf_counter() - started)
        return min(times)

    plain = best()
    window.adjudication.act_mode.trigger()
    while window.jobs.job is not None:  # the worklist, read in the background
        app.processEvents()
    switch(1)
    started = time.perf_counter()
    switch(2)
    first = time.perf_counter() - started
    adjudicating = best()
    regions = len(window.adjudication.comparison.regions)
    lanes = len(window.adjudication.comparison.lanes)
    window.close()
    return {"adjudicate_entities": len(spans), "adjudicate_lanes": lanes,
            "adjudicate_regions": regions, "adjudicate_first_open_s": first,
            "adjudicate_open_s": adjudicating, "adjudicate_plain_open_s": plain,
            "adjudicate_open_vs_plain": adjudicating / plain}
