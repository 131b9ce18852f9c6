"""The document model every parser produces and every rule reads.

A :class:`Document` keeps the original source text, so any finding can point
at an exact line and column, plus what rules need: metadata, blocks of prose
with a map from their text back to source offsets, links, and anchors.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from . import regexcache

BLOCK_KINDS = ("heading", "paragraph", "list_item", "blockquote", "table_cell", "code")
# Blocks whose text counts as prose for readability, spelling and term rules.
PROSE_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote", "table_cell"})
_LINE_END_RE = regexcache.compile("\r\n|\r|\n")
_MATCH_END = re.Match.end


@dataclass
class Segment:
    """``length`` characters of block text starting at ``text_start`` come from
    the source at ``source_start`` (one-to-one)."""

    text_start: int
    source_start: int
    length: int


@dataclass(slots=True)  # every paragraph of every page: no __dict__ each
class Block:
    """A block of the article (heading, paragraph, list item...): its plain text and where it came from."""

    kind: str
    text: str
    segments: list[Segment]
    level: int = 0  # heading level; nesting depth for list items
    slug: str = ""  # headings only
    section: str = ""  # text of the nearest heading above (or the title)
    start: int = 0  # source offset of the block's first character
    end: int = 0
    # Text ranges that are not prose words: inline code, bare URLs.
    ignore: list[tuple[int, int]] = field(default_factory=list)
    # Cached: rules map many offsets per block (one per link, word...).
    _segment_starts: list[int] | None = field(default=None, repr=False, compare=False)

    def source_offset(self, index: int) -> int:
        """Map an offset in ``text`` to an offset in the document source."""
        if not self.segments:
            return self.start
        starts = self._segment_starts
        if starts is None or len(starts) != len(self.segments):
            starts = self._segment_starts = [s.text_start for s in self.segments]
        i = bisect.bisect_right(starts, index) - 1
        if i < 0:
            return self.segments[0].source_start
        seg = self.segments[i]
        if index < seg.text_start + seg.length:
            return seg.source_start + (index - seg.text_start)
        # In a gap between segments (text the aligner could not place, such
        # as a decoded entity): use the end of the previous segment.
        return seg.source_start + seg.length

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        s = self.source_offset(start)
        e = self.source_offset(max(start, end - 1)) + 1 if end > start else s
        return s, max(s, e)


@dataclass(slots=True)  # a site's run holds hundreds of thousands: no __dict__ each
class Link:
    """A link or image: target, text and where both sit in the source."""

    url: str
    text: str
    start: int  # source offsets of the whole link (or its href value)
    end: int
    rel: str = ""
    title: str = ""
    kind: str = "link"  # link | image | definition
    # Source offsets of the URL itself, for byte-exact rewriting (links --fix).
    url_start: int = -1
    url_end: int = -1
    # Source offsets of the anchor text (-1 when the link has none).
    text_start: int = -1
    text_end: int = -1
    # In a list of links (a menu, a resource list or table, a "Related"
    # section), not in running text: set by the parsers, read by
    # links/duplicate (such lists repeat a page on purpose).
    listed: bool = False


@dataclass
class Metadata:
    """What the article says about itself: title, author, reviewer, dates."""

    title: str = ""
    description: str = ""
    author: str = ""
    author_credentials: str = ""
    reviewer: str = ""
    reviewer_credentials: str = ""
    published: str = ""
    updated: str = ""
    last_reviewed: str = ""
    tags: list[str] = field(default_factory=list)
    permalink: str = ""
    slug: str = ""
    # Where each field came from (front-matter, meta, json-ld, byline).
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class Directive:
    """A suppression comment found in the source."""

    action: str  # disable | enable | disable-line | disable-next-line | disable-file | invalid (not understood)
    rules: list[str]
    line: int
    start: int
    end: int
    problem: str = ""  # why the comment is not understood, for suppression/invalid


@dataclass
class Document:
    """A parsed article: source, blocks, links, metadata. What every rule reads."""

    path: str
    source: str
    format: str  # markdown | html | text
    # Declared language (HTML lang, front matter `lang`/`language`), e.g.
    # "en", "es-MX"; empty when the document does not say.
    language: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Fragment ids a link can target: heading slugs and explicit id/name.
    anchors: set[str] = field(default_factory=set)
    directives: list[Directive] = field(default_factory=list)
    # Offset of the first body character (after front matter).
    body_start: int = 0
    # Page text outside the main content that some rules still read (HTML
    # footers hold site-wide disclaimers).
    extra_text: str = ""
    # Problems the parser recovered from (e.g. malformed HTML): each becomes
    # an input/... finding while the rest of the document is still checked.
    input_problems: list = field(default_factory=list)
    # Facts several rules derive from the same document (topics, tokens),
    # computed once per check; see terms.topics_of.
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    # How the file's bytes became ``source`` (set by parsers.load): codec,
    # byte-order mark and a SHA-256 of the bytes, so `links --fix` writes the
    # same encoding back and notices a file edited while it ran.
    encoding: str = "utf-8"
    bom: bytes = b""
    file_digest: str = ""
    _line_starts: list[int] | None = field(default=None, repr=False)

    # -- positions -------------------------------------------------------
    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = line_starts_of(self.source)
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count characters."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def line_offset(self, line: int) -> int:
        """Source offset of the start of a 1-based line."""
        starts = self.line_starts
        return starts[min(max(line, 1), len(starts)) - 1]

    @property
    def end_offset(self) -> int:
        return len(self.source.rstrip())

    # -- content ---------------------------------------------------------
    def prose_blocks(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind in PROSE_KINDS)

    def headings(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == "heading")

    def prose_text(self) -> str:
        """All prose, one block per line: what readability is measured on."""
        return "\n".join(b.text for b in self.prose_blocks())


class KeptDocument(Document):
    """A document kept for the link-graph rules after its own rules ran,
    with its source compressed: a 10,000-page run holds every page at once,
    and only the pages with a graph finding need the text again (for its
    line, column and snippet). Same fields as ``Document``; made by
    :func:`keep`."""

    @property  # type: ignore[override]
    def source(self) -> str:
        return self._unpacked()[1]

    @source.setter
    def source(self, text: str) -> None:
        self.__dict__["_packed_source"] = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)

    @property
    def line_starts(self) -> list[int]:
        # Like the text, kept for the last page asked about only: kept on
        # every page with a graph finding, they took 11 MB at 10,000 pages.
        page = self._unpacked()
        if page[2] is None:
            page[2] = line_starts_of(page[1])
        return page[2]

    def _unpacked(self) -> list:
        """[packed source, text, line starts or None] of this page.
        Findings come grouped by page: one page's text at a time."""
        packed = self.__dict__["_packed_source"]
        if _last_unpacked[0] is not packed:
            _last_unpacked[:] = [packed, zlib.decompress(packed).decode("utf-8", "surrogatepass"), None]
        return _last_unpacked


