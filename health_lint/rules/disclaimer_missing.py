"""No medical disclaimer in the article.

What it does
------------
Looks for a medical disclaimer anywhere in the article (body, and for HTML
pages also the page footer). What counts as a disclaimer comes from the
``disclaimer`` rule pack (``rules/disclaimer/``): one "strong" phrase such as
"not a substitute for professional medical advice" is enough; "weak"
phrases such as "talk to your doctor" only count when ``min-weak-matches``
different ones appear in the same paragraph. A site that requires its own wording replaces the pack
(a pack with ``id: disclaimer`` in one of its ``packs`` folders) or sets
``phrases``.

Why it matters
--------------
Readers may take an article as advice for their own case. A disclaimer
tells them the article does not replace a clinician who knows them, and
many publishers' legal and editorial policies require one on every page.

Options
-------
- ``phrases`` (list of phrases, default empty): if set, these phrases replace
  the pack's strong phrases (for a site's required wording). Empty entries
  are a configuration error. English documents only.

Examples
--------
FAIL:

    # Neck pain

    Most neck pain gets better in a few weeks.

PASS:

    # Neck pain

    Most neck pain gets better in a few weeks.

    This article is for general information and is not a substitute for
    professional medical advice.

How to fix
----------
Add a disclaimer, usually at the end, e.g. "This article is for general
information and is not a substitute for professional medical advice. Talk
to a doctor about your own symptoms."
"""
from __future__ import annotations

from ..findings import Problem
from ..text import PhraseIndex, tokens

ID = "disclaimer/missing"
SEVERITY = "error"
SCOPE = "document"
CONF = {"phrases": list}
DEFAULT = {"phrases": []}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    if any(not str(p).strip() for p in options.get("phrases") or []):
        return ["phrases: entries must not be empty"]
    return []

EXAMPLE = ("This article is for general information and is not a substitute for professional medical advice.")


def _indexes(packs, phrases):
    strong, weak, min_weak = list(phrases), [], 2
    if not phrases:
        for pack in packs.of_kind("disclaimer"):
            strong += pack.get("phrases", []) + pack.get("strong", [])
            weak += pack.get("weak", [])
            min_weak = int(pack.get("min-weak-matches", min_weak))
    return PhraseIndex((p, "strong") for p in strong), PhraseIndex((p, p) for p in weak), min_weak


def has_disclaimer(texts, strong, weak, min_weak) -> bool:
    for text, ignore in texts:
        toks = tokens(text, ignore)
        if next(strong.finditer(toks), None) is not None:
            return True
        # Weak phrases count only together, within one paragraph.
        if weak.by_first and len({payload for _, _, payload, _ in weak.finditer(toks)}) >= min_weak:
            return True
    return False


def check(document, options, context):
    phrases = tuple(options["phrases"])
    strong, weak, min_weak = context.packs.derived((ID, phrases), lambda: _indexes(context.packs, phrases))
    texts = [(b.text, b.ignore) for b in document.prose_blocks()]
    if document.extra_text:
        texts.append((document.extra_text, ()))
    if has_disclaimer(texts, strong, weak, min_weak):
        return
    end = document.end_offset
    yield Problem(
        message=f'No medical disclaimer found. Add one, e.g. "{EXAMPLE}"',
        hint="Add a disclaimer paragraph, usually at the end of the article.",
        start=document.line_offset(document.position(end)[0]),
        end=end,
        document_level=True,
        fingerprint_text="disclaimer/missing",
    )
