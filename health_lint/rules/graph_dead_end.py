"""The page links to no other page of the site (a dead end).

What it does
------------
Reports pages with no working link to another page in the content tree:
links to external sites, to images or files, broken links and links to the
page itself do not count. In a folder that is not a whole site (see
``graph/not-a-site``) dead ends are not reported: the links that would
lead on point at pages that are not in the folder.

Why it matters
--------------
A reader who finishes an article on sciatica has a next question: exercises,
when to see a doctor, the back-pain guide. A page that offers no next step
ends the visit, and keeps link value from flowing on to the rest of the
site.

Options
-------
None.

Examples
--------
In a tree where ``back-pain/sciatica.md`` links only to ``https://www.nhs.uk/``,
the sciatica article is a dead end; once it links to ``../back-pain/index.md``
(its hub), it is not.

How to fix
----------
Add a "Related articles" or "Next steps" section linking to the topic hub and
two or three related articles.
"""
from __future__ import annotations

from ..findings import Problem

ID = "graph/dead-end"
SEVERITY = "info"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for  # the graph package is loaded only when a graph is built
    graph = graph_for(documents, context)
    if len(graph.documents) < 2 or graph.not_a_site:
        return  # one page, or a folder cut out of a site (graph/not-a-site)
    for i in graph.dead_ends():
        doc = graph.documents[i]
        yield doc, Problem(
            message="Dead end: this page links to no other page of the site",
            hint="Add links to the topic hub and related articles (a \"Related articles\" section).",
            start=0, end=0, document_level=True, fingerprint_text="graph/dead-end")
