"""The supply-chain map as files: GraphML and GEXF (written by networkx; Gephi, yEd and
Cytoscape open them), SVG (the staged figure) and a plain-text list of edges.

In GraphML and GEXF each node is its key (``country:CHN``) with ``label`` (its name) and
``kind``; each edge has ``relation``, its type (also its label and the multigraph key;
``type`` is a word GEXF keeps for "directed"), and
``weight``, the number of articles stating it, an integer.
"""

from __future__ import annotations

from pathlib import Path

from core.stats.chain_map import ChainMap
from core.stats.charts import plain

FORMATS = {".graphml": "GraphML", ".gexf": "GEXF", ".svg": "SVG"}


def to_networkx(cmap: ChainMap):
    """A ``networkx.MultiDiGraph`` of the map (one edge per type between two nodes)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for key, node in sorted(cmap.nodes.items()):
        graph.add_node(key, label=node.name, kind=node.kind, weight=int(node.weight))
    for e in cmap.edges:
        graph.add_edge(e.head, e.tail, key=e.type, relation=e.type, label=e.type,
                       weight=int(e.weight))
    return graph


def write_map(cmap: ChainMap, path: str | Path) -> str:
    """Write the map in the format its suffix names; returns the format's name."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: write .graphml, .gexf or .svg (or no file: a "
                         "list of edges).")
    if suffix == ".svg":
        from core.stats.chain_figure import chain_figure

        chain_figure(cmap, width=11, height=7).savefig(path, format="svg")
        return FORMATS[suffix]
    import networkx as nx

    graph = to_networkx(cmap)
    if suffix == ".graphml":
        nx.write_graphml(graph, path, named_key_ids=True)
    else:
        nx.write_gexf(graph, path)
    return FORMATS[suffix]


def edge_lines(cmap: ChainMap) -> list[str]:
    """The edges as text, heaviest first: ``articles<TAB>head<TAB>type<TAB>tail``."""
    lines = ["articles\thead\ttype\ttail"]
    lines += [f"{e.weight}\t{plain(cmap.name(e.head))}\t{e.type}\t{plain(cmap.name(e.tail))}"
              for e in cmap.edges]
    return lines
