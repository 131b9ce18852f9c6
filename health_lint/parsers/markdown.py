"""Markdown (CommonMark + tables) with YAML or TOML front matter, via
pyromark (pulldown-cmark).

The parser reports each event (a paragraph's start, a piece of text, a link)
with its byte range in the source; the aligner maps each piece of decoded
text inside its range to exact columns (entities, escapes).
"""
from __future__ import annotations

import bisect
import html
import re
from typing import Any
from urllib.parse import quote

import pyromark

from ..document import Block, Document, Link, slugify
from .. import regexcache
from . import metadata as meta_mod
from .align import Aligner, BlockBuilder
from .link_context import mark_listed_links
from . import plain_front_matter
from .errors import InputError

# Lines end in LF, CRLF or a lone CR (old Mac files); the closing line
# starts a line.
_FRONT_MATTER_RE = regexcache.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)(.*?)(?:\r\n|\r|\n)?(?<=[\r\n])(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
# After a link's text: closing emphasis, "](", then the destination.
_DEST_OPEN_RE = regexcache.compile(r"[*_~`]*\]\([ \t]*(?:\r\n|\r|\n)?[ \t]*")


_PLAIN_DESTINATION_RE = regexcache.compile(r"[^\s()\\\x00-\x1f]*")


def _destination(source: str, pos: int, end: int) -> tuple[int, int] | None:
    """Source span of the link destination that starts at ``pos`` (CommonMark:
    ``<...>``, or non-space characters with balanced parentheses, such as
    ``https://example.org/Eczema-(atopic)``), within the link's ``end``."""
    if pos >= end:
        return None
    if source[pos] == "<":
        close = source.find(">", pos + 1, end)
        return (pos + 1, close) if close >= 0 else None
    i = _PLAIN_DESTINATION_RE.match(source, pos, end).end()
    if i == end or source[i] not in "(\\":
        # Most URLs: no parenthesis or escape before the ")" that closes the link.
        return (pos, i) if i > pos else None
    depth = 0
    i = pos
    while i < end:
        c = source[i]
        if c == "\\" and i + 1 < end:
            i += 2
            continue
        if c.isspace() or ord(c) < 32:
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return (pos, i) if i > pos else None
_ID_ATTR_RE = regexcache.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
# Attribute lists of kramdown, Pandoc and Python-Markdown (`{#id .class
# key=value}`, `{: .note}`) after a link, a list item or on a line of their
# own: markup, not words (spell-checked as prose, "data-analytics" was a typo).
# Items are separated by required whitespace and values hold no "=", so
# there is one way to read a candidate (no backtracking blow-up).
_ATTR_ITEM = r"""(?:[#.][\w:-]+|[\w:-]+=(?:"[^"]*"|'[^']*'|[^\s"'=}]+))"""
_ATTR_LIST_RE = regexcache.compile(rf"\{{:?[ \t]*{_ATTR_ITEM}(?:[ \t]+{_ATTR_ITEM})*[ \t]*\}}")

_TOML_FRONT_MATTER_RE = regexcache.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?)(?:\r?\n)?^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def _toml_front_matter(source: str) -> tuple[dict[str, Any], int] | None:
    """Hugo's TOML front matter between ``+++`` lines (``lastmod``,
    ``publishDate``), or None when the file has none."""
    if not re.match(r"\ufeff?\+\+\+[ \t]*\r?\n", source):
        return None  # "+++ News +++" is a first line, not front matter
    m = _TOML_FRONT_MATTER_RE.match(source)
    if not m:
        raise InputError("front-matter", "front matter starts with '+++' but is never closed")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(m.group(1)), m.end()
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+)", str(exc))
        line = int(at.group(1)) + 1 if at else 2  # +1 for the opening '+++'
        raise InputError("front-matter", f"invalid TOML front matter: {str(exc).split(' (at ')[0]}", line=line) from None


