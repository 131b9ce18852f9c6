"""The internal link graph of a content tree (offline).

* :mod:`.resolve` — which page or file each link points at;
* :mod:`.build` — the networkx graph, link scores, depth, orphans, dead ends;
* :mod:`.export` — DOT, GraphML, JSON, CSV and the self-contained HTML report.

The graph rules (``links/broken-internal``, ``links/missing-anchor``,
``graph/orphan``, ``graph/dead-end``, ``graph/deep``, ``links/duplicate``,
``links/self``) all read the one graph :func:`graph_for` builds per run.
"""
from __future__ import annotations

from .build import LinkGraph, LinkRecord, build, clear_cache, graph_for
from .resolve import Resolution, Resolver, SiteSettings, norm_key

__all__ = ["LinkGraph", "LinkRecord", "Resolution", "Resolver", "SiteSettings", "build", "clear_cache",
           "graph_for", "norm_key", "link_span", "shown_url"]


def link_span(link) -> tuple[int, int]:
    """Source range a link finding points at: the URL itself when the parser
    knows where it is, else the whole link."""
    if link.url_start >= 0 and link.url_end >= link.url_start:
        return link.url_start, link.url_end
    return link.start, link.end


def label(link) -> str:
    text = " ".join(link.text.split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}" ' if text else ""


def shown_url(url: str) -> str:
    """A link URL as a reader wrote it, for messages: percent-escapes
    decoded (``#%E0%A4%AA%E0%A5%80%E0%A4%A0`` → ``#पीठ``; parsers encode
    non-ASCII URLs), unless that gives invalid UTF-8 or unprintable text."""
    from urllib.parse import unquote

    if "%" not in url:
        return url
    try:
        decoded = unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url
    return decoded if decoded.isprintable() else url
