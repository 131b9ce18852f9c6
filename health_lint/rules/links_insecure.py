"""Outbound link over plain http://.

What it does
------------
Reports links and images whose URL starts with ``http://``, at the URL.
Links to ``localhost`` and loopback addresses are ignored.

Why it matters
--------------
Pages served over plain HTTP can be altered on the way to the reader, and
browsers mark them "Not secure", which undermines trust in the article.
Almost every health source now serves HTTPS.

Examples
--------
FAIL:

    # Sleep

    See [the sleep guide](http://example.org/sleep).

PASS:

    # Sleep

    See [the sleep guide](https://example.org/sleep).

How to fix
----------
Change the link to ``https://`` (``health-lint links --fix`` does it for
links whose HTTPS version answers with the same page).
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import host_of

ID = "links/insecure"
SEVERITY = "warning"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}

_LOCAL = ("localhost", "127.0.0.1", "::1")


def check(document, options, context):
    for link in document.links:
        if not link.url.lower().startswith("http://") or host_of(link.url) in _LOCAL:
            continue
        start, end = (link.url_start, link.url_end) if link.url_start >= 0 else (link.start, link.end)
        yield Problem(message=f"Insecure link: {link.url} uses http://; use https://.",
                      hint="Change http:// to https:// (check the https page exists).", start=start, end=end)
