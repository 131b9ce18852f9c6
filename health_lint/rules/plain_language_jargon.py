"""Medical jargon with a plainer alternative, not explained.

What it does
------------
Finds medical terms from the ``jargon`` term pack
(``rules/terms/jargon.yaml``) that have an everyday equivalent
(hypertension → high blood pressure, myocardial infarction → heart attack,
analgesic → pain reliever) and suggests it. A term is fine when it is
explained in the same sentence: in parentheses right after it
("fontanelle (soft spot on the head)"), or named in parentheses after a
plain description ("a soft spot that sinks in (sunken fontanelle)"; a
bracket of examples or a list, "(such as hypertension)", "(hypertension
and diabetes)", explains nothing); after "also called", "also known as",
"known as", "which means", "means", "meaning", up to three words before it
("also called a prolapsed or herniated disc"); or when its plain equivalent,
or another plain wording the term pack lists (``also-plain``: "after the
birth" for postpartum), appears in that sentence. A plain "or" is not an
explanation: "ask about hypertension or diabetes" names two conditions.
An everyday name that holds a term ("sleep apnoea") is not jargon
(``unless-in`` in the pack), nor is a capitalised term inside a proper
name ("the British Hypertension Society"); a term that is the text of a
link (to a glossary or condition page) counts as explained. Once a term has been
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

PASS:

    # Babies

    A soft spot on the top of the head that dips in (sunken fontanelle) is a sign of dehydration.

FAIL:

    # Heart health

    Some conditions (such as hypertension) need regular checks.

How to fix
----------
Use the plain word, or keep the medical term and explain it the first time:
"hypertension (high blood pressure)".
"""
from __future__ import annotations

import re

from ..findings import Problem
from ..terms import find_terms, normalise, sentence_of, term_index
from ..text import PhraseIndex
from .. import regexcache

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

# Words that open a bracket of examples, not of an explanation or a name:
# "(such as hypertension)" does not explain what came before.
_EXAMPLES_RE = regexcache.compile(r"^(?:such as|e\.?g\.?|for example|for instance|like|including|see|eg)\b", re.I)
# A bracket that names the term, with at most this many other words:
# "a soft spot on the head that sinks in (sunken fontanelle)".
_NAME_BRACKET_MAX_OTHER_WORDS = 3
# Words allowed between an explaining marker and the term: "also called a
# prolapsed or herniated disc".
_MARKER_GAP_WORDS = 3


def _enclosing_brackets(text: str, s: int, e: int, start: int, end: int) -> tuple[int, int] | None:
    """(open, close) of the parentheses around [start, end) in the sentence
    [s, e), or None."""
    open_at = text.rfind("(", s, start)
    if open_at < 0 or ")" in text[open_at:start]:
        return None
    close_at = text.find(")", end, e + 1 if e < len(text) else e)
    if close_at < 0 or "(" in text[end:close_at]:
        return None
    return open_at, close_at


def explained(text: str, start: int, end: int, term: dict, markers: list[str], plain_index=None,
              sentence_toks=None) -> bool:
    """Whether the term at [start, end) is explained in its sentence.
    ``plain_index`` (a PhraseIndex of the term's ``also-plain`` wordings) is
    matched against ``sentence_toks``."""
    s, e = sentence_of(text, start)
    after = text[end:e].lstrip()
    if after.startswith("(") and not _EXAMPLES_RE.match(after[1:].lstrip()):
        return True  # "term (explanation)"
    brackets = _enclosing_brackets(text, s, e, start, end)
    if brackets:
        open_at, close_at = brackets
        inner = text[open_at + 1:close_at].strip()
        described = len(normalise(text[s:open_at]).split()) >= 2
        other_words = len(normalise(text[open_at + 1:start] + " " + text[end:close_at]).split())
        # A name, not a list: "(high blood pressure and diabetes)" lists
        # conditions and explains neither.
        is_name = not re.search(r"[,;]|\b(?:and|or)\b", inner) and other_words <= _NAME_BRACKET_MAX_OTHER_WORDS
        if described and not _EXAMPLES_RE.match(inner) and is_name:
            return True  # "plain description (term)"
        inner_norm = normalise(inner)
        if described and any(regexcache.compile(rf"{re.escape(normalise(mk))}\b").match(inner_norm) for mk in markers):
            return True  # "slipped disc (also called a herniated disc)"
    sentence = normalise(text[s:e])
    replacement = normalise(str(term.get("replacement", "")))
    if replacement and replacement in sentence:
        return True
    if plain_index is not None and sentence_toks and any(True for _ in plain_index.finditer(sentence_toks)):
        return True  # the meaning is given in other plain words
    window_after = normalise(text[end:min(e, end + 40)])
    window_before = normalise(text[max(s, start - 60):start])
    gap = rf"(?:[\w'\-]+\s+){{0,{_MARKER_GAP_WORDS}}}"
    for marker in markers:
        m = normalise(marker)
        # Compiled through the cache: the markers are pack data, the same every run.
        if regexcache.compile(rf"[,:;\-\s]*{re.escape(m)}\b").match(window_after) or \
                regexcache.compile(rf"\b{re.escape(m)}[,:\s]+{gap}$").search(window_before + " "):
            return True
    return False


