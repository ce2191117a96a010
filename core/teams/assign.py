"""Hand out work: one project file per reviewer, with a shared overlap for agreement.

A share ``overlap`` of the articles goes to every reviewer (the agreement sample), the rest
is split evenly, in a seeded random order. Each copy is an ordinary Assay project (the
reviewer opens it in the app) that says where it came from: the origin's ``project_id``,
the reviewer, a copy id, the SHA-256 of every article it was given and a digest of them.
The project records the same, in one transaction with an audit event
(``Project.record_hand_out``), and ``core.teams.merge`` trusts only that record.

A copy is **blind**: it carries the pre-annotation's suggestions as they were suggested
(``Project.suggestions_as_made``), the relations the pre-annotator suggested between them
(pending) and the claims the rules suggested, undecided, never the lead's decisions,
added entities or relations, links, verdicts, notes or approvals, so that reviewers judge
the text and not the lead's version of it. A second opinion on the lead's version is
asked for explicitly (``show_decisions``, ``assign --show-decisions``): its copy carries
the lead's spans and relations as they stand; the copy and the record say so, and the
agreement report names such versions. Every copy has the project's relation types and
topics; a blind copy carries the topics a model suggested, as suggestions (whatever the
lead made of them), a second opinion the lead's topics as they stand.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from core.errors import AssayError
from core.models import (
    ArticleIn,
    ArticleTopic,
    ClaimIn,
    RelationIn,
    RelationType,
    Reviewed,
    SpanIn,
    TopicIn,
)
from core.store import ArticleFilter, Project
from core.store.files import check_destination, make_folder, sidecars
from core.store.handouts import HandedOut
from core.store.reading import AsMade
from core.text.file_names import check_file_name
from core.text.normalise import one_line

# Who writes a copy's rows (its articles, spans, topics): the hand-out itself, not a reviewer.
HAND_OUT = "assign"
COPY_KEYS = ("copy_of", "copy_id", "copy_reviewer", "copy_articles", "copy_digest",
             "copy_shows_decisions")


@dataclass(frozen=True)
class Assignment:
    """Which articles go to whom: ``shared`` to all, ``own[reviewer]`` to one."""

    shared: list[int]
    own: dict[str, list[int]]

    def of(self, reviewer: str) -> list[int]:
        return sorted(self.shared + self.own[reviewer])


def reviewer_names(text: str) -> list[str]:
    """The reviewers named in ``ana, ben,cy`` (the CLI's ``--reviewers`` and the Hand out
    dialog's field): split at commas, spaces around a name dropped, empty names skipped;
    a name given twice is left for ``plan`` to refuse with a sentence."""
    return [name.strip() for name in text.split(",") if name.strip()]


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


def check_reviewer_name(name: str) -> str:
    """A reviewer's name as a copy's file name and every terminal will show it, stripped.

    The name becomes part of the copy's file name, so it obeys the one file-name rule
    (``core.text.file_names``: no path characters, control, format or bidi characters,
    nothing Windows refuses, not too long); a line break gets its own plainer sentence.
    """
    name = name if isinstance(name, str) else ""
    if any(ch in "\n\r\u2028\u2029" for ch in name.strip()):
        raise AssayError(f"The reviewer name \u201c{one_line(name, 40)}\u201d holds a line "
                         "break; type it on one line.")
    return check_file_name(name, "reviewer name")


def copy_digest(copy_id: str, reviewer: str, sha256s: Iterable[str],
                shows_decisions: bool) -> str:
    """The digest of what a copy is: its id, reviewer, whether it showed the lead's
    decisions and its articles' SHA-256s (order-free). Written into the copy and the
    project's record; merge compares the copy's with the record's."""
    what = [copy_id, reviewer, bool(shows_decisions), sorted(sha256s)]
    return hashlib.sha256(json.dumps(what, ensure_ascii=False).encode("utf-8")).hexdigest()


def hand_out(project: Project, reviewers: list[str], out_dir: str | Path, *,
             overlap: float = 0.2, seed: int = 0, include_decided: bool = False,
             show_decisions: bool = False, who: str = "assign") -> dict[str, Path]:
    """Write ``<out_dir>/<name>-<reviewer>.assay`` for each reviewer and record in the
    project what went out (one transaction, one audit event); returns the copies' paths.

    Pending articles only unless ``include_decided``. Each copy is blind (the module's
    docstring) unless ``show_decisions``. All or nothing: on any refusal or fault, the
    copies already written are removed and nothing is recorded."""
    if not project.project_id:
        raise AssayError("This project has no identity yet; open it once with this Assay.")
    if project.read_only:
        raise AssayError(f"{project.path.name} is open read-only, and handing out is "
                         "recorded in it; open it where it can be changed.")
    names = [check_reviewer_name(r) for r in reviewers]
    if len({n.casefold() for n in names}) != len(names):
        raise AssayError("Name each reviewer once (--reviewers ana,ben,cy).")
    flt = None if include_decided else ArticleFilter(status="pending")
    ids = project.article_ids(flt)
    if not ids:
        raise AssayError("No articles to hand out (pending ones only, unless --all).")
    assignment = plan(ids, names, overlap, seed)
    out = Path(out_dir)
    stem = _file_stem(project)
    made_folder = make_folder(out, [project.path], "hand out copies into")
    paths = {r: out / f"{stem}-{r}.assay" for r in names}
    try:
        for path in paths.values():
            if path.exists():
                raise AssayError(f"{path} already exists; choose another folder. Nothing "
                                 "was written.")
            check_destination(path, [project.path], "write a reviewer's copy to")
    except AssayError:
        if made_folder:
            out.rmdir()
        raise
    labels = project.labels()
    made: list[Path] = []
    records: list[HandedOut] = []
    try:
        for reviewer, path in paths.items():
            chosen = assignment.of(reviewer)
            made.append(path)
            records.append(_write_copy(project, labels, chosen, reviewer, path,
                                       show_decisions))
        project.record_hand_out(records, who)
    except BaseException:
        for path in made:
            for part in (path, *sidecars(path)):
                part.unlink(missing_ok=True)
        raise
    return paths


def _file_stem(project: Project) -> str:
    """The copies' names start with the project's name, or its file's when the name could
    not be part of a file name (``../outside``)."""
    try:
        return check_file_name(project.name, "project name")
    except AssayError:
        return project.path.stem


def _write_copy(project: Project, labels: list, chosen: list[int], reviewer: str,
                path: Path, show_decisions: bool) -> HandedOut:
    types = project.relation_types()
    if show_decisions:
        records = list(project.reviewed(chosen, claim_states=("suggested", "accepted"),
                                        suggestions=True, relations=True))
        articles = [_with_decisions(rec, types) for rec in records]
    else:
        records = list(project.reviewed(chosen, claim_states=(
            "suggested", "accepted", "dismissed")))
        made = project.suggestions_as_made(chosen)
        articles = [_blind(rec, made.get(rec.article.id, AsMade([], [])), types)
                    for rec in records]
    articles = [replace(art, topics=_copied_topics(project.article_topics(rec.article.id),
                                                   show_decisions))
                for art, rec in zip(articles, records, strict=True)]
    copy_id = uuid.uuid4().hex
    sha256s = sorted(rec.article.sha256 for rec in records)
    digest = copy_digest(copy_id, reviewer, sha256s, show_decisions)
    with Project.create(path, name=f"{_file_stem(project)}-{reviewer}",
                        rules=project.rules) as copy:
        copy.use_scheme(labels, "assign")
        copy.use_relation_types(types, HAND_OUT)
        copy.use_topics(project.topics(), HAND_OUT)
        copy.add_articles(articles, reviewer=HAND_OUT)
        for key, value in (("copy_of", project.project_id), ("copy_id", copy_id),
                           ("copy_reviewer", reviewer), ("copy_articles", json.dumps(sha256s)),
                           ("copy_digest", digest),
                           ("copy_shows_decisions", "1" if show_decisions else "0")):
            copy.set_meta(key, value)
    return HandedOut(copy_id, reviewer, tuple(sorted((rec.article.id, rec.article.sha256)
                                                     for rec in records)),
                     digest, show_decisions)


def _copied_topics(rows: Sequence[ArticleTopic], show_decisions: bool) -> tuple[TopicIn, ...]:
    """An article's topics as a copy carries them: a second opinion's copy the lead's live
    ones as they stand; a blind copy only what a model suggested, as a suggestion again
    (the lead's acceptance or rejection of it is a decision the copy does not show)."""
    if show_decisions:
        return tuple(TopicIn(r.topic, r.state, r.origin, r.model, r.score)
                     for r in rows if r.live)
    return tuple(TopicIn(r.topic, "suggested", "model", r.model, r.score)
                 for r in rows if r.origin == "model" and r.model)


def _blind(rec: Reviewed, made: AsMade, types: list[RelationType]) -> ArticleIn:
    """The article as pre-annotation left it: its suggestions as made with the relations
    suggested between those it keeps, the claims the rules suggested (undecided, no
    verdict, evidence or note); no decision of anyone's."""
    a = rec.article
    claims = [ClaimIn(c.start, c.end, "unchecked", "", "", "suggested", "rules", c.reason)
              for c in rec.claims if c.origin == "rules"]
    kept = _apart(made.spans)
    spans = tuple(made.spans[i] for i in kept)
    return ArticleIn(text=a.text, title=a.title, source=a.source, url=a.url,
                     published=a.published, spans=spans,
                     claims=tuple(claims[i] for i in _apart(claims)),
                     relations=_fitting(spans, _renumbered(made.relations, kept), types),
                     model=a.model, pages=a.page_starts)


def _apart(items: Sequence) -> list[int]:
    """The positions of the items (spans or claims, in order of preference) that do not
    overlap one kept before, in text order: suggestions made in different runs may
    overlap, and a copy holds live ones apart as every project does."""
    starts: list[int] = []
    kept: list = []
    for index, item in enumerate(items):
        i = bisect_right(starts, item.start)
        if (i and kept[i - 1][1].end > item.start) or (
                i < len(kept) and kept[i][1].start < item.end):
            continue
        starts.insert(i, item.start)
        kept.insert(i, (index, item))
    return [index for index, _item in kept]


def _renumbered(relations: Sequence[RelationIn], kept: Sequence[int]) -> list[RelationIn]:
    """Relations whose ends both stay, their ends renumbered to the kept spans' places."""
    place = {old: new for new, old in enumerate(kept)}
    return [RelationIn(place[r.head], place[r.tail], r.type, r.state, r.origin, r.model)
            for r in relations if r.head in place and r.tail in place]


def _fitting(spans: Sequence[SpanIn], relations: Iterable[RelationIn],
             types: Sequence[RelationType]) -> tuple[RelationIn, ...]:
    """The relations a copy can hold: of a type the scheme still has that allows the
    ends' labels (a suggestion made before the scheme changed may not), each once (a
    symmetric type's either way round)."""
    by_name = {t.name: t for t in types}
    seen: set[tuple[int, int, str]] = set()
    out = []
    for r in relations:
        kind = by_name.get(r.type)
        if kind is None or not kind.allows(spans[r.head].label, spans[r.tail].label):
            continue
        pair = (min(r.head, r.tail), max(r.head, r.tail)) if kind.symmetric else (r.head,
                                                                                  r.tail)
        if (*pair, r.type) not in seen:
            seen.add((*pair, r.type))
            out.append(r)
    return tuple(out)


def _with_decisions(rec: Reviewed, types: list[RelationType]) -> ArticleIn:
    """The article with the lead's current spans, relations and claims (a second opinion
    on them)."""
    a = rec.article
    shown = [*rec.spans, *rec.suggestions]
    spans = tuple(SpanIn(s.start, s.end, s.label, s.origin, s.state, s.kb_id) for s in shown)
    place = {s.id: i for i, s in enumerate(shown)}
    relations = [RelationIn(place[r.head_id], place[r.tail_id], r.type, r.state, r.origin,
                            r.model) for r in rec.relations
                 if r.head_id in place and r.tail_id in place]
    claims = tuple(ClaimIn(c.start, c.end, c.verdict, c.evidence_url, c.note, c.state,
                           c.origin, c.reason) for c in rec.claims)
    return ArticleIn(text=a.text, title=a.title, source=a.source, url=a.url,
                     published=a.published, spans=spans, claims=claims,
                     relations=_fitting(spans, relations, types), pages=a.page_starts)
