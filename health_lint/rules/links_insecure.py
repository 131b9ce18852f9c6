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
Change the link to ``https://``.

Fix: ``health-lint check --fix`` (safe) changes ``http://`` to
``https://`` for the domains of the authoritative-source list
(``rules/domains/authoritative.yaml``: public bodies, institutions and
journals, which all serve HTTPS), offline. For other domains,
``health-lint links --fix`` does it online, for links whose HTTPS version
answers with the same page.
"""
from __future__ import annotations

from ..findings import Fix, Problem
from ..terms import authoritative_domains, domain_in, host_of

ID = "links/insecure"
SEVERITY = "warning"
SCOPE = "document"
FIX = "safe"  # check --fix (see "How to fix")
CONF: dict = {}
DEFAULT: dict = {}

_LOCAL = ("localhost", "127.0.0.1", "::1")


def check(document, options, context):
    domains = None
    for link in document.links:
        if not link.url.lower().startswith("http://") or host_of(link.url) in _LOCAL:
            continue
        start, end = (link.url_start, link.url_end) if link.url_start >= 0 else (link.start, link.end)
        fix = None
        if domains is None:
            domains = context.packs.derived(("authoritative-domains",), lambda: authoritative_domains(context.packs))
        # Offline and certain: a listed domain, and the source holds the URL
        # as written (not an entity-encoded or reference-resolved form).
        if (link.url_start >= 0 and document.source[link.url_start:link.url_start + 7].lower() == "http://"
                and domain_in(host_of(link.url) or "", domains)):
            fix = Fix(((link.url_start, link.url_start + 7, "https://"),), f"{link.url} -> https://")
        yield Problem(message=f"Insecure link: {link.url} uses http://; use https://.",
                      hint="Change http:// to https:// (check the https page exists).", start=start, end=end, fix=fix)
