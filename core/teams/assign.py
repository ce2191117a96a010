"""Hand out work: one project file per reviewer, with a shared overlap for agreement.

A share ``overlap`` of the articles goes to every reviewer (the agreement sample), the rest
is split evenly, in a seeded random order. Each copy is an ordinary Assay project (the
reviewer opens it in the app) that records where it came from: the origin's
``project_id``, the reviewer, a copy id, and the SHA-256 of every article it was given,
which ``core.teams.merge`` checks before taking anything back.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from core.errors import AssayError
from core.models import ArticleIn, ClaimIn, SpanIn
from core.store import ArticleFilter, Project
from core.store.files import check_destination, make_folder
from core.text.file_names import check_file_name

COPY_KEYS = ("copy_of", "copy_id", "copy_reviewer", "copy_articles")


@dataclass(frozen=True)
class Assignment:
    """Which articles go to whom: ``shared`` to all, ``own[reviewer]`` to one."""

    shared: list[int]
    own: dict[str, list[int]]

    def of(self, reviewer: str) -> list[int]:
        return sorted(self.shared + self.own[reviewer])


def plan(article_ids: list[int], reviewers: list[str], overlap: float,
         seed: int = 0) -> Assignment:
    """Split ``article_ids``: round(overlap × n) shared by all, the rest dealt in turn."""
    if not reviewers or len(set(reviewers)) != len(reviewers):
        raise AssayError("Name each reviewer once (--reviewers ana,ben,cy).")
    if not 0 <= overlap <= 1:
        raise AssayError("--overlap is a share between 0 and 1 (0.2: a fifth to everyone).")
    order = sorted(article_ids)
    random.Random(seed).shuffle(order)
    n_shared = round(overlap * len(order))
    shared, rest = order[:n_shared], order[n_shared:]
    own = {r: rest[i::len(reviewers)] for i, r in enumerate(reviewers)}
    return Assignment(sorted(shared), {r: sorted(ids) for r, ids in own.items()})


def hand_out(project: Project, reviewers: list[str], out_dir: str | Path, *,
             overlap: float = 0.2, seed: int = 0, include_decided: bool = False
             ) -> dict[str, Path]:
    """Write ``<out_dir>/<name>-<reviewer>.assay`` for each reviewer; returns their paths.

    Pending articles only unless ``include_decided``; each goes with its current spans
    (suggestions and what was already decided) and its claims."""
    if not project.project_id:
        raise AssayError("This project has no identity yet; open it once with this Assay.")
    flt = None if include_decided else ArticleFilter(status="pending")
    ids = project.article_ids(flt)
    if not ids:
        raise AssayError("No articles to hand out (pending ones only, unless --all).")
    assignment = plan(ids, reviewers, overlap, seed)
    # Both names become the copies' file names (core.text.file_names: no "/", "..", newline).
    check_file_name(project.name, "project name")
    for reviewer in reviewers:
        check_file_name(reviewer, "reviewer name")
    out = Path(out_dir)
    made = make_folder(out, [project.path], "hand out copies into")
    paths = {r: out / f"{project.name}-{r}.assay" for r in reviewers}
    try:
        for path in paths.values():
            if path.exists():
                raise AssayError(f"{path} already exists; choose another folder. Nothing "
                                 "was written.")
            check_destination(path, [project.path], "write a reviewer's copy to")
    except AssayError:
        if made:
            out.rmdir()
        raise
    labels = project.labels()
    for reviewer, path in paths.items():
        chosen = assignment.of(reviewer)
        records = list(project.reviewed(chosen, claim_states=("suggested", "accepted"),
                                        suggestions=True))
        with Project.create(path, name=f"{project.name}-{reviewer}", rules=project.rules) as copy:
            copy.use_scheme(labels, "assign")
            copy.add_articles([_article_in(rec) for rec in records], reviewer="assign")
            for key, value in (("copy_of", project.project_id), ("copy_id", uuid.uuid4().hex),
                               ("copy_reviewer", reviewer),
                               ("copy_articles", json.dumps(sorted(
                                   rec.article.sha256 for rec in records)))):
                copy.set_meta(key, value)
    return paths


def _article_in(rec) -> ArticleIn:
    a = rec.article
    spans = tuple(SpanIn(s.start, s.end, s.label, s.origin, s.state, s.kb_id)
                  for s in [*rec.spans, *rec.suggestions])
    claims = tuple(ClaimIn(c.start, c.end, c.verdict, c.evidence_url, c.note, c.state,
                           c.origin, c.reason) for c in rec.claims)
    return ArticleIn(text=a.text, title=a.title, source=a.source, url=a.url,
                     published=a.published, spans=spans, claims=claims)
