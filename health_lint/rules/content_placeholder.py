"""Placeholder text left in an article: unfinished content.

What it does
------------
Reports text that stands in for content still to be written, wherever it
is in the article's prose, headings, link text or link targets:

- filler text: "Lorem ipsum", "dolor sit amet";
- writers' and editors' markers, in capitals as they are written: TODO,
  TBD, TK, TKTK, FIXME, XXX;
- bracketed instructions: "[insert link]", "[add phone number]",
  "[citation needed]", "[link to come]", "[TK]";
- template prompts: "click here to add text", "your text here",
  "placeholder text";
- link targets that are placeholders: ``TODO``, ``TBD``, ``link``, ``url``,
  ``insert-link-here``, and ``example.com`` addresses. (A bare ``#`` is not
  reported: pages use it for "back to top" and for script-driven controls.)

Each placeholder is reported once where it stands. Code, front matter and
HTML comments are not read (a ``<!-- TODO -->`` note to other editors is not
published). Markers count only as whole words in capitals, so "todo" in a
sentence, the name "Tk" and the word "xxx-large" inside a code block are not
reported.

Why it matters
--------------
Placeholder text that reaches readers looks careless at best; in a health
article a "[insert phone number]" where the crisis line should be, or a
"TK" where the dose should be, can keep someone from help. It must never be
published, so this rule is an error by default: CI fails until it is fixed.

Examples
--------
FAIL:

    # Asthma attacks

    If your reliever does not help, call [insert local number] now.

FAIL:

    # Asthma attacks

    TODO: add the section on peak flow.

FAIL:

    # Asthma attacks

    Lorem ipsum dolor sit amet, consectetur adipiscing elit.

FAIL:

    # Asthma attacks

    Read our [guide to inhalers](TODO).

PASS:

    # Asthma attacks

    If your reliever does not help, call 999 now. Keep a to-do list of
    questions for your asthma nurse.

How to fix
----------
Write the missing content (or remove the sentence), and give every link its
real address. If the text is meant to be there (an article about
placeholder text), disable the rule for that line with a suppression
comment.

Fix (unsafe, ``check --fix --unsafe-fixes``): a placeholder link target
is replaced when the fix is unambiguous: the same article links the same
text (ignoring case and spacing) elsewhere, always to one real address.
Placeholder text is never "fixed": only a writer can write it.
"""
from __future__ import annotations

import re

from ..findings import Fix, Problem
from ..text import holds_any
from .. import regexcache

ID = "content/placeholder"
SEVERITY = "error"
SCOPE = "document"
FIX = "unsafe"  # check --fix (see "How to fix")
CONF: dict = {}
DEFAULT: dict = {}

# Markers are matched as written (capitals): "todo" and "Tk" in prose are
# ordinary words or names. Not TBC (also an abbreviation of tuberculosis).
_MARKER = r"(?<![\w-])(?:TODO|TBD|TKTK|TK|FIXME|XXX+)(?![\w-])"
_FILLER = r"(?i:\blorem ipsum\b(?:[\s,]+dolor sit amet\b)?|\bdolor sit amet\b)"
_BRACKETED = (
    r"(?i:\[\s*(?:insert|add|enter|include|put|paste|link|url|citation needed|source needed|placeholder|"
    r"to come|tk|tbd|todo|fixme|xx+)\b[^\]\n]{0,80}\])"
)
_PROMPT = r"(?i:\bclick here to (?:add|edit|enter|insert)\b|\b(?:your|add|insert) (?:text|content|copy|headline) here\b|\bplaceholder text\b)"
_PLACEHOLDER_RE = regexcache.compile("|".join((_FILLER, _BRACKETED, _PROMPT, _MARKER)))

_PLACEHOLDER_TARGET_RE = regexcache.compile(
    r"^(?:(?i:todo|tbd|tk|fixme|xxx+|link|url|insert[-_ ]?link[-_ ]?here|link[-_ ]?here|your[-_ ]?link[-_ ]?here|"
    r"placeholder)|(?i:https?://(?:www\.)?example\.(?:com|org|net)(?:[/?#].*)?))$"
)


# Every match holds one of these: the regex scans only the blocks that do.
_NEEDED_AS_WRITTEN = ("[", "TODO", "TBD", "TK", "FIXME", "XXX")
_NEEDED_LOWERCASED = ("lorem", "dolor", "here", "placeholder")


def check(document, options, context):
    for block in document.prose_blocks():
        if not holds_any(block.text, _NEEDED_AS_WRITTEN, _NEEDED_LOWERCASED):
            continue
        for m in _PLACEHOLDER_RE.finditer(block.text):
            if _inside(m.start(), block.ignore):
                continue
            s, e = block.source_span(m.start(), m.end())
            text = " ".join(m.group().split())
            yield Problem(message=f'Placeholder text "{text}": this content is unfinished.',
                          hint="Write the missing content or remove the placeholder before publishing.",
                          start=s, end=e, data={"placeholder": text})
    # Real targets by link text, for the unambiguous fix.
    targets: dict[str, set[str]] = {}
    for link in document.links:
        url = link.url.strip()
        if link.kind != "image" and link.text and url and not _PLACEHOLDER_TARGET_RE.match(url):
            targets.setdefault(_text_key(link.text), set()).add(url)
    for link in document.links:
        url = link.url.strip()
        if link.kind == "image" or not _PLACEHOLDER_TARGET_RE.match(url):
            continue
        start, end = (link.url_start, link.url_end) if link.url_start >= 0 else (link.start, link.end)
        label = f' "{link.text}"' if link.text else ""
        fix = None
        known = targets.get(_text_key(link.text or ""), set())
        if len(known) == 1 and link.url_start >= 0 and document.source[link.url_start:link.url_end] == link.url:
            target = next(iter(known))
            if re.fullmatch(r"[^\s()<>]+", target):  # written as is in a Markdown or HTML link
                fix = Fix(((link.url_start, link.url_end, target),), f"{url} -> {target}", safe=False)
        yield Problem(message=f"Link{label} has a placeholder target ({url or 'empty'}): it leads nowhere yet.",
                      hint="Give the link its real address, or remove the link.",
                      start=start, end=end, data={"placeholder": url}, fix=fix)


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _inside(offset: int, ranges) -> bool:
    return any(a <= offset < b for a, b in ranges)
