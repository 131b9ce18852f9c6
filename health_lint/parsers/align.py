"""Map decoded text back to exact offsets in the original source.

Parsers hand us text as the reader sees it (entities decoded, Markdown markup
gone); rules need the place in the file. We find each text fragment in the
source, in order, starting where the previous one ended. Where the text is not
verbatim in the source (``&amp;``, ``\\*``), we fall back to matching
character by character, decoding entities and skipping escapes.
"""
from __future__ import annotations

import bisect
import html
import re

from ..document import Block, Segment
from .. import regexcache

ENTITY_RE = regexcache.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_WS_RE = regexcache.compile(r"\s+")
# How far the slow path looks ahead for one character before giving up on it.
_WINDOW = 80


class Aligner:
    """Places fragments of decoded text in ``haystack`` (the source, possibly
    with markup masked out so text is never found inside a tag)."""

    def __init__(self, haystack: str):
        self.hay = haystack
        self.cursor = 0

    def place(self, fragment: str, limit: int | None = None) -> list[Segment]:
        """Segments (text_start relative to the fragment) for ``fragment``;
        advances the cursor past it."""
        if not fragment:
            return []
        hay = self.hay
        end = len(hay) if limit is None else limit
        pos = hay.find(fragment, self.cursor, end)
        if pos >= 0:
            self.cursor = pos + len(fragment)
            return [Segment(0, pos, len(fragment))]
        return self._place_slowly(fragment, end)

    def _place_slowly(self, fragment: str, end: int) -> list[Segment]:
        hay = self.hay
        segments: list[Segment] = []
        p = self.cursor
        for i, ch in enumerate(fragment):
            if ch.isspace():
                # Whitespace may be collapsed or be a newline in the source.
                q = p
                while q < end and hay[q].isspace():
                    q += 1
                if q > p:
                    _extend(segments, i, p)
                    p = q
                continue
            q = p
            stop = min(end, p + _WINDOW)
            while q < stop:
                c = hay[q]
                if c == ch:
                    _extend(segments, i, q)
                    p = q + 1
                    break
                if c == "&":
                    m = ENTITY_RE.match(hay, q)
                    if m and html.unescape(m.group()) == ch:
                        _extend(segments, i, q, width=m.end() - q)
                        p = m.end()
                        break
                q += 1
            # Not found nearby: leave this character unmapped.
        self.cursor = p
        return segments


def _extend(segments: list[Segment], text_index: int, source_index: int, width: int = 1) -> None:
    last = segments[-1] if segments else None
    if (
        last is not None
        and width == 1
        and last.text_start + last.length == text_index
        and last.source_start + last.length == source_index
    ):
        last.length += 1
    else:
        # An entity maps one text character to several source characters;
        # record it as a one-character segment at the entity's start.
        segments.append(Segment(text_index, source_index, 1))


class BlockBuilder:
    """Accumulates placed fragments into one block's text, collapsing runs of
    whitespace to one space while keeping the map to the source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._part_starts: list[int] = []  # text offset of each part
        self.length = 0
        self.segments: list[Segment] = []
        # text_start of each segment, for bisecting: a block with thousands
        # of links asks for a span per link.
        self._segment_starts: list[int] = []
        self._pending_space = False
        # Text ranges not to be treated as prose words (code spans, URLs).
        self.ignore: list[tuple[int, int]] = []

    def add(self, fragment: str, segments: list[Segment]) -> tuple[int, int]:
        """Append ``fragment`` (with its source segments relative to the
        fragment); returns its (start, end) in the block text."""
        start_len = self.length
        core = fragment.strip()
        if core and " ".join(core.split()) == core:
            # Fast path (most fragments): single spaces only inside (split
            # and joined again, the text comes back unchanged).
            lead = len(fragment) - len(fragment.lstrip())
            if lead:
                self._pending_space = True
            if self._pending_space and self.length:
                self._append(" ", None)
            self._append(core, _slice_segments(segments, lead, lead + len(core)))
            self._pending_space = len(fragment) > lead + len(core)
            return start_len, self.length
        for m in re.finditer(r"\S+|\s+", fragment):
            piece = m.group()
            if piece[0].isspace():
                self._pending_space = True
                continue
            if self._pending_space and self.length:
                self._append(" ", None)
            self._pending_space = False
            self._append(piece, _slice_segments(segments, m.start(), m.end()))
        return start_len, self.length

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Source offsets of text [start, end) added so far (None if none of
        it could be placed)."""
        segments = self.segments
        i = max(0, bisect.bisect_right(self._segment_starts, start) - 1)
        first = last = None
        while i < len(segments) and segments[i].text_start < end:
            s = segments[i]
            if s.text_start + s.length > start:
                if first is None:
                    first = s.source_start + max(0, start - s.text_start)
                last = s.source_start + min(s.length, end - s.text_start)
            i += 1
        return (first, last) if first is not None else None

    def first_source_offset(self, text_start: int, default: int) -> int:
        """Source offset of the first placed character at or after
        ``text_start`` in the text, or ``default`` if there is none."""
        segments = self.segments
        i = max(0, bisect.bisect_right(self._segment_starts, text_start) - 1)
        while i < len(segments):
            s = segments[i]
            if s.text_start + s.length > text_start:
                return s.source_start + max(0, text_start - s.text_start)
            i += 1
        return default

    def space(self) -> None:
        self._pending_space = True

    def _append(self, piece: str, segs: list[Segment] | None) -> None:
        if segs:
            for s in segs:
                self.segments.append(Segment(self.length + s.text_start, s.source_start, s.length))
                self._segment_starts.append(self.length + s.text_start)
        self.parts.append(piece)
        self._part_starts.append(self.length)
        self.length += len(piece)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def text_from(self, start: int) -> str:
        """``text[start:]`` without joining the whole block (a link's text
        is read once per link)."""
        i = max(0, bisect.bisect_right(self._part_starts, start) - 1)
        if i >= len(self.parts):
            return ""
        return "".join(self.parts[i:])[start - self._part_starts[i]:]

    def build(self, kind: str, **kw) -> Block | None:
        text = self.text
        if not text.strip():
            return None
        segs = _merge(self.segments)
        start = segs[0].source_start if segs else 0
        end = segs[-1].source_start + segs[-1].length if segs else 0
        return Block(kind=kind, text=text, segments=segs, start=start, end=end, ignore=list(self.ignore), **kw)


def _slice_segments(segments: list[Segment], a: int, b: int) -> list[Segment]:
    """Segments covering fragment range [a, b), re-based to start at 0."""
    out = []
    for s in segments:
        lo, hi = max(a, s.text_start), min(b, s.text_start + s.length)
        if lo < hi:
            out.append(Segment(lo - a, s.source_start + (lo - s.text_start), hi - lo))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if out:
            last = out[-1]
            if last.text_start + last.length == s.text_start and last.source_start + last.length == s.source_start:
                last.length += s.length
                continue
        out.append(Segment(s.text_start, s.source_start, s.length))
    return out


def collapse_ws(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()