def split_front_matter(source: str) -> tuple[dict[str, Any], int]:
    """Return (front matter mapping, offset where the body starts): YAML
    between ``---`` lines, or TOML between ``+++`` lines (Hugo)."""
    toml = _toml_front_matter(source)
    if toml is not None:
        return toml
    m = _FRONT_MATTER_RE.match(source)
    if not m:
        if source.lstrip("\ufeff").startswith(("---\n", "---\r")):
            raise InputError("front-matter", "front matter starts with '---' but is never closed")
        return {}, 0
    data = plain_front_matter.read(m.group(1))  # the common shape, without importing PyYAML
    if data is None:
        data = _yaml_front_matter(m.group(1))
    if not isinstance(data, dict):
        raise InputError("front-matter", f"front matter must be a mapping of keys to values, not {type(data).__name__}", line=2)
    return data, m.end()


def _yaml_front_matter(text: str):
    import yaml

    from . import yaml_safe

    try:
        return yaml_safe.load(text) or {}  # aliases bounded: no billion laughs
    except yaml.YAMLError as exc:
        line = 2
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 2  # +1 for 1-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError("front-matter", f"invalid YAML front matter: {problem}", line=line) from None


def parse(source: str, path: str, keys: dict[str, list[str]] | None = None) -> Document:
    front, body_start = split_front_matter(source)
    doc = Document(path=path, source=source, format="markdown", front_matter=front, body_start=body_start)
    # Parse only the body; the parser's byte offsets into it become
    # character offsets into the source.
    body = source[body_start:]
    # pulldown-cmark ends lines at LF and CRLF only; a lone CR (old Mac
    # files) ends one too for CommonMark (and for our line numbers). One
    # character for one keeps every offset.
    if "\r" in body:
        body = _LONE_CR_RE.sub("\n", body)
    haystack = source
    try:
        events = list(pyromark.events_with_range(body, options=_OPTIONS))
    except UnicodeEncodeError:
        # Undecodable bytes kept as surrogate escapes (see parsers.load):
        # the parser takes UTF-8, so they are read as U+FFFD, one character
        # each (offsets kept), and found as U+FFFD in the source.
        body = _SURROGATES_RE.sub("\ufffd", body)
        haystack = _SURROGATES_RE.sub("\ufffd", source)
        events = list(pyromark.events_with_range(body, options=_OPTIONS))
    at = _CharOffsets(body, body_start)
    # Mask front matter and the tags and comments of raw HTML blocks: the
    # HTML reader aligns the block's text in the source, never inside them.
    masked = [(0, body_start)]
    for event, span in events:
        if type(event) is dict and event.get("Start") == "HtmlBlock":
            masked += _markup_spans(source, _line_start(doc, at(span["start"])), at(span["end"]))
    aligner = Aligner(_blank(haystack, masked) if len(masked) > 1 or body_start else haystack)
    references: dict[str, str] = {}
    _Walker(doc, aligner, at, references).walk(events)
    _place_reference_links(doc, _reference_spans(source, body_start, references))
    meta_mod.from_mapping(doc.metadata, front, "front-matter", keys)
    doc.language = str(front.get("lang") or front.get("language") or front.get("locale") or "").strip()
    meta_mod.from_content(doc.metadata, doc.blocks)
    mark_listed_links(doc)
    return doc


_SURROGATES_RE = regexcache.compile("[\ud800-\udfff]")
_LONE_CR_RE = regexcache.compile(r"\r(?!\n)")


class _CharOffsets:
    """The parser reports UTF-8 byte offsets into the body; rules need
    character offsets into the source. Each conversion decodes (in C) only
    the bytes from the nearest offset converted before: forward from the
    furthest one, or, for an offset behind it (a link's text after its
    end), from the checkpoint before it, so a page of many links stays
    linear."""

    def __init__(self, body: str, base: int):
        self.base = base
        self.ascii = body.isascii()
        self.data = b"" if self.ascii else body.encode("utf-8")
        self.bytes_at = [0]  # checkpoints, increasing: byte offset -> character offset
        self.chars_at = [0]

    def __call__(self, byte: int) -> int:
        if self.ascii:
            return self.base + byte
        bytes_at = self.bytes_at
        i = len(bytes_at) - 1 if byte >= bytes_at[-1] else bisect.bisect_right(bytes_at, byte) - 1
        char = self.chars_at[i] + len(self.data[bytes_at[i]:byte].decode("utf-8"))
        if byte > bytes_at[-1]:
            bytes_at.append(byte)
            self.chars_at.append(char)
        return self.base + char


