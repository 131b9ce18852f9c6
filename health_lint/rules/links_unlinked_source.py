"""An authoritative source is named but not linked.

What it does
------------
Finds names of authoritative sources in the text ("Mayo Clinic",
"mayoclinic.org", "the NIH", "NICE guidelines", "the CDC"), from the
``names`` of the ``domains`` pack, and reports each source named but never
linked anywhere in the article (one finding per source, at its first
mention). Acronyms listed under ``case-sensitive`` (NICE, WHO, NHS) only
match in capitals.

Why it matters
--------------
"According to the NIH..." invites the reader to check, but without a link
they cannot, and the claim is only as good as our paraphrase. A link also
shows reviewers exactly which page supports the text.

Examples
--------
FAIL:

    # Knee pain

    According to the Mayo Clinic, most knee pain gets better with rest.

PASS:

    # Knee pain

    According to the [Mayo Clinic](https://www.mayoclinic.org/diseases-conditions/knee-pain),
    most knee pain gets better with rest.

How to fix
----------
Link the name to the page that supports the statement.
"""
from __future__ import annotations

import re

from ..findings import Problem
from ..terms import domain_in, host_of

ID = "links/unlinked-source"
SEVERITY = "info"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}

_PATTERNS: dict[int, list] = {}


def name_patterns(packs) -> list[tuple[re.Pattern, str]]:
    """(pattern, domain) for every source name, longest names first."""
    key = id(packs)
    if key not in _PATTERNS:
        entries = []
        for pack in packs.of_kind("domains"):
            exact = set(pack.get("case-sensitive", []))
            for domain, names in (pack.get("names") or {}).items():
                for name in names:
                    flags = 0 if (name in exact or name.isupper()) else re.I
                    pattern = re.compile(r"(?<![\w.@/])" + re.escape(name).replace(r"\ ", r"\s+") + r"(?![\w]|\.\w)", flags)
                    entries.append((len(name), pattern, str(domain).lower()))
        _PATTERNS[key] = [(p, d) for _, p, d in sorted(entries, key=lambda e: -e[0])]
    return _PATTERNS[key]


def check(document, options, context):
    linked = {host_of(link.url) for link in document.links}
    reported: set[str] = set()
    for block in document.prose_blocks():
        taken: list[tuple[int, int]] = []
        for pattern, domain in name_patterns(context.packs):
            if domain in reported:
                continue
            for m in pattern.finditer(block.text):
                if any(a < m.end() and m.start() < b for a, b in taken + block.ignore):
                    continue
                taken.append((m.start(), m.end()))
                if any(domain_in(h, [domain]) for h in linked if h):
                    break
                reported.add(domain)
                s, e = block.source_span(m.start(), m.end())
                yield Problem(message=f'"{m.group()}" is named as a source but not linked.',
                              hint=f"Link it to the {domain} page that supports the statement.",
                              start=s, end=e, data={"domain": domain})
                break
