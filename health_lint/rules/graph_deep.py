"""The page is too many clicks from the entry pages.

What it does
------------
Counts the clicks from the nearest entry page (by default the home page
and the section index pages, not every top-level page; see
``graph/orphan``) to each page along the shortest chain of internal
links, and reports pages deeper than ``max-depth`` in
``[tool.health-lint.graph]`` (default 3). The message shows the shortest
click path. Pages that no entry page reaches at all (linked only from
orphans) are reported too. Nothing is reported when the tree has no entry
page (no index page and no ``entry-pages`` setting): the ``graph`` summary
then says "no entry page".

Why it matters
--------------
Readers rarely click more than a few links deep, and search engines crawl
and rank deep pages less. Important advice buried five clicks from the home
page is, in practice, hidden.

Options
-------
None; the limit is ``max-depth`` in ``[tool.health-lint.graph]``.

Examples
--------
With ``index.md`` → ``a.md`` → ``b.md`` → ``c.md`` → ``d.md``, ``d.md`` is 4
clicks deep and is reported with the default limit of 3; linking to it from
``a.md`` makes it 2 clicks deep.

How to fix
----------
Link to the page from its topic hub or another page closer to the home
page, or raise ``max-depth`` if your site's navigation menus (not in the
content tree) make it shallower.
"""
from __future__ import annotations

from ..findings import Problem

ID = "graph/deep"
SEVERITY = "info"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for  # the graph package is loaded only when a graph is built
    graph = graph_for(documents, context)
    for i in sorted(graph.deep()):
        doc = graph.documents[i]
        chain = " → ".join(graph.documents[j].path for j in graph.path_to(i))
        yield doc, Problem(
            message=f"Page is {graph.depth[i]} clicks from the nearest entry page (limit {graph.max_depth}): {chain}",
            hint="Link to it from its topic hub or a page closer to the home page.",
            start=0, end=0, document_level=True, fingerprint_text="graph/deep",
            data={"depth": graph.depth[i], "path": chain})
    for i in graph.unreachable():
        doc = graph.documents[i]
        yield doc, Problem(
            message=f"Page is not reachable from any entry page: only orphan or unreachable pages link to {doc.path}",
            hint="Link to it, or to the pages that link to it, from a hub reachable from the home page.",
            start=0, end=0, document_level=True, fingerprint_text="graph/deep",
            data={"depth": None})
