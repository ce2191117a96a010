"""Everything the statistics figures draw, read in one go: for the statistics window's
worker thread (its own read-only connection) and for the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import RELATION_STATES
from core.stats.charts import display_names, ids_of
from core.store.statistics import ClaimCounts, CountryMinerals, Progress, Quality
from core.store.topic_statistics import TopicCounts


@dataclass
class Numbers:
    progress: Progress
    entities: dict[str, int]  # live entities per label (suggested + accepted), scheme order
    accepted: dict[str, int]  # accepted entities per label
    quality: Quality
    country_minerals: CountryMinerals
    claims: ClaimCounts
    names: dict[str, str]  # country and mineral ids -> their names
    # Relations per type (scheme order, then types no longer in it) and state, as stored.
    relations: dict[str, dict[str, int]] = field(default_factory=dict)
    # Relation suggestions as reviewers judged them, per (model, type) (approved articles).
    relation_quality: Quality | None = None
    # Live topics per topic, state and month (``core.store.topic_statistics``).
    topics: TopicCounts | None = None


def gather(project) -> Numbers:
    """The statistics of ``project`` (a ``core.store.Project``): a few small reads."""
    s = project.statistics
    cm, claims = s.country_minerals(), s.claims()
    return Numbers(s.progress(), project.counts_by_label(),
                   project.counts_by_label(include_suggested=False), s.quality(), cm, claims,
                   display_names(project, ids_of(cm, claims)), relations_by_type(project),
                   s.quality("rjudged"), s.topics())


def relations_by_type(project) -> dict[str, dict[str, int]]:
    """Relations per type and state from the sums every write keeps (``relation_counts``):
    every type of the scheme, in its order, each state counted (0 too)."""
    counts = project.relation_counts()
    kinds = [t.name for t in project.relation_types()]
    kinds += sorted({kind for kind, _state in counts} - set(kinds))
    return {kind: {state: counts.get((kind, state), 0) for state in RELATION_STATES}
            for kind in kinds}


def relations_summary(relations: dict[str, dict[str, int]]) -> str:
    """``12 relations: 5 accepted, 4 suggested, 3 rejected`` (the window and the report)."""
    by_state = {state: sum(by.get(state, 0) for by in relations.values())
                for state in RELATION_STATES}
    total = sum(by_state.values())
    return (f"{total:,} relation{'' if total == 1 else 's'}: {by_state['accepted']:,} "
            f"accepted, {by_state['suggested']:,} suggested and undecided, "
            f"{by_state['rejected']:,} rejected")
