"""The supply-chain map as read: nodes, typed edges weighted by the number of articles
stating them, and each edge's evidence sentences. The window, the CLI, the report and the
files all read it here.

The weights come from the rows every write keeps (``core.store.chain_edges``): the whole
map is one read of ``stat_counts``; a date range, a reviewer or a mineral reads the
articles' own rows through their index. A mineral's chain is every edge touching it and,
from the articles stating one, the edges between the others where one end has an edge to
it ("Australia exports lithium to China": Australia SUPPLIES China stays on lithium's map).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core.store.chain_edges import EdgeKey, Evidence, MapFilter
from core.text.chain_nodes import COUNTRY, KIND_OF_LABEL, MINERAL, node_ident, node_kind

__all__ = ["ChainMap", "Edge", "EdgeKey", "Evidence", "MapChoices", "MapFilter", "Node",
           "evidence", "map_choices", "read_map"]
LABEL_OF_KIND = {kind: label for label, kind in KIND_OF_LABEL.items() if label != "NORP"}


@dataclass
class Node:
    key: str
    name: str
    kind: str  # country, mineral, organisation, place
    weight: int = 0  # the weights of its edges, summed


@dataclass
class Edge:
    head: str
    type: str
    tail: str
    weight: int  # articles stating it

    @property
    def key(self) -> EdgeKey:
        return (self.head, self.type, self.tail)


@dataclass
class ChainMap:
    nodes: dict[str, Node]
    edges: list[Edge]  # heaviest first
    filter: MapFilter = field(default_factory=MapFilter)
    colours: dict[str, str] = field(default_factory=dict)  # relation type -> colour
    symmetric: set[str] = field(default_factory=set)
    mineral: str | None = None  # the chosen mineral's node key

    def name(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.name if node else node_ident(key).lstrip("~")

    def describe(self, edge: Edge | EdgeKey) -> str:
        head, kind, tail = edge.key if isinstance(edge, Edge) else edge
        return f"{self.name(head)} {kind} {self.name(tail)}"

    def edges_of(self, key: str) -> list[Edge]:
        return [e for e in self.edges if key in (e.head, e.tail)]


def _in_chain(weights: Counter[EdgeKey], mineral: str) -> Counter[EdgeKey]:
    """The edges of a mineral's chain (see the module), from the weights of its articles."""
    chain = {h for h, _k, t in weights if t == mineral} | {t for h, _k, t in weights
                                                           if h == mineral}
    return Counter({
        (h, k, t): n for (h, k, t), n in weights.items()
        if mineral in (h, t) or (node_kind(h) != MINERAL and node_kind(t) != MINERAL
                                 and (h in chain or t in chain))})


def _names(project, keys: set[str]) -> dict[str, str]:
    """Each node's name: a country's and a linked entity's from the gazetteers and the
    project's entries, else the name most articles use."""
    from core.stats.charts import display_names  # matplotlib: only when names are asked

    ids = [node_ident(k) for k in keys if node_kind(k) in (COUNTRY, MINERAL)
           and not node_ident(k).startswith("~")]
    known = display_names(project, ids)
    linker = project.linker()
    used = project.chain.names_used(keys)
    out: dict[str, str] = {}
    for key in keys:
        ident, kind = node_ident(key), node_kind(key)
        entry = None
        if not ident.startswith("~") and kind not in (COUNTRY, MINERAL):
            entry = linker.entry(LABEL_OF_KIND.get(kind, kind.upper()), ident)
        if known.get(ident, ident) != ident:
            out[key] = known[ident]
        elif entry is not None and entry.name:
            out[key] = entry.name
        else:
            out[key] = used.get(key) or ident.lstrip("~")
    return out


def read_map(project, flt: MapFilter | None = None) -> ChainMap:
    """The map of ``project`` (a ``core.store.Project``) as ``flt`` narrows it."""
    flt = flt or MapFilter()
    reads = project.chain
    mineral = reads.mineral_key(flt.mineral) if flt.mineral else None
    weights = reads.weights(flt, mineral)
    if mineral:
        weights = _in_chain(weights, mineral)
    if flt.types:
        weights = Counter({k: n for k, n in weights.items() if k[1] in flt.types})
    edges = sorted((Edge(h, k, t, n) for (h, k, t), n in weights.items() if n > 0),
                   key=lambda e: (-e.weight, e.head, e.type, e.tail))
    keys = {e.head for e in edges} | {e.tail for e in edges}
    if mineral:
        keys.add(mineral)
    names = _names(project, keys)
    nodes = {k: Node(k, names[k], node_kind(k)) for k in keys}
    for e in edges:
        nodes[e.head].weight += e.weight
        if e.tail != e.head:
            nodes[e.tail].weight += e.weight
    types = project.relation_types()
    return ChainMap(nodes, edges, flt, {t.name: t.color for t in types},
                    {t.name for t in types if t.symmetric}, mineral)


@dataclass
class MapChoices:
    """What the filters offer: the minerals on the map (key, name), the relation types and
    the reviewers who approved articles."""

    minerals: list[tuple[str, str]]
    types: list[str]
    reviewers: list[str]


def map_choices(project) -> MapChoices:
    keys = project.chain.minerals()
    names = _names(project, set(keys))
    return MapChoices([(k, names[k]) for k in keys], [t.name for t in project.relation_types()],
                      project.chain.reviewers())


def evidence(project, edge: EdgeKey, flt: MapFilter | None = None, articles: int = 50
             ) -> list[Evidence]:
    """The sentences stating ``edge`` in the newest ``articles`` articles, newest first."""
    return project.chain.evidence(edge, flt or MapFilter(), articles)
