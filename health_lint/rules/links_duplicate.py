"""The article links to the same target more than once.

What it does
------------
Reports the second and later links in one article to the same target: the
same page and section for internal links (``back-pain.md``,
``/guides/back-pain/`` and ``../guides/back-pain.html`` are the same page),
the same URL for external links (scheme and host case, a trailing slash and
``www.`` ignored). Links to different sections of one page
(a table of contents) are not duplicates, nor are images.

Only links in running text count, as the first link or as a repeat. Lists
of links repeat a page on purpose and are left alone: a block that is only
links (a menu, a row of cards), a list item that starts with its link (a
resource list: "[Sprains](...): how to rest a joint"), a table, a heading,
and every link under a resource heading ("Related pages", "Further
reading", "Useful links", "See also", "More information", "Next steps").

Why it matters
--------------
Repeated links clutter the text, make screen-reader link lists longer and
harder to use, and suggest a second destination where there is none. Style
guides for health content (NHS, GOV.UK) link a page once, at its first
useful mention.

Options
-------
- ``include-external`` (boolean, default true): also report repeated links
  to external URLs.

Examples
--------
An article that links "see a GP" to ``/when-to-see-a-gp/`` in its
introduction and again in its last paragraph gets one info finding on the
second link. Links to ``/when-to-see-a-gp/#urgent`` and
``/when-to-see-a-gp/#routine`` are two different targets.
A "Useful services" table with three rows linking ``/pharmacy/``, or a
"Related pages" list that links a page the introduction already linked,
gets no finding.

How to fix
----------
Keep the link at the most useful mention (usually the first) and make the
other mentions plain text.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ..findings import Problem

ID = "links/duplicate"
SEVERITY = "info"
SCOPE = "project"
CONF = {"include-external": bool}
DEFAULT = {"include-external": True}


def _external_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}?{parts.query}#{parts.fragment}"


def check_project(documents, options_for, context):
    from ..graph import graph_for, label, link_span, shown_url  # the graph package is loaded only when a graph is built
    from ..graph.resolve import EXTERNAL, MISSING_ANCHOR, OK
    graph = graph_for(documents, context)
    for i, recs in enumerate(graph.records):
        doc = graph.documents[i]
        include_external = None
        first: dict[tuple, object] = {}
        for rec in recs:
            if rec.link.kind != "link" or rec.link.listed:
                continue  # menus and resource lists repeat a page on purpose
            res = rec.resolution
            if res.status in (OK, MISSING_ANCHOR) and res.target is not None:
                if res.target == i and not res.fragment:
                    continue  # a self-link: links/self reports it
                key = ("page", res.target, res.fragment)
                shown = graph.documents[res.target].path + (f"#{res.fragment}" if res.fragment else "")
            elif res.status == EXTERNAL:
                if include_external is None:
                    include_external = options_for(doc).options.get("include-external", True)
                if not include_external:
                    continue
                key = ("url", _external_key(rec.link.url))
                shown = shown_url(rec.link.url)
            else:
                continue
            if key not in first:
                first[key] = rec
                continue
            line, _ = doc.position(first[key].link.start)
            start, end = link_span(rec.link)
            yield doc, Problem(
                message=f"Duplicate link {label(rec.link)}→ {shown}: already linked on line {line}",
                hint="Keep the most useful link (usually the first) and make this mention plain text.",
                start=start, end=end, data={"target": shown, "first_line": line})
