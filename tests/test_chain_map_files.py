"""``assay-cli map`` (issue 27), as a user runs it: the edges as text, and GraphML and GEXF
that networkx reads back with every node, edge, attribute and weight exact; the SVG is the
staged figure."""

from __future__ import annotations

import networkx as nx
import pytest

from core.nlp.store_rules import store_rules
from core.stats.chain_map import read_map
from core.store import Project
from tests.chain_corpus import AUS, CHN, EXIM, LITHIUM, LYNAS, build
from tests.relations_corpus import assay_cli
from tests.test_chain_map import APPROVED

pytestmark = pytest.mark.slow


@pytest.fixture
def chain(tmp_path):
    return build(tmp_path)


def test_map_lists_the_edges_with_their_weights(chain):
    done = assay_cli("map", str(chain))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "articles\thead\ttype\ttail"
    rows = {tuple(line.split("\t")) for line in lines[1:]}
    assert ("2", "Australia", "PRODUCES", "lithium") in rows
    assert ("2", "Lynas", "FUNDS", "Lynas") not in rows
    assert len(rows) == len(APPROVED)
    done = assay_cli("map", str(chain), "--mineral", "lithium", "--reviewer", "bo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == ["1\tAustralia\tPRODUCES\tlithium",
                                            "1\tChina\tPROCESSES\tlithium"]
    done = assay_cli("map", str(chain), "--type", "MINES")
    assert done.returncode != 0 and "no such relation type" in done.stderr
    done = assay_cli("map", str(chain), "--since", "last week")
    assert done.returncode != 0 and "not a date" in done.stderr


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_graph_files_read_back_exactly(chain, tmp_path, suffix):
    out = tmp_path / f"map.{suffix}"
    done = assay_cli("map", str(chain), "--with-suggestions", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Wrote the map" in done.stdout
    graph = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
    with Project.open(chain, rules=store_rules()) as p:
        from core.stats.chain_map import MapFilter
        cmap = read_map(p, MapFilter(suggestions=True))
    assert graph.is_directed() and graph.is_multigraph()
    assert set(graph.nodes) == set(cmap.nodes)
    for key, node in cmap.nodes.items():
        assert graph.nodes[key]["label"] == node.name
        assert graph.nodes[key]["kind"] == node.kind
    read = {(h, data["relation"], t): data["weight"] for h, t, data in graph.edges(data=True)}
    assert read == {e.key: e.weight for e in cmap.edges}
    assert read[(AUS, "PRODUCES", LITHIUM)] == 2
    assert read[(EXIM, "FUNDS", LYNAS)] == 2
    assert read[("country:IDN", "SUPPLIES", CHN)] == 1
    assert all(type(w) is int or float(w).is_integer() for w in read.values())


def test_svg_is_the_staged_map(chain, tmp_path):
    out = tmp_path / "map.svg"
    done = assay_cli("map", str(chain), "--mineral", "lithium", "-o", str(out))
    assert done.returncode == 0, done.stderr
    svg = out.read_text()
    assert svg.startswith("<?xml") and "<svg" in svg
    for words in ("Reserves and", "production", "Processing", "Minerals", "Australia", "China"):
        assert words in svg or words.replace(" ", "") in svg


def test_the_report_has_the_map_and_each_minerals_top_relations(chain, tmp_path):
    out = tmp_path / "report.html"
    done = assay_cli("report", str(chain), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section id="supply-chain">'):]
    section = section[:section.index("</section>")]
    assert "<h2>Supply-chain map</h2>" in section
    assert section.count('<img alt="The supply-chain map') == 1
    table = section[section.index('<table id="supply-chain-top">'):]
    rows = [[cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]
            for row in table.split("<tr>")[2:]]
    assert rows[0] == ["lithium", "Australia PRODUCES lithium", "2"]
    assert ["nickel", "China PROCESSES nickel", "1"] in rows
    assert len([r for r in rows if r[0] == "lithium"]) == 3