def _line_start(doc: Document, offset: int) -> int:
    starts = doc.line_starts
    return starts[bisect.bisect_right(starts, offset) - 1]


def _line_after(doc: Document, end: int) -> int:
    """Start of the line after the one holding the character before ``end``
    (a block's end, as whole lines)."""
    starts = doc.line_starts
    i = bisect.bisect_right(starts, max(end - 1, 0))
    return starts[i] if i < len(starts) else len(doc.source)


# CommonMark leaves the choice of dangerous link targets to the renderer;
# markdown-it (and so every renderer built on it) does not make these
# links, and neither do we: the text stays as written.
_BAD_PROTOCOL_RE = regexcache.compile(r"^(?:vbscript|javascript|file|data):")
_GOOD_DATA_RE = regexcache.compile(r"^data:image/(?:gif|png|jpeg|webp);")
# Percent-escapes already in a URL are kept; everything else outside these
# characters is percent-encoded (as UTF-8), as CommonMark renderers do.
_ESCAPE_RE = regexcache.compile(r"%[0-9A-Fa-f]{2}")
_URL_SAFE = ";/?:@&=+$,-_.!~*'()#"
_TO_ENCODE_RE = regexcache.compile(r"[^A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]")


def _link_allowed(url: str) -> bool:
    url = url.strip().lower()
    return not _BAD_PROTOCOL_RE.match(url) or bool(_GOOD_DATA_RE.match(url))


def normalize_link(url: str) -> str:
    """A link destination as renderers write it to ``href``: characters
    outside URL syntax percent-encoded (spaces, non-ASCII), an
    internationalised host name in punycode."""
    if not _TO_ENCODE_RE.search(url):
        return url  # most links: nothing to encode
    host = _IDN_HOST_RE.match(url)
    if host and not host.group(2).isascii():
        try:
            url = url[:host.start(2)] + host.group(2).encode("idna").decode("ascii") + url[host.end(2):]
        except UnicodeError:
            pass
    out = []
    done = 0
    for m in _ESCAPE_RE.finditer(url):
        out.append(_quote(url[done:m.start()]))
        out.append(m.group())
        done = m.end()
    out.append(_quote(url[done:]))
    return "".join(out)


def _quote(text: str) -> str:
    if _SURROGATES_RE.search(text):
        # An undecodable byte kept as a surrogate escape is that byte again;
        # any other lone surrogate cannot be encoded: U+FFFD.
        text = _NOT_BYTE_ESCAPE_RE.sub("\ufffd", text)
        return quote(text, safe=_URL_SAFE, errors="surrogateescape")
    return quote(text, safe=_URL_SAFE)


_NOT_BYTE_ESCAPE_RE = regexcache.compile("[\ud800-\udc7f\udd00-\udfff]")


_IDN_HOST_RE = regexcache.compile(r"^((?:https?|ftp|mailto):(?://)?(?:[^@/?#]*@)?)([^:/?#]+)", re.I)
_OPTIONS = pyromark.Options.ENABLE_TABLES
_BLOCK_STARTS = frozenset(("Paragraph", "Item", "HtmlBlock", "TableHead", "TableRow", "TableCell"))


