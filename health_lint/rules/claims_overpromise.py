"""Language that promises what medicine cannot.

What it does
------------
Finds overpromising words and phrases from the ``claims`` term pack
(``rules/terms/claims.yaml``): "miracle", "cures", "guaranteed", "100%
effective", "detox", "instantly", "never fails", "secret doctors don't want
you to know"... It is negation- and context-aware: a term preceded within a
few words in the same sentence by a negation or a debunking word from the
pack ("no", "not", "cannot", "there is no", "claim", "myth") is not a
finding, nor is a term inside quotation marks (reported speech) or code.
A term may also list ``unless-in`` phrases that contain it and make it a
description rather than a promise: "instantly" is a claim in "the pain is
gone instantly" but not in "a thunderclap headache comes on instantly" or
"it started instantly", and "breakthrough" is not marketing in
"breakthrough pain" or "breakthrough bleeding". Advice to act at once
("dial 999 instantly", "phone 911 instantly") is not a claim either.
English documents only.

Why it matters
--------------
Promises of cures and guaranteed results mislead people into stopping
treatment that works, spending money on what does not, or blaming
themselves when the promise fails. Regulators (FTC, ASA, EU rules on health
claims) act against such claims, and readers rightly distrust them.

Examples
--------
FAIL:

    # Arthritis

    This miracle supplement cures arthritis.

PASS:

    # Arthritis

    There is no cure for arthritis, but treatment can ease the pain.
    It's not a cure. Be wary of products that claim to cure it.

How to fix
----------
Say what the evidence shows and for whom: "In trials, about half of people
had less pain after 12 weeks." Use "treat", "ease" or "manage" rather than
"cure" unless a cure is real and sourced.
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import find_terms, inside_quotes, preceded_by, term_index
from ..text import PhraseIndex

ID = "claims/overpromise"
SEVERITY = "warning"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}
LANGUAGES = ("en",)


def _described(packs, match) -> bool:
    """One of the term's ``unless-in`` phrases covers the match."""
    phrases = match.term.get("unless-in") or []
    if not phrases:
        return False
    index = packs.derived((ID, "unless-in", id(match.term)), lambda: PhraseIndex((str(p), True) for p in phrases))
    return any(first <= match.first and last >= match.last for first, last, _, _ in index.finditer(match.toks))

def check(document, options, context):
    index = context.packs.derived(ID, lambda: term_index(context.packs.terms_for(ID)))
    for m in find_terms(document, index):
        if inside_quotes(m.block.text, m.start, m.end):
            continue
        negators = list(m.pack.get("unless-before", [])) + list(m.term.get("unless-before", []))
        if preceded_by(m, negators, int(m.pack.get("unless-window", 5))):
            continue
        if _described(context.packs, m):
            continue
        s, e = m.block.source_span(m.start, m.end)
        found = m.block.text[m.start:m.end]
        note = m.term.get("note", "")
        yield Problem(
            message=f'Overpromising claim: "{found}". {note}'.strip(),
            hint="Say what the evidence shows and for whom; use 'treat', 'ease' or 'manage' instead of promises.",
            start=s, end=e, severity=m.term.get("severity"),
        )