_last_unpacked: list = [None, "", None]


def line_starts_of(text: str) -> list[int]:
    """Offsets where the lines of ``text`` start. CRLF, LF and a lone CR
    (classic Mac files) each end a line, as in CommonMark and browsers, so
    positions agree with the parsers."""
    starts = [0]
    starts += map(_MATCH_END, _LINE_END_RE.finditer(text))
    return starts


def keep(doc: Document) -> KeptDocument:
    """``doc`` as a :class:`KeptDocument` (the same object, source packed)."""
    if type(doc) is not KeptDocument:
        text = doc.__dict__.pop("source")
        doc.__class__ = KeptDocument
        doc.source = text
    return doc  # type: ignore[return-value]


def slugify(text: str, seen: dict[str, int] | None = None) -> str:
    """GitHub-style heading id (github-slugger): lowercase, punctuation,
    symbols and emoji dropped, spaces to hyphens; letters, numbers, combining
    marks of every kind (Mn, Mc, Me: Devanagari and Tamil vowel signs) and
    connector punctuation (``_``, ``‿``) kept. With ``seen`` (one dict per
    page) repeats get ``-1``, ``-2``...; a suffixed slug that is already
    taken (a heading literally named "Causes-1") is skipped, as
    github-slugger does."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in " \t":
            out.append("-")
        elif ch == "-" or cat[0] in "LNM" or cat == "Pc":
            out.append(ch)
        # everything else (other punctuation, symbols, emoji) is dropped
    slug = "".join(out)
    if seen is not None:
        original = slug
        while slug in seen:
            seen[original] += 1
            slug = f"{original}-{seen[original]}"
        seen[slug] = 0
    return slug
