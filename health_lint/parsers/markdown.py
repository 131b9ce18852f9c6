"""Markdown (CommonMark + tables) with YAML front matter, via markdown-it-py.

markdown-it gives each block its source lines; the aligner finds the exact
column of every piece of inline text inside those lines.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..document import Block, Document, Link, slugify
from . import metadata as meta_mod
from .align import Aligner, BlockBuilder
from .link_context import mark_listed_links
from . import yaml_safe
from .errors import InputError

# Lines end in LF, CRLF or a lone CR (old Mac files); the closing line
# starts a line.
_FRONT_MATTER_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)(.*?)(?:\r\n|\r|\n)?(?<=[\r\n])(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
# After a link's text: closing emphasis, "](", then the destination.
_DEST_RE = re.compile(r"[*_~`]*\]\(\s*(<[^>]*>|[^\s)]+)")
_ID_ATTR_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
# Attribute lists of kramdown, Pandoc and Python-Markdown (`{#id .class
# key=value}`, `{: .note}`) after a link, a list item or on a line of their
# own: markup, not words (spell-checked as prose, "data-analytics" was a typo).
# Items are separated by required whitespace and values hold no "=", so
# there is one way to read a candidate (no backtracking blow-up).
_ATTR_ITEM = r"""(?:[#.][\w:-]+|[\w:-]+=(?:"[^"]*"|'[^']*'|[^\s"'=}]+))"""
_ATTR_LIST_RE = re.compile(rf"\{{:?[ \t]*{_ATTR_ITEM}(?:[ \t]+{_ATTR_ITEM})*[ \t]*\}}")

_md: MarkdownIt | None = None
def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        _md = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _md


_TOML_FRONT_MATTER_RE = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?)(?:\r?\n)?^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)


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
    try:
        data = yaml_safe.load(m.group(1)) or {}  # aliases bounded: no billion laughs
    except yaml.YAMLError as exc:
        line = 2
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 2  # +1 for 1-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError("front-matter", f"invalid YAML front matter: {problem}", line=line) from None
    if not isinstance(data, dict):
        raise InputError("front-matter", f"front matter must be a mapping of keys to values, not {type(data).__name__}", line=2)
    return data, m.end()


def parse(source: str, path: str, keys: dict[str, list[str]] | None = None) -> Document:
    front, body_start = split_front_matter(source)
    doc = Document(path=path, source=source, format="markdown", front_matter=front, body_start=body_start)
    # Parse only the body; line maps are shifted by the front matter's lines.
    line_shift = source.count("\n", 0, body_start)
    env: dict = {}
    tokens = _parser().parse(source[body_start:], env)
    # Mask front matter, comments, and the tags of raw HTML blocks, so body
    # text is never "found" there. Only within the lines of the block that
    # holds them: a comment left open inside a list item or quote ends with
    # that container, not at some '-->' further down the page.
    masked = [(0, body_start)]
    scanned: set[tuple[int, int]] = set()
    for tok in tokens:
        if not tok.map or tok.type not in ("html_block", "inline"):
            continue
        start = doc.line_offset(tok.map[0] + line_shift + 1)
        end = doc.line_offset(tok.map[1] + line_shift + 1) if tok.map[1] + line_shift < len(doc.line_starts) else len(source)
        if tok.type == "html_block":
            masked += _markup_spans(source, start, end)
        elif "<!--" in tok.content and (start, end) not in scanned:  # table cells share their row's lines
            scanned.add((start, end))
            masked += _markup_spans(source, start, end, tags=False)
    aligner = Aligner(_blank(source, masked))
    doc_refs = _reference_spans(source, body_start, env.get("references", {}))
    _walk(tokens, doc, aligner, line_shift)
    _place_reference_links(doc, doc_refs)
    meta_mod.from_mapping(doc.metadata, front, "front-matter", keys)
    doc.language = str(front.get("lang") or front.get("language") or front.get("locale") or "").strip()
    meta_mod.from_content(doc.metadata, doc.blocks)
    mark_listed_links(doc)
    return doc


