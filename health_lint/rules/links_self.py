"""The article links to itself.

What it does
------------
Reports links whose target is the page they are on, without a fragment:
``[back pain](back-pain.md)`` inside ``back-pain.md``, or
``/guides/back-pain/`` on that page. Links to a section of the same page
(``#what-helps``, ``back-pain.md#what-helps``) are in-page jumps and are not
reported.

Why it matters
--------------
A reader who clicks a link expects to go somewhere new; reloading the same
page looks broken. Self-links usually come from copying a block of related
links between articles.

Options
-------
None.

Examples
--------
In ``sciatica.md``, "read more about [sciatica](sciatica.md)" is reported;
"[jump to treatments](#treatments)" is not.

How to fix
----------
Remove the link, point it at the section you meant (``#treatments``), or
replace it with a link to a related page.
"""
from __future__ import annotations

from ..findings import Problem

ID = "links/self"
SEVERITY = "info"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for, label, link_span, shown_url  # the graph package is loaded only when a graph is built
    from ..graph.resolve import OK
    graph = graph_for(documents, context)
    for i, recs in enumerate(graph.records):
        doc = graph.documents[i]
        for rec in recs:
            res = rec.resolution
            if rec.link.kind == "link" and res.status == OK and res.target == i and not res.fragment \
                    and not rec.link.url.strip().startswith(("#", "?")):
                start, end = link_span(rec.link)
                yield doc, Problem(message=f"Link {label(rec.link)}→ {shown_url(rec.link.url)} points at this page itself",
                                   hint="Remove the link, point it at a section (#...) or at a related page.",
                                   start=start, end=end, data={"url": rec.link.url})
