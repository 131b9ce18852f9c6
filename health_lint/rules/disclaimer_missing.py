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
- ``fix-text`` (text, default empty): the site's disclaimer. When set,
  ``health-lint check --fix`` inserts it (a safe fix) into Markdown and
  plain-text articles that lack one; empty: no fix.
- ``fix-before-heading`` (text, default empty): where ``--fix`` inserts
  it: before the first heading with this text (case-insensitive, e.g.
  ``References``), or at the end of the article when empty or when the
  article has no such heading. Never inside front matter or code.

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

Fix: with ``fix-text`` configured, ``health-lint check --fix`` inserts the
site's own disclaimer where ``fix-before-heading`` says (safe).
"""
from __future__ import annotations

from ..findings import Fix, Problem
from ..text import PhraseIndex, tokens

ID = "disclaimer/missing"
SEVERITY = "error"
SCOPE = "document"
FIX = "safe"  # check --fix (see "How to fix")
CONF = {"phrases": list, "fix-text": str, "fix-before-heading": str}
DEFAULT = {"phrases": [], "fix-text": "", "fix-before-heading": ""}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    if any(not str(p).strip() for p in options.get("phrases") or []):
        return ["phrases: entries must not be empty"]
    text = str(options.get("fix-text") or "").strip()
    if text:
        # Otherwise --fix would insert it again on every run.
        strong, weak, min_weak = _indexes(packs, tuple(options.get("phrases") or ()))
        if not has_disclaimer([(text, ())], strong, weak, min_weak):
            return ["fix-text is not recognised as a disclaimer (add its wording to `phrases`)"]
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
        if strong.finditer(toks):
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
        fix=_insertion(document, options["fix-text"].strip(), options["fix-before-heading"].strip()),
    )


def _insertion(document, text: str, before: str) -> Fix | None:
    """The site's disclaimer as a paragraph of its own, before the named
    heading or at the end (Markdown and plain text; an HTML page's layout
    is the site's template's business)."""
    if not text or document.format not in ("markdown", "text"):
        return None
    source = document.source
    newline = "\r\n" if "\r\n" in source else "\n"
    for block in document.blocks:
        if before and block.kind == "heading" and " ".join(block.text.split()).casefold() == before.casefold():
            at = document.line_offset(document.position(block.start)[0])
            if at < document.body_start:
                return None
            return Fix(((at, at, text + newline + newline),), f"inserted the disclaimer before {before!r}")
    body = source.rstrip()
    end = len(body)
    if end <= document.body_start:
        return None  # nothing but front matter: no article to add to
    tail = source[end:]
    # Keep the file's own end: one newline if it had any.
    ending = newline if tail else ""
    return Fix(((end, len(source), newline + newline + text + (ending or "")),), "added the disclaimer at the end")