class _Walker:
    """Turns the parser's events into blocks and links. Inline events
    (text, code, links) between a leaf's start and end make one block:
    a paragraph, a heading, a table cell, or a tight list item's text."""

    def __init__(self, doc: Document, aligner: Aligner, at: _CharOffsets, references: dict[str, str]):
        self.doc, self.aligner, self.at, self.references = doc, aligner, at, references
        self.containers: list[str] = []
        self.heading_level = 0
        self.section = ""
        self.seen_slugs: dict[str, int] = {}
        self.builder: BlockBuilder | None = None
        self.links: list[list] = []  # open links: [href, title, text start, start, end, markup, inline end]
        self.image: _OpenImage | None = None
        self.literal: list | None = None  # a link we do not make: [depth, start, end]
        self.inline_end = 0  # source offset after the last inline event
        self.raw: list[str] = []  # the text of the open code or HTML block
        self.raw_span: dict = {}
        self.in_code = False

    def walk(self, events) -> None:
        at = self.at
        for event, span in events:
            if type(event) is str:  # SoftBreak, HardBreak, Rule
                if self.literal is not None:
                    continue
                if event == "Rule":
                    self._flush()
                elif self.image is not None:
                    self.image.alt.append(" ")
                    self.image.inner_end = at(span["end"])
                else:
                    self._inline().space()
                    self.inline_end = at(span["end"])
                continue
            (what, value), = event.items()
            if self.literal is not None:
                self._in_literal(what, value, span)
                continue
            if self.image is not None:
                self._in_image(what, value, span)
                continue
            if what == "Text":
                if self.in_code:
                    self.raw.append(value)
                else:
                    self._text(value, at(span["start"]), at(span["end"]))
            elif what == "Code":
                start, end = at(span["start"]), at(span["end"])
                builder = self._inline()
                a, b = builder.add(value, self._place(value, start, end))
                builder.ignore.append((a, b))
                self.inline_end = end
            elif what == "InlineHtml":
                self._inline()
                self.doc.anchors.update(_ID_ATTR_RE.findall(value))
                self.inline_end = at(span["end"])
            elif what == "Start":
                self._start(value, span)
            elif what == "End":
                self._end(value, span)
            elif what == "Html":
                self.raw.append(value)
        self._flush()

    # -- inline content ----------------------------------------------------
    def _inline(self) -> BlockBuilder:
        if self.builder is None:
            self.builder = BlockBuilder()
        return self.builder

    def _place(self, text: str, start: int, end: int):
        aligner = self.aligner
        if start > aligner.cursor:
            aligner.cursor = start
        return aligner.place(text, end)

    def _text(self, value: str, start: int, end: int) -> None:
        self._inline().add(value, self._place(value, start, end))
        self.inline_end = end

    def _in_literal(self, what: str, value, span) -> None:
        # Inside a link we do not make: its source is added as text at its end.
        lit = self.literal
        if what == "Start":
            lit[0] += 1
        elif what == "End":
            lit[0] -= 1
            if lit[0] == 0:
                self.literal = None
                text = self.doc.source[lit[1]:lit[2]]
                self._text(text, lit[1], lit[2])

    def _in_image(self, what: str, value, span) -> None:
        image = self.image
        if what in ("Text", "Code"):
            image.alt.append(value)
        elif what == "Start":
            image.depth += 1
        elif what == "End":
            image.depth -= 1
            if image.depth == 0:
                self.image = None
                self._add_image(image)
                return
        image.inner_end = self.at(span["end"])

    # -- blocks ------------------------------------------------------------
    def _start(self, value, span) -> None:
        name = value if type(value) is str else next(iter(value))
        if name in ("Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"):
            self._inline()
            return
        if name in ("Link", "Image"):
            self._open_link(name, value[name], span)
            return
        self._flush()
        if name == "List":
            self.containers.append("list")
        elif name == "BlockQuote":
            self.containers.append("blockquote")
        elif name == "TableCell":
            self.containers.append("cell")
        elif name == "Heading":
            self.heading_level = int(value[name]["level"][1:])
        elif name in ("CodeBlock", "HtmlBlock"):
            self.raw, self.raw_span = [], span
            self.in_code = name == "CodeBlock"

    def _end(self, value, span) -> None:
        name = value if type(value) is str else next(iter(value))
        if name in ("Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"):
            self.inline_end = self.at(span["end"])
            return
        if name == "Link":
            self._close_link(span)
            return
        self._flush()
        if name in ("List", "BlockQuote", "TableCell"):
            self.containers.pop()
        elif name == "Heading":
            self.heading_level = 0
        elif name == "CodeBlock":
            self.in_code = False
            self._code_block()
        elif name == "HtmlBlock":
            self._html_block()

    def _flush(self) -> None:
        """End the current leaf's inline content: it becomes a block."""
        builder = self.builder
        if builder is None:
            return
        self.builder = None
        self.links.clear()
        containers = self.containers
        if self.heading_level:
            kind = "heading"
        elif "cell" in containers:
            kind = "table_cell"
        elif "list" in containers:
            kind = "list_item"
        elif "blockquote" in containers:
            kind = "blockquote"
        else:
            kind = "paragraph"
        block = builder.build(kind)
        if block is None:
            return
        if "{" in block.text:
            block.ignore.extend(m.span() for m in _ATTR_LIST_RE.finditer(block.text))
        if kind == "heading":
            block.level = self.heading_level
            block.slug = slugify(block.text, self.seen_slugs)
            self.doc.anchors.add(block.slug)
            self.section = block.text
        else:
            block.level = containers.count("list")
        block.section = self.section
        self.doc.blocks.append(block)

    def _code_block(self) -> None:
        doc, span = self.doc, self.raw_span
        text = "".join(self.raw)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        start, end = self.at(span["start"]), self.at(span["end"])
        doc.blocks.append(Block(kind="code", text=text, segments=[], start=_line_start(doc, start),
                                end=_line_after(doc, end), section=self.section))

    def _html_block(self) -> None:
        doc = self.doc
        content = "".join(self.raw)
        doc.anchors.update(_ID_ATTR_RE.findall(content))
        if _has_text(content):
            start = _line_start(doc, self.at(self.raw_span["start"]))
            self.section = _html_block(content, start, doc, self.aligner, self.section)

    # -- links and images --------------------------------------------------
    def _open_link(self, name: str, info: dict, span) -> None:
        kind = info["link_type"]
        href = info["dest_url"]
        if kind == "Email":
            href = "mailto:" + href
        href = normalize_link(href)
        start, end = self.at(span["start"]), self.at(span["end"])
        if not _link_allowed(href):
            self.literal = [1, start, end]
            return
        if kind in ("Reference", "Collapsed", "Shortcut"):
            label = " ".join((info["id"] or "").split()).upper()
            if label:
                self.references.setdefault(label, href)
        if name == "Image":
            self.image = _OpenImage(href, info["title"], start, end, kind)
            return
        builder = self._inline()
        markup = "autolink" if kind in ("Autolink", "Email") else kind
        self.links.append([href, info["title"], builder.length, start, end, markup])
        self.inline_end = start + 1

    def _close_link(self, span) -> None:
        if not self.links:
            return
        href, title, text_start, start, end, markup = self.links.pop()
        builder = self._inline()
        source = self.doc.source
        text = builder.text_from(text_start).strip()
        url_start = url_end = -1
        if markup == "autolink":
            builder.ignore.append((text_start, builder.length))
            url_start, url_end = start + 1, end - 1
        elif markup == "Inline":
            url_start, url_end = _destination_after(source, self.inline_end, end, href)
        self.inline_end = end
        if self.aligner.cursor < end:
            self.aligner.cursor = end
        text_span = builder.source_span(text_start, builder.length) if text else None
        self.doc.links.append(Link(url=href, text=text, start=start, end=end, title=title,
                                   url_start=url_start, url_end=url_end,
                                   text_start=text_span[0] if text_span else -1,
                                   text_end=text_span[1] if text_span else -1))

    def _add_image(self, image: "_OpenImage") -> None:
        src, title, start, end = image.href, image.title, image.start, image.end
        url_start = url_end = -1
        if image.kind == "Inline":
            url_start, url_end = _destination_after(self.doc.source, image.inner_end, end, src)
        self._inline()
        self.inline_end = end
        if self.aligner.cursor < end:
            self.aligner.cursor = end
        self.doc.links.append(Link(url=src, text="".join(image.alt), start=start, end=end, kind="image", title=title,
                                   url_start=url_start, url_end=url_end))