# A link label is at most 999 characters (CommonMark), which also keeps the
# search linear on a page of lines that start with an unclosed '['.
_REF_DEF_RE = re.compile(r"^[ ]{0,3}\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)


def _reference_spans(source: str, body_start: int, references: dict) -> dict[str, tuple[int, int]]:
    """Source span of the destination of each reference definition
    (`[nhs]: https://...`), keyed by the href markdown-it resolved, so a
    reference-style link points at (and `links --fix` rewrites) the
    definition every use shares."""
    by_label = {label: ref.get("href", "") for label, ref in references.items()}
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
        if link.url_start < 0 and link.kind == "link" and link.url in spans:
            link.url_start, link.url_end = spans[link.url]


def _walk(tokens: list[Token], doc: Document, aligner: Aligner, line_shift: int) -> None:
    containers: list[str] = []
    heading_level = 0
    section = ""
    seen_slugs: dict[str, int] = {}
    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            containers.append("list")
        elif t in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif t == "blockquote_open":
            containers.append("blockquote")
        elif t in ("th_open", "td_open"):
            containers.append("cell")
        elif t in ("th_close", "td_close"):
            containers.pop()
        elif t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t == "heading_close":
            heading_level = 0
        elif t == "inline":
            if tok.map:
                aligner.cursor = max(aligner.cursor, doc.line_offset(tok.map[0] + line_shift + 1))
            if heading_level:
                kind = "heading"
            elif "cell" in containers:
                kind = "table_cell"
            elif "list" in containers:
                kind = "list_item"
            elif "blockquote" in containers:
                kind = "blockquote"
            else:
                kind = "paragraph"
            block = _inline_block(tok, kind, doc, aligner)
            if block is None:
                continue
            if kind == "heading":
                block.level = heading_level
                block.slug = slugify(block.text, seen_slugs)
                doc.anchors.add(block.slug)
                section = block.text
            else:
                block.level = containers.count("list")
            block.section = section
            doc.blocks.append(block)
        elif t in ("fence", "code_block"):
            if tok.map:
                start = doc.line_offset(tok.map[0] + line_shift + 1)
                end = doc.line_offset(tok.map[1] + line_shift + 1)
                doc.blocks.append(Block(kind="code", text=tok.content, segments=[], start=start, end=end, section=section))
        elif t == "html_block":
            doc.anchors.update(_ID_ATTR_RE.findall(tok.content))
            if tok.map and _has_text(tok.content):
                start = doc.line_offset(tok.map[0] + line_shift + 1)
                section = _html_block(tok.content, start, doc, aligner, section)


def _markup_spans(text: str, pos: int = 0, end: int | None = None, tags: bool = True):
    """(start, end) of each HTML comment, and with ``tags`` each tag, in
    ``text[pos:end]``, as the regex ``<!--.*?-->|<[^>]*>`` finds them, in
    linear time: once a comment (or tag) has no end, no later one has
    either, so the rest of the text is not searched again for every '<'."""
    end = len(text) if end is None else end
    comments_close = True
    while pos < end:
        lt = text.find("<" if tags else "<!--", pos, end)
        if lt < 0:
            return
        if comments_close and text.startswith("<!--", lt):
            close = text.find("-->", lt + 4, end)
            if close >= 0:
                yield lt, close + 3
                pos = close + 3
                continue
            comments_close = False
        if not tags:
            return
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


def _inline_block(tok: Token, kind: str, doc: Document, aligner: Aligner) -> Block | None:
    builder = BlockBuilder()
    link_stack: list[tuple[dict, int, int, str]] = []  # (attrs, text start, source cursor, markup)
    children = tok.children or []
    i = 0
    while i < len(children):
        child = children[i]
        ct = child.type
        if ct == "text":
            segs = aligner.place(child.content)
            builder.add(child.content, segs)
        elif ct == "code_inline":
            segs = aligner.place(child.content)
            a, b = builder.add(child.content, segs)
            builder.ignore.append((a, b))
        elif ct in ("softbreak", "hardbreak"):
            builder.space()
        elif ct == "link_open":
            link_stack.append((dict(child.attrs), builder.length, aligner.cursor, child.markup))
        elif ct == "link_close" and link_stack:
            attrs, text_start, cursor_before, markup = link_stack.pop()
            _add_link(doc, aligner, builder, attrs, text_start, cursor_before, markup)
        elif ct == "image":
            _add_image(doc, aligner, child)
        elif ct == "html_inline":
            doc.anchors.update(_ID_ATTR_RE.findall(child.content))
        i += 1
    block = builder.build(kind)
    if block is not None and "{" in block.text:
        block.ignore.extend(m.span() for m in _ATTR_LIST_RE.finditer(block.text))
    return block


def _add_link(doc: Document, aligner: Aligner, builder: BlockBuilder, attrs: dict, text_start: int,
              cursor_before: int, markup: str) -> None:
    href = str(attrs.get("href", ""))
    text = builder.text_from(text_start).strip()
    source = doc.source
    # The link starts at the '[' (or '<' for autolinks) before its text.
    anchor_pos = builder.first_source_offset(text_start, cursor_before)
    opener = "<" if markup == "autolink" else "["
    start = source.rfind(opener, cursor_before, anchor_pos + 1) if anchor_pos > cursor_before else -1
    if start < 0:
        start = anchor_pos
    url_start = url_end = -1
    if markup == "autolink":
        builder.ignore.append((text_start, builder.length))
        url_start = start + 1
        url_end = source.find(">", url_start)
        end = url_end + 1 if url_end >= 0 else aligner.cursor
    else:
        # Inline link: "](" right after the text, then the destination.
        m = _DEST_RE.match(source, aligner.cursor)
        if m:
            dest = m.group(1)
            url_start = m.start(1) + (1 if dest.startswith("<") else 0)
            url_end = m.end(1) - (1 if dest.startswith("<") else 0)
            close = source.find(")", m.end())
            end = close + 1 if close >= 0 else m.end()
            aligner.cursor = end
        else:
            end = aligner.cursor  # reference-style link: destination defined elsewhere
            close = source.find("]", aligner.cursor)
            if close >= 0 and close - aligner.cursor < 3:
                end = close + 1
    text_span = builder.source_span(text_start, builder.length) if text else None
    doc.links.append(Link(url=href, text=text, start=start, end=max(end, start), title=str(attrs.get("title", "")),
                          url_start=url_start, url_end=url_end,
                          text_start=text_span[0] if text_span else -1, text_end=text_span[1] if text_span else -1))


def _add_image(doc: Document, aligner: Aligner, child: Token) -> None:
    src = str(child.attrs.get("src", ""))
    pos = doc.source.find("![", aligner.cursor)
    if pos < 0:
        return
    m = re.compile(r"!\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)[^)]*\)").match(doc.source, pos)
    if m:
        aligner.cursor = m.end()
        doc.links.append(Link(url=src, text=child.content, start=pos, end=m.end(), kind="image",
                              url_start=m.start(1), url_end=m.end(1)))
