"""Everything the statistics figures draw, read in one go: for the statistics window's
worker thread (its own read-only connection) and for the report."""

from __future__ import annotations

from dataclasses import dataclass

from core.stats.charts import display_names, ids_of
from core.store.statistics import ClaimCounts, CountryMinerals, Progress, Quality


@dataclass
class Numbers:
    progress: Progress
    entities: dict[str, int]  # live entities per label (suggested + accepted), scheme order
    accepted: dict[str, int]  # accepted entities per label
    quality: Quality
    country_minerals: CountryMinerals
    claims: ClaimCounts
    names: dict[str, str]  # country and mineral ids -> their names


def gather(project) -> Numbers:
    """The statistics of ``project`` (a ``core.store.Project``): a few small reads."""
    s = project.statistics
    cm, claims = s.country_minerals(), s.claims()
    return Numbers(s.progress(), project.counts_by_label(),
                   project.counts_by_label(include_suggested=False), s.quality(), cm, claims,
                   display_names(project, ids_of(cm, claims)))
