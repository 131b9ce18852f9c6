"""An authoritative source is named but not linked.

What it does
------------
Finds names of authoritative sources in the text ("Mayo Clinic",
"mayoclinic.org", "the NIH", "NICE guidelines", "the CDC"), from the
``names`` of the ``domains`` pack, and reports each source named but never
linked anywhere in the article (one finding per source, at its first
mention). Acronyms listed under ``case-sensitive`` (NICE, WHO, NHS) only
match in capitals.

A name is not a citation when it names a service, a product or a
regulatory status (the pack's ``not-sources`` phrases: "NHS 111", "on the
NHS", "NHS number", "FDA-approved", "cleared by the FDA"), when the site
names itself (its ``base-url`` or ``domains`` in ``[tool.health-lint.site]``
is the source's domain), or when a block holds nothing but source names (a
credit line or logo caption under the article). Such mentions do not use up
the source's first mention either.

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

    # Coughs

    If your cough lasts more than three weeks, call NHS 111. Most cough syrups are not FDA-approved for young children.

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
from ..text import literal_alternation
from .. import regexcache

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
    # Not inside a word, a domain, an address or a path. Case-sensitive, the
    # test sits after each name's first letter (the character before that
    # letter, then any character), so re jumps between the names' first
    # letters; case-insensitive, re has no such jump and the test comes first.
    for names, flags in ((exact, 0), (loose, re.I)):
        if names:
            # A trie, longest name first at each position (see literal_alternation).
            if flags:
                alternation = r"(?<![\w.@/])(?:" + literal_alternation(names) + ")"
            else:
                alternation = "(?:" + literal_alternation(names, after_first=r"(?<![\w.@/][\s\S])") + ")"
            out.append((regexcache.compile(alternation + r"(?![\w]|\.\w)", flags), names))
    return out


def not_source_pattern(packs) -> re.Pattern | None:
    """The packs' ``not-sources`` phrases ("NHS 111", "FDA-approved", "on the
    NHS") as one case-insensitive alternation."""
    def build():
        phrases = [str(p) for pack in packs.of_kind("domains") for p in pack.get("not-sources") or []]
        return regexcache.compile(r"(?<![\w.])(?:" + "|".join(f"(?:{p})" for p in phrases) + r")(?!\w)", re.I) if phrases else None
    return packs.derived((ID, "not-sources"), build)


# How far around a name a not-source phrase may reach ("through the NHS",
# "NHS continuing healthcare"): the pattern is only run on this window,
# not on the whole article.
_NOT_SOURCE_REACH = 40


def _inside_not_source(pattern: re.Pattern, text: str, start: int, end: int) -> bool:
    lo = max(0, start - _NOT_SOURCE_REACH)
    return any(m.start() <= start and end <= m.end()
               for m in pattern.finditer(text, lo, min(len(text), end + _NOT_SOURCE_REACH)))


# What may sit beside names in a credit line ("NIH: National Institute of
# Arthritis and Musculoskeletal and Skin Diseases"; "Food and Drug
# Administration" under an article, where the live page shows the logo).
_CREDIT_FILLER = frozenset({"and", "the", "of", "from", "by", "with", "in", "for", "on", "to", "at"})


# A citation label makes a short line a citation that needs its link.
_CITATION_LABEL_RE = regexcache.compile(r"^\W*(?:sources?|references?|adapted from|based on|from|courtesy of|reproduced from|"
                                r"according to|see|read)\b", re.I)
_CREDIT_MAX_WORDS = 12


def _credit_line(text: str, spans: list[tuple[int, int]]) -> bool:
    """The block is a credit line or logo caption, not a statement that
    cites the source: source names, and otherwise only capitalised name
    words and connectors ("NIH: National Institute of Mental Health"), no
    sentence punctuation, no citation label ("Source: ...")."""
    if len(text.split()) > _CREDIT_MAX_WORDS or re.search(r"[.!?;]\s*\S", text.rstrip(".")) \
            or _CITATION_LABEL_RE.match(text):
        return False
    rest = list(text)
    for a, b in spans:
        rest[a:b] = " " * (b - a)
    words = re.findall(r"[^\W_]+", "".join(rest))
    return all(w.lower() in _CREDIT_FILLER or w[0].isupper() for w in words)


def _own_domains(context) -> list[str]:
    """The site's own hosts (``base-url``, ``domains``): a page of nhs.uk
    naming the NHS is not citing a source."""
    site = (getattr(context, "settings", None) or {}).get("site") or {}
    hosts = [host_of(str(site.get("base-url") or ""))]
    hosts += [host_of(d if "//" in str(d) else f"//{d}") for d in site.get("domains") or []]
    return [h[4:] if h.startswith("www.") else h for h in hosts if h]


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
    not_sources = None  # compiled on the first name found (about 10 ms; many pages name no source)
    own = _own_domains(context)
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
            if not_sources is None:
                not_sources = not_source_pattern(context.packs) or False
            if not_sources and _inside_not_source(not_sources, text, m.start(), m.end()):
                continue  # "NHS 111", "FDA-approved": a service or a status, not a source
            if own and any(domain_in(h, [domain]) for h in own):
                continue  # the site naming itself
            matches.append((m.start(), -len(found), i, start, end, m.group(), domain))
    # Credit lines: blocks that are nothing but source names.
    by_block: dict[int, list[tuple[int, int]]] = {}
    for _, _, i, start, end, _, _ in matches:
        by_block.setdefault(i, []).append((start, end))
    credit = {i for i, spans in by_block.items() if _credit_line(blocks[i].text, spans)}
    matches = [m for m in matches if m[2] not in credit]
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
