"""The folder checked is not a whole site, so the site-wide link checks are skipped.

What it does
------------
Notices when the folder given to ``health-lint check`` (or ``graph``) is a
set of articles cut out of a site rather than the site's content tree:
there is no entry page (no ``index``/``_index``/``README`` page, no page
with ``permalink: /``, no ``entry-pages`` configured), and either its pages
do not link to each other at all, or more than half of its links written
as site URLs (site-root ``/conditions/flu/``, or relative with no file
extension, ``getting-diagnosed``) point at pages that are not in the
folder. An index page that reaches fewer than half of the pages (a
``README.md`` at the top of an exported folder) does not make a site
either, when most of those links lead outside. It then reports this once, on the first page, with the figures,
and skips what would be noise about the cut rather than the content:
``graph/orphan``, ``graph/dead-end``, and ``links/broken-internal`` for
links written as site URLs. Broken links to files (``../flu.md``,
``rash.jpg``) are still reported.

Configuring where the site is (``content-root`` or ``base-url`` in
``[tool.health-lint.site]``, ``entry-pages`` in ``[tool.health-lint.graph]``)
turns this off: the graph rules then report as usual.

A real site, with its home or section index pages and links that resolve,
is never taken for a cut-out folder: every graph rule runs as usual.

Why it matters
--------------
Every article of an exported folder would otherwise be an orphan and a
dead end, and every site-root link broken: hundreds of findings that hide
the real ones and say nothing about the articles.

Options
-------
None.

Examples
--------
A folder of twenty articles exported from a CMS, with links such as
``/glossary/premium`` and no index page, gets one info finding instead of
twenty orphans, twenty dead ends and sixty broken links. The same articles
checked inside the full ``content/`` tree, with ``content/index.md``, get no
``graph/not-a-site`` finding, and their real orphans and broken links.

How to fix
----------
Check the whole site's content folder (``health-lint check content/``), so
that site-root links resolve and the home page is an entry page. If the
site's pages live elsewhere, tell health-lint where the site root is:
``content-root`` (the folder that ``/`` maps to) and ``base-url`` in
``[tool.health-lint.site]``, and the home page in ``entry-pages`` in
``[tool.health-lint.graph]``. Or disable the graph rules for this folder.
"""
from __future__ import annotations

import os

from ..findings import Problem

ID = "graph/not-a-site"
SEVERITY = "info"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for  # the graph package is loaded only when a graph is built
    graph = graph_for(documents, context)
    cut = graph.not_a_site
    if not cut:
        return
    if cut.broken_root_links:
        shown = ", ".join(cut.examples) + (", ..." if cut.broken_root_links > len(cut.examples) else "")
        why = (f"{cut.broken_root_links} of its {cut.root_links} links to site pages ({shown}) point at pages "
               "that are not in it")
    else:
        why = "its pages do not link to each other"
    if cut.entry_pages:
        names = ", ".join(os.path.basename(p) for p in cut.entry_pages[:2])
        entry = f"its index page ({names}) reaches only {cut.reached} of them"
    else:
        entry = "it has no home or index page"
    first = min(range(len(graph.documents)), key=lambda i: graph.documents[i].path)
    yield graph.documents[first], Problem(
        message=(f"This folder of {cut.pages} pages is not a whole site: {entry}, and {why}. "
                 "Orphan and dead-end checks, and those broken links, are skipped."),
        hint=("Check the site's whole content folder, or set content-root and base-url in "
              "[tool.health-lint.site] (and entry-pages in [tool.health-lint.graph]) so that links to site "
              "pages resolve."),
        start=0, end=0, document_level=True, fingerprint_text=ID,
        data={"pages": cut.pages, "page_links": cut.page_links, "root_links": cut.root_links,
              "broken_root_links": cut.broken_root_links, "examples": cut.examples})
