"""Link text that says nothing about where the link goes.

What it does
------------
Reports links whose whole text is a vague phrase from the
``vague-anchors`` term pack (``rules/terms/vague-anchors.yaml``): "click
here", "here", "this page", "this link", "read more", "this article",
"learn more"... Case, surrounding punctuation and a leading "to" are
ignored; a longer text that contains one of them ("read more about
sciatica") is fine.

Why it matters
--------------
Screen-reader users often jump from link to link, hearing only the link
text; "click here" tells them nothing (WCAG 2.2 success criterion 2.4.4).
Descriptive text also tells every reader, and search engines, what the
source is before they follow it.

Examples
--------
FAIL:

    # Sleep

    For tips on better sleep, [click here](https://www.nhs.uk/live-well/sleep-and-tiredness/).

PASS:

    # Sleep

    Read the [NHS tips on better sleep](https://www.nhs.uk/live-well/sleep-and-tiredness/).

How to fix
----------
Put the name of the source or page in the link text: "the NHS guide to
sciatica" rather than "click here".
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import normalise
from .. import regexcache

ID = "links/vague-anchor"
SEVERITY = "warning"
SCOPE = "document"
# English packs and formulas: pages in other languages are skipped.
LANGUAGES = ("en",)
CONF: dict = {}
DEFAULT: dict = {}

_TRIM = regexcache.compile(r"^[\W_]+|[\W_]+$")


def anchor_key(text: str) -> str:
    text = _TRIM.sub("", normalise(text).replace("\u2026", "..."))
    if text.startswith("to "):
        text = text[3:]
    return _TRIM.sub("", text)


def vague_terms(packs) -> dict[str, dict]:
    out = {}
    for pack in packs.terms_for(ID):
        for term in pack.get("terms", []):
            for phrase in [term["term"], *term.get("variants", [])]:
                out[anchor_key(str(phrase))] = term
    return out


def check(document, options, context):
    terms = context.packs.derived(ID, lambda: vague_terms(context.packs))
    for link in document.links:
        if link.kind != "link" or not link.text:
            continue
        term = terms.get(anchor_key(link.text))
        if term is None:
            continue
        better = term.get("replacement", "words that say where the link goes")
        start, end = (link.text_start, link.text_end) if link.text_start >= 0 else (link.start, link.end)
        yield Problem(message=f'Vague link text "{link.text}": say where the link goes.',
                      hint=f"Use {better}.", start=start, end=end)
