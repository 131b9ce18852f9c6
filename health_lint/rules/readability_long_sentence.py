"""Sentence longer than the limit.

What it does
------------
Reports every sentence in the article's prose with more than ``max-words``
words, at the sentence's position. Headings, code and URLs are not counted.
Words are counted as readers count them: a hyphenated word
("self-diagnose") is one word. A bold run-in label at the start of a
paragraph or list item ("**What it involves:**") is a title, not part of
the sentence after it. Text the page shows on separate lines is not one
sentence even without a full stop: a line that is all bold (a heading
written in bold), a hard line break or ``<br>``, and a heading or
paragraph inside a link card. A row of three or more links whose labels
make up most of the "sentence" (a related-pages strip) is a list of
links, not prose.

Why it matters
--------------
Long sentences are the main driver of a high reading grade and the place
where worried readers lose the thread. Plain-language guides (CDC Clear
Communication Index, NHS content style guide) advise 15 to 20 words on
average and splitting anything over 25.

Options
-------
- ``max-words`` (integer, default 25): the longest acceptable sentence.

Examples
--------
FAIL:

    If your back pain started after a fall or a car accident, or if you also have a fever, numbness in your legs or trouble controlling your bladder, you should get medical help straight away.

PASS:

    Get medical help straight away if your back pain started after a fall or
    a car accident. Do the same if you also have a fever or numb legs.

PASS:

    **What the check involves:** a nurse takes a small sample of blood from your arm and sends it to a lab, and the result comes back within a week.

PASS:

    Read more: [Back pain](/back-pain/), [Sciatica](/sciatica/), [Slipped disc](/slipped-disc/), [Neck pain](/neck-pain/), [Shoulder pain](/shoulder-pain/), [Hip pain](/hip-pain/), [Knee pain](/knee-pain/), [Ankle pain](/ankle-pain/), [Foot pain](/foot-pain/)

FAIL:

    Keep a day-by-day diary of your symptoms, what you ate and drank, how well you slept and any medicines you took, and bring it along to your follow-up appointment.

How to fix
----------
Split the sentence at "and", "but", "which" or a comma; turn a list of
conditions into a bulleted list.
"""
from __future__ import annotations

import bisect
import re

from ..findings import Problem
from ..text import sentences, tokens
from .. import regexcache

ID = "readability/long-sentence"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"max-words": int}
DEFAULT = {"max-words": 25}

# Joins two tokens into one word as readers count it: "self-diagnose".
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})
# A bold run-in label at the start of a block: "**What it involves:**".
_LABEL_RE = regexcache.compile(r"([^.!?:]{1,60}?):\s")
_LABEL_MAX_WORDS = 8
_BOLD_OPEN_RE = regexcache.compile(r"(?:\*\*|__|<(?:strong|b)\b[^>]*>)\s*$", re.I)
_BOLD_CLOSE_RE = regexcache.compile(r"^\s*(?:\*\*|__|</(?:strong|b)\s*>)", re.I)
# Markup between two words that ends a sentence even without a full stop:
# the parser joined text across a heading, paragraph, list item, cell or
# line break (a card of links, a heading inside a link).
_BREAK_TAG_RE = regexcache.compile(r"</?(?:h[1-6]|p|li|dt|dd|td|th|tr|div|section|article|header|footer|ul|ol|dl|table|br|hr)\b",
                           re.I)
# A sentence that is mostly link text, across three or more links, is a list
# of link labels ("Related: Flu Colds Coughs Sore throat ..."), not prose.
_LINK_LIST_MIN_LINKS = 3
_LINK_LIST_SHARE = 0.6


def _word_starts(block, toks) -> list:
    """Tokens that start a word: the second half of "self-diagnose" does not."""
    text = block.text
    out = []
    for i, tok in enumerate(toks):
        if i and text[toks[i - 1].end:tok.start] in _HYPHENS:
            continue
        out.append(tok)
    return out


def _label_end(document, block) -> int:
    """Offset in the block text just after a bold run-in label at its start
    ("**Side effects:** ..."), or 0. The label is a title, not part of the
    sentence that follows."""
    m = _LABEL_RE.match(block.text)
    if not m or len(m.group(1).split()) > _LABEL_MAX_WORDS:
        return 0
    source = document.source
    first = block.source_offset(0)
    colon = block.source_offset(m.end(1))
    if not _BOLD_OPEN_RE.search(source[max(0, first - 20):first]):
        return 0
    if _BOLD_CLOSE_RE.match(source[colon + 1:colon + 12]) or re.search(r"(?:\*\*|__|</(?:strong|b)\s*>)\s*$",
                                                                         source[max(0, colon - 12):colon], re.I):
        return m.end()
    return 0


