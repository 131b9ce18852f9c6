"""The article names no author.

What it does
------------
Looks for an author in front matter (``author``, ``authors``,
``written_by``; names configurable with ``metadata-keys``), HTML ``<meta
name="author">``, schema.org JSON-LD ``author``, or a visible byline
("Written by Sam Lee").

Why it matters
--------------
Readers and search engines judge health information by who wrote it
(Google's E-E-A-T, HONcode, the NHS Information Standard). An anonymous
article is harder to trust and harder to correct.

Examples
--------
FAIL:

    # Knee pain

    Most knee pain gets better with rest.

PASS:

    ---
    author: Sam Lee
    ---
    # Knee pain

    Most knee pain gets better with rest.

How to fix
----------
Add ``author: Name`` to the front matter, or a byline under the title.
"""
from __future__ import annotations

from ..findings import Problem
from ._meta import metadata_offset

ID = "meta/missing-author"
SEVERITY = "warning"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}


def check(document, options, context):
    if document.metadata.author:
        return
    where = metadata_offset(document)
    yield Problem(message="No author found (front matter, meta tag, JSON-LD or byline).",
                  hint="Add `author: Name` to the front matter or a 'Written by' byline.",
                  start=where, end=where, document_level=True, fingerprint_text=ID)
