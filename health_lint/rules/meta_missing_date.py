"""The article has no date.

What it does
------------
Looks for a published, updated or last-reviewed date in front matter
(``date``, ``published``, ``publishDate``, ``updated``, ``lastmod``,
``last_modified``, ``last_reviewed``...; HTML templates that start with
front matter too), HTML ``<meta>`` tags (``article:published_time``,
``article:modified_time``...), schema.org JSON-LD (``datePublished``,
``dateModified``, ``lastReviewed``) or a visible date line anywhere in the
page ("Page last reviewed: 21 December 2020", "Last updated 3 May 2023",
"Published on March 3rd, 2025"; in the page footer too). A date that
cannot be read as a date counts as missing and the message says so; a
numeric date that reads either way (03/04/2026) is a date
(``meta/stale-review`` asks for an unambiguous one).

Why it matters
--------------
Medical advice changes. Readers need to know how current an article is,
and editors need the date to schedule reviews.

Examples
--------
FAIL:

    # Knee pain

    Most knee pain gets better with rest.

PASS:

    ---
    date: 2026-01-15
    ---
    # Knee pain

    Most knee pain gets better with rest.

PASS:

    # Knee pain

    Most knee pain gets better with rest.

    Page last reviewed: 4 March 2026

PASS (html):

    ---
    layout: article
    lastmod: 2026-02-01
    ---
    <html><body><main><h1>Knee pain</h1><p>Rest helps.</p></main></body></html>

How to fix
----------
Add ``date: YYYY-MM-DD`` (and ``last_reviewed`` after each medical review)
to the front matter.
"""
from __future__ import annotations

from ..findings import Problem
from ..parsers.metadata import ambiguous_date, parse_date
from ._meta import metadata_offset

ID = "meta/missing-date"
SEVERITY = "warning"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}


def check(document, options, context):
    meta = document.metadata
    values = {"published": meta.published, "updated": meta.updated, "last reviewed": meta.last_reviewed}
    if any(parse_date(v) or ambiguous_date(v) for v in values.values()):
        return  # dated (03/04/2026 is a date either way; meta/stale-review asks for ISO)
    where = metadata_offset(document)
    unreadable = [f"{k} {v!r}" for k, v in values.items() if v]
    message = ("No date found (published, updated or last reviewed)." if not unreadable else
               f"Date not understood: {', '.join(unreadable)}; use YYYY-MM-DD.")
    yield Problem(message=message, hint="Add `date: YYYY-MM-DD` to the front matter.",
                  start=where, end=where, document_level=True, fingerprint_text=ID)
