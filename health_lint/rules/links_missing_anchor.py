"""A link's #fragment names a section the target page does not have.

What it does
------------
For links with a fragment — ``back-pain.md#when-to-see-a-doctor``,
``/guides/back-pain/#what-helps`` or just ``#what-helps`` on the same page —
checks that the target page has that anchor: a heading id (GitHub-style
slugs, as github-slugger makes them: lowercase, punctuation and emoji
dropped, spaces to hyphens, unicode letters, digits and combining marks
kept, repeated headings suffixed ``-1``, ``-2``, skipping a suffix another
heading already has), an explicit
``id="..."``/``name="..."`` in HTML, or a ``{#custom-id}`` heading attribute.
The message lists the nearest anchors that do exist. ``#``, ``#top`` and
text fragments (``#:~:text=``) are always accepted; plain-text pages are not
checked (they have no anchors).

Why it matters
--------------
A link to "when to see a doctor" that drops the reader at the top of a long
article makes them hunt for the one section they needed. Fragments break
silently whenever a heading is reworded.

Options
-------
None.

Examples
--------
With ``back-pain.md`` containing ``## When to see a doctor``, a link to
``back-pain.md#when-to-see-a-doctor`` passes; ``back-pain.md#see-a-doctor``
and ``back-pain.md#When-To-See-A-Doctor`` fail, and the message suggests
``#when-to-see-a-doctor``. A page with two ``## Causes`` headings has the
anchors ``#causes`` and ``#causes-1``; with ``## Causes``, ``## Causes-1``,
``## Causes`` they are ``#causes``, ``#causes-1``, ``#causes-2``. ``## पीठ दर्द``
has the anchor ``#पीठ-दर्द``. A percent-encoded fragment is tried as
written first, then decoded, as browsers do (the HTML standard's "find a
potential indicated element"): ``#tangent%3A-x`` finds ``id="tangent%3A-x"``
and ``id="tangent:-x"``. It is shown decoded in the message.

How to fix
----------
Change the fragment to one of the anchors the message lists, or, if you
renamed the heading on purpose, give it an explicit id that keeps the old
anchor (``## When to get help {#when-to-see-a-doctor}`` in Hugo/kramdown/MkDocs,
or ``<a id="when-to-see-a-doctor"></a>`` above it).
"""
from __future__ import annotations

from ..findings import Problem

ID = "links/missing-anchor"
SEVERITY = "error"
SCOPE = "project"
CONF: dict = {}
DEFAULT: dict = {}


def check_project(documents, options_for, context):
    from ..graph import graph_for, label, link_span, shown_url  # the graph package is loaded only when a graph is built
    graph = graph_for(documents, context)
    for rec in graph.missing_anchors():
        doc = graph.documents[rec.source]
        res = rec.resolution
        target = graph.documents[res.target]
        where = "this page" if res.target == rec.source else target.path
        message = f"Link {label(rec.link)}→ {shown_url(rec.link.url)}: {where} has no anchor #{res.fragment}"
        if res.anchors:
            message += ". Nearest anchors: " + ", ".join("#" + a for a in res.anchors)
            hint = f"Change the fragment to #{res.anchors[0]} or give the heading an explicit id."
        else:
            message += " (it has no anchors)"
            hint = "Remove the fragment, or add an id to the section you mean."
        start, end = link_span(rec.link)
        yield doc, Problem(message=message, hint=hint, start=start, end=end,
                           data={"url": rec.link.url, "target": target.path, "fragment": res.fragment,
                                 "nearest": res.anchors})
