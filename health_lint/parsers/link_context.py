"""Whether each link sits in running text or in a list of links.

A resource list, a menu, a table of services or a "Related pages" block
links the same page from several items on purpose; a sentence that links a
page already linked above does not need to. Parsers call
:func:`mark_listed_links` once the blocks are built, so rules that run
after the prose is dropped (project rules) still know.
"""
from __future__ import annotations

import bisect
import re

from ..document import Document
from .. import regexcache

# Headings of sections whose links are a list of resources, not running text.
RESOURCE_SECTION_RE = regexcache.compile(
    r"\b(?:related|see also|more (?:information|info|help|on|about|from|in)|further (?:reading|information|help)|"
    r"resources?|useful (?:links|websites|pages|organisations|organizations|contacts)|other (?:pages|articles|guides)|"
    r"next steps?|read more|find out more|you (?:may|might) also|links|references|sources|bibliography|"
    r"contents|on this page|in this (?:section|guide)|navigation|menu|support (?:groups|organisations|organizations)|"
    r"where to get (?:help|support))\b", re.I)
# A block is a list of links when the words outside its links are at most
# this many ("Related: A, B and C").
LINK_LIST_OTHER_WORDS = 2
_WORD_RE = regexcache.compile(r"[^\W_]+")


def mark_listed_links(doc: Document) -> None:
    """Set ``Link.listed`` for links in a heading or table cell, in a block
    that is only links, in a list item that starts with its link ("[Page](url):
    what it covers"), or under a resource heading ("Related", "Further
    reading", "Useful links"). Links outside every block (navigation the
    parser dropped) are listed too."""
    links = [link for link in doc.links if link.kind == "link"]
    if not links:
        return
    blocks = [b for b in doc.blocks if b.kind != "code"]
    starts = [b.start for b in blocks]
    by_block: dict[int, list] = {}
    for link in links:
        at = link.text_start if link.text_start >= 0 else link.start
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and blocks[i].start <= at <= blocks[i].end:
            by_block.setdefault(i, []).append(link)
        else:
            link.listed = True
    for i, block_links in by_block.items():
        block = blocks[i]
        listed = block.kind in ("heading", "table_cell") or bool(RESOURCE_SECTION_RE.search(block.section or ""))
        if not listed:
            # Words outside the links: the block's words minus the links'
            # (linear, even for a block of thousands of links).
            outside = len(_WORD_RE.findall(block.text)) - sum(len(_WORD_RE.findall(link.text)) for link in block_links)
            listed = outside <= LINK_LIST_OTHER_WORDS
        if not listed and block.kind == "list_item":
            head = block.text.lstrip()
            listed = any(link.text and head.startswith(link.text) for link in block_links)
        if listed:
            for link in block_links:
                link.listed = True
