"""PageRank (link score) agrees with networkx's reference implementation."""
from __future__ import annotations

import random

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from health_lint.graph.build import pagerank


def test_pagerank_matches_networkx_reference():
    rnd = random.Random(3)
    g = nx.DiGraph()
    g.add_nodes_from(range(150))
    for i in range(150):
        for j in rnd.sample(range(150), rnd.randint(0, 6)):  # some dangling pages, some self-loops
            g.add_edge(i, j, count=rnd.randint(1, 3))
    ref_graph = g.copy()
    ref_graph.remove_edges_from(list(nx.selfloop_edges(ref_graph)))
    ours, ref = pagerank(g), _pagerank_python(ref_graph, weight="count")
    assert max(abs(ours[k] - ref[k]) for k in ref) < 1e-9
    assert abs(sum(ours.values()) - 1) < 1e-9
