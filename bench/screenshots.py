"""Screenshots of the window for docs/ (``python -m bench.screenshots``): the bundled sample
project, light and dark, at 1024×640, 1280×720 and 1440×880, offscreen. Open the PNGs and
look at them before committing."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from core.nlp.store_rules import store_rules

SIZES = {"1024x640": (1024, 640), "1280x720": (1280, 720), "full": (1440, 880)}


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.sample import ensure_sample_project
    from gui.common.theme import apply_theme
    from gui.window.main_window import MainWindow

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        project = ensure_sample_project(Path(tmp))
        for dark in (False, True):
            apply_theme(app, dark)
            settings = QSettings(str(Path(tmp) / f"s{dark}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(settings, "ana")
            window.open_project(project)
            window.show()
            view = window.view
            view.setFocus()
            view.jumps.step_undecided(1)  # an entity selected, as a reviewer sees it
            for name, size in SIZES.items():
                window.resize(*size)
                for _ in range(3):
                    app.processEvents()
                theme = "dark" if dark else "light"
                window.grab().save(str(out / f"window-{theme}-{name}.png"))
            window.close()
        apply_theme(app, False)
        team_screenshots(app, Path(tmp), project, out)
        statistics_screenshots(app, Path(tmp), out)
        claims_across_screenshots(app, Path(tmp), out)
        model_screenshots(app, Path(tmp), out)
        report_screenshot(out, Path(tmp))
    return 0


def gold_project(path: Path, gold: Path, n: int):
    """A project whose first ``n`` articles are gold briefs, approved as marked."""
    from bench.quality import read_marked
    from core.models import ArticleIn
    from core.store import Project

    passages = read_marked(gold)[:n]
    project = Project.create(path, name="briefs", rules=store_rules())
    project.add_articles([ArticleIn(text=p.text, title=p.id) for p in passages])
    for article_id, passage in zip(project.article_ids(), passages, strict=True):
        for start, end, label in passage.spans:
            project.add_span(article_id, start, end, label, "ana")
        project.approve_article(article_id, "ana")
    return project


def model_screenshots(app, tmp: Path, out: Path) -> None:
    """Review → Models… after training on 40 approved gold briefs (about a minute)."""
    from core.jobs.train import train_project
    from gui.models.dialog import ModelsDialog

    path = tmp / "briefs.assay"
    gold_project(path, Path(__file__).parent / "gold" / "train-a.gold", 40).close()
    result = train_project(path, epochs=10)
    dialog = ModelsDialog(None, str(path), "", result.model_id)
    for name, size in (("", (980, 640)), ("-1024x640", (1024, 600))):
        dialog.resize(*size)
        dialog.show()
        for _ in range(3):
            app.processEvents()
        dialog.grab().save(str(out / f"models{name}.png"))
    dialog.close()


def team_screenshots(app, tmp: Path, sample: Path, out: Path) -> None:
    """The adjudication view and the agreement dialog on the sample project reviewed by
    a team of three (``bench.team_scene``)."""
    import shutil

    from PySide6.QtCore import QSettings

    from bench.team_scene import three_reviewers
    from gui.teams.agreement_view import AgreementDialog
    from gui.window.main_window import MainWindow

    origin = tmp / "team.assay"
    shutil.copy(sample, origin)
    three_reviewers(origin, tmp / "copies")
    settings = QSettings(str(tmp / "team.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "lead")
    window.open_project(origin)
    window.show()
    window.adjudication.act_mode.trigger()
    while window.jobs.job is not None:  # the worklist is read in the background
        app.processEvents()
    worst = window.adjudication.panel.article_ids()
    window.show_article(worst[0])
    for name, size in (("", (1440, 880)), ("-1024x640", (1024, 640))):
        window.resize(*size)
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(out / f"adjudication{name}.png"))
    dialog = AgreementDialog(window)
    dialog.show()
    for _ in range(3):
        app.processEvents()
    dialog.grab().save(str(out / "agreement.png"))
    dialog.close()
    window.close()


STATS_REVIEWERS = {"ana": 75, "ben": 120, "chen": 170, "dara": 95}  # median seconds each
STATS_MODELS = {"en_core_web_sm 3.8.0": (0.12, 0.06, 0.06, 0.25),  # missed, relabelled,
                "assay trained 2026-12-02": (0.06, 0.03, 0.04, 0.10)}  # cut short, spurious


def statistics_project(path: Path, seed: int = 16) -> Path:
    """A project of the gold briefs as a team reviewed it: two pre-annotators whose
    suggestions carry the errors a model makes (missed, mislabelled, cut short, spurious),
    four reviewers who correct them to the gold over twelve days at their own pace, and
    claims with verdicts; the rest pending, a few rejected or skipped."""
    import random
    import re

    from bench.quality import read_marked
    from core.models import ArticleIn, SpanIn
    from core.store import Project

    rng = random.Random(seed)
    gold = Path(__file__).parent / "gold"
    passages = [p for name in ("train-a", "train-b", "dev")
                for p in read_marked(gold / f"{name}.gold")]
    rng.shuffle(passages)
    labels = sorted({lb for p in passages for *_se, lb in p.spans})

    def title(text: str) -> str:
        first = text.split(". ")[0].split("\n")[0]
        return first if len(first) <= 80 else first[:first.rfind(" ", 0, 78)] + "…"

    project = Project.create(path, name="Critical minerals briefs", rules=store_rules())
    project.add_articles([ArticleIn(text=p.text, title=title(p.text), source=p.source,
                                    published=f"2026-{9 + i % 3:02d}-{1 + i * 7 % 28:02d}")
                          for i, p in enumerate(passages)])
    ids = project.article_ids()
    by_model: dict[str, list] = {m: [] for m in STATS_MODELS}
    for k, (article_id, p) in enumerate(zip(ids, passages, strict=True)):
        model = list(STATS_MODELS)[0 if k % 3 else 1]
        missed, relabelled, short, spurious = STATS_MODELS[model]
        taken = [(s, e) for s, e, _lb in p.spans]
        suggestions = []
        for s, e, lb in p.spans:
            r = rng.random()
            if r < missed:
                continue
            if r < missed + relabelled:
                lb = rng.choice([x for x in ("ORG", "GPE", "PERSON", "LOC") if x != lb])
            elif r < missed + relabelled + short and " " in p.text[s:e].strip():
                e = s + p.text[s:e].rstrip().rfind(" ")
            suggestions.append(SpanIn(s, e, lb, origin="model"))
        for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", p.text):
            if rng.random() < spurious / 3 and not any(
                    a < m.end() and m.start() < b for a, b in taken):
                suggestions.append(SpanIn(m.start(), m.end(), rng.choice(labels),
                                          origin="model"))
                taken.append((m.start(), m.end()))
        by_model[model].append((article_id, sorted(suggestions, key=lambda x: x.start), None))
    for model, batch in by_model.items():
        project.store_annotations(batch, model=model)

    conn = project.conn
    for k, (article_id, p) in enumerate(zip(ids, passages, strict=True)):
        if k >= len(ids) * 3 // 4:
            break  # the last quarter is still to review
        reviewer = list(STATS_REVIEWERS)[rng.choice((0, 0, 0, 1, 1, 1, 2, 3, 3))]
        day = 1 + min(11, int(k / (len(ids) * 3 / 4) * 12))
        if k % 23 == 5:
            project.set_article_status(article_id, "skipped", reviewer)
            continue
        gold_at = {s: (e, lb) for s, e, lb in p.spans}
        for span in project.spans(article_id):
            if span.start not in gold_at:
                project.reject_span(span.id, reviewer)
                continue
            end, label = gold_at.pop(span.start)
            if label != span.label:
                project.relabel_span(span.id, label, reviewer)
            if end != span.end:
                project.resize_span(span.id, span.start, end, reviewer)
        for start, (end, label) in gold_at.items():
            project.add_span(article_id, start, end, label, reviewer)
        seconds = rng.lognormvariate(0, 0.45) * STATS_REVIEWERS[reviewer] * (
            0.6 + len(p.text) / 1500)
        if k % 31 == 7:
            project.set_article_status(article_id, "rejected", reviewer, seconds=seconds)
        else:
            project.suggest_claims(article_id, reviewer)
            for claim in project.claims(article_id):
                r = rng.random()
                verdict = ("supported" if r < 0.45 else "refuted" if r < 0.55 else
                           "unverifiable" if r < 0.68 else "unchecked" if r < 0.8 else None)
                if verdict:
                    project.update_claim(claim.id, reviewer, verdict=verdict)
            project.approve_article(article_id, reviewer, seconds=seconds)
        conn.execute("UPDATE articles SET reviewed_at = ? WHERE id = ?",
                     (f"2026-11-{day:02d}T{9 + k % 8:02d}:{k * 7 % 60:02d}:00+00:00",
                      article_id))
        conn.commit()
    _statistics_topics(project, ids)
    project.close()
    return path


def _statistics_topics(project, ids: list[int]) -> None:
    """Topics for the statistics project: one to three per article, some suggested by a
    model, over the months its articles are dated (its own seed: the rest stays as it was)."""
    import random

    rng = random.Random(29)
    names = [t.name for t in project.topics()]
    weights = [9, 5, 6, 4, 7, 3, 2, 4, 2][:len(names)] + [1] * (len(names) - 9)
    for k, article_id in enumerate(ids):
        for topic in set(rng.choices(names, weights=weights, k=rng.choice((1, 1, 2, 2, 3)))):
            if k % 4 == 0:
                project.suggest_topics(article_id, {topic: 0.8}, "topics-v1")
            else:
                project.set_article_topic(article_id, topic, True, "ana")


def statistics_screenshots(app, tmp: Path, out: Path) -> None:
    """Review → Statistics…, each tab, at a normal size and at 1024×640, with a cell of
    the heat map clicked."""
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from gui.statistics.window import show_statistics
    from gui.window.main_window import MainWindow

    path = statistics_project(tmp / "statistics.assay")
    settings = QSettings(str(tmp / "statistics.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "lead")
    window.open_project(path)
    window.show()
    dialog = show_statistics(window)
    while not (dialog.numbers is not None and dialog.done_reading()):
        app.processEvents()
    cm = dialog.numbers.country_minerals
    dialog.tabs.setCurrentIndex(2)
    app.processEvents()
    dialog.show_cell(*max(cm.cells, key=cm.cells.get))
    while not dialog.done_reading():
        app.processEvents()
    names = ("progress", "entities", "countries-minerals", "claims")
    for size_name, size in (("", (1200, 760)), ("-1024x640", (1024, 640))):
        dialog.resize(*size)
        for k, name in enumerate(names):
            dialog.tabs.setCurrentIndex(k)
            QTest.qWait(400)  # the charts are drawn again once a resize settles
            dialog.grab().save(str(out / f"statistics-{name}{size_name}.png"))
        dialog.tabs.setCurrentIndex(dialog.tabs.indexOf(dialog.topics_pane))
        QTest.qWait(400)
        dialog.grab().save(str(out / f"statistics-topics{size_name}.png"))
    dialog.close()
    window.close()


def statistics_only() -> int:
    """``python -m bench.screenshots statistics [OUT]``: only the statistics window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        statistics_screenshots(app, Path(tmp), out)
    return 0


CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def report_screenshot(out_dir: Path, tmp: Path | None = None,
                      size: tuple[int, int] = (1280, 2400)) -> Path:
    """docs/report.png: the top of ``assay-cli report`` on the statistics project, as
    headless Chromium shows it (``make test-deps`` installs Chromium)."""
    import shutil
    import subprocess

    from core.stats.report import write_report
    from core.store import Project

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is missing: make test-deps installs it")
    with tempfile.TemporaryDirectory(dir=tmp) as folder:
        work = Path(folder)
        with Project.open_for_reading(statistics_project(work / "statistics.assay"),
                                      rules=store_rules()) as p:
            page = write_report(p, work / "report.html").path
        png = Path(out_dir) / "report.png"
        result = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'chromium'}",
             f"--window-size={size[0]},{size[1]}", f"--screenshot={png.resolve()}",
             page.resolve().as_uri()], capture_output=True, text=True, timeout=180,
            stdin=subprocess.DEVNULL)
        if result.returncode != 0 or not png.exists():
            raise SystemExit(f"chromium failed: {result.stderr[-1000:]}")
    return png


# Short news items we wrote for the screenshot: what six outlets said about China and
# cobalt, with figures that agree and differ, a verdict, and one undated item.
ACROSS_ARTICLES = [
    ("Cobalt refining stays in China", "2025-03-04",
     "China refines about 70% of the world's cobalt, the International Energy Agency said "
     "in its 2024 outlook. Most of the ore comes from the Democratic Republic of the Congo."),
    ("Refiners expand outside Asia", "2025-06-12",
     "Chinese refiners processed 76 per cent of cobalt supply in 2024, up from 2023, a "
     "consultancy said. Finland and Canada plan new plants."),
    ("Market note", "2025-05-20",
     "China's share of cobalt refining is 70 %, analysts said.\nPrices fell 12% in May."),
    ("Stockpiles", "2024-11-02",
     "China bought 15,000 tonnes of cobalt for its state reserve last year, traders said."),
    ("Katanga output", "2024-09-30",
     "Mines in Lualaba shipped 40,000 tonnes of cobalt to China in the first half, worth "
     "$1.2 billion."),
    ("", "", "China could refine 80% of cobalt by 2030, a lobby group claimed."),
]


