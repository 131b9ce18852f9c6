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

import bisect
import re

from ..findings import Problem
from ..terms import domain_in, host_of

ID = "links/unlinked-source"
SEVERITY = "info"
SCOPE = "document"
# English packs and formulas: pages in other languages are skipped.
LANGUAGES = ("en",)
CONF: dict = {}
DEFAULT: dict = {}

def name_patterns(packs) -> list[tuple[re.Pattern, dict[str, str]]]:
    """Two alternations (case-sensitive names, others case-insensitive),
    longest names first, each with a map from matched name to domain."""
    return packs.derived(ID, lambda: _build_patterns(packs))


def _build_patterns(packs) -> list[tuple[re.Pattern, dict[str, str]]]:
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for pack in packs.of_kind("domains"):
        case_sensitive = set(pack.get("case-sensitive", []))
        for domain, names in (pack.get("names") or {}).items():
            for name in names:
                words = str(name).split()
                # An acronym keeps its case inside a longer name too: "the
                # WHO" is a source, "the who" is not ("The WHO" still is).
                if name in case_sensitive or any(w in case_sensitive or (w.isupper() and len(w) > 1) for w in words):
                    exact[" ".join(words)] = str(domain).lower()
                    if words[0].islower():
                        exact[" ".join([words[0].capitalize(), *words[1:]])] = str(domain).lower()
                else:
                    loose[" ".join(name.split()).lower()] = str(domain).lower()
    out = []
    for names, flags in ((exact, 0), (loose, re.I)):
        if names:
            alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
            out.append((re.compile(r"(?<![\w.@/])(?:" + alternation + r")(?![\w]|\.\w)", flags), names))
    return out


def check(document, options, context):
    linked = [h for h in (host_of(link.url) for link in document.links) if h]
    # A name inside link text is linked, whatever page the link goes to
    # ("[HealthyChildren.org page from the American Academy of Pediatrics](...)").
    link_spans = [(link.start, link.end) for link in document.links if link.kind == "link"]
    reported: set[str] = set()
    blocks = list(document.prose_blocks())
    # One regex pass over all prose (blocks joined by a blank line, which no
    # name spans) instead of one per block: far fewer regex starts.
    starts, parts, offset = [], [], 0
    for block in blocks:
        starts.append(offset)
        parts.append(block.text)
        offset += len(block.text) + 2
    text = "\n\n".join(parts)
    matches = []
    for pattern, names in name_patterns(context.packs):
        for m in pattern.finditer(text):
            found = " ".join(m.group().split())
            domain = names.get(found) or names.get(found.lower())
            if not domain:
                continue
            i = bisect.bisect_right(starts, m.start()) - 1
            block, base = blocks[i], starts[i]
            start, end = m.start() - base, m.end() - base
            if end > len(block.text) or any(a < end and start < b for a, b in block.ignore):
                continue
            matches.append((m.start(), -len(found), i, start, end, m.group(), domain))
    for _, _, i, start, end, found_text, domain in sorted(matches):  # earliest, then longest
        if domain in reported:
            continue
        s, e = blocks[i].source_span(start, end)
        if any(a <= s and e <= b for a, b in link_spans):
            continue
        reported.add(domain)  # one finding per source, at its first mention
        if any(domain_in(h, [domain]) for h in linked):
            continue
        yield Problem(message=f'"{found_text}" is named as a source but not linked.',
                      hint=f"Link it to the {domain} page that supports the statement.",
                      start=s, end=e, data={"domain": domain})
