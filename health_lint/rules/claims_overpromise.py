"""Language that promises what medicine cannot.

What it does
------------
Finds overpromising words and phrases from the ``claims`` term pack
(``rules/terms/claims.yaml``): "miracle", "cures", "guaranteed", "100%
effective", "detox", "instantly", "never fails", "secret doctors don't want
you to know"... It is negation- and context-aware: a term preceded within a
few words in the same sentence by a negation, a debunking or a reporting
word from the pack ("no", "not", "cannot", "there is no", "claim", "myth",
"called", "described as"), or followed by a debunking phrase ("... are
false", "... is a myth"), is not a finding; nor is a term inside quotation
marks (double, curly or single: reported speech), in a question ("Is there
a cure for tinnitus?") or in code, nor one right after a negated term ("no
guaranteed cure"). Besides cure words, the pack lists promises of results
("proven effective", "highly effective" (except for vaccines and
contraception), "allows for a complete recovery", "prevent the need for
surgery", "quickly relieve your pain", "eradicate your back pain") and
anti-cancer claims for foods ("anti-carcinogenic properties").
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

FAIL:

    # Back pain

    Our adjustments are proven effective and allow for a complete recovery.

PASS:

    # Back pain

    Claims that magnets are a miracle cure are false. Is there a cure for back pain?
    Most people make a full recovery within six weeks.

How to fix
----------
Say what the evidence shows and for whom: "In trials, about half of people
had less pain after 12 weeks." Use "treat", "ease" or "manage" rather than
"cure" unless a cure is real and sourced.
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import find_terms, inside_quotes, preceded_by, sentence_of, term_index
from ..text import PhraseIndex, compile_phrase
from .. import regexcache

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

# 'miracle cure' in single straight quotes: a quote opens after a space or
# bracket and closes before a space or punctuation (not an apostrophe).
_SINGLE_QUOTED_RE = regexcache.compile(r"(?:^|(?<=[\s(\[]))'[^']{1,80}'(?=$|[\s.,;:!?)\]])")


def _single_quoted(text: str, start: int, end: int) -> bool:
    s, e = sentence_of(text, start)
    return any(m.start() < start and end < m.end() for m in _SINGLE_QUOTED_RE.finditer(text, s, e))


def _question(text: str, start: int) -> bool:
    """"Is there a cure for tinnitus?", "Can arthritis be cured?": a
    question asks, it does not promise."""
    s, e = sentence_of(text, start)
    return text[s:e].rstrip(" \"')]\u201d\u2019").endswith("?")


def _followed_by(match, phrases: list[str], window: int) -> bool:
    """One of ``phrases`` starts within ``window`` words after the match, in
    the same sentence: "claims that it is a miracle cure are false"."""
    if not phrases:
        return False
    _, e = sentence_of(match.block.text, match.start)
    after = [t.stem for t in match.toks[match.last + 1:match.last + 1 + window + 3] if t.start < e]
    for phrase in phrases:
        parts = compile_phrase(phrase).parts
        n = len(parts)
        for i in range(0, min(window, len(after) - n) + 1):
            if all(part is not None and after[i + k] in part for k, part in enumerate(parts)):
                return True
    return False


def check(document, options, context):
    index = context.packs.derived(ID, lambda: term_index(context.packs.terms_for(ID)))
    negated_until: dict[int, int] = {}  # id(block) -> last token index of a negated match
    for m in find_terms(document, index):
        text = m.block.text
        if inside_quotes(text, m.start, m.end) or _single_quoted(text, m.start, m.end) or _question(text, m.start):
            continue
        negators = list(m.pack.get("unless-before", [])) + list(m.term.get("unless-before", []))
        # "no guaranteed cure": a term right after a negated one shares its negation.
        window = int(m.pack.get("unless-window", 5))
        if negated_until.get(id(m.block)) == m.first - 1 or preceded_by(m, negators, window) \
                or _followed_by(m, list(m.pack.get("unless-after", [])), window):
            negated_until[id(m.block)] = m.last
            continue
        if _described(context.packs, m):
            continue
        s, e = m.block.source_span(m.start, m.end)
        found = text[m.start:m.end]
        note = m.term.get("note", "")
        yield Problem(
            message=f'Overpromising claim: "{found}". {note}'.strip(),
            hint="Say what the evidence shows and for whom; use 'treat', 'ease' or 'manage' instead of promises.",
            start=s, end=e, severity=m.term.get("severity"),
        )