def claims_across_screenshots(app, tmp: Path, out: Path) -> None:
    """The Claims tab with "Across the corpus" filled for a claim about China and cobalt
    (docs/claims-across.png and -1024x640), from a small project of our own items."""
    import re

    from PySide6.QtCore import QSettings

    from core.models import ArticleIn, SpanIn
    from core.store import Project
    from gui.window.main_window import MainWindow

    labels = {"China": "GPE", "Chinese": "NORP", "cobalt": "MINERAL", "Lualaba": "GPE",
              "International Energy Agency": "ORG", "2024": "DATE", "2023": "DATE",
              "2030": "DATE", "May": "DATE", "70%": "PERCENT", "76 per cent": "PERCENT",
              "70 %": "PERCENT", "12%": "PERCENT", "80%": "PERCENT",
              "$1.2 billion": "MONEY"}
    names = re.compile("|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True)))

    path = tmp / "across.assay"
    with Project.create(path, name="cobalt desk", rules=store_rules()) as project:
        project.add_articles([ArticleIn(
            text=text, title=title, published=published,
            spans=tuple(SpanIn(m.start(), m.end(), labels[m.group()])
                        for m in names.finditer(text)))
            for title, published, text in ACROSS_ARTICLES])
        first = ACROSS_ARTICLES[0][2]
        claim = project.add_claim(1, 0, first.index(" Most"), "ana")
        market = ACROSS_ARTICLES[2][2]
        other = project.add_claim(3, 0, market.index("\n"), "ana")
        project.update_claim(other.id, "ana", verdict="supported")
        project.approve_article(2, "ana")
    window = MainWindow(QSettings(str(tmp / "across.ini"), QSettings.Format.IniFormat), "ana")
    window.open_project(path)
    window.show()
    window.show_article(1)
    window.claims_review.select(claim.id, scroll=True)
    while window.claims_review.across.busy:  # read in the background
        app.processEvents()
    for name, size in (("", (1440, 880)), ("-1024x640", (1024, 640))):
        window.resize(*size)
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(out / f"claims-across{name}.png"))
    window.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["statistics"]:
        sys.exit(statistics_only())
    if sys.argv[1:2] == ["report"]:  # python -m bench.screenshots report [OUT]
        print(report_screenshot(Path(sys.argv[2] if len(sys.argv) > 2 else "docs")))
        sys.exit(0)
    sys.exit(main())
