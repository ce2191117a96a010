"""The map's stages, left to right: who funds, who is funded, who holds reserves and produces, who
processes, the minerals, who they are supplied to, who restricts, and other ties.

A node stands in the stage of its heaviest role (the summed weights of the edges that give
it that role; a tie goes to the earlier stage); a mineral stands with the minerals. Within
a stage the heaviest node is on top. Only stages with nodes are drawn.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.stats.chain_map import ChainMap
from core.text.chain_nodes import MINERAL

STAGES = (("funding", "Funding"), ("funded", "Funded"),
          ("production", "Reserves and production"),
          ("processing", "Processing"), ("mineral", "Minerals"),
          ("supplied", "Supplied to"), ("restricting", "Restrictions"),
          ("other", "Other ties"))
# (relation type, end) -> the stage that role puts a node in.
ROLES = {("FUNDS", "head"): "funding", ("FUNDS", "tail"): "funded",
         ("HOLDS_RESERVES", "head"): "production",
         ("PRODUCES", "head"): "production", ("SUPPLIES", "head"): "production",
         ("PROCESSES", "head"): "processing", ("SUPPLIES", "tail"): "supplied",
         ("RESTRICTS", "tail"): "supplied", ("RESTRICTS", "head"): "restricting"}
ORDER = {stage: i for i, (stage, _title) in enumerate(STAGES)}
TITLES = dict(STAGES)


@dataclass
class Layout:
    columns: list[tuple[str, list[str]]]  # (stage, node keys shown, heaviest first)
    hidden: dict[str, int]  # stage -> nodes not drawn (beyond ``per_stage``)
    positions: dict[str, tuple[float, float]]  # node key -> (column, row from the top)

    @property
    def rows(self) -> int:
        return max((len(keys) for _stage, keys in self.columns), default=0)


def stage_of(cmap: ChainMap) -> dict[str, str]:
    """Each node's stage (see the module)."""
    weight: dict[str, Counter[str]] = {k: Counter() for k in cmap.nodes}
    for e in cmap.edges:
        for end, key in (("head", e.head), ("tail", e.tail)):
            role = ROLES.get((e.type, end))
            if role:
                weight[key][role] += e.weight
    out = {}
    for key, node in cmap.nodes.items():
        if node.kind == MINERAL:
            out[key] = "mineral"
        elif weight[key]:
            roles = weight[key]
            out[key] = min(roles, key=lambda s: (-roles[s], ORDER[s]))  # noqa: B023
        else:
            out[key] = "other"
    return out


def staged(cmap: ChainMap, per_stage: int = 12) -> Layout:
    """The columns and each shown node's place: column index, row from the top."""
    stages = stage_of(cmap)
    columns: list[tuple[str, list[str]]] = []
    hidden: dict[str, int] = {}
    positions: dict[str, tuple[float, float]] = {}
    for stage, _title in STAGES:
        keys = sorted((k for k, s in stages.items() if s == stage),
                      key=lambda k: (-cmap.nodes[k].weight, cmap.nodes[k].name.casefold()))
        if not keys:
            continue
        if cmap.mineral in keys:  # the chosen mineral first
            keys.remove(cmap.mineral)
            keys.insert(0, cmap.mineral)
        if len(keys) > per_stage:
            hidden[stage] = len(keys) - per_stage
            keys = keys[:per_stage]
        columns.append((stage, keys))
    rows = max((len(keys) for _s, keys in columns), default=0)
    for x, (_stage, keys) in enumerate(columns):
        top = (rows - len(keys)) / 2  # each column centred
        for i, key in enumerate(keys):
            positions[key] = (float(x), top + i)
    return Layout(columns, hidden, positions)
