"""Medical jargon with a plainer alternative, not explained.

What it does
------------
Finds medical terms from the ``jargon`` term pack
(``rules/terms/jargon.yaml``) that have an everyday equivalent
(hypertension → high blood pressure, myocardial infarction → heart attack,
analgesic → pain reliever) and suggests it. A term is fine when it is
explained in the same sentence: in parentheses next to it, with "also
called", "also known as", "known as", "which means", "means", "meaning", or
when its plain equivalent appears in that sentence ("hypertension, or high
blood pressure,"). A plain "or" is not an explanation: "ask about
hypertension or diabetes" names two conditions. Once a term has been
explained, later uses in the article are fine. Only the first unexplained
use of each term is reported.

Why it matters
--------------
Most readers do not know clinical terms, and people under stress read less
well. Plain-language guides (CDC, NHS, NIH) ask writers to use the everyday
word, or to explain the medical one the first time it appears.

Options
-------
- ``explained-by`` (list, default see below): words that, next to a term in
  the same sentence, mark an explanation. Default: "also called", "also
  known as", "known as", "called", "which means", "means", "meaning", "that is",
  "i.e". Empty entries are a configuration error. English documents only.

Examples
--------
FAIL:

    # Blood pressure

    Hypertension raises your risk of a stroke.

PASS:

    # Blood pressure

    Hypertension (high blood pressure) raises your risk of a stroke.
    Untreated hypertension can damage your kidneys.

How to fix
----------
Use the plain word, or keep the medical term and explain it the first time:
"hypertension (high blood pressure)".
"""
from __future__ import annotations

import re

from ..findings import Problem
from ..terms import find_terms, normalise, sentence_of, term_index

ID = "plain-language/jargon"
SEVERITY = "info"
SCOPE = "document"
CONF = {"explained-by": list}
DEFAULT = {"explained-by": ["also called", "also known as", "known as", "called", "which means", "means", "meaning",
                            "that is", "i.e"]}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    if any(not str(m).strip() for m in options.get("explained-by") or []):
        return ["explained-by: entries must not be empty (an empty marker would explain every term)"]
    return []

def explained(text: str, start: int, end: int, term: dict, markers: list[str]) -> bool:
    s, e = sentence_of(text, start)
    # "term (explanation)" or "plain words (term)".
    after = text[end:e].lstrip()
    before = text[s:start].rstrip()
    if after.startswith("(") or (before.endswith("(") and text[end:e].lstrip().startswith(")")):
        return True
    sentence = normalise(text[s:e])
    replacement = normalise(str(term.get("replacement", "")))
    if replacement and replacement in sentence:
        return True
    window_after = normalise(text[end:min(e, end + 40)])
    window_before = normalise(text[max(s, start - 40):start])
    for marker in markers:
        m = normalise(marker)
        if re.match(rf"[,:;\-\s]*{re.escape(m)}\b", window_after) or re.search(rf"\b{re.escape(m)}[,:\s]*$", window_before):
            return True
    return False


def check(document, options, context):
    index = context.packs.derived(ID, lambda: term_index(context.packs.terms_for(ID)))
    done: set[str] = set()
    for m in find_terms(document, index, kinds=("paragraph", "list_item", "blockquote", "table_cell")):
        name = str(m.term["term"])
        if name in done:
            continue
        done.add(name)  # explained or reported, the first use decides
        if explained(m.block.text, m.start, m.end, m.term, options["explained-by"]):
            continue
        s, e = m.block.source_span(m.start, m.end)
        found = m.block.text[m.start:m.end]
        plain = m.term.get("replacement", "")
        yield Problem(
            message=f'Jargon: "{found}". Plainer: "{plain}", or explain it the first time it appears.',
            hint=f'Write "{plain}", or "{found} ({plain})" at first use.',
            start=s, end=e, data={"term": name, "replacement": plain},
        )
