"""Outbound link to a domain the site marks as low quality.

What it does
------------
Reports outbound links to domains listed as ``low-quality`` in a
``domains`` pack, or in this rule's ``domains`` option: sites a publisher
has decided not to cite (content farms, supplement sellers, known
misinformation). Subdomains count. health-lint ships no such list: each
site decides its own.

Why it matters
--------------
Citing a poor source lends it the article's credibility and sends worried
readers to advice that may harm them.

Options
-------
- ``domains`` (list, default empty): low-quality domains, added to the packs'.

Examples
--------
FAIL with domains = ["cures.example"]:

    # Knee pain

    A [supplement shop](https://cures.example/knee) says otherwise.

PASS with domains = ["cures.example"]:

    # Knee pain

    The [NHS page on knee pain](https://www.nhs.uk/conditions/knee-pain/) explains more.

How to fix
----------
Replace the link with an authoritative source, or remove it.
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import domain_in, host_of, is_outbound, low_quality_domains

ID = "links/non-authoritative"
SEVERITY = "info"
SCOPE = "document"
CONF = {"domains": list}
DEFAULT = {"domains": []}


def check(document, options, context):
    bad = low_quality_domains(context.packs, options["domains"])
    if not bad:
        return
    for link in document.links:
        if not is_outbound(link.url):
            continue
        domain = domain_in(host_of(link.url), bad)
        if domain:
            yield Problem(message=f"Link to {domain}, which this site marks as a low-quality source.",
                          hint="Cite an authoritative source instead.", start=link.start, end=link.end,
                          data={"domain": domain})
