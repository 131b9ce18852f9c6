"""Sentence longer than the limit.

What it does
------------
Reports every sentence in the article's prose with more than ``max-words``
words, at the sentence's position. Headings, code and URLs are not counted.

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

How to fix
----------
Split the sentence at "and", "but", "which" or a comma; turn a list of
conditions into a bulleted list.
"""
from __future__ import annotations

from ..findings import Problem
from ..text import count_between, sentences, tokens

ID = "readability/long-sentence"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"max-words": int}
DEFAULT = {"max-words": 25}


def check(document, options, context):
    limit = options["max-words"]
    for block in document.blocks:
        if block.kind not in ("paragraph", "list_item", "blockquote"):
            continue
        words = tokens(block.text, block.ignore)
        if len(words) <= limit:
            continue
        for start, end in sentences(block.text):
            count = count_between(words, start, end)
            if count > limit:
                s, e = block.source_span(start, end)
                yield Problem(
                    message=f"Sentence has {count} words; keep sentences to {limit} or fewer.",
                    hint="Split it into two sentences or turn it into a list.",
                    start=s,
                    end=e,
                )