def _is_break(document, block, prev, tok) -> bool:
    """Whether the source between two words of one block ends a sentence:
    block-level HTML, a line break, or a line that is all bold (a heading
    written as "**Causes**" on its own line)."""
    a = block.source_offset(prev.end - 1) + 1
    b = block.source_offset(tok.start)
    gap = document.source[a:b]
    if "<" in gap and _BREAK_TAG_RE.search(gap):
        return True
    if "\n" not in gap:
        return False
    if gap.startswith(("  \n", "\\\n")) or re.match(r"^(?:\*\*|__)\s*\n", gap):
        line_start = document.source.rfind("\n", 0, a) + 1
        line = document.source[line_start:a + gap.index("\n")].strip()
        return line.endswith("\\") or gap.startswith("  \n") or (
            line.startswith(("**", "__")) and line.endswith(("**", "__")) and len(line) > 4)
    return False


def _pieces(document, block, start, end, words, starts):
    """The sentence [start, end) split where the markup ends it; each piece
    as (start, end, words)."""
    inside = words[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
    pieces, current = [], []
    for w in inside:
        if current and _is_break(document, block, current[-1], w):
            pieces.append(current)
            current = []
        current.append(w)
    if current:
        pieces.append(current)
    return [(p[0].start if i else start, p[-1].end if i < len(pieces) - 1 else end, p) for i, p in enumerate(pieces)]


def _link_spans(document) -> list[tuple[int, int]]:
    """Source spans of the link texts, sorted (computed once per document)."""
    spans = document.derived.get((ID, "link-spans"))
    if spans is None:
        spans = document.derived[(ID, "link-spans")] = sorted(
            (link.text_start, link.text_end) for link in document.links if link.kind == "link" and link.text_start >= 0)
    return spans


def _link_list(document, block, piece_words) -> bool:
    if not piece_words:
        return False
    all_spans = _link_spans(document)
    first, last = block.source_offset(piece_words[0].start), block.source_offset(piece_words[-1].start)
    # The links of this piece: from the one holding its first word (it starts
    # at or before it) to the last one starting at or before its last word.
    lo = max(0, bisect.bisect_right(all_spans, (first, first)) - 1)
    spans = all_spans[lo:bisect.bisect_right(all_spans, (last, last))]
    if len(spans) < _LINK_LIST_MIN_LINKS:
        return False
    starts = [a for a, _ in spans]
    used = set()
    in_links = 0
    for w in piece_words:
        src = block.source_offset(w.start)
        k = bisect.bisect_right(starts, src) - 1
        if k >= 0 and src < spans[k][1]:
            in_links += 1
            used.add(k)
    return len(used) >= _LINK_LIST_MIN_LINKS and in_links >= _LINK_LIST_SHARE * len(piece_words)


def check(document, options, context):
    limit = options["max-words"]
    for block in document.blocks:
        if block.kind not in ("paragraph", "list_item", "blockquote"):
            continue
        toks = tokens(block.text, block.ignore)
        if len(toks) <= limit:
            continue
        # Token starts once per block: counting a sentence is then a bisect,
        # so a block of thousands of sentences stays linear. Hyphenated
        # words (which only lower a count) are merged only in a block that
        # has a sentence over the limit.
        tok_starts = [t.start for t in toks]
        words = starts = None
        label_end = None
        for start, end in sentences(block.text):
            if bisect.bisect_left(tok_starts, end) - bisect.bisect_left(tok_starts, start) <= limit:
                continue
            if words is None:
                words = _word_starts(block, toks)
                starts = [w.start for w in words]
                label_end = _label_end(document, block)
            if start < label_end:
                start = label_end
            if bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start) <= limit:
                continue
            for p_start, p_end, piece in _pieces(document, block, start, end, words, starts):
                count = len(piece)
                if count <= limit or _link_list(document, block, piece):
                    continue
                s, e = block.source_span(p_start, p_end)
                yield Problem(
                    message=f"Sentence has {count} words; keep sentences to {limit} or fewer.",
                    hint="Split it into two sentences or turn it into a list.",
                    start=s,
                    end=e,
                )
