"""An internal link points at a page or file that does not exist.

What it does
------------
Resolves every link in the content tree the way the published site will
(see "Link graph" in the README): relative links (``../guides/back-pain.md``),
site-root links (``/guides/back-pain/``) through the ``[tool.health-lint.site]``
permalink rules, and absolute links to the site's own ``base-url`` or
``domains``. When no page, and no file (image, PDF) under the content root or
a ``static-dirs`` folder, matches, the link is reported. The message names
the closest existing page when one is obvious: the same path in another
letter case, a similar name in the same folder (a renamed article), or the
same file name in another folder (a moved one).

Runs offline on a folder: ``health-lint check content/`` and
``health-lint graph content/``. Live sites are checked by
``health-lint links``/``crawl`` (rule ``links/broken``).

In a folder that is not a whole site (see ``graph/not-a-site``: no entry
page, and most links written as site URLs, ``/glossary/premium`` or
``getting-diagnosed``, lead to pages that are not in it) those links are
not reported one by one; broken links to files (``../flu.md``,
``rash.jpg``) still are. Configure ``content-root`` or ``base-url`` to have
them all checked.

Why it matters
--------------
A worried reader who clicks "what to do if your back pain gets worse" and
lands on a 404 page loses the advice, and often the trust in the site.
Articles get renamed and moved all the time; every rename breaks the links
to the old name unless someone updates them.

Options
-------
- ``include-images`` (boolean, default true): also report images whose file
  is missing.

Examples
--------
A tree with ``guides/back-pain.md`` and an article linking to
``guides/back-pian.md`` (a typo) or to ``/guides/back-pain-relief/`` (a page
that was renamed) gets one error per link; the first names
``guides/back-pain.md`` as the page it most likely meant. Links to
``guides/back-pain.md``, ``/guides/back-pain/``, ``../guides/back-pain.html``
or ``https://example.org/guides/back-pain/`` (with ``base-url =
"https://example.org/"``) all resolve.

How to fix
----------
Point the link at the page's current path (the message suggests one), or,
if the page was removed on purpose, link to its replacement. When you
rename an article, add its old URL to ``aliases`` (Hugo) or
``redirect_from`` (Jekyll) so old links keep working, and search the tree
for the old name.
"""
from __future__ import annotations

import posixpath

from ..findings import Problem

ID = "links/broken-internal"
SEVERITY = "error"
SCOPE = "project"
CONF = {"include-images": bool}
DEFAULT = {"include-images": True}


def check_project(documents, options_for, context):
    from ..graph import graph_for, label, link_span, shown_url  # the graph package is loaded only when a graph is built
    from ..graph.build import is_site_url
    graph = graph_for(documents, context)
    for rec in graph.broken():
        if graph.not_a_site and is_site_url(rec.link.url):
            continue  # points outside a folder cut out of a site: graph/not-a-site says so once
        doc = graph.documents[rec.source]
        opts = options_for(doc)
        if rec.link.kind == "image" and not opts.options.get("include-images", True):
            continue
        res = rec.resolution
        what = "image" if rec.link.kind == "image" else "link"
        target = res.site_path.lstrip("/") or "/"
        message = f"Broken internal {what} {label(rec.link)}→ {shown_url(rec.link.url)}: no page or file at {target}"
        hint = "Point the link at the page's current path, or at its replacement."
        if res.suggestion_target is not None:
            url = rec.link.url.strip()
            if url.startswith(("/", "http://", "https://")):
                better = graph.resolver.url_of(res.suggestion_target)
            else:
                source_dir = posixpath.dirname(graph.resolver.rel_paths[rec.source])
                better = posixpath.relpath(res.suggestion, source_dir or ".")
            shown = better if better == res.suggestion else f"{better} ({res.suggestion})"
            message += f". Did you mean {shown}?"
            hint = f"Change the link to {better} (or restore the page it meant)."
        start, end = link_span(rec.link)
        yield doc, Problem(message=message, hint=hint, start=start, end=end,
                           data={"url": rec.link.url, "resolved": res.site_path, "suggestion": res.suggestion,
                                 "anchor_text": rec.link.text})