class _OpenImage:
    """An image whose alt text is being read."""

    __slots__ = ("href", "title", "start", "end", "kind", "alt", "depth", "inner_end")

    def __init__(self, href: str, title: str, start: int, end: int, kind: str):
        self.href, self.title, self.start, self.end, self.kind = href, title, start, end, kind
        self.alt: list[str] = []
        self.depth = 1  # nesting of events inside the image
        self.inner_end = start + 2  # source offset after the last event inside: past "!["


def _destination_after(source: str, pos: int, end: int, href: str) -> tuple[int, int]:
    """Source span of an inline link's destination: after ``pos`` (the end
    of the link text) come "](" and the destination. The span counts only
    if it reads as ``href`` (escapes and entities decoded, encoded as
    renderers do): in a block quote, a destination on the next line starts
    after "> ", which this does not skip. (-1, -1) if not found."""
    m = _DEST_OPEN_RE.match(source, pos)
    found = _destination(source, m.end(), end) if m else None
    if found is None:
        return -1, -1
    raw = source[found[0]:found[1]]
    if raw != href and normalize_link(html.unescape(_ESCAPED_RE.sub(r"\1", raw))) != href:
        return -1, -1
    return found


_ESCAPED_RE = regexcache.compile(r"\\([!-/:-@\[-`{-~])")