def _described(packs, match) -> bool:
    """One of the term's ``unless-in`` phrases covers the match ("sleep
    apnoea" is a condition name readers know; "apnoea" alone is jargon)."""
    phrases = match.term.get("unless-in") or []
    if not phrases:
        return False
    index = packs.derived((ID, "unless-in", id(match.term)), lambda: PhraseIndex((str(p), True) for p in phrases))
    return any(first <= match.first and last >= match.last for first, last, _, _ in index.finditer(match.toks))


def _in_proper_name(text: str, toks, first: int, last: int) -> bool:
    """A capitalised term inside a run of capitalised words is part of a
    name ("the British Hypertension Society", "Journal of Hypertension
    Research"), not the writer's jargon."""
    if not toks[first].text[:1].isupper():
        return False
    before = toks[first - 1] if first > 0 else None
    after = toks[last + 1] if last + 1 < len(toks) else None
    s, _ = sentence_of(text, toks[first].start)

    def capital(tok, gap: str) -> bool:
        return tok is not None and tok.text[:1].isupper() and not any(c in gap for c in ".!?:;(")

    starts_sentence = toks[first].start <= s
    return (capital(before, text[before.end:toks[first].start] if before else "") and not starts_sentence) or \
        capital(after, text[toks[last].end:after.start] if after else "")


def _linked(document, block, start: int, end: int) -> bool:
    """The term is the text of a link (to a glossary or condition page that
    explains it)."""
    s, e = block.source_span(start, end)
    return any(link.kind == "link" and link.text_start >= 0 and link.text_start <= s and e <= link.text_end
               for link in document.links)


def check(document, options, context):
    index = context.packs.derived(ID, lambda: term_index(context.packs.terms_for(ID)))
    done: set[str] = set()
    for m in find_terms(document, index, kinds=("paragraph", "list_item", "blockquote", "table_cell")):
        name = str(m.term["term"])
        if name in done:
            continue
        if _described(context.packs, m) or _in_proper_name(m.block.text, m.toks, m.first, m.last):
            continue  # an everyday or proper name holds the term; later uses still count
        done.add(name)  # explained or reported, the first use decides
        if _linked(document, m.block, m.start, m.end):
            continue
        plain_index = sentence_toks = None
        if m.term.get("also-plain"):
            plain_index = context.packs.derived((ID, "also-plain", id(m.term)),
                                                lambda: PhraseIndex((str(p), True) for p in m.term["also-plain"]))
            s0, e0 = sentence_of(m.block.text, m.start)
            sentence_toks = [t for t in m.toks if s0 <= t.start < e0]
        if explained(m.block.text, m.start, m.end, m.term, options["explained-by"], plain_index, sentence_toks):
            continue
        s, e = m.block.source_span(m.start, m.end)
        found = m.block.text[m.start:m.end]
        plain = m.term.get("replacement", "")
        yield Problem(
            message=f'Jargon: "{found}". Plainer: "{plain}", or explain it the first time it appears.',
            hint=f'Write "{plain}", or "{found} ({plain})" at first use.',
            start=s, end=e, data={"term": name, "replacement": plain},
        )
