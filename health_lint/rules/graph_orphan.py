"""No other page links to this page (an orphan).

What it does
------------
Reports pages that no other page links to; self-links do not count. Two
commands report it, with the same rule id:

- **Content tree** (``health-lint check content/``, ``health-lint graph
  content/``): every Markdown/HTML page in the folder that no other page in
  the folder links to, resolved offline. Entry pages are exempt: by default
  the home page (``index``, ``_index`` or ``README`` at the top of the
  content root, or the page whose ``permalink`` is ``/``) and the section
  index pages (``index``, ``_index``, ``README`` of every folder). Other
  top-level pages (``about.md``, ``flu.md``) are not exempt: if only the
  site menu links to them, list them in ``entry-pages`` in
  ``[tool.health-lint.graph]`` (globs relative to the content root, or
  site paths such as ``"/"``; when set, they replace the defaults). A tree
  with no index page has no entry page: every page no other page links to
  is still an orphan (nothing is exempt), and the ``graph`` summary says
  that no entry page was found. A folder that is not a whole site (no
  entry page, and pages that do not link to each other or mostly link to
  site pages that are not in it) gets one ``graph/not-a-site`` finding
  instead of an orphan per page.
- **Live site** (``health-lint crawl https://example.org/``): pages listed in
  the sitemap that no crawled page links to. The finding's path is the page
  URL.

Why it matters
--------------
Readers, and search engines, find articles by following links. A spoke
article no hub links to is invisible: nobody reaches it from the "Back pain"
guide, so its advice never gets read, and search engines treat it as
unimportant.

Options
-------
None; entry pages are set in ``[tool.health-lint.graph]`` ``entry-pages``.

Examples
--------
A tree with ``index.md`` → ``back-pain/index.md`` (hub) → ``back-pain/sciatica.md``
and an unlinked ``back-pain/posture-at-work.md``: the posture article is an
orphan; the home page and the hub are not (they are entry pages), and
sciatica is not (the hub links to it). A top-level ``covid.md`` that
nothing links to is an orphan too, even though it links to ``flu.md``.

How to fix
----------
Link to the page from its topic hub and from one or two closely related
articles. If it is reached from the site menu, add it to ``entry-pages``;
if it should no longer be published, remove it.
"""
from __future__ import annotations

from ..findings import Problem

ID = "graph/orphan"
SEVERITY = "warning"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for  # the graph package is loaded only when a graph is built
    graph = graph_for(documents, context)
    if graph.not_a_site:
        return  # a folder cut out of a site: graph/not-a-site says so once
    for i in graph.orphans():
        doc = graph.documents[i]
        title = f' ("{doc.metadata.title}")' if doc.metadata.title else ""
        yield doc, Problem(
            message=f"Orphan page{title}: no other page in the content tree links to it",
            hint="Link to it from its topic hub or a related article, or list it in "
                 "[tool.health-lint.graph] entry-pages if a site menu links to it.",
            start=0, end=0, document_level=True, fingerprint_text="graph/orphan",
            data={"url": graph.resolver.url_of(i)})