# A link label is at most 999 characters (CommonMark), which also keeps the
# search linear on a page of lines that start with an unclosed '['.
_REF_DEF_RE = regexcache.compile(r"^[ ]{0,3}\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)


def _reference_spans(source: str, body_start: int, references: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Source span of the destination of each reference definition
    (`[nhs]: https://...`) that a link uses (``references``: label -> href),
    keyed by that href, so a
    reference-style link points at (and `links --fix` rewrites) the
    definition every use shares."""
    by_label = references
    spans: dict[str, tuple[int, int]] = {}
    for m in _REF_DEF_RE.finditer(source, body_start):
        label = " ".join(m.group(1).split()).upper()
        href = by_label.get(label)
        if href is None:
            href = next((h for lab, h in by_label.items() if lab.casefold() == label.casefold()), None)
        if href is None or href in spans:
            continue
        dest = m.group(2)
        inner = 1 if dest.startswith("<") else 0
        spans[href] = (m.start(2) + inner, m.end(2) - inner)
    return spans


def _place_reference_links(doc: Document, spans: dict[str, tuple[int, int]]) -> None:
    for link in doc.links:
        if link.url_start < 0 and link.url in spans:
            link.url_start, link.url_end = spans[link.url]


def _markup_spans(text: str, pos: int = 0, end: int | None = None):
    """(start, end) of each HTML comment and tag in ``text[pos:end]``, as
    the regex ``<!--.*?-->|<[^>]*>`` finds them, in linear time: once a
    comment (or tag) has no end, no later one has either, so the rest of the
    text is not searched again for every '<'."""
    end = len(text) if end is None else end
    comments_close = True
    while pos < end:
        lt = text.find("<", pos, end)
        if lt < 0:
            return
        if comments_close and text.startswith("<!--", lt):
            close = text.find("-->", lt + 4, end)
            if close >= 0:
                yield lt, close + 3
                pos = close + 3
                continue
            comments_close = False
        gt = text.find(">", lt + 1, end)
        if gt < 0:
            return
        yield lt, gt + 1
        pos = gt + 1


def _blank(text: str, spans) -> str:
    """``text`` with the given spans (any order, possibly overlapping) replaced
    by NUL characters of the same length."""
    out: list[str] = []
    done = 0
    for a, b in sorted(spans):
        if b <= done:
            continue
        a = max(a, done)
        out.append(text[done:a])
        out.append("\0" * (b - a))
        done = b
    out.append(text[done:])
    return "".join(out)


def _has_text(html: str) -> bool:
    return bool(_blank(html, _markup_spans(html)).replace("\0", "").strip())


def _html_block(content: str, start: int, doc: Document, aligner: Aligner, section: str) -> str:
    """Raw HTML inside Markdown (a `<div class="callout">` holding advice, a
    disclaimer) is read like an HTML page's content: its paragraphs, lists
    and links become blocks and links with exact positions."""
    from .html import read_fragment  # bs4 only for articles that need it

    # The block's tags and comments are masked in the aligner's haystack
    # (see parse), so text is never "found" inside them.
    aligner.cursor = max(aligner.cursor, start)
    return read_fragment(content, doc, aligner, section)
